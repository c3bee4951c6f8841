"""Ingest as a user relies on it: idempotent, replaces changed articles, never embeds twice."""

from __future__ import annotations

import json

import pytest

from retrieval import check, ingest, remove

NEW_ARTICLE = """۱۲ مهر ۱۴۰۲، ۰۹:۱۵

شهردار یزد خبر داد:

افتتاح کتابخانه مرکزی یزد در هفته آینده

به گزارش ایسنا، شهردار یزد گفت: کتابخانه مرکزی یزد با ظرفیت سیصد هزار جلد کتاب هفته آینده افتتاح می‌شود.

وی افزود: هزینه ساخت این کتابخانه از محل اعتبارات شهرداری تامین شده است.

ارسال نظر
"""


def test_ingest_twice_changes_nothing(fresh_engine, demo_copy):
    engine = fresh_engine()
    first = ingest(engine, [demo_copy])
    generation = engine.storage.generation()
    stats = engine.stats()
    second = ingest(engine, [demo_copy])
    assert len(first.added) == 5 and first.embedded == stats.sentences
    assert second.added == [] and second.updated == [] and second.unchanged == 5 and second.embedded == 0
    assert engine.stats() == stats and engine.storage.generation() == generation
    assert check(engine).ok


def test_new_article_is_answerable_with_its_citation(fresh_engine, demo_copy, tmp_path):
    engine = fresh_engine()
    ingest(engine, [demo_copy])
    path = tmp_path / "yazd_library.txt"
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    report = ingest(engine, [path])
    assert report.added == ["yazd_library"]
    answer = engine.ask("کتابخانه مرکزی یزد کی افتتاح می‌شود؟")
    top = answer.quotes[0]
    assert top.article_id == "yazd_library"
    assert "هفته آینده افتتاح می‌شود" in top.text
    assert (top.title, top.agency, top.published) == ("افتتاح کتابخانه مرکزی یزد در هفته آینده", "ایسنا", "۱۲ مهر ۱۴۰۲، ۰۹:۱۵")


def test_changed_article_replaces_its_sentences_and_reuses_unchanged_vectors(fresh_engine, tmp_path):
    engine = fresh_engine()
    path = tmp_path / "yazd_library.txt"
    path.write_text(NEW_ARTICLE, encoding="utf-8")
    ingest(engine, [path])
    before = engine.stats().sentences
    path.write_text(NEW_ARTICLE.replace("سیصد هزار", "چهارصد هزار"), encoding="utf-8")
    report = ingest(engine, [path])
    assert report.updated == ["yazd_library"] and report.embedded == 1
    assert engine.stats().sentences == before
    texts = [q.text for q in engine.ask("ظرفیت کتابخانه مرکزی یزد چند جلد کتاب است؟", k=5).quotes]
    assert any("چهارصد هزار" in t for t in texts)
    assert not any("سیصد هزار" in t for t in texts)
    assert check(engine).ok


def test_bad_files_are_reported_and_the_rest_ingested(fresh_engine, demo_copy):
    (demo_copy / "broken.txt").write_bytes(b"\x00\x01\x02binary" * 100)
    (demo_copy / "chrome_only.txt").write_text("ارسال نظر\n\nنظر شما\n\ncaptcha\n", encoding="utf-8")
    (demo_copy / "feed.jsonl").write_text(
        json.dumps({"id": "j1", "title": "خبر", "text": "این یک خبر آزمایشی درباره شورای شهر است."}, ensure_ascii=False)
        + "\n{oops\n",
        encoding="utf-8",
    )
    engine = fresh_engine()
    report = ingest(engine, [demo_copy])
    assert sorted(report.added) == sorted([p.stem for p in demo_copy.glob("0*.txt")] + ["j1"])
    assert any("broken.txt" in s and "binary" in s for s in report.skipped)
    assert any("feed.jsonl:2" in e for e in report.errors)
    assert any("chrome_only.txt" in s and "chrome" in s for s in report.skipped)


def test_removed_articles_never_appear_again(fresh_engine, demo_copy):
    engine = fresh_engine()
    ingest(engine, [demo_copy])
    question = "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟"
    assert engine.ask(question).quotes[0].article_id == "003_89b941ca74b638ba"
    report = remove(engine, ["003_89b941ca74b638ba", "nope"])
    assert report.removed == ["003_89b941ca74b638ba"] and report.unknown == ["nope"]
    answer = engine.ask(question, k=10)
    assert all(q.article_id != "003_89b941ca74b638ba" for q in answer.quotes)
    assert check(engine).ok


def test_wire_copy_already_in_the_corpus_is_not_embedded_again(fresh_engine, tmp_path):
    engine = fresh_engine()
    first = tmp_path / "isna.txt"
    first.write_text(NEW_ARTICLE, encoding="utf-8")
    ingest(engine, [first])
    copy = tmp_path / "irna.txt"
    extra = "وی همچنین گفت: ساعات کار کتابخانه اعلام می‌شود.\n\nارسال نظر"
    copy.write_text(NEW_ARTICLE.replace("ایسنا", "ایرنا").replace("ارسال نظر", extra), encoding="utf-8")
    report = ingest(engine, [copy])
    # three sentences: the credit line differs, one is new, the middle one is the wire copy's and reused
    assert report.added == ["irna"] and report.sentences == 3 and report.embedded == 2
    assert check(engine).ok


def test_a_sentence_under_another_headline_is_embedded_with_it_and_the_same_story_is_not(fresh_engine, tmp_path, nano):
    """With ``passage = "title"`` each sentence is embedded after its article's headline, which names the subject the
    sentence leaves out («وی افزود …»): the same words under another headline are another text to
    embed, while the same story again (wire copy keeps its headline) reuses every vector."""
    from embeddings import FormedEmbedder

    engine = fresh_engine(embedder=FormedEmbedder(nano.inner, "title"))
    first = tmp_path / "isna.txt"
    first.write_text(NEW_ARTICLE, encoding="utf-8")
    ingest(engine, [first])
    again = tmp_path / "mehr.txt"
    again.write_text(NEW_ARTICLE.replace("ایسنا", "مهر"), encoding="utf-8")
    retitled = tmp_path / "tasnim.txt"
    retitled.write_text(NEW_ARTICLE.replace("در هفته آینده", "به زودی"), encoding="utf-8")
    same_story, other_headline = ingest(engine, [again]), ingest(engine, [retitled])
    assert same_story.embedded == 1  # only the credit line «به گزارش مهر …» is new
    assert other_headline.embedded == other_headline.sentences == 2
    title = "افتتاح کتابخانه مرکزی یزد در هفته آینده"
    said = "وی افزود: هزینه ساخت این کتابخانه از محل اعتبارات شهرداری تامین شده است."
    assert check(engine).ok
    assert engine.embedder.passage(title, said) == f"{title}. {said}"


def test_a_sentence_under_a_subhead_is_embedded_with_it_and_lends_its_vector_to_no_copy_without_it(fresh_engine, tmp_path):
    """A match report's «بهترین بازیکن» says what the sentence under it is about: it is embedded
    between the headline and the sentence (corpus/sections.py). A copy of the story that prints
    the sentence without the subhead embeds it afresh, as what it is there; its own copies reuse it."""
    engine = fresh_engine()
    title = "تراکتور ۱ - پرسپولیس ۱"
    lead = "دو تیم در تبریز به تساوی یک بر یک رسیدند و پرسپولیس همچنان در صدر جدول ماند."
    said = "دانیال اسماعیلی‌فر با نفوذهای مستمر و شوت محکم خود دروازه پرسپولیس را باز کرد."
    reports = []
    for name, text in (
        ("varzesh3", f"{lead}\n\nبهترین بازیکن\n\n{said}"),
        ("copy", f"{lead}\n\n{said}"),
        ("again", f"{lead}\n\n{said}"),
    ):
        path = tmp_path / f"{name}.jsonl"
        path.write_text(json.dumps({"id": name, "title": title, "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
        reports.append(ingest(engine, [path]))
    sectioned, copy, again = reports
    assert sectioned.embedded == sectioned.sentences == 3
    assert copy.embedded == 1, "the lead is reused; the sentence stood under a subhead in the only copy"
    assert again.embedded == 0
    assert engine.embedder.passage(title, said, "بهترین بازیکن") == f"{title}. بهترین بازیکن. {said}"
    assert check(engine).ok


def test_vectors_made_in_another_passage_form_are_refused_until_rebuilt(fresh_engine, demo_copy, nano):
    """Vectors of sentences alone and of headline + sentence must never be mixed in one index:
    the form is part of the embedder's identity, so the store names the rebuild, which re-embeds."""
    from embeddings import FormedEmbedder
    from retrieval import rebuild
    from retrieval.errors import IndexMismatchError

    alone = FormedEmbedder(nano.inner, "sentence")
    engine = fresh_engine(embedder=alone)
    ingest(engine, [demo_copy])
    question = "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟"
    assert engine.ask(question).quotes[0].article_id == "003_89b941ca74b638ba"
    titled = fresh_engine(embedder=FormedEmbedder(nano.inner, "title"))
    with pytest.raises(IndexMismatchError, match=r'embed each sentence alone: .*pasokh index --rebuild.*passage = "sentence"'):
        titled.ask(question)
    report = rebuild(titled)
    assert report.embedded == report.sentences == engine.stats().sentences
    assert check(titled).ok and titled.ask(question).quotes[0].article_id == "003_89b941ca74b638ba"


def test_an_upgrade_keeps_a_store_of_sentence_vectors_working_until_rebuild_converts_it(fresh_engine, demo_copy, nano, tmp_path):
    """``passage = "auto"`` (the default) over a data directory made when sentences were embedded
    alone: it answers and ingests as before, in its own form, and `pasokh index --rebuild`
    (``adopt=False``) re-embeds it with headlines."""
    from embeddings import FormedEmbedder
    from retrieval import rebuild

    alone = FormedEmbedder(nano.inner, "sentence")
    ingest(fresh_engine(embedder=alone), [demo_copy])
    question = "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟"
    auto = FormedEmbedder(nano.inner, "auto")
    upgraded = fresh_engine(embedder=auto)
    assert upgraded.embedder.name == alone.name
    assert upgraded.ask(question).quotes[0].article_id == "003_89b941ca74b638ba"
    new = tmp_path / "isna.txt"
    new.write_text(NEW_ARTICLE, encoding="utf-8")
    report = ingest(upgraded, [new])
    assert report.added == ["isna"] and check(upgraded).ok  # added in the store's own form, never mixed

    converting = fresh_engine(embedder=auto, adopt=False)
    report = rebuild(converting)
    assert report.embedded == report.sentences == upgraded.stats().sentences
    after = fresh_engine(embedder=auto)
    assert after.embedder.name == alone.name + "+title" and check(after).ok
    assert after.ask(question).quotes[0].article_id == "003_89b941ca74b638ba"


def test_a_long_ingest_prepared_in_another_process_stores_what_one_process_stores(nano, tmp_path, demo_copy, monkeypatch):
    from corpus import parallel
    from retrieval import RetrievalSettings, StorageSettings
    from tests.conftest import EngineFactory

    monkeypatch.setattr(parallel, "IN_PROCESS_FIRST", 2)  # so that five articles and more reach the other process
    monkeypatch.setattr(parallel, "CHUNK", 2)
    (demo_copy / "yazd_library.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    (demo_copy / "copy.txt").write_text(NEW_ARTICLE.replace("ایسنا", "ایرنا"), encoding="utf-8")  # wire copy
    (demo_copy / "chrome.txt").write_text("ارسال نظر\n", encoding="utf-8")
    (demo_copy / "feed.jsonl").write_text('{"id": "a", "text": "متن خبر کوتاه آزمون."}\n{broken\n', encoding="utf-8")
    engines, reports = [], []
    for processes in (0, 1):
        engine = EngineFactory(nano, tmp_path / str(processes), StorageSettings())(RetrievalSettings(prepare_processes=processes))
        reports.append(ingest(engine, [demo_copy]))
        engines.append(engine)

    alone, pooled = reports
    assert (pooled.added, pooled.skipped, pooled.errors) == (alone.added, alone.skipped, alone.errors)
    assert (pooled.sentences, pooled.embedded) == (alone.sentences, alone.embedded) and len(alone.added) == 8
    assert alone.skipped and alone.errors  # the chrome-only file and the broken line

    def stored(engine):
        out = {}
        for article_id in alone.added:
            sentences = engine.storage.documents.sentences_of(article_id)
            terms = engine.storage.lexical.terms_of(s.id for s in sentences)
            out[article_id] = (
                [(s.position, s.start, s.end, s.text, s.norm, terms[s.id]) for s in sentences],
                engine.storage.lexical.article_terms_of(article_id),
            )
        return out

    assert stored(engines[1]) == stored(engines[0])


def test_the_top_articles_are_opened_in_one_read_as_each_would_be_alone(fresh_engine, demo_copy):
    """A question widens its candidates to the first sentences of its best articles: read together,
    each article's are the ones it gives alone, in order, cut at the same limit; an article that
    is gone is left out."""
    engine = fresh_engine()
    report = ingest(engine, [demo_copy])
    assert report.ok
    documents = engine.storage.documents
    ids = sorted(report.added)
    whole = {a: documents.sentences_of(a) for a in ids}
    longest = max(len(s) for s in whole.values())

    for limit in (1, 3, longest, -1):
        alone = {a: documents.sentences_of(a, limit) for a in ids}
        together = documents.openings([ids[2], "no-such-article", *ids, ids[0]], limit)
        assert together == alone
        assert all(len(s) == (len(whole[a]) if limit < 0 else min(limit, len(whole[a]))) for a, s in together.items())
    assert documents.openings([], 5) == {}
