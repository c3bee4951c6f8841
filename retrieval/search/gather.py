"""The searchers, asked once per question: sentence BM25, dense nearest neighbours and article
BM25, with everything the ranking stage needs about the sentences they name (their neighbours,
terms and the question terms' idf), gathered in one :class:`Evidence`.

Tuning scripts call :func:`gather` once per question and rank the evidence under many settings,
so nothing measures a search that differs from the one users get.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np

from corpus.records import StoredSentence
from embeddings import Embedder
from retrieval.query.understand import understand
from retrieval.records import PERSIAN, SAME_VECTOR, Hit
from retrieval.search.budget import affordable
from retrieval.settings import RetrievalSettings
from retrieval.store import LexicalSearch, Storage, VectorSearch

EXPAND_MAX_SENTENCES = 200
NEIGHBOURHOOD = 1  # sentences either side of a candidate read into the context (abstention weighs the same)
BOTH = ("lexical", "dense")
DEEPEN_MARGIN = 1.25  # a deeper dense search asks for this much more than the copies seen suggest
DEEPEST = 16  # … up to this many times the candidates asked for (800 of 50: a rescoring read stays small)
COPIES_ROOM = 2  # the dense list holds at most this many times the candidates, copies included


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
    published: dict[str, float | None] | None = None  # when the candidates' articles were published, as read with them
    read_as: str | None = None  # a question typed in Latin letters, as read back into Persian


class Remembered:
    """Document frequencies for one question: understanding it asks for every term its search
    will use (and the spellings it tries), so the search asks again for none of them, and the
    corpus's sentence count comes with the first read: two reads fewer a question, round trips on
    PostgreSQL. Like ``frequencies``, terms of no document are left out."""

    def __init__(self, lexicon: LexicalSearch) -> None:
        self.lexicon = lexicon
        self.asked: set[str] = set()
        self.found: dict[str, int] = {}
        self.count: int | None = None  # sentences in the corpus, read with the first frequencies

    def __call__(self, terms: Iterable[str]) -> dict[str, int]:
        wanted = set(terms)
        missing = wanted - self.asked
        if self.count is None:
            found, self.count = self.lexicon.counted_frequencies(missing)
            self.found.update(found)
        elif missing:
            self.found.update(self.lexicon.frequencies(missing))
        self.asked |= missing
        return {t: self.found[t] for t in wanted if t in self.found}


def idf(
    lexical: LexicalSearch, terms: Iterable[str], df: Mapping[str, int] | None = None, n: int | None = None
) -> dict[str, float]:
    """BM25's idf per term; a term the corpus has never seen gets the largest idf. ``df`` and
    ``n``: what :meth:`~retrieval.store.capabilities.LexicalSearch.frequencies` said of these
    very terms and how many sentences the corpus holds, when the caller has just asked (reads
    fewer; a term ``df`` leaves out has none)."""
    unique = list(dict.fromkeys(terms))
    if not unique:
        return {}
    if n is None:
        n = lexical.sentence_count()
    if df is None:
        df = lexical.frequencies(unique)
    return {t: math.log(1 + (n - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5)) for t in unique}


def gather(
    storage: Storage,
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
    lexicon, documents = storage.lexical, storage.documents
    frequencies = Remembered(lexicon)
    query = understand(question, settings.analyzer, frequencies)
    if query.language != PERSIAN:
        modes = ("dense",)
    lexical = "lexical" in modes
    terms = list(query.terms)
    df = frequencies(terms) if lexical else {}
    searched = affordable(terms, df, settings.lexical_budget) if lexical else []
    lex = lexicon.search_sentences(searched, depth) if lexical else []
    # the embedder reads the question as the vocabulary repaired it («طرحبشیر» → «طرح بشیر»); plain
    # dense retrieval, which has no vocabulary, as typed
    embedded = query.meant if lexical else query.formal
    dense = distinct_nearest(storage.vectors, embedder.encode_queries([embedded])[0], depth) if "dense" in modes else []
    art_lex = lexicon.search_articles(searched, settings.article_candidates) if lexical else []
    top = [art_id for art_id, _ in art_lex[: settings.article_expand]]
    hit_ids = {h.sentence_id for h in lex} | {h.sentence_id for h in dense}
    read = documents.candidates(hit_ids, top, EXPAND_MAX_SENTENCES + 1, NEIGHBOURHOOD if lexical else 0)
    sentences = dict(read.sentences)
    for art_id in top:
        whole = read.openings.get(art_id, [])
        if len(whole) <= EXPAND_MAX_SENTENCES:  # a book-sized file only offers the sentences that matched
            for sent in whole:
                sentences.setdefault(sent.id, sent)
    # a writer may remove an article between two reads; its hits are dropped, never half-shown
    lex = [h for h in lex if h.sentence_id in sentences]
    dense = [h for h in dense if h.sentence_id in sentences]
    # the hits' neighbours; an opened article is whole, so its sentences' neighbours are in it
    context = {i: s for i, s in read.near.items() if i not in sentences}
    terms_of = lexicon.terms_of([*sentences, *context]) if lexical else {}
    weights = idf(lexicon, terms, df, frequencies.count) if lexical else {}
    return Evidence(
        query.formal,
        terms,
        lex,
        dense,
        art_lex,
        sentences,
        query.language,
        context,
        terms_of,
        weights,
        read.published,
        read_as=query.read_as,
    )


def distinct_nearest(vectors: VectorSearch, vector: np.ndarray, depth: int) -> list[Hit]:
    """The ``depth`` nearest *distinct* vectors, each with the copies of it that were found.

    A sentence repeated in wire copy, or a thousand times in a templated dump, would otherwise
    fill the dense list with copies of one text, and a sentence a hair less close (often the
    one that answers: «نشست ۱۵۰۵» beside a crowd of «نشست ۵۰۵») would enter only through its
    words, as if its meaning were far. Copies (:func:`retrieval.records.vector_groups`) count as
    one: the search goes deeper until ``depth`` distinct vectors are found, the corpus runs out,
    or it has looked :data:`DEEPEST` times as deep (an index of distinct vectors finds them in one
    search, :meth:`~retrieval.store.capabilities.VectorSearch.nearest_distinct`). The copies found stay in the list beside their
    vector, up to :data:`COPIES_ROOM` × ``depth`` hits in all, so that every outlet carrying a
    sentence keeps the dense evidence of its words (the ranker sees copies share one rank).
    Two different texts within rounding of each other are rare (about one question in two
    hundred, among the top fifty) and are then merely counted as one.
    """
    found = vectors.nearest_distinct(vector, depth, COPIES_ROOM * depth - 1)  # as much room as one group could take
    if found is not None:
        ids, scores = found
        starts = group_starts(scores)
    else:
        k = depth
        while True:
            ids, scores = vectors.nearest(vector, k)
            starts = group_starts(scores)
            if len(starts) >= depth or len(ids) < k or k >= depth * DEEPEST:
                break
            # as deep as the copies seen so far say is needed, with a margin: one more search, not several
            wanted = math.ceil(DEEPEN_MARGIN * depth * len(ids) / len(starts))
            k = min(depth * DEEPEST, max(2 * k, wanted))
    room = COPIES_ROOM * depth - min(depth, len(starts))
    out = []
    for start, end in itertools.pairwise([*starts, len(ids)][: depth + 1]):  # nothing found: no pair
        last = start + 1 + max(0, min(room, end - start - 1))
        room -= last - start - 1
        out += [Hit(i, s) for i, s in zip(ids[start:last].tolist(), scores[start:last].tolist(), strict=True)]
    return out


def group_starts(scores: np.ndarray) -> list[int]:
    """Where each group of copies begins in scores best first: :func:`retrieval.records.vector_groups`
    on arrays (a hit joins the group whose *first* score is within :data:`SAME_VECTOR` of its own),
    so a deep search makes objects only of the hits it keeps."""
    values = np.asarray(scores, dtype=np.float64)
    starts: list[int] = []
    at = 0
    while at < len(values):
        starts.append(at)
        behind = values[at] - values[at:]  # rising: the scores fall
        at += int(np.searchsorted(behind, SAME_VECTOR, side="right"))
    return starts


def modes_of(mode: str) -> tuple[str, ...]:
    return BOTH if mode == "hybrid" else (mode,)
