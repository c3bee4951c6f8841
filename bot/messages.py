"""Telegram HTML for answers and articles: escaped, right-to-left, within the 4096-character limit.

Telegram takes a paragraph's direction from its first strong character, so every line
starts with a right-to-left mark; a line that begins with «[1]», a Latin name or a URL
would otherwise flip to left-to-right. Quotes are escaped, never edited: bolding wraps
whole words of the original text in tags and changes no character of it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from telegram.constants import MessageLimit

from bot.texts import ANSWER_HEADER, FOLLOW_UP_HEADER, FOREIGN_NOTE, NO_ANSWER, RLM, also_ran
from corpus import dates
from corpus.normalize import analyze, normalize
from corpus.records import Article
from retrieval.records import PERSIAN, Answer, Quote

MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH
_WORD = re.compile(r"[\w\u200c]+", re.UNICODE)
_EARLIER_CHARS = 80


def rtl(text: str) -> str:
    """Every line starts right-to-left, whatever its first character (lines that already do are left alone)."""
    return "\n".join(RLM + line if line and not line.startswith(RLM) else line for line in text.split("\n"))


def bold_matches(text: str, terms: Iterable[str], analyzer: str = "stem") -> str:
    """Escaped HTML of ``text`` with words whose index term is in ``terms`` in <b>…</b>."""
    wanted = set(terms)
    out: list[str] = []
    last = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        if wanted and set(analyze(normalize(word), analyzer)) & wanted:  # type: ignore[arg-type]
            out.append(html.escape(text[last : m.start()]))
            out.append(f"<b>{html.escape(word)}</b>")
            last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def citation(article_title: str, source: str | None, published: str | None, also: Sequence[str] = ()) -> str:
    """Title · agency · Jalali date (and how long ago), and the other outlets that ran the same text."""
    line = " · ".join(html.escape(p) for p in (article_title, source, dates.shown(published)) if p)
    return f"{line} ({html.escape(also_ran(also))})" if also else line


def quote_block(q: Quote, terms: Sequence[str], analyzer: str = "stem") -> str:
    """One numbered quote: the passage with its best sentence marked, then the source."""
    body = bold_matches(q.text, terms, analyzer)
    if q.context and q.context != q.text and q.text in q.context:
        before, _, after = q.context.partition(q.text)
        body = f"{html.escape(before)}«{body}»{html.escape(after)}"
    else:
        body = f"«{body}»"
    lines = [f"[{q.number}] {body}", f"— <i>{citation(q.title, q.agency, q.published, q.also)}</i>"]
    if q.url:
        lines.append(f'<a href="{html.escape(q.url, quote=True)}">{html.escape(q.url)}</a>')
    return rtl("\n".join(lines))


def answer_messages(answer: Answer, analyzer: str = "stem", header: bool = True, earlier: str | None = None) -> list[str]:
    """The answer as one or more messages, split between quotes, each within Telegram's limit.

    ``earlier``: the question a follow-up continues, named in the header so the reader knows
    what «کی؟» was asked about.
    """
    if answer.abstained:
        return [rtl(html.escape(NO_ANSWER))]
    blocks = [quote_block(q, answer.terms, analyzer) for q in answer.quotes]
    if header:
        if earlier:
            short = earlier if len(earlier) <= _EARLIER_CHARS else earlier[: _EARLIER_CHARS - 1] + "…"
            blocks.insert(0, rtl(FOLLOW_UP_HEADER.format(earlier=html.escape(short))))
        else:
            blocks.insert(0, rtl(ANSWER_HEADER))
        if answer.language != PERSIAN:
            blocks.insert(0, rtl(f"<i>{html.escape(FOREIGN_NOTE)}</i>"))
    return pack(blocks)


def pack(blocks: Sequence[str], sep: str = "\n\n") -> list[str]:
    """Join blocks into messages without splitting a block; a block over the limit is cut at lines."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        for piece in _fit(block):
            candidate = f"{current}{sep}{piece}" if current else piece
            if visible_length(candidate) <= MAX_TEXT:
                current = candidate
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def _fit(block: str) -> list[str]:
    if visible_length(block) <= MAX_TEXT:
        return [block]
    return pack(block.split("\n"), sep="\n") if "\n" in block else [block]


def visible_length(html_text: str) -> int:
    """Length Telegram counts for a message: tags removed, entities decoded."""
    return len(html.unescape(re.sub(r"<[^>]+>", "", html_text)))


def article_messages(article: Article) -> list[str]:
    """An article for reading in chat: title, its facts, link, then the cleaned text in pieces."""
    head = [f"<b>{html.escape(article.title)}</b>"]
    facts = [p for p in (article.agency, dates.shown(article.published)) if p]
    if facts:
        head.append(html.escape(" · ".join(facts)))
    if article.news_code:
        head.append(f"کد خبر: {html.escape(article.news_code)}")
    if article.url:
        head.append(f'<a href="{html.escape(article.url, quote=True)}">{html.escape(article.url)}</a>')
    paragraphs = [rtl(html.escape(p)) for p in article.text.split("\n\n")]
    pieces: list[str] = []
    for para in paragraphs:
        if visible_length(para) <= MAX_TEXT:
            pieces.append(para)
        else:
            pieces.extend(_hard_split(para))
    return pack([rtl("\n".join(head)), *pieces])


def _hard_split(text: str, size: int = MAX_TEXT - 100) -> list[str]:
    """A single paragraph over the limit: cut at spaces, never inside an HTML entity."""
    out = []
    while visible_length(text) > size:
        cut = text.rfind(" ", 0, size)
        if cut <= 0:
            cut = size
        while "&" in text[max(0, cut - 8) : cut] and ";" not in text[text.rfind("&", 0, cut) : cut]:
            cut -= 1
        out.append(text[:cut])
        text = RLM + text[cut:].lstrip()
    out.append(text)
    return out
