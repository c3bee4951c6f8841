"""Dense search: SQLite keeps every vector (float16, so rebuilding never re-embeds; each distinct
vector once, however many sentences share it: store.VECTORS); FAISS serves them.

What FAISS serves is a *snapshot*: a base index saved to a file at some database generation,
plus what changed since, read from SQLite — the vectors of newer sentences (a small exact
"delta") and the ids of removed ones (tombstones, filtered out at search time). Sentence ids
come from AUTOINCREMENT, so "newer" is simply "id above the base's last id".

That is what keeps a large corpus cheap to live with:
- a running bot applies only the difference since its snapshot (no full reload);
- a writer rewrites the base file only when the delta or the tombstones grow past a share of
  it (compaction), not on every ingest;
- readers map the base file instead of reading and checksumming it (``pasokh index --check``
  verifies the checksum).

The base is exact (``IndexFlatIP``) while the corpus is small and an inverted file with 8-bit
scalar-quantised vectors (``IndexIVFScalarQuantizer``) past ``exact_limit`` sentences; scores of
approximate candidates are recomputed from the stored vectors, so ranking and abstention see
the same numbers either way. docs/performance.md has the measurements behind the choice.

The same compaction writes the BM25 postings of sentences and of whole articles (see postings),
named by the same record, so one rename commits both files; a reader applies new terms and
removals to them as it does to the vectors (articles keep their rowid when they change, so
their changes are logged in ``changed_articles``). A record without postings (older, or a
damaged file) leaves lexical search to FTS5, which scores the same.

Between compactions, each write that does not compact saves the postings of everything since
the base (a *lexical delta*, recorded in ``postings-delta.json``), so a new reader maps them
instead of building them from SQLite: at a million sentences, 2% of growth took 0.4 s of a cold
``ask``. It is only a shortcut: a reader that finds it missing, stale or damaged builds the same
parts itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import math
import os
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import faiss
import numpy as np

from corpus.atomic import atomic_write, created_mode
from corpus.normalize import NORMALIZATION_VERSION
from retrieval.errors import REBUILD_HINT, IndexCorruptError, IndexMismatchError, IndexMissingError, rebuild_hint
from retrieval.records import Hit
from retrieval.store.backends.sqlite import ivf_build
from retrieval.store.backends.sqlite import postings as lexical
from retrieval.store.backends.sqlite.store import SENTENCE_VECTORS, VECTORS, Store, keep_vectors
from retrieval.store.capabilities import STORED_PRECISION

logger = logging.getLogger(__name__)
FORMAT = 2
DELTA_FORMAT = 1
DELTA_RECORD = "postings-delta.json"
STORED = STORED_PRECISION
CHUNK = 65_536
PREFETCH_THREADS = 4  # a mapped inverted file's reading threads per search (FAISS: 32)
SCAN_DEPTH = 1_600  # an approximate scan's depth: 2 × the deepest distinct search (16 × 50 candidates)
_MERGE_CHUNKS = 8
_DDL = (
    f"{VECTORS};{SENTENCE_VECTORS};"
    "CREATE TABLE IF NOT EXISTS removed_vectors(sentence_id INTEGER PRIMARY KEY, generation INTEGER NOT NULL);"
    "CREATE TABLE IF NOT EXISTS changed_articles(article_rowid INTEGER PRIMARY KEY, generation INTEGER NOT NULL);"
)


# ---- vectors in SQLite -----------------------------------------------------------
def encode(vector: np.ndarray) -> bytes:
    return np.ascontiguousarray(vector, dtype=STORED).tobytes()


def decode(blobs: Sequence[bytes], dim: int) -> np.ndarray:
    if not blobs:
        return np.zeros((0, dim), dtype=np.float32)
    return np.frombuffer(b"".join(blobs), dtype=STORED).reshape(len(blobs), -1).astype(np.float32)


def put_vectors(conn: sqlite3.Connection, ids: Sequence[int], vectors: np.ndarray) -> None:
    """Each sentence's vector, stored once however many sentences share it (store.VECTORS)."""
    keys = keep_vectors(conn, [encode(v) for v in vectors])
    conn.executemany(
        "INSERT OR REPLACE INTO sentence_vectors(sentence_id, key) VALUES(?, ?)",
        [(int(i), k) for i, k in zip(ids, keys, strict=True)],
    )


def log_removed(conn: sqlite3.Connection, ids: Sequence[int], generation: int) -> None:
    """Readers holding an older snapshot learn of removals from this log (pruned at compaction)."""
    conn.executemany(
        "INSERT OR REPLACE INTO removed_vectors(sentence_id, generation) VALUES(?, ?)", [(int(i), generation) for i in ids]
    )


def stored_vectors(store: Store, ids: Iterable[int], dim: int) -> tuple[np.ndarray, np.ndarray]:
    """(ids, vectors) of these sentences from SQLite (whole-corpus reads stream: _vectors_after)."""
    rows = store.select_in(
        "SELECT s.sentence_id, v.vector FROM sentence_vectors s JOIN vectors v ON v.key = s.key "
        "WHERE s.sentence_id IN ({marks})",
        (int(i) for i in ids),
    )
    return np.array([r[0] for r in rows], dtype=np.int64), decode([r[1] for r in rows], dim)


def _vectors_after(conn: sqlite3.Connection, last_id: int, dim: int) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    cursor = conn.execute(
        "SELECT s.sentence_id, v.vector FROM sentence_vectors s JOIN vectors v ON v.key = s.key "
        "WHERE s.sentence_id > ? ORDER BY s.sentence_id",
        (last_id,),
    )
    while rows := cursor.fetchmany(CHUNK):
        yield np.array([r[0] for r in rows], dtype=np.int64), decode([r[1] for r in rows], dim)


def ensure_vector_table(store: Store) -> None:
    with store.reading() as conn:
        conn.executescript(_DDL)


# ---- the policy --------------------------------------------------------------------
@dataclass(frozen=True)
class IndexPolicy:
    """Which base index a corpus of a given size gets, and when a writer compacts."""

    kind: str = "auto"
    exact_limit: int = 100_000
    nprobe: int = 48
    compact_share: float = 0.02
    compact_floor: int = 2_000
    bulk_share: float = 0.10

    def kind_for(self, count: int) -> str:
        if self.kind != "auto":
            return self.kind
        return "ivf" if count > self.exact_limit else "flat"

    @staticmethod
    def nlist_for(count: int) -> int:
        """About 2·√n lists (each probe scans a few hundred vectors at 1M), with the 39 training
        points per list k-means wants."""
        return int(max(1, min(8192, 2 * math.sqrt(max(count, 1)), count // 39)))

    def due(self, base_count: int, delta: int, tombstones: int, bulk: bool = False) -> bool:
        """Whether the vectors written since the base (and those removed) are worth a new base.

        A write folds them in at ``compact_share`` of the base when it ends. In the middle of a
        long run (``bulk``) the share is ``bulk_share``: each compaction reads and writes the
        whole base and its postings, so at 2% a run that grows a corpus tenfold rewrites it
        about fifty times over (12 s a compaction at a million sentences on a disk that syncs
        100 MB/s: most of a bulk import's time); at 10%, about ten. Readers meanwhile search
        the unsaved vectors one by one, at most that share of the base."""
        share = max(self.compact_share, self.bulk_share) if bulk else self.compact_share
        return delta + tombstones > max(self.compact_floor, share * base_count)

    def retrain(self, trained_on: int, count: int) -> bool:
        """The lists were fitted to another corpus size: refit rather than let them skew."""
        return count > 2 * trained_on or count * 4 < trained_on


# ---- the record and the snapshot --------------------------------------------------
@dataclass(frozen=True)
class Pending:
    info: IndexInfo | None
    generation: int
    count: int
    last_id: int
    delta: int
    tombstones: list[int]


@dataclass(frozen=True)
class IndexInfo:
    embedder: str
    dimension: int
    normalization: str
    generation: int
    count: int
    last_id: int = 0
    kind: str = "flat"
    nlist: int = 0
    trained_on: int = 0
    bytes: int = 0
    sha256: str = ""
    file: str = "vectors.faiss"
    postings: str = ""
    postings_bytes: int = 0
    postings_sha256: str = ""

    def to_json(self) -> str:
        return json.dumps({"format": FORMAT, **self.__dict__}, ensure_ascii=False, indent=1)


@dataclass(frozen=True)
class DeltaInfo:
    """The record of a lexical delta: the base postings it follows, the generation and last
    sentence id it covers, and its file."""

    base: str
    generation: int
    last_id: int
    file: str
    bytes: int
    sha256: str

    def to_json(self) -> str:
        return json.dumps({"format": DELTA_FORMAT, **self.__dict__}, ensure_ascii=False, indent=1)


@dataclass(frozen=True)
class SavedDelta:
    info: DeltaInfo
    sentences: lexical.Postings
    articles: lexical.Postings


@dataclass(frozen=True)
class Snapshot:
    """One consistent view for searching: never mutated, replaced whole (readers see old or new)."""

    info: IndexInfo | None = None
    base: faiss.Index | None = None
    tombstones: frozenset[int] = frozenset()
    chunks: tuple[tuple[np.ndarray, np.ndarray], ...] = ()
    generation: int = -1
    seen_id: int = 0
    nprobe: int = 48
    lexical: lexical.LexicalView | None = None  # sentences
    articles: lexical.LexicalView | None = None
    _params: object = field(default=None, compare=False)
    # the last approximate scan (query bytes, depth, ids, scores): not an init field, so a
    # snapshot made from this one by ``replace`` starts without it
    _scan: list[tuple[bytes, int, np.ndarray, np.ndarray] | None] = field(
        default_factory=lambda: [None], init=False, compare=False, repr=False
    )

    @property
    def approximate(self) -> bool:
        return self.info is not None and self.info.kind == "ivf"

    @property
    def delta(self) -> int:
        return sum(len(ids) for ids, _ in self.chunks)

    @property
    def count(self) -> int:
        return (self.base.ntotal if self.base is not None else 0) - len(self.tombstones) + self.delta

    def nearest(self, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The ``k`` best (ids, scores), best first, as arrays: a deep search (thousands of
        candidates through wire copy) costs more in Python objects than in FAISS.

        An inverted file costs the same to scan for 100 or 1,600 (the lists probed are the
        work, not the heap), and a dense search through wire copy asks again, deeper, for the
        same question (``retrieval.search.gather.distinct_nearest``). So an approximate scan
        goes :data:`SCAN_DEPTH` deep and is kept for the next call with the same query: one
        scan a question instead of two. The k best of the deeper scan are the k best of the
        lists probed, as a k-deep scan finds them; a tie across the cut goes to the newest id,
        where a k-deep heap keeps whichever it met first."""
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        if not self.approximate:
            return self._scanned(q, k)
        key = q.tobytes()
        last = self._scan[0]
        if last is None or last[0] != key or last[1] < k:
            depth = max(k, SCAN_DEPTH)
            ids, scores = self._scanned(q, depth)
            ids.flags.writeable = scores.flags.writeable = False  # callers get views of these
            last = (key, depth, ids, scores)
            self._scan[0] = last  # one slot: threads asking different questions only miss it
        return last[2][:k], last[3][:k]

    def _scanned(self, q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        id_parts: list[np.ndarray] = []
        score_parts: list[np.ndarray] = []
        if self.base is not None and self.base.ntotal:
            want = min(k, self.base.ntotal)
            if self._params is not None:
                scores, ids = self.base.search(q, want, params=self._params)
            else:
                scores, ids = self.base.search(q, want)
            found = ids[0] >= 0
            id_parts.append(ids[0][found].astype(np.int64))
            score_parts.append(scores[0][found].astype(np.float32))
        for ids, vecs in self.chunks:  # FAISS's kernel: a copy scores alike in the base and here
            scores, top = faiss.knn(q, vecs, min(k, len(ids)), metric=faiss.METRIC_INNER_PRODUCT)
            id_parts.append(ids[top[0]].astype(np.int64))
            score_parts.append(scores[0].astype(np.float32))
        if not id_parts:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        return best_first(np.concatenate(id_parts), np.concatenate(score_parts), k)


def _few_prefetch_threads(index: faiss.Index) -> None:
    """A mapped inverted file (FAISS's OnDiskInvertedLists) starts 32 threads before each search
    to touch the lists it is about to scan, so that a disk serves them in parallel. Once the
    lists are in the page cache, which a reader's first questions see to, starting those threads
    is the costliest part of the scan: 2–3 ms of 6.5–7.5 at a million sentences. A few threads
    cost nothing measurable there and still read a cold file's lists in parallel
    (bench/ivf_scan.py, bench/cold_questions.py)."""
    lists = faiss.downcast_InvertedLists(faiss.extract_index_ivf(index).invlists)
    if hasattr(lists, "prefetch_nthread"):
        lists.prefetch_nthread = PREFETCH_THREADS


def best_first(ids: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best (ids, scores) by score; copies of one sentence tie: newest first, as FAISS."""
    order = np.lexsort((-ids, -scores))[:k]
    return ids[order], scores[order]


def hits_of(ids: np.ndarray, scores: np.ndarray) -> list[Hit]:
    """Arrays of ids and scores as the hits the searchers return, in the same order."""
    return [Hit(int(i), float(s)) for i, s in zip(ids.tolist(), scores.tolist(), strict=True)]


def _params_for(base: faiss.Index | None, kind: str, tombstones: frozenset[int], nprobe: int) -> object:
    sel = None
    if tombstones:
        sel = faiss.IDSelectorNot(faiss.IDSelectorBatch(np.fromiter(tombstones, dtype=np.int64, count=len(tombstones))))
    if kind == "ivf":
        params = faiss.SearchParametersIVF(nprobe=nprobe)
        if sel is not None:
            params.sel = sel
            params._keep = sel  # the SWIG object does not own the selector
        return params
    if sel is None:
        return None
    params = faiss.SearchParameters(sel=sel)
    params._keep = sel
    return params


def _with(snapshot: Snapshot, **changes: object) -> Snapshot:
    new = replace(snapshot, **changes)
    kind = new.info.kind if new.info else "flat"
    return replace(new, _params=_params_for(new.base, kind, new.tombstones, new.nprobe))


def _drop(chunks: tuple[tuple[np.ndarray, np.ndarray], ...], gone: set[int]) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    out = []
    for ids, vecs in chunks:
        keep = ~np.isin(ids, np.fromiter(gone, dtype=np.int64, count=len(gone)))
        if keep.all():
            out.append((ids, vecs))
        elif keep.any():
            out.append((ids[keep], vecs[keep]))
    return tuple(out)


def _merged(chunks: tuple[tuple[np.ndarray, np.ndarray], ...]) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    if len(chunks) <= _MERGE_CHUNKS:
        return chunks
    return ((np.concatenate([c[0] for c in chunks]), np.vstack([c[1] for c in chunks])),)


# ---- the index on disk ---------------------------------------------------------------
class VectorIndex:
    """The base file and its record for one data directory, and the snapshots built from them."""

    def __init__(self, index_dir: Path, embedder_name: str, dimension: int, policy: IndexPolicy | None = None) -> None:
        self.dir = index_dir
        self.embedder_name = embedder_name
        self.dimension = dimension
        self.policy = policy or IndexPolicy()
        self.info_path = index_dir / "vectors.json"

    @property
    def faiss_path(self) -> Path:
        try:
            return self.dir / self.read_info().file
        except (IndexMissingError, IndexCorruptError):
            return self.dir / "vectors.faiss"

    def exists(self) -> bool:
        return self.info_path.exists() or any(self.dir.glob("vectors*.faiss"))

    def read_info(self) -> IndexInfo:
        try:
            raw = json.loads(self.info_path.read_text(encoding="utf-8"))
            found = raw.pop("format", None)
            if found == 1:  # an exact index from before snapshots; opening rebuilds its view from SQLite
                return IndexInfo(**{**raw, "kind": "legacy"})
            if found != FORMAT:
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
                f"{rebuild_hint(info.embedder, self.embedder_name)}"
            )

    def check_file(self, info: IndexInfo) -> Path:
        """The base file the record names, there and of the recorded size (a cheap check; the
        checksum is :meth:`verify`'s)."""
        return _sized(self.dir / info.file, info.bytes, "the vector index")

    def load_base(self, info: IndexInfo, writable: bool = False) -> faiss.Index:
        """The base file; mapped read-only for readers (instant at any size), read whole for writers."""
        path = self.check_file(info)
        flags = 0 if writable or info.kind != "ivf" else faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY
        try:
            index = faiss.read_index(str(path), flags)
        except RuntimeError as exc:
            raise IndexCorruptError(f"the vector index {path} cannot be read; {REBUILD_HINT}") from exc
        if index.d != self.dimension or index.ntotal != info.count:
            raise IndexCorruptError(f"the vector index {path} does not match its record; {REBUILD_HINT}")
        if flags:
            _few_prefetch_threads(index)
        return index

    def open(self, store: Store, writable: bool = False) -> Snapshot:
        info = self.read_info()
        self.check_info(info)
        if info.kind == "legacy":
            snap = Snapshot(generation=-1, seen_id=0, nprobe=self.policy.nprobe)
        else:
            base = self.load_base(info, writable)
            views = self._views(info)
            snap = _with(
                Snapshot(
                    info, base, generation=info.generation, seen_id=info.last_id, nprobe=self.policy.nprobe,
                    lexical=views.get("sentences"), articles=views.get("articles"),
                )
            )  # fmt: skip
            if views:
                return self.advance(snap, store, self.read_delta(info))
        return self.advance(snap, store)

    def load_postings(self, info: IndexInfo) -> dict[str, lexical.Postings]:
        path = _sized(self.dir / info.postings, info.postings_bytes, "the lexical postings file")
        try:
            sections = lexical.load(path)
            if set(sections) != {"sentences", "articles"}:
                raise ValueError(f"sections {sorted(sections)}")
            return sections
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexCorruptError(f"the lexical postings file {path} cannot be read ({exc}); {REBUILD_HINT}") from exc

    def _views(self, info: IndexInfo) -> dict[str, lexical.LexicalView]:
        """The postings this record names, or none: FTS5 then serves lexical search (same scores,
        slower), and ``pasokh index --check`` names the problem."""
        if not info.postings:
            return {}
        try:
            return {name: lexical.LexicalView.over(p) for name, p in self.load_postings(info).items()}
        except (IndexMissingError, IndexCorruptError) as exc:
            logger.warning("%s; lexical search falls back to FTS5 until then", exc)
            return {}

    def empty(self) -> Snapshot:
        return Snapshot(generation=-1, nprobe=self.policy.nprobe)

    def advance(self, snap: Snapshot, store: Store, saved: SavedDelta | None = None) -> Snapshot:
        """Apply what the database committed since ``snap``: new vectors in, removed ones out.
        With a lexical delta ``saved`` for ``snap``'s base, its postings stand for the terms up
        to its generation, and only what came after is read and built."""
        with store.snapshot() as conn:
            generation = Store.generation_in(conn)
            if generation == snap.generation:
                return snap
            new = list(_vectors_after(conn, snap.seen_id, self.dimension))
            gone = set(removed_since(conn, snap.generation))
            view, articles = snap.lexical, snap.articles
            lexical_gen, lexical_seen = snap.generation, snap.seen_id
            if (
                saved is not None
                and snap.generation < saved.info.generation <= generation
                and view is not None
                and articles is not None
            ):
                lexical_gen, lexical_seen = saved.info.generation, saved.info.last_id
                view = view.joined(saved.sentences)  # removals since the base are applied to both parts below
                articles = articles.advanced((), changed_articles(conn, snap.generation)).joined(saved.articles)
            if view is not None:
                view = view.advanced(list(_terms_after(conn, lexical_seen)), gone)
            if articles is not None:
                changed = changed_articles(conn, lexical_gen)
                articles = articles.advanced(_article_terms(conn, changed), changed)
        last_id = snap.info.last_id if snap.info else 0
        tombstones = snap.tombstones | {i for i in gone if i <= last_id}
        chunks = _drop(snap.chunks, gone) if gone and snap.chunks else snap.chunks
        chunks = _merged(chunks + tuple((ids, vecs) for ids, vecs in new if len(ids)))
        seen = max([snap.seen_id, *(int(ids[-1]) for ids, _ in new if len(ids))])
        return _with(
            snap, tombstones=frozenset(tombstones), chunks=chunks, generation=generation, seen_id=seen, lexical=view,
            articles=articles,
        )  # fmt: skip

    # ---- the lexical delta --------------------------------------------------------
    @property
    def delta_path(self) -> Path:
        return self.dir / DELTA_RECORD

    def read_delta_info(self) -> DeltaInfo | None:
        """The lexical delta's record, or None when there is none; IndexCorruptError when it is damaged."""
        try:
            raw = json.loads(self.delta_path.read_text(encoding="utf-8"))
            if raw.pop("format", None) != DELTA_FORMAT:
                raise ValueError("unknown format")
            return DeltaInfo(**raw)
        except FileNotFoundError:
            return None
        except (ValueError, TypeError) as exc:
            raise IndexCorruptError(f"the lexical delta record {self.delta_path} is damaged ({exc}); {REBUILD_HINT}") from exc

    def load_delta(self, delta: DeltaInfo) -> SavedDelta:
        path = _sized(self.dir / delta.file, delta.bytes, "the lexical delta")
        try:
            sections = lexical.load(path)
            return SavedDelta(delta, sections["sentences"], sections["articles"])
        except (ValueError, KeyError, TypeError) as exc:
            raise IndexCorruptError(f"the lexical delta {path} cannot be read ({exc}); {REBUILD_HINT}") from exc

    def read_delta(self, info: IndexInfo) -> SavedDelta | None:
        """The lexical delta that follows this base, if a writer saved one; a reader builds the
        same parts itself when it is missing, follows another base, or is damaged (said once
        here, and by ``pasokh index --check``)."""
        try:
            delta = self.read_delta_info()
            if delta is None or delta.base != info.postings or delta.last_id < info.last_id:
                return None
            return self.load_delta(delta)
        except IndexMissingError:
            return None  # a compaction removed it after we read its record
        except IndexCorruptError as exc:
            logger.warning("%s; new readers build it from the database until then", exc)
            return None

    def save_delta(self, store: Store) -> None:
        """After a write that did not compact (the caller holds the write lock): the postings of
        every sentence and changed article since the base, for new readers to map. The last
        delta is carried forward (its removed sentences and changed articles dropped, what came
        since added), so a write costs what it added, not everything since the base."""
        try:
            info = self.read_info()
        except (IndexMissingError, IndexCorruptError):
            return
        if info.kind == "legacy" or not info.postings:
            return
        prior = self.read_delta(info)
        with store.snapshot() as conn:
            generation = Store.generation_in(conn)
            if generation <= info.generation or (prior is not None and prior.info.generation == generation):
                return
            top = int(conn.execute("SELECT coalesce(max(rowid), 0) FROM sentence_terms").fetchone()[0])
            if prior is None:
                sentences = lexical.build(_terms_after(conn, info.last_id))
                articles = lexical.build(_article_terms(conn, changed_articles(conn, info.generation)))
            else:
                since = prior.info.generation
                gone = removed_since(conn, since)
                changed = changed_articles(conn, since)
                sentences = lexical.combine(
                    prior.sentences, _live(prior.sentences, gone), lexical.build(_terms_after(conn, prior.info.last_id))
                )
                articles = lexical.combine(
                    prior.articles, _live(prior.articles, changed), lexical.build(_article_terms(conn, changed))
                )
        try:
            name, size, digest = self._write_named(
                "postings-delta", generation, "bin", lexical.encode({"sentences": sentences, "articles": articles})
            )
            record = DeltaInfo(info.postings, generation, max(top, info.last_id), name, size, digest)
            atomic_write(self.delta_path, record.to_json().encode("utf-8"))
        except OSError as exc:  # the write is committed; readers build what this would have saved
            logger.warning("could not save the lexical delta in %s (%s); new readers build it instead", self.dir, exc)
            return
        for old in self.dir.glob("postings-delta-*.bin"):
            if old.name != name:
                old.unlink(missing_ok=True)  # readers that mapped it keep their pages

    def changed_on_disk(self, snap: Snapshot) -> bool:
        """Another writer compacted: the record names a base file this snapshot does not use."""
        try:
            info = self.read_info()
        except (IndexMissingError, IndexCorruptError):
            return False
        return snap.info is None or info.file != snap.info.file

    def pending(self, store: Store) -> Pending:
        """What a compaction would fold in, counted in SQL (a writer never holds the vectors)."""
        try:
            info: IndexInfo | None = self.read_info()
        except IndexMissingError:
            info = None
        if info is not None and info.kind == "legacy":
            info = None
        last_id, base_gen = (info.last_id, info.generation) if info else (0, -1)
        with store.snapshot() as conn:
            generation = Store.generation_in(conn)
            top = int(conn.execute("SELECT coalesce(max(sentence_id), 0) FROM sentence_vectors").fetchone()[0])
            delta = int(conn.execute("SELECT count(*) FROM sentence_vectors WHERE sentence_id > ?", (last_id,)).fetchone()[0])
            gone = [
                r[0]
                for r in conn.execute(
                    "SELECT sentence_id FROM removed_vectors WHERE generation > ? AND sentence_id <= ?", (base_gen, last_id)
                )
            ]
        count = (info.count if info else 0) - len(gone) + delta  # no full count: this runs every few thousand writes
        return Pending(info, generation, count, max(top, last_id), delta, gone)

    def compact_due(self, pending: Pending, bulk: bool = False) -> bool:
        info = pending.info
        wanted = self.policy.kind_for(pending.count)
        return (
            info is None
            or wanted != info.kind
            or self.policy.due(info.count, pending.delta, len(pending.tombstones), bulk)
            or (info.kind == "ivf" and self.policy.retrain(info.trained_on, pending.count))
        )

    # ---- building and saving ------------------------------------------------------
    def compact(self, store: Store, force: bool = False, bulk: bool = False) -> bool:
        """Fold the delta and tombstones into a new base file when due (the caller holds the
        write lock); ``bulk``: in the middle of a long write (:meth:`IndexPolicy.due`)."""
        pending = self.pending(store)
        if not (force or self.compact_due(pending, bulk)):
            return False
        info = pending.info
        kind = self.policy.kind_for(pending.count)
        if kind == "ivf" and info is not None and info.kind == "ivf" and not self.policy.retrain(info.trained_on, pending.count):
            index = self.load_base(info, writable=True)
            if pending.tombstones:
                index.remove_ids(np.asarray(pending.tombstones, dtype=np.int64))
            with store.snapshot() as conn:
                for ids, vecs in _vectors_after(conn, info.last_id, self.dimension):
                    ivf_build.add(index, vecs, ids)
            nlist, trained_on = info.nlist, info.trained_on
        else:
            index, nlist, trained_on = self._build(kind, pending.count, store)
        terms = self._postings(store, info, pending.tombstones)
        self._save(index, terms, kind, nlist, trained_on, pending.generation, pending.last_id, store)
        return True

    def _postings(self, store: Store, info: IndexInfo | None, gone: Sequence[int]) -> dict[str, lexical.Postings]:
        """The last base's postings without ``gone`` sentences and changed articles, with every
        newer sentence's and changed article's terms; read whole from SQLite when there is no
        usable last base."""
        with store.snapshot() as conn:
            if info is not None and info.postings:
                try:
                    base = self.load_postings(info)
                except (IndexMissingError, IndexCorruptError) as exc:
                    logger.warning("%s; reading every sentence's terms again", exc)
                else:
                    sentences, articles = base["sentences"], base["articles"]
                    changed = changed_articles(conn, info.generation)
                    return {
                        "sentences": lexical.combine(
                            sentences, _live(sentences, gone), lexical.build(_terms_after(conn, info.last_id))
                        ),
                        "articles": lexical.combine(
                            articles, _live(articles, changed), lexical.build(_article_terms(conn, changed))
                        ),
                    }
            every = conn.execute("SELECT article_rowid, terms FROM article_terms_text ORDER BY article_rowid")
            return {"sentences": lexical.build(_terms_after(conn, 0)), "articles": lexical.build(every)}

    def build(self, store: Store) -> None:
        """A new base from every stored vector (rebuild, or the first save). It reads nothing of
        the old index, whatever state its files are in (missing, truncated, garbage, another
        version's): the database is the source of truth, so the command that says an index is
        damaged can always repair it."""
        with store.snapshot() as conn:
            generation = Store.generation_in(conn)
            count, top = conn.execute("SELECT count(*), coalesce(max(sentence_id), 0) FROM sentence_vectors").fetchone()
        kind = self.policy.kind_for(int(count))
        index, nlist, trained_on = self._build(kind, int(count), store)
        self._save(index, self._postings(store, None, ()), kind, nlist, trained_on, generation, int(top), store)

    def _build(self, kind: str, count: int, store: Store) -> tuple[faiss.Index, int, int]:
        if kind == "flat":
            index: faiss.Index = faiss.IndexIDMap2(faiss.IndexFlatIP(self.dimension))
            nlist = trained_on = 0
        else:
            nlist = self.policy.nlist_for(count)
            quantizer = faiss.IndexFlatIP(self.dimension)
            index = faiss.IndexIVFScalarQuantizer(
                quantizer, self.dimension, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
            )
            sample = self._sample(store, min(count, 40 * nlist))
            ivf_build.train(index, sample)
            trained_on = count
        with store.snapshot() as conn:
            for ids, vecs in _vectors_after(conn, 0, self.dimension):
                if kind == "flat":
                    index.add_with_ids(vecs, ids)
                else:
                    ivf_build.add(index, vecs, ids)
        return index, nlist, trained_on

    def _sample(self, store: Store, size: int) -> np.ndarray:
        with store.reading() as conn:
            rows = conn.execute(
                "SELECT v.vector FROM sentence_vectors s JOIN vectors v ON v.key = s.key WHERE s.sentence_id IN "
                "(SELECT sentence_id FROM sentence_vectors ORDER BY random() LIMIT ?)",
                (size,),
            ).fetchall()
        return decode([r[0] for r in rows], self.dimension)

    def _save(
        self,
        index: faiss.Index,
        terms: dict[str, lexical.Postings],
        kind: str,
        nlist: int,
        trained_on: int,
        generation: int,
        last_id: int,
        store: Store,
    ) -> None:
        """New base files, then the record naming them: renaming the record is the one commit
        point, so a crash at any moment leaves the old record and the old files it names intact."""
        self.dir.mkdir(parents=True, exist_ok=True)
        for stale in self.dir.glob(".*.tmp"):  # left by a writer killed mid-save; callers hold the lock
            stale.unlink(missing_ok=True)
        terms_file, terms_bytes, terms_digest = self._write_named("postings", generation, "bin", lexical.encode(terms))
        file, size, digest = self._write_named("vectors", generation, "faiss", index)
        info = IndexInfo(
            embedder=self.embedder_name,
            dimension=self.dimension,
            normalization=NORMALIZATION_VERSION,
            generation=generation,
            count=int(index.ntotal),
            last_id=last_id,
            kind=kind,
            nlist=nlist,
            trained_on=trained_on,
            bytes=size,
            sha256=digest,
            file=file,
            postings=terms_file,
            postings_bytes=terms_bytes,
            postings_sha256=terms_digest,
        )
        atomic_write(self.info_path, info.to_json().encode("utf-8"))
        self.delta_path.unlink(missing_ok=True)  # it followed the old base
        for old in [*self.dir.glob("vectors*.faiss"), *self.dir.glob("postings*.bin")]:
            if old.name not in (info.file, info.postings):
                old.unlink(missing_ok=True)  # readers that mapped it keep their pages until they move on
        with store.reading() as conn:
            removed = conn.execute("DELETE FROM removed_vectors WHERE generation <= ?", (generation,)).rowcount
            conn.execute("DELETE FROM changed_articles WHERE generation <= ?", (generation,))
            if removed:  # sentences went since the last base: their vectors may now be nobody's
                conn.execute("DELETE FROM vectors WHERE key NOT IN (SELECT key FROM sentence_vectors)")
        logger.info("saved a %s vector index of %d vectors (%d MB)", kind, info.count, info.bytes >> 20)

    def _write_named(
        self, kind: str, generation: int, suffix: str, content: faiss.Index | Iterable[bytes | memoryview]
    ) -> tuple[str, int, str]:
        """Write a base file (a faiss index, or pieces of bytes) beside the others, named by its
        generation and checksum: (its name, bytes, SHA-256). It goes to a temporary file (faiss
        writes an index itself), which is hashed, made durable and renamed; only the record,
        written after, makes it current. Serializing the index into memory and writing that from
        Python cost 6.5-8.3 s at a million sentences at every compaction; this costs 0.7 s."""
        fd, tmp = tempfile.mkstemp(prefix=f".{kind}-", suffix=".tmp", dir=self.dir)
        digest, size = hashlib.sha256(), 0
        try:
            os.fchmod(fd, created_mode())  # readable as the data directory's other files, by a bot of the writer's group
            if isinstance(content, faiss.Index):
                os.close(fd)
                try:
                    faiss.write_index(content, tmp)
                except RuntimeError as exc:  # faiss reports a failed write (a full disk) this way
                    raise OSError(f"cannot write the vector index in {self.dir}: {exc}") from exc
                with open(tmp, "rb") as fh:
                    while block := fh.read(1 << 22):
                        digest.update(block)
                        size += len(block)
                    os.fsync(fh.fileno())
            else:
                with os.fdopen(fd, "wb") as fh:
                    for piece in content:
                        digest.update(piece)
                        size += fh.write(piece)
                    fh.flush()
                    os.fsync(fh.fileno())
            name = f"{kind}-{generation}-{digest.hexdigest()[:12]}.{suffix}"
            os.replace(tmp, self.dir / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return name, size, digest.hexdigest()

    # ---- checking -------------------------------------------------------------------
    def verify(self, info: IndexInfo) -> None:
        _verify(self.dir / info.file, info.sha256, "the vector index")
        if info.postings:
            _verify(self.dir / info.postings, info.postings_sha256, "the lexical postings file")

    def verify_delta(self, info: IndexInfo) -> SavedDelta | None:
        """The lexical delta that follows this base, its checksum verified; None when there is none."""
        delta = self.read_delta_info()
        if delta is None or delta.base != info.postings:
            return None
        _verify(self.dir / delta.file, delta.sha256, "the lexical delta")
        return self.load_delta(delta)


def _sized(path: Path, expected: int, what: str) -> Path:
    """``path``, there and of the size its record says (a cheap check; the checksum is _verify's)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise IndexMissingError(f"{what} {path} is missing; {REBUILD_HINT}") from None
    if size != expected:
        raise IndexCorruptError(f"{what} {path} is damaged (size {size}, expected {expected}); {REBUILD_HINT}")
    return path


def removed_since(conn: sqlite3.Connection, since: int) -> list[int]:
    """Ids of sentences removed after generation ``since`` (the log compaction prunes)."""
    return [r[0] for r in conn.execute("SELECT sentence_id FROM removed_vectors WHERE generation > ?", (since,))]


def changed_articles(conn: sqlite3.Connection, since: int) -> list[int]:
    """Rowids of articles whose terms changed (or which went) after generation ``since``."""
    return [r[0] for r in conn.execute("SELECT article_rowid FROM changed_articles WHERE generation > ?", (since,))]


def _verify(path: Path, sha256: str, what: str) -> None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            while block := fh.read(1 << 22):
                digest.update(block)
    except FileNotFoundError:
        raise IndexMissingError(f"{what} {path} is missing; {REBUILD_HINT}") from None
    if digest.hexdigest() != sha256:
        raise IndexCorruptError(f"{what} {path} is damaged (checksum mismatch); {REBUILD_HINT}")


def _live(postings: lexical.Postings, gone: Sequence[int]) -> np.ndarray | None:
    return ~np.isin(postings.ids, np.asarray(gone, dtype=np.int64)) if len(gone) else None


def _article_terms(conn: sqlite3.Connection, rowids: Sequence[int]) -> list[tuple[int, str]]:
    """(rowid, terms) of these articles that still exist, in rowid order."""
    rows: list[tuple[int, str]] = []
    ordered = sorted(set(rowids))
    for start in range(0, len(ordered), 500):
        part = ordered[start : start + 500]
        marks = ",".join("?" * len(part))
        rows += conn.execute(
            f"SELECT article_rowid, terms FROM article_terms_text WHERE article_rowid IN ({marks}) ORDER BY article_rowid",
            part,
        ).fetchall()
    return rows


def _terms_after(conn: sqlite3.Connection, last_id: int) -> Iterator[tuple[int, str]]:
    """(id, indexed terms) of every sentence above ``last_id``, in id order, streamed."""
    cursor = conn.execute("SELECT rowid, terms FROM sentence_terms WHERE rowid > ? ORDER BY rowid", (last_id,))
    while rows := cursor.fetchmany(CHUNK):
        yield from rows


def base_ids(index: faiss.Index) -> np.ndarray:
    """Every id a base index holds, whatever its kind."""
    if isinstance(index, faiss.IndexIDMap2 | faiss.IndexIDMap):
        return faiss.vector_to_array(index.id_map).astype(np.int64)
    ivf = faiss.extract_index_ivf(index)
    lists = ivf.invlists
    out = []
    for no in range(ivf.nlist):
        size = lists.list_size(no)
        if size:
            ptr = lists.get_ids(no)
            out.append(faiss.rev_swig_ptr(ptr, size).copy())
            lists.release_ids(no, ptr)
    return np.concatenate(out).astype(np.int64) if out else np.zeros(0, dtype=np.int64)
