"""Copies of one sentence (wire copy, a templated dump) do not crowd the dense searcher's list."""

from __future__ import annotations

from retrieval import StorageSettings, compact, ingest
from retrieval.store.backends.sqlite.faiss_index import stored_vectors
from tests.conftest import EngineFactory

COPIED = "شورای شهر یزد در نشست شماره ۵۰۵ دربارهٔ بودجهٔ حمل و نقل عمومی گفتگو کرد."
OTHER = "شورای شهر یزد در نشست شماره ۱۵۰۵ دربارهٔ ساخت کتابخانهٔ مرکزی گفتگو کرد."
COPIES = 60  # more than the 50 candidates each searcher proposes
QUESTION = "شورای شهر یزد در نشست شماره ۱۵۰۵ دربارهٔ چه گفتگو کرد؟"


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
