"""Copies of one sentence (wire copy, a templated dump) do not crowd the dense searcher's list."""

from __future__ import annotations

import dataclasses

import faiss

from retrieval import StorageSettings, compact, ingest
from retrieval.store.backends.sqlite import faiss_index
from retrieval.store.backends.sqlite.faiss_index import stored_vectors
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
    search = backend.search_dense
    monkeypatch.setattr(backend, "search_dense", lambda vector, k: asks.append(k) or search(vector, k))
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
