"""FTS5's ``bm25()`` over posting arrays: the one scoring every backend that reads postings as
arrays shares (the sqlite backend's mapped postings file, the PostgreSQL backend's packed
postings), so the two rank a question's sentences alike.

Pure functions over numpy arrays: a term's idf from the live document count, each posting's
score, and the best ``k`` of everything a question's terms hit, ties by id as FTS5 orders them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from retrieval.records import Hit

K1, B = 1.2, 0.75  # FTS5's bm25() defaults


def idf(docs: int, hits: int) -> float:
    """FTS5's idf of a term ``hits`` of ``docs`` documents hold, floored at a millionth as FTS5
    floors it (a term in more than half the documents still counts a little)."""
    value = math.log((docs - hits + 0.5) / (hits + 0.5))
    return value if value > 0.0 else 1e-6


def scores(weight: float, tfs: np.ndarray, lengths: np.ndarray, avgdl: float) -> np.ndarray:
    """Each posting's share of its document's score: ``weight`` is its term's idf."""
    tf = tfs.astype(np.float64)
    length = lengths.astype(np.float64)
    return weight * (tf * (K1 + 1.0)) / (tf + K1 * (1 - B + B * length / avgdl))


def best(ids: Sequence[np.ndarray], parts: Sequence[np.ndarray], k: int) -> list[Hit]:
    """The ``k`` documents with the highest summed scores, best first, ties by id: ``ids[i]``
    and ``parts[i]`` are one term's (or one part of a term's) documents and their scores."""
    if not ids or k <= 0:
        return []
    found, where = np.unique(np.concatenate(ids), return_inverse=True)
    summed = np.bincount(where, weights=np.concatenate(parts))
    if len(summed) > k:  # everything tied with the k-th stays in, then ties go by id
        floor = np.partition(summed, len(summed) - k)[len(summed) - k]
        chosen = np.flatnonzero(summed >= floor)
    else:
        chosen = np.arange(len(summed))
    order = chosen[np.lexsort((found[chosen], -summed[chosen]))][:k]
    return [Hit(int(found[i]), float(summed[i])) for i in order]
