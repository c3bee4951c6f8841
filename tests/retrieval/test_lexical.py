"""SQLite FTS5's bm25, checked against a reference BM25 on a small corpus."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

from corpus.store import Store
from retrieval.lexical import LexicalIndex, fts_query

DOCS = [
    ["استان", "خوزستان", "پایلوت", "طرح"],
    ["طرح", "بشیر", "طلاق", "کاهش", "طرح"],
    ["استان", "کرمان", "بهزیستی", "طرح", "پیشگیری", "بهزیستی", "جلسه", "برگزار"],
    ["جلسه", "ستاد", "قزوین"],
]


def reference_bm25(query: list[str], docs: list[list[str]], k1: float = 1.2, b: float = 0.75) -> list[float]:
    n = len(docs)
    avgdl = sum(len(d) for d in docs) / n
    df = Counter(t for d in docs for t in set(d))
    out = []
    for d in docs:
        tf = Counter(d)
        score = 0.0
        for t in set(query):
            if tf[t] == 0:
                continue
            idf = max(math.log((n - df[t] + 0.5) / (df[t] + 0.5)), 1e-6)
            score += idf * tf[t] * (k1 + 1) / (tf[t] + k1 * (1 - b + b * len(d) / avgdl))
        out.append(score)
    return out


@pytest.fixture
def index(tmp_path: Path):
    store = Store(tmp_path / "db.sqlite3")
    lexical = LexicalIndex(store, "plain")
    with store.transaction() as conn:
        LexicalIndex.add(conn, [(i, " ".join(d)) for i, d in enumerate(DOCS, start=1)])
    return lexical


@pytest.mark.parametrize("query", [["طرح"], ["استان", "پایلوت"], ["بهزیستی", "جلسه", "قزوین"], ["طلاق", "طرح"]])
def test_fts5_bm25_matches_the_reference_formula(index, query):
    expected = reference_bm25(query, DOCS)
    got = {h.sentence_id: h.score for h in index.search(query, 10)}
    for doc_id, score in enumerate(expected, start=1):
        if score > 0:
            assert got[doc_id] == pytest.approx(score, rel=1e-6)
        else:
            assert doc_id not in got


def test_unseen_terms_get_the_largest_idf(index):
    idf = index.idf(["طرح", "دلار"])
    assert idf["دلار"] > idf["طرح"]


def test_query_syntax_characters_cannot_break_the_search(index):
    assert fts_query(['a"b', "OR", "c*"]) == '"a""b" OR "OR" OR "c*"'
    assert index.search(["NEAR(", '"', "AND", "*"], 5) == []
