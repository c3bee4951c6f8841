"""A page saved from a browser, as the bytes of its HTML: a plain ``.html`` file (with the mark
a browser puts over a page it saves whole, naming where it was), or the one file a browser
writes with the page and everything it shows (``.mhtml``, ``.mht``).

Chrome on a phone saves a page for reading offline as MHTML, and "Save as → Webpage, Single
File" does on a desktop: a MIME message whose first HTML part is the page (quoted-printable or
base64) and whose header records the address it was saved from. That address is where the page
was, read from the file, never made up, so it stands in for a page that declares none of its own.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

from corpus.compressed import UnpackError, gunzipped
from corpus.errors import InputFileError
from corpus.read import MAX_FILE_BYTES
from news.sources import is_web_address

MHTML_SUFFIXES = (".mhtml", ".mht")


@dataclass(frozen=True)
class SavedPage:
    html: bytes
    content_type: str  # the charset a single-file save states for the page («text/html; charset=utf-8»), or ""
    saved_from: str | None  # the address the browser saved the page from (http or https), if the file says


def read_saved(path: Path, data: bytes | None = None) -> SavedPage:
    """The page's HTML in ``path`` (its bytes ``data`` when already read)."""
    data = path.read_bytes() if data is None else data
    if path.suffix.lower() not in MHTML_SUFFIXES:
        data = _as_page(path, data)
        return SavedPage(data, "", _marked_from(data))
    saved = _from_mhtml(path, data)
    return SavedPage(_as_page(path, saved.html, single_file=True), saved.content_type, saved.saved_from)


# what a file named .html holds when it holds no page: each was «no article text found», or
# «declares no address», which sent its owner looking for the wrong thing
_NOT_PAGES = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a zip archive (a Word document is one too)"),
)
TAG_WITHIN = 65_536  # bytes from the start where a page's first tag stands


def _as_page(path: Path, data: bytes, single_file: bool = False) -> bytes:
    """``data`` when it is a page's HTML; a page saved gzip-compressed as the server sent it
    (``curl`` without ``--compressed``) unpacked, no further than a page may be."""
    try:
        data = gunzipped(data, MAX_FILE_BYTES)
    except UnpackError as exc:
        raise InputFileError(path, f"is a gzip-compressed page that {exc}") from None
    if not data.strip():
        raise InputFileError(path, "is empty")
    for magic, what in _NOT_PAGES:
        if data.startswith(magic):
            raise InputFileError(path, f"is {what}, not a web page")
    if b"<" not in data[:TAG_WITHIN]:  # UTF-16's «<» holds the byte too
        hint = "" if single_file else "; a story in plain text is read from .txt"
        raise InputFileError(path, f"holds no HTML (not one tag){hint}")
    return data


# «<!-- saved from url=(0043)https://www.isna.ir/news/98030903723/ -->»: the mark a browser puts
# over a page it saves whole, with the length of the address it gives
_MARK_OF_THE_WEB = re.compile(rb"<!--\s*saved from url=\((\d{4})\)([^\s>]+?)\s*-->", re.IGNORECASE)


# the comment the SingleFile extension (a page and all it shows in one .html) writes at the top:
# «<!--\n Page saved with SingleFile \n url: https://… \n saved date: … -->»
_SINGLE_FILE = re.compile(rb"<!--\s*(?:Page saved with|Archive processed by) SingleFile\b(.*?)-->", re.DOTALL)
_SINGLE_FILE_URL = re.compile(rb"^\s*url:\s*(\S+)\s*$", re.MULTILINE)


def _marked_from(data: bytes) -> str | None:
    """The address a saved page's mark of the web names, when its stated length is its length;
    else the one SingleFile's comment names."""
    found = _MARK_OF_THE_WEB.search(data[:2048])
    if found is not None:
        address = found.group(2).decode("ascii", errors="replace")
        return address if int(found.group(1)) == len(found.group(2)) and is_web_address(address) else None
    comment = _SINGLE_FILE.search(data[:8192])
    named = _SINGLE_FILE_URL.search(comment.group(1)) if comment else None
    address = named.group(1).decode("utf-8", errors="replace") if named else ""
    return address if is_web_address(address) else None


def _from_mhtml(path: Path, data: bytes) -> SavedPage:
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    page = next((part for part in message.walk() if part.get_content_type() == "text/html"), None)
    if page is None:
        raise InputFileError(path, "is a single-file save (MHTML) with no HTML page in it")
    body = page.get_payload(decode=True)
    if not isinstance(body, bytes) or not body.strip():
        raise InputFileError(path, "is a single-file save (MHTML) whose page is empty")
    charset = page.get_content_charset()
    return SavedPage(body, f"text/html; charset={charset}" if charset else "", _saved_from(message, page))


def _saved_from(message: Message, page: Message) -> str | None:
    """The address the browser saved from: Chrome's ``Snapshot-Content-Location``, else the
    page part's ``Content-Location``; only a web address (a ``cid:`` or ``file:`` is none)."""
    for found in (message.get("Snapshot-Content-Location"), page.get("Content-Location")):
        address = str(found or "").strip()
        if is_web_address(address):
            return address
    return None
