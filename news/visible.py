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

from lxml import etree, html

# elements that never show text to a reader
_HIDDEN = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object", "select", "option", "button")
# elements that start a new line
_BLOCKS = frozenset(
    "address article aside blockquote br dd details dialog div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_SPACE = re.compile(r"\s+")
LIST_MARKER = re.compile(r"^[-*•]\s+")


def parse(page: str) -> html.HtmlElement | None:
    """The page as an lxml tree (None for a page lxml cannot read at all)."""
    try:
        return html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return None


def visible_text(doc: html.HtmlElement | None) -> str:
    """Entities decoded, hidden parts left out, one line per block, whitespace collapsed; every
    other character (ZWNJ included) as the page has it."""
    if doc is None:
        return ""
    body = doc.find("body")
    root = body if body is not None else doc
    parts: list[str] = []
    _walk(root, parts)
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _walk(el: etree._Element, out: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag.lower() in _HIDDEN or not tag:  # comments and processing instructions have no string tag
        if el.tail:
            out.append(el.tail)
        return
    block = tag.lower() in _BLOCKS
    if block:
        out.append("\n")
    if el.text:
        out.append(el.text)
    for child in el:
        _walk(child, out)
    if block:
        out.append("\n")
    if el.tail:
        out.append(el.tail)


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

    def __contains__(self, line: str) -> bool:
        key = skeleton(line)
        return bool(key) and key in self._skeleton

    def locate(self, line: str) -> str | None:
        """The page's own text for ``line``, or None when the page does not show it."""
        line = _SPACE.sub(" ", line).strip()
        if not line:
            return None
        key = skeleton(line)
        if not key:
            return None
        at = self._skeleton.find(key, self._after)
        if at < 0:
            at = self._skeleton.find(key)
        if at < 0:
            return None
        start, end = self._where[at], self._where[at + len(key) - 1] + 1
        self._after = at + len(key)
        return self.text[start:end]
