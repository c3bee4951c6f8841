"""Text written as HTML, read as its reader sees it.

A page is read this way (news/visible.py locates every extracted line in it), and so is the
text of an article given as data whose publisher stored it as HTML: an archive's JSONL export
often holds the body as the content system keeps it («<p>…</p><p>این طرح <strong>۱۲۰
میلیارد</strong> …&nbsp;</p>»). Quoted as it stands, a reader would see tags the source never
showed, and two paragraphs run together as one sentence. What a reader saw is what is quoted:
entities decoded, hidden parts left out, one line per block, whitespace collapsed; every other
character (ZWNJ included) as written.
"""

from __future__ import annotations

import html as entities
import re

from lxml import etree, html

# elements that never show text to a reader
_HIDDEN = ("script", "style", "noscript", "template", "head", "svg", "iframe", "object", "select", "option", "button")
# elements that start a new line
_BLOCKS = frozenset(
    "address article aside blockquote br dd details dialog div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section summary table tbody td tfoot th thead tr ul".split()
)
_SPACE = re.compile(r"\s+")
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x1c-\x1e\x85]")  # what str.split("\n")-style readers break on


def parse(page: str) -> html.HtmlElement | None:
    """The page as an lxml tree (None for a page lxml cannot read at all)."""
    try:
        return html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return None


def visible_text(doc: html.HtmlElement | None) -> str:
    """Entities decoded, hidden parts left out, one line per block, whitespace collapsed; every
    other character (ZWNJ included) as the page has it. A line break in the page's source is a
    space, as a browser shows it (outside ``<pre>``): hand-wrapped HTML would otherwise cut a
    sentence in two, and each half be quoted as if it were one."""
    if doc is None:
        return ""
    body = doc.find("body")
    root = body if body is not None else doc
    parts: list[str] = []
    _walk(root, parts)
    lines = (_SPACE.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return "\n".join(line for line in lines if line)


def _walk(el: etree._Element, out: list[str], pre: bool = False) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag.lower() in _HIDDEN or not tag:  # comments and processing instructions have no string tag
        if el.tail:
            out.append(_as_shown(el.tail, pre))
        return
    block = tag.lower() in _BLOCKS
    inner = pre or tag.lower() in ("pre", "textarea")
    if block:
        out.append("\n")
    if el.text:
        out.append(_as_shown(el.text, inner))
    for child in el:
        _walk(child, out, inner)
    if block:
        out.append("\n")
    if el.tail:
        out.append(_as_shown(el.tail, pre))


def _as_shown(text: str, pre: bool) -> str:
    return text if pre else _LINE_BREAK.sub(" ", text)


# a tag a content system writes into a story's body: the text is HTML, not text that mentions «<»
_MARKUP = re.compile(
    r"</?(?:p|br|div|span|strong|b|i|em|u|a|h[1-6]|ul|ol|li|blockquote|img|figure|figcaption|table|tr|td|th|section|article)"
    r"(?:\s[^<>]*)?/?>",
    re.IGNORECASE,
)
# an entity an export leaves in plain text: «&nbsp;», «&quot;», «&zwnj;», «&#8204;»
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#[0-9]{2,7}|#[xX][0-9a-fA-F]{2,6});")


def as_read(text: str) -> str:
    """``text`` as its reader saw it: HTML rendered (:func:`visible_text`), a plain text's
    entities decoded; a text with neither as it is."""
    if _MARKUP.search(text):
        return visible_text(parse(f"<html><body>{text}</body></html>"))
    if _ENTITY.search(text):
        return entities.unescape(text)
    return text
