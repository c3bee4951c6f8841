"""Question → ranked, cited passages over a lexical and a vector index, kept by a storage backend."""

from retrieval.engine import Engine, connect
from retrieval.errors import (
    REBUILD_HINT,
    IndexCorruptError,
    IndexError_,
    IndexMismatchError,
    IndexMissingError,
    QuestionError,
    RetrievalError,
    StorageError,
    WriteLockedError,
)
from retrieval.index.ingest import IngestReport, count_inputs, ingest, remove
from retrieval.index.maintenance import backup, check, compact, rebuild
from retrieval.records import Answer, Hit, Quote
from retrieval.settings import RetrievalSettings, SettingsError, StorageSettings

__all__ = [
    "REBUILD_HINT",
    "Answer",
    "Engine",
    "Hit",
    "IndexCorruptError",
    "IndexError_",
    "IndexMismatchError",
    "IndexMissingError",
    "IngestReport",
    "QuestionError",
    "Quote",
    "RetrievalError",
    "RetrievalSettings",
    "SettingsError",
    "StorageError",
    "StorageSettings",
    "WriteLockedError",
    "backup",
    "check",
    "compact",
    "connect",
    "count_inputs",
    "ingest",
    "rebuild",
    "remove",
]
