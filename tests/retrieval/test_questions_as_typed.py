"""Questions as people type them in Telegram, against the real demo index: colloquial, misspelled, English."""

from __future__ import annotations

import json

import pytest

from app import render
from tests.app.test_cli import run
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"


@pytest.mark.parametrize("spacing", ["می شود", "میشود", "می\u200cشود", "میشه"])
def test_spacing_zwnj_and_colloquial_verbs_find_the_same_sentence(demo_engine, spacing):
    answer = demo_engine.ask(f"اطلس اجتماعی خوزستان کی ارائه {spacing}؟")
    assert not answer.abstained
    assert "تا یک ماه آینده" in answer.quotes[0].shown


@pytest.mark.parametrize(
    "spoken, written",
    [
        ("کدوم استانا تو طرح کودکای بازمانده از تحصیل پایلوتن؟", "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟"),
        ("طرح بشیر طلاقارو چقد کم کرده؟", "طرح بشیر طلاق‌ها را چقدر کاهش داده است؟"),
        ("بهزیسی کرمان چن تا طرح پیشگیری تدوین کرده؟", "بهزیستی کرمان چند طرح پیشگیری تدوین کرده است؟"),
        ("مدیرکل بهزیستی اصفهان کیه؟", "مدیرکل بهزیستی اصفهان کیست؟"),
    ],
)
def test_a_colloquial_question_gets_the_answer_its_written_form_gets(demo_engine, spoken, written):
    said, wrote = demo_engine.ask(spoken), demo_engine.ask(written)
    assert not said.abstained and not wrote.abstained
    assert said.quotes[0].article_id == wrote.quotes[0].article_id
    assert said.quotes[0].text == wrote.quotes[0].text


def test_an_english_question_is_answered_from_persian_sources_verbatim_with_a_note(demo_engine):
    answer = demo_engine.ask("Which provinces are pilots in the plan for out-of-school children?")
    assert not answer.abstained and answer.language == "other"
    best = answer.quotes[0]
    assert "خوزستان، تهران، کرمان، سیستان و بلوچستان" in best.shown
    article = demo_engine.article(best.article_id)
    assert article is not None and best.text in article.text and best.context in article.text
    shown = render.to_terminal(answer)
    assert "منبع‌ها فارسی‌اند" in shown and shown.index("منبع‌ها") < shown.index("[۱]")


@pytest.mark.parametrize("question", ["What is the price of gold today?", "Who won the football match last night?"])
def test_an_off_topic_english_question_is_refused(demo_engine, question):
    answer = demo_engine.ask(question)
    assert answer.abstained and answer.quotes == ()


def test_the_telegram_sets_hold_their_targets_through_pasokh_eval(tmp_path):
    """The figures docs/evaluation.md reports for the demo corpus, as a regression guard."""
    sets = ["telegram_colloquial", "telegram_formal", "telegram_english", "telegram_off_topic", "telegram_finglish"]
    result = run("eval", *(str(DATA / f"{name}.jsonl") for name in sets), "--json", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    m = {r["dataset"]: r["metrics"] for r in json.loads(result.stdout)}
    assert m["telegram_colloquial"]["questions"] >= 60 and m["telegram_english"]["questions"] >= 10
    assert m["telegram_off_topic"]["questions"] >= 20
    for metric in ("article_hit@1", "answer_in_passage@3"):
        assert m["telegram_formal"][metric] - m["telegram_colloquial"][metric] <= 0.05 + 1e-9, metric  # 3 of 60
    assert m["telegram_english"]["article_hit@1"] >= 0.8
    assert m["telegram_off_topic"]["abstain_off_topic"] >= 0.95
    # Persian typed in Latin letters: read back, it is answered about as well as typed in Persian
    assert m["telegram_finglish"]["questions"] >= 45
    assert m["telegram_finglish"]["article_hit@1"] >= 0.9 and m["telegram_finglish"]["answer_in_passage@3"] >= 0.85
    assert m["telegram_finglish"]["abstain_off_topic"] >= 0.95 and m["telegram_finglish"]["false_abstain_answerable"] <= 0.05
    for name in ("telegram_colloquial", "telegram_formal"):
        assert m[name]["false_abstain_answerable"] <= 0.02, f"{name}: answerable questions refused"


@pytest.mark.parametrize("question", ["چند طرح امضا شدند؟", "چن تا طرح امضا شدن؟"])
def test_a_short_count_question_is_answered_when_the_passage_holds_the_count(demo_engine, question):
    """The text says «چهار طرح … به امضاء رسیده»: few of the question's words, but its names
    («طرح», «امضا» with its hamza left out) and a number are there, so it is no reason to refuse."""
    answer = demo_engine.ask(question)
    assert not answer.abstained, answer.reason
    assert "چهار طرح" in answer.quotes[0].text
