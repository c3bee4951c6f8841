"""Running an evaluation: build (or reuse) the dataset's corpus, ask every question, score the outcomes."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from corpus.normalize import contains_answer
from corpus.prepare import PREPARE_VERSIONS
from corpus.read import RawArticle
from embeddings import Embedder
from evaluation.datasets import Dataset, DatasetError, EvalItem
from evaluation.metrics import Outcome, summary
from retrieval.engine import Engine
from retrieval.errors import QuestionError
from retrieval.index.ingest import ingest_raw
from retrieval.records import PERSIAN
from retrieval.settings import RetrievalSettings
from retrieval.store.capabilities import LEXICAL_FORMAT
from retrieval.store.state import StateKind

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EvalCorpus:
    """An evaluation corpus was built whole (a killed build is built again)."""

    complete: bool = False
    datasets: list[str] = field(default_factory=list)


COMPLETE = StateKind(
    "eval_corpus", EvalCorpus, legacy=lambda _: "eval_corpus_complete", from_legacy=lambda raw: EvalCorpus(complete=raw == "1")
)
Tick = Callable[[int], None]


@dataclass(frozen=True)
class Report:
    mode: str
    metrics: dict[str, float | int]
    corpus: dict[str, object]
    settings: dict[str, object]
    dataset: str = ""
    corpus_name: str = ""
    outcomes: tuple[Outcome, ...] = field(default=(), repr=False, compare=False)


def corpus_dir(root: Path, datasets: Sequence[Dataset], embedder: Embedder, analyzer: str) -> Path:
    """One directory per (data, embedder, analyzer, normalization, splitting): unchanged inputs reuse it."""
    key = json.dumps([[d.name, d.digest] for d in datasets] + [embedder.name, analyzer, *PREPARE_VERSIONS, LEXICAL_FORMAT])
    names = "+".join(d.name for d in datasets)[:60]
    return root / f"{names}-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def corpus_built(engine: Engine) -> bool:
    found = COMPLETE.load(engine.storage.state)
    return found is not None and found.complete


def build_corpus(engine: Engine, datasets: Sequence[Dataset], tick: Tick | None = None) -> None:
    """Ingest every dataset's contexts; a finished corpus is marked, and brought up to date with
    the code that prepares it on every run: an article prepared differently since (a title read
    otherwise, a sentence split otherwise) is written again, its unchanged vectors reused, and
    the rest are skipped by their content hash. A corpus kept as first built would measure the
    code of that day: the cache's key names the input files and the prepare versions, not every
    rule that reads a title."""
    built = corpus_built(engine)
    report = ingest_raw(engine, distinct(datasets), tick)
    if report.errors:
        raise DatasetError(f"the evaluation corpus could not be built: {report.errors[0]}")
    if built and (report.updated or report.added):
        logger.info(
            "the evaluation corpus changed since it was built: %d articles written again, %d added",
            len(report.updated),
            len(report.added),
        )
    if not built:
        COMPLETE.save(engine.storage.state, EvalCorpus(complete=True, datasets=[d.name for d in datasets]))


def distinct(datasets: Sequence[Dataset]) -> list[RawArticle]:
    """Every dataset's passages once: a passage two sets share (ParsiNLU's dev and train have a
    few) is one article. Two different passages under one id cannot share a corpus."""
    seen: dict[str, tuple[str, RawArticle]] = {}
    for d in datasets:
        for raw in d.articles:
            if raw.id not in seen:
                seen[raw.id] = (d.name, raw)
            elif seen[raw.id][1].text != raw.text:
                raise DatasetError(f"{d.name} and {seen[raw.id][0]} both have a passage {raw.id} with different texts")
    return [raw for _, raw in seen.values()]


def outcome(engine: Engine, item: EvalItem, mode: str, k: int = 3) -> Outcome:
    started = time.perf_counter()
    try:
        answer, ranked = engine.respond(item.question, k=max(k, 5), mode=mode)
    except QuestionError as exc:
        seconds = time.perf_counter() - started
        return Outcome(item.article, item.answers, item.impossible, True, (), None, None, seconds, item.question, str(exc))
    seconds = time.perf_counter() - started
    found = ranked.sentences
    articles = tuple(dict.fromkeys(found[h.sentence_id].article_id for h in ranked.hits if h.sentence_id in found))
    # What the reader is shown first is the first quote, which need not be the ranking's first
    # sentence (a «در چه سالی» question leads with the pick that states a year): the article
    # counted first is the one quoted first. The signals reported are the ones the answer was
    # judged on, which need not be the first quote's either (pipeline.judged_signals).
    lead = answer.quotes[0] if answer.quotes and not answer.abstained else None
    if lead is not None:
        articles = (lead.article_id, *(a for a in articles if a != lead.article_id))
    rank = rank_shown = None
    if item.answers and not answer.abstained:
        for q in answer.quotes[:k]:
            if rank is None and contains_answer(q.text, item.answers):
                rank = q.number
            if rank_shown is None and contains_answer(q.shown, item.answers):
                rank_shown = q.number
    persian = bool(ranked.hits) and ranked.language == PERSIAN
    signals = engine.judged_signals(ranked, engine.understand(item.question).formal) if persian else None
    return Outcome(
        item.article, item.answers, item.impossible, answer.abstained, articles, rank, rank_shown, seconds,
        question=item.question,
        reason=answer.reason,
        coverage=signals.coverage if signals else None,
        article_coverage=signals.article_coverage if signals else None,
        dense=ranked.dense_top,
        unsaid=answer.unsaid,
    )  # fmt: skip


def evaluate(engine: Engine, items: Sequence[EvalItem], mode: str, tick: Tick | None = None) -> Report:
    outcomes = []
    for item in items:
        outcomes.append(outcome(engine, item, mode))
        if tick:
            tick(1)
    stats = engine.stats()
    settings: RetrievalSettings = engine.settings
    return Report(
        mode=mode,
        metrics=summary(outcomes),
        corpus={"articles": stats.articles, "sentences": stats.sentences, "embedder": engine.embedder.name},
        settings=dict(settings.__dict__),
        outcomes=tuple(outcomes),
    )
