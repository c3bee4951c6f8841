"""What the learned ranker knows about each candidate sentence: a pure function of the evidence.

Every feature is something the pipeline already measures (bm25 and cosine at sentence and
article level, the fused score, the answer type, how much of the question the sentence and
its surroundings hold, position, neighbours), put on a scale that means the same from one
question to the next. Training (``bench/train_ranker.py``) and answering call the same
function, so the model sees at run time exactly what it was trained on.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from corpus.normalize import ZWNJ, fold, stopwords, words
from retrieval.query import answer_type
from retrieval.rank.fusion import min_max
from retrieval.records import Hit, vector_groups

NAMES = (
    "lex_norm",
    "lex_rr",
    "dense_raw",
    "dense_norm",
    "dense_rr",
    "art_lex_norm",
    "art_rr",
    "art_dense",
    "fused",
    "type_q",
    "type_match",
    "cov_sentence",
    "cov_window",
    "cov_article",
    "position_log",
    "is_first",
    "length_log",
    "neighbour_fused",
    "neighbour_dense",
    "question_terms_log",
    "fused_rank_in_article",
    "dense_rank_in_article",
    "lex_rank_in_article",
    "cov_count",
    "rare_window",
    "pairs_sentence",
    "new_terms_log",
    "rare_sentence",
    "prev_fused",
    "next_fused",
    "prev_cov",
    "next_cov",
    "opens_anaphor",
)
GROUPS = {
    "sentence bm25": ("lex_norm", "lex_rr"),
    "sentence dense": ("dense_raw", "dense_norm", "dense_rr"),
    "article evidence": ("art_lex_norm", "art_rr", "art_dense"),
    "fused score": ("fused",),
    "answer type": ("type_q", "type_match"),
    "coverage": ("cov_sentence", "cov_window", "cov_article", "cov_count"),
    "names and phrases": ("rare_window", "pairs_sentence"),
    "position and length": ("position_log", "is_first", "length_log"),
    "neighbours": ("neighbour_fused", "neighbour_dense"),
    "rank within its article": ("fused_rank_in_article", "dense_rank_in_article", "lex_rank_in_article"),
    # the answering sentence says something the question does not (its answer), and holds the names
    # the question asks about itself, not only in its window (docs/evaluation.md)
    "answer shape": ("new_terms_log", "rare_sentence"),
    # which side a matching neighbour is on, and whether the sentence opens by pointing back
    # («او …», «این گروه …»): the answer to «چه کسی …» often follows the sentence that names the
    # subject and begins with a pronoun for it (docs/evaluation.md)
    "neighbours by side": ("prev_fused", "next_fused", "prev_cov", "next_cov"),
    "opening anaphor": ("opens_anaphor",),
}

# Cosines are scaled over at least this much: among near-identical candidates a difference of a
# thousandth is noise, and stretched to 0..1 it outvoted an exact match of the number a question
# names (tests/retrieval/test_large_inputs.py; docs/evaluation.md, "The ranker sees which side
# a neighbour matched on")
DENSE_SPAN_FLOOR = 0.05

# Words that open a sentence pointing back at its predecessor's subject, folded (ZWNJ dropped),
# after at most one connective («و او …», «اما این روش …»)
ANAPHORS = frozenset({"او", "وی", "این", "آن", "ایشان", "آنها", "همین", "چنین"})
CONNECTIVES = frozenset({"و", "همچنین", "اما"})
_OPENING = re.compile(r"[\w\u200c]+")
# The letters those words begin with, folded: a sentence whose first letter folds to none of
# them (most sentences) is decided without folding its first word
_INITIALS = frozenset(word[0] for word in ANAPHORS | CONNECTIVES)


def _reciprocal_ranks(hits: Sequence[Hit]) -> dict[int, float]:
    return {h.sentence_id: 1.0 / (1 + rank) for rank, h in enumerate(hits)}


def _vector_reciprocal_ranks(hits: Sequence[Hit]) -> dict[int, float]:
    """Reciprocal ranks where copies of one vector share a rank: nine outlets carrying one
    sentence are one dense match, not the first nine."""
    return {h.sentence_id: 1.0 / (1 + rank) for rank, group in enumerate(vector_groups(hits)) for h in group}


def _ranks_within_article(scores: Mapping[int, float], article_of: Mapping[int, str]) -> dict[int, float]:
    """1 for the article's best-scoring candidate, 1/2 for its second …; the sentence choice is made
    inside an article, so being its best match matters more than the score's size."""
    ordered = sorted(scores, key=lambda i: -scores[i])
    seen: dict[str, int] = {}
    out: dict[int, float] = {}
    for sid in ordered:
        art = article_of.get(sid)
        if art is None:
            continue
        seen[art] = seen.get(art, 0) + 1
        out[sid] = 1.0 / seen[art]
    return out


def matrix(ev, fused: Sequence[Hit]) -> tuple[list[int], np.ndarray]:  # type: ignore[no-untyped-def]
    """(sentence ids, one row of :data:`NAMES` features per id) for every fused candidate."""
    ids = [h.sentence_id for h in fused if h.sentence_id in ev.sentences]
    if not ids:
        return [], np.zeros((0, len(NAMES)), dtype=np.float32)
    fused_score = {h.sentence_id: h.score for h in fused}
    lex_norm, lex_rr = min_max(ev.lexical), _reciprocal_ranks(ev.lexical)
    dense_raw = {h.sentence_id: h.score for h in ev.dense}
    dense_norm, dense_rr = min_max(ev.dense, DENSE_SPAN_FLOOR), _vector_reciprocal_ranks(ev.dense)
    dense_floor = min(dense_raw.values()) if dense_raw else 0.0
    art_lex = min_max([Hit(i, s) for i, (_, s) in enumerate(ev.articles)])
    art_lex_norm = {art: art_lex[i] for i, (art, _) in enumerate(ev.articles)}
    art_rank = {art: 1.0 / (1 + i) for i, (art, _) in enumerate(ev.articles)}
    every = {**ev.context, **ev.sentences}
    terms = set(ev.terms)
    kind = answer_type.expected(ev.norm)
    weight = {t: ev.idf.get(t, 0.0) for t in terms}
    total = sum(weight.values())
    # Every coverage below asks only which of the question's terms a text holds: one bit per
    # term, a sentence's set is an int, a window's or an article's the OR of its sentences', and
    # each distinct set is weighed once (summed in the order the terms were, as abstain.coverage).
    bit = {t: 1 << n for n, t in enumerate(weight)}
    held = {sid: sum(map(bit.__getitem__, terms.intersection(ev.terms_of.get(sid, ())))) for sid in every}
    weighed: dict[int, float] = {}

    def covered(mask: int) -> float:
        found = weighed.get(mask)
        if found is None:
            found = weighed[mask] = sum(w for t, w in weight.items() if bit[t] & mask) / total if total > 0 else 0.0
        return found

    art_dense: dict[str, float] = {}
    by_article: dict[str, int] = {}
    at: dict[tuple[str, int], int] = {}
    for sid, sent in every.items():
        at[(sent.article_id, sent.position)] = sid
        by_article[sent.article_id] = by_article.get(sent.article_id, 0) | held[sid]
        if sid in dense_raw:
            art_dense[sent.article_id] = max(art_dense.get(sent.article_id, dense_floor), dense_raw[sid])
    article_of = {sid: sent.article_id for sid, sent in ev.sentences.items()}
    fused_in_art = _ranks_within_article(fused_score, article_of)
    dense_in_art = _ranks_within_article(dense_raw, article_of)
    lex_in_art = _ranks_within_article({h.sentence_id: h.score for h in ev.lexical}, article_of)
    rare = rarest(terms, weight)
    rare_mask = sum(bit[t] for t in rare)
    pairs = question_pairs(ev.norm)
    typed = float(kind is not None)
    question_terms = math.log1p(len(terms))

    # Column by column: each feature is one pass over the candidates (a row-by-row loop building
    # one tuple a row cost about a fifth more at 1M), and each distinct coverage set is weighed once.
    sents = [ev.sentences[sid] for sid in ids]
    arts = [s.article_id for s in sents]
    before = [at.get((s.article_id, s.position - 1)) for s in sents]
    after = [at.get((s.article_id, s.position + 1)) for s in sents]
    own = [held[sid] for sid in ids]
    window = [o | held.get(b, 0) | held.get(a, 0) for o, b, a in zip(own, before, after, strict=True)]  # type: ignore[arg-type]  # None: no neighbour
    own_count = [o.bit_count() for o in own]
    article_cov = {art: covered(mask) for art, mask in by_article.items()}
    rare_n, terms_n = len(rare), len(terms)
    x = np.empty((len(ids), len(NAMES)), dtype=np.float64)
    columns: tuple[Sequence[float] | float, ...] = (
        [lex_norm.get(sid, 0.0) for sid in ids],
        [lex_rr.get(sid, 0.0) for sid in ids],
        [dense_raw.get(sid, dense_floor) for sid in ids],
        [dense_norm.get(sid, 0.0) for sid in ids],
        [dense_rr.get(sid, 0.0) for sid in ids],
        [art_lex_norm.get(art, 0.0) for art in arts],
        [art_rank.get(art, 0.0) for art in arts],
        [art_dense.get(art, dense_floor) for art in arts],
        [fused_score.get(sid, 0.0) for sid in ids],
        typed,
        [float(answer_type.can_answer(s.norm, kind)) for s in sents] if kind is not None else 0.0,
        [covered(o) for o in own],
        [covered(w) for w in window],
        [article_cov[art] for art in arts],
        [math.log1p(s.position) for s in sents],
        [float(s.position == 0) for s in sents],
        [math.log1p(s.end - s.start) for s in sents],
        [_nearest_best(fused_score, b, a, 0.0) for b, a in zip(before, after, strict=True)],
        [_nearest_best(dense_raw, b, a, dense_floor) for b, a in zip(before, after, strict=True)],
        question_terms,
        [fused_in_art.get(sid, 0.0) for sid in ids],
        [dense_in_art.get(sid, 0.0) for sid in ids],
        [lex_in_art.get(sid, 0.0) for sid in ids],
        [c / terms_n for c in own_count] if terms else 0.0,
        [(w & rare_mask).bit_count() / rare_n for w in window] if rare else 0.0,
        [sum(map(s.norm.__contains__, pairs)) / len(pairs) for s in sents] if pairs else 0.0,
        [math.log1p(len(ev.terms_of.get(sid, ())) - c) for sid, c in zip(ids, own_count, strict=True)],
        [(o & rare_mask).bit_count() / rare_n for o in own] if rare else 0.0,
        [fused_score.get(b, 0.0) if b is not None else 0.0 for b in before],
        [fused_score.get(a, 0.0) if a is not None else 0.0 for a in after],
        [covered(held[b]) if b is not None else 0.0 for b in before],
        [covered(held[a]) if a is not None else 0.0 for a in after],
        [float(opens_with_anaphor(s.norm)) for s in sents],
    )
    if len(columns) != len(NAMES):  # x is uninitialized: a name without its column would rank on garbage
        raise RuntimeError(f"features.matrix computes {len(columns)} columns for {len(NAMES)} NAMES")
    for n, values in enumerate(columns):
        x[:, n] = values
    return ids, x.astype(np.float32)


def _nearest_best(values: Mapping[int, float], before: int | None, after: int | None, default: float) -> float:
    """The larger of the two neighbours' values (``default`` for one not among ``values``), or
    ``default`` when the sentence has neither neighbour."""
    if before is None:
        return default if after is None else values.get(after, default)
    if after is None:
        return values.get(before, default)
    return max(values.get(before, default), values.get(after, default))


def opens_with_anaphor(norm_text: str) -> bool:
    """Whether the sentence's first word is a pronoun or demonstrative for what came before.

    Asked of every candidate of every question (a fifth of the feature matrix's time when it
    folded the first two words of each), so the first letter is looked at first: a word can
    fold to one of :data:`ANAPHORS` or :data:`CONNECTIVES` only if its first letter (a ZWNJ,
    which folding drops, skipped) folds to one of theirs."""
    first = _OPENING.search(norm_text)
    if first is None:
        return False
    word = first.group().lstrip(ZWNJ)
    if fold(word[:1])[:1] not in _INITIALS:
        return False
    word = fold(word)
    if word in CONNECTIVES:
        second = _OPENING.search(norm_text, first.end())
        return second is not None and fold(second.group()) in ANAPHORS
    return word in ANAPHORS


RARE_TERMS = 2


def rarest(terms: Iterable[str], idf: Mapping[str, float], n: int = RARE_TERMS) -> list[str]:
    """The question's ``n`` rarest terms: mostly the names it asks about («مولاوردی», «بشیر»)."""
    return sorted(set(terms), key=lambda t: (-idf.get(t, 0.0), t))[:n]


def question_pairs(norm_question: str) -> list[str]:
    """Adjacent pairs of the question's content words, as they would be written in a sentence
    that repeats the phrase («کودکان بازمانده», «طرح بشیر»): a name or a term of art is often two words."""
    stop = stopwords()
    kept = [w for w in words(norm_question) if fold(w) not in stop]
    return [f"{a} {b}" for a, b in itertools.pairwise(kept)]


def column(name: str) -> int:
    return NAMES.index(name)


def without(groups: Sequence[str]) -> list[int]:
    """Column indexes left when ``groups`` (keys of :data:`GROUPS`) are dropped: for ablations."""
    dropped = {n for g in groups for n in GROUPS[g]}
    return [i for i, n in enumerate(NAMES) if n not in dropped]
