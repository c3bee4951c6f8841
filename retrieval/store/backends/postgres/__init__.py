"""The shared backend: PostgreSQL with pgvector, for many bots and workers on many machines
(``backend``: the schema, searches and writers; ``botstate``: the bots' shared state;
``connection``: connecting and losing the connection; ``settings``: ``[storage.postgres]``).

Reading config.toml checks every ``[storage.<name>]`` table through the backend's ``settings``
module, which imports this package first. So this package imports nothing heavy: a deployment
on SQLite does not load psycopg (a tenth of a second of every cold ``pasokh ask``) to check a
table it does not use. The backend itself is imported when a storage is opened.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from retrieval.settings import StorageSettings
    from retrieval.store import Storage
    from retrieval.store.capabilities import Embed, Signature


def open_storage(storage: StorageSettings, location: Path, signature: Signature, corpus: str | None = None) -> Storage:
    """:func:`retrieval.store.backends.postgres.backend.open_storage`."""
    from retrieval.store.backends.postgres.backend import open_storage as opened

    return opened(storage, location, signature, corpus)


def repair_storage(storage: StorageSettings, location: Path, embed_for: Callable[[str | None], Embed]) -> None:
    """PostgreSQL keeps its own pages whole (write-ahead log, checksums if enabled): a damaged
    cluster is repaired with its tools and backups, not by reading rows around the damage."""
    from retrieval.errors import StorageError

    raise StorageError(
        "pasokh repair reads a damaged SQLite database; PostgreSQL is repaired with its own tools (pg_amcheck to find "
        "damage, a base backup or a replica to restore), then `pasokh index --check`"
    )
