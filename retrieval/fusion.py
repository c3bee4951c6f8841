"""Combining searchers' rankings: pure functions over ``Hit`` lists, tested on their own."""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.records import Hit


def min_max(hits: Sequence[Hit]) -> dict[int, float]:
    """Scores scaled to [0, 1] within one list; a single hit (or all equal) scores 1."""
    if not hits:
        return {}
    lo = min(h.score for h in hits)
    hi = max(h.score for h in hits)
    span = hi - lo
    return {h.sentence_id: (h.score - lo) / span if span > 0 else 1.0 for h in hits}


def weighted(lexical: Sequence[Hit], dense: Sequence[Hit], dense_weight: float) -> list[Hit]:
    """pyserini-style convex fusion: a sentence missing from one list takes that list's minimum (0)."""
    lex, den = min_max(lexical), min_max(dense)
    ids = dict.fromkeys([h.sentence_id for h in lexical] + [h.sentence_id for h in dense])
    fused = [Hit(i, (1 - dense_weight) * lex.get(i, 0.0) + dense_weight * den.get(i, 0.0)) for i in ids]
    return sorted(fused, key=lambda h: (-h.score, h.sentence_id))


def reciprocal_rank(runs: Sequence[Sequence[Hit]], k: int = 60) -> list[Hit]:
    """Reciprocal rank fusion (Cormack et al. 2009): only ranks matter, scales are ignored."""
    scores: dict[int, float] = {}
    for run in runs:
        for rank, hit in enumerate(run, start=1):
            scores[hit.sentence_id] = scores.get(hit.sentence_id, 0.0) + 1.0 / (k + rank)
    return sorted((Hit(i, s) for i, s in scores.items()), key=lambda h: (-h.score, h.sentence_id))
