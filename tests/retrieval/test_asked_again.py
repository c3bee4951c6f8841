"""A question asked again (the next page of «more results», or the same story asked by many
people) is answered from the evidence gathered the first time, until the corpus moves: then it
is gathered again, and never kept from across the move. On each backend."""

from __future__ import annotations

from retrieval import ingest, remove
from tests.conftest import HELD_OUT, seed_questions

QUESTION = seed_questions()[0]["question"]  # answered by the HELD_OUT article


def _reader_of(fresh_engine, rest):
    """A writer that has ingested ``rest``, and a reader (another process) opened on it."""
    writer = fresh_engine()
    ingest(writer, [rest])
    reader = fresh_engine()
    reader.load()
    return writer, reader


def _counting(monkeypatch, engine) -> list[str]:
    """The questions this engine embeds from now on."""
    asked: list[str] = []
    encode = engine.embedder.encode_queries

    def counted(texts):
        asked.extend(texts)
        return encode(texts)

    monkeypatch.setattr(engine.embedder, "encode_queries", counted)
    return asked


def _sentences(answer) -> list[int]:
    return [q.sentence_id for q in answer.quotes]


def test_the_next_page_and_the_same_question_again_cost_no_search_until_the_corpus_moves(fresh_engine, demo_copy, monkeypatch):
    engine = fresh_engine()
    ingest(engine, [demo_copy])
    reference = fresh_engine()  # another process, with nothing kept
    want_first, want_more = reference.ask(QUESTION, 2), fresh_engine().ask(QUESTION, 2, 2)
    embedded = _counting(monkeypatch, engine)
    first = engine.ask(QUESTION, 2)
    more = engine.ask(QUESTION, 2, 2)  # «more results»
    again = engine.ask(QUESTION, 2)
    assert len(embedded) == 1, "asked three times, searched once"
    assert first == again == want_first and more == want_more
    assert not set(_sentences(first)) & set(_sentences(more))

    remove(engine, [HELD_OUT])  # this engine's own write
    after = engine.ask(QUESTION, 2)
    assert len(embedded) == 2
    assert HELD_OUT not in {q.article_id for q in after.quotes}


def test_a_reader_sees_another_process_s_write_after_its_refresh(fresh_engine, split_demo):
    rest, held = split_demo
    writer, reader = _reader_of(fresh_engine, rest)
    before = reader.ask(QUESTION)
    assert HELD_OUT not in {q.article_id for q in before.quotes}

    ingest(writer, [held])
    assert reader.refresh()
    assert reader.ask(QUESTION).quotes[0].article_id == HELD_OUT


def test_evidence_gathered_while_the_corpus_moved_is_not_kept(fresh_engine, split_demo, monkeypatch):
    """A bot thread still searching the old corpus when the reload lands must not leave that
    old evidence behind for the questions after the reload."""
    rest, held = split_demo
    writer, reader = _reader_of(fresh_engine, rest)
    gather = reader.gather
    moved = []

    def gather_then_reload(*args, **kwargs):
        ev = gather(*args, **kwargs)  # the old corpus's evidence
        if not moved:
            ingest(writer, [held])
            moved.append(reader.refresh())  # the reload lands meanwhile
        return ev

    monkeypatch.setattr(reader, "gather", gather_then_reload)
    during = reader.ask(QUESTION)
    assert moved == [True] and HELD_OUT not in {q.article_id for q in during.quotes}
    assert reader.ask(QUESTION).quotes[0].article_id == HELD_OUT
