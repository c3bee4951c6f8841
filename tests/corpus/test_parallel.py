"""Articles prepared in other processes are the articles this process prepares, in input order,
with every skip and error in its place, even when a preparing process dies."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal

import pytest

from corpus import parallel
from corpus.prepare import terms_of
from corpus.read import RawArticle, read_all
from tests.conftest import DEMO

NEWS = "به گزارش ایسنا، شورای شهر {city} در نشست شماره {n} دربارهٔ بودجهٔ حمل و نقل عمومی گفتگو کرد."


@pytest.fixture
def inputs(tmp_path):
    """The demo articles, wire copies of them, odd files and a JSONL file with a bad line, mixed."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "chrome.txt").write_text("ارسال نظر\n\nاخبار مرتبط\n", encoding="utf-8")
    lines = [json.dumps({"id": f"n{n}", "title": f"نشست {n}", "text": NEWS.format(city="یزد", n=n)}) for n in range(40)]
    lines.insert(7, "{not json")
    lines.insert(20, json.dumps({"id": "blank", "text": "   "}))
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for i, path in enumerate(sorted(DEMO.iterdir())):
        (folder / f"copy{i}.txt").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    items = list(read_all([DEMO, folder]))
    assert any(not isinstance(item, RawArticle) for item in items)  # read errors travel with the articles
    return items


def _plain(outcome: parallel.Outcome) -> tuple:
    return outcome.prepared, outcome.skipped, outcome.error


@pytest.fixture
def small_chunks(monkeypatch):
    """Few items prepared here and small chunks, so that a short input crosses several chunks."""
    monkeypatch.setattr(parallel, "IN_PROCESS_FIRST", 3)
    monkeypatch.setattr(parallel, "CHUNK", 4)


def test_other_processes_prepare_what_this_one_would_in_the_same_order(inputs, small_chunks):
    here = [parallel.prepare_one(item) for item in inputs]

    there = list(parallel.prepared(iter(inputs), "stem", processes=2))

    assert [item for item, _ in there] == inputs
    assert [_plain(o) for _, o in there] == [_plain(o) for o in here]
    assert sum(o.prepared is None for o in here) >= 4  # the empty, chrome-only, bad-JSON and blank inputs
    for _, outcome in there[parallel.IN_PROCESS_FIRST :]:  # analyzed where they were prepared
        if outcome.prepared is not None:
            norms = [s.norm for s in outcome.prepared.sentences]
            terms, article_terms = terms_of(outcome.prepared.article, norms, "stem")
            assert outcome.terms == (tuple(terms), article_terms)


def test_a_short_input_starts_no_process(inputs):
    before = set(multiprocessing.active_children())
    outcomes = list(parallel.prepared(iter(inputs[:5]), "stem", processes=2))
    assert len(outcomes) == 5 and set(multiprocessing.active_children()) == before
    assert all(o.terms is None for _, o in outcomes)  # the writer analyzes only what it writes


def test_when_the_preparing_processes_die_the_rest_is_prepared_here(inputs, small_chunks, caplog):
    here = [_plain(parallel.prepare_one(item)) for item in inputs]
    got = []
    for n, (_, outcome) in enumerate(parallel.prepared(iter(inputs), "stem", processes=1)):
        got.append(_plain(outcome))
        if n == parallel.IN_PROCESS_FIRST:  # the first chunk from the worker is in: kill it
            for child in multiprocessing.active_children():
                os.kill(child.pid, signal.SIGKILL)
    assert got == here
    assert "a preparing process died" in caplog.text
