"""The answer stage, once: rank the gathered evidence → take time into account → select →
abstain → quotes.

:class:`retrieval.engine.Engine` runs it for every front end, `pasokh eval` through the
engine, and the tuning scripts call :func:`retrieval.search.gather.gather` once per question
and :func:`conclude` per setting they try, so nothing measures a pipeline that differs from the
one users get.
"""

from __future__ import annotations

import dataclasses
import itertools
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from corpus.normalize import ANALYZERS, term
from corpus.records import StoredSentence
from retrieval.answer.abstain import Signals, coverage, decide, decide_foreign, names_whole, rarest_found, wordless
from retrieval.answer.quotes import saying_first, select, wire_key
from retrieval.query import answer_type, periods
from retrieval.rank.rerank import Reranker
from retrieval.rank.score import Ranked, score
from retrieval.records import PERSIAN, Answer, Hit, Quote
from retrieval.search.gather import NEIGHBOURHOOD, Evidence, idf
from retrieval.settings import RetrievalSettings
from retrieval.store import Storage

logger = logging.getLogger(__name__)
ALSO_RAN_NAMES = 5
ALSO_RAN_LOOKS = 12


def signals(storage: Storage, ranked: Ranked, best: Hit, question: str = "", ev: Evidence | None = None) -> Signals:
    """What abstention weighs: how much of the question the best quote's neighbourhood and its
    whole article hold, how close it is in meaning, and whether it holds the kind of answer the
    (normalized) ``question`` asks for with the names it asks about. The neighbourhood comes
    from ``ev`` when given (see :func:`around`)."""
    sent = ranked.sentences[best.sentence_id]
    lexicon = storage.lexical
    around_best, found = around(storage, sent, ev)
    weights = ranked.idf or idf(lexicon, ranked.terms)  # dense-only gathering skips it
    kind = answer_type.expected(question) if question else None
    typed = kind is not None and any(answer_type.can_answer(s.norm, kind) for s in around_best)
    in_article = lexicon.article_terms_of(sent.article_id)
    naming = naming_terms(question, ranked.terms)

    def asked(held: Iterable[str] = ()) -> list[str]:  # the question's terms, its naming ones only where held
        return [t for t in ranked.terms if t not in naming or t in held]

    return Signals(
        coverage=coverage(asked(found), found, weights),
        dense=ranked.dense_top,
        matched_terms=len(set(ranked.terms) & found),
        article_coverage=coverage(asked(in_article), in_article, weights),
        typed_answer=typed and rarest_found(asked(), found, weights),
        named=bool(question) and names_whole(question, (s.norm for s in around_best)),
    )


def unsaid(what: str | None, norm_sentences: Iterable[str]) -> str | None:
    """``what`` the question asks for exactly (:func:`answer_type.exact`), when none of the quoted
    sentences says it («age» for «ژاوی چند سالشه؟» over quotes that name him and give a match's
    minute): the quotes are still the nearest the corpus has to the question (a film's year where
    an actor's age was asked), and the reader is told they do not say it rather than left to take
    a number for the answer."""
    if what is None or any(answer_type.says(s, what) for s in norm_sentences):
        return None
    return what


def naming_terms(question: str, terms: Sequence[str]) -> frozenset[str]:
    """Those of the question's ``terms`` that name the kind of answer it wants
    (:func:`retrieval.query.answer_type.naming`: «سمت» of «چه سمتی دارد؟»): an answer rarely
    repeats them, so a passage is not held to them. Whichever analyzer made ``terms``, the
    words' terms under it are among them."""
    words = answer_type.naming(question) if question else ()
    return frozenset(term(w, analyzer) for w in words for analyzer in ANALYZERS) & frozenset(terms)


def around(storage: Storage, sent: StoredSentence, ev: Evidence | None) -> tuple[list[StoredSentence], set[str]]:
    """``sent`` and the :data:`NEIGHBOURHOOD` sentences either side of it in its article, in order,
    with the terms they hold.

    Lexical gathering has already read every candidate's neighbours and the terms of both
    (:class:`Evidence`'s ``context`` and ``terms_of``), so they are taken from there: two reads
    fewer a question. Dense-only evidence holds neither, and is read for."""
    if ev is None or not ev.terms_of:
        near = storage.documents.sentences_near(sent.article_id, sent.position, NEIGHBOURHOOD)
        return near, set().union(*storage.lexical.terms_of(s.id for s in near).values())
    at = {
        s.position: s
        for s in itertools.chain(ev.sentences.values(), ev.context.values())
        if s.article_id == sent.article_id and abs(s.position - sent.position) <= NEIGHBOURHOOD
    }
    near = [at[p] for p in sorted(at)]
    return near, set().union(*(ev.terms_of.get(s.id, frozenset()) for s in near))


@dataclass(frozen=True)
class Verdict:
    """The ranking, the quotes picked from it, when the answer is withheld, why, and what it was
    judged on (:func:`judged_signals`; None for a question in another language or nothing picked)."""

    ranked: Ranked
    picked: list[Hit]
    reason: str | None
    judged: Signals | None = None


def judge(
    storage: Storage,
    ev: Evidence,
    settings: RetrievalSettings,
    mode: str,
    wanted: int,
    now: datetime | None = None,
    rankers: Sequence[Reranker] | None = None,
) -> Verdict:
    """Score (reordered by ``rankers``, by default those ``settings`` ask for), put newer (and
    in-period) articles first among near-equals, select ``wanted`` quotes and decide whether to answer."""
    ranked = in_time(storage, ev, score(ev, settings, mode, rankers), settings, now)
    picked = select(ranked.hits, ranked.sentences, wanted, settings.max_per_article, settings.diversity)
    if not picked:
        return Verdict(ranked, picked, "nothing in the corpus matches the question")
    if ranked.language != PERSIAN:
        return Verdict(ranked, picked, decide_foreign(ranked.dense_top, settings.foreign_min_dense))
    judged = judged_signals(storage, ranked, picked[: settings.k], settings.confident_dense, ev.norm, ev)
    reason = decide(
        judged,
        settings.min_coverage,
        settings.min_dense,
        settings.confident_dense,
        settings.min_article_coverage,
    )
    return Verdict(ranked, picked, reason, judged)


def judged_signals(
    storage: Storage,
    ranked: Ranked,
    picked: Sequence[Hit],
    confident_dense: float,
    question: str = "",
    ev: Evidence | None = None,
) -> Signals:
    """What an answer whose first page is ``picked`` is judged on: its first pick's signals, or,
    when that pick's neighbourhood holds no word of the question and it is not close enough in
    meaning to answer without one, those of the first pick whose neighbourhood holds one. The
    ranker may lead with such a sentence (its cosine and its neighbours' scores carry it) over
    quotes that hold the words: judged on it alone, «کجا باید دنبال طلا گشت؟» was refused as «no
    word of the question occurs» although the quotes under it answer. The ranker's order stands
    (over ParsiNLU its wordless first pick was the right article, where moving a worded quote up
    led with a wrong one); when no pick holds a word, the refusal says so and is true."""
    first = signals(storage, ranked, picked[0], question, ev)
    if not wordless(first, confident_dense):
        return first
    for hit in picked[1:]:
        other = signals(storage, ranked, hit, question, ev)
        if other.matched_terms > 0:
            return other
    return first


def in_time(storage: Storage, ev: Evidence, ranked: Ranked, settings: RetrievalSettings, now: datetime | None) -> Ranked:
    """The ranking with time taken into account (see :func:`retrieval.query.periods.prefer`)."""
    now = now or datetime.now(UTC)
    period = periods.window(ev.norm, now)
    if not ranked.hits or (settings.recency_weight <= 0 and period is None):
        return ranked
    articles = {h.sentence_id: ranked.sentences[h.sentence_id].article_id for h in ranked.hits}
    times = dict(ev.published or {})  # read with the candidates where the gathering could
    missing = set(articles.values()) - times.keys()
    if missing:
        times.update(storage.documents.published_times(missing))
    stamps = {sid: times.get(art) for sid, art in articles.items()}
    hits = periods.prefer(
        ranked.hits, stamps, now.timestamp(), settings.recency_half_life_days, settings.recency_weight,
        period, settings.period_weight,
    )  # fmt: skip
    return dataclasses.replace(ranked, hits=hits)


def also_ran(quote: Quote, others: Iterable[str], agency: Mapping[str, str | None]) -> Quote:
    """The quote with the other outlets (of articles ``others``, their agencies in ``agency``)
    that ran the same sentence."""
    names: list[str] = []
    for other in others:
        name = agency.get(other)
        if name and name != quote.agency and name not in names:
            names.append(name)
            if len(names) >= ALSO_RAN_NAMES:
                break
    return dataclasses.replace(quote, also=tuple(names)) if names else quote


_YES_NO = re.compile(r"\s*[آا]یا\s")

QuoteMaker = Callable[[Sequence[tuple[Hit, StoredSentence]]], list[Quote]]
"""Quotes for picked sentences, numbered from 1 in order: each quote's article and context are
read for all of them at once (on PostgreSQL a read a quote was most of an answer's round trips)."""


def conclude(
    storage: Storage,
    ev: Evidence,
    settings: RetrievalSettings,
    mode: str,
    question: str,
    quote: QuoteMaker,
    k: int,
    offset: int = 0,
    rankers: Sequence[Reranker] | None = None,
) -> tuple[Answer, Ranked]:
    """Quotes ``offset .. offset+k`` for gathered evidence, or an abstention that says why."""
    verdict = judge(storage, ev, settings, mode, offset + k, rankers=rankers)
    ranked = verdict.ranked
    terms = tuple(ranked.terms)
    if verdict.reason:
        logger.info("abstained on %r: %s", question, verdict.reason)
        return Answer(question, True, reason=verdict.reason, terms=terms, language=ranked.language, read_as=ev.read_as), ranked
    picked = verdict.picked
    if offset == 0 and mode == "hybrid" and not _YES_NO.match(ev.norm):
        # the first page leads with a quote that says something the question does not: a section's
        # heading («بهترین بازیکن») holds every word of «بهترین بازیکن بازی … کی بود؟» and answers
        # nothing; a yes-or-no question is answered by the very sentence it restates. (The plain
        # dense and lexical modes are baselines, and stay plain.)
        asked = set(ev.terms)

        def adds(hit: Hit) -> bool:
            held = ev.terms_of.get(hit.sentence_id)
            return held is None or not held <= asked

        picked = saying_first(picked[: settings.k], adds) + picked[settings.k :]
    what = answer_type.exact(ev.norm)
    if what is not None and offset == 0:  # the first page (as the reader gets it) leads with a quote that states it

        def stated(hit: Hit) -> bool:
            return answer_type.states(ranked.sentences[hit.sentence_id].norm, what)

        picked = saying_first(picked[: settings.k], stated) + picked[settings.k :]
    norms = [ranked.sentences[h.sentence_id].norm for h in picked]
    copies = storage.documents.copies(norms)  # the very same sentence anywhere in the corpus
    by_key: dict[str, set[str]] = {}  # the same but for its attribution, among the candidates
    for sent in ranked.sentences.values():
        by_key.setdefault(wire_key(sent.norm), set()).add(sent.article_id)
    made = quote([(hit, ranked.sentences[hit.sentence_id]) for hit in picked])
    looked = [  # a wire story runs in hundreds of articles: a dozen are asked who they are
        [other for other in sorted(set(copies.get(norm, [])) | by_key.get(wire_key(norm), set())) if other != q.article_id][
            :ALSO_RAN_LOOKS
        ]
        for q, norm in zip(made, norms, strict=True)
    ]
    agency = storage.documents.agencies({a for others in looked for a in others})  # one read for every quote
    quotes = tuple(also_ran(q, others, agency) for q, others in zip(made, looked, strict=True))
    answer = Answer(question, False, quotes[offset:], terms=terms, language=ranked.language, read_as=ev.read_as)
    return dataclasses.replace(answer, unsaid=unsaid(what, norms[offset:])), ranked
