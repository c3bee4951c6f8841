"""The answer stage's settings (``[retrieval]``): how many quotes and from how many articles,
what is shown around each, when to abstain, and how time moves near-equal matches."""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.settings_checks import check_all


@dataclass(frozen=True)
class QuoteSettings:
    k: int = 3
    max_per_article: int = 3
    diversity: float = 0.85
    context_sentences: int = 1
    context_max_chars: int = 400

    def check_quotes(self) -> None:
        check_all([
            (self.k >= 1, f"k must be at least 1, got {self.k}"),
            (self.max_per_article >= 1, f"max_per_article must be at least 1, got {self.max_per_article}"),
            (0.0 < self.diversity <= 1.0, f"diversity must be in (0, 1], got {self.diversity}"),
            (self.context_max_chars >= 0, f"context_max_chars must be 0 or more, got {self.context_max_chars}"),
            (self.context_sentences >= 0, f"context_sentences must be 0 or more, got {self.context_sentences}"),
        ])  # fmt: skip


@dataclass(frozen=True)
class AbstainSettings:
    """Thresholds from ``python bench/calibrate_abstention.py --write`` (tuning data only, over a
    corpus of about 1,800 articles), recorded with their embedder in retrieval/rank/fitted.json.
    Coverage and meaning are weighed together (retrieval.answer.abstain.decide): at
    ``min_dense`` all of ``min_coverage`` is needed, at ``confident_dense`` none."""

    min_coverage: float = 0.9
    min_article_coverage: float = 0.7
    min_dense: float = 0.80
    confident_dense: float = 0.86
    foreign_min_dense: float = 0.7697

    def check_abstain(self) -> None:
        check_all([
            (0.0 <= self.min_coverage <= 1.0, f"min_coverage must be between 0 and 1, got {self.min_coverage}"),
            (
                0.0 <= self.min_article_coverage <= 1.01,
                f"min_article_coverage must be between 0 and 1 (above 1: off), got {self.min_article_coverage}",
            ),
            (0.0 <= self.foreign_min_dense <= 1.0, f"foreign_min_dense must be between 0 and 1, got {self.foreign_min_dense}"),
            (0.0 <= self.min_dense <= 1.0, f"min_dense must be between 0 and 1, got {self.min_dense}"),
            (0.0 <= self.confident_dense <= 1.0, f"confident_dense must be between 0 and 1, got {self.confident_dense}"),
        ])  # fmt: skip


@dataclass(frozen=True)
class TimeSettings:
    recency_half_life_days: float = 7.0
    recency_weight: float = 0.05
    period_weight: float = 0.5

    def check_time(self) -> None:
        check_all([
            (self.recency_half_life_days > 0, f"recency_half_life_days must be positive, got {self.recency_half_life_days}"),
            (0.0 <= self.recency_weight <= 1.0, f"recency_weight must be between 0 and 1, got {self.recency_weight}"),
            (0.0 <= self.period_weight <= 1.0, f"period_weight must be between 0 and 1, got {self.period_weight}"),
        ])  # fmt: skip
