"""Choosing a threshold from labelled scores: a pure function, so the rule is tested on its own.

``bench/calibrate_abstention.py`` uses it for the cosine below which a question in another language
is refused. Its calibration set is small (twenty questions), so where the threshold falls between
two neighbouring scores matters as much as which pair it falls between.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

OUTER_MARGIN = 0.005
"""How far beyond the lowest (or highest) score a threshold goes when every score is on one side."""


def split_threshold(accepted: Sequence[float], refused: Sequence[float], digits: int = 4) -> float:
    """The score at and above which answers are given: the split that classifies the most scores
    right (``accepted`` at or above it, ``refused`` below), among those the one with the widest gap
    between its two neighbouring scores, placed halfway across that gap.

    Halfway is the point: a threshold equal to the lowest accepted score (what this replaced),
    once rounded for the config, could land above it and refuse the very question it was fitted
    on, and any other machine's arithmetic moves a score by a few ten-thousandths. The result is
    rounded to ``digits`` only when that keeps it strictly inside the gap.
    """
    if not accepted and not refused:
        raise ValueError("no scores to choose a threshold from")
    scores = sorted({*accepted, *refused})
    # the splits: below everything, between each neighbouring pair, above everything (an outer
    # split has a score on one side only: it lies OUTER_MARGIN beyond it and wins no tie by its gap)
    inner = list(itertools.pairwise(scores))
    edges = [(scores[0] - 2 * OUTER_MARGIN, scores[0]), *inner, (scores[-1], scores[-1] + 2 * OUTER_MARGIN)]

    def merit(edge: tuple[float, float]) -> tuple[int, float, float]:
        """(scores classified right, the gap's width, the lower threshold first) of a split."""
        below, above = edge
        threshold = (below + above) / 2
        right = sum(s >= threshold for s in accepted) + sum(s < threshold for s in refused)
        return right, (above - below) if edge in inner else 0.0, -threshold

    low, high = max(edges, key=merit)
    chosen = (low + high) / 2
    rounded = round(chosen, digits)
    return rounded if low < rounded < high else chosen
