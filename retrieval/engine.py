"""The object front ends ask: a read-only view of the corpus plus the embedder, the settings
and the rerankers.

Front ends build one :class:`Engine` and use only what it names: :meth:`Engine.ask` for
questions, and :meth:`article`, :meth:`article_by_key`, :meth:`articles`, :meth:`latest`,
:meth:`stats` and :meth:`describe` for browsing. The storage behind it is for the writing side
(retrieval.index, news, the composition root in app.compose), never for a front end.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from corpus.clean import LINK
from corpus.normalize import clean_controls
from corpus.records import Article, StoredSentence
from embeddings import PassageEmbedder
from embeddings.passages import adopted
from retrieval.answer import pipeline, speaker
from retrieval.answer.abstain import Signals
from retrieval.answer.quotes import context_span, select
from retrieval.errors import QuestionError
from retrieval.query.understand import MAX_WORD_CHARS, Query, lexicon, understand
from retrieval.rank import fitted
from retrieval.rank.rerank import Reranker, rerankers_for
from retrieval.rank.score import Ranked
from retrieval.records import Answer, Hit, Quote
from retrieval.search import gather as search
from retrieval.search.gather import Evidence
from retrieval.settings import RetrievalSettings, StorageSettings
from retrieval.store import BotState, Pseudonyms, Stats, Storage, open_storage, signature_of

logger = logging.getLogger(__name__)
_HAS_WORD = re.compile(r"\w", re.UNICODE)
# a run of letters longer than any word: a «question» of nothing but one was read by the dense side
# alone, whose vector of a 1,000-letter run sat close to some passage, and quoted it
_OVERLONG = re.compile(rf"[\w\u200c]{{{MAX_WORD_CHARS + 1},}}")
# a link pasted into a question: its letters (www, news, a slug, digits) are no words of it, and
# searched for they pass a question about nothing as one in another language
ARTICLES_KEPT = 256  # articles an engine keeps once read for a quote
EVIDENCE_KEPT = 32  # questions whose gathered evidence is kept until the corpus moves


def connect(
    storage: StorageSettings,
    location: Path,
    embedder: PassageEmbedder,
    settings: RetrievalSettings,
    corpus: str | None = None,
    adopt: bool = True,
) -> Engine:
    """An engine over the configured storage at ``location`` (``corpus`` names an evaluation corpus).

    ``adopt``: with ``passage = "auto"``, use the passage form the stored vectors were made in
    (:func:`embeddings.passages.adopted`); `pasokh index --rebuild` turns it off to convert them.
    """
    opened, embedder = open_adopted(storage, location, embedder, settings.analyzer, corpus, adopt)
    return Engine(opened, embedder, settings)


def open_adopted(
    storage: StorageSettings,
    location: Path,
    embedder: PassageEmbedder,
    analyzer: str,
    corpus: str | None = None,
    adopt: bool = True,
) -> tuple[Storage, PassageEmbedder]:
    """The storage at ``location`` and the embedder for its vectors (see :func:`connect`)."""
    opened = open_storage(storage, location, signature_of(embedder.name, embedder.dimension, analyzer), corpus)
    if not adopt:
        return opened, embedder
    kept = adopted(embedder, opened.state.get_meta("vectors_embedder"))
    if kept is embedder:
        return opened, embedder
    opened.close()
    return open_storage(storage, location, signature_of(kept.name, kept.dimension, analyzer), corpus), kept


class Engine:
    def __init__(
        self, storage: Storage, embedder: PassageEmbedder, settings: RetrievalSettings, rankers: Sequence[Reranker] | None = None
    ) -> None:
        self.storage = storage
        self.embedder = embedder
        self.settings = settings
        self.rankers = tuple(rerankers_for(settings) if rankers is None else rankers)
        self._articles: OrderedDict[str, Article] = OrderedDict()
        self._evidence: OrderedDict[tuple[str, tuple[str, ...]], Evidence] = OrderedDict()
        self._evidence_lock = threading.Lock()
        self._epoch = 0  # moves whenever what this engine serves may have changed
        self._loaded = False

    # ---- readiness -------------------------------------------------------------
    def is_empty(self) -> bool:
        return self.stats().articles == 0

    def load(self) -> None:
        """Check the stored signature and load what searching needs; an empty store is ready."""
        self.storage.open()
        self.forget_articles()
        self._loaded = True
        fitted.warn_once(self.embedder.name)

    def warm(self) -> None:
        """Load what some question would otherwise load in front of its user: hazm's word list,
        which the spelling repairs and the reading of Latin-letter Persian consult (half a
        second, once per process). For long-running front ends; a one-shot ``pasokh ask`` pays
        it only if its question needs it."""
        lexicon()  # built from finglish.frequencies(), which it loads

    def forget_articles(self) -> None:
        """Articles changed under us: cached citations and gathered evidence may be stale."""
        with self._evidence_lock:
            self._epoch += 1
            self._evidence.clear()
        self._articles.clear()

    def refresh(self) -> bool:
        """Pick up other processes' writes (the bot calls this); True when something changed."""
        if not self._loaded:
            self.load()
            return True
        changed = self.storage.refresh()
        if changed:
            self.forget_articles()
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
        if overlong := _OVERLONG.findall(text):  # no word: left out, as a pasted link is
            text = " ".join(_OVERLONG.sub(" ", text).split())
            if not _HAS_WORD.search(text):
                longest = max(map(len, overlong))
                raise QuestionError(f"the question has no words, only a run of {longest} letters: no word is so long", "no_words")
        if LINK.search(text):
            text = " ".join(LINK.sub(" ", text).split())
            if not _HAS_WORD.search(text):
                raise QuestionError("a link is not a question: ask about the news in words", "link")
        return text

    def understand(self, question: str) -> Query:
        """Language, written form and repaired terms of a question (see :mod:`retrieval.query.understand`)."""
        return understand(question, self.settings.analyzer, self.storage.lexical.frequencies)

    def gather(self, question: str, depth: int | None = None, modes: tuple[str, ...] = search.BOTH) -> Evidence:
        """Everything the searchers say about a question (see :func:`retrieval.search.gather.gather`)."""
        if not self._loaded:
            self.load()
        return search.gather(self.storage, self.embedder, self.settings, question, depth, modes)

    def ask(self, question: str, k: int | None = None, offset: int = 0, mode: str | None = None) -> Answer:
        """Quotes ``offset .. offset+k`` for a question, or an abstention that says why."""
        return self.respond(question, k, offset, mode)[0]

    def respond(self, question: str, k: int | None = None, offset: int = 0, mode: str | None = None) -> tuple[Answer, Ranked]:
        """:meth:`ask`, also returning the ranking behind the answer (evaluation needs both)."""
        text = self.check_question(question)
        mode = mode or self.settings.mode
        ev = self._gathered(text, search.modes_of(mode))
        return self.conclude(ev, text, k, offset, mode)

    def _gathered(self, text: str, modes: tuple[str, ...]) -> Evidence:
        """The evidence for a question, kept for the next time it is asked while the corpus
        stays as it is: «more results» asks again for the next page, and in a news bot many
        people ask about the same story. Gathering (the question's embedding and every search)
        is about four fifths of a question's cost; what depends on the time of asking (recency,
        «دیروز») is weighed after it, in :meth:`conclude`, so a kept answer is never out of
        date. Anything that may change what this engine serves (loading, a refresh that found
        writes, this process's own writes) forgets them all, and evidence gathered across such
        a change is not kept."""
        if not self._loaded:
            self.load()
        key = (text, modes)
        with self._evidence_lock:
            kept = self._evidence.get(key)
            if kept is not None:
                self._evidence.move_to_end(key)
                return kept
            epoch = self._epoch
        ev = self.gather(text, modes=modes)
        with self._evidence_lock:
            if epoch == self._epoch:
                self._evidence[key] = ev
                if len(self._evidence) > EVIDENCE_KEPT:
                    self._evidence.popitem(last=False)
        return ev

    def conclude(
        self,
        ev: Evidence,
        question: str,
        k: int | None = None,
        offset: int = 0,
        mode: str | None = None,
        settings: RetrievalSettings | None = None,
    ) -> tuple[Answer, Ranked]:
        """The rest of the pipeline for gathered evidence; ``settings`` lets tuning try others
        (with the rerankers those settings ask for)."""
        rankers = self.rankers if settings is None else None
        settings = settings or self.settings
        return pipeline.conclude(
            self.storage, ev, settings, mode or settings.mode, question, self._quotes, k or settings.k, offset, rankers
        )

    def judge(self, ev: Evidence, settings: RetrievalSettings | None = None, wanted: int = 1) -> pipeline.Verdict:
        """Rank, select ``wanted`` quotes and decide whether to answer, without making quotes
        (what the tuning scripts weigh)."""
        rankers = self.rankers if settings is None else None
        return pipeline.judge(self.storage, ev, settings or self.settings, "hybrid", wanted, rankers=rankers)

    def signals(self, ranked: Ranked, best: Hit, question: str = "") -> Signals:
        """What abstention weighs for ``best``; ``question`` normalized, as :class:`Evidence` holds it."""
        return pipeline.signals(self.storage, ranked, best, question)

    def judged_signals(self, ranked: Ranked, question: str = "") -> Signals | None:
        """What the answer from ``ranked`` was judged on (:func:`pipeline.judged_signals` over its
        first page), None when nothing was picked: for a caller that has the answer and its
        ranking but not the :class:`pipeline.Verdict` that carries them (evaluation)."""
        s = self.settings
        picked = select(ranked.hits, ranked.sentences, s.k, s.max_per_article, s.diversity)
        return pipeline.judged_signals(self.storage, ranked, picked, s.confident_dense, question) if picked else None

    # ---- browsing ----------------------------------------------------------------
    def article_key(self, article_id: str) -> int | None:
        """A short, stable integer for an article: fits where an id string may not (button data)."""
        return self.storage.documents.article_key(article_id)

    def article_by_key(self, key: int) -> Article | None:
        return self.storage.documents.article_by_key(key)

    def articles(self, offset: int = 0, limit: int = 50) -> list[Article]:
        """A page of articles in id order."""
        return self.storage.documents.articles(offset, limit)

    def iter_articles(self) -> Iterator[Article]:
        return self.storage.documents.iter_articles()

    def latest(self, limit: int) -> list[Article]:
        """The newest dated articles, newest first."""
        return self.storage.documents.latest(limit)

    def stats(self) -> Stats:
        return self.storage.documents.stats()

    def open_bot_state(self, location: Path | None, ids: Pseudonyms, keep_days: float) -> BotState:
        """The bot's own records, kept by the same storage as the corpus (see :mod:`retrieval.store.botstate`)."""
        return self.storage.bot_state(location, ids, keep_days)

    def describe(self) -> dict[str, object]:
        """Where the corpus lives and what indexes it, for `pasokh stats` and `pasokh index`."""
        return self.storage.describe()

    def article(self, article_id: str) -> Article | None:
        return self.articles_by_id([article_id]).get(article_id)

    def articles_by_id(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """Articles by id, the last :data:`ARTICLES_KEPT` read kept (a story asked about again,
        «more results»); those not kept are read together."""
        wanted = list(dict.fromkeys(article_ids))
        kept = (self._articles.get(a) for a in wanted)  # .get: another thread may drop one meanwhile
        found = {a: art for a, art in zip(wanted, kept, strict=True) if art is not None}
        missing = [a for a in wanted if a not in found]
        if missing:
            read = self.storage.documents.articles_by_id(missing)
            found.update(read)
            self._articles.update(read)
            while len(self._articles) > ARTICLES_KEPT:
                self._articles.popitem(last=False)
        return {a: found[a] for a in wanted if a in found}

    def _quotes(self, picked: Sequence[tuple[Hit, StoredSentence]]) -> list[Quote]:
        """Quotes numbered from 1, cut from their articles' text: the articles, and the context
        around every quote, in one read each (:data:`pipeline.QuoteMaker`)."""
        arts = self.articles_by_id(sent.article_id for _, sent in picked)
        width = self.settings.context_sentences
        near = self.storage.documents.sentences_around([(s.article_id, s.position) for _, s in picked], width) if width else {}
        quotes: list[Quote] = []
        unnamed: dict[int, tuple[str, int]] = {}  # quote index → (article, first position shown)
        for number, (hit, sent) in enumerate(picked, 1):
            art = arts.get(sent.article_id)
            assert art is not None, "sentence without article"  # foreign keys make this impossible
            context, context_start, shown, said = "", -1, [sent], None
            if width:
                around = near.get((sent.article_id, sent.position), [])
                context_start, end = context_span(around, sent.position, width, self.settings.context_max_chars)
                context = art.text[context_start:end]
                shown = [s for s in around if s.start >= context_start and s.position <= sent.position] or [sent]
            if (anchor := speaker.unnamed(shown)) is not None:
                # who it is, from the sentences shown before it or else from those before them
                said = speaker.speaker_in([s for s in shown if s.position < anchor.position])
                if said is None:
                    unnamed[number - 1] = (sent.article_id, shown[0].position)
            quotes.append(
                Quote(
                    number=number,
                    text=art.text[sent.start : sent.end],
                    article_id=art.id,
                    title=art.title,
                    agency=art.agency,
                    published=art.published,
                    url=art.url,
                    score=hit.score,
                    sentence_id=sent.id,
                    position=sent.position,
                    start=sent.start,
                    context_start=context_start,
                    context=context,
                    speaker=said,
                )
            )
        if unnamed:  # a «وی» who speaks and is named nowhere shown: one more read, of what came before
            back = self.storage.documents.sentences_around(list(unnamed.values()), speaker.LOOKBACK)
            for i, (article_id, first) in unnamed.items():
                before = [s for s in back.get((article_id, first), []) if s.position < first]
                quotes[i] = dataclasses.replace(quotes[i], speaker=speaker.speaker_in(before))
        return quotes

    def close(self) -> None:
        self.storage.close()
