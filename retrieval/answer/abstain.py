"""Deciding when the corpus has no answer: a pure function of signals the pipeline measures."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from corpus.normalize import fold, stopwords, words
from retrieval.rank.features import rarest


@dataclass(frozen=True)
class Signals:
    """``coverage``: idf-weighted share of the question's terms found around the best quote;
    ``article_coverage``: the same over its whole article (news names a person once, then says
    «وی»); ``dense``: cosine of the best dense match (None when the dense side was not run);
    ``typed_answer``: the question wants a number, a time, a person or a role, the best quote's
    neighbourhood holds one, and it holds the question's rarest words (the names it asks about).
    Short questions like «شهیندخت مولاوردی چه سمتی دارد؟» or «چند طرح امضا شد؟» are mostly
    such words and the question word, so their coverage says little. ``named``: the question is
    a name and its question words («ژرژ لیکنز کیست؟»), and a sentence there writes the name as
    the question does; see :func:`names_whole`."""

    coverage: float
    dense: float | None
    matched_terms: int
    article_coverage: float = 0.0
    typed_answer: bool = False  # a count, time, person or role question whose rarest words and answer are all there
    named: bool = False  # every word the question asks about is in the best quote's neighbourhood, as one phrase


def rarest_found(question_terms: Iterable[str], found_terms: Iterable[str], idf: Mapping[str, float]) -> bool:
    """Whether the question's rarest words (:func:`retrieval.rank.features.rarest`) are all found."""
    q = rarest(question_terms, idf)
    found = set(found_terms)
    return bool(q) and all(t in found for t in q)


def coverage(question_terms: Iterable[str], found_terms: Iterable[str], idf: Mapping[str, float]) -> float:
    """Share of the question's information (idf mass) that the passage contains."""
    q = set(question_terms)
    if not q:
        return 0.0
    found = set(found_terms)
    total = sum(idf.get(t, 0.0) for t in q)
    if total <= 0:
        return 0.0
    return sum(idf.get(t, 0.0) for t in q & found) / total


MIN_NAMED_WORDS = 2  # one word written alike in question and passage may be chance; a run of two is a name


def names_whole(norm_question: str, norm_sentences: Iterable[str]) -> bool:
    """Whether one of the sentences holds every word the question asks about (all but its
    stopwords), at least :data:`MIN_NAMED_WORDS` of them, side by side in the question's order.

    E5 places a question that is nothing but a name far from every sentence («ژرژ لیکنز کیست؟»:
    0.78 from «سرمربی: ژرژ لیکنز», under the 0.80 that tells off-topic questions from the rest),
    yet a corpus that writes the whole question's name as it is asked is about what it asks."""
    stop = stopwords()
    asked = [fold(w) for w in words(norm_question) if fold(w) not in stop]
    if len(asked) < MIN_NAMED_WORDS:
        return False
    n = len(asked)
    for sentence in norm_sentences:
        held = [fold(w) for w in words(sentence)]
        if any(held[i : i + n] == asked for i in range(len(held) - n + 1)):
            return True
    return False


WORDS_ONLY = 0.6  # the share of min_coverage asked for when meaning was not measured (lexical mode)


def doubt(dense: float | None, min_dense: float, confident_dense: float) -> float:
    """How unsure the meaning side is, from 1 (at ``min_dense`` or below) to 0 (at
    ``confident_dense`` or above), linearly between. Without a dense side (lexical mode) words
    alone decide, at :data:`WORDS_ONLY` of ``min_coverage``: the share the hard gate asked for
    before meaning was weighed in, which lexical-only deployments were tuned to."""
    if dense is None:
        return WORDS_ONLY
    if confident_dense <= min_dense:
        return 1.0 if dense < confident_dense else 0.0
    return min(1.0, max(0.0, (confident_dense - dense) / (confident_dense - min_dense)))


def wordless(signals: Signals, confident_dense: float) -> bool:
    """Whether the passage holds none of the question's words, even around it, and is not close
    enough in meaning to answer without them: what a question about nothing in the corpus gets."""
    return signals.matched_terms == 0 and (signals.dense is None or signals.dense < confident_dense)


def decide(
    signals: Signals, min_coverage: float, min_dense: float, confident_dense: float, min_article_coverage: float = 1.01
) -> str:
    """Empty string to answer, else the reason to abstain.

    Off-topic questions share few informative words with any passage *and* sit far from
    every passage in embedding space; on-topic ones pass at least one of the two tests. The
    two are weighed together: the closer the best passage is in meaning, the less of the
    question's words it must hold (all of ``min_coverage`` at ``min_dense``, none at
    ``confident_dense``), since people name a thing with other words than the passage does. A
    passage that covers little of the question still answers when its article covers most of
    it, or when it holds the kind of answer asked for and the names the question asks about; one
    far in meaning still answers when it writes the whole of what the question names.
    """
    if wordless(signals, confident_dense):
        return "no word of the question occurs in the corpus near any passage"
    if signals.dense is not None and signals.dense < min_dense and not signals.named:
        return f"closest passage is too far in meaning ({signals.dense:.2f} < {min_dense:.2f})"
    needed = min_coverage * doubt(signals.dense, min_dense, confident_dense)
    if signals.coverage < needed and signals.article_coverage < min_article_coverage and not signals.typed_answer:
        return f"best passage covers too little of the question ({signals.coverage:.2f} < {needed:.2f} at this closeness)"
    return ""


def decide_foreign(dense: float | None, min_dense: float) -> str:
    """A question in another language shares no words with Persian passages: only meaning can
    tell on-topic from off-topic, against a threshold of its own (cross-lingual cosines run lower)."""
    if dense is None or dense < min_dense:
        return f"closest passage is too far in meaning for a question in another language ({dense or 0:.2f} < {min_dense:.2f})"
    return ""
