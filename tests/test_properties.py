"""Property-based tests of the edges: whatever a user types, an article holds or a file says,
nothing breaks an answer (hypothesis generates the inputs; each property must hold for all)."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.terminal import one_line, shown
from bot.messages import answer_messages, article_messages, fit_messages, rtl
from corpus import dates
from corpus.decoration import opening_decoration, unquoted
from corpus.errors import InputFileError, SkippedFile
from corpus.prepare import prepare
from corpus.read import RawArticle, read_jsonl
from corpus.records import Article
from retrieval import QuestionError
from retrieval.records import Answer, Quote
from retrieval.store.backends.sqlite.store import Store
from tests.app.test_operator_output import ACTS
from tests.bot.standin import MAX_TEXT, plain_text, visible_length

PERSIAN = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF)
ANY_TEXT = st.text(st.one_of(PERSIAN, st.characters()), max_size=300)
SOME = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@SOME
@given(question=st.one_of(ANY_TEXT, st.text(PERSIAN, min_size=1, max_size=2000)))
def test_any_question_gets_an_answer_or_a_refusal(demo_engine, question):
    try:
        answer = demo_engine.ask(question)
    except QuestionError:
        return
    assert answer.abstained or answer.quotes
    for quote in answer.quotes:
        article = demo_engine.article(quote.article_id)
        assert quote.text in article.text, "every quote is a slice of its article"


@SOME
@given(lines=st.lists(st.one_of(st.binary(max_size=200), ANY_TEXT.map(lambda s: s.encode("utf-8", "surrogatepass"))), max_size=8))
def test_any_jsonl_file_yields_articles_or_errors_never_raises(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("jsonl") / "feed.jsonl"
    good = json.dumps({"id": "ok", "title": "خبر", "text": "متن خبر درست است."}, ensure_ascii=False).encode()
    path.write_bytes(b"\n".join([*lines, good]))
    items = list(read_jsonl(path))
    assert all(isinstance(i, RawArticle | InputFileError) for i in items)
    assert any(isinstance(i, RawArticle) and i.id == "ok" for i in items), "a good line is never lost"


TAGS = re.compile(r"</?(b|i|a)\b[^>]*>")


def _balanced(html_text: str) -> bool:
    stack = []
    for m in TAGS.finditer(html_text):
        if m.group(0).startswith("</"):
            if not stack or stack.pop() != m.group(1):
                return False
        else:
            stack.append(m.group(1))
    return not stack


@SOME
@given(text=st.text(min_size=1, max_size=9000), title=ANY_TEXT, url=st.one_of(st.none(), st.text(max_size=6000)))
def test_any_quote_title_and_url_render_within_telegrams_limits_keeping_every_character(text, title, url):
    text = text.strip() or "متن"
    quote = Quote(1, text, "a", title or "تیتر", "ایسنا", None, url and "https://e.org/" + url, 1.0, 1, 0, text)
    pieces = [p for m in answer_messages(Answer("پرسش", False, (quote,), terms=())) for p in fit_messages(rtl(m))]
    for piece in pieces:
        assert 0 < visible_length(piece, "HTML") <= MAX_TEXT  # the stand-in parses it as Telegram would
        assert _balanced(piece)
    shown = squeeze_out("".join(plain_text(p) for p in pieces))
    lead = opening_decoration(text)  # a bullet or emoji opening the line stands before the «» (and is shown)
    # but for a separator a tag's line left at the line's start, with no word of its own («؛», «,»)
    assert squeeze_out(text[lead:]) in shown and squeeze_out(unquoted(text[:lead])) in shown, "every character is shown"


def squeeze_out(text: str) -> str:
    return re.sub(r"[\s\u200f]+", "", text)


@SOME
@given(text=st.text(min_size=1, max_size=20000), title=st.text(min_size=1, max_size=6000))
def test_any_article_reads_in_a_few_valid_messages(text, title):
    pieces = article_messages(Article("a", title, text.strip() or "متن", agency="ایسنا", url="https://e.org/x"))
    assert 1 <= len(pieces) <= 5
    assert all(0 < visible_length(p, "HTML") <= MAX_TEXT and _balanced(p) for p in pieces)


@SOME
@given(value=st.one_of(st.text(max_size=80), st.datetimes(timezones=st.just(UTC)).map(lambda d: d.isoformat())))
def test_any_date_string_is_shown_or_left_out_never_raises(value):
    when = dates.parse(value)
    assert when is None or dates.EARLIEST <= when <= dates.LATEST
    dates.shown(value, now=datetime(2026, 11, 30, tzinfo=UTC))


@SOME
@given(
    text=st.text(st.one_of(PERSIAN, st.characters(), st.sampled_from(" \n\u200c\t.؟!")), min_size=1, max_size=3000),
    lead=st.sampled_from(["", "  ", "\u200c"]),
)
def test_any_article_text_reads_back_from_the_store_character_for_character(tmp_path_factory, text, lead):
    """The store keeps an article's text once, as its sentences and the gaps between them; what
    reads back is what was written, for any text the splitter is given (and a text the sentences
    do not spell, here a lead before the first sentence, is kept whole)."""
    try:
        prepared = prepare(RawArticle(id="a", text=text, origin="a.txt", title="t"))
    except SkippedFile:
        return
    if lead:
        shift = len(lead)
        prepared = dataclasses.replace(
            prepared,
            article=dataclasses.replace(prepared.article, text=lead + prepared.article.text),
            sentences=tuple(dataclasses.replace(s, start=s.start + shift, end=s.end + shift) for s in prepared.sentences),
        )
    store = Store(tmp_path_factory.mktemp("store") / "pasokh.sqlite3")
    with store.transaction() as conn:
        store.write_article(conn, prepared)
    assert store.article("a") == prepared.article
    assert store.articles() == [prepared.article]
    assert [s.text for s in store.sentences_of("a")] == [s.text for s in prepared.sentences]
    kept = store.conn.execute("SELECT text FROM articles").fetchone()[0]
    # a lead (added here, or characters the splitter leaves before the first sentence, as a
    # control character) is in no sentence, so only the whole text keeps it
    leads = prepared.sentences[0].start > 0
    assert kept == (prepared.article.text if leads else ""), "kept once when the sentences spell it, whole when they do not"
    store.close()


@SOME
@given(value=st.recursive(st.one_of(ANY_TEXT, st.integers()), lambda inner: st.lists(inner, max_size=4), max_leaves=6))
def test_any_json_an_operator_is_shown_reads_back_as_it_was_and_codes_in_it_never_act(value):
    """`--json` output and JSON log lines go through the same escaping as text: for any value,
    what is written parses back to the same value, and holds nothing a terminal acts on."""
    printed = shown(json.dumps(value, ensure_ascii=False, indent=2))  # `--json`: indented, its lines kept
    logged = one_line(json.dumps(value, ensure_ascii=False))  # a JSON log line
    assert json.loads(printed) == value and json.loads(logged) == value
    assert not ACTS.search(printed) and not ACTS.search(logged)


@SOME
@given(text=ANY_TEXT)
def test_any_text_an_operator_is_shown_is_one_line_of_characters_that_show_as_themselves(text):
    line = one_line(text)
    assert len(line.splitlines()) <= 1 and not ACTS.search(line)
    assert one_line(line) == line, "escaping twice changes nothing: a record through two handlers reads the same"
    kept = {c for c in text if not ACTS.search(c) and c not in "\t\n"}
    assert kept <= set(line), "every character that shows is shown, ZWNJ and Persian letters included"
