"""Persian typed in Latin letters («Finglish»), as many people in Iran still type on Telegram:
told from English, read back into Persian script by what the corpus knows, and answered as the
Persian question it is."""

from __future__ import annotations

import pytest

from app import render
from retrieval.query import finglish
from retrieval.query.finglish import looks_finglish, read_word, reading

LEXICON = finglish.frequencies()


def nothing(words):
    return {}


@pytest.mark.parametrize(
    ("text", "persian"),
    [
        ("chand ta tarh emza shodan?", True),
        ("kodum ostanha too tarhe koodakan bazmande az tahsil pilot hastan?", True),
        ("salam", True),
        ("Which provinces are pilots in the plan for out-of-school children?", False),
        ("Who won the football match last night?", False),
        ("What is in the news today?", False),  # «in» is Persian's «این» too: it counts for neither
        ("قیمت دلار چنده؟", False),  # already Persian
    ],
)
def test_persian_typed_in_latin_letters_is_told_from_english(text, persian):
    assert looks_finglish(text) is persian


def test_the_corpus_decides_between_spellings_a_word_may_have():
    """«tahsil» may be تحصیل، طحسیل، تهسیل…: the corpus's spelling is taken; without one,
    Persian at large decides; a name no list holds gets its likeliest spelling, as unknown."""
    assert read_word("tahsil", lambda ws: {w: 7 for w in ws if w == "تحصیل"}, LEXICON) == ("تحصیل", True)
    assert read_word("tahsil", nothing, LEXICON) == ("تحصیل", True)
    assert read_word("kordoni", lambda ws: {w: 2 for w in ws if w == "کردونی"}, LEXICON) == ("کردونی", True)
    word, known = read_word("zarvandi", nothing, LEXICON)
    assert not known and finglish._PERSIAN.fullmatch(word[0]) and len(word) >= 5


@pytest.mark.parametrize(
    ("word", "persian"),
    [
        ("tarhe", "طرح"),  # an ezafe
        ("shooraye", "شورای"),  # an ezafe after a vowel, written «ی»
        ("ostanha", "استانها"),
        ("ejtemaei", "اجتماعی"),  # «ع» written as a vowel
        ("moavene", "معاون"),
        ("bekhatere", "به خاطر"),  # a preposition run into its word
        ("zaman", "زمان"),  # hazm lists it twice, once uncounted: it was read «ضمن»
        ("abmive", "آبمیوه"),  # likewise: it was read without its madda
        ("chetore", "چطوره"),
        ("dasht", "داشت"),  # a verb whose likeliest spelling is another word (دشت)
    ],
)
def test_words_read_back_as_persian_writes_them(word, persian):
    assert read_word(word, nothing, LEXICON) == (persian, True)


def test_english_content_words_are_not_taken_for_persian():
    """Many an English word spells some Persian one («oil»: اویل): a question without either
    language's small words is Persian only if every word of it reads as a known Persian word."""
    assert reading("gheymat dolar?", nothing, LEXICON) == "قیمت دلار؟"
    assert reading("Iran oil exports", nothing, LEXICON) is None
    assert reading("What is the oil price?", nothing, LEXICON) is None


def test_a_finglish_question_gets_the_answer_its_persian_gets_and_says_how_it_was_read(demo_engine):
    typed, written = demo_engine.ask("chand ta tarh emza shodan?"), demo_engine.ask("چند تا طرح امضا شدند؟")
    assert not typed.abstained and not written.abstained
    assert typed.language == "fa" and typed.read_as == "چند تا طرح امضا شدند؟"
    assert typed.quotes[0].text == written.quotes[0].text
    assert "چهار طرح" in typed.quotes[0].text
    shown = render.to_terminal(typed)
    assert "این‌طور خواندم: «چند تا طرح امضا شدند؟»" in shown and shown.index("خواندم") < shown.index("[۱]")
    assert render.to_json(typed).count("read_as") == 1


@pytest.mark.parametrize("question", ["gheymate dolar emrooz chande?", "salam khubi?", "havaye farda tehran chetore?"])
def test_an_off_topic_finglish_question_is_refused_not_answered_with_anything(demo_engine, question):
    """Searched as a foreign language it was answered with quotes about nothing it asked."""
    answer = demo_engine.ask(question)
    assert answer.abstained and answer.quotes == () and answer.read_as


def test_persian_words_beside_finglish_ones_stay_as_they_are():
    assert reading("قیمت dolar emrooz?", nothing, LEXICON) == "قیمت دلار امروز؟"


def test_a_persian_question_naming_things_in_latin_letters_is_a_persian_question(demo_engine):
    """«iPhone 15 Pro Max قیمت»: more Latin letters than Persian, but only a Persian speaker
    writes it; asked as a foreign question it was answered with a quote about nothing it asked."""
    answer = demo_engine.ask("iPhone 15 Pro Max قیمت")
    assert answer.language == "fa" and answer.abstained
    english = demo_engine.ask("Which provinces are pilots in the plan for out-of-school children?")
    assert english.language == "other" and not english.abstained
