"""The object front ends ask: a read-only view of one backend plus the embedder and settings.

Front ends build one :class:`Engine` and call :meth:`Engine.ask`; ingest, removal and
rebuilds (retrieval.ingest, retrieval.maintenance) write through the same backend, and the
engine never swaps its parts.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from pathlib import Path

from corpus.normalize import clean_controls
from corpus.records import Article, StoredSentence
from embeddings import Embedder
from retrieval.answer import pipeline
from retrieval.answer.abstain import Signals
from retrieval.answer.quotes import context_span
from retrieval.errors import QuestionError
from retrieval.query.understand import Query, understand
from retrieval.rank.score import Evidence, Ranked
from retrieval.records import Answer, Hit, Quote
from retrieval.settings import RetrievalSettings, StorageSettings
from retrieval.store.base import Backend, open_backend, signature_of

logger = logging.getLogger(__name__)
_HAS_WORD = re.compile(r"\w", re.UNICODE)


def connect(
    storage: StorageSettings, location: Path, embedder: Embedder, settings: RetrievalSettings, corpus: str | None = None
) -> Engine:
    """An engine over the configured backend at ``location`` (``corpus`` names an evaluation corpus)."""
    signature = signature_of(embedder.name, embedder.dimension, settings.analyzer)
    return Engine(open_backend(storage, location, signature, corpus), embedder, settings)


class Engine:
    def __init__(self, backend: Backend, embedder: Embedder, settings: RetrievalSettings) -> None:
        self.backend = backend
        self.embedder = embedder
        self.settings = settings
        self._articles: OrderedDict[str, Article] = OrderedDict()
        self._loaded = False

    # ---- readiness -------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.backend.stats().articles == 0

    def load(self) -> None:
        """Check the stored signature and load what searching needs; an empty store is ready."""
        self.backend.open()
        self._articles.clear()
        self._loaded = True

    def forget_articles(self) -> None:
        """Articles changed under us: cached citations may be stale."""
        self._articles.clear()

    def refresh(self) -> bool:
        """Pick up other processes' writes (the bot calls this); True when something changed."""
        if not self._loaded:
            self.load()
            return True
        changed = self.backend.refresh()
        if changed:
            self._articles.clear()
        return changed

    # ---- asking ----------------------------------------------------------------
    def check_question(self, question: str) -> str:
        text = clean_controls(question).strip()
        if not text.replace("\u200c", "").strip():
            raise QuestionError("the question is empty", "empty")
        if len(text) > self.settings.max_question_chars:
            limit = self.settings.max_question_chars
            raise QuestionError(f"the question is {len(text)} characters long; the limit is {limit}", "too_long")
        if not _HAS_WORD.search(text):
            raise QuestionError("the question has no words to search for", "no_words")
        return text

    def understand(self, question: str) -> Query:
        """Language, written form and repaired terms of a question (see :mod:`retrieval.query`)."""
        return understand(question, self.settings.analyzer, self.backend.frequencies)

    def gather(self, question: str, depth: int | None = None, modes: tuple[str, ...] = pipeline.BOTH) -> Evidence:
        """Everything the searchers say about a question (see :func:`retrieval.pipeline.gather`)."""
        if not self._loaded:
            self.load()
        return pipeline.gather(self.backend, self.embedder, self.settings, question, depth, modes)

    def ask(self, question: str, k: int | None = None, offset: int = 0, mode: str | None = None) -> Answer:
        """Quotes ``offset .. offset+k`` for a question, or an abstention that says why."""
        return self.respond(question, k, offset, mode)[0]

    def respond(self, question: str, k: int | None = None, offset: int = 0, mode: str | None = None) -> tuple[Answer, Ranked]:
        """:meth:`ask`, also returning the ranking behind the answer (evaluation needs both)."""
        text = self.check_question(question)
        mode = mode or self.settings.mode
        ev = self.gather(text, modes=pipeline.modes_of(mode))
        return self.conclude(ev, text, k, offset, mode)

    def conclude(
        self,
        ev: Evidence,
        question: str,
        k: int | None = None,
        offset: int = 0,
        mode: str | None = None,
        settings: RetrievalSettings | None = None,
    ) -> tuple[Answer, Ranked]:
        """The rest of the pipeline for gathered evidence; ``settings`` lets tuning try others."""
        settings = settings or self.settings
        return pipeline.conclude(
            self.backend, ev, settings, mode or settings.mode, question, self._quote, k or settings.k, offset
        )

    def signals(self, ranked: Ranked, best: Hit) -> Signals:
        return pipeline.signals(self.backend, ranked, best)

    def article(self, article_id: str) -> Article | None:
        cached = self._articles.get(article_id)
        if cached is None:
            cached = self.backend.article(article_id)
            if cached is None:
                return None
            self._articles[article_id] = cached
            if len(self._articles) > 256:
                self._articles.popitem(last=False)
        return cached

    def _quote(self, number: int, hit: Hit, sent: StoredSentence) -> Quote:
        art = self.article(sent.article_id)
        assert art is not None, "sentence without article"  # foreign keys make this impossible
        context = ""
        if self.settings.context_sentences:
            width = self.settings.context_sentences
            near = self.backend.sentences_near(art.id, sent.position, width)
            start, end = context_span(near, sent.position, width, self.settings.context_max_chars)
            context = art.text[start:end]
        return Quote(
            number=number,
            text=art.text[sent.start : sent.end],
            article_id=art.id,
            title=art.title,
            source=art.source,
            published=art.published,
            url=art.url,
            score=hit.score,
            sentence_id=sent.id,
            position=sent.position,
            context=context,
        )

    def close(self) -> None:
        self.backend.close()
