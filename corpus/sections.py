"""The heading each sentence of an article stands under.

A long report is cut into sections by short lines of their own: a match report's «بهترین
بازیکن», «در حاشیه», «شرح گل»; a live report's «نیمه اول»; an explainer's subheads. What a
section's sentences are about is often said only by its heading: «در روزی که پرسپولیس … پیش بود،
دانیال اسماعیلی‌فر توانست …» answers «who was the best player?» because it stands under «بهترین
بازیکن». The embedder is given that heading with the sentence (embeddings/passages.py).

A heading is a paragraph of one short line with no sentence's end, followed by a paragraph of
prose and not following another short line: so a list's items (a line-up, one name a line, «کنوا
(Canva)») are no headings, not even the last one over the prose after the list, and a label over
a list is none either, nor what follows a line leading into it («… آغاز کنید با:»). Its section
runs to the next heading. The text stays as the source wrote it: a heading is still a paragraph
of the article, quoted like any other.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

HEADING_MAX_WORDS = 8
HEADING_MAX_CHARS = 60
PROSE_MIN_WORDS = 15  # a paragraph after a heading is prose when it ends as a sentence, or is this long
_SENTENCE_END = re.compile(r"[.!?؟…:;؛،,»\"')\]]\s*$")
_PROSE_END = re.compile(r"[.!?؟…]\s*[»\"')\]]?\s*$")
_PARAGRAPH_SEP = "\n\n"


def headings(text: str, starts: Sequence[int]) -> list[str | None]:
    """For each sentence starting at an offset of ``starts`` in ``text`` (an article's text, its
    paragraphs split by a blank line), the heading of its section as written, or None. A heading
    itself stands under none: it is not its own context."""
    paragraphs: list[tuple[int, str]] = []
    at = 0
    for para in text.split(_PARAGRAPH_SEP):
        paragraphs.append((at, para))
        at += len(para) + len(_PARAGRAPH_SEP)
    opens = [start for start, _ in paragraphs]
    current: str | None = None
    section: list[str | None] = []  # each paragraph's heading
    for i, (_, para) in enumerate(paragraphs):
        following = paragraphs[i + 1][1] if i + 1 < len(paragraphs) else ""
        after_list = i > 0 and _short_line(paragraphs[i - 1][1])  # the last of a list's short items
        if is_heading(para) and _prose(following) and not after_list:
            section.append(None)
            current = para.strip()
        else:
            section.append(current)
    return [section[max(bisect.bisect_right(opens, start) - 1, 0)] for start in starts]


def is_heading(paragraph: str) -> bool:
    """One short line that ends no sentence and labels nothing («در حاشیه», «نیمه اول»)."""
    line = paragraph.strip()
    return (
        _one_short_line(line)
        and not _SENTENCE_END.search(line)
        and ":" not in line  # «استادیوم: آزادی»: a label and its value, a fact of the report
        and any(ch.isalpha() for ch in line)
    )


def _short_line(paragraph: str) -> bool:
    """A line as short as a heading that ends no sentence, whatever else it ends with: a list's
    item («کنوا (Canva)»), or a line leading into what follows («هر روز خود را آغاز کنید با:»)."""
    line = paragraph.strip()
    return _one_short_line(line) and not _PROSE_END.search(line)


def _one_short_line(line: str) -> bool:
    return bool(line) and "\n" not in line and len(line) <= HEADING_MAX_CHARS and len(line.split()) <= HEADING_MAX_WORDS


def _prose(paragraph: str) -> bool:
    line = paragraph.strip()
    return len(line.split()) >= PROSE_MIN_WORDS or bool(line and _PROSE_END.search(line))
