"""The search stage's settings (``[retrieval]``): how deep each searcher looks, how questions are
analyzed, and what a question may cost."""

from __future__ import annotations

from dataclasses import dataclass

from corpus.normalize import ANALYZERS
from retrieval.errors import SettingsError
from retrieval.settings_checks import check_all

MODES = ("hybrid", "lexical", "dense")


@dataclass(frozen=True)
class SearchSettings:
    candidates: int = 50
    mode: str = "hybrid"
    analyzer: str = "stem"
    article_candidates: int = 20
    article_expand: int = 5
    max_question_chars: int = 1000
    lexical_budget: int = 10_000

    def check_search(self) -> None:
        check_all([
            (self.mode in MODES, f"mode {self.mode!r} is not one of {', '.join(MODES)}"),
            (self.analyzer in ANALYZERS, f"analyzer {self.analyzer!r} is not one of {', '.join(ANALYZERS)}"),
            (self.candidates >= 1, f"candidates must be at least 1, got {self.candidates}"),
            (self.article_candidates >= self.article_expand >= 0, "need article_candidates >= article_expand >= 0"),
            (self.lexical_budget >= 1, f"lexical_budget must be at least 1, got {self.lexical_budget}"),
            (self.max_question_chars >= 10, f"max_question_chars must be at least 10, got {self.max_question_chars}"),
        ])  # fmt: skip


__all__ = ["MODES", "SearchSettings", "SettingsError"]
