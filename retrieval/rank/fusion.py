"""Combining searchers' rankings: pure functions over ``Hit`` lists, tested on their own."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from retrieval.records import Hit


def best_first(hits: Iterable[Hit]) -> list[Hit]:
    """Highest score first; ties by sentence id, so every ranking is deterministic."""
    return sorted(hits, key=lambda h: (-h.score, h.sentence_id))


def min_max(hits: Sequence[Hit], min_span: float = 0.0) -> dict[int, float]:
    """Scores scaled to [0, 1] within one list; a single hit (or all equal) scores 1.

    With ``min_span``, scores closer together than that are scaled as if they spanned it, from
    the best (1) down: fifty cosines within a hundredth of each other (templated sentences that
    differ by a number) then stay near each other instead of being stretched from 0 to 1.
    """
    if not hits:
        return {}
    lo = min(h.score for h in hits)
    hi = max(h.score for h in hits)
    span = hi - lo
    if span < min_span:
        return {h.sentence_id: 1.0 - (hi - h.score) / min_span for h in hits}
    return {h.sentence_id: (h.score - lo) / span if span > 0 else 1.0 for h in hits}


def weighted(lexical: Sequence[Hit], dense: Sequence[Hit], dense_weight: float) -> list[Hit]:
    """pyserini-style convex fusion: a sentence missing from one list takes that list's minimum (0)."""
    lex, den = min_max(lexical), min_max(dense)
    ids = dict.fromkeys([h.sentence_id for h in lexical] + [h.sentence_id for h in dense])
    fused = [Hit(i, (1 - dense_weight) * lex.get(i, 0.0) + dense_weight * den.get(i, 0.0)) for i in ids]
    return best_first(fused)


def reciprocal_rank(runs: Sequence[Sequence[Hit]], k: int = 60) -> list[Hit]:
    """Reciprocal rank fusion (Cormack et al. 2009): only ranks matter, scales are ignored."""
    scores: dict[int, float] = {}
    for run in runs:
        for rank, hit in enumerate(run, start=1):
            scores[hit.sentence_id] = scores.get(hit.sentence_id, 0.0) + 1.0 / (k + rank)
    return best_first(Hit(i, s) for i, s in scores.items())


def article_scores(lexical: Sequence[tuple[str, float]], dense: Mapping[str, float], dense_weight: float) -> dict[str, float]:
    """Article evidence in [0, 1]: min-max bm25 over the whole article, and its best sentence's cosine."""
    lex = min_max([Hit(i, score) for i, (_, score) in enumerate(lexical)])
    lex_by_article = {art: lex[i] for i, (art, _) in enumerate(lexical)}
    den = dict(zip(dense, min_max([Hit(i, v) for i, v in enumerate(dense.values())]).values(), strict=True))
    articles = set(lex_by_article) | set(den)
    return {a: (1 - dense_weight) * lex_by_article.get(a, 0.0) + dense_weight * den.get(a, 0.0) for a in articles}


def mix_levels(
    sentence_scores: Mapping[int, float], article_of: Mapping[int, str], article: Mapping[str, float], article_weight: float
) -> list[Hit]:
    """Final sentence score: its own (fused) score mixed with its article's; a sentence only its
    article brought in starts from zero on its own side."""
    mixed = [
        Hit(i, (1 - article_weight) * sentence_scores.get(i, 0.0) + article_weight * article.get(art, 0.0))
        for i, art in article_of.items()
    ]
    return best_first(mixed)
