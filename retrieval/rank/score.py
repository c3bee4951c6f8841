"""From the searchers' raw evidence to one sentence ranking: a pure function of evidence and settings.

Kept apart from the engine so evaluation can gather evidence once per question and score
it under many settings, exactly as the pipeline would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpus.records import StoredSentence
from retrieval.query import answer_type
from retrieval.rank import fusion
from retrieval.rank import learned as ranker
from retrieval.rank.learned import Ranker
from retrieval.records import PERSIAN, Hit
from retrieval.settings import RetrievalSettings


@dataclass(frozen=True)
class Evidence:
    """Sentence-level lexical and dense hits, article-level lexical hits, and every sentence they name."""

    norm: str
    terms: list[str]
    lexical: list[Hit]
    dense: list[Hit]
    articles: list[tuple[str, float]]
    sentences: dict[int, StoredSentence]
    language: str = PERSIAN
    context: dict[int, StoredSentence] = field(default_factory=dict)  # neighbours of candidates, not candidates
    terms_of: dict[int, frozenset[str]] = field(default_factory=dict)  # indexed terms of candidates and context
    idf: dict[str, float] = field(default_factory=dict)  # of the question's terms


@dataclass(frozen=True)
class Ranked:
    """Everything a ranking produced, kept for evaluation and for paging."""

    hits: list[Hit]
    sentences: dict[int, StoredSentence]
    terms: list[str]
    dense_top: float | None
    language: str = PERSIAN
    idf: dict[str, float] = field(default_factory=dict)  # of the question's terms, as gathered


def fuse(ev: Evidence, s: RetrievalSettings) -> list[Hit]:
    """The hand-set ranking: weighted (or reciprocal-rank) fusion, mixed with article evidence."""
    if s.fusion == "rrf":
        ranked = fusion.reciprocal_rank([ev.lexical, ev.dense], s.rrf_k)
    else:
        ranked = fusion.weighted(ev.lexical, ev.dense, s.dense_weight)
    if s.article_weight > 0:
        ranked = with_article_evidence(ev, ranked, s)
    return ranked


def score(ev: Evidence, s: RetrievalSettings, mode: str, model: Ranker | None = None) -> Ranked:
    """Rank the evidence's sentences. Hybrid questions go through the learned ranker when
    ``s.ranker`` is "learned" (``model``, or the shipped one), else the hand-set fusion."""
    dense_top = ev.dense[0].score if ev.dense else None
    if mode == "lexical":
        return Ranked(ev.lexical, ev.sentences, ev.terms, dense_top, ev.language, ev.idf)
    if mode == "dense" or ev.language != PERSIAN:
        return Ranked(ev.dense, ev.sentences, ev.terms, dense_top, ev.language, ev.idf)
    ranked = fuse(ev, s)
    if s.ranker == "learned":
        model = model or ranker.shipped()
        if model is not None:
            return Ranked(model.rank(ev, ranked), ev.sentences, ev.terms, dense_top, ev.language, ev.idf)
    if s.answer_type_boost:
        ranked = boost_answer_type(ranked, ev, s.answer_type_boost)
    return Ranked(ranked, ev.sentences, ev.terms, dense_top, ev.language, ev.idf)


def with_article_evidence(ev: Evidence, ranked: list[Hit], s: RetrievalSettings) -> list[Hit]:
    """Mix each sentence's score with its article's: a question's words are often spread over
    several sentences of the passage that answers it."""
    dense_by_article: dict[str, float] = {}
    for hit in ev.dense:
        sent = ev.sentences.get(hit.sentence_id)
        if sent is not None:
            dense_by_article[sent.article_id] = max(dense_by_article.get(sent.article_id, hit.score), hit.score)
    articles = fusion.article_scores(ev.articles, dense_by_article, s.article_dense_weight)
    own = {h.sentence_id: h.score for h in ranked}
    article_of = {i: x.article_id for i, x in ev.sentences.items()}
    return fusion.mix_levels(own, article_of, articles, s.article_weight)


def boost_answer_type(ranked: list[Hit], ev: Evidence, boost: float) -> list[Hit]:
    """«چند»/«کی» questions: a sentence that holds a number/time is the likelier answer."""
    kind = answer_type.expected(ev.norm)
    if kind is None:
        return ranked
    out = [
        Hit(h.sentence_id, h.score * (1 + boost) if answer_type.can_answer(ev.sentences[h.sentence_id].norm, kind) else h.score)
        for h in ranked
        if h.sentence_id in ev.sentences
    ]
    return fusion.best_first(out)
