"""Preparing articles in other processes while the caller writes what is ready.

Cleaning, splitting, normalizing and analyzing an article is pure Python (hazm), about half of a
bulk ingest whose vectors are reused, and the writer's half (SQLite, a compaction) runs on one
core. So a long run hands the preparation to ``processes`` other processes, in order, a few
chunks ahead of the writer, and keeps writing while they work: the two halves overlap. A short
run (a watcher's few new pages, a test) never pays for starting a process: the first
:data:`IN_PROCESS_FIRST` items are prepared here, and only a run that goes on starts the others.

Every outcome is what preparing in this process gives (the functions are pure), in the same
order. The workers run in Linux's idle scheduling class (elsewhere at a high niceness): when the
writer embeds on every core, the embedder's OpenMP threads, which wait for one another at every
step, keep their cores, and preparation gets only a core nothing else wants. A niceness alone
was not enough: it left an ingest that embeds everything about 8% slower.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from itertools import chain, islice

from corpus.errors import InputFileError, SkippedFile
from corpus.normalize import RUN_MEMO_CHARS, remembering
from corpus.prepare import prepare, terms_of
from corpus.read import RawArticle
from corpus.records import PreparedArticle

logger = logging.getLogger(__name__)

IN_PROCESS_FIRST = 64  # items prepared here before other processes are started
CHUNK = 32  # items a worker prepares per task: one round trip carries about 600 sentences
AHEAD = 16  # chunks in flight per worker: it keeps preparing while the writer compacts
NICENESS = 10


@dataclass(frozen=True)
class Outcome:
    """One input's preparation: the article and its terms, or why it was skipped or failed."""

    prepared: PreparedArticle | None = None
    terms: tuple[tuple[str, ...], str] | None = None  # each sentence's terms and the article's
    skipped: str | None = None
    error: str | None = None


def prepare_one(item: RawArticle | InputFileError, analyzer: str | None = None) -> Outcome:
    """``item`` prepared (and analyzed with ``analyzer`` when given), or the one line saying why not.
    One odd record never stops the others."""
    if isinstance(item, SkippedFile):
        return Outcome(skipped=str(item))
    if isinstance(item, InputFileError):
        return Outcome(error=str(item))
    try:
        prepared = prepare(item)
    except SkippedFile as exc:
        return Outcome(skipped=str(exc))
    except (ValueError, RecursionError, MemoryError, UnicodeError) as exc:
        origin = getattr(item, "origin", "an article")
        logger.debug("could not prepare %s", origin, exc_info=True)
        return Outcome(error=f"{origin}: cannot be read as an article ({type(exc).__name__}: {str(exc)[:120]})")
    if analyzer is None:
        return Outcome(prepared)
    terms, article_terms = terms_of(prepared.article, [s.norm for s in prepared.sentences], analyzer)
    return Outcome(prepared, (tuple(terms), article_terms))


def prepared(
    items: Iterable[RawArticle | InputFileError], analyzer: str, processes: int = 1
) -> Iterator[tuple[RawArticle | InputFileError, Outcome]]:
    """Each item with its :class:`Outcome`, in order. The first :data:`IN_PROCESS_FIRST` are
    prepared here without analysis (the writer analyzes only what it will write); past them,
    ``processes`` other processes prepare and analyze the rest, reading ``items`` only a few
    chunks ahead. If a worker dies, the rest is prepared here."""
    source = iter(items)
    for item in islice(source, IN_PROCESS_FIRST):
        yield item, prepare_one(item)
    if processes < 1:
        yield from ((item, prepare_one(item)) for item in source)
        return
    first = list(islice(source, CHUNK))
    if not first:
        return
    context = multiprocessing.get_context("spawn")  # no copy of the writer's threads, locks or connections
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_start_worker)
    pending: deque[tuple[list, Future]] = deque()
    try:
        chunk: list = first
        while chunk or pending:
            while chunk and len(pending) < processes * AHEAD:
                raw = [item for item in chunk if isinstance(item, RawArticle)]  # a file's error stays here
                pending.append((chunk, pool.submit(_prepare_chunk, raw, analyzer)))
                chunk = list(islice(source, CHUNK))
            given, future = pending.popleft()
            try:
                done = iter(future.result())
            except BrokenProcessPool:
                logger.warning("a preparing process died; preparing the rest in this process")
                rest = chain(given, *(part for part, _ in pending), chunk, source)  # in input order
                yield from ((item, prepare_one(item, analyzer)) for item in rest)
                return
            for item in given:
                yield item, next(done) if isinstance(item, RawArticle) else prepare_one(item)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_run: contextlib.ExitStack | None = None


def _start_worker() -> None:
    """A worker keeps one run-long memo (wire copy prepared once) and yields the cores to the writer."""
    global _run
    with contextlib.suppress(OSError, AttributeError):  # SCHED_IDLE is Linux's; elsewhere a high niceness
        os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    with contextlib.suppress(OSError):
        os.nice(NICENESS)
    _run = contextlib.ExitStack()
    _run.enter_context(remembering(RUN_MEMO_CHARS))


def _prepare_chunk(items: list[RawArticle], analyzer: str) -> list[Outcome]:
    return [prepare_one(item, analyzer) for item in items]
