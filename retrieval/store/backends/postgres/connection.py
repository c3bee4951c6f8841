"""Connecting to PostgreSQL, once for the corpus and the bot's state alike, and the one line a
psycopg error becomes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

from retrieval.errors import StorageError, first_line

LOST = (psycopg.OperationalError, psycopg.InterfaceError)  # the server went away, or the connection did


URL_SCHEMES = ("postgresql://", "postgres://")  # libpq's; a key=value string («host=… dbname=…») works too
EXAMPLE_URL = "postgresql://pasokh:secret@db.internal/pasokh"


def check_url(url: str) -> None:
    """What libpq cannot read, said without echoing the URL (it holds the password): libpq's
    own error for «postgresql+psycopg://u:password@…», the form SQLAlchemy documents and people
    paste, is «missing "=" after "postgresql+psycopg://u:password@…"», password and all."""
    text = url.strip()
    if text.lower().startswith(URL_SCHEMES) or ("=" in text and "://" not in text):
        return
    scheme = text.split("://", 1)[0] if "://" in text else ""
    if scheme.lower().startswith(("postgresql+", "postgres+")):
        said = f"PASOKH_DATABASE_URL is written for SQLAlchemy ({scheme}://…); write postgresql://… with the same rest"
    elif scheme:
        said = f"PASOKH_DATABASE_URL is a {scheme}:// address; the postgres backend needs a PostgreSQL one"
    else:
        said = "PASOKH_DATABASE_URL is not a PostgreSQL address"
    raise StorageError(f"{said}, for example {EXAMPLE_URL}")


def without_password(text: str, url: str) -> str:
    """``text`` (a libpq error) with the password of ``url`` blanked wherever it is repeated."""
    try:
        password = urlsplit(url).password
    except ValueError:  # a port that is not a number: libpq says so itself
        password = None
    for secret in {password, *re.findall(r"password\s*=\s*'?([^'\s]+)", url)} - {None, ""}:
        text = text.replace(secret, "***")  # type: ignore[arg-type]
    return text


def connect(url: str, name: str = "pasokh") -> psycopg.Connection:
    check_url(url)
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10, application_name=name)
    except psycopg.Error as exc:
        reason = without_password(first_line(exc), url)
        raise StorageError(f"cannot connect to PostgreSQL (PASOKH_DATABASE_URL): {reason}") from exc


def create_missing(conn: psycopg.Connection, schema: str, extension: bool = True) -> None:
    """The vector extension and ``schema``, each created only if it is missing: PostgreSQL checks
    the right to create before it looks whether the thing exists, so ``CREATE SCHEMA IF NOT
    EXISTS`` fails for a role an administrator gave a schema of its own but no CREATE on the
    database, the set-up :func:`not_allowed` asks for."""
    if extension and not conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'vector'").fetchone():
        conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    if not conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone():
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))


def not_allowed(exc: psycopg.errors.InsufficientPrivilege, conn: psycopg.Connection, schema: str) -> StorageError:
    """A role that may not set up what Pasokh needs, told what to ask an administrator for. A
    managed or DBA-provisioned database gives an application role neither superuser (for the
    vector extension) nor CREATE on the database (for its schema): both were tracebacks."""
    said = first_line(exc)
    try:
        role, database = conn.execute("SELECT current_user, current_database()").fetchone() or ("?", "?")
        available = conn.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").fetchone()
    except psycopg.Error:
        role, database, available = "this role", "this database", True
    if "extension" in said and "vector" in said:
        if not available:
            fix = "pgvector is not installed on the server: install it (the postgresql-NN-pgvector package), then"
        else:
            fix = f"role {role} may not create it:"
        return StorageError(f"{said}. {fix} have an administrator run `CREATE EXTENSION vector;` in database {database} once")
    return StorageError(
        f"{said}: role {role} needs to create the schema {schema} in database {database}: have an administrator run "
        f"`CREATE SCHEMA IF NOT EXISTS {schema} AUTHORIZATION {role};` (or `GRANT CREATE ON DATABASE {database} TO {role};`)"
    )


@contextmanager
def reported_loss() -> Iterator[None]:
    """A connection lost under a statement, as the one StorageError every caller turns into «try
    again shortly» (the next statement connects again)."""
    try:
        yield
    except LOST as exc:
        raise StorageError(f"lost the PostgreSQL connection: {first_line(exc)}") from exc
