"""Copies of one sentence (wire copy, a templated dump) do not crowd the dense searcher's list."""

from __future__ import annotations

import dataclasses
import os

import faiss

from retrieval import StorageSettings, compact, ingest
from retrieval.search import gather
from retrieval.store.backends.sqlite import faiss_index
from retrieval.store.backends.sqlite.faiss_index import stored_vectors
from retrieval.store.capabilities import COPIES_LIMIT, VectorSearch
from tests.conftest import EngineFactory

COPIED = "شورای شهر یزد در نشست شماره ۵۰۵ دربارهٔ بودجهٔ حمل و نقل عمومی گفتگو کرد."
OTHER = "شورای شهر یزد در نشست شماره ۱۵۰۵ دربارهٔ ساخت کتابخانهٔ مرکزی گفتگو کرد."
COPIES = 60  # more than the 50 candidates each searcher proposes
QUESTION = "شورای شهر یزد در نشست شماره ۱۵۰۵ دربارهٔ چه گفتگو کرد؟"
NEW = "شورای شهر یزد در نشست شماره ۱۵۰۵ دربارهٔ ساخت کتابخانهٔ مرکزی و بودجهٔ آن گفتگو کرد."


def _wire_copies(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(COPIES):  # one story carried by many outlets: the same sentence, each outlet's own credit line
        credit = f"این گزارش را خبرنگار شماره {i + 1} از دفتر استان تهیه کرده است."
        (folder / f"copy{i}.txt").write_text(f"گزارش نشست شورای شهر یزد\n\n{COPIED}\n\n{credit}\n", encoding="utf-8")
    (folder / "other.txt").write_text(f"گزارش نشست شورای شهر یزد\n\n{OTHER}\n", encoding="utf-8")
    return folder


def _reaches_past_the_copies(engine, evidence) -> None:
    texts = [evidence.sentences[h.sentence_id].text for h in evidence.dense]
    # fifty different texts, as many as the searcher may propose: the copies do not crowd them out
    assert len(set(texts)) == engine.settings.candidates
    assert OTHER in texts
    # the outlets' copies stay beside their one vector, within twice the candidates in all
    assert texts.count(COPIED) > 1 and len(texts) <= 2 * engine.settings.candidates


def test_copies_count_once_in_the_dense_list_and_it_reaches_past_them(fresh_engine, tmp_path):
    folder = _wire_copies(tmp_path)
    engine = fresh_engine()
    assert ingest(engine, [folder]).ok
    engine.load()
    assert engine.settings.candidates < COPIES

    evidence = engine.gather(QUESTION)

    _reaches_past_the_copies(engine, evidence)


def test_through_the_approximate_index_every_copy_keeps_its_exact_score(nano, tmp_path):
    """The quantized index re-scores one copy of a vector for all its copies: the list still reaches
    past the copies, keeps them beside their vector, and every score is the stored vector's own cosine."""
    folder = _wire_copies(tmp_path)
    engine = EngineFactory(nano, tmp_path, StorageSettings.for_backend("sqlite", vector_index="ivf"))()
    assert ingest(engine, [folder]).ok
    compact(engine)  # every vector in the quantized base, none in the exact delta beside it
    engine.load()
    assert engine.describe()["vector_index"] == "ivf" and engine.storage.vectors.snap.delta == 0

    evidence = engine.gather(QUESTION)

    _reaches_past_the_copies(engine, evidence)
    backend = engine.storage.vectors
    ids, vectors = stored_vectors(backend.store, [h.sentence_id for h in evidence.dense], nano.dimension)
    exact = dict(zip(ids.tolist(), (vectors @ nano.encode_queries([evidence.norm])[0]).tolist(), strict=True))
    assert all(abs(h.score - exact[h.sentence_id]) < 1e-6 for h in evidence.dense)


def _ivf_engine(nano, tmp_path):
    folder = _wire_copies(tmp_path)
    factory = EngineFactory(nano, tmp_path, StorageSettings.for_backend("sqlite", vector_index="ivf"))
    engine = factory()
    assert ingest(engine, [folder]).ok
    compact(engine)
    engine.load()
    assert engine.describe()["vector_index"] == "ivf"
    return factory, engine


def test_a_question_scans_the_inverted_file_once_however_deep_the_copies_send_it(nano, tmp_path, monkeypatch):
    """Through wire copy the dense search asks again, deeper; the inverted file's scan (the
    lists probed, most of a dense search's time) is done once a question, and the list is the
    one a scan per ask gives."""
    _, engine = _ivf_engine(nano, tmp_path)
    backend = engine.storage.vectors
    asks = []
    search = backend.nearest
    monkeypatch.setattr(backend, "nearest", lambda vector, k: asks.append(k) or search(vector, k))
    stats = faiss.cvar.indexIVF_stats

    stats.reset()
    once = engine.gather(QUESTION).dense
    deeper = len(asks)
    assert deeper > 1 and stats.nq == 1  # asked deeper, scanned once
    stats.reset()
    engine.gather("نشست شماره ۵۰۵ شورای شهر یزد دربارهٔ چه بود؟")
    assert stats.nq >= 1  # another question is not answered from the last one's scan

    monkeypatch.setattr(faiss_index, "SCAN_DEPTH", 0)  # each ask scans as deep as it asks
    engine.storage.vectors.snap = dataclasses.replace(engine.storage.vectors.snap)
    stats.reset()
    each = engine.gather(QUESTION).dense
    assert stats.nq == deeper
    assert [(h.sentence_id, h.score) for h in each] == [(h.sentence_id, h.score) for h in once]


def test_a_sentence_added_after_a_question_is_found_when_it_is_asked_again(nano, tmp_path):
    """The kept scan belongs to one snapshot: a reader that applies a new article searches again."""
    factory, reader = _ivf_engine(nano, tmp_path)
    before = reader.gather(QUESTION)
    assert NEW not in [before.sentences[h.sentence_id].text for h in before.dense]
    extra = tmp_path / "new"
    extra.mkdir()
    (extra / "new.txt").write_text(f"نشست تازهٔ شورا\n\n{NEW}\n", encoding="utf-8")
    assert ingest(factory(), [extra]).ok
    assert reader.refresh()

    evidence = reader.gather(QUESTION)

    assert NEW in [evidence.sentences[h.sentence_id].text for h in evidence.dense]


def test_a_copy_scores_alike_in_the_saved_index_and_in_what_came_after(sqlite_engine, tmp_path):
    """A story saved in the exact base and its copy written since (searched beside the base, until
    the next compaction) are one vector: they score the same to the last bit, so they group as
    copies and share their rank whichever part of the index holds each."""
    engine = sqlite_engine()
    sentences = [COPIED, OTHER, NEW, *(f"بخش {n} گزارش نشست شورای شهر یزد به بودجه پرداخت." for n in range(1, 6))]
    for n, name in enumerate(("saved", "since"), 1):  # one story as two outlets ran it, each with its credit line
        folder = tmp_path / name
        folder.mkdir()
        credit = f"این گزارش را خبرنگار شماره {n} از دفتر استان تهیه کرده است."
        (folder / f"{name}.txt").write_text("گزارش نشست شورای شهر یزد\n\n" + "\n\n".join([*sentences, credit]), encoding="utf-8")
        assert ingest(engine, [folder]).ok
        if name == "saved":
            compact(engine)
    engine.load()
    backend = engine.storage.vectors
    assert engine.describe()["vector_index"] == "flat" and backend.snap.delta == len(sentences) + 1

    for text in sentences:
        ids, scores = backend.nearest(engine.embedder.encode_queries([text])[0], 2 * len(sentences) + 2)
        found = engine.storage.documents.sentences(ids.tolist())
        copies = [score for i, score in zip(ids.tolist(), scores.tolist(), strict=True) if found[i].text == text]
        assert len(copies) == 2 and copies[0] == copies[1], text


def test_a_vector_is_stored_once_however_many_sentences_have_it(sqlite_engine, tmp_path):
    """Wire copy embeds to one vector: SQLite keeps it once (768 bytes) and gives each sentence its
    key, keeps it while any copy is left, lets it go once none is, and a lost vector is named by
    the check and put back by the rebuild."""
    import contextlib
    import sqlite3

    from retrieval import check, rebuild, remove

    engine = sqlite_engine()
    assert ingest(engine, [_wire_copies(tmp_path)]).ok
    db = engine.storage.lifecycle.data_dir / "pasokh.sqlite3"

    def keys_of(text: str) -> list[int]:
        with contextlib.closing(sqlite3.connect(db)) as conn:
            return [
                r[0]
                for r in conn.execute(
                    "SELECT sv.key FROM sentences s JOIN sentence_vectors sv ON sv.sentence_id = s.id WHERE s.text = ?",
                    (text,),
                )
            ]

    def stored() -> int:
        with contextlib.closing(sqlite3.connect(db)) as conn:
            return conn.execute("SELECT count(*) FROM vectors").fetchone()[0]

    copied = keys_of(COPIED)
    assert len(copied) == COPIES and len(set(copied)) == 1, "sixty sentences, one stored vector"
    assert stored() == engine.stats().sentences - COPIES + 1
    assert check(engine).facts["distinct_vectors"] == stored()

    with_copy = sorted(a.id for a in engine.iter_articles() if a.id != "other")
    assert len(with_copy) == COPIES and len(remove(engine, with_copy[1:]).removed) == COPIES - 1
    compact(engine)
    assert keys_of(COPIED) == copied[:1] and stored() == engine.stats().sentences, "the last copy keeps it"
    evidence = engine.gather(QUESTION)
    assert COPIED in [evidence.sentences[h.sentence_id].text for h in evidence.dense]

    remove(engine, with_copy[:1])
    compact(engine)
    assert keys_of(COPIED) == [] and stored() == engine.stats().sentences, "no copy left: the vector went with it"
    assert check(engine).ok

    with contextlib.closing(sqlite3.connect(db)) as conn, conn:
        conn.execute("DELETE FROM vectors WHERE key = (SELECT key FROM sentence_vectors LIMIT 1)")
    assert any("stored vectors are missing" in p for p in check(engine).problems)
    rebuild(engine, reembed=True)
    assert check(engine).ok


def test_a_question_to_an_empty_corpus_is_told_nothing_matches(fresh_engine):
    """Nothing ingested (a data directory without the demo): the dense search finds no vector at
    all, and the asker is told nothing matches, on each backend, rather than shown an error."""
    engine = fresh_engine()
    engine.load()
    answer = engine.ask(QUESTION)
    assert answer.abstained and not answer.quotes
    assert answer.reason == "nothing in the corpus matches the question"


class _Everything(VectorSearch):
    """The same index searched as deep as the corpus: every sentence, best first."""

    def __init__(self, inner: VectorSearch, size: int) -> None:
        self.inner, self.size = inner, size

    def search_dense(self, vector, k):  # type: ignore[no-untyped-def]
        return self.inner.search_dense(vector, self.size)


def test_an_index_of_distinct_vectors_finds_them_in_one_search_with_their_copies(nano, tmp_path, postgres_url):
    """PostgreSQL's HNSW holds each distinct vector once and finds fifty in one search, with the
    copies counted in SQL: the list (sentences, the copies kept, scores) is the one the generic
    grouping makes of the whole corpus searched best first, at any depth."""
    storage = StorageSettings.for_backend("postgres", postgres_url, schema=f"test_distinct_{os.getpid()}")
    engine = EngineFactory(nano, tmp_path, storage)()
    folder = _wire_copies(tmp_path)
    for n, topic in enumerate(("پارک‌های شهر", "آب شرب", "ترافیک مرکز شهر", "پسماند شهری")):
        story = f"شورای شهر یزد در نشست شماره {500 + n} دربارهٔ {topic} گفتگو کرد."
        for i in range(12):  # more stories in wire copy: which vectors' copies fill the room is decided by closeness
            text = f"گزارش نشست شورای شهر یزد\n\n{story}\n\nخبرنگار {n}-{i}\n"
            (folder / f"story{n}-{i}.txt").write_text(text, encoding="utf-8")
    assert ingest(engine, [folder]).ok
    engine.load()
    vector = engine.embedder.encode_queries([QUESTION])[0]
    vectors = engine.storage.vectors
    assert vectors.nearest_distinct(vector, 5, 9) is not None, "PostgreSQL finds distinct vectors itself"
    everything = _Everything(vectors, engine.storage.documents.stats().sentences)
    for depth in (1, 2, 5, 30, 50):
        found = gather.distinct_nearest(vectors, vector, depth)
        assert found == gather.distinct_nearest(everything, vector, depth), depth
    assert len(found) == 2 * depth, "the copies fill the room beside their vector"


def test_a_sentence_in_wire_copy_names_its_newest_carriers_on_each_backend(fresh_engine, tmp_path):
    """Sixty outlets ran one sentence: «also ran in» looks among the newest forty articles that
    carry it (COPIES_LIMIT), the same forty on each backend, newest first."""
    engine = fresh_engine()
    assert ingest(engine, [_wire_copies(tmp_path)]).ok
    engine.load()
    documents = engine.storage.documents
    every = [s for a in documents.articles(0, 100) for s in documents.sentences_of(a.id)]
    carried = sorted(((s.id, s.article_id, s.norm) for s in every if s.text == COPIED), reverse=True)
    assert len(carried) == COPIES > COPIES_LIMIT
    norm = carried[0][2]
    assert documents.copies([norm, "جمله‌ای که هیچ خبری ندارد"]) == {norm: [art for _, art, _ in carried[:COPIES_LIMIT]]}
