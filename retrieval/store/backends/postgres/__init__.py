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
    from retrieval.settings import StorageSettings
    from retrieval.store import Storage
    from retrieval.store.capabilities import Signature


def open_storage(storage: StorageSettings, location: Path, signature: Signature, corpus: str | None = None) -> Storage:
    """:func:`retrieval.store.backends.postgres.backend.open_storage`."""
    from retrieval.store.backends.postgres.backend import open_storage as opened

    return opened(storage, location, signature, corpus)
