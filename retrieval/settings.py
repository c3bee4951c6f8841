"""Retrieval knobs, validated when built so a bad config.toml fails at start-up: ``[retrieval]``
composed of each stage's settings, and ``[storage]`` with a table per backend."""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from retrieval.answer.settings import AbstainSettings, QuoteSettings, TimeSettings
from retrieval.errors import SettingsError
from retrieval.rank.settings import FUSIONS, RANKERS, RankSettings
from retrieval.search.settings import MODES, SearchSettings
from retrieval.settings_checks import check_all, unknown_keys


@dataclass(frozen=True)
class IndexSettings:
    """How ingest batches its writes, and how many other processes prepare what it writes."""

    ingest_batch_sentences: int = 512
    prepare_processes: int = 1  # corpus.parallel: 0 prepares every article in the ingesting process

    def check_index(self) -> None:
        batch, processes = self.ingest_batch_sentences, self.prepare_processes
        check_all(
            [
                (batch >= 1, f"ingest_batch_sentences must be at least 1, got {batch}"),
                (0 <= processes <= 64, f"prepare_processes must be between 0 and 64, got {processes}"),
            ]
        )


@dataclass(frozen=True)
class RetrievalSettings(SearchSettings, RankSettings, QuoteSettings, AbstainSettings, TimeSettings, IndexSettings):
    """``[retrieval]``: one flat table, made of each stage's own settings (search, rank, quotes,
    abstention, time, index), each defined and checked in its stage's package."""

    def __post_init__(self) -> None:
        self.check_search()
        self.check_rank()
        self.check_quotes()
        self.check_abstain()
        self.check_time()
        self.check_index()
        check_all([(self.candidates >= self.k, f"candidates ({self.candidates}) must be at least k ({self.k})")])


def backend_names() -> list[str]:
    """The storage backends this install has: one package each under retrieval/store/backends."""
    root = Path(__file__).parent / "store" / "backends"
    return sorted(path.name for path in root.iterdir() if not path.name.startswith("_") and (path / "__init__.py").exists())


@dataclass(frozen=True)
class StorageSettings:
    """``[storage]``: which backend keeps the corpus, and each backend's own table
    (``[storage.sqlite]``, ``[storage.postgres]``), validated by the settings class that backend
    defines in its ``settings`` module, so a new backend brings its settings without touching
    these. The database URL is a secret (it may hold a password) and the same file serves every
    replica, so it only ever comes from the environment."""

    backend: str = "sqlite"
    database_url: str = field(default="", repr=False)
    tables: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        names = backend_names()
        if self.backend not in names:
            raise SettingsError(f"[storage] backend {self.backend!r} is not one of {', '.join(names)}")
        built: dict[str, Any] = {}
        for name, table in self.tables.items():
            if name not in names:
                raise SettingsError(f"[storage.{name}] names no backend; the backends are {', '.join(names)}")
            built[name] = table if isinstance(table, backend_settings_class(name)) else backend_settings(name, table)
        object.__setattr__(self, "tables", built)

    def table(self, name: str) -> Any:
        """The settings of backend ``name``: its table as configured, or its defaults."""
        found = self.tables.get(name)
        return found if found is not None else backend_settings(name, {})

    @classmethod
    def for_backend(cls, backend: str, database_url: str = "", **options: object) -> StorageSettings:
        """Settings for ``backend`` with ``options`` in its own table (what tests and scripts write)."""
        return cls(backend, database_url, {backend: options} if options else {})

    def adjusted(self, **options: object) -> StorageSettings:
        """The same, with some of the configured backend's options changed."""
        current = {f.name: getattr(self.table(self.backend), f.name) for f in fields(self.table(self.backend))}
        return dataclasses.replace(self, tables={**self.tables, self.backend: {**current, **options}})

    @property
    def sqlite(self) -> Any:
        return self.table("sqlite")

    @property
    def postgres(self) -> Any:
        return self.table("postgres")


def backend_settings_class(name: str) -> type:
    """The settings dataclass backend ``name`` defines (``retrieval.store.backends.<name>.settings.Settings``)."""
    return importlib.import_module(f"retrieval.store.backends.{name}.settings").Settings


def backend_settings(name: str, table: Mapping[str, Any]) -> Any:
    """Backend ``name``'s table checked: unknown keys named with the known ones, values by its own checks."""
    cls = backend_settings_class(name)
    if not isinstance(table, Mapping):
        raise SettingsError(f"[storage.{name}] must be a table")
    if bad := unknown_keys(cls, table, f"[storage.{name}]"):
        raise SettingsError(bad)
    return cls(**table)


__all__ = [
    "FUSIONS",
    "MODES",
    "RANKERS",
    "RetrievalSettings",
    "SettingsError",
    "StorageSettings",
    "backend_names",
    "backend_settings",
]
