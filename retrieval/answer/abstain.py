"""Deciding when the corpus has no answer: a pure function of signals the pipeline measures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Signals:
    """``coverage``: idf-weighted share of the question's terms found around the best quote;
    ``article_coverage``: the same over its whole article (news names a person once, then says
    «وی»); ``dense``: cosine of the best dense match (None when the dense side was not run)."""

    coverage: float
    dense: float | None
    matched_terms: int
    article_coverage: float = 0.0


def coverage(question_terms: Iterable[str], found_terms: Iterable[str], idf: Mapping[str, float]) -> float:
    """Share of the question's information (idf mass) that the passage contains."""
    q = set(question_terms)
    if not q:
        return 0.0
    found = set(found_terms)
    total = sum(idf.get(t, 0.0) for t in q)
    if total <= 0:
        return 0.0
    return sum(idf.get(t, 0.0) for t in q & found) / total


def decide(
    signals: Signals, min_coverage: float, min_dense: float, confident_dense: float, min_article_coverage: float = 1.01
) -> str:
    """Empty string to answer, else the reason to abstain.

    Off-topic questions share few informative words with any passage *and* sit far from
    every passage in embedding space; on-topic ones pass at least one of the two tests. A
    passage that covers little of the question still answers when its article covers most of it.
    """
    if signals.matched_terms == 0 and (signals.dense is None or signals.dense < confident_dense):
        return "no word of the question occurs in the corpus near any passage"
    if signals.dense is not None and signals.dense < min_dense:
        return f"closest passage is too far in meaning ({signals.dense:.2f} < {min_dense:.2f})"
    if (
        signals.coverage < min_coverage
        and signals.article_coverage < min_article_coverage
        and (signals.dense is None or signals.dense < confident_dense)
    ):
        return f"best passage covers too little of the question ({signals.coverage:.2f} < {min_coverage:.2f})"
    return ""


def decide_foreign(dense: float | None, min_dense: float) -> str:
    """A question in another language shares no words with Persian passages: only meaning can
    tell on-topic from off-topic, against a threshold of its own (cross-lingual cosines run lower)."""
    if dense is None or dense < min_dense:
        return f"closest passage is too far in meaning for a question in another language ({dense or 0:.2f} < {min_dense:.2f})"
    return ""
