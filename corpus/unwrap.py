"""Lines a hard wrap cut out of one sentence, joined back.

Some sources break their text where a line was full, not where a sentence ends: a page pasted
from a word processor with a ``<p>`` or ``<br>`` for each printed line, a text file saved from a
PDF or an e-mail. Read line by line, each piece would be a sentence of its own («بانک جهانی در
تازه» / «ترین گزارش خود …» / «را ۱۴ درصد اعلام کرد.»), and a quote would be half of what the
source said.

A break is *evidently* inside a sentence when the line before it ends on a word no Persian
sentence or headline ends on (a preposition, «و», «که», «را»), or on a comma, or when the line
after it opens with what no sentence opens with (a suffix such as «ترین» or «های», «را», a stop
or a comma: «… بوده است» / «.»). Those breaks are always joined. A text with several of them is
hard-wrapped throughout, and so is one whose lines that end no sentence are full to one width
(as a wrap leaves them: most of them with one such cut, nearly all without); then every line
that does not end a sentence goes on into the next, but the first (often a headline) and one
left far short of the width (a heading: a wrap moves a word on only when it would not fit).
The join is a space (nothing before a line that opens with punctuation): what a reader sees of
a wrapped line.
"""

from __future__ import annotations

import itertools
import re

from corpus.metadata import is_date_line

# words a line cut by a wrap ends on, never a whole sentence or headline (not «می», which is
# also May: «دوشنبه ۱۰ می»; nor «این» or «آن», which end «پس از آن»)
_NEVER_LAST = frozenset("از به با در بر برای تا و یا که را های نمی".split())
# what opens the second half of a cut line, never a sentence: a suffix torn from its word, the
# object marker, or punctuation («ای» is left out: it opens a line of verse, «ای ایران»)
_NEVER_FIRST = frozenset("را ترین تری های ها ی اند".split())
_OPENS_WITH_PUNCTUATION = re.compile(r"^[.,،؛;:：!?؟)»]")
_ENDS_WITH_COMMA = re.compile(r"[،,]$")
# a line that ends a sentence, a label or a quotation, or is closed by a bracket
_CLOSED = re.compile(r"[.!?؟…:：؛»\"”')\]]$")
_LIST_ITEM = re.compile(r"^(?:\d+|[۰-۹]+)\s*[-.)]\s")
_WORD = re.compile(r"[\w\u200c]+")
WRAPPED_MIN_EVIDENT = 3  # evident breaks that make a text hard-wrapped throughout
WRAPPED_MIN_SHARE = 1 / 3  # ... and at least this share of the lines that end no sentence
# or: lines full to a wrap's width, most of those that end no sentence, and one evident break
WRAP_MIN_WIDTH = 40  # characters: narrower "lines" are a list's items, not a wrap
FULL_SHARE = 0.85  # a line is full when it and the next word would pass this share of the width
# (proportional fonts: a PDF's or a word processor's lines hold more or fewer characters)
WRAPPED_MIN_FULL = 3
# a line this short of the width, the next word and all, was never cut by the wrap (proportional
# fonts move a line's length by far less)
SHORT_SHARE = 0.4


def _last_word(line: str) -> str:
    words = _WORD.findall(line[-40:])
    return words[-1] if words else ""


def _first_word(line: str) -> str:
    found = _WORD.match(line)
    return found.group(0) if found else ""


def _evident(before: str, after: str) -> bool:
    """Whether the break between these two lines falls inside a sentence, whatever the text."""
    return (
        _last_word(before) in _NEVER_LAST
        or _ENDS_WITH_COMMA.search(before) is not None
        or _first_word(after) in _NEVER_FIRST
        or _OPENS_WITH_PUNCTUATION.match(after) is not None
    )


def _open(before: str, after: str) -> bool:
    """Whether ``before`` ends no sentence and ``after`` is not a list's next item; a date line
    (the story's, in a header over a wrapped text) is a line of its own either side."""
    return (
        _CLOSED.search(before) is None
        and _LIST_ITEM.match(after) is None
        and not is_date_line(before)
        and not is_date_line(after)
    )


_STOPS_ONLY = re.compile(r"^[.!?؟…]+$")


def stops_attached(lines: list[str]) -> list[str]:
    """``lines`` with a line that is only a stop («.») put back at the end of the line before it,
    when that line ends no sentence: a wrap left it alone, and a line of punctuation is dropped."""
    out: list[str] = []
    for line in lines:
        if out and _STOPS_ONLY.match(line) and _CLOSED.search(out[-1]) is None:
            out[-1] += line
        else:
            out.append(line)
    return out


def _cuttable(before: str, after: str, width: int) -> bool:
    """Whether a wrap could have cut here: it moves a word on only when the word would not fit,
    so a line left far short of the width, the next word and all, is a heading or a paragraph's
    end with no stop, even in a text wrapped throughout."""
    return len(before) + 1 + len(_first_word(after)) > SHORT_SHARE * width


def _full_to_a_width(pairs: list[tuple[str, str]], open_at: list[bool], width: int, evident: bool, sure: bool) -> bool:
    """Whether the lines that end no sentence were full: a wrap filling each line to a width
    moves a word on only when it would not fit, so a line and the next one's first word pass it.
    The width is the longest line's; a story's own lines (paragraphs) are not so alike. Half of
    them full and an evident cut, or three in four of them full with no cut seen in a text where
    sentences end (a channel's digest of headlines without a stop may have them all as long)."""
    if width < WRAP_MIN_WIDTH or not sure:
        return False
    full = sum(
        is_open and len(before) + 1 + len(_first_word(after)) > FULL_SHARE * width
        for is_open, (before, after) in zip(open_at, pairs, strict=True)
    )
    # of the lines that end no sentence, those a wrap could have cut (not a heading)
    cuttable = sum(is_open and _cuttable(before, after, width) for is_open, (before, after) in zip(open_at, pairs, strict=True))
    if evident:
        return full >= WRAPPED_MIN_FULL and full >= 0.5 * cuttable
    return full >= WRAPPED_MIN_FULL + 1 and full >= 0.75 * cuttable


def unwrap(lines: list[str]) -> list[str]:
    """``lines`` (trimmed, non-empty) with the pieces of each sentence a hard wrap cut joined."""
    if len(lines) < 2:
        return lines
    pairs = list(itertools.pairwise(lines))
    open_at = [_open(before, after) for before, after in pairs]
    evident = [is_open and _evident(before, after) for is_open, (before, after) in zip(open_at, pairs, strict=True)]
    found = sum(evident)
    # with no evident cut, a wrap of prose is told from a list of headlines by its sentences' ends
    sure = found > 0 or any(_CLOSED.search(line) for line in lines)
    width = max(map(len, lines))
    wrapped = (found >= WRAPPED_MIN_EVIDENT and found >= WRAPPED_MIN_SHARE * sum(open_at)) or _full_to_a_width(
        pairs, open_at, width, evident=found > 0, sure=sure
    )
    joined = [lines[0]]
    for i, after in enumerate(lines[1:]):
        if evident[i] or (wrapped and open_at[i] and i > 0 and _cuttable(lines[i], after, width)):
            glue = "" if _OPENS_WITH_PUNCTUATION.match(after) else " "
            joined[-1] = joined[-1] + glue + after
        else:
            joined.append(after)
    return joined
