"""Where the corpus is kept: small capabilities (:mod:`retrieval.store.capabilities`) composed
into one :class:`Storage`, and the backends that provide them (:mod:`retrieval.store.backends`).

A backend is one module (or package) in :mod:`retrieval.store.backends` named after its
``[storage] backend`` value, exposing ``open_storage(storage, location, signature, corpus)``;
adding one touches nothing else. A store that has only some capabilities (a vector-only
service, say) is composed with the rest taken from another backend::

    storage = open_storage(settings, data_dir, signature).using(vectors=MyVectorService(...))
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from retrieval.settings import StorageSettings
from retrieval.store.botstate import BotState, BotStateOpener, Pseudonyms
from retrieval.store.capabilities import (
    LEXICAL_FORMAT,
    Backend,
    CheckReport,
    Derive,
    DocumentStore,
    Embed,
    IndexedArticle,
    LexicalSearch,
    Lifecycle,
    Maintainable,
    RebuildProgress,
    RepairReport,
    Signature,
    StateStore,
    Stats,
    VectorSearch,
    Writable,
    Writer,
    lexical_signature,
    signature_of,
)


@dataclass(frozen=True)
class Storage:
    """The capabilities one engine works with, each from whichever backend provides it.

    ``lifecycle`` is the part that opens, follows commits and closes the whole; a part taken
    from elsewhere that has a lifecycle of its own is opened, refreshed and closed with it. The
    generation (what readers compare to know that something changed) is ``lifecycle``'s.
    """

    name: str
    documents: DocumentStore
    state: StateStore
    lexical: LexicalSearch
    vectors: VectorSearch
    writer: Writable
    maintenance: Maintainable
    lifecycle: Lifecycle
    bot_state: BotStateOpener

    @classmethod
    def of(cls, backend: Backend, bot_state: BotStateOpener) -> Storage:
        """Every corpus capability from one object, and the bot's state from ``bot_state``."""
        return cls(backend.name, backend, backend, backend, backend, backend, backend, backend, bot_state)

    def using(self, **parts: object) -> Storage:
        """This storage with some capabilities taken from elsewhere (``vectors=…``, ``lexical=…``)."""
        return dataclasses.replace(self, **parts)  # type: ignore[arg-type]

    def _parts(self) -> Iterator[Lifecycle]:
        seen: set[int] = set()
        for part in (self.lifecycle, self.documents, self.state, self.lexical, self.vectors, self.writer, self.maintenance):
            if isinstance(part, Lifecycle) and id(part) not in seen:
                seen.add(id(part))
                yield part

    def open(self) -> None:
        for part in self._parts():
            part.open()

    def refresh(self) -> bool:
        changed = [part.refresh() for part in self._parts()]
        return any(changed)

    def generation(self) -> int:
        return self.lifecycle.generation()

    def describe(self) -> dict[str, object]:
        facts: dict[str, object] = {}
        for part in self._parts():
            facts.update(part.describe())
        return facts

    def close(self) -> None:
        for part in self._parts():
            part.close()


def open_storage(storage: StorageSettings, location: Path, signature: Signature, corpus: str | None = None) -> Storage:
    """The configured backend's capabilities over ``location`` (the data directory, or an
    evaluation corpus's directory, named by ``corpus``, beneath it)."""
    module = importlib.import_module(f"retrieval.store.backends.{storage.backend}")
    return module.open_storage(storage, location, signature, corpus)


def repair_storage(storage: StorageSettings, location: Path, embed_for: Callable[[str | None], Embed]) -> RepairReport | None:
    """Replace a damaged store by what can be read of it whole (the backend's ``repair_storage``;
    ``embed_for(stored embedder)`` embeds again what was lost); None when nothing is damaged."""
    module = importlib.import_module(f"retrieval.store.backends.{storage.backend}")
    return module.repair_storage(storage, location, embed_for)


__all__ = [
    "LEXICAL_FORMAT",
    "Backend",
    "BotState",
    "BotStateOpener",
    "CheckReport",
    "Derive",
    "DocumentStore",
    "Embed",
    "IndexedArticle",
    "LexicalSearch",
    "Lifecycle",
    "Maintainable",
    "Pseudonyms",
    "RebuildProgress",
    "Signature",
    "StateStore",
    "Stats",
    "Storage",
    "VectorSearch",
    "Writable",
    "Writer",
    "lexical_signature",
    "open_storage",
    "signature_of",
]
