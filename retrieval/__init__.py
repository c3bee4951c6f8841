"""Question → ranked, cited passages over a FAISS index and an SQLite FTS5 index."""

from retrieval.engine import Engine
from retrieval.errors import (
    REBUILD_HINT,
    IndexCorruptError,
    IndexError_,
    IndexMismatchError,
    IndexMissingError,
    QuestionError,
    RetrievalError,
    WriteLockedError,
)
from retrieval.ingest import IngestReport, count_inputs, ingest, remove
from retrieval.maintenance import check, rebuild
from retrieval.records import Answer, Hit, Quote
from retrieval.settings import RetrievalSettings, SettingsError

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
    "WriteLockedError",
    "check",
    "count_inputs",
    "ingest",
    "rebuild",
    "remove",
]
