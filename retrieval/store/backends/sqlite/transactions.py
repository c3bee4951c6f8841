"""One transaction on a connection that commits each statement by itself (``isolation_level``
None, as every Pasokh SQLite connection is): statements outside it sync the disk one by one,
and inside it the whole either commits or leaves nothing behind."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator


@contextlib.contextmanager
def atomically(conn: sqlite3.Connection, begin: str = "BEGIN IMMEDIATE") -> Iterator[sqlite3.Connection]:
    """``begin`` (``BEGIN IMMEDIATE``: take the write lock now, so a busy database is met here,
    not halfway), the block, then COMMIT; ROLLBACK if the block raises anything, an interrupt
    included."""
    conn.execute(begin)
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
