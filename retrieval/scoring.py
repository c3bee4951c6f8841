"""From the searchers' raw evidence to one sentence ranking: a pure function of evidence and settings.

Kept apart from the engine so evaluation can gather evidence once per question and score
it under many settings, exactly as the pipeline would.
"""

from __future__ import annotations

from dataclasses import dataclass

from corpus.store import StoredSentence
from retrieval import answer_type, fusion
from retrieval.records import Hit
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


@dataclass(frozen=True)
class Ranked:
    """Everything a ranking produced, kept for evaluation and for paging."""

    hits: list[Hit]
    sentences: dict[int, StoredSentence]
    terms: list[str]
    dense_top: float | None


def score(ev: Evidence, s: RetrievalSettings, mode: str) -> Ranked:
    dense_top = ev.dense[0].score if ev.dense else None
    if mode == "lexical":
        return Ranked(ev.lexical, ev.sentences, ev.terms, dense_top)
    if mode == "dense":
        return Ranked(ev.dense, ev.sentences, ev.terms, dense_top)
    if s.fusion == "rrf":
        ranked = fusion.reciprocal_rank([ev.lexical, ev.dense], s.rrf_k)
    else:
        ranked = fusion.weighted(ev.lexical, ev.dense, s.dense_weight)
    if s.article_weight > 0:
        ranked = with_article_evidence(ev, ranked, s)
    if s.answer_type_boost:
        ranked = boost_answer_type(ranked, ev, s.answer_type_boost)
    return Ranked(ranked, ev.sentences, ev.terms, dense_top)


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
    return sorted(out, key=lambda h: (-h.score, h.sentence_id))
