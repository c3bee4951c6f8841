"""Lexical search from posting arrays (retrieval/store/backends/sqlite/postings.py): the same
ranking and scores as FTS5's bm25() at every stage a reader sees (a base, new and removed
sentences since, a compaction, a rebuild), and FTS5 again when the file is damaged."""

from __future__ import annotations

import mmap
import random
import threading
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval import check, compact, ingest, rebuild, remove
from retrieval.store.backends.sqlite import postings
from tests.conftest import HELD_OUT, seed_questions
from tests.retrieval.test_lexical import reference_bm25


def _queries(engine, n=60):
    """Term lists as questions give them (the seed questions, analyzed) and random mixes of
    indexed terms, rare and common: what a search can be asked."""
    out = [list(engine.understand(q["question"]).terms) for q in seed_questions()]
    with engine.storage.documents.reading() as conn:
        vocab = sorted(r[0] for r in conn.execute("SELECT term FROM sentence_terms_vocab"))
    rng = random.Random(7)
    out += [rng.sample(vocab, rng.randint(1, 6)) for _ in range(n)]
    return out


def _same_as_fts5(engine, queries):
    backend = engine.storage.lifecycle
    assert engine.describe()["lexical_index"] == "postings"
    for terms in queries:
        want = backend.fts.search(terms, 40)
        got = backend.search_sentences(terms, 40)
        assert [h.sentence_id for h in got] == [h.sentence_id for h in want], terms
        assert all(abs(a.score - b.score) <= 1e-9 * max(1.0, abs(b.score)) for a, b in zip(got, want, strict=True))
        want_articles = backend.fts.search_articles(terms, 20)
        got_articles = backend.search_articles(terms, 20)
        assert [a for a, _ in got_articles] == [a for a, _ in want_articles], terms
        assert all(abs(a - b) <= 1e-9 * max(1.0, abs(b)) for (_, a), (_, b) in zip(got_articles, want_articles, strict=True))


def test_postings_rank_as_fts5_through_growth_removal_compaction_and_rebuild(sqlite_engine, split_demo):
    rest, held = split_demo
    writer = sqlite_engine()
    ingest(writer, [rest])
    reader = sqlite_engine()
    reader.load()
    queries = _queries(writer)
    _same_as_fts5(reader, queries)

    ingest(writer, [held])  # below the compaction floor: new postings are the reader's delta
    reader.refresh()
    assert reader.storage.lifecycle.snap.lexical.parts[-1][0].size > 0
    _same_as_fts5(reader, queries)
    first = seed_questions()[0]
    assert reader.ask(first["question"]).quotes[0].article_id == HELD_OUT

    remove(writer, ["001_36566f549343fefa", HELD_OUT])  # one from the base, one from the delta
    reader.refresh()
    _same_as_fts5(reader, queries)

    changed = rest / "002_0c97abd71ecbccb0.txt"  # an article rewritten keeps its rowid: its old terms must go
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("\n\n", "\n\nطرح بشیر در خوزستان و کرمان اجرا شد.\n\n", 1), encoding="utf-8")
    assert ingest(writer, [changed]).updated == ["002_0c97abd71ecbccb0"]
    reader.refresh()
    _same_as_fts5(reader, [*queries, ["بشیر", "کرمان"]])

    assert compact(writer)  # folds the delta and removals into the file
    reader.refresh()
    assert len(reader.storage.lifecycle.snap.lexical.parts) == 1
    _same_as_fts5(reader, queries)
    assert check(writer).ok

    rebuild(writer)
    reader.refresh()
    _same_as_fts5(reader, queries)


def _fresh(sqlite_engine):
    """A new reader process's view: what a cold ``pasokh ask`` opens."""
    reader = sqlite_engine()
    reader.load()
    return reader


def test_a_new_reader_maps_the_lexical_delta_the_writer_saved_and_ranks_as_fts5(sqlite_engine, split_demo, caplog):
    """Between compactions each write saves the postings of everything since the base; a new
    reader maps them instead of building them, and ranks exactly as FTS5 through removals,
    rewritten articles, a delta older than the database and a damaged delta file."""
    rest, held = split_demo
    writer = sqlite_engine()
    ingest(writer, [rest])
    faiss = writer.storage.lifecycle.faiss
    assert faiss.read_delta_info() is None, "a compaction leaves nothing to save"
    queries = _queries(writer)

    ingest(writer, [held])  # below the compaction floor
    saved = faiss.read_delta_info()
    assert saved is not None and saved.generation == writer.storage.lifecycle.store.generation()
    reader = _fresh(sqlite_engine)
    parts = reader.storage.lifecycle.snap.lexical.parts
    assert len(parts) == 2 and isinstance(parts[1][0].docs.base.obj, mmap.mmap), "mapped from the file, not built"
    _same_as_fts5(reader, queries)
    assert reader.ask(seed_questions()[0]["question"]).quotes[0].article_id == HELD_OUT
    older = {p.name: p.read_bytes() for p in faiss.dir.glob("postings-delta*")}

    remove(writer, ["001_36566f549343fefa", HELD_OUT])  # one from the base, one from the delta
    changed = rest / "002_0c97abd71ecbccb0.txt"  # rewritten, it keeps its rowid: its old terms must go
    text = changed.read_text(encoding="utf-8")
    changed.write_text(text.replace("\n\n", "\n\nطرح بشیر در خوزستان و کرمان اجرا شد.\n\n", 1), encoding="utf-8")
    assert ingest(writer, [changed]).updated == ["002_0c97abd71ecbccb0"]
    assert faiss.read_delta_info().generation > saved.generation, "carried forward by each write"
    assert len(list(faiss.dir.glob("postings-delta-*.bin"))) == 1
    queries.append(["بشیر", "کرمان"])
    _same_as_fts5(_fresh(sqlite_engine), queries)
    report = check(writer)
    assert report.ok and "lexical_delta" in report.facts

    for path in faiss.dir.glob("postings-delta*"):  # a delta older than the database: the rest is built
        path.unlink()
    for name, content in older.items():
        (faiss.dir / name).write_bytes(content)
    _same_as_fts5(_fresh(sqlite_engine), queries)

    ingest(writer, [held])
    delta = faiss.read_delta_info()
    damaged = bytearray((faiss.dir / delta.file).read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    (faiss.dir / delta.file).write_bytes(bytes(damaged))
    reader = _fresh(sqlite_engine)
    assert "new readers build it from the database" not in caplog.text, "same size: only the checksum tells"
    report = check(reader)
    assert not report.ok and any("lexical delta" in p for p in report.problems)
    (faiss.dir / delta.file).write_bytes(b"garbage")
    reader = _fresh(sqlite_engine)
    assert "new readers build it from the database" in caplog.text
    _same_as_fts5(reader, queries)
    rebuild(reader)
    assert check(reader).ok and faiss.read_delta_info() is None
    _same_as_fts5(_fresh(sqlite_engine), queries)


def test_readers_opened_while_a_writer_saves_deltas_catch_up_to_fts5(sqlite_engine, split_demo):
    """Readers opened at any moment of a run of writes (each saving a new delta and deleting the
    last, while a reader may be reading the record or mapping the file) hold a consistent view:
    brought up to date afterwards, each ranks exactly as FTS5."""
    rest, held = split_demo
    writer = sqlite_engine()
    ingest(writer, [rest])
    queries = _queries(writer, 20)
    changed = rest / "002_0c97abd71ecbccb0.txt"
    text = changed.read_text(encoding="utf-8")
    done = threading.Event()

    def write() -> None:
        try:
            ingest(writer, [held])
            for n in range(6):  # the same article rewritten: its rowid stays, its terms change
                extra = f"طرح شماره {n} در {('کرمان', 'تهران', 'خوزستان')[n % 3]} اجرا شد."
                changed.write_text(text.replace("\n\n", f"\n\n{extra}\n\n", 1), encoding="utf-8")
                ingest(writer, [changed])
            remove(writer, [HELD_OUT])
        finally:
            done.set()

    thread = threading.Thread(target=write)
    thread.start()
    readers, seen = [], -1
    store = writer.storage.lifecycle.store
    while not done.is_set():  # a reader each time the database moves, while the writer goes on
        if store.generation() != seen:
            seen = store.generation()
            readers.append(_fresh(sqlite_engine))
        time.sleep(0.005)
    thread.join()
    assert writer.storage.lifecycle.faiss.read_delta_info() is not None
    readers.append(_fresh(sqlite_engine))
    opened_at = {r.storage.lifecycle.snap.generation for r in readers}
    assert len(opened_at) >= 4, f"readers opened at generations {sorted(opened_at)} only"
    for reader in readers:
        reader.refresh()
        _same_as_fts5(reader, [*queries, ["طرح", "کرمان"], ["خوزستان"]])


def test_a_term_fts5_reads_as_a_phrase_is_searched_by_fts5(sqlite_engine, demo_copy):
    engine = sqlite_engine()
    ingest(engine, [demo_copy])
    engine.load()
    view = engine.storage.lifecycle.snap.lexical
    assert view.search(["کرمان-تهران"], 5) is None, "FTS5 reads it as the phrase «کرمان تهران»"
    backend = engine.storage.lifecycle
    assert backend.search_sentences(["کرمان-تهران", "کرمان"], 5) == backend.fts.search(["کرمان-تهران", "کرمان"], 5)


def test_a_damaged_postings_file_is_served_by_fts5_named_by_check_and_repaired_by_rebuild(sqlite_engine, demo_copy, caplog):
    engine = sqlite_engine()
    ingest(engine, [demo_copy])
    question = seed_questions()[0]["question"]
    before = engine.ask(question)
    info = engine.storage.lifecycle.faiss.read_info()
    path = engine.storage.lifecycle.faiss.dir / info.postings
    path.write_bytes(path.read_bytes()[: info.postings_bytes // 2])

    reader = sqlite_engine()
    assert reader.ask(question) == before, "a damaged file costs speed, never an answer"
    assert reader.describe()["lexical_index"] == "fts5"
    assert "lexical search falls back to FTS5" in caplog.text
    report = check(reader)
    assert not report.ok and any("lexical postings file" in p for p in report.problems)

    rebuild(reader)
    assert check(reader).ok
    again = sqlite_engine()
    assert again.ask(question) == before and again.describe()["lexical_index"] == "postings"


WORDS = st.sampled_from(["الف", "ب", "پ", "ت", "ث", "ج", "چ", "ح"])
DOCS = st.lists(st.lists(WORDS, min_size=0, max_size=8), min_size=1, max_size=25)


@settings(max_examples=60, deadline=None)
@given(
    docs=DOCS,
    split=st.integers(0, 25),
    gone=st.sets(st.integers(0, 24), max_size=6),
    query=st.lists(WORDS, min_size=1, max_size=4),
)
def test_any_base_delta_and_removals_score_as_bm25_over_what_is_left(docs, split, gone, query):
    rows = [(10 + 3 * n, " ".join(d)) for n, d in enumerate(docs)]
    split = min(split, len(rows))
    gone_ids = {rows[g][0] for g in gone if g < len(rows)}
    base = postings.build(rows[:split])
    view = postings.LexicalView.over(base).advanced([r for r in rows[split:] if r[0] not in gone_ids], gone_ids)
    live = ~np.isin(base.ids, list(gone_ids))
    folded = postings.LexicalView.over(
        postings.combine(base, live, postings.build([r for r in rows[split:] if r[0] not in gone_ids]))
    )
    stepwise = postings.LexicalView.over(base)
    for row in rows[split:]:  # a refresh per sentence: past eight parts they are folded together
        stepwise = stepwise.advanced([row], ())
    stepwise = stepwise.advanced([], gone_ids)
    left = [(sid, text.split()) for sid, text in rows if sid not in gone_ids]
    want = {}
    if left:
        want = {sid: s for (sid, _), s in zip(left, reference_bm25(query, [d for _, d in left]), strict=True) if s > 0}
    for served in (view, folded, stepwise):
        got = served.search(query, 100)
        assert {h.sentence_id for h in got} == set(want)
        for h in got:
            assert abs(h.score - want[h.sentence_id]) <= 1e-9 * max(1.0, want[h.sentence_id])
        assert [h.score for h in got] == sorted((h.score for h in got), reverse=True)


def test_document_frequencies_come_from_the_postings_and_match_fts5(sqlite_engine, demo_copy):
    engine = sqlite_engine()
    ingest(engine, [demo_copy])
    engine.load()
    backend = engine.storage.lifecycle
    remove(engine, ["001_36566f549343fefa"])  # a tombstoned part of the base must not count
    engine.refresh()
    terms = [t for q in _queries(engine, 20) for t in q] + ["کرمان-تهران", "واژه‌ای-که-نیست"]
    view = backend.snap.lexical
    assert any(view.frequency(t) for t in terms)
    assert backend.frequencies(terms) == backend.fts.frequencies(terms)


def test_remembered_document_frequencies_stay_bounded_and_right(sqlite_engine, demo_copy, monkeypatch):
    """Spelling repairs (and Latin-letter questions read back) ask about thousands of made-up
    words a question; a bot that runs for weeks on one corpus must not keep them all."""
    import retrieval.store.backends.sqlite as sqlite_backend

    engine = sqlite_engine()
    ingest(engine, [demo_copy])
    engine.load()
    backend = engine.storage.lifecycle
    monkeypatch.setattr(sqlite_backend, "DF_REMEMBERED", 50)
    real = [t for q in _queries(engine, 10) for t in q]
    want = backend.fts.frequencies(real)
    for round_ in range(5):
        probes = [f"واژه{round_}_{i}" for i in range(30)]
        assert backend.frequencies([*real, *probes]) == want
        assert len(backend._counts.df) <= 50 + len(real) + len(probes)
    assert len(backend._counts.df) <= 50 + len(real) + 30


ANY_TERMS = st.text(
    st.one_of(
        st.characters(),
        st.sampled_from("ΣσςİIiАа\u200c\u0640۱۲3_- .\x00\ue000\uf8ff"),
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),
    ),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(texts=st.lists(ANY_TERMS, max_size=12), chunk=st.integers(1, 5), part=st.integers(1, 400))
def test_postings_built_a_chunk_at_a_time_equal_those_built_row_by_row(texts, chunk, part):
    """The fast build (rows joined, lower-cased once, split on every character the tokenizer
    drops, and past ``part`` characters built in parts that are then combined) gives exactly the arrays
    of tokenizing each row with the tokenizer's own pattern, for any text: case that lowers by
    context, NUL, private use, ZWNJ, digits and punctuation."""
    rows = [(5 + 2 * n, t) for n, t in enumerate(texts)]
    fast, slow = postings.build(rows, chunk, part), postings.build_by_row(rows)
    assert list(fast.vocab.items()) == list(slow.vocab.items())
    for name in ("offsets", "docs", "tfs", "ids", "lengths"):
        a, b = getattr(fast, name), getattr(slow, name)
        assert a.dtype == b.dtype and np.array_equal(a, b), name


@pytest.mark.parametrize("part", [1, 5, 1000])  # characters a part
def test_rows_out_of_id_order_are_refused_within_a_part_or_across_parts(part):
    rows = [(1, "الف"), (3, "ب"), (2, "پ")]
    with pytest.raises(ValueError, match="ascending id order"):
        postings.build(rows, part=part)
