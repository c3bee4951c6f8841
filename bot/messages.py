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
from functools import lru_cache

from telegram.constants import MessageLimit

from bot.texts import (
    ANSWER_HEADER,
    CUT,
    CUT_SHORT,
    FOLLOW_UP_HEADER,
    FOREIGN_NOTE,
    NO_ANSWER,
    NO_ANSWER_ENGLISH,
    READ_AS,
    READ_AS_SHORT,
    READ_ON,
    RLM,
    UNSAID,
    also_ran,
)
from corpus import dates
from corpus.controls import DIRECTION_CONTROLS
from corpus.decoration import shown_title, unquoted
from corpus.normalize import analyze, normalize
from corpus.records import Article
from retrieval.answer.passages import Cited, Passage, agency_beside, arrange
from retrieval.records import PERSIAN, Answer, Quote

MAX_TEXT = MessageLimit.MAX_TEXT_LENGTH
ARTICLE_MESSAGES = 5  # an article read in chat: this many messages at most, the last pointing to the source
TITLE_SHOWN = 200
_WORD = re.compile(r"[\w\u200c]+", re.UNICODE)
_EARLIER_CHARS = 80


_DIRECTION_SET = re.compile(f"[{DIRECTION_CONTROLS}]")
_OPENS_ISOLATE, PDI, RLI = "\u2066\u2067\u2068", "\u2069", "\u2067"


def contained(text: str) -> str:
    """Source text that sets direction itself kept to its own stretch of the line.

    An override the source left open (U+202E, right-to-left override) runs to the end of the
    line: after a title holding one, the agency and the date beside it were drawn reversed,
    «۱۳۹۸» as «۸۹۳۱». Such text is put in a right-to-left isolate, whose end closes whatever the
    text opened; an isolate end with no start in the text (which would end ours early) is left
    out, and so is nothing else. Text without direction controls, nearly all, is as it was."""
    if not _DIRECTION_SET.search(text):
        return text
    lines = []
    for line in text.split("\n"):  # a line break ends every embedding and isolate anyway
        kept, depth = [], 0
        for char in line:
            if char in _OPENS_ISOLATE:
                depth += 1
            elif char == PDI:
                if not depth:
                    continue
                depth -= 1
            kept.append(char)
        lines.append(RLI + "".join(kept) + PDI * (depth + 1) if line else line)
    return "\n".join(lines)


def rtl(text: str) -> str:
    """Every line starts right-to-left, whatever its first character (lines that already do are left alone)."""
    return "\n".join(RLM + line if line and not line.startswith(RLM) else line for line in text.split("\n"))


@lru_cache(maxsize=1 << 16)
def _word_terms(word: str, analyzer: str) -> frozenset[str]:
    """A word's index terms. Remembered: hazm's normalizer per word was a tenth of a busy bot's
    CPU (py-spy under bench/bot_load.py), and news words repeat from answer to answer."""
    return frozenset(analyze(normalize(word), analyzer))  # type: ignore[arg-type]


def bold_matches(text: str, terms: Iterable[str], analyzer: str = "stem") -> str:
    """Escaped HTML of ``text`` with words whose index term is in ``terms`` in <b>…</b>."""
    wanted = set(terms)
    out: list[str] = []
    last = 0
    for m in _WORD.finditer(text):
        word = m.group(0)
        if wanted and _word_terms(word, analyzer) & wanted:
            out.append(html.escape(text[last : m.start()]))
            out.append(f"<b>{html.escape(word)}</b>")
            last = m.end()
    out.append(html.escape(text[last:]))
    return "".join(out)


def citation(
    article_title: str, source: str | None, published: str | None, also: Sequence[str] = (), url: str | None = None
) -> str:
    """One line per source: the title (a link to the article when it has one) · agency · Jalali
    date and how long ago; then the other outlets that ran the same text. An undated article
    shows no date, never an empty field."""
    title = html.escape(contained(short(shown_title(article_title), TITLE_SHOWN)))
    if url:
        title = f'<a href="{html.escape(url, quote=True)}">{title}</a>'
    named = (contained(p) if p else p for p in (agency_beside(article_title, source), dates.shown(published)))
    line = " · ".join([title, *(html.escape(p) for p in named if p)])
    return f"{line} ({html.escape(also_ran(also))})" if also else line


def number(n: int) -> str:
    """A number Pasokh writes itself, in Persian digits."""
    return dates.persian_digits(str(n))


def passage_html(passage: Passage, terms: Sequence[str], analyzer: str = "stem") -> str:
    """A passage escaped, each quoted sentence in «» with its number before it and the
    question's words in bold, and «…» after words whose sentence goes on unshown (a speaker's
    line); the article's text itself is never changed."""
    out, last = [], 0
    for mark in passage.marks:
        out.append(html.escape(contained(unquoted(passage.text[last : mark.start]))))
        quoted = contained(passage.text[mark.start : mark.end])
        out.append(f"[{number(mark.number)}] «{bold_matches(quoted, terms, analyzer)}»")
        last = mark.end
    out.append(html.escape(contained(unquoted(passage.text[last:]))))
    if passage.cut:
        out.append(f" {CUT}")
    return "".join(out)


def cited_block(cited: Cited, terms: Sequence[str], analyzer: str = "stem") -> str:
    """The passages quoted from one article, then its citation."""
    q = cited.quote
    body = "\n".join(passage_html(p, terms, analyzer) for p in cited.passages)
    return rtl(f"{body}\n— <i>{citation(q.title, q.agency, q.published, q.also, q.url)}</i>")


def quote_block(q: Quote, terms: Sequence[str], analyzer: str = "stem") -> str:
    """One quote on its own (an inline result), in the same form as in an answer."""
    return cited_block(arrange([q])[0], terms, analyzer)


def answer_messages(answer: Answer, analyzer: str = "stem", header: bool = True, earlier: str | None = None) -> list[str]:
    """The answer as one or more messages, split between quotes, each within Telegram's limit.

    ``earlier``: the question a follow-up continues, named in the header so the reader knows
    what «کی؟» was asked about.
    """
    read_as = rtl(f"<i>{html.escape(READ_AS.format(read_as=answer.read_as))}</i>") if answer.read_as else None
    if answer.abstained:
        refusal = NO_ANSWER if answer.language == PERSIAN else f"{NO_ANSWER}\n{NO_ANSWER_ENGLISH}"
        return [f"{read_as}\n\n{rtl(html.escape(refusal))}" if read_as else rtl(html.escape(refusal))]
    blocks = [cited_block(c, answer.terms, analyzer) for c in arrange(answer.quotes)]
    if header:
        if earlier:
            short = earlier if len(earlier) <= _EARLIER_CHARS else earlier[: _EARLIER_CHARS - 1] + "…"
            blocks.insert(0, rtl(FOLLOW_UP_HEADER.format(earlier=html.escape(short))))
        else:
            blocks.insert(0, rtl(ANSWER_HEADER))
        if answer.unsaid in UNSAID:  # under the header: the quotes that follow are the nearest, not the answer
            blocks.insert(1, rtl(f"<i>{html.escape(UNSAID[answer.unsaid])}</i>"))
        if answer.language != PERSIAN:
            blocks.insert(0, rtl(f"<i>{html.escape(FOREIGN_NOTE)}</i>"))
        if read_as:
            blocks.insert(0, read_as)
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


def _fit(block: str, limit: int = MAX_TEXT) -> list[str]:
    if visible_length(block) <= limit:
        return [block]
    return pack(block.split("\n"), sep="\n") if "\n" in block else split_html(block, limit)


_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|\s+|[^\s<&]+|[<&]")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")


def split_html(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Telegram HTML cut into pieces of at most ``limit`` visible characters: at spaces where it
    can, inside a long word where it must, never inside a tag or an entity; a tag open at a cut
    is closed there and opened again in the next piece, so every piece is balanced. Text is
    never changed, only divided."""
    if visible_length(text) <= limit:
        return [text]
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    stack: list[tuple[str, str]] = []  # (name, opening tag) of tags open at this point

    def cut() -> None:
        nonlocal current, size
        if size:
            pieces.append("".join(current) + "".join(f"</{name}>" for name, _ in reversed(stack)))
            current, size = [tag for _, tag in stack], 0

    for token in _TOKEN.findall(text):
        if token.startswith("<") and len(token) > 1 and token.endswith(">"):
            name = _TAG_NAME.match(token)
            if name and token.startswith("</"):
                if stack and stack[-1][0] == name.group(1).lower():
                    stack.pop()
            elif name and not token.endswith("/>"):
                stack.append((name.group(1).lower(), token))
            current.append(token)
            continue
        width = 1 if token.startswith("&") and token.endswith(";") else len(token)
        while width > limit:  # a word longer than a whole message
            room = max(1, limit - size)
            current.append(token[:room])
            size += room
            cut()
            token, width = token[room:], width - room
        if size + width > limit:
            cut()
            if token.isspace():
                continue
        current.append(token)
        size += width
    if size or not pieces:
        pieces.append("".join(current) + "".join(f"</{name}>" for name, _ in reversed(stack)))
    return pieces


def fit_messages(text: str) -> list[str]:
    """The one path every outgoing message takes: whatever it holds (a 5,000-character word, URL
    or title), each piece Telegram gets is within its limit and balanced."""
    return pack(text.split("\n\n"))


BUTTON_TITLE = 40


def button_label(title: str) -> str:
    """A title on a button: its first characters, marked as cut."""
    title = shown_title(title)
    return title if len(title) <= BUTTON_TITLE else title[: BUTTON_TITLE - 1] + "…"


def short(text: str, limit: int) -> str:
    """A title or name shown in a list: cut at a word, marked as cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] or text[: limit - 1]
    return cut + "…"


def preview_line(text: str, limit: int) -> str:
    """A quote as an inline result's one-line preview: its lines run together (a speaker's line
    joined to their words, «آکسیوس:» over «به گفته …», would spend the preview's lines on the
    break), without a stray separator, cut at a word. The message sent is the quote itself."""
    return short(" ".join(unquoted(text).split()), limit)


def visible_length(html_text: str) -> int:
    """Length Telegram counts for a message: tags removed, entities decoded."""
    return len(html.unescape(re.sub(r"<[^>]+>", "", html_text)))


def article_messages(article: Article) -> list[str]:
    """An article for reading in chat: title, its facts, link, then the cleaned text in pieces."""
    head = [f"<b>{citation(article.title, article.agency, article.published, url=article.url)}</b>"]
    if article.news_code:
        head.append(f"کد خبر: {html.escape(article.news_code)}")
    paragraphs = [rtl(html.escape(p)) for p in article.text.split("\n\n")]
    pieces: list[str] = []
    for para in paragraphs:
        pieces.extend(split_html(para, MAX_TEXT - len(RLM)))
        if len(pieces) > ARTICLE_MESSAGES * 4:  # enough to fill the messages shown; a 1 MB paragraph stops here
            break
    messages = pack([rtl("\n".join(head)), *(rtl(p) for p in pieces)])
    if len(messages) > ARTICLE_MESSAGES:
        link = f'<a href="{html.escape(article.url, quote=True)}">{html.escape(READ_ON)}</a>' if article.url else ""
        rest = link or html.escape(CUT_SHORT)
        messages = [*messages[: ARTICLE_MESSAGES - 1], rtl(rest)]
    return messages


READING_BUTTON_CHARS = 64  # a button's label is one line; Telegram cuts a longer one on small screens


def reading_label(read_as: str) -> str:
    """How a question typed in Latin letters was read, short enough for the button above inline
    results (inline results have no message of their own to say it in)."""
    room = READING_BUTTON_CHARS - len(READ_AS_SHORT.format(read_as=""))
    shown = read_as if len(read_as) <= room else read_as[: room - 1].rstrip() + "…"
    return READ_AS_SHORT.format(read_as=shown)
