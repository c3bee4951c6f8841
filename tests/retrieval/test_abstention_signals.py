"""Abstention weighs the best quote's neighbourhood. Lexical gathering has already read every
candidate's neighbours and their terms, so judging a question reads nothing more for it and weighs
exactly what reading the store again would give."""

from __future__ import annotations

from retrieval.answer import pipeline
from tests.conftest import seed_questions

MORE = [
    "چن تا طرح امضا شدن؟",  # colloquial
    "مدیر کل دفتر امور آسیب های اجتماعی چه گفت؟",
    "Which provinces are pilots for children out of school?",  # another language: dense only
]


def _judged(engine, modes=None):
    out = []
    for question in [q["question"] for q in seed_questions()] + MORE:
        ev = engine.gather(question) if modes is None else engine.gather(question, modes=modes)
        verdict = engine.judge(ev)
        if verdict.picked:
            best = verdict.picked[0]
            out.append((ev, verdict.ranked, best, pipeline.signals(engine.storage, verdict.ranked, best, ev.norm)))
    return out


def test_the_neighbourhood_weighed_is_the_one_gathered_without_reading_it_again(demo_engine, monkeypatch):
    judged = [j for j in _judged(demo_engine) if j[0].terms_of]
    assert len(judged) >= 10
    middle = [best for ev, ranked, best, _ in judged if ranked.sentences[best.sentence_id].position > 0]
    assert middle  # some best quotes have a sentence on each side

    def no_read(*args, **kwargs):
        raise AssertionError("read the store again for what the evidence holds")

    monkeypatch.setattr(demo_engine.storage.documents, "sentences_near", no_read)
    monkeypatch.setattr(demo_engine.storage.lexical, "terms_of", no_read)
    for ev, ranked, best, read in judged:
        assert pipeline.signals(demo_engine.storage, ranked, best, ev.norm, ev) == read


def test_dense_only_evidence_is_read_for(demo_engine):
    judged = _judged(demo_engine, modes=("dense",))
    assert judged and not any(ev.terms_of for ev, *_ in judged)
    for ev, ranked, best, read in judged:
        assert pipeline.signals(demo_engine.storage, ranked, best, ev.norm, ev) == read
    assert any(read.matched_terms for *_, read in judged)  # the neighbourhood's terms were read, not left empty
