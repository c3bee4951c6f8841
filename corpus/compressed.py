"""Read an input file that may be compressed (``news.jsonl.gz``, ``archive.csv.xz``).

An archive of a year of news is gigabytes of JSONL, and it is kept and handed over compressed;
making an operator uncompress it first doubles the disk it needs. The three formats Python reads
as streams are read here, so the readers above see plain bytes. What a compressed file holds
once uncompressed is bounded by whoever reads it (a small file can expand to any size), and a
damaged stream (cut short, bytes changed) is one error naming the file, never a traceback.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import sys
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from corpus.errors import InputFileError


@dataclass(frozen=True)
class _Format:
    name: str
    open: Callable[[Path, str], IO[bytes]]  # opened inside ``opened``'s ``with``
    magic: bytes  # how the format's data opens


GZIP_MAGIC = b"\x1f\x8b"
_FORMATS = {
    ".gz": _Format("gzip", gzip.open, GZIP_MAGIC),  # type: ignore[arg-type]
    ".bz2": _Format("bzip2", bz2.open, b"BZh"),  # type: ignore[arg-type]
    ".xz": _Format("xz", lzma.open, b"\xfd7zXZ\x00"),  # type: ignore[arg-type]
}
# what holds many files rather than one stream: read as a folder once unpacked
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".tbz2", ".txz", ".7z", ".rar")


class CutShort(InputFileError):
    """A compressed file that ends before its end-of-stream mark: what it gives is what was written."""


class Damaged(InputFileError):
    """A compressed file whose data was changed: past the damage it gives what was never written."""


STDIN = Path("<stdin>")  # what `pasokh ingest -` reads: JSONL, one article a line


def compression_of(path: Path) -> str | None:
    """The compression suffix of ``path`` (``.gz``), or None for a plain file."""
    suffix = path.suffix.lower()
    return suffix if suffix in _FORMATS else None


def uncompressed(path: Path) -> Path:
    """The name the file has once uncompressed: ``news.jsonl.gz`` → ``news.jsonl``."""
    return path.with_suffix("") if compression_of(path) else path


def kind_of(path: Path) -> str:
    """The suffix that says how to read the file once uncompressed (``.jsonl`` for
    ``news.jsonl.gz``), lowercased; an archive of many files is ``.tar`` whatever compresses it."""
    return uncompressed(path).suffix.lower()


@contextmanager
def opened(path: Path) -> Iterator[IO[bytes]]:
    """``path`` open for reading as bytes, uncompressed on the fly; a damaged stream, whenever
    the reading meets it, raises :class:`InputFileError` (``line`` left for the reader to give).
    :data:`STDIN` is standard input, left open."""
    if path == STDIN:
        stream = sys.stdin.buffer
        opening = stream.peek(6)[:6] if hasattr(stream, "peek") else b""
        if any(opening.startswith(known.magic) for known in _FORMATS.values()):
            raise InputFileError(
                path, "is compressed: give the file itself (`pasokh ingest news.jsonl.gz`), which is checked whole before use"
            )
        yield stream
        return
    compression = compression_of(path)
    if compression is None:
        with path.open("rb") as fh:
            yield fh
        return
    known = _FORMATS[compression]
    with path.open("rb") as fh:
        if not fh.read(len(known.magic)).startswith(known.magic):
            raise InputFileError(path, f"is not {known.name} data, though its name ends {path.suffix}")
    try:
        with known.open(path, "rb") as fh:
            yield fh
    except EOFError:
        raise CutShort(path, f"is a {known.name} file cut short (it ends before its end-of-stream mark)") from None
    except (zlib.error, lzma.LZMAError) as exc:
        raise Damaged(path, f"is a damaged {known.name} file ({exc})") from None
    except OSError as exc:
        if exc.errno is not None:  # the disk, not the data
            raise
        raise Damaged(path, f"is a damaged {known.name} file ({exc})") from None


def check_whole(path: Path) -> None:
    """Read a compressed file through once, to its checksum, before anything of it is used: a
    stream whose bytes were changed decompresses to plausible text up to its checksum (a changed
    record, an id copied from an earlier line), so a damaged file raises :class:`InputFileError`
    here and nothing of it is read. One only cut short passes: what it gives up to the cut is
    what was written, and the reader keeps that and refuses the rest."""
    if compression_of(path) is None:
        return
    try:
        with opened(path) as fh:
            while fh.read(1024 * 1024):
                pass
    except CutShort:
        return
    except Damaged as exc:
        never = "nothing was read from it, since past the damage it gives what was never written"
        raise InputFileError(path, f"{exc.reason}; {never}") from None


def read_bounded(path: Path, limit: int) -> bytes | None:
    """All of ``path`` uncompressed, or None when it holds more than ``limit`` bytes (read no
    further than that, so a small file that expands to gigabytes costs ``limit``)."""
    with opened(path) as fh:
        data = fh.read(limit + 1)
    return None if len(data) > limit else data


class UnpackError(ValueError):
    """Why gzip bytes in hand could not be unpacked; the message completes «a gzip file that …»."""


def gunzipped(data: bytes, limit: int) -> bytes:
    """``data`` unpacked when it is gzip (a fetched ``sitemap.xml.gz``, a page saved as the server
    sent it), else as it is. No further than ``limit`` bytes: a small file that unpacks to
    gigabytes is refused, not unpacked. Its end and checksum must come: a file cut short would
    pass for the whole, its last record cut anywhere."""
    if not data.startswith(GZIP_MAGIC):
        return data
    return _unpacked(data, 16 + zlib.MAX_WBITS, limit)


def inflated(data: bytes, limit: int) -> bytes:
    """A body sent as «deflate»: zlib's stream, as the standard says, or the bare deflate stream
    many servers send under that name; bounded and checked to its end as :func:`gunzipped` is."""
    try:
        return _unpacked(data, zlib.MAX_WBITS, limit)
    except UnpackError:
        return _unpacked(data, -zlib.MAX_WBITS, limit)


def _unpacked(data: bytes, wbits: int, limit: int) -> bytes:
    inflate = zlib.decompressobj(wbits)
    try:
        out = inflate.decompress(data, limit + 1)
    except zlib.error as exc:
        raise UnpackError(f"is damaged ({exc})") from None
    if len(out) > limit or inflate.unconsumed_tail:
        raise UnpackError(f"unpacks to more than the {limit:,}-byte limit")
    if not inflate.eof:
        raise UnpackError("is cut short (its end and checksum never came)")
    return out
