"""Evaluation metrics as pure functions over per-question outcomes."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """What one question produced: the ranked distinct articles, the quotes' sentence and passage texts."""

    gold_article: str | None
    answers: tuple[str, ...]
    impossible: bool
    abstained: bool
    articles: tuple[str, ...]
    answer_rank: int | None  # 1-based rank of the first quote (sentence) holding a gold answer
    answer_rank_shown: int | None  # same, over the passage a user is shown
    seconds: float
    question: str = ""
    reason: str = ""  # why the pipeline abstained, if it did
    coverage: float | None = None  # the abstention signals of the best quote (retrieval.answer.abstain)
    article_coverage: float | None = None
    dense: float | None = None
    unsaid: str | None = None  # what the question asked for exactly that no quote shown says (Answer.unsaid)

    @property
    def verdict(self) -> str:
        """What happened to an answerable question, as the report groups them: "right" (an answer
        quoted in the top three), "wrong" (answered without it), "refused"; "off-topic" and
        "no-answer" for the questions without a gold answer."""
        if self.gold_article is None:
            return "off-topic"
        if not self.answers:
            return "no-answer"
        if self.abstained:
            return "refused"
        return "right" if self.answer_rank is not None and self.answer_rank <= 3 else "wrong"


def _ranked(outcomes: Sequence[Outcome]) -> list[Outcome]:
    """Ranking metrics are over answerable questions, whether or not the pipeline then abstained
    (abstention has metrics of its own)."""
    return [o for o in outcomes if o.gold_article and o.answers]


def hit_at(outcomes: Sequence[Outcome], k: int) -> float:
    scored = _ranked(outcomes)
    if not scored:
        return float("nan")
    return sum(1 for o in scored if o.gold_article in o.articles[:k]) / len(scored)


def mrr(outcomes: Sequence[Outcome]) -> float:
    scored = _ranked(outcomes)
    if not scored:
        return float("nan")
    total = 0.0
    for o in scored:
        if o.gold_article in o.articles:
            total += 1.0 / (o.articles.index(o.gold_article) + 1)
    return total / len(scored)


def answer_at(outcomes: Sequence[Outcome], k: int, shown: bool = False) -> float:
    scored = [o for o in outcomes if o.answers]
    if not scored:
        return float("nan")
    ranks = [(o.answer_rank_shown if shown else o.answer_rank) for o in scored]
    return sum(1 for o, r in zip(scored, ranks, strict=True) if not o.abstained and r is not None and r <= k) / len(scored)


def abstention(outcomes: Sequence[Outcome]) -> float:
    """Share of must-abstain (off-topic) questions that did abstain."""
    must = [o for o in outcomes if o.gold_article is None]
    return sum(o.abstained for o in must) / len(must) if must else float("nan")


def false_abstention(outcomes: Sequence[Outcome]) -> float:
    """Share of answerable questions that wrongly abstained."""
    answerable = [o for o in outcomes if o.answers]
    return sum(o.abstained for o in answerable) / len(answerable) if answerable else float("nan")


def unanswerable_abstention(outcomes: Sequence[Outcome]) -> float:
    """On-topic questions with no answer in the text: quoting the nearest passage is right, so lower is better."""
    items = [o for o in outcomes if o.impossible and o.gold_article]
    return sum(o.abstained for o in items) / len(items) if items else float("nan")


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def summary(outcomes: Sequence[Outcome]) -> dict[str, float | int]:
    times = [o.seconds * 1000 for o in outcomes]
    return {
        "questions": len(outcomes),
        "article_hit@1": hit_at(outcomes, 1),
        "article_hit@3": hit_at(outcomes, 3),
        "article_hit@5": hit_at(outcomes, 5),
        "mrr": mrr(outcomes),
        "answer_in_quote@1": answer_at(outcomes, 1),
        "answer_in_quote@3": answer_at(outcomes, 3),
        "answer_in_passage@1": answer_at(outcomes, 1, shown=True),
        "answer_in_passage@3": answer_at(outcomes, 3, shown=True),
        "abstain_off_topic": abstention(outcomes),
        "false_abstain_answerable": false_abstention(outcomes),
        "abstain_on_topic_unanswerable": unanswerable_abstention(outcomes),
        "latency_p50_ms": percentile(times, 0.5),
        "latency_p95_ms": percentile(times, 0.95),
    }


def shown(key: str, value: float | int) -> str:
    """A metric as every report prints it: "-" for not measured, milliseconds to a tenth, shares
    to three decimals, counts whole."""
    if isinstance(value, float) and math.isnan(value):
        return "-"
    if key.endswith("_ms"):
        return f"{value:.1f}"
    return f"{value:.3f}" if isinstance(value, float) else str(value)
