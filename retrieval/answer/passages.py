"""An answer's quotes arranged for reading: one passage per stretch of an article, each quoted
sentence marked where it stands, so no sentence is shown twice however many of its neighbours
are quoted; the words that name a quoted «وی»'s speaker, when the quote's own passage does not
(:mod:`retrieval.answer.speaker`), as a passage before it; and one citation per article. A pure
function of the quotes, used by the bot and the terminal alike."""

from __future__ import annotations

from dataclasses import dataclass

from corpus.decoration import opening_decoration, shown_title
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
    marks: tuple[Mark, ...]  # none in the words that name a «وی»'s speaker
    cut: bool = False  # its sentence goes on after it, unshown: front ends write «…» there


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
    spans = sorted(
        [
            *((*_span(q, with_context), q, True) for q in group),
            *((q.speaker.start, q.speaker.text, 0, q, False) for q in group if q.speaker),
        ],
        key=lambda s: (s[0] < 0, s[0], s[3].number),
    )
    out: list[tuple[int, str, list[Mark], bool]] = []
    for start, text, at, q, quoted in spans:
        marks = [Mark(q.number, at + opening_decoration(q.text), at + len(q.text))] if quoted else []
        cut = not quoted and q.speaker is not None and q.speaker.cut
        if out and start >= 0 and out[-1][0] >= 0 and start <= out[-1][0] + len(out[-1][1]):
            begin, joined, kept, was_cut = out[-1]
            end = begin + len(joined)
            longer = start + len(text) > end
            joined += text[end - start :] if longer else ""
            shifted = [Mark(m.number, start - begin + m.start, start - begin + m.end) for m in marks]
            out[-1] = (begin, joined, [*kept, *shifted], cut if longer else was_cut)
        else:
            out.append((start, text, marks, cut))
    return [Passage(text, tuple(sorted(marks, key=lambda m: m.start)), cut) for _, text, marks, cut in out]


def agency_beside(title: str, agency: str | None) -> str | None:
    """The agency a citation names after the title; none when the title is the agency's own
    name (a channel's post with no headline is titled by its channel), so a reader does not
    read «خبر فوری · خبر فوری»."""
    return None if agency and agency == shown_title(title) else agency
