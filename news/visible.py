"""The text a page shows its reader, and where an extracted line stands in it.

Extraction libraries rewrite text on the way (trafilatura drops ZWNJ and other format
characters in its clean-up and puts «- » before list items), and entities may be written in
any case (``&#x200C;``). Pasokh's promise is that a quote is a slice of what the source
published, so every extracted line is located in the page's own visible text and the page's
slice is what is kept: :meth:`PageText.locate` finds it exactly, or skipping only whitespace and
format characters (which is how extraction loses them), and otherwise says it is not there.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from corpus.markup import parse, visible_text

__all__ = ["LIST_MARKER", "PageText", "parse", "skeleton", "visible_text"]

LIST_MARKER = re.compile(r"^[-*•]\s+")
_SPACE = re.compile(r"\s+")


def _skippable(ch: str) -> bool:
    """What extraction may lose without the text changing for a reader: whitespace and
    format characters (ZWNJ, ZWJ, direction marks, soft hyphen)."""
    return ch.isspace() or unicodedata.category(ch) == "Cf"


def skeleton(text: str) -> str:
    return "".join(ch for ch in text if not _skippable(ch))


@dataclass
class PageText:
    """A page's visible text, indexed for finding extracted lines in it."""

    text: str

    def __post_init__(self) -> None:
        keep = [i for i, ch in enumerate(self.text) if not _skippable(ch)]
        self._skeleton = "".join(self.text[i] for i in keep)
        self._where = keep
        self._after = 0  # lines come in page order: look after the last one first
        self.last: tuple[int, int] | None = None  # where the line located last stands (skeleton offsets)

    def locate(self, line: str) -> str | None:
        """The page's own text for ``line``, or None when the page does not show it; lines come in
        page order, so the next one is looked for after this one first."""
        span = self._span(line, self._after)
        if span is None:
            return None
        at, end = span
        self._after = end
        self.last = span
        return self.text[self._where[at] : self._where[end - 1] + 1]

    def between(self, start: int, end: int) -> str:
        """The page's text from skeleton offset ``start`` to ``end`` without whitespace and format
        characters: what stands between two located lines."""
        return self._skeleton[start:end]

    def find(self, line: str) -> tuple[int, str] | None:
        """:meth:`locate` anywhere in the page, leaving the page order alone: (where it first
        stands, an offset that orders lines; the page's own text), or None."""
        span = self._span(line, 0)
        return None if span is None else (span[0], self.text[self._where[span[0]] : self._where[span[1] - 1] + 1])

    def _span(self, line: str, after: int) -> tuple[int, int] | None:
        """Where ``line`` stands in the skeleton (start, end), looking from ``after`` first."""
        key = skeleton(_SPACE.sub(" ", line).strip())
        if not key:
            return None
        at = self._skeleton.find(key, after)
        if at < 0 and after:
            at = self._skeleton.find(key)
        return None if at < 0 else (at, at + len(key))
