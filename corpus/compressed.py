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
from pathlib import Path
from typing import IO

from corpus.errors import InputFileError

# each opened inside ``opened``'s ``with``
_OPENERS: dict[str, Callable[[Path, str], IO[bytes]]] = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}  # type: ignore[dict-item]
_NAMES = {".gz": "gzip", ".bz2": "bzip2", ".xz": "xz"}
_MAGIC = {".gz": b"\x1f\x8b", ".bz2": b"BZh", ".xz": b"\xfd7zXZ\x00"}  # how each format's data opens
# what holds many files rather than one stream: read as a folder once unpacked
CUT_SHORT, DAMAGED = "cut short", "damaged"
ARCHIVE_SUFFIXES = (".zip", ".tar", ".tgz", ".tbz2", ".txz", ".7z", ".rar")


STDIN = Path("<stdin>")  # what `pasokh ingest -` reads: JSONL, one article a line


def compression_of(path: Path) -> str | None:
    """The compression suffix of ``path`` (``.gz``), or None for a plain file."""
    suffix = path.suffix.lower()
    return suffix if suffix in _OPENERS else None


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
        if any(opening.startswith(magic) for magic in _MAGIC.values()):
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
    name = _NAMES[compression]
    with path.open("rb") as fh:
        if not fh.read(len(_MAGIC[compression])).startswith(_MAGIC[compression]):
            raise InputFileError(path, f"is not {name} data, though its name ends {path.suffix}")
    try:
        with _OPENERS[compression](path, "rb") as fh:
            yield fh
    except EOFError:
        raise InputFileError(path, f"is a {name} file {CUT_SHORT} (it ends before its end-of-stream mark)") from None
    except (zlib.error, lzma.LZMAError) as exc:
        raise InputFileError(path, f"is a {DAMAGED} {name} file ({exc})") from None
    except OSError as exc:
        if exc.errno is not None:  # the disk, not the data
            raise
        raise InputFileError(path, f"is a {DAMAGED} {name} file ({exc})") from None


def check_whole(path: Path) -> bool:
    """Read a compressed file through once, to its checksum, before anything of it is used: a
    stream whose bytes were changed decompresses to plausible text up to its checksum (a changed
    record, an id copied from an earlier line), so a damaged file raises :class:`InputFileError`
    here and nothing of it is read. True when it is whole, False when it is only cut short (what
    it gives up to the cut is what was written; the reader keeps that and refuses the rest)."""
    if compression_of(path) is None:
        return True
    try:
        with opened(path) as fh:
            while fh.read(1024 * 1024):
                pass
    except InputFileError as exc:
        if CUT_SHORT in exc.reason:
            return False
        if DAMAGED not in exc.reason:  # not this format's data at all
            raise
        never = "nothing was read from it, since past the damage it gives what was never written"
        raise InputFileError(path, f"{exc.reason}; {never}") from None
    return True


def read_bounded(path: Path, limit: int) -> bytes | None:
    """All of ``path`` uncompressed, or None when it holds more than ``limit`` bytes (read no
    further than that, so a small file that expands to gigabytes costs ``limit``)."""
    with opened(path) as fh:
        data = fh.read(limit + 1)
    return None if len(data) > limit else data
