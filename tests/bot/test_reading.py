"""What the reader sees, as the Bot API stand-in receives it and as the terminal prints it: no
sentence twice in one answer, every number on a quoted sentence, no raw URL as link text, and
no Latin digit in Pasokh's own words (the articles keep theirs)."""

from __future__ import annotations

import re

import pytest

from app import render
from tests.bot.harness import ask
from tests.bot.standin import plain_text
from tests.conftest import seed_questions

ADJACENT = "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟"  # its best quotes are neighbours
QUESTIONS = [ADJACENT, *(q["question"] for q in seed_questions()[:6])]
LINK = re.compile(r'<a href="([^"]*)">(.*?)</a>')


def source_texts(engine) -> list[str]:
    """Everything the articles themselves wrote: sentences, titles, agencies; longest first."""
    texts = set()
    for article in engine.iter_articles():
        texts.update(s.text for s in engine.storage.documents.sentences_of(article.id))
        texts.update(t for t in (article.title, article.agency, article.published) if t)
    return sorted(texts, key=len, reverse=True)


def check_reading(shown: str, engine) -> None:
    passages = "\n".join(line for line in shown.split("\n") if not line.lstrip("\u200f ").startswith("—"))  # not citations
    for sentence in (s for s in source_texts(engine) if len(s) > 25):
        assert passages.count(sentence) <= 1, f"shown twice: {sentence[:60]}"
    for number in re.finditer(r"\[[^\]]*\]", shown):
        where = shown[number.start() : number.end() + 10]
        assert shown[number.end() : number.end() + 2] == " «", f"a number not on a quote: {where}"
    own = shown
    for text in source_texts(engine):
        own = own.replace(text, "")
    assert not re.search(r"[0-9]", own), f"Latin digits in Pasokh's own words: {re.findall(r'.{0,20}[0-9].{0,20}', own)[:3]}"


@pytest.mark.parametrize("question", QUESTIONS)
def test_an_answer_in_telegram_reads_cleanly(open_bot, demo_engine, question):
    standin, _ = open_bot
    replies = ask(standin, question)
    html_text = "\n".join(r.params["text"] for r in replies)
    for href, text in LINK.findall(html_text):
        assert not text.startswith("http") and text != href, f"raw URL as link text: {text[:60]}"
    check_reading(plain_text(html_text), demo_engine)


def test_quotes_from_one_stretch_of_an_article_are_one_passage(open_bot, demo_engine):
    standin, _ = open_bot
    shown = plain_text(ask(standin, ADJACENT)[0].params["text"])
    numbers = re.findall(r"\[([۰-۹]+)\] «", shown)
    assert len(numbers) >= 2 and shown.count("— ") == len(set(q.article_id for q in demo_engine.ask(ADJACENT).quotes))


@pytest.mark.parametrize("question", QUESTIONS)
def test_the_terminal_follows_the_same_rules(demo_engine, question):
    answer = demo_engine.ask(question)
    check_reading(render.to_terminal(answer, show_context=True), demo_engine)
    check_reading(render.to_terminal(answer), demo_engine)


def test_a_quote_that_opens_with_ke_is_shown_under_the_sentence_it_completes(open_bot, demo_engine):
    """The README's example: the source broke a line inside «… بیش از 11 طرح … نموده است» /
    «که چهار طرح اصلی … به امضاء رسیده», and the sentence before it is longer than a neighbour
    shown as context may be. Shown alone, the clause had no subject, and sat under the quote of
    another speaker's words as though it went on from them."""
    standin, _ = open_bot
    shown = plain_text(ask(standin, "چن تا طرح امضا شدن؟")[0].params["text"])
    clause = re.search(r"\[[۰-۹]+\] «که چهار طرح", shown)
    assert clause, shown
    above = shown[: clause.start()].rstrip("\u200f \n").split("\n")[-1]  # the line just above it
    # that sentence, shown as its context or quoted itself (when it ranks among the quotes)
    assert above.rstrip("»").endswith("آسیب اجتماعی نموده است") and "بیش از 11 طرح" in above
    check_reading(shown, demo_engine)
