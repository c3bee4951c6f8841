"""From the searchers' raw evidence to one sentence ranking: a pure function of evidence and settings.

Kept apart from the engine so evaluation can gather evidence once per question and score
it under many settings, exactly as the pipeline would.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from corpus.records import StoredSentence
from retrieval.rank import fusion
from retrieval.rank.rerank import Reranker, rerankers_for
from retrieval.records import PERSIAN, Hit
from retrieval.search.gather import Evidence
from retrieval.settings import RetrievalSettings


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


def score(ev: Evidence, s: RetrievalSettings, mode: str, rankers: Sequence[Reranker] | None = None) -> Ranked:
    """Rank the evidence's sentences. Hybrid questions are fused, then reordered by each of
    ``rankers`` in turn (by default what ``s.ranker`` asks for, see :func:`rerankers_for`)."""
    dense_top = ev.dense[0].score if ev.dense else None
    if mode == "lexical":
        return Ranked(ev.lexical, ev.sentences, ev.terms, dense_top, ev.language, ev.idf)
    if mode == "dense" or ev.language != PERSIAN:
        return Ranked(ev.dense, ev.sentences, ev.terms, dense_top, ev.language, ev.idf)
    ranked = fuse(ev, s)
    for stage in rerankers_for(s) if rankers is None else rankers:
        ranked = stage.rerank(ev, ranked)
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
