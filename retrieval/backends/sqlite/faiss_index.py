"""Dense search: vectors kept in SQLite (so rebuilding never re-embeds) and a FAISS file derived from them.

The FAISS file sits beside a small JSON record (bm25s style): embedder, dimension,
normalization, the database generation it reflects and a checksum. Loading refuses
anything that does not match, and catches up with the database if an ingest was cut short.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from corpus.normalize import NORMALIZATION_VERSION
from retrieval.backends.sqlite.atomic import atomic_write
from retrieval.backends.sqlite.store import Store
from retrieval.errors import REBUILD_HINT, IndexCorruptError, IndexMismatchError, IndexMissingError
from retrieval.records import Hit

logger = logging.getLogger(__name__)
FORMAT = 1
_DDL = (
    "CREATE TABLE IF NOT EXISTS sentence_vectors("
    "sentence_id INTEGER PRIMARY KEY REFERENCES sentences(id) ON DELETE CASCADE, vector BLOB NOT NULL)"
)


def put_vectors(conn: sqlite3.Connection, ids: Sequence[int], vectors: np.ndarray) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO sentence_vectors(sentence_id, vector) VALUES(?, ?)",
        [(int(i), np.ascontiguousarray(v, dtype=np.float32).tobytes()) for i, v in zip(ids, vectors, strict=True)],
    )


def stored_vectors(store: Store, ids: Sequence[int] | None = None, dim: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(ids, vectors) from SQLite; all of them when ``ids`` is None."""
    if ids is None:
        with store.reading() as conn:
            rows = conn.execute("SELECT sentence_id, vector FROM sentence_vectors ORDER BY sentence_id").fetchall()
    else:
        rows = store.select_in(
            "SELECT sentence_id, vector FROM sentence_vectors WHERE sentence_id IN ({marks})", (int(i) for i in ids)
        )
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32)
    out_ids = np.array([r[0] for r in rows], dtype=np.int64)
    vecs = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
    return out_ids, vecs


@dataclass(frozen=True)
class IndexInfo:
    embedder: str
    dimension: int
    normalization: str
    generation: int
    count: int
    sha256: str = ""
    file: str = "vectors.faiss"

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **self.__dict__}, ensure_ascii=False, indent=1)


class VectorIndex:
    """A FAISS inner-product index over unit vectors, keyed by sentence id."""

    def __init__(self, index_dir: Path, embedder_name: str, dimension: int) -> None:
        self.dir = index_dir
        self.embedder_name = embedder_name
        self.dimension = dimension
        self.info_path = index_dir / "vectors.json"
        self.index = faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        self.generation = -1

    # ---- on disk -------------------------------------------------------------
    def fresh(self) -> VectorIndex:
        """An empty index for the same directory and embedder: what a reload or a rebuild fills."""
        return VectorIndex(self.dir, self.embedder_name, self.dimension)

    @property
    def faiss_path(self) -> Path:
        """The index file the record names (each save writes a new one; the record switches)."""
        try:
            return self.dir / self.read_info().file
        except (IndexMissingError, IndexCorruptError):
            return self.dir / "vectors.faiss"

    def exists(self) -> bool:
        return self.info_path.exists() or any(self.dir.glob("vectors*.faiss"))

    def read_info(self) -> IndexInfo:
        try:
            raw = json.loads(self.info_path.read_text(encoding="utf-8"))
            if raw.pop("format", None) != FORMAT:
                raise ValueError("unknown format")
            return IndexInfo(**raw)
        except FileNotFoundError:
            raise IndexMissingError(f"the vector index record {self.info_path} is missing; {REBUILD_HINT}") from None
        except (ValueError, TypeError) as exc:
            raise IndexCorruptError(f"the vector index record {self.info_path} is damaged ({exc}); {REBUILD_HINT}") from exc

    def check_info(self, info: IndexInfo) -> None:
        wanted = (self.embedder_name, self.dimension, NORMALIZATION_VERSION)
        found = (info.embedder, info.dimension, info.normalization)
        if wanted != found:
            raise IndexMismatchError(
                f"the vector index was built with {info.embedder} (dim {info.dimension}, normalization {info.normalization}) "
                f"but the config uses {self.embedder_name} (dim {self.dimension}, normalization {NORMALIZATION_VERSION}); "
                f"{REBUILD_HINT}"
            )

    def load(self) -> IndexInfo:
        info = self.read_info()
        self.check_info(info)
        path = self.dir / info.file
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise IndexMissingError(f"the vector index {path} is missing; {REBUILD_HINT}") from None
        if hashlib.sha256(data).hexdigest() != info.sha256:
            raise IndexCorruptError(f"the vector index {path} is damaged (checksum mismatch); {REBUILD_HINT}")
        try:
            index = faiss.deserialize_index(np.frombuffer(data, dtype=np.uint8))
        except RuntimeError as exc:
            raise IndexCorruptError(f"the vector index {path} cannot be read; {REBUILD_HINT}") from exc
        if index.d != self.dimension or index.ntotal != info.count:
            raise IndexCorruptError(f"the vector index {path} does not match its record; {REBUILD_HINT}")
        self.index = faiss.IndexIDMap2(index) if not isinstance(index, faiss.IndexIDMap2) else index
        self.generation = info.generation
        return info

    def save(self, generation: int) -> None:
        """A new index file, then the record naming it: renaming the record is the one commit point,
        so a crash at any moment leaves the old record and the old file it names intact."""
        data = faiss.serialize_index(self.index).tobytes()
        digest = hashlib.sha256(data).hexdigest()
        info = IndexInfo(
            embedder=self.embedder_name,
            dimension=self.dimension,
            normalization=NORMALIZATION_VERSION,
            generation=generation,
            count=int(self.index.ntotal),
            sha256=digest,
            file=f"vectors-{generation}-{digest[:12]}.faiss",
        )
        for stale in self.dir.glob(".vectors*.tmp"):  # left by a writer killed mid-save; callers hold the lock
            stale.unlink(missing_ok=True)
        atomic_write(self.dir / info.file, data)
        atomic_write(self.info_path, info.to_json().encode("utf-8"))
        for old in self.dir.glob("vectors*.faiss"):
            if old.name != info.file:
                old.unlink(missing_ok=True)
        self.generation = generation

    # ---- in memory -----------------------------------------------------------
    def ids(self) -> np.ndarray:
        return faiss.vector_to_array(self.index.id_map).astype(np.int64)

    def add(self, ids: Sequence[int] | np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))

    def remove(self, ids: Sequence[int] | np.ndarray) -> None:
        if len(ids):
            self.index.remove_ids(np.asarray(ids, dtype=np.int64))

    def sync(self, store: Store) -> tuple[int, int]:
        """Make the in-memory index hold exactly the database's vectors: (added, removed)."""
        with store.reading() as conn:
            wanted = {r[0] for r in conn.execute("SELECT sentence_id FROM sentence_vectors")}
        have = set(self.ids().tolist())
        extra = sorted(have - wanted)
        missing = sorted(wanted - have)
        self.remove(extra)
        if missing:
            ids, vecs = stored_vectors(store, missing, self.dimension)
            self.add(ids, vecs)
        self.generation = store.generation()
        return len(missing), len(extra)

    def search(self, query: np.ndarray, k: int) -> list[Hit]:
        if self.index.ntotal == 0:
            return []
        scores, ids = self.index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), min(k, self.index.ntotal))
        return [Hit(int(i), float(s)) for s, i in zip(scores[0], ids[0], strict=True) if i >= 0]


def ensure_vector_table(store: Store) -> None:
    with store.reading() as conn:
        conn.execute(_DDL)
