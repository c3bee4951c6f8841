"""The vector index a running reader serves: changes applied as differences (no reload of the
base file), compaction into a new base, and the approximate kind for large corpora."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from retrieval import RetrievalSettings, StorageSettings, check, compact, ingest, rebuild, remove
from tests.conftest import DEMO, HELD_OUT, EngineFactory, seed_questions

QUESTION = seed_questions()[0]["question"]  # answered by the held-out article


def _quoted(engine, question=QUESTION, mode=None):
    return [q.article_id for q in engine.ask(question, k=10, mode=mode).quotes]


def test_a_reader_applies_a_new_and_a_removed_article_without_reloading_its_base(sqlite_engine, split_demo):
    rest, held = split_demo
    writer = sqlite_engine()
    ingest(writer, [rest])
    reader = sqlite_engine()
    reader.load()
    base = reader.storage.vectors.snap.base
    assert HELD_OUT not in _quoted(reader, mode="dense")

    ingest(writer, [held])
    assert reader.refresh()
    assert reader.storage.vectors.snap.base is base, "a small ingest must not make readers reload the base file"
    assert _quoted(reader, mode="dense")[0] == HELD_OUT
    assert reader.ask(QUESTION).quotes[0].article_id == HELD_OUT

    remove(writer, [HELD_OUT])
    assert reader.refresh()
    assert reader.storage.vectors.snap.base is base
    assert HELD_OUT not in _quoted(reader, mode="dense")
    assert not reader.refresh(), "nothing changed since"


def test_removing_an_article_in_the_base_tombstones_it_until_compaction(sqlite_engine, demo_copy):
    writer = sqlite_engine()
    ingest(writer, [demo_copy])
    reader = sqlite_engine()
    reader.load()
    assert _quoted(reader, mode="dense")[0] == HELD_OUT

    remove(writer, [HELD_OUT])
    reader.refresh()
    assert reader.storage.vectors.snap.tombstones and HELD_OUT not in _quoted(reader, mode="dense")
    assert check(writer).ok

    assert compact(writer)
    reader.refresh()
    assert not reader.storage.vectors.snap.tombstones, "the new base no longer holds the removed sentences"
    assert HELD_OUT not in _quoted(reader, mode="dense")
    db = sqlite3.connect(writer.storage.lifecycle.data_dir / "pasokh.sqlite3")
    assert db.execute("SELECT count(*) FROM removed_vectors").fetchone()[0] == 0, "compaction prunes the removal log"
    assert check(writer).ok


def test_a_replaced_article_is_found_by_its_new_text_only(sqlite_engine, demo_copy, tmp_path):
    writer = sqlite_engine()
    ingest(writer, [demo_copy])
    reader = sqlite_engine()
    reader.load()
    path = demo_copy / f"{HELD_OUT}.txt"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("خوزستان، تهران، کرمان، سیستان و بلوچستان", "یزد، قم و گیلان"), encoding="utf-8")
    ingest(writer, [path])
    reader.refresh()
    quotes = reader.ask(QUESTION).quotes
    assert any("یزد، قم و گیلان" in q.text for q in quotes)
    assert not any("سیستان و بلوچستان، استانهای پایلوت" in q.text for q in quotes)


@pytest.fixture
def approximate(nano, tmp_path):
    return EngineFactory(nano, tmp_path, StorageSettings.for_backend("sqlite", vector_index="ivf"))


def test_the_approximate_index_answers_as_the_exact_one_and_keeps_removals(approximate, sqlite_engine, demo_copy, tmp_path):
    exact = sqlite_engine(data_dir=tmp_path / "exact")
    ingest(exact, [demo_copy])
    ivf = approximate()
    ingest(ivf, [demo_copy])
    assert ivf.describe()["vector_index"] == "ivf"
    questions = [q["question"] for q in seed_questions()]
    for question in questions:
        want = [(q.article_id, q.text, round(q.score, 4)) for q in exact.ask(question).quotes]
        assert [(q.article_id, q.text, round(q.score, 4)) for q in ivf.ask(question).quotes] == want
    assert check(ivf).ok

    reader = approximate()
    reader.load()
    remove(ivf, [HELD_OUT])
    reader.refresh()
    assert HELD_OUT not in _quoted(reader, mode="dense")
    assert compact(ivf) and check(ivf).ok
    reader.refresh()
    assert HELD_OUT not in _quoted(reader, mode="dense")

    rebuild(ivf)
    assert check(ivf).ok and ivf.describe()["vector_index"] == "ivf"


def test_auto_switches_to_the_approximate_index_past_the_exact_limit(nano, tmp_path, demo_copy):
    small = EngineFactory(nano, tmp_path, StorageSettings.for_backend("sqlite", exact_limit=10**6))()
    ingest(small, [demo_copy])
    assert small.describe()["vector_index"] == "flat"
    grown = EngineFactory(nano, tmp_path, StorageSettings.for_backend("sqlite", exact_limit=10))()
    assert compact(grown)
    assert grown.describe()["vector_index"] == "ivf"
    assert grown.ask(QUESTION).quotes[0].article_id == HELD_OUT
    assert check(grown).ok


def test_a_tampered_base_file_is_caught_by_check(sqlite_engine, demo_copy):
    engine = sqlite_engine()
    ingest(engine, [demo_copy])
    path = engine.storage.vectors.faiss.faiss_path
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # same size, still readable: only the checksum knows
    path.write_bytes(bytes(data))
    report = check(engine)
    assert not report.ok and "checksum" in " ".join(report.problems)
    rebuild(engine)
    assert check(engine).ok


def _demo_copies(folder: Path, copies: int = 8) -> Path:
    """``folder`` holding ``copies`` copies of every demo article under names of their own: a
    long import of wire copy, every vector reused."""
    folder.mkdir()
    for n in range(copies):
        for path in DEMO.glob("*.txt"):
            (folder / f"c{n}_{path.name}").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def test_a_bulk_import_compacts_as_it_goes_so_a_running_reader_stays_small(nano, tmp_path):
    """A reader refreshing during a long ingest never holds more than a bounded delta in memory."""
    from retrieval.store.backends.sqlite.faiss_index import IndexPolicy

    folder = _demo_copies(tmp_path / "bulk")
    factory = EngineFactory(nano, tmp_path, StorageSettings())
    writer = factory(RetrievalSettings(ingest_batch_sentences=32))
    small = IndexPolicy(compact_floor=60)
    writer.storage.vectors.faiss.policy = small
    reader = factory()
    reader.load()
    seen: list[int] = []

    def watch(*_: object, **__: object) -> None:
        reader.refresh()
        seen.append(reader.storage.vectors.snap.delta)

    report = ingest(writer, [folder], watch)
    assert report.sentences > 300
    assert max(seen) <= 60 + 32 * 2, f"the reader's delta grew to {max(seen)}"
    reader.refresh()
    assert reader.storage.vectors.snap.count == report.sentences
    assert check(writer).ok


def _bulk_saves(nano, tmp_path, name: str, bulk_share: float) -> tuple[int, int, list[tuple[int, int]], int]:
    """Ingest eight copies of the demo into a corpus holding the demo, 32 sentences a write:
    (sentences added, compactions, the reader's (delta, base) at each write, delta after the run)."""
    import retrieval.store.backends.sqlite.faiss_index as faiss_index
    from retrieval.store.backends.sqlite.faiss_index import IndexPolicy

    folder = _demo_copies(tmp_path / f"{name}-copies")
    factory = EngineFactory(nano, tmp_path / name, StorageSettings())
    writer = factory(RetrievalSettings(ingest_batch_sentences=32))
    writer.storage.vectors.faiss.policy = IndexPolicy(compact_floor=10, compact_share=0.02, bulk_share=bulk_share)
    ingest(writer, [DEMO])
    reader = factory()
    reader.load()
    saves = 0
    real = faiss_index.VectorIndex._save

    def counted(self, *args, **kwargs):
        nonlocal saves
        saves += 1
        return real(self, *args, **kwargs)

    seen: list[tuple[int, int]] = []

    def watch(*_: object, **__: object) -> None:
        reader.refresh()
        snap = reader.storage.vectors.snap
        seen.append((snap.delta, snap.count - snap.delta))

    faiss_index.VectorIndex._save = counted
    try:
        report = ingest(writer, [folder], watch)
    finally:
        faiss_index.VectorIndex._save = real
    reader.refresh()
    assert check(writer).ok
    return report.sentences, saves, seen, reader.storage.vectors.snap.delta


def test_a_long_import_rewrites_the_base_far_less_often_and_ends_with_its_vectors_in_it(nano, tmp_path):
    """Each compaction rewrites the whole base: a long run folds its vectors in at the bulk
    share (readers' unsaved vectors bounded by it), and its end folds in the rest."""
    added, bulk_saves, seen, left = _bulk_saves(nano, tmp_path, "bulk", bulk_share=0.5)
    assert added > 300
    assert left == 0, "the run's end must fold what it wrote into the base"
    assert all(delta <= max(10, 0.5 * base) + 2 * 32 for delta, base in seen), seen
    assert max(delta for delta, _ in seen) > 32, "a bulk run keeps a delta between compactions"
    _, steady_saves, _, _ = _bulk_saves(nano, tmp_path, "steady", bulk_share=0.02)
    assert bulk_saves * 2 <= steady_saves, (bulk_saves, steady_saves)


def test_a_compaction_cut_short_leaves_the_last_base_serving(sqlite_engine, split_demo, monkeypatch):
    import retrieval.store.backends.sqlite.faiss_index as faiss_index

    rest, held = split_demo
    writer = sqlite_engine()
    ingest(writer, [rest])
    ingest(writer, [held])  # below the compaction floor: served from the delta
    before = writer.ask(QUESTION)
    real = faiss_index.atomic_write

    def killed_before_the_record(path, data):
        if path.name == "vectors.json":
            raise KeyboardInterrupt  # as a kill between writing the new base and switching to it
        real(path, data)

    monkeypatch.setattr(faiss_index, "atomic_write", killed_before_the_record)
    with pytest.raises(KeyboardInterrupt):
        compact(writer)
    monkeypatch.undo()
    reader = sqlite_engine()
    assert reader.ask(QUESTION) == before
    assert check(reader).ok
    assert compact(reader)
    assert len(list(reader.storage.vectors.faiss.dir.glob("vectors*.faiss"))) == 1, "the orphaned base file is cleared"
    assert reader.ask(QUESTION) == before


def test_a_base_file_that_cannot_be_written_fails_the_compaction_and_leaves_the_last_base(
    sqlite_engine, split_demo, monkeypatch
):
    """faiss writes the new base itself; when that fails (a full disk), the compaction stops
    with an OSError naming the index folder (one line at the command line), no temporary file
    is left, and the last base goes on serving until the next compaction succeeds."""
    import faiss

    rest, held = split_demo
    writer = sqlite_engine()
    ingest(writer, [rest])
    ingest(writer, [held])
    before = writer.ask(QUESTION)
    folder = writer.storage.vectors.faiss.dir

    def disk_full(index, path):
        Path(path).write_bytes(b"half a base")
        raise RuntimeError("Error: 'ret == (n)' failed: write error in " + path + ": 28 (No space left on device)")

    monkeypatch.setattr(faiss, "write_index", disk_full)
    with pytest.raises(OSError, match=r"cannot write the vector index in .*No space left"):
        compact(writer)
    monkeypatch.undo()
    assert not list(folder.glob(".*.tmp")), "the half-written file is removed"
    reader = sqlite_engine()
    assert reader.ask(QUESTION) == before
    assert check(reader).ok
    assert compact(reader)
    assert reader.ask(QUESTION) == before


def test_an_inverted_file_trained_and_filled_on_two_cores_is_the_one_a_single_thread_builds():
    """Compaction and retraining split the list choice across threads; what is served must not
    change: the same centroids, and every vector in the same list with the same code."""
    import faiss
    import numpy as np

    from retrieval.store.backends.sqlite import ivf_build

    rng = np.random.default_rng(7)
    clustered = rng.standard_normal((64, 48)).astype(np.float32)[rng.integers(0, 64, 12_000)]
    vectors = clustered + 0.3 * rng.standard_normal(clustered.shape).astype(np.float32)
    faiss.normalize_L2(vectors)
    ids = rng.permutation(10 * len(vectors))[: len(vectors)].astype(np.int64)

    def empty() -> faiss.IndexIVF:
        quantizer = faiss.IndexFlatIP(48)
        return faiss.IndexIVFScalarQuantizer(quantizer, 48, 100, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT)

    alone, shared = empty(), empty()
    alone.train(vectors[:4_000])
    ivf_build.train(shared, vectors[:4_000], workers=2)
    assert shared.clustering_index is None  # nothing of the shards is kept in the index or its file
    for start in (0, 5_000):  # a base, then a compaction's delta
        alone.add_with_ids(vectors[start : start + 5_000], ids[start : start + 5_000])
        ivf_build.add(shared, vectors[start : start + 5_000], ids[start : start + 5_000], workers=2)
    assert shared.ntotal == alone.ntotal == 10_000
    assert np.array_equal(faiss.serialize_index(shared), faiss.serialize_index(alone))
