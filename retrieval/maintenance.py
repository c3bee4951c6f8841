"""Rebuilding every index from SQLite, and checking that SQLite, FTS and FAISS agree."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from corpus.normalize import NORMALIZATION_VERSION, normalize
from retrieval.engine import Engine
from retrieval.errors import REBUILD_HINT, IndexError_
from retrieval.ingest import Progress, index_terms
from retrieval.lexical import LexicalIndex
from retrieval.lock import WriteLock
from retrieval.vectors import put_vectors, stored_vectors

logger = logging.getLogger(__name__)


@dataclass
class RebuildReport:
    sentences: int = 0
    embedded: int = 0


def rebuild(engine: Engine, progress: Progress | None = None, reembed: bool = False) -> RebuildReport:
    """Recompute normalized text and lexical terms; re-embed only if the embedder changed (or asked)."""
    report = RebuildReport()
    store = engine.store
    must_embed = reembed or store.get_meta("vectors_embedder") != engine.embedder.name
    analyzer = engine.settings.analyzer
    with WriteLock(engine.data_dir):
        with store.transaction() as conn:
            LexicalIndex.clear(conn)
            if must_embed:
                conn.execute("DELETE FROM sentence_vectors")
            for art in store.iter_articles():
                sentences = store.sentences_of(art.id)
                norms = [normalize(s.text) for s in sentences]
                ids = [s.id for s in sentences]
                conn.executemany("UPDATE sentences SET norm = ? WHERE id = ?", list(zip(norms, ids, strict=True)))
                index_terms(conn, art, ids, norms, analyzer)
                if must_embed:
                    for start in range(0, len(ids), 256):
                        chunk = slice(start, start + 256)
                        put_vectors(conn, ids[chunk], engine.embedder.encode_passages(norms[chunk]))
                        report.embedded += len(ids[chunk])
                report.sentences += len(ids)
                if progress:
                    progress(len(ids))
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES('vectors_embedder', ?)", (engine.embedder.name,))
            conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES('lexical_signature', ?)", (engine.lexical.signature,))
        fresh = engine.vectors.fresh()
        ids, vecs = stored_vectors(store, None, engine.embedder.dimension)
        fresh.add(ids, vecs)
        fresh.save(store.generation())
        engine.adopt(fresh)
    return report


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def check(engine: Engine) -> CheckReport:
    """Same ids everywhere, same counts, same embedder; every problem names its fix."""
    report = CheckReport()
    store = engine.store
    sentence_ids = store.all_sentence_ids()
    stats = store.stats()
    report.facts.update(articles=stats.articles, sentences=stats.sentences, generation=stats.generation)

    signature = store.get_meta("lexical_signature")
    if signature != engine.lexical.signature:
        report.problems.append(
            f"lexical index built with {signature!r}, config wants {engine.lexical.signature!r}: {REBUILD_HINT}"
        )
    fts_ids = engine.lexical.ids()
    report.facts["lexical_rows"] = len(fts_ids)
    if fts_ids != sentence_ids:
        report.problems.append(
            f"lexical index disagrees with the database ({len(sentence_ids - fts_ids)} missing, "
            f"{len(fts_ids - sentence_ids)} extra): {REBUILD_HINT}"
        )

    article_rows = engine.lexical.article_rows()
    if article_rows != stats.articles:
        report.problems.append(
            f"article-level lexical index has {article_rows} rows for {stats.articles} articles: {REBUILD_HINT}"
        )

    stored_by = store.get_meta("vectors_embedder")
    vec_ids, _ = stored_vectors(store, None, engine.embedder.dimension)
    vec_set = set(vec_ids.tolist())
    report.facts["stored_vectors"] = len(vec_set)
    if stored_by not in (None, engine.embedder.name) or (stored_by is None and sentence_ids):
        report.problems.append(f"stored vectors were made by {stored_by}, config uses {engine.embedder.name}: {REBUILD_HINT}")
    if vec_set != sentence_ids:
        report.problems.append(f"{len(sentence_ids - vec_set)} sentences have no stored vector: {REBUILD_HINT}")

    index = engine.vectors.fresh()
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
    report.facts.update(vector_index=int(index.index.ntotal), embedder=info.embedder, normalization=NORMALIZATION_VERSION)
    if faiss_ids != vec_set:
        behind = len(vec_set - faiss_ids)
        extra = len(faiss_ids - vec_set)
        report.problems.append(
            f"the vector index file lags the database ({behind} sentences missing, {extra} removed ones still in it; "
            f"an ingest was interrupted): {REBUILD_HINT} (or the next `pasokh ingest` catches up)"
        )
    return report
