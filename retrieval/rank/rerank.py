"""Rerankers: stages that reorder the fused candidates, held by the engine and applied in turn.

One interface, ``rerank(evidence, hits) -> hits``, for the learned LightGBM ranker that ships
(:class:`retrieval.rank.learned.LearnedRanker`), the hand-set answer-type boost used without it,
and whatever comes next: a cross-encoder is one more :class:`Reranker` that reads
``evidence.norm`` and the candidates' sentences and returns them rescored, best first
(sentence-transformers' ``CrossEncoder.rank`` is an object you hold, not a global).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import TYPE_CHECKING

from retrieval.query import answer_type
from retrieval.rank import fusion
from retrieval.records import Hit
from retrieval.settings import RetrievalSettings

if TYPE_CHECKING:
    from retrieval.search.gather import Evidence


class Reranker(ABC):
    """Reorders candidate sentences for a question; must keep only candidates it was given."""

    name: str = ""

    @abstractmethod
    def rerank(self, evidence: Evidence, hits: Sequence[Hit]) -> list[Hit]: ...


class AnswerTypeBoost(Reranker):
    """«چند»/«کی» questions: a sentence that holds a number/time is the likelier answer."""

    name = "answer-type"

    def __init__(self, boost: float) -> None:
        self.boost = boost

    def rerank(self, evidence: Evidence, hits: Sequence[Hit]) -> list[Hit]:
        kind = answer_type.expected(evidence.norm)
        if kind is None:
            return list(hits)
        factor = 1 + self.boost
        sentences = evidence.sentences
        return fusion.best_first(
            Hit(h.sentence_id, h.score * factor if answer_type.can_answer(sentences[h.sentence_id].norm, kind) else h.score)
            for h in hits
            if h.sentence_id in sentences
        )


def rerankers_for(settings: RetrievalSettings) -> tuple[Reranker, ...]:
    """What ``[retrieval] ranker`` asks for: the shipped learned ranker (falling back, with a
    warning, to the boost when it cannot be loaded) or the hand-set answer-type boost."""
    if settings.ranker == "learned":
        from retrieval.rank.learned import shipped

        model = shipped()
        if model is not None:
            return (model,)
    return (AnswerTypeBoost(settings.answer_type_boost),) if settings.answer_type_boost else ()
