"""The stemmer behind every lexical term: an ending comes off only when a word is left."""

from __future__ import annotations

import pytest

from corpus.normalize import normalize, term, words
from retrieval import ingest


def terms(text: str) -> list[str]:
    """Each word's term, stopwords too («بزرگ» is one of hazm's)."""
    return [term(w) for w in words(normalize(text))]


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("تهران", "تهر"),
        ("کرمان", "کرم"),
        ("سازمان", "ساز"),
        ("درمان", "درما"),
        ("باران", "بار"),
        ("مردم", "مرد"),
        ("آموزش", "آموز"),
    ],
)
def test_a_word_on_the_list_is_not_cut_into_a_shorter_one(name, other):
    """hazm's stemmer took «ان», «م» or «ش» off whatever ended in it: «سازمان» met «ساز» (a
    musical instrument) under one term, «باران» met «بار», «مردم» met «مرد»."""
    assert terms(name) == [name.replace("\u200c", "")]
    assert terms(name) != terms(other)


@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("ایران", "ایرانی"),  # hazm: «ایر» and «ایران», which never met
        ("ایران", "ایرانیان"),
        ("آموزش", "آموزشی"),  # hazm: «آموز» and «آموزش»
        ("کتاب", "کتاب‌هایشان"),
        ("جانور", "جانورانی"),  # hazm: «جانور» and «جانوران»
        ("دانشجو", "دانشجویانم"),
        ("رزمنده", "رزمندگان"),  # hazm: «رزمنده» and «رزمندگ»
        ("بزرگ", "بزرگترین"),
        ("بزرگ‌ترین", "بزرگترین"),
        ("خانه", "خانه‌ای"),
        ("دریا", "دریای"),  # «دری» is a word too: the longest word left is the stem
        ("زندگی", "زندگیم"),  # hazm: «زندگ» and «زندگ», right by luck
        ("حیوان", "حیوانات"),  # a plural hazm lists and counts as a word, tagged plural: hazm «حیو»
        ("خاطره", "خاطرات"),  # hazm: «خاطره» and «خاطر»
        ("مذاکره", "مذاکرات"),
    ],
)
def test_a_word_and_its_inflected_forms_share_a_term(word, form):
    assert terms(word) == terms(form)


@pytest.mark.parametrize("word", ["مولاوردی", "زلنسکی", "فاویسم", "رفتم", "بهترین", "نمی‌دانم"])
def test_a_word_that_is_no_listed_word_plus_an_ending_is_left_whole(word):
    """A name is not a stem and an ending («مولاوردی» is no «مولاورد» + «ی»), a past verb's «ت» is
    no possessive under a person ending («رفتم» is not «رف» + «ت» + «م»), and «بهترین» no form of
    the preposition «به»."""
    assert terms(word) == [word.replace("\u200c", "")]


def test_an_ending_the_writer_set_apart_comes_off_even_from_an_unlisted_word():
    assert terms("زلنسکی‌ها") == terms("زلنسکی")


def test_a_question_finds_the_sentence_that_writes_its_word_in_another_form(fresh_engine, tmp_path):
    """User-visible: asked in lexical mode what «ایرانی‌ها» did, the answer is the sentence about
    «تیم ملی ایران». Under hazm's stemmer the question's term was «ایرانی» and the sentence's
    «ایر», so the question had no word in the corpus and was refused."""
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "match.txt").write_text(
        "گزارش دیدار دیروز\n\nمهدی طارمی برای تیم ملی ایران در دقیقه ۸۰ گل دوم را زد.\n\nورزشگاه پر از تماشاگر بود.",
        encoding="utf-8",
    )
    (folder / "other.txt").write_text("گزارش نشست شورا\n\nشورای شهر بودجه سال آینده را بررسی کرد.", encoding="utf-8")
    engine = fresh_engine()
    assert ingest(engine, [folder]).ok
    answer = engine.ask("ایرانی‌ها چه کردند؟", mode="lexical")
    assert not answer.abstained, answer.reason
    assert "طارمی" in answer.quotes[0].text
