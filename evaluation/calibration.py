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


def classified(threshold: float, accepted: Sequence[float], refused: Sequence[float]) -> int:
    """How many scores ``threshold`` puts on their own side: accepted at or above, refused below."""
    return sum(s >= threshold for s in accepted) + sum(s < threshold for s in refused)


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
    # the splits as (below, above, the gap a tie is broken by): between each neighbouring pair, and
    # below and above everything, OUTER_MARGIN beyond the last score (a score on one side only: no gap)
    splits = [(lo, hi, hi - lo) for lo, hi in itertools.pairwise(scores)]
    splits += [(scores[0] - 2 * OUTER_MARGIN, scores[0], 0.0), (scores[-1], scores[-1] + 2 * OUTER_MARGIN, 0.0)]

    def merit(split: tuple[float, float, float]) -> tuple[int, float, float]:
        """(scores classified right, the gap's width, the lower threshold first)."""
        threshold = (split[0] + split[1]) / 2
        return classified(threshold, accepted, refused), split[2], -threshold

    low, high, _ = max(splits, key=merit)
    chosen = (low + high) / 2
    rounded = round(chosen, digits)
    return rounded if low < rounded < high else chosen
