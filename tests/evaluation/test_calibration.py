"""The threshold rule calibration uses: the split that classifies most, halfway across its gap."""

from __future__ import annotations

import pytest

from evaluation.calibration import split_threshold


def test_the_threshold_falls_halfway_between_the_classes_not_on_a_question():
    # the lowest accepted cosine 0.77064 once became the threshold, rounded to 0.771: above it, so
    # the question it was fitted on (and one a hair below on another machine) was refused
    accepted, refused = [0.77064, 0.79, 0.80], [0.71, 0.7694]
    threshold = split_threshold(accepted, refused)
    assert 0.7694 < threshold < 0.77064
    assert threshold == pytest.approx((0.7694 + 0.77064) / 2, abs=1e-4)
    assert all(s >= threshold for s in accepted) and all(s < threshold for s in refused)


def test_overlapping_classes_take_the_split_that_classifies_most_then_the_widest_gap():
    accepted, refused = [0.2, 0.6, 0.95], [0.1, 0.5, 0.8]
    # three splits classify 4 of 6 right: 0.1|0.2 and 0.5|0.6 (gaps of 0.1) and 0.8|0.95 (0.15)
    assert split_threshold(accepted, refused) == pytest.approx(0.875)
    # a tie in the gap too: the lower threshold, which refuses less
    assert split_threshold([0.2, 0.6, 0.9], [0.1, 0.5, 0.8]) == pytest.approx(0.15)


def test_a_gap_narrower_than_the_rounding_is_not_rounded_across():
    accepted, refused = [0.770004], [0.770001]
    threshold = split_threshold(accepted, refused)
    assert 0.770001 < threshold < 0.770004


def test_one_class_only_still_gives_a_threshold_that_classifies_it():
    assert split_threshold([0.8, 0.9], []) <= 0.8
    assert split_threshold([], [0.7, 0.75]) > 0.75
    with pytest.raises(ValueError):
        split_threshold([], [])
