"""The embedded default: one data directory holding an SQLite database (articles, sentences,
FTS5 terms, vectors as float16 blobs, each distinct one once) and a FAISS base file derived from
the vectors.

One process writes at a time, under a file lock. SQLite commits first; the FAISS base file
is only rewritten when a compaction is due, and everything newer than it is read from SQLite
(see faiss_index). If a writer dies at any point, the database is the last good state and
every reader's view is derived from it.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corpus.records import PreparedArticle, Sentence
from retrieval.errors import (
    REBUILD_HINT,
    REPAIR_HINT,
    IndexError_,
    IndexMismatchError,
    IndexMissingError,
    StorageError,
    damage_said,
    is_damage,
    rebuild_hint,
)
from retrieval.records import Hit
from retrieval.settings import StorageSettings
from retrieval.store import Storage
from retrieval.store.backends.sqlite.backup import backup as backup_data_dir
from retrieval.store.backends.sqlite.botlog import BOT_LOG, open_bot_log
from retrieval.store.backends.sqlite.faiss_index import (
    IndexInfo,
    IndexPolicy,
    Snapshot,
    VectorIndex,
    base_ids,
    best_first,
    changed_articles,
    decode,
    ensure_vector_table,
    hits_of,
    log_removed,
    put_vectors,
    removed_since,
    stored_vectors,
)
from retrieval.store.backends.sqlite.filesystem import warn_if_networked
from retrieval.store.backends.sqlite.fts import LexicalIndex
from retrieval.store.backends.sqlite.lock import WriteLock
from retrieval.store.backends.sqlite.salvage import bot_log_damage, damage, emptied, repair
from retrieval.store.backends.sqlite.store import DATABASE, Store, norm_key, stored_norm
from retrieval.store.capabilities import (
    TITLE_COPIES_LIMIT,
    BackupReport,
    CheckReport,
    Derive,
    Embed,
    IndexedArticle,
    LexicalSearch,
    Lifecycle,
    Maintainable,
    RebuildProgress,
    RepairReport,
    Signature,
    VectorSearch,
    Writable,
    Writer,
    headline_only,
    title_part,
)

logger = logging.getLogger(__name__)
CHUNK = 1024


def open_storage(storage: StorageSettings, location: Path, signature: Signature, corpus: str | None = None) -> Storage:
    """The SQLite database keeps the documents and the state itself (:class:`Store`); this
    backend adds FTS5 search, the FAISS-backed vector search, the writer and maintenance."""
    backend = open_backend(storage, location, signature)
    return Storage(backend.name, backend.store, backend.store, backend, backend, backend, backend, backend, open_bot_log)


def repair_storage(storage: StorageSettings, location: Path, embed_for: Callable[[str | None], Embed]) -> RepairReport | None:
    """:func:`retrieval.store.backends.sqlite.salvage.repair`: a damaged database replaced by
    what can be read of it whole."""
    return repair(location, embed_for)


def open_backend(storage: StorageSettings, location: Path, signature: Signature) -> SQLiteBackend:
    sqlite = storage.sqlite
    policy = IndexPolicy(
        kind=sqlite.vector_index, exact_limit=sqlite.exact_limit, nprobe=sqlite.nprobe, bulk_share=sqlite.bulk_compact_share
    )
    return SQLiteBackend(location, signature, policy)


def _refuse_a_lost_database(database: Path, index: Path) -> None:
    """A data directory whose index files outlive its database lost the database (deleted, or
    emptied by a failed copy): opening it would start a new, empty corpus (the demo seeded again)
    beside indexes of the old one, and answer from both. Say so instead, and both ways out."""
    if not (index / "vectors.json").is_file() or not (state := emptied(database)):
        return
    raise StorageError(
        f"the database {database} is {state}, but {index} holds the indexes of a corpus it kept: restore the data "
        f"directory from a backup (`pasokh backup` makes them), or remove {index} to start an empty corpus"
    )


DF_REMEMBERED = 200_000  # terms whose counts are kept between questions, at most


@dataclass
class _Counts:
    generation: int
    rows: int = -1
    df: dict[str, int] = field(default_factory=dict)


class SQLiteBackend(Lifecycle, LexicalSearch, VectorSearch, Writable, Maintainable):
    name = "sqlite"

    def __init__(self, data_dir: Path, signature: Signature, policy: IndexPolicy | None = None) -> None:
        self.data_dir = data_dir
        self.signature = signature
        warn_if_networked(data_dir)
        _refuse_a_lost_database(data_dir / DATABASE, data_dir / "index")
        self.store = Store(data_dir / DATABASE)
        ensure_vector_table(self.store)
        self.fts = LexicalIndex(self.store, signature.lexical)
        self.faiss = VectorIndex(data_dir / "index", signature.embedder, signature.dimension, policy)
        self.snap: Snapshot = self.faiss.empty()
        self._reload_lock = threading.Lock()
        self._counts = _Counts(-1)
        self._stale = False

    # ---- lifecycle ---------------------------------------------------------------
    def open(self) -> None:
        self.fts.check()
        if not self.faiss.exists():
            if self.store.stats().articles == 0:
                self.snap = self.faiss.advance(self.faiss.empty(), self.store)
                return
            raise IndexMissingError(f"the vector index in {self.faiss.dir} is missing; {REBUILD_HINT}")
        self.snap = self.faiss.open(self.store)

    def refresh(self) -> bool:
        """Apply what changed since our snapshot (new vectors in, removed ones out); only a
        compaction by a writer makes us map its new base file. Searches keep the old snapshot
        until the one reference swap."""
        with self._reload_lock:
            old = self.snap
            if self.faiss.changed_on_disk(old):
                snap = self.faiss.open(self.store)
            else:
                snap = self.faiss.advance(old, self.store)
                if self.faiss.changed_on_disk(snap):  # compacted while we read: its log may be pruned
                    snap = self.faiss.open(self.store)
            self.snap = snap
        return snap is not old

    def generation(self) -> int:
        return self.store.generation()

    def close(self) -> None:
        self.store.close()

    def describe(self) -> dict[str, object]:
        index_file = self.faiss.faiss_path
        snap = self._current()
        return {
            "backend": self.name,
            "vectors": snap.count,
            "vector_index": snap.info.kind if snap.info else "none",
            "index_bytes": index_file.stat().st_size if index_file.exists() else 0,
            "unsaved_vectors": snap.delta,
            "lexical_index": "postings" if snap.lexical is not None else "fts5",
            "data_dir": str(self.data_dir),
        }

    # ---- search ------------------------------------------------------------------
    def search_sentences(self, terms: Sequence[str], k: int) -> list[Hit]:
        """From the snapshot's postings when it has them and the terms are plain tokens, else FTS5
        (the same scores; see postings)."""
        view = self._current().lexical
        hits = view.search(terms, k) if view is not None else None
        return self.fts.search(terms, k) if hits is None else hits

    def search_articles(self, terms: Sequence[str], k: int) -> list[tuple[str, float]]:
        view = self._current().articles
        hits = view.search(terms, k) if view is not None else None
        if hits is None:
            return self.fts.search_articles(terms, k)
        rowids = (h.sentence_id for h in hits)  # an article's hit carries its rowid
        names = dict(self.store.select_in("SELECT rowid, id FROM articles WHERE rowid IN ({marks})", rowids))
        return [(names[h.sentence_id], h.score) for h in hits if h.sentence_id in names]

    def _current(self) -> Snapshot:
        if self._stale:
            self._stale = False
            self.refresh()
        return self.snap

    def search_dense(self, vector: np.ndarray, k: int) -> list[Hit]:
        return hits_of(*self.nearest(vector, k))

    def nearest(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        snap = self._current()
        if not snap.approximate:
            return snap.nearest(vector, k)
        ids, approximate = snap.nearest(vector, 2 * k)
        # Copies of one vector carry one quantized code and so one approximate score: one of them
        # is re-scored for all. A dense search that goes deep through wire copy (gather.distinct_nearest)
        # would otherwise read hundreds of identical vectors.
        _, first, share = np.unique(approximate, return_index=True, return_inverse=True)
        chosen = {int(i): n for n, i in enumerate(ids[first])}
        stored, vecs = stored_vectors(self.store, chosen, self.signature.dimension)
        exact = np.full(len(first), np.nan, dtype=np.float32)
        exact[[chosen[int(i)] for i in stored]] = vecs @ np.asarray(vector, dtype=np.float32).reshape(-1)
        scores = exact[share.reshape(-1)]
        kept = ~np.isnan(scores)  # a sentence removed since the snapshot: its copies are dropped with it
        return best_first(ids[kept], scores[kept], k)

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """Document frequencies, remembered until the corpus changes: FTS5 counts them by reading
        each term's whole posting list, which at a million sentences costs more than the search."""
        cache = self._cached()
        unique = list(dict.fromkeys(terms))
        if len(cache.df) + len(unique) > DF_REMEMBERED:  # spelling repairs probe thousands of words a question
            cache.df.clear()
        missing = [t for t in unique if t not in cache.df]
        view = self._current().lexical if missing else None
        if view is not None and view.docs == self.sentence_count():  # the snapshot is the corpus now
            counted = {t: view.frequency(t) for t in missing}
            cache.df.update({t: n for t, n in counted.items() if n is not None})
            missing = [t for t, n in counted.items() if n is None]
        if missing:
            found = self.fts.frequencies(missing)
            cache.df.update({t: found.get(t, 0) for t in missing})
        return {t: cache.df[t] for t in unique if cache.df[t]}

    def sentence_count(self) -> int:
        cache = self._cached()
        if cache.rows < 0:
            cache.rows = self.fts.rows()
        return cache.rows

    def _cached(self) -> _Counts:
        generation = self.store.generation()
        cache = self._counts
        if cache.generation != generation:
            cache = self._counts = _Counts(generation)
        return cache

    def terms_of(self, sentence_ids: Iterable[int]) -> dict[int, frozenset[str]]:
        return self.fts.terms_of(sentence_ids)

    def article_terms_of(self, article_id: str) -> frozenset[str]:
        return self.fts.article_terms_of(article_id)

    # ---- writing -----------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[Writer]:
        with WriteLock(self.data_dir):
            self._open_for_writing()
            writer = _SQLiteWriter(self)
            try:
                yield writer
            finally:
                if (writer.changed or not self.faiss.exists()) and not self.faiss.compact(self.store):
                    self.faiss.save_delta(self.store)  # what new readers would otherwise build at start
                self._stale = True  # this process's next search catches up; an ingest command never searches

    def reusable_vectors(self, norms: Iterable[str], title: str | None = None) -> dict[str, np.ndarray]:
        """One stored vector per already-known sentence: a lookup per sentence, however many
        copies of it the corpus holds (a join over all copies grows with the corpus). With a
        title, the sentences of a few articles of exactly that title (by its index)."""
        wanted = list(dict.fromkeys(norms))
        if title is not None:
            return self._titled_copies(set(wanted), title)
        dim = self.signature.dimension
        out: dict[str, np.ndarray] = {}
        with self.store.reading() as conn:
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                rows = conn.execute(
                    f"WITH w(n, k) AS (VALUES {','.join('(?,?)' for _ in part)}) SELECT w.n, (SELECT v.vector FROM sentences s "
                    "JOIN sentence_vectors sv ON sv.sentence_id = s.id JOIN vectors v ON v.key = sv.key "
                    "WHERE s.norm_key = w.k AND coalesce(s.norm, s.text) = w.n "
                    "LIMIT 1) FROM w",
                    [v for norm in part for v in (norm, norm_key(norm))],
                ).fetchall()
                found = [(norm, blob) for norm, blob in rows if blob is not None]
                out.update(zip((norm for norm, _ in found), decode([blob for _, blob in found], dim), strict=True))
        return out

    def _titled_copies(self, wanted: set[str], title: str) -> dict[str, np.ndarray]:
        """Vectors of ``wanted`` sentences in a few articles titled ``title``, where they stand
        under no section heading (:func:`headline_only`; those articles' texts are read only when
        one of the sentences is there)."""
        with self.store.reading() as conn:
            rows = conn.execute(
                "SELECT s.article_id, s.start, coalesce(s.norm, s.text), v.vector FROM sentences s "
                "JOIN sentence_vectors sv ON sv.sentence_id = s.id JOIN vectors v ON v.key = sv.key "
                "WHERE s.article_id IN (SELECT id FROM articles WHERE title = ? LIMIT ?) ORDER BY s.article_id, s.position",
                (title, TITLE_COPIES_LIMIT),
            ).fetchall()
        rows = [row for row in rows if row[2] in wanted]
        if not rows:
            return {}
        texts = {i: a.text for i, a in self.store.articles_by_id({row[0] for row in rows}).items()}
        found = headline_only(rows, texts)
        return dict(zip(found, decode(list(found.values()), self.signature.dimension), strict=True)) if found else {}

    def backup(self, destination: Path, wait: float = 0.0) -> BackupReport:
        """The data directory copied whole while it serves (:mod:`.backup`)."""
        return backup_data_dir(self.data_dir, destination, wait)

    def compact(self) -> bool:
        """Fold everything since the base file into a new one now (``pasokh index --compact``)."""
        with WriteLock(self.data_dir):
            self._open_for_writing()
            done = self.faiss.compact(self.store, force=True)
            self.refresh()
        return done

    def _open_for_writing(self) -> None:
        """Check the stored vectors and the index record were made by this embedder."""
        found = self.store.get_meta("vectors_embedder")
        if found is not None and found != self.signature.embedder:
            raise IndexMismatchError(
                f"the stored vectors were made by {found} but the config uses {self.signature.embedder}; "
                f"{rebuild_hint(found, self.signature.embedder)}"
            )
        self.fts.check()
        if self.faiss.exists():
            info = self.faiss.read_info()
            self.faiss.check_info(info)
            if info.kind != "legacy":
                self.faiss.check_file(info)
        elif self.store.stats().articles:
            raise IndexMissingError(f"the vector index in {self.faiss.dir} is missing; {REBUILD_HINT}")
        if found is None:
            self.store.set_meta("vectors_embedder", self.signature.embedder)

    def export(self, batch: int = 200) -> Iterator[list[IndexedArticle]]:
        for start in range(0, 1 << 62, batch):
            page = self.store.articles(start, batch)
            if not page:
                return
            hashes = dict(
                self.store.select_in("SELECT id, content_hash FROM articles WHERE id IN ({marks})", (a.id for a in page))
            )
            out = []
            for art in page:
                stored = self.store.sentences_of(art.id)
                ids = [s.id for s in stored]
                terms = self.fts.raw_terms(ids)
                vec_ids, vecs = stored_vectors(self.store, ids, self.signature.dimension)
                by_id = dict(zip(vec_ids.tolist(), vecs, strict=True))
                sentences = tuple(Sentence(art.id, s.position, s.start, s.end, s.text, s.norm) for s in stored)
                out.append(
                    IndexedArticle(
                        PreparedArticle(art, sentences, hashes[art.id]),
                        tuple(terms.get(i, "") for i in ids),
                        self.fts.raw_article_terms(art.id),
                        np.vstack([by_id[i] for i in ids]) if ids else np.zeros((0, self.signature.dimension), np.float32),
                    )
                )
            yield out

    # ---- maintenance ---------------------------------------------------------------
    def rebuild(self, derive: Derive, embed: Embed | None, progress: RebuildProgress | None = None) -> tuple[int, int]:
        store = self.store
        done = embedded = 0
        with WriteLock(self.data_dir):
            with store.transaction() as conn:
                LexicalIndex.clear(conn)
                if embed is not None:
                    conn.execute("DELETE FROM sentence_vectors")
                    conn.execute("DELETE FROM vectors")
                for art in store.iter_articles():
                    store.realign(conn, art.id)
                    sentences = store.sentences_of(art.id)
                    norms, terms, article_terms = derive(art, sentences)
                    ids = [s.id for s in sentences]
                    conn.executemany(
                        "UPDATE sentences SET norm = ?, norm_key = ? WHERE id = ?",
                        [(stored_norm(s.text, n), norm_key(n), s.id) for n, s in zip(norms, sentences, strict=True)],
                    )
                    LexicalIndex.add(conn, zip(ids, terms, strict=True))
                    LexicalIndex.put_article(conn, art.id, title_part(art.id, article_terms, terms))
                    if embed is not None:
                        for start in range(0, len(ids), 256):
                            vecs = embed(art, sentences[start : start + 256], norms[start : start + 256])
                            put_vectors(conn, ids[start : start + 256], vecs)
                            embedded += len(ids[start : start + 256])
                    done += len(ids)
                    if progress:
                        progress(len(ids))
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES('vectors_embedder', ?)", (self.signature.embedder,)
                )
                conn.execute(
                    "INSERT OR REPLACE INTO meta(key, value) VALUES('lexical_signature', ?)", (self.signature.lexical,)
                )
            self.faiss.build(store)
            self.refresh()
        return done, embedded

    def check(self) -> CheckReport:
        report = CheckReport()
        report.facts.update(backend=self.name)
        found = damage(self.store.path)  # every page read once: what follows would stop at a bad one
        if found is None:
            try:
                return self._check(report)
            except sqlite3.DatabaseError as exc:  # a value damaged where SQLite's own check does not look
                if not is_damage(exc):
                    raise
                found = damage_said(exc)
        report.problems.append(f"the database {self.store.path} is damaged ({found}): {REPAIR_HINT}")
        return report

    def _check(self, report: CheckReport) -> CheckReport:
        in_log = bot_log_damage(self.data_dir)
        if in_log is not None:
            report.problems.append(f"the bot's log {self.data_dir / BOT_LOG} is damaged ({in_log}): {REPAIR_HINT}")
        return self._check_corpus(report)

    def _check_corpus(self, report: CheckReport) -> CheckReport:
        store = self.store
        sentence_ids = store.all_sentence_ids()
        stats = store.stats()
        report.facts.update(
            backend=self.name, articles=stats.articles, sentences=stats.sentences, generation=stats.generation
        )
        offsets, lost = store.unspelled()
        if offsets:
            report.problems.append(
                f"{len(offsets)} articles' sentence offsets disagree with their text (first {offsets[0]!r}): {REBUILD_HINT}"
            )
        if lost:
            report.problems.append(
                f"{len(lost)} articles have lost part of their text with their sentences (first {lost[0]!r}): "
                "ingest them again from their source, or remove them (pasokh remove ID)"
            )
        signature = store.get_meta("lexical_signature")
        if signature != self.signature.lexical:
            report.problems.append(
                f"lexical index built with {signature!r}, config wants {self.signature.lexical!r}: {REBUILD_HINT}"
            )
        fts_ids = self.fts.ids()
        report.facts["lexical_rows"] = len(fts_ids)
        if fts_ids != sentence_ids:
            report.problems.append(
                f"lexical index disagrees with the database ({len(sentence_ids - fts_ids)} missing, "
                f"{len(fts_ids - sentence_ids)} extra): {REBUILD_HINT}"
            )
        article_rows = self.fts.article_rows()
        if article_rows != stats.articles:
            report.problems.append(
                f"article-level lexical index has {article_rows} rows for {stats.articles} articles: {REBUILD_HINT}"
            )
        stored_by = store.get_meta("vectors_embedder")
        with store.reading() as conn:
            vec_set = {r[0] for r in conn.execute("SELECT sentence_id FROM sentence_vectors")}
            lost = conn.execute(
                "SELECT count(*) FROM sentence_vectors s WHERE NOT EXISTS (SELECT 1 FROM vectors v WHERE v.key = s.key)"
            ).fetchone()[0]
            distinct = conn.execute("SELECT count(*) FROM vectors").fetchone()[0]
        report.facts["distinct_vectors"] = distinct
        if lost:
            report.problems.append(f"{lost} sentences' stored vectors are missing: {REBUILD_HINT}")
        report.facts["stored_vectors"] = len(vec_set)
        if stored_by not in (None, self.signature.embedder) or (stored_by is None and sentence_ids):
            report.problems.append(
                f"stored vectors were made by {stored_by}, config uses {self.signature.embedder}: "
                f"{rebuild_hint(stored_by, self.signature.embedder)}"
            )
        if vec_set != sentence_ids:
            report.problems.append(f"{len(sentence_ids - vec_set)} sentences have no stored vector: {REBUILD_HINT}")
        if not self.faiss.exists():
            if sentence_ids:
                report.problems.append(f"the vector index file is missing: {REBUILD_HINT}")
            return report
        try:
            info = self.faiss.read_info()
            self.faiss.check_info(info)
            if info.kind == "legacy":
                report.facts.update(vector_index="legacy (rewritten by the next ingest or --compact)")
                return report
            self.faiss.verify(info)
            base = self.faiss.load_base(info)
        except IndexError_ as exc:
            report.problems.append(str(exc))
            return report
        pending = self.faiss.pending(store)
        in_base = set(base_ids(base).tolist())
        served = (in_base - set(pending.tombstones)) | {i for i in vec_set if i > info.last_id}
        report.facts.update(
            vector_index=info.kind,
            base_vectors=len(in_base),
            unsaved_vectors=pending.delta,
            tombstones=len(pending.tombstones),
            embedder=info.embedder,
            normalization=info.normalization,
        )
        if served != vec_set:
            missing = len(vec_set - served)
            extra = len(served - vec_set)
            report.problems.append(
                f"the vector index disagrees with the database ({missing} sentences missing, {extra} removed ones "
                f"still in it): {REBUILD_HINT}"
            )
        report.facts["lexical_index"] = "postings" if info.postings else "fts5 (postings are written by the next compaction)"
        if info.postings:
            try:
                terms = self.faiss.load_postings(info)
            except IndexError_ as exc:
                report.problems.append(str(exc))
                return report
            served = (set(terms["sentences"].ids.tolist()) - set(pending.tombstones)) | {i for i in fts_ids if i > info.last_id}
            rowids = self.fts.article_rowids()
            with store.reading() as conn:
                changed = set(changed_articles(conn, info.generation))
            served_articles = (set(terms["articles"].ids.tolist()) - changed) | (changed & rowids)
            if served != fts_ids or served_articles != rowids:
                report.problems.append(
                    f"the lexical postings disagree with the database ({len(fts_ids - served)} sentences and "
                    f"{len(rowids - served_articles)} articles missing, {len(served - fts_ids)} sentences and "
                    f"{len(served_articles - rowids)} articles removed still in them): {REBUILD_HINT}"
                )
            self._check_delta(report, info, fts_ids)
        return report

    def _check_delta(self, report: CheckReport, info: IndexInfo, fts_ids: set[int]) -> None:
        """The lexical delta a writer saved for new readers: its checksum, and that with what
        came after it, it holds exactly the sentences written since the base."""
        try:
            saved = self.faiss.verify_delta(info)
        except IndexError_ as exc:
            report.problems.append(str(exc))
            return
        if saved is None:
            return
        delta = saved.info
        report.facts["lexical_delta"] = (
            f"{saved.sentences.size} sentences, {saved.articles.size} articles (generation {delta.generation})"
        )
        with self.store.reading() as conn:
            gone = set(removed_since(conn, delta.generation))
        held = set(saved.sentences.ids.tolist())
        served = (held - gone) | {i for i in fts_ids if i > delta.last_id}
        wanted = {i for i in fts_ids if i > info.last_id}
        if served != wanted or any(i <= info.last_id for i in held):
            report.problems.append(
                f"the lexical delta {delta.file} disagrees with the database ({len(wanted - served)} sentences missing, "
                f"{len(served - wanted)} extra): {REBUILD_HINT}"
            )


class _SQLiteWriter(Writer):
    def __init__(self, backend: SQLiteBackend) -> None:
        self.backend = backend
        self.store = backend.store
        self.changed = False
        self.unchecked = 0  # sentences written since compaction was last considered

    def stored_hashes(self, article_ids: Sequence[str]) -> dict[str, str]:
        return dict(self.store.select_in("SELECT id, content_hash FROM articles WHERE id IN ({marks})", article_ids))

    def put(self, articles: Sequence[IndexedArticle]) -> int:
        added = 0
        with self.store.transaction() as conn:
            generation = self.store.next_generation(conn)
            for item in articles:
                LexicalIndex.forget_article(conn, item.id)  # while its old sentences spell its old terms
                old, new = self.store.write_article(conn, item.prepared)
                LexicalIndex.remove(conn, old)
                log_removed(conn, old, generation)
                LexicalIndex.add(conn, zip(new, item.terms, strict=True))
                LexicalIndex.put_article(conn, item.id, item.title_terms, generation)
                for start in range(0, len(new), CHUNK):
                    put_vectors(conn, new[start : start + CHUNK], item.vectors[start : start + CHUNK])
                added += len(new)
        self.changed = True
        self.unchecked += added
        if self.unchecked >= self.backend.faiss.policy.compact_floor:  # a bulk import: keep readers' delta bounded
            self.unchecked = 0
            self.backend.faiss.compact(self.store, bulk=True)  # at the bulk share; the run's end folds in the rest
        return added

    def remove(self, article_ids: Sequence[str]) -> list[str]:
        found: list[str] = []
        with self.store.transaction() as conn:
            generation = self.store.next_generation(conn)
            for art_id in article_ids:
                LexicalIndex.remove_article(conn, art_id, generation)
                old = self.store.delete_article(conn, art_id)
                if old is None:
                    continue
                LexicalIndex.remove(conn, old)
                log_removed(conn, old, generation)
                found.append(art_id)
        self.changed = True
        return found
