"""Adding, replacing and removing articles: SQLite first (one transaction per batch), FAISS after.

If the process dies between the two, the database is the last good state and the vector
index catches up from the vectors stored beside the sentences the next time it is opened.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corpus.errors import InputFileError, SkippedFile
from corpus.normalize import analyze, normalize
from corpus.prepare import prepare
from corpus.read import RawArticle, discover, read_all
from corpus.records import Article, PreparedArticle
from retrieval.engine import Engine
from retrieval.errors import REBUILD_HINT, IndexMismatchError, IndexMissingError
from retrieval.lexical import LexicalIndex
from retrieval.lock import WriteLock
from retrieval.vectors import put_vectors, stored_vectors

logger = logging.getLogger(__name__)

EMBED_CHUNK = 256
Progress = Callable[..., None]
"""``progress(articles)`` after each input; ``progress(0, sentences=n)`` as embedding goes (a huge
file is one article but many sentences, and the bar should move while it is embedded)."""


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0
    sentences: int = 0
    embedded: int = 0
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors


def count_inputs(paths: Sequence[Path]) -> int:
    """Articles to expect, for the progress bar: one per .txt, one per JSONL line."""
    total = 0
    for item in discover(list(paths)):
        if isinstance(item, Path):
            if item.suffix.lower() == ".jsonl":
                with item.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            else:
                total += 1
    return total


def _open_for_writing(engine: Engine) -> None:
    """Load or create the vector index and check the stored vectors were made by this embedder."""
    found = engine.store.get_meta("vectors_embedder")
    if found is not None and found != engine.embedder.name:
        raise IndexMismatchError(
            f"the stored vectors were made by {found} but the config uses {engine.embedder.name}; {REBUILD_HINT}"
        )
    engine.lexical.check()
    if engine.vectors.exists():
        engine.vectors.load()
        engine.catch_up()
    elif engine.is_empty():
        engine.vectors.save(engine.store.generation())
    else:
        raise IndexMissingError(f"the vector index in {engine.vectors.dir} is missing; {REBUILD_HINT}")
    engine.adopt(engine.vectors)
    if found is None:
        engine.store.set_meta("vectors_embedder", engine.embedder.name)


def ingest(engine: Engine, paths: Sequence[Path], progress: Progress | None = None) -> IngestReport:
    """Add new articles, replace changed ones, skip unchanged ones; bad inputs are reported, not fatal."""
    return ingest_raw(engine, read_all(list(paths)), progress)


def ingest_raw(engine: Engine, items: Iterable[RawArticle | InputFileError], progress: Progress | None = None) -> IngestReport:
    """:func:`ingest` over articles from anywhere (files, an evaluation set), read lazily."""
    report = IngestReport()
    started = time.perf_counter()
    with WriteLock(engine.data_dir):
        _open_for_writing(engine)
        known = engine.store.content_hashes()
        batch: list[PreparedArticle] = []
        pending = 0  # sentences in ``batch``
        in_run: set[str] = set()
        for item in items:
            if progress:
                progress(1)
            prepared = _prepare(item, report)
            if prepared is None:
                continue
            art_id = prepared.article.id
            if art_id in in_run:
                report.errors.append(
                    f"{prepared.article.origin}: article id {art_id!r} appears twice in this ingest; kept the first"
                )
                continue
            in_run.add(art_id)
            if known.get(art_id) == prepared.content_hash:
                report.unchanged += 1
                continue
            (report.updated if art_id in known else report.added).append(art_id)
            batch.append(prepared)
            pending += len(prepared.sentences)
            if pending >= engine.settings.ingest_batch_sentences:
                _write_batch(engine, batch, report, progress)
                batch, pending = [], 0
        if batch:
            _write_batch(engine, batch, report, progress)
        if report.added or report.updated or engine.vectors.generation != engine.store.generation():
            engine.vectors.save(engine.store.generation())
    report.seconds = time.perf_counter() - started
    return report


def _prepare(item: object, report: IngestReport) -> PreparedArticle | None:
    if isinstance(item, SkippedFile):
        report.skipped.append(str(item))
        logger.warning("skipped %s", item)
        return None
    if isinstance(item, InputFileError):
        report.errors.append(str(item))
        return None
    try:
        return prepare(item)  # type: ignore[arg-type]
    except SkippedFile as exc:
        report.skipped.append(str(exc))
        logger.warning("skipped %s", exc)
        return None


def index_terms(conn: sqlite3.Connection, article: Article, ids: Sequence[int], norms: Iterable[str], analyzer: str) -> None:
    """Sentence rows and the whole-article row of the lexical index, analyzing each sentence once.

    The article's terms are its title's plus its sentences', so ingest and rebuild agree and a
    huge article is never normalized as one string.
    """
    parts = [" ".join(analyze(normalize(article.title), analyzer))]  # type: ignore[arg-type]

    def rows() -> Iterator[tuple[int, str]]:
        for sentence_id, norm in zip(ids, norms, strict=True):
            terms = " ".join(analyze(norm, analyzer))  # type: ignore[arg-type]
            parts.append(terms)
            yield sentence_id, terms

    LexicalIndex.add(conn, rows())
    LexicalIndex.put_article(conn, article.id, " ".join(parts))


def _reusable_vectors(engine: Engine, norms: Iterable[str]) -> dict[str, np.ndarray]:
    """Stored vectors of sentences with the same normalized text, anywhere in the corpus: an
    unchanged sentence of an edited article, or wire copy another outlet already ran, is never
    embedded twice."""
    rows = engine.store.select_in(
        "SELECT s.norm, v.vector FROM sentences s JOIN sentence_vectors v ON v.sentence_id = s.id "
        "WHERE s.norm IN ({marks}) GROUP BY s.norm",
        dict.fromkeys(norms),
    )
    return {norm: np.frombuffer(blob, dtype=np.float32) for norm, blob in rows}


def _write_batch(engine: Engine, batch: list[PreparedArticle], report: IngestReport, progress: Progress | None = None) -> None:
    norms = [s.norm for p in batch for s in p.sentences]
    reuse = _reusable_vectors(engine, norms)
    todo = sorted({n for n in norms if n not in reuse})
    for start in range(0, len(todo), EMBED_CHUNK):
        chunk = todo[start : start + EMBED_CHUNK]
        reuse.update(zip(chunk, engine.embedder.encode_passages(chunk), strict=True))
        report.embedded += len(chunk)
        if progress:
            progress(0, sentences=len(chunk))
    analyzer = engine.settings.analyzer
    removed: list[int] = []
    added: list[int] = []
    with engine.store.transaction() as conn:
        for prepared in batch:
            old, new = engine.store.write_article(conn, prepared)
            LexicalIndex.remove(conn, old)
            index_terms(conn, prepared.article, new, (s.norm for s in prepared.sentences), analyzer)
            for start in range(0, len(new), EMBED_CHUNK):
                chunk = prepared.sentences[start : start + EMBED_CHUNK]
                put_vectors(conn, new[start : start + EMBED_CHUNK], np.vstack([reuse[s.norm] for s in chunk]))
            removed += old
            added += new
    report.sentences += len(added)
    engine.vectors.remove(removed)
    for start in range(0, len(added), 4 * EMBED_CHUNK):  # FAISS holds them all; this side stays small
        ids, vecs = stored_vectors(engine.store, added[start : start + 4 * EMBED_CHUNK], engine.embedder.dimension)
        engine.vectors.add(ids, vecs)
    engine.forget_articles()


@dataclass
class RemoveReport:
    removed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def remove(engine: Engine, article_ids: Sequence[str]) -> RemoveReport:
    """Delete articles from SQLite, the lexical index and the vector index in one go."""
    report = RemoveReport()
    with WriteLock(engine.data_dir):
        _open_for_writing(engine)
        gone: list[int] = []
        with engine.store.transaction() as conn:
            for art_id in article_ids:
                LexicalIndex.remove_article(conn, art_id)
                old = engine.store.delete_article(conn, art_id)
                if old is None:
                    report.unknown.append(art_id)
                    continue
                LexicalIndex.remove(conn, old)
                gone += old
                report.removed.append(art_id)
        engine.vectors.remove(gone)
        engine.vectors.save(engine.store.generation())
        engine.forget_articles()
    return report
