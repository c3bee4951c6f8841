"""Questions people really send: a clear refusal or a sensible answer, never a traceback."""

from __future__ import annotations

import pytest

from retrieval import QuestionError

QUESTION = "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟"


@pytest.mark.parametrize(
    "question, code",
    [
        ("", "empty"),
        (" \n\t\u200c ", "empty"),
        ("؟!؟ ... ،", "no_words"),
        ("😀🙏🏽🔥", "no_words"),
        ("\u200f\u202b\u202c", "empty"),
        ("پرسش " * 10_000, "too_long"),
    ],
    ids=["empty", "whitespace-zwnj", "punctuation", "emoji", "only-bidi-marks", "50KB"],
)
def test_unsearchable_questions_are_refused_with_a_reason(demo_engine, question, code):
    with pytest.raises(QuestionError) as err:
        demo_engine.ask(question)
    assert err.value.code == code and str(err.value)


@pytest.mark.parametrize(
    "variant",
    [
        "كدام استان‌ها در طرح كودكان بازمانده از تحصيل پايلوت هستند؟",  # Arabic kaf and yeh
        "\u202bکدام استان‌ها در طرح کودکان\u202c بازمانده از تحصیل پایلوت هستند؟\u200f",  # bidi embedding marks
        "کدام استان‌ها در طرح کودکان\x07 بازمانده از تحصیل\x00 پایلوت هستند؟",  # control characters
        "کُدام اُستان‌ها در طرحِ کودکانِ بازمانده از تحصیل پایلوت هستند؟",  # diacritics
        "کدام استانها در طرح کودکان بازمانده از تحصیل پایلوت هستند?",  # no ZWNJ, Latin question mark
    ],
    ids=["arabic-letters", "bidi", "controls", "diacritics", "no-zwnj"],
)
def test_spelling_and_invisible_variants_get_the_same_answer(demo_engine, variant):
    expected = demo_engine.ask(QUESTION)
    got = demo_engine.ask(variant)
    assert [q.sentence_id for q in got.quotes] == [q.sentence_id for q in expected.quotes]


def test_mixed_persian_and_english_is_answered(demo_engine):
    answer = demo_engine.ask("طرح Bashir یا همان طرح بشیر چه تأثیری بر آمار طلاق داشته است؟")
    assert not answer.abstained and "۵۶ درصدی" in answer.quotes[0].text


def test_an_english_only_question_about_absent_topics_abstains(demo_engine):
    assert demo_engine.ask("What is the weather in London tomorrow?").abstained
