"""The question → cited quotes pipeline, and the object that owns the store and both indexes.

Front ends build one :class:`Engine` and call :meth:`Engine.ask`; ingest, removal and
rebuilds live in retrieval.ingest and retrieval.maintenance and work on the same object.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from pathlib import Path

from corpus.normalize import clean_controls
from corpus.records import Article
from corpus.store import Store, StoredSentence
from embeddings import Embedder
from retrieval.abstain import Signals, coverage, decide, decide_foreign
from retrieval.errors import REBUILD_HINT, IndexMissingError, QuestionError
from retrieval.lexical import LexicalIndex
from retrieval.query import Query, understand
from retrieval.quotes import context_span, select
from retrieval.records import PERSIAN, Answer, Hit, Quote
from retrieval.scoring import Evidence, Ranked, score
from retrieval.settings import RetrievalSettings
from retrieval.vectors import VectorIndex, ensure_vector_table

logger = logging.getLogger(__name__)
_HAS_WORD = re.compile(r"\w", re.UNICODE)
EXPAND_MAX_SENTENCES = 200


class Engine:
    def __init__(self, data_dir: Path, embedder: Embedder, settings: RetrievalSettings) -> None:
        self.data_dir = data_dir
        self.embedder = embedder
        self.settings = settings
        self.store = Store(data_dir / "pasokh.sqlite3")
        ensure_vector_table(self.store)
        self.lexical = LexicalIndex(self.store, settings.analyzer)
        self.vectors = VectorIndex(data_dir / "index", embedder.name, embedder.dimension)
        self._articles: OrderedDict[str, Article] = OrderedDict()
        self._reload_lock = threading.Lock()
        self._loaded = False

    # ---- readiness -------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.store.stats().articles == 0

    def load(self) -> None:
        """Load and check both indexes; an empty data directory is ready with empty indexes."""
        self.lexical.check()
        if not self.vectors.exists():
            if self.is_empty():
                self._loaded = True
                return
            raise IndexMissingError(f"the vector index in {self.vectors.dir} is missing; {REBUILD_HINT}")
        self.vectors.load()
        self.catch_up()
        self._loaded = True

    def adopt(self, vectors: VectorIndex) -> None:
        """Serve from ``vectors`` (a writer built or synced it): one reference swap, caches dropped."""
        self.vectors = vectors
        self._articles.clear()
        self._loaded = True

    def forget_articles(self) -> None:
        """Articles changed under us: cached citations may be stale."""
        self._articles.clear()

    def catch_up(self) -> None:
        if self.vectors.generation != self.store.generation():
            added, removed = self.vectors.sync(self.store)
            if added or removed:
                logger.info("vector index caught up with the database: %d added, %d removed", added, removed)

    def refresh(self) -> bool:
        """Pick up another process's writes (the bot calls this); True when something changed."""
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
            self._articles.clear()
        return True

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
        return understand(question, self.settings.analyzer, self.lexical.frequencies)

    def gather(self, question: str, depth: int | None = None, modes: tuple[str, ...] = ("lexical", "dense")) -> Evidence:
        """Everything the searchers say about a question; scoring it is :func:`retrieval.scoring.score`.

        A question in another language has no Persian words to match, so only the multilingual
        dense index is asked.
        """
        if not self._loaded:
            self.load()
        depth = depth or self.settings.candidates
        query = self.understand(question)
        if query.language != PERSIAN:
            modes = ("dense",)
        terms = list(query.terms)
        lex = self.lexical.search(terms, depth) if "lexical" in modes else []
        dense = self.vectors.search(self.embedder.encode_queries([query.formal])[0], depth) if "dense" in modes else []
        art_lex = self.lexical.search_articles(terms, self.settings.article_candidates) if "lexical" in modes else []
        sentences = self.store.sentences({h.sentence_id for h in lex} | {h.sentence_id for h in dense})
        for art_id, _ in art_lex[: self.settings.article_expand]:
            whole = self.store.sentences_of(art_id, limit=EXPAND_MAX_SENTENCES + 1)
            if len(whole) <= EXPAND_MAX_SENTENCES:  # a book-sized file only offers the sentences that matched
                for sent in whole:
                    sentences.setdefault(sent.id, sent)
        context = self.store.neighbours(sentences.values()) if "lexical" in modes else {}
        terms_of = self.lexical.terms_of([*sentences, *context]) if "lexical" in modes else {}
        idf = self.lexical.idf(terms) if "lexical" in modes else {}
        return Evidence(query.formal, terms, lex, dense, art_lex, sentences, query.language, context, terms_of, idf)

    def rank(self, question: str, mode: str | None = None) -> Ranked:
        """Fused sentence ranking for a checked question, before quotes are chosen."""
        mode = mode or self.settings.mode
        modes = ("lexical", "dense") if mode == "hybrid" else (mode,)
        return score(self.gather(question, modes=modes), self.settings, mode)

    def ask(self, question: str, k: int | None = None, offset: int = 0, mode: str | None = None) -> Answer:
        """Quotes ``offset .. offset+k`` for a question, or an abstention that says why."""
        return self.respond(question, k, offset, mode)[0]

    def respond(self, question: str, k: int | None = None, offset: int = 0, mode: str | None = None) -> tuple[Answer, Ranked]:
        """:meth:`ask`, also returning the ranking behind the answer (evaluation needs both)."""
        text = self.check_question(question)
        k = k or self.settings.k
        ranked = self.rank(text, mode)
        terms = tuple(ranked.terms)
        lang = ranked.language
        picked = select(ranked.hits, ranked.sentences, offset + k, self.settings.max_per_article, self.settings.diversity)
        if not picked:
            return Answer(text, True, reason="nothing in the corpus matches the question", terms=terms, language=lang), ranked
        if lang == PERSIAN:
            reason = decide(
                self.signals(ranked, picked[0]),
                self.settings.min_coverage,
                self.settings.min_dense,
                self.settings.confident_dense,
                self.settings.min_article_coverage,
            )
        else:
            reason = decide_foreign(ranked.dense_top, self.settings.foreign_min_dense)
        if reason:
            logger.info("abstained on %r: %s", text, reason)
            return Answer(text, True, reason=reason, terms=terms, language=lang), ranked
        quotes = tuple(self._quote(n, hit, ranked.sentences[hit.sentence_id]) for n, hit in enumerate(picked, 1))
        return Answer(text, False, quotes[offset:], terms=terms, language=lang), ranked

    def signals(self, ranked: Ranked, best: Hit) -> Signals:
        sent = ranked.sentences[best.sentence_id]
        around = self.store.sentences_near(sent.article_id, sent.position, 1)
        found = set().union(*self.lexical.terms_of(s.id for s in around).values())
        idf = ranked.idf or self.lexical.idf(ranked.terms)  # dense-only gathering skips it
        return Signals(
            coverage=coverage(ranked.terms, found, idf),
            dense=ranked.dense_top,
            matched_terms=len(set(ranked.terms) & found),
            article_coverage=coverage(ranked.terms, self.lexical.article_terms_of(sent.article_id), idf),
        )

    def article(self, article_id: str) -> Article | None:
        cached = self._articles.get(article_id)
        if cached is None:
            cached = self.store.article(article_id)
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
            near = self.store.sentences_near(art.id, sent.position, width)
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
        self.store.close()
