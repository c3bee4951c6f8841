"""How many posting-list rows a lexical search may touch.

FTS5 (and the PostgreSQL backend's BM25) scores every sentence any query term matches before
it can keep the best k. At a million sentences a common word matches tens of thousands of
them, and those words carry little idf anyway. So a search uses the rarest terms first and
stops adding terms once their postings would pass a budget; the ranking that follows still
weighs every question term (coverage, idf, the learned ranker), only the candidate search is
narrowed. On a corpus small enough for every term to fit, nothing changes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def affordable(terms: Sequence[str], df: Mapping[str, int], budget: int) -> list[str]:
    """``terms`` (in their order) whose summed document frequency, rarest first, stays within
    ``budget``; the rarest term is always kept, and a term the corpus lacks costs nothing."""
    kept: set[str] = set()
    spent = 0
    for term in sorted(dict.fromkeys(terms), key=lambda t: df.get(t, 0)):
        rows = df.get(term, 0)
        if kept and spent + rows > budget:
            break
        kept.add(term)
        spent += rows
    return [t for t in terms if t in kept]
