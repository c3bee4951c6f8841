"""The ranking stage's settings (``[retrieval]``): how the searchers' scores are fused, which
rerankers reorder them, and how much article-level evidence counts."""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.settings_checks import check_all

FUSIONS = ("weighted", "rrf")
RANKERS = ("learned", "weighted")


@dataclass(frozen=True)
class RankSettings:
    fusion: str = "weighted"
    ranker: str = "learned"
    dense_weight: float = 0.3
    rrf_k: int = 60
    answer_type_boost: float = 0.35
    article_weight: float = 0.6
    article_dense_weight: float = 0.3

    def check_rank(self) -> None:
        check_all([
            (self.fusion in FUSIONS, f"fusion {self.fusion!r} is not one of {', '.join(FUSIONS)}"),
            (self.ranker in RANKERS, f"ranker {self.ranker!r} is not one of {', '.join(RANKERS)}"),
            (0.0 <= self.dense_weight <= 1.0, f"dense_weight must be between 0 and 1, got {self.dense_weight}"),
            (self.rrf_k >= 1, f"rrf_k must be at least 1, got {self.rrf_k}"),
            (self.answer_type_boost >= 0, f"answer_type_boost must be 0 or more, got {self.answer_type_boost}"),
            (0.0 <= self.article_weight <= 1.0, f"article_weight must be between 0 and 1, got {self.article_weight}"),
            (
                0.0 <= self.article_dense_weight <= 1.0,
                f"article_dense_weight must be between 0 and 1, got {self.article_dense_weight}",
            ),
        ])  # fmt: skip
