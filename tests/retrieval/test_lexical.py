"""Lexical search on every backend, checked against a reference BM25 on a small corpus."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from corpus.records import Article, PreparedArticle, Sentence
from retrieval.search import gather
from retrieval.store import IndexedArticle, Signature, open_storage
from retrieval.store.backends.sqlite.fts import fts_query

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


def article(n: int, terms: list[str]) -> IndexedArticle:
    """One article per document, one sentence each, with made-up text: only the terms matter here."""
    text = f"سند {n}"
    art = Article(f"doc{n}", f"عنوان {n}", text)
    sentence = Sentence(art.id, 0, 0, len(text), text, text)
    vector = np.zeros((1, 4), dtype=np.float32)
    vector[0, n % 4] = 1.0
    joined = " ".join(terms)  # the article's terms as corpus.prepare.terms_of joins them, with no title terms
    return IndexedArticle(PreparedArticle(art, (sentence,), f"h{n}"), (joined,), " ".join(["", joined]), vector)


@pytest.fixture
def index(storage, tmp_path):
    backend = open_storage(storage, tmp_path / "data", Signature("test-embedder", 4, "plain|test"))
    with backend.writer.writing() as writer:
        writer.put([article(n, d) for n, d in enumerate(DOCS, start=1)])
    backend.open()
    ids = {s.article_id: s.id for s in backend.documents.sentences(range(1, 1000)).values()}
    return backend, {ids[f"doc{n}"]: n for n in range(1, len(DOCS) + 1)}


@pytest.mark.parametrize("query", [["طرح"], ["استان", "پایلوت"], ["بهزیستی", "جلسه", "قزوین"], ["طلاق", "طرح"]])
def test_bm25_matches_the_reference_formula(index, query):
    backend, doc_of = index
    expected = reference_bm25(query, DOCS)
    got = {doc_of[h.sentence_id]: h.score for h in backend.lexical.search_sentences(query, 10)}
    for doc_id, score in enumerate(expected, start=1):
        if score > 0:
            assert got[doc_id] == pytest.approx(score, rel=1e-6)
        else:
            assert doc_id not in got


def test_whole_articles_are_ranked_by_the_same_formula(index):
    backend, _ = index
    expected = reference_bm25(["بهزیستی", "طرح"], DOCS)
    got = dict(backend.lexical.search_articles(["بهزیستی", "طرح"], 10))
    assert got["doc3"] == pytest.approx(expected[2], rel=1e-6)
    assert next(iter(got)) == "doc3" and "doc4" not in got


def test_unseen_terms_get_the_largest_idf(index):
    idf = gather.idf(index[0].lexical, ["طرح", "دلار"])
    assert idf["دلار"] > idf["طرح"]


def test_query_syntax_characters_cannot_break_the_search(index):
    assert fts_query(['a"b', "OR", "c*"]) == '"a""b" OR "OR" OR "c*"'
    assert index[0].lexical.search_sentences(["NEAR(", '"', "AND", "*", "'; DROP TABLE x; --"], 5) == []


def test_the_sentence_count_read_from_fts5s_averages_record_equals_counting_rows():
    """The count a question's idf needs is read from one FTS5 record instead of a table walk; it
    must be the true count across the varint's byte lengths, after deletions too."""
    import sqlite3

    from retrieval.store.backends.sqlite.fts import averaged_rows

    conn = sqlite3.connect(":memory:", isolation_level=None)  # each statement commits, as the store's do
    conn.execute('CREATE VIRTUAL TABLE t USING fts5(terms, tokenize = "unicode61 remove_diacritics 0")')
    have = 0
    for target in (1, 127, 128, 300, 16_383, 16_384, 20_000):
        conn.executemany("INSERT INTO t(terms) VALUES (?)", [(f"واژه{n % 97} طرح",) for n in range(have, target)])
        have = target
        [(block,)] = conn.execute("SELECT block FROM t_data WHERE id = 1").fetchall()
        assert averaged_rows(block) == conn.execute("SELECT COUNT(*) FROM t").fetchone()[0] == target
    conn.execute("DELETE FROM t WHERE rowid % 3 = 0")
    [(block,)] = conn.execute("SELECT block FROM t_data WHERE id = 1").fetchall()
    assert averaged_rows(block) == conn.execute("SELECT COUNT(*) FROM t").fetchone()[0] == 20_000 - 20_000 // 3
    assert averaged_rows(b"") is None and averaged_rows(None) is None


def test_the_store_counts_its_sentences_after_a_removal(tmp_path):
    from retrieval.settings import StorageSettings

    backend = open_storage(StorageSettings(), tmp_path / "data", Signature("test-embedder", 4, "plain|test"))
    assert backend.lexical.sentence_count() == 0
    with backend.writer.writing() as writer:
        writer.put([article(n, d) for n, d in enumerate(DOCS * 40, start=1)])
    assert backend.lexical.sentence_count() == len(DOCS) * 40
    with backend.writer.writing() as writer:
        writer.remove([f"doc{n}" for n in range(1, 31)])
    assert backend.lexical.sentence_count() == len(DOCS) * 40 - 30


def test_an_edited_or_removed_article_leaves_none_of_its_old_terms_in_the_article_index(tmp_path):
    """SQLite's article index reads an article's terms from its sentences (an external-content
    FTS5 table), so it can only forget the old terms while the old sentences still spell them.
    FTS5 itself serves these searches (the fallback when the postings file is damaged)."""
    from retrieval.settings import StorageSettings

    backend = open_storage(StorageSettings(), tmp_path / "data", Signature("test-embedder", 4, "plain|test"))
    with backend.writer.writing() as writer:
        writer.put([article(1, DOCS[0]), article(2, DOCS[3])])
    fts = backend.lexical.fts
    assert [a for a, _ in fts.search_articles(["خوزستان"], 5)] == ["doc1"]
    with backend.writer.writing() as writer:  # doc1 now says what DOCS[1] says, in the same put as a new one
        writer.put([article(1, DOCS[1]), article(3, DOCS[2])])
    assert fts.search_articles(["خوزستان"], 5) == [], "the old version's terms are gone"
    assert [a for a, _ in fts.search_articles(["بشیر"], 5)] == ["doc1"]
    assert fts.raw_article_terms("doc1") == " ".join(["", " ".join(DOCS[1])])
    with backend.writer.writing() as writer:
        writer.remove(["doc2"])
    assert fts.search_articles(["قزوین"], 5) == [] and fts.article_rows() == 2
    with fts.store.reading() as conn:  # FTS5's own check of its index structure
        conn.execute("INSERT INTO article_terms(article_terms) VALUES('integrity-check')")
    expected = reference_bm25(["طرح"], [DOCS[1], DOCS[2]])
    assert dict(fts.search_articles(["طرح"], 5)) == pytest.approx({"doc1": expected[0], "doc3": expected[1]}, rel=1e-6)
