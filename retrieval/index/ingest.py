"""Adding, replacing and removing articles: prepare, analyze and embed here, then write each
batch through the storage's writer in one transaction, so a crash loses at most the batch in flight
and readers never see half an article.

Embedding, the slow part, happens outside the writer lock. A backend whose writers may run at
once (``Writable.concurrent_writers``: PostgreSQL) is locked only to commit a batch, so two
ingest workers embed in parallel; inside the lock each batch is checked again against the
content hashes stored now, so an article another worker committed meanwhile is not written
twice. A backend kept by one writer (SQLite's data directory) stays locked for the whole run.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from corpus import parallel
from corpus.compressed import kind_of
from corpus.errors import InputFileError
from corpus.normalize import RUN_MEMO_CHARS, remembering
from corpus.parallel import Outcome
from corpus.prepare import terms_of
from corpus.read import EXPORT_SUFFIXES, PAGE_SUFFIXES, ExportReader, PageReader, RawArticle, discover, read_all, records_in
from corpus.records import Article, PreparedArticle
from corpus.sections import headings
from embeddings import PassageEmbedder
from retrieval.engine import Engine
from retrieval.store.capabilities import IndexedArticle, Writable, Writer

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


def count_inputs(
    paths: Sequence[Path], pages: bool = False, exports: bool = False, in_export: Callable[[Path], int] | None = None
) -> int:
    """Articles to expect, for the progress bar: one per .txt (and saved page), one per JSONL
    line or CSV row, and for a channel's export (or a page of one) the messages ``in_export`` counts in it
    (0: a news page, one article). The front end that reads exports knows their format."""
    total = 0
    for item in discover(list(paths), pages, exports):
        if isinstance(item, Path):
            suffix = kind_of(item)
            if suffix in EXPORT_SUFFIXES + PAGE_SUFFIXES and in_export is not None and (held := in_export(item)):
                total += held
            elif suffix in (".jsonl", ".csv"):
                total += records_in(item)
            else:
                total += 1
    return total


def ingest(
    engine: Engine,
    paths: Sequence[Path],
    progress: Progress | None = None,
    read_page: PageReader | None = None,
    read_export: ExportReader | None = None,
) -> IngestReport:
    """Add new articles, replace changed ones, skip unchanged ones; bad inputs are reported, not
    fatal. Saved web pages (.html) are read by ``read_page`` and channels' exports (.json) by
    ``read_export`` when given."""
    return ingest_raw(engine, read_all(list(paths), read_page, read_export), progress)


def ingest_raw(engine: Engine, items: Iterable[RawArticle | InputFileError], progress: Progress | None = None) -> IngestReport:
    """:func:`ingest` over articles from anywhere (files, an evaluation set), read lazily."""
    report = IngestReport()
    started = time.perf_counter()
    writable = engine.storage.writer
    with ExitStack() as stack:
        stack.enter_context(remembering(RUN_MEMO_CHARS))  # wire copy and boilerplate are prepared once a run
        if writable.concurrent_writers:
            with writable.writing():  # refuse now, not after embedding, if the store cannot be written
                held = None
        else:
            held = stack.enter_context(writable.writing())
        known = engine.storage.documents.content_hashes()
        batch: list[Outcome] = []
        pending = 0  # sentences in ``batch``
        in_run: set[str] = set()
        settings = engine.settings
        for _, outcome in parallel.prepared(items, settings.analyzer, settings.prepare_processes):
            if progress:
                progress(1)
            ready = _counted(outcome, report)
            if ready is None:
                continue
            art_id = ready.article.id
            if art_id in in_run:
                report.errors.append(
                    f"{ready.article.origin}: article id {art_id!r} appears twice in this ingest; kept the first"
                )
                continue
            in_run.add(art_id)
            if known.get(art_id) == ready.content_hash:
                report.unchanged += 1
                continue
            batch.append(outcome)
            pending += len(ready.sentences)
            if pending >= engine.settings.ingest_batch_sentences:
                _write_batch(engine, writable, held, batch, report, progress)
                batch, pending = [], 0
        if batch:
            _write_batch(engine, writable, held, batch, report, progress)
    report.seconds = time.perf_counter() - started
    return report


def _counted(outcome: Outcome, report: IngestReport) -> PreparedArticle | None:
    """The prepared article, or None with the skip or error put in ``report``."""
    if outcome.skipped is not None:
        report.skipped.append(outcome.skipped)  # every caller shows or records the report: said once
        logger.info("skipped %s", outcome.skipped)
    elif outcome.error is not None:
        report.errors.append(outcome.error)
    return outcome.prepared


@contextmanager
def _locked(writable: Writable, held: Writer | None) -> Iterator[Writer]:
    """The writer for one batch: the run's own when it holds the lock throughout, else the lock
    taken for this batch alone."""
    if held is not None:
        yield held
    else:
        with writable.writing() as writer:
            yield writer


def _reusable(embedder: PassageEmbedder, writable: Writable, batch: list[PreparedArticle]) -> dict[str, np.ndarray]:
    """Stored vectors for the batch's sentences, keyed by the text the embedder would be given:
    by the sentence alone, or (an embedder that embeds the headline too) by headline and sentence,
    asking once per distinct headline."""
    if not embedder.uses_title:
        return writable.reusable_vectors(s.norm for p in batch for s in p.sentences)
    by_title: dict[str, list[str]] = {}
    for prepared in batch:
        by_title.setdefault(prepared.article.title, []).extend(s.norm for s in prepared.sentences)
    out: dict[str, np.ndarray] = {}
    for title, norms in by_title.items():
        found = writable.reusable_vectors(norms, title=title)
        out.update((embedder.passage(title, norm), vector) for norm, vector in found.items())
    return out


def passages(embedder: PassageEmbedder, article: Article, starts: Sequence[int], norms: Sequence[str]) -> list[str]:
    """What the embedder is given for the sentences of ``article`` that start at ``starts`` and
    normalize to ``norms``: with the headline form, the heading of the section each stands under
    too (corpus/sections.py). A sentence under a heading is never given a stored copy's vector
    by :func:`_reusable`, whose texts name no heading: it is embedded as what it is here."""
    if not embedder.uses_title:
        return [embedder.passage(article.title, norm) for norm in norms]
    under = headings(article.text, starts)
    return [embedder.passage(article.title, norm, heading) for norm, heading in zip(norms, under, strict=True)]


def _write_batch(
    engine: Engine,
    writable: Writable,
    held: Writer | None,
    outcomes: list[Outcome],
    report: IngestReport,
    progress: Progress | None = None,
) -> None:
    embedder = engine.embedder
    batch = [o.prepared for o in outcomes if o.prepared is not None]
    vectors = _reusable(embedder, writable, batch)
    texts = [passages(embedder, p.article, [s.start for s in p.sentences], [s.norm for s in p.sentences]) for p in batch]
    todo = sorted({t for own in texts for t in own if t not in vectors})
    for start in range(0, len(todo), EMBED_CHUNK):
        chunk = todo[start : start + EMBED_CHUNK]
        vectors.update(zip(chunk, embedder.encode_passages(chunk), strict=True))
        report.embedded += len(chunk)
        if progress:
            progress(0, sentences=len(chunk))
    dim = embedder.dimension
    items = []
    for outcome, prepared, own_texts in zip(outcomes, batch, texts, strict=True):
        own = [s.norm for s in prepared.sentences]
        # analyzed by a preparing process already, or (a short run) here, for what is written only
        terms, article_terms = outcome.terms or terms_of(prepared.article, own, engine.settings.analyzer)
        matrix = np.vstack([vectors[t] for t in own_texts]) if own else np.zeros((0, dim), dtype=np.float32)
        items.append(IndexedArticle(prepared, tuple(terms), article_terms, matrix))
    with _locked(writable, held) as writer:
        stored = writer.stored_hashes([item.id for item in items])
        fresh = [item for item in items if stored.get(item.id) != item.prepared.content_hash]
        report.unchanged += len(items) - len(fresh)  # another worker committed the same text meanwhile
        for item in fresh:
            (report.updated if item.id in stored else report.added).append(item.id)
        if fresh:
            report.sentences += writer.put(fresh)
    engine.forget_articles()


@dataclass
class RemoveReport:
    removed: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)


def remove(engine: Engine, article_ids: Sequence[str]) -> RemoveReport:
    """Delete articles from the store, the lexical index and the vector index in one go."""
    report = RemoveReport()
    with engine.storage.writer.writing() as writer:
        found = set(writer.remove(article_ids))
    report.removed = [a for a in article_ids if a in found]
    report.unknown = [a for a in article_ids if a not in found]
    engine.forget_articles()
    return report
