"""The question pipeline, once: gather → score → select → abstain → quotes.

:class:`retrieval.engine.Engine` runs it for every front end, `pasokh eval` through the
engine, and the tuning scripts call :func:`gather` once per question and :func:`conclude`
per setting they try, so nothing measures a pipeline that differs from the one users get.
"""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from corpus.records import StoredSentence
from embeddings import Embedder
from retrieval.answer.abstain import Signals, coverage, decide, decide_foreign
from retrieval.answer.quotes import select, wire_key
from retrieval.query import periods as when
from retrieval.query.understand import understand
from retrieval.rank.score import Evidence, Ranked, score
from retrieval.records import PERSIAN, Answer, Hit, Quote
from retrieval.search.budget import affordable
from retrieval.settings import RetrievalSettings
from retrieval.store.base import Backend

logger = logging.getLogger(__name__)
EXPAND_MAX_SENTENCES = 200
ALSO_RAN_NAMES = 5
ALSO_RAN_LOOKS = 12
BOTH = ("lexical", "dense")


def idf(backend: Backend, terms: Iterable[str]) -> dict[str, float]:
    """BM25's idf per term; a term the corpus has never seen gets the largest idf."""
    unique = list(dict.fromkeys(terms))
    if not unique:
        return {}
    n = backend.sentence_count()
    df = backend.frequencies(unique)
    return {t: math.log(1 + (n - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5)) for t in unique}


def gather(
    backend: Backend,
    embedder: Embedder,
    settings: RetrievalSettings,
    question: str,
    depth: int | None = None,
    modes: tuple[str, ...] = BOTH,
) -> Evidence:
    """Everything the searchers say about a question.

    A question in another language has no Persian words to match, so only the multilingual
    dense index is asked.
    """
    depth = depth or settings.candidates
    query = understand(question, settings.analyzer, backend.frequencies)
    if query.language != PERSIAN:
        modes = ("dense",)
    lexical = "lexical" in modes
    terms = list(query.terms)
    searched = affordable(terms, backend.frequencies(terms), settings.lexical_budget) if lexical else []
    lex = backend.search_sentences(searched, depth) if lexical else []
    dense = backend.search_dense(embedder.encode_queries([query.formal])[0], depth) if "dense" in modes else []
    art_lex = backend.search_articles(searched, settings.article_candidates) if lexical else []
    sentences = backend.sentences({h.sentence_id for h in lex} | {h.sentence_id for h in dense})
    for art_id, _ in art_lex[: settings.article_expand]:
        whole = backend.sentences_of(art_id, limit=EXPAND_MAX_SENTENCES + 1)
        if len(whole) <= EXPAND_MAX_SENTENCES:  # a book-sized file only offers the sentences that matched
            for sent in whole:
                sentences.setdefault(sent.id, sent)
    # a writer may remove an article between two reads; its hits are dropped, never half-shown
    lex = [h for h in lex if h.sentence_id in sentences]
    dense = [h for h in dense if h.sentence_id in sentences]
    context = backend.neighbours(sentences.values()) if lexical else {}
    terms_of = backend.terms_of([*sentences, *context]) if lexical else {}
    weights = idf(backend, terms) if lexical else {}
    return Evidence(query.formal, terms, lex, dense, art_lex, sentences, query.language, context, terms_of, weights)


def signals(backend: Backend, ranked: Ranked, best: Hit) -> Signals:
    """What abstention weighs: how much of the question the best quote's neighbourhood and its
    whole article hold, and how close it is in meaning."""
    sent = ranked.sentences[best.sentence_id]
    around = backend.sentences_near(sent.article_id, sent.position, 1)
    found = set().union(*backend.terms_of(s.id for s in around).values())
    weights = ranked.idf or idf(backend, ranked.terms)  # dense-only gathering skips it
    return Signals(
        coverage=coverage(ranked.terms, found, weights),
        dense=ranked.dense_top,
        matched_terms=len(set(ranked.terms) & found),
        article_coverage=coverage(ranked.terms, backend.article_terms_of(sent.article_id), weights),
    )


@dataclass(frozen=True)
class Verdict:
    """The ranking, the quotes picked from it and, when the answer is withheld, why."""

    ranked: Ranked
    picked: list[Hit]
    reason: str | None


def judge(
    backend: Backend, ev: Evidence, settings: RetrievalSettings, mode: str, wanted: int, now: datetime | None = None
) -> Verdict:
    """Score, put newer (and in-period) articles first among near-equals, select ``wanted`` quotes
    and decide whether to answer."""
    ranked = in_time(backend, ev, score(ev, settings, mode), settings, now)
    picked = select(ranked.hits, ranked.sentences, wanted, settings.max_per_article, settings.diversity)
    if not picked:
        return Verdict(ranked, picked, "nothing in the corpus matches the question")
    if ranked.language == PERSIAN:
        reason = decide(
            signals(backend, ranked, picked[0]),
            settings.min_coverage,
            settings.min_dense,
            settings.confident_dense,
            settings.min_article_coverage,
        )
    else:
        reason = decide_foreign(ranked.dense_top, settings.foreign_min_dense)
    return Verdict(ranked, picked, reason)


def in_time(backend: Backend, ev: Evidence, ranked: Ranked, settings: RetrievalSettings, now: datetime | None) -> Ranked:
    """The ranking with time taken into account (see :func:`retrieval.when.prefer`)."""
    now = now or datetime.now(UTC)
    period = when.window(ev.norm, now)
    if not ranked.hits or (settings.recency_weight <= 0 and period is None):
        return ranked
    articles = {h.sentence_id: ranked.sentences[h.sentence_id].article_id for h in ranked.hits}
    times = backend.published_times(set(articles.values()))
    stamps = {sid: times.get(art) for sid, art in articles.items()}
    hits = when.prefer(
        ranked.hits, stamps, now.timestamp(), settings.recency_half_life_days, settings.recency_weight,
        period, settings.period_weight,
    )  # fmt: skip
    return dataclasses.replace(ranked, hits=hits)


def also_ran(backend: Backend, quote: Quote, others: Iterable[str]) -> Quote:
    """The quote with the other outlets (of articles ``others``) that ran the same sentence."""
    names: list[str] = []
    looked = 0
    for other in others:
        if other == quote.article_id:
            continue
        if len(names) >= ALSO_RAN_NAMES or looked >= ALSO_RAN_LOOKS:  # a wire story can run in hundreds
            break
        looked += 1
        article = backend.article(other)
        name = article.source if article and article.source else None
        if name and name != quote.source and name not in names:
            names.append(name)
    return dataclasses.replace(quote, also=tuple(names)) if names else quote


QuoteMaker = Callable[[int, Hit, StoredSentence], Quote]


def conclude(
    backend: Backend,
    ev: Evidence,
    settings: RetrievalSettings,
    mode: str,
    question: str,
    quote: QuoteMaker,
    k: int,
    offset: int = 0,
) -> tuple[Answer, Ranked]:
    """Quotes ``offset .. offset+k`` for gathered evidence, or an abstention that says why."""
    verdict = judge(backend, ev, settings, mode, offset + k)
    ranked = verdict.ranked
    terms = tuple(ranked.terms)
    if verdict.reason:
        logger.info("abstained on %r: %s", question, verdict.reason)
        return Answer(question, True, reason=verdict.reason, terms=terms, language=ranked.language), ranked
    norms = [ranked.sentences[h.sentence_id].norm for h in verdict.picked]
    copies = backend.copies(norms)  # the very same sentence anywhere in the corpus
    by_key: dict[str, set[str]] = {}  # the same but for its attribution, among the candidates
    for sent in ranked.sentences.values():
        by_key.setdefault(wire_key(sent.norm), set()).add(sent.article_id)
    quotes = tuple(
        also_ran(
            backend,
            quote(n, hit, ranked.sentences[hit.sentence_id]),
            sorted(set(copies.get(norm, [])) | by_key.get(wire_key(norm), set())),
        )
        for n, (hit, norm) in enumerate(zip(verdict.picked, norms, strict=True), 1)
    )
    return Answer(question, False, quotes[offset:], terms=terms, language=ranked.language), ranked


def modes_of(mode: str) -> tuple[str, ...]:
    return BOTH if mode == "hybrid" else (mode,)
