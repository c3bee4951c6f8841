"""The embedded default: one data directory holding an SQLite database (articles, sentences,
FTS5 terms, vectors as blobs) and a FAISS file derived from the vectors.

One process writes at a time, under a file lock. SQLite commits first and the FAISS file is
saved after; if a writer dies between the two, the database is the last good state and the
vector index catches up from the stored vectors the next time it is opened.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from corpus.records import Article, PreparedArticle, Sentence, StoredSentence
from retrieval.backend import (
    Backend,
    CheckReport,
    Derive,
    Embed,
    IndexedArticle,
    RebuildProgress,
    Signature,
    Stats,
    Writer,
)
from retrieval.backends.sqlite.faiss_index import VectorIndex, ensure_vector_table, put_vectors, stored_vectors
from retrieval.backends.sqlite.fts import LexicalIndex
from retrieval.backends.sqlite.lock import WriteLock
from retrieval.backends.sqlite.store import Store
from retrieval.errors import REBUILD_HINT, IndexError_, IndexMismatchError, IndexMissingError
from retrieval.records import Hit
from retrieval.settings import StorageSettings

logger = logging.getLogger(__name__)
CHUNK = 1024


def open_backend(storage: StorageSettings, location: Path, signature: Signature, corpus: str | None = None) -> SQLiteBackend:
    return SQLiteBackend(location, signature)


class SQLiteBackend(Backend):
    name = "sqlite"

    def __init__(self, data_dir: Path, signature: Signature) -> None:
        self.data_dir = data_dir
        self.signature = signature
        self.store = Store(data_dir / "pasokh.sqlite3")
        ensure_vector_table(self.store)
        self.lexical = LexicalIndex(self.store, signature.lexical)
        self.vectors = VectorIndex(data_dir / "index", signature.embedder, signature.dimension)
        self._reload_lock = threading.Lock()

    # ---- lifecycle ---------------------------------------------------------------
    def open(self) -> None:
        self.lexical.check()
        if not self.vectors.exists():
            if self.stats().articles == 0:
                return
            raise IndexMissingError(f"the vector index in {self.vectors.dir} is missing; {REBUILD_HINT}")
        self.vectors.load()
        self._catch_up()

    def _catch_up(self) -> None:
        if self.vectors.generation != self.store.generation():
            added, removed = self.vectors.sync(self.store)
            if added or removed:
                logger.info("vector index caught up with the database: %d added, %d removed", added, removed)

    def refresh(self) -> bool:
        if self.store.generation() == self.vectors.generation:
            return False
        with self._reload_lock:
            if self.store.generation() == self.vectors.generation:
                return False
            fresh = self.vectors.fresh()
            if fresh.exists():
                fresh.load()
            fresh.sync(self.store)
            self.vectors = fresh  # one reference swap: searches see the old or the new index
        return True

    def generation(self) -> int:
        return self.store.generation()

    def close(self) -> None:
        self.store.close()

    def describe(self) -> dict[str, object]:
        index_file = self.vectors.faiss_path
        return {
            "backend": self.name,
            "vectors": int(self.vectors.index.ntotal),
            "index_bytes": index_file.stat().st_size if index_file.exists() else 0,
            "data_dir": str(self.data_dir),
        }

    # ---- search ------------------------------------------------------------------
    def search_sentences(self, terms: Sequence[str], k: int) -> list[Hit]:
        return self.lexical.search(terms, k)

    def search_articles(self, terms: Sequence[str], k: int) -> list[tuple[str, float]]:
        return self.lexical.search_articles(terms, k)

    def search_dense(self, vector: np.ndarray, k: int) -> list[Hit]:
        return self.vectors.search(vector, k)

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        return self.lexical.frequencies(terms)

    def sentence_count(self) -> int:
        return self.lexical.rows()

    def terms_of(self, sentence_ids: Iterable[int]) -> dict[int, frozenset[str]]:
        return self.lexical.terms_of(sentence_ids)

    def article_terms_of(self, article_id: str) -> frozenset[str]:
        return self.lexical.article_terms_of(article_id)

    # ---- reading -----------------------------------------------------------------
    def sentences(self, ids: Iterable[int]) -> dict[int, StoredSentence]:
        return self.store.sentences(ids)

    def sentences_of(self, article_id: str, limit: int = -1) -> list[StoredSentence]:
        return self.store.sentences_of(article_id, limit)

    def sentences_near(self, article_id: str, position: int, width: int) -> list[StoredSentence]:
        return self.store.sentences_near(article_id, position, width)

    def neighbours(self, sentences: Iterable[StoredSentence], width: int = 1) -> dict[int, StoredSentence]:
        return self.store.neighbours(sentences, width)

    def article(self, article_id: str) -> Article | None:
        return self.store.article(article_id)

    def article_key(self, article_id: str) -> int | None:
        return self.store.article_key(article_id)

    def article_by_key(self, key: int) -> Article | None:
        return self.store.article_by_key(key)

    def articles(self, offset: int = 0, limit: int = 50) -> list[Article]:
        return self.store.articles(offset, limit)

    def content_hashes(self) -> dict[str, str]:
        return self.store.content_hashes()

    def published_times(self, article_ids: Iterable[str]) -> dict[str, float | None]:
        return self.store.published_times(article_ids)

    def latest(self, limit: int) -> list[Article]:
        return self.store.latest(limit)

    def published_before(self, cutoff: float) -> list[str]:
        return self.store.published_before(cutoff)

    def copies(self, norms: Iterable[str]) -> dict[str, list[str]]:
        return self.store.copies(norms)

    def stats(self) -> Stats:
        return self.store.stats()

    def get_meta(self, key: str) -> str | None:
        return self.store.get_meta(key)

    def set_meta(self, key: str, value: str) -> None:
        self.store.set_meta(key, value)

    # ---- writing -----------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[Writer]:
        with WriteLock(self.data_dir):
            self._open_for_writing()
            writer = _SQLiteWriter(self)
            try:
                yield writer
            finally:
                if writer.changed or self.vectors.generation != self.store.generation():
                    self.vectors.save(self.store.generation())

    def _open_for_writing(self) -> None:
        """Load or create the vector index and check the stored vectors were made by this embedder."""
        found = self.store.get_meta("vectors_embedder")
        if found is not None and found != self.signature.embedder:
            raise IndexMismatchError(
                f"the stored vectors were made by {found} but the config uses {self.signature.embedder}; {REBUILD_HINT}"
            )
        self.lexical.check()
        if self.vectors.exists():
            self.vectors.load()
            self._catch_up()
        elif self.stats().articles == 0:
            self.vectors.save(self.store.generation())
        else:
            raise IndexMissingError(f"the vector index in {self.vectors.dir} is missing; {REBUILD_HINT}")
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
                terms = self.lexical.raw_terms(ids)
                vec_ids, vecs = stored_vectors(self.store, ids, self.signature.dimension)
                by_id = dict(zip(vec_ids.tolist(), vecs, strict=True))
                sentences = tuple(Sentence(art.id, s.position, s.start, s.end, s.text, s.norm) for s in stored)
                out.append(
                    IndexedArticle(
                        PreparedArticle(art, sentences, hashes[art.id]),
                        tuple(terms.get(i, "") for i in ids),
                        self.lexical.raw_article_terms(art.id),
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
                for art in store.iter_articles():
                    sentences = store.sentences_of(art.id)
                    norms, terms, article_terms = derive(art, sentences)
                    ids = [s.id for s in sentences]
                    conn.executemany("UPDATE sentences SET norm = ? WHERE id = ?", list(zip(norms, ids, strict=True)))
                    LexicalIndex.add(conn, zip(ids, terms, strict=True))
                    LexicalIndex.put_article(conn, art.id, article_terms)
                    if embed is not None:
                        for start in range(0, len(ids), 256):
                            put_vectors(conn, ids[start : start + 256], embed(norms[start : start + 256]))
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
            fresh = self.vectors.fresh()
            ids_, vecs = stored_vectors(store, None, self.signature.dimension)
            fresh.add(ids_, vecs)
            fresh.save(store.generation())
            self.vectors = fresh
        return done, embedded

    def check(self) -> CheckReport:
        report = CheckReport()
        store = self.store
        sentence_ids = store.all_sentence_ids()
        stats = store.stats()
        report.facts.update(
            backend=self.name, articles=stats.articles, sentences=stats.sentences, generation=stats.generation
        )
        signature = store.get_meta("lexical_signature")
        if signature != self.signature.lexical:
            report.problems.append(
                f"lexical index built with {signature!r}, config wants {self.signature.lexical!r}: {REBUILD_HINT}"
            )
        fts_ids = self.lexical.ids()
        report.facts["lexical_rows"] = len(fts_ids)
        if fts_ids != sentence_ids:
            report.problems.append(
                f"lexical index disagrees with the database ({len(sentence_ids - fts_ids)} missing, "
                f"{len(fts_ids - sentence_ids)} extra): {REBUILD_HINT}"
            )
        article_rows = self.lexical.article_rows()
        if article_rows != stats.articles:
            report.problems.append(
                f"article-level lexical index has {article_rows} rows for {stats.articles} articles: {REBUILD_HINT}"
            )
        stored_by = store.get_meta("vectors_embedder")
        vec_ids, _ = stored_vectors(store, None, self.signature.dimension)
        vec_set = set(vec_ids.tolist())
        report.facts["stored_vectors"] = len(vec_set)
        if stored_by not in (None, self.signature.embedder) or (stored_by is None and sentence_ids):
            report.problems.append(
                f"stored vectors were made by {stored_by}, config uses {self.signature.embedder}: {REBUILD_HINT}"
            )
        if vec_set != sentence_ids:
            report.problems.append(f"{len(sentence_ids - vec_set)} sentences have no stored vector: {REBUILD_HINT}")
        index = self.vectors.fresh()
        if not index.exists():
            if sentence_ids:
                report.problems.append(f"the vector index file is missing: {REBUILD_HINT}")
            return report
        try:
            info = index.load()
        except IndexError_ as exc:
            report.problems.append(str(exc))
            return report
        faiss_ids = set(index.ids().tolist())
        report.facts.update(vector_index=int(index.index.ntotal), embedder=info.embedder, normalization=info.normalization)
        if faiss_ids != vec_set:
            behind = len(vec_set - faiss_ids)
            extra = len(faiss_ids - vec_set)
            report.problems.append(
                f"the vector index file lags the database ({behind} sentences missing, {extra} removed ones still in it; "
                f"an ingest was interrupted): {REBUILD_HINT} (or the next `pasokh ingest` catches up)"
            )
        return report


class _SQLiteWriter(Writer):
    def __init__(self, backend: SQLiteBackend) -> None:
        self.backend = backend
        self.store = backend.store
        self.changed = False

    def reusable_vectors(self, norms: Iterable[str]) -> dict[str, np.ndarray]:
        rows = self.store.select_in(
            "SELECT s.norm, v.vector FROM sentences s JOIN sentence_vectors v ON v.sentence_id = s.id "
            "WHERE s.norm IN ({marks}) GROUP BY s.norm",
            dict.fromkeys(norms),
        )
        return {norm: np.frombuffer(blob, dtype=np.float32) for norm, blob in rows}

    def put(self, articles: Sequence[IndexedArticle]) -> int:
        removed: list[int] = []
        added: list[int] = []
        with self.store.transaction() as conn:
            for item in articles:
                old, new = self.store.write_article(conn, item.prepared)
                LexicalIndex.remove(conn, old)
                LexicalIndex.add(conn, zip(new, item.terms, strict=True))
                LexicalIndex.put_article(conn, item.id, item.article_terms)
                for start in range(0, len(new), CHUNK):
                    put_vectors(conn, new[start : start + CHUNK], item.vectors[start : start + CHUNK])
                removed += old
                added += new
        self.changed = True
        vectors = self.backend.vectors
        vectors.remove(removed)
        for start in range(0, len(added), CHUNK):  # FAISS holds them all; this side stays small
            ids, vecs = stored_vectors(self.store, added[start : start + CHUNK], self.backend.signature.dimension)
            vectors.add(ids, vecs)
        return len(added)

    def remove(self, article_ids: Sequence[str]) -> list[str]:
        gone: list[int] = []
        found: list[str] = []
        with self.store.transaction() as conn:
            for art_id in article_ids:
                LexicalIndex.remove_article(conn, art_id)
                old = self.store.delete_article(conn, art_id)
                if old is None:
                    continue
                LexicalIndex.remove(conn, old)
                gone += old
                found.append(art_id)
        self.changed = True
        self.backend.vectors.remove(gone)
        return found
