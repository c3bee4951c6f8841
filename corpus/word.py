"""A Word document's text as its reader sees it (``.docx``): a press release, a newsroom's copy.

A .docx is a zip of XML; the story is ``word/document.xml``, a paragraph an element, its words
in runs. What the document shows is read and nothing else: text deleted under tracked changes,
text formatted as hidden, a field's code (``HYPERLINK "…"``), the fallback copy of a drawing and a text box floating
beside the story are not its words. Tables are left out, as on a web page. The file is hostile
like any other: its XML is read without entities or DTDs, and no further than an article may be
however small the zip (a zip's sizes are what it claims).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree

from corpus.errors import InputFileError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_DOCUMENT = "word/document.xml"
_OLE = b"\xd0\xcf\x11\xe0"  # the older binary format (.doc), and a password-protected .docx
# what holds no words the document shows: deleted text, a field's code, a drawing's fallback
# copy, a floating text box, footnote marks, and the tables (as on a page, not carried)
_NOT_SHOWN = {
    _W + "del",
    _W + "instrText",
    _W + "delInstrText",
    _MC + "Fallback",
    _W + "txbxContent",
    _W + "tbl",
    _W + "footnoteReference",
    _W + "endnoteReference",
}
_BREAKS = {_W + "br", _W + "cr"}


def docx_text(path: Path, limit: int) -> str:
    """The paragraphs of the Word document at ``path``, a line each (a line break inside one is
    a line too), reading its XML no further than ``limit`` bytes."""
    try:
        with zipfile.ZipFile(path) as archive:
            try:
                info = archive.getinfo(_DOCUMENT)
            except KeyError:
                raise InputFileError(path, f"holds no {_DOCUMENT}: it is no Word document") from None
            with archive.open(info) as member:
                data = member.read(limit + 1)
    except zipfile.BadZipFile:
        with path.open("rb") as fh:
            older = fh.read(4) == _OLE
        if older:
            raise InputFileError(
                path, "is a Word 97-2003 document or a password-protected one: save it as .docx (or .txt) and ingest that"
            ) from None
        raise InputFileError(path, "is not a Word document (a .docx is a zip of XML; this file is not one)") from None
    except (RuntimeError, NotImplementedError, zipfile.LargeZipFile, EOFError) as exc:  # encrypted, unknown compression
        raise InputFileError(path, f"cannot be read as a Word document ({exc})") from None
    if len(data) > limit:
        limit_mb = limit // (1024 * 1024)
        raise InputFileError(path, f"holds over {limit_mb} MB of text once unpacked; articles over {limit_mb} MB are refused")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputFileError(path, f"is a damaged Word document ({_DOCUMENT} is not XML: {exc.msg})") from None
    body = root.find(_W + "body")
    return "\n".join(_paragraphs(body)) if body is not None else ""


def _paragraphs(body: etree._Element) -> list[str]:
    lines: list[str] = []
    for element in body.iter(_W + "p"):
        if any(ancestor.tag in _NOT_SHOWN for ancestor in element.iterancestors()):
            continue
        lines.extend(_shown(element).split("\n"))
    return lines


_OFF = ("0", "false", "off")


def _hidden(run: etree._Element) -> bool:
    """Whether a run is formatted as hidden text (``<w:vanish/>``), which Word does not show."""
    props = run.find(_W + "rPr")
    mark = props.find(_W + "vanish") if props is not None else None
    return mark is not None and mark.get(_W + "val", "true").lower() not in _OFF


def _shown(paragraph: etree._Element) -> str:
    """The words a paragraph shows, in order: its runs' text, tabs and line breaks, none of what
    ``_NOT_SHOWN`` holds, and not the words of a paragraph nested inside it (a text box's)."""
    parts: list[str] = []

    def walk(element: etree._Element) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str) or tag in _NOT_SHOWN or tag == _W + "p" or (tag == _W + "r" and _hidden(child)):
                continue
            if tag == _W + "t":
                parts.append(child.text or "")
            elif tag == _W + "tab":
                parts.append("\t")
            elif tag in _BREAKS:
                parts.append("\n")
            elif tag == _W + "noBreakHyphen":
                parts.append("\u2011")
            else:
                walk(child)

    walk(paragraph)
    return "".join(parts)
