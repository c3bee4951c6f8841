"""Typed state kept beside the corpus: each kind is a small dataclass owned by the layer that
writes it (a news source's fetch state, the demo seeding, an evaluation corpus being complete),
stored as JSON under ``state:<kind>:<key>``, so that ``pasokh migrate`` copies every kind there
is, including one added after it was written, without naming any.

Usage, in the layer that owns the record::

    SEEDING = StateKind("demo_seeding", DemoSeeding)
    SEEDING.save(storage.state, DemoSeeding(articles=5))
    SEEDING.load(storage.state)  # DemoSeeding(articles=5), or None
"""

from __future__ import annotations

import dataclasses
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

from retrieval.store.capabilities import StateStore

logger = logging.getLogger(__name__)
T = TypeVar("T")
PREFIX = "state:"
# what versions before typed state wrote, as bare keys; read as a fallback and copied by migrate
LEGACY_KEYS = ("demo_seeded", "eval_corpus_complete")
LEGACY_PREFIXES = ("source:",)


@dataclass(frozen=True)
class StateKind(Generic[T]):
    name: str
    record: type[T]
    legacy: Callable[[str], str] | None = None  # the bare key an older version wrote for ``key``
    from_legacy: Callable[[str], T] | None = None  # what its value meant; by default the record's own JSON

    def key(self, key: str = "") -> str:
        return f"{PREFIX}{self.name}:{key}"

    def load(self, store: StateStore, key: str = "") -> T | None:
        """The record, or None when none was saved (or it cannot be read: it is then logged)."""
        raw = store.get_meta(self.key(key))
        try:
            if raw is not None:
                return self._decode(raw)
            old = store.get_meta(self.legacy(key)) if self.legacy is not None else None
            if old is None:
                return None
            return self.from_legacy(old) if self.from_legacy is not None else self._decode(old)
        except (ValueError, TypeError, AttributeError, RecursionError):
            logger.warning("forgot the unreadable %s state %r", self.name, key)
            return None

    def _decode(self, raw: str) -> T:
        """The record from its JSON, ignoring fields a later or earlier version wrote."""
        known = {f.name for f in dataclasses.fields(self.record)}  # type: ignore[arg-type]
        return self.record(**{k: v for k, v in json.loads(raw).items() if k in known})

    def save(self, store: StateStore, value: T, key: str = "") -> None:
        store.set_meta(self.key(key), json.dumps(dataclasses.asdict(value), ensure_ascii=False))  # type: ignore[call-overload]


def every_state(store: StateStore) -> Iterator[tuple[str, str]]:
    """(key, value) of every state record of every kind, and of the bare keys older versions wrote."""
    yield from store.meta_items(PREFIX)
    for key in LEGACY_KEYS:
        value = store.get_meta(key)
        if value is not None:
            yield key, value
    for prefix in LEGACY_PREFIXES:
        yield from store.meta_items(prefix)

