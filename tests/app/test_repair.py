"""A damaged database, as an operator meets it: every command says so in one line and names
`pasokh repair`, which keeps the damaged file, puts every article it can read whole into a new
database (verbatim, nothing put together), lists what it lost, and leaves answers working."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

from corpus.normalize import NORMALIZATION_VERSION
from corpus.prepare import content_hash
from corpus.records import Article
from retrieval.errors import StorageError
from retrieval.store.backends.sqlite.botlog import BotLog
from retrieval.store.botstate import Pseudonyms
from tests.app.test_cli import QUESTION, run
from tests.conftest import ROOT

ANSWER = "استان خوزستان، تهران، کرمان، سیستان و بلوچستان، استانهای پایلوت در طرح کودکان بازمانده از تحصیل هستند."
PAGES = ROOT / "tests" / "data" / "realnews"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict[str, dict]]:
    """The demo and the five real pages, and every article as `pasokh export` gives it."""
    data = tmp_path_factory.mktemp("repair") / "data"
    assert run("ingest", str(PAGES), data_dir=data).returncode == 0
    exported = run("export", "-", data_dir=data)
    assert exported.returncode == 0, exported.stderr
    return data, _articles(exported.stdout)


@pytest.fixture
def data(built, tmp_path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(built[0], copy)
    return copy


def _articles(jsonl: str) -> dict[str, dict]:
    return {a["id"]: a for a in map(json.loads, jsonl.splitlines())}


def _db(data: Path) -> Path:
    return data / "pasokh.sqlite3"


def _overwrite(path: Path, at: int, new: bytes) -> None:
    with path.open("r+b") as fh:
        fh.seek(at)
        fh.write(new)


def _kept(data: Path) -> dict[str, dict]:
    exported = run("export", "-", data_dir=data)
    assert exported.returncode == 0, exported.stderr
    return _articles(exported.stdout)


def _one_line_naming_repair(result) -> None:
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    said = [line for line in result.stderr.splitlines() if line.startswith("pasokh:")]  # beside a progress bar
    assert len(said) == 1 and "damaged" in said[0] and "pasokh repair" in said[0], result.stderr


def test_a_damaged_page_is_one_line_everywhere_and_repair_keeps_every_article_it_can_read_whole(built, data):
    before = built[1]
    with closing(sqlite3.connect(_db(data))) as db:  # a page of sentences late in the table: the real pages'
        leaves = [
            p for (p,) in db.execute("SELECT pageno FROM dbstat WHERE name = 'sentences' AND pagetype = 'leaf' ORDER BY path")
        ]
        size = db.execute("PRAGMA page_size").fetchone()[0]
    _overwrite(_db(data), (leaves[-2] - 1) * size, b"\0" * size)
    damaged = hashlib.sha256(_db(data).read_bytes()).hexdigest()

    for args in (("ask", QUESTION), ("export", "-"), ("index", "--rebuild")):
        _one_line_naming_repair(run(*args, data_dir=data))
    checked = run("index", "--check", data_dir=data)
    assert checked.returncode == 1 and "problem: the database" in checked.stdout and "pasokh repair" in checked.stdout

    repaired = run("repair", data_dir=data)
    assert repaired.returncode == 0, repaired.stderr
    kept_as = next(data.glob("pasokh.sqlite3.damaged-*[0-9]Z"))
    assert hashlib.sha256(kept_as.read_bytes()).hexdigest() == damaged, "the damaged file is kept as it was"
    lost = _articles(next(data.glob("pasokh.sqlite3.damaged-*.lost.jsonl")).read_text(encoding="utf-8"))
    kept = _kept(data)
    assert lost and kept and set(lost) | set(kept) == set(before) and not set(lost) & set(kept), "every article kept or listed"
    assert all(kept[i] == before[i] for i in kept), "what is kept is what was stored, character for character"
    assert all(a["url"] == before[i]["url"] and a["title"] == before[i]["title"] and a["lost"] for i, a in lost.items())
    assert f"lost {len(lost)} articles" in repaired.stdout and str(kept_as) in repaired.stdout

    assert run("index", "--check", data_dir=data).returncode == 0
    answered = run("ask", QUESTION, data_dir=data)
    assert answered.returncode == 0 and ANSWER in answered.stdout
    again = run("repair", data_dir=data)
    assert again.returncode == 0 and "nothing to repair" in again.stdout


def test_a_value_that_changed_on_disk_is_found_by_check_and_only_its_article_is_lost(built, data):
    """A page SQLite still reads whole can hold a value that changed: a sentence's text that is no
    longer UTF-8, or that is still UTF-8 with one letter changed, loses its article (nothing shows
    text the source did not write; the content hash tells), also where an earlier Pasokh hashed
    it; a vector that no longer hashes to its key is embedded again, as it was."""
    older = next(a for i, a in built[1].items() if not i.startswith("web_"))
    stored_then = Article(
        older["id"], older["title"], older["text"], older.get("source"), older.get("published"), url=older.get("url")
    )
    with closing(sqlite3.connect(_db(data))) as db, db:  # as an earlier splitter hashed it
        db.execute(
            "UPDATE articles SET content_hash = ? WHERE id = ?",
            (content_hash(stored_then, (NORMALIZATION_VERSION, "pasokh-3")), older["id"]),
        )
        (embedder,) = db.execute("SELECT value FROM meta WHERE key = 'vectors_embedder'").fetchone()
        db.execute("DELETE FROM meta WHERE key = 'vectors_embedder'")  # the index's record still names it
    with closing(sqlite3.connect(_db(data))) as db:
        (art, text), (other, letter) = db.execute(
            "SELECT article_id, text FROM sentences WHERE article_id LIKE 'web_%' AND length(text) > 80 AND text LIKE '%س%' "
            "GROUP BY article_id ORDER BY min(id) LIMIT 2"
        ).fetchall()
        sentence, blob = db.execute(
            "SELECT s.sentence_id, v.vector FROM sentence_vectors s JOIN vectors v ON v.key = s.key "
            "ORDER BY s.sentence_id DESC LIMIT 1"
        ).fetchone()
    raw = _db(data).read_bytes()
    assert raw.count(text.encode()) == 1 and raw.count(letter.encode()) == 1 and raw.count(blob) == 1
    _overwrite(_db(data), raw.index(text.encode()) + 1, b"\xff")
    at = raw.index(letter.encode()) + len(letter[: letter.index("س")].encode())
    _overwrite(_db(data), at, "ػ".encode())  # a letter of the same length: still UTF-8
    _overwrite(_db(data), raw.index(blob) + 100, bytes([blob[100] ^ 0x40]))

    checked = run("index", "--check", data_dir=data)
    assert checked.returncode == 1 and "no longer UTF-8" in checked.stdout and "pasokh repair" in checked.stdout
    repaired = run("repair", data_dir=data)
    assert repaired.returncode == 0 and "1 lost vectors embedded again" in repaired.stdout, repaired.stdout + repaired.stderr
    assert "(0 embedded)" in repaired.stdout, "the vectors read whole are kept, not made again"
    kept = _kept(data)
    assert set(built[1]) - set(kept) == {art, other} and all(kept[i] == built[1][i] for i in kept)
    assert older["id"] in kept, "an article an earlier Pasokh stored is proven whole by its hash too"
    with closing(sqlite3.connect(_db(data))) as db:
        (now,) = db.execute(
            "SELECT v.vector FROM sentence_vectors s JOIN vectors v ON v.key = s.key WHERE s.sentence_id = ?", (sentence,)
        ).fetchone()
    assert np.allclose(np.frombuffer(now, np.float16), np.frombuffer(blob, np.float16), atol=2e-3), "embedded again as it was"
    with closing(sqlite3.connect(_db(data))) as db:
        assert db.execute("SELECT value FROM meta WHERE key = 'vectors_embedder'").fetchone() == (embedder,)
    assert run("index", "--check", data_dir=data).returncode == 0


def test_a_database_cut_short_is_found_and_repaired_with_nothing_lost(built, data):
    with _db(data).open("r+b") as fh:
        fh.truncate(_db(data).stat().st_size - 1)
    checked = run("index", "--check", data_dir=data)
    assert checked.returncode == 1 and "cut short" in checked.stdout
    assert run("repair", data_dir=data).returncode == 0
    assert _kept(data) == built[1] and not list(data.glob("*.lost.jsonl"))


def test_a_database_cut_short_by_many_pages_gives_back_the_articles_it_still_holds(built, data):
    """SQLite reads nothing from a file whose tables start past its end; grown back to its length
    with zeros, it reads around the missing pages as around any damaged ones. Cut just past the
    article records' last page: the sentences of the last articles are gone with the cut."""
    with closing(sqlite3.connect(_db(data))) as db:
        last = max(p for (p,) in db.execute("SELECT pageno FROM dbstat WHERE name = 'articles'"))
        size = db.execute("PRAGMA page_size").fetchone()[0]
    assert last * size < _db(data).stat().st_size
    with _db(data).open("r+b") as fh:
        fh.truncate(last * size)
    _one_line_naming_repair(run("ask", QUESTION, data_dir=data))
    repaired = run("repair", data_dir=data)
    assert repaired.returncode == 0 and "left no trace" in repaired.stdout, repaired.stderr
    kept = _kept(data)
    assert kept and set(kept) < set(built[1]) and all(kept[i] == built[1][i] for i in kept)
    assert run("index", "--check", data_dir=data).returncode == 0 and not list(data.glob("*.grown*"))


@pytest.mark.parametrize("how", ["deleted", "emptied"])
def test_a_lost_database_beside_its_indexes_is_refused_not_started_anew(data, how):
    """A new empty corpus (the demo seeded again) beside the old one's indexes would answer from both."""
    if how == "deleted":
        _db(data).unlink()
    else:
        _db(data).write_bytes(b"")
    for args in (("ask", QUESTION), ("index", "--rebuild"), ("repair",)):
        result = run(*args, data_dir=data)
        assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1, result.stderr  # nothing began
        assert "backup" in result.stderr and ("missing" in result.stderr or "empty" in result.stderr)
    assert _db(data).exists() == (how == "emptied") and (how == "deleted" or _db(data).stat().st_size == 0), "nothing made anew"


def test_repairing_a_whole_database_changes_nothing(data):
    before = _db(data).read_bytes()
    result = run("repair", data_dir=data)
    assert result.returncode == 0 and "nothing to repair" in result.stdout
    assert _db(data).read_bytes() == before and not list(data.glob("pasokh.sqlite3.damaged-*"))


def test_a_damaged_bot_log_stops_the_bot_in_one_line_and_repair_keeps_the_questions_it_can_read(data):
    """The bot's log (questions asked, votes, which message answered which) is its own file: its
    damage names `pasokh repair`, which keeps every readable row and leaves the corpus as it is."""
    log = data / "bot.sqlite3"
    BotLog(log, Pseudonyms(b"k" * 32)).close()
    with closing(sqlite3.connect(log)) as db, db:
        db.executemany(
            "INSERT INTO questions(id, chat, user, question, abstained, quotes, asked_at) VALUES(?, 'c', 'u', ?, 0, '[]', ?)",
            [(i, f"پرسش شماره {i} " + "کلمه " * 40, time.time()) for i in range(1, 301)],
        )
        db.executemany("INSERT INTO feedback(question_id, user, vote, at) VALUES(?, 'u', 1, 0)", [(i,) for i in range(1, 301)])
        leaves = [
            p for (p,) in db.execute("SELECT pageno FROM dbstat WHERE name = 'questions' AND pagetype = 'leaf' ORDER BY path")
        ]
        size = db.execute("PRAGMA page_size").fetchone()[0]
    _overwrite(log, (leaves[len(leaves) // 2] - 1) * size, b"\0" * size)
    corpus = _db(data).read_bytes()

    checked = run("index", "--check", data_dir=data)
    assert checked.returncode == 1 and "problem: the bot's log" in checked.stdout and "pasokh repair" in checked.stdout
    repaired = run("repair", data_dir=data)
    assert repaired.returncode == 0 and "the bot's log was damaged" in repaired.stdout, repaired.stderr
    assert _db(data).read_bytes() == corpus, "the corpus was whole and is left as it was"
    with closing(sqlite3.connect(log)) as db:
        kept = [i for (i,) in db.execute("SELECT id FROM questions ORDER BY id")]
        votes = [i for (i,) in db.execute("SELECT question_id FROM feedback ORDER BY question_id")]
    assert 250 < len(kept) < 300 and kept[:10] == list(range(1, 11)) and kept[-1] == 300 and votes == kept
    BotLog(log, Pseudonyms(b"k" * 32)).close()
    assert (data / next(p.name for p in data.glob("bot.sqlite3.damaged-*"))).exists()


def test_a_bot_log_that_is_no_database_any_more_stops_the_bot_in_one_line(tmp_path):
    log = tmp_path / "bot.sqlite3"
    log.write_bytes(b"\x13" * 8192)
    with pytest.raises(StorageError, match=r"bot's log .* is damaged \(file is not a database\): run `pasokh repair`"):
        BotLog(log, Pseudonyms(b"k" * 32))


def test_repair_on_postgresql_names_its_own_tools_and_touches_nothing(tmp_path):
    """PostgreSQL keeps its pages whole by its own log and checksums; reading rows around damage is
    SQLite's repair, and a PostgreSQL deployment is told where its repair lies instead."""
    config = tmp_path / "config.toml"
    config.write_text('[storage]\nbackend = "postgres"\n', encoding="utf-8")
    result = run(
        "repair", data_dir=tmp_path / "data", config=config, env={"PASOKH_DATABASE_URL": "postgresql://127.0.0.1:9/none"}
    )
    assert result.returncode == 1 and "pg_amcheck" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_backup_of_a_damaged_database_is_refused_and_the_older_backups_stay(data, tmp_path):
    """A copy of a damaged database passed SQLite's quick check (a vector that no longer hashes to
    its key is a value, not a page) and was kept as a good backup; on a schedule it would have
    pushed the last good one out."""
    backups = tmp_path / "backups"
    first = run("backup", "--into", str(backups), "--keep", "1", data_dir=data)
    assert first.returncode == 0, first.stderr
    good = sorted(p.name for p in backups.iterdir())
    with closing(sqlite3.connect(_db(data))) as db:
        (blob,) = db.execute("SELECT vector FROM vectors ORDER BY key LIMIT 1").fetchone()
    raw = _db(data).read_bytes()
    _overwrite(_db(data), raw.index(blob) + 10, bytes([blob[10] ^ 0x20]))
    refused = run("backup", "--into", str(backups), "--keep", "1", data_dir=data)
    assert refused.returncode == 1 and "no longer match their keys" in refused.stderr and "pasokh repair" in refused.stderr
    assert sorted(p.name for p in backups.iterdir()) == good, "the good backup is kept, nothing half-made is left"
