"""Retrieval errors, each saying what the user can do about it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from corpus.atomic import DISK_ERRNOS
from embeddings.passages import TITLED_SUFFIX as TITLED

REBUILD_HINT = "run `pasokh index --rebuild`"
REPAIR_HINT = "run `pasokh repair` (it keeps the damaged file and rebuilds the rest from what can be read whole)"


def rebuild_hint(found: str | None, configured: str) -> str:
    """What to do about vectors made by ``found`` when the config's embedder is ``configured``.
    When the two differ only in the passage form, re-embedding is hours at a million sentences,
    and keeping the old form is a one-line choice: say so."""
    if found is not None and found.removesuffix(TITLED) == configured.removesuffix(TITLED) and found != configured:
        old = "with its headline" if found.endswith(TITLED) else "alone"
        keep = "title" if found.endswith(TITLED) else "sentence"
        return (
            f"the stored vectors embed each sentence {old}: {REBUILD_HINT} to re-embed them in the configured form, "
            f'or set passage = "{keep}" under [embedder] to keep them'
        )
    return REBUILD_HINT


_CORRUPT, _NOTADB = 11, 26  # SQLite's primary result codes for a damaged page and a file that is no database


def is_damage(exc: BaseException) -> bool:
    """Whether an SQLite error says the file is damaged (a malformed page, no database at all,
    text that is no longer UTF-8), rather than busy, locked or asked something it lacks."""
    if not isinstance(exc, sqlite3.DatabaseError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None and code & 0xFF in (_CORRUPT, _NOTADB):
        return True
    said = str(exc)
    return said.startswith("Could not decode to UTF-8") or "malformed" in said or "not a database" in said


def damage_said(exc: BaseException) -> str:
    """An SQLite complaint about damage in a few words: a value that is no longer UTF-8 comes
    with the whole unreadable value, hundreds of replacement characters."""
    said = str(exc)
    if said.startswith("Could not decode to UTF-8 column "):
        column = said.removeprefix("Could not decode to UTF-8 column ").split(" with text ", 1)[0]
        return f"a value of column {column} is no longer UTF-8"
    return said


_IOERR, _FULL, _CANTOPEN = 10, 13, 14  # SQLite's primary result codes for a failed read or write, a full disk, no file
LOW_ROOM = 1 << 20  # bytes free under which a disk counts as full: SQLite writes a page, a journal and a WAL index


def room_said(exc: BaseException, path: Path) -> str:
    """What an SQLite error that could be a full disk («disk I/O error» when even the write-ahead
    log cannot be made; «database or disk is full») adds about the disk holding ``path``: how
    much is free and, when next to nothing, that the disk is full. An empty string for any other
    error, or when the disk cannot be asked. «disk I/O error» alone sends an operator to look
    for a failing disk."""
    code = getattr(exc, "sqlite_errorcode", None)
    full_sqlite = isinstance(exc, sqlite3.DatabaseError) and code is not None and code & 0xFF in (_IOERR, _FULL, _CANTOPEN)
    if not full_sqlite and not (isinstance(exc, OSError) and exc.errno in DISK_ERRNOS):
        return ""
    where = path if path.is_dir() else path.parent
    try:
        stat = os.statvfs(where)
    except OSError:
        return ""
    free = stat.f_bavail * stat.f_frsize
    if free < LOW_ROOM:
        return f"the disk holding {where} is full, {free // 1024} KB free: free space; nothing half-written is kept"
    return f"{free / (1 << 20):.1f} MB free on the disk holding {where}"


REFUSAL_HINTS = {  # by SQLSTATE: what to do about a statement the PostgreSQL server refused
    "57014": "a statement_timeout set for the server, database or role cut it short: raise it for Pasokh's role "
    "with ALTER ROLE … SET statement_timeout = '10min'",
    "42501": "the role lacks a privilege Pasokh's statements need: GRANT it, or use the role that owns the schema",
    "25006": "this server is a read-only replica: point writers and bots at the primary (docs/deployment.md)",
    "53100": "the server's disk is full",
    "53200": "the server is out of memory",
}


def first_line(exc: BaseException) -> str:
    """An error's first line (a database's error goes on with a detail, a hint, the statement)."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def refusal_said(exc: BaseException) -> str | None:
    """A statement the PostgreSQL server refused (a psycopg error), in one line with what to do
    where its SQLSTATE says; None for any other error. Told by the error's module, so that
    nothing here imports psycopg, which only the postgres backend needs."""
    if type(exc).__module__.partition(".")[0] != "psycopg":
        return None
    said = first_line(exc)
    hint = REFUSAL_HINTS.get(getattr(exc, "sqlstate", None) or "")
    return f"PostgreSQL refused: {said}" + (f" ({hint})" if hint else "")


def store_said(exc: BaseException, data_dir: Path | None = None) -> str | None:
    """The store's failure in one line (a damaged or full SQLite database, a full or read-only
    disk under its files, a statement the PostgreSQL server refused, a store away), or None for
    an error that is not the store's. A front end that goes through many sources or questions
    tells its own failures from the store's by this: the store failing is no source's fault,
    and every one would fail alike. With ``data_dir``, how much room its disk has is said too."""
    if isinstance(exc, StorageError):
        return str(exc)
    if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS:  # an index file or the lock's record, written locally
        where = Path(exc.filename) if exc.filename else data_dir
        room = room_said(exc, where) if data_dir is not None and where is not None else ""
        return f"{exc.strerror}" + (f" ({exc.filename})" if exc.filename else "") + (f": {room}" if room else "")
    if isinstance(exc, sqlite3.DatabaseError):
        where = f" in {data_dir}" if data_dir is not None else ""
        if is_damage(exc):
            return f"the database{where} is damaged ({damage_said(exc)}): {REPAIR_HINT}"
        room = room_said(exc, data_dir) if data_dir is not None else ""
        return f"the database{where} refused: {exc}" + (f" ({room})" if room else "")
    return refusal_said(exc)


class RetrievalError(Exception):
    """Base for what the retrieval layer refuses."""


class QuestionError(RetrievalError):
    """The question itself cannot be searched; ``code`` ("empty", "no_words", "too_long") lets a
    front end answer in its own words."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.code = code


class IndexError_(RetrievalError):
    """An index on disk cannot be used as it is."""


class IndexMissingError(IndexError_):
    """An index file is gone although the database has articles."""


class IndexCorruptError(IndexError_):
    """An index file is damaged (truncated, overwritten, wrong checksum)."""


class IndexMismatchError(IndexError_):
    """An index was built with another embedder, dimension or normalization."""


class StorageError(RetrievalError):
    """The store cannot be opened or reached, is not ours, or has a schema this Pasokh does not know."""


class WriteLockedError(RetrievalError):
    """Another process is already writing to this corpus."""


class BackupError(RetrievalError):
    """A backup cannot be made here: where it would go, or a store backed up by its own tools."""


class SettingsError(ValueError):
    """A setting is out of range or of the wrong kind; the message names it and what is allowed."""
