"""Retrieval knobs, validated when built so a bad config.toml fails at start-up."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from corpus.normalize import ANALYZERS

FUSIONS = ("weighted", "rrf")
RANKERS = ("learned", "weighted")
MODES = ("hybrid", "lexical", "dense")


class SettingsError(ValueError):
    """A retrieval setting is out of range; the message names it."""


@dataclass(frozen=True)
class RetrievalSettings:
    k: int = 3
    candidates: int = 50
    mode: str = "hybrid"
    fusion: str = "weighted"
    ranker: str = "learned"
    dense_weight: float = 0.3
    rrf_k: int = 60
    analyzer: str = "stem"
    max_per_article: int = 3
    diversity: float = 0.85
    answer_type_boost: float = 0.35
    article_weight: float = 0.6
    article_dense_weight: float = 0.3
    article_candidates: int = 20
    article_expand: int = 5
    context_sentences: int = 1
    context_max_chars: int = 400
    max_question_chars: int = 1000
    ingest_batch_sentences: int = 512
    lexical_budget: int = 10_000
    min_coverage: float = 0.6
    min_article_coverage: float = 0.7
    min_dense: float = 0.80
    confident_dense: float = 0.86
    foreign_min_dense: float = 0.774
    recency_half_life_days: float = 7.0
    recency_weight: float = 0.05
    period_weight: float = 0.5

    def __post_init__(self) -> None:
        checks = [
            (self.k >= 1, f"k must be at least 1, got {self.k}"),
            (self.candidates >= self.k, f"candidates ({self.candidates}) must be at least k ({self.k})"),
            (self.mode in MODES, f"mode {self.mode!r} is not one of {', '.join(MODES)}"),
            (self.fusion in FUSIONS, f"fusion {self.fusion!r} is not one of {', '.join(FUSIONS)}"),
            (self.ranker in RANKERS, f"ranker {self.ranker!r} is not one of {', '.join(RANKERS)}"),
            (0.0 <= self.dense_weight <= 1.0, f"dense_weight must be between 0 and 1, got {self.dense_weight}"),
            (self.analyzer in ANALYZERS, f"analyzer {self.analyzer!r} is not one of {', '.join(ANALYZERS)}"),
            (self.max_per_article >= 1, f"max_per_article must be at least 1, got {self.max_per_article}"),
            (0.0 <= self.article_weight <= 1.0, f"article_weight must be between 0 and 1, got {self.article_weight}"),
            (
                0.0 <= self.article_dense_weight <= 1.0,
                f"article_dense_weight must be between 0 and 1, got {self.article_dense_weight}",
            ),
            (self.article_candidates >= self.article_expand >= 0, "need article_candidates >= article_expand >= 0"),
            (0.0 < self.diversity <= 1.0, f"diversity must be in (0, 1], got {self.diversity}"),
            (self.context_max_chars >= 0, f"context_max_chars must be 0 or more, got {self.context_max_chars}"),
            (self.context_sentences >= 0, f"context_sentences must be 0 or more, got {self.context_sentences}"),
            (self.lexical_budget >= 1, f"lexical_budget must be at least 1, got {self.lexical_budget}"),
            (self.ingest_batch_sentences >= 1, f"ingest_batch_sentences must be at least 1, got {self.ingest_batch_sentences}"),
            (self.max_question_chars >= 10, f"max_question_chars must be at least 10, got {self.max_question_chars}"),
            (0.0 <= self.min_coverage <= 1.0, f"min_coverage must be between 0 and 1, got {self.min_coverage}"),
            (
                0.0 <= self.min_article_coverage <= 1.01,
                f"min_article_coverage must be between 0 and 1 (above 1: off), got {self.min_article_coverage}",
            ),
            (0.0 <= self.foreign_min_dense <= 1.0, f"foreign_min_dense must be between 0 and 1, got {self.foreign_min_dense}"),
            (self.recency_half_life_days > 0, f"recency_half_life_days must be positive, got {self.recency_half_life_days}"),
            (0.0 <= self.recency_weight <= 1.0, f"recency_weight must be between 0 and 1, got {self.recency_weight}"),
            (0.0 <= self.period_weight <= 1.0, f"period_weight must be between 0 and 1, got {self.period_weight}"),
        ]
        for ok, message in checks:
            if not ok:
                raise SettingsError(f"[retrieval] {message}")


def backend_names() -> list[str]:
    """The storage backends this install has: one module (or package) each under retrieval/store/backends."""
    root = Path(__file__).parent / "store" / "backends"
    names = []
    for path in root.iterdir():
        if path.name.startswith("_"):
            continue
        if path.suffix == ".py" or (path.is_dir() and (path / "__init__.py").exists()):
            names.append(path.stem)
    return sorted(names)


@dataclass(frozen=True)
class StorageSettings:
    """``[storage]``: which backend keeps the corpus. The database URL is a secret (it may hold a
    password) and the same file serves every replica, so it only ever comes from the environment."""

    backend: str = "sqlite"
    schema: str = "pasokh"
    ef_search: int = 100
    lock_wait_seconds: float = 60.0
    vector_index: str = "auto"
    exact_limit: int = 100_000
    nprobe: int = 48
    database_url: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        names = backend_names()
        if self.backend not in names:
            raise SettingsError(f"[storage] backend {self.backend!r} is not one of {', '.join(names)}")
        if not re.fullmatch(r"[a-z_][a-z0-9_]{0,30}", self.schema) or self.schema.startswith("pg_"):
            raise SettingsError(
                f"[storage] schema must be a lower-case SQL name of up to 31 characters, not starting pg_, got {self.schema!r}"
            )
        if not isinstance(self.ef_search, int) or not 10 <= self.ef_search <= 1000:
            raise SettingsError(f"[storage] ef_search must be a whole number from 10 to 1000, got {self.ef_search!r}")
        if self.vector_index not in ("auto", "flat", "ivf"):
            raise SettingsError(f"[storage] vector_index must be auto, flat or ivf, got {self.vector_index!r}")
        if not isinstance(self.exact_limit, int) or self.exact_limit < 0:
            raise SettingsError(f"[storage] exact_limit must be a whole number of sentences, got {self.exact_limit!r}")
        if not isinstance(self.nprobe, int) or not 1 <= self.nprobe <= 4096:
            raise SettingsError(f"[storage] nprobe must be a whole number from 1 to 4096, got {self.nprobe!r}")
        if not isinstance(self.lock_wait_seconds, int | float) or self.lock_wait_seconds < 0:
            raise SettingsError(f"[storage] lock_wait_seconds must be 0 or more, got {self.lock_wait_seconds!r}")
