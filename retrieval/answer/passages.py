"""An answer's quotes arranged for reading: one passage per stretch of an article, each quoted
sentence marked where it stands, so no sentence is shown twice however many of its neighbours
are quoted; and one citation per article. A pure function of the quotes, used by the bot and
the terminal alike."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from corpus.metadata import dateline_end
from corpus.split import is_lead_in
from retrieval.records import Quote


@dataclass(frozen=True)
class Mark:
    """Quote ``number`` stands at ``start:end`` of its passage's text."""

    number: int
    start: int
    end: int


@dataclass(frozen=True)
class Passage:
    text: str  # a verbatim slice of the article
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Cited:
    """The passages quoted from one article, in the article's order, and what to cite it by."""

    quote: Quote  # the best-ranked quote of the article: its title, agency, date, link, other outlets
    passages: tuple[Passage, ...]


def arrange(quotes: tuple[Quote, ...] | list[Quote], with_context: bool = True) -> list[Cited]:
    """Articles in the order of their best quote; within one, passages in text order, merged
    where their stretches overlap or touch."""
    by_article: dict[str, list[Quote]] = {}
    for quote in quotes:
        by_article.setdefault(quote.article_id, []).append(quote)
    return [Cited(group[0], tuple(_passages(group, with_context))) for group in by_article.values()]


def _span(q: Quote, with_context: bool) -> tuple[int, str, int]:
    """(where the shown stretch starts in the article, its text, where the quote starts in it)."""
    if with_context and q.context and q.context_start >= 0 and q.start >= q.context_start:
        return q.context_start, q.context, q.start - q.context_start
    if with_context and q.context and q.text in q.context:  # offsets unknown: one passage per quote
        return -1, q.context, q.context.index(q.text)
    return (q.start if q.start >= 0 else -1), q.text, 0


def _passages(group: list[Quote], with_context: bool) -> list[Passage]:
    spans = sorted(((*_span(q, with_context), q) for q in group), key=lambda s: (s[0] < 0, s[0], s[3].number))
    out: list[tuple[int, str, list[Mark]]] = []
    for start, text, at, q in spans:
        mark = (q.number, at + opening_decoration(q.text), at + len(q.text))
        if out and start >= 0 and out[-1][0] >= 0 and start <= out[-1][0] + len(out[-1][1]):
            begin, joined, marks = out[-1]
            end = begin + len(joined)
            joined += text[end - start :] if start + len(text) > end else ""
            out[-1] = (begin, joined, [*marks, Mark(mark[0], start - begin + mark[1], start - begin + mark[2])])
        else:
            out.append((start, text, [Mark(*mark)]))
    return [Passage(text, tuple(sorted(marks, key=lambda m: m.start))) for _, text, marks in out]


_BULLETS = frozenset("•▪▫◾◽►▶◀▸◂●○◆◇■□★☆✓✔✅❌➖➕➡⬅|")
_DASHES = frozenset("-–—*")  # a list's dash only before a space: «-۲۰ درجه» is a number
# a separator left at a line's start when a tag's line broke before it («#فوری» / «؛پلیس …»): no
# sentence opens with one
_STRAY_SEPARATORS = frozenset("؛:：،;,")


# a channel's tag as the label of what follows: «#فکت؛ …», «#فوری | …», «#اقتصادی: …»
_TAG_LABEL = re.compile(r"#[\w\u200c]+\s*(?:[؛;:|｜]|[-–—](?=\s))\s*")
# the word a channel marks a post's urgency or kind with, before a slash, bar or colon: «فوری/انفجار
# در …», «فووووووری/…» (drawn out), «خبر فوری | …», «عاجل: …», «تکمیلی/ …»
_KIND_LABEL = re.compile(r"(?:خبر\s*)?(?:ف+و+ر+ی+|عاجل|مهم|تکمیلی|اختصاصی)\s*[/|｜:：؛\-–—]\s*")
# the line a sentence opens with, up to its line break and the space after it
_FIRST_LINE = re.compile(r"([^\n]+)\n\s*")


def opening_decoration(text: str) -> int:
    """How many characters open ``text`` before its words: the emoji and bullets channels put
    before a post's lines («🔻», «📌», «🔴», «- »), with their spaces and variation selectors, the
    separator a tag's line left at the next line's start («#فوری» / «؛پلیس …»), a tag
    or word that labels the line («#فکت؛ », «#فوری | », «فوری/»), and the line that says who
    speaks («آکسیوس:», which the splitter joins to the words it introduces), or an agency's
    dateline («تهران- ایرنا- », «تهران (پانا) - »). A front end shows them before the
    quotation marks, not inside: what stands between «» is still a slice of the source's text,
    from its first word, and a speaker's name is not put in their mouth. A tag the sentence reads
    on with («#ایران قهرمان شد») is one of its words."""
    i = 0
    while i < len(text):
        if (
            text[i] in _BULLETS
            or text[i] in _STRAY_SEPARATORS
            or text[i].isspace()
            or unicodedata.category(text[i]) in ("So", "Sk", "Mn", "Cf")
            or (text[i] in _DASHES and text[i + 1 : i + 2].isspace())
        ):
            i += 1
        elif label := _TAG_LABEL.match(text, i) or _KIND_LABEL.match(text, i):
            i = label.end()
        elif (line := _FIRST_LINE.match(text, i)) and is_lead_in(line.group(1)):
            i = line.end()
        elif i == 0 and (dateline := dateline_end(text)):
            i = dateline
        else:
            break
    return i if i < len(text) else 0


_STRAY_AT_LINE_START = re.compile(rf"(?m)^([ \t\u200f]*)[{re.escape(''.join(sorted(_STRAY_SEPARATORS)))}]+[ \t]*")


def unquoted(text: str) -> str:
    """Text of a passage outside its quotes as a front end shows it: without the separator a
    tag's line left at a line's start («؛» of «#فوری» / «؛پلیس …»), a mark with no words that
    would stick to the quote's number («؛[۱]»)."""
    return _STRAY_AT_LINE_START.sub(r"\1", text)


def shown_title(title: str) -> str:
    """A title as front ends show it: from its first word, without the emoji or bullet a
    channel's post opens with («🔻«برای دوستان …»»); still a slice of what the source wrote."""
    return title[opening_decoration(title) :] or title


def agency_beside(title: str, agency: str | None) -> str | None:
    """The agency a citation names after the title; none when the title is the agency's own
    name (a channel's post with no headline is titled by its channel), so a reader does not
    read «خبر فوری · خبر فوری»."""
    return None if agency and agency == shown_title(title) else agency
