"""Colloquial → written Persian: each rule is general, and written words that merely look colloquial are left alone."""

from __future__ import annotations

import pytest

from corpus.informal import formal_word, formalize, present_verb
from corpus.normalize import normalize

Z = "\u200c"


@pytest.mark.parametrize(
    "spoken, written",
    [
        ("میشه", f"می{Z}شود"),  # irregular stem (ش ← شو), third person
        ("میشن", f"می{Z}شوند"),
        ("میگن", f"می{Z}گویند"),  # گ ← گوی
        ("میدن", f"می{Z}دهند"),  # د ← ده
        ("میکنه", f"می{Z}کند"),  # regular stem, ending ـه → ـد
        ("میکنن", f"می{Z}کنند"),  # ـن → ـند
        ("نمیکنین", f"نمی{Z}کنید"),  # negative, second person plural
        ("میتونه", f"می{Z}تواند"),
        ("میرسه", f"می{Z}رسد"),
        ("میاد", f"می{Z}آید"),
    ],
)
def test_present_verbs_get_their_written_stem_and_ending(spoken, written):
    assert formal_word(spoken) == written


@pytest.mark.parametrize("word", ["میزان", "میدان", "میلیون", "میهن", "میانه", "میراث", f"می{Z}شود", "میوه"])
def test_written_words_beginning_with_mi_are_left_alone(word):
    assert formal_word(word) == word


@pytest.mark.parametrize(
    "spoken, written",
    [
        ("کیه", "کیست"),
        ("چیه", "چیست"),
        ("کیا", "چه کسانی"),
        ("کدوم", "کدام"),
        ("چن", "چند"),
        ("چقد", "چقدر"),
        ("واسه", "برای"),
        ("تو", "در"),
        ("رو", "را"),
        ("هستن", "هستند"),
        ("شدن", "شدند"),
        ("اینا", f"این{Z}ها"),
        ("دیگه", "دیگر"),
        ("داره", "دارد"),  # «داشتن»'s present is said without «می»
        ("ندارن", "ندارند"),
    ],
)
def test_colloquial_words(spoken, written):
    assert formal_word(spoken) == written


def test_a_whole_question_keeps_its_punctuation_and_unknown_words():
    assert formalize(normalize("چن تا طرح امضا شدن؟")) == "چند تا طرح امضا شدند؟"
    assert formalize(normalize("مدیرکل بهزیستی اصفهان کیه؟")) == "مدیرکل بهزیستی اصفهان کیست؟"
    assert formalize(normalize("عمق برکه کل گراش چقدره؟")) == "عمق برکه کل گراش چقدر است؟"
    assert formalize(normalize("قد گارد رأس چقده؟")) == "قد گارد رأس چقدر است؟"
    assert formalize(normalize("واسه چی میرن تو تهران")) == f"برای چه می{Z}روند در تهران"


def test_a_stem_the_table_lacks_counts_only_when_offered():
    assert present_verb("میپزه") is None
    assert present_verb("میپزه", extra={"پز": "پز"}) == f"می{Z}پزد"


@pytest.mark.parametrize(
    "spoken",
    ["پرسپولیس با السد چند چند شد؟", "پرسپولیس و السد چن چن شدن؟", "بازی پرسپولیس و السد چند-چند تموم شد؟"],
)
def test_a_score_asked_the_spoken_way_is_asked_as_reports_write_it(spoken):
    """«چند چند شد؟» asks a match's score; reports write «با نتیجه ۲ بر صفر». «چند تا» stays a count."""
    assert f"با چه نتیجه{Z}ای" in formalize(normalize(spoken))
    assert formalize(normalize("چند تا گل زد؟")) == "چند تا گل زد؟"
