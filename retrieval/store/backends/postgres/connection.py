"""Connecting to PostgreSQL, once for the corpus and the bot's state alike, and the one line a
psycopg error becomes."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from retrieval.errors import StorageError

LOST = (psycopg.OperationalError, psycopg.InterfaceError)  # the server went away, or the connection did


def first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def connect(url: str, name: str = "pasokh") -> psycopg.Connection:
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10, application_name=name)
    except psycopg.Error as exc:
        raise StorageError(f"cannot connect to PostgreSQL (PASOKH_DATABASE_URL): {first_line(exc)}") from exc


@contextmanager
def reported_loss() -> Iterator[None]:
    """A connection lost under a statement, as the one StorageError every caller turns into «try
    again shortly» (the next statement connects again)."""
    try:
        yield
    except LOST as exc:
        raise StorageError(f"lost the PostgreSQL connection: {first_line(exc)}") from exc
