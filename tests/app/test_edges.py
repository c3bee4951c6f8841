"""Every failure at the command line is one clear line and loses nothing: bad input files,
questions that are not text, closed pipes, a full disk, an unreachable or rejecting Bot API."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys

import pytest

from app import cli
from tests.app.test_cli import PASOKH, QUESTION, run
from tests.bot.standin import StandIn
from tests.conftest import ROOT


def one_line(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) == 1 and "Traceback" not in text


def test_version_and_articles_as_json(tmp_path):
    version = run("--version", data_dir=tmp_path / "data")
    assert version.returncode == 0 and version.stdout.startswith("pasokh ")
    listed = run("articles", "--json", "-q", data_dir=tmp_path / "data")
    articles = json.loads(listed.stdout)
    assert len(articles) == 5 and {"id", "title", "agency", "published", "url"} <= set(articles[0])


def test_a_number_of_quotes_below_one_is_refused_in_one_line(tmp_path):
    result = run("ask", "--k", "-1", QUESTION, data_dir=tmp_path / "data")
    assert result.returncode == 2 and "--k: must be at least 1" in result.stderr and not result.stdout


def test_a_question_with_bytes_that_are_not_text_is_answered(tmp_path):
    env = {**os.environ, "PASOKH_DATA_DIR": str(tmp_path / "data"), "PYTHONIOENCODING": "utf-8"}
    env.pop("PASOKH_CONFIG", None)
    question = "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟".encode() + b" \xff\xfe"
    result = subprocess.run([*PASOKH, "ask", "-q", question], cwd=ROOT, env=env, capture_output=True, timeout=300)
    assert result.returncode == 0, result.stderr.decode()
    assert "خوزستان" in result.stdout.decode("utf-8")


def test_one_bad_jsonl_line_is_reported_with_its_place_and_the_rest_is_stored(tmp_path):
    feed = tmp_path / "feed.jsonl"
    good = {"id": "ok", "title": "خبر درست", "text": "شورای شهر یزد طرح توسعه کتابخانه مرکزی را تصویب کرد."}
    feed.write_text(
        "\n".join([
            '{"id": ' + "9" * 5000 + ', "title": "t", "text": "x"}',
            '{"id": "deep", "title": "t", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
            '{"id": "s", "title": "t", "text": "\\ud800 نیمه"}',
            json.dumps(good, ensure_ascii=False),
        ]) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    result = run("ingest", str(feed), "-q", data_dir=tmp_path / "data")
    assert result.returncode == 1 and "added 1" in result.stdout
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert [re.search(r"feed\.jsonl:(\d+):", e).group(1) for e in errors] == ["1", "2", "3"], errors
    assert "Traceback" not in result.stderr
    assert "کتابخانه" in run("ask", "شورای شهر یزد چه طرحی را تصویب کرد؟", data_dir=tmp_path / "data").stdout


def test_a_closed_pipe_ends_quietly(tmp_path):
    code = (
        "import os, sys\nr, w = os.pipe()\nos.close(r)\nos.dup2(w, 1)\n"
        "from app.cli import main\nsys.exit(main(['articles', '-q']))\n"
    )
    env = {**os.environ, "PASOKH_DATA_DIR": str(tmp_path / "data")}
    env.pop("PASOKH_CONFIG", None)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 141 and result.stderr == "", result.stderr


def test_a_full_disk_is_one_line(monkeypatch, capsys, tmp_path):
    def full(*_args, **_kw):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(tmp_path / "data" / "pasokh.sqlite3"))

    monkeypatch.setenv("PASOKH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setattr(cli, "cmd_stats", full)
    assert cli.main(["stats"]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert one_line(err) and "No space left on device" in err and "pasokh.sqlite3" in err


def test_an_sqlite_write_error_says_how_much_room_the_disk_has_and_when_it_is_full(tmp_path, monkeypatch):
    """«disk I/O error» is what SQLite says when a full disk leaves no room for its write-ahead
    log, and it sent an operator looking for a failing disk. The error (a real SQLITE_FULL:
    a database held to two pages) now says how much room the disk holding it has, and that it
    is full when it is; another error says nothing of the disk."""
    import sqlite3
    from types import SimpleNamespace

    from retrieval import errors

    conn = sqlite3.connect(tmp_path / "small.sqlite3")
    conn.execute("PRAGMA max_page_count = 2")
    with pytest.raises(sqlite3.DatabaseError) as full:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (?)", (b"x" * 100_000,))
    said = errors.room_said(full.value, tmp_path)
    assert "free on the disk holding" in said and "is full" not in said, "this disk has room: not called full"
    monkeypatch.setattr(errors.os, "statvfs", lambda _path: SimpleNamespace(f_bavail=2, f_frsize=4096))
    said = errors.room_said(full.value, tmp_path / "small.sqlite3")
    assert said.startswith(f"the disk holding {tmp_path} is full, 8 KB free: free space; nothing half-written is kept")
    with pytest.raises(sqlite3.DatabaseError) as other:
        conn.execute("SELECT * FROM missing")
    assert errors.room_said(other.value, tmp_path) == ""


def test_a_file_grown_past_its_limit_or_a_failing_disk_under_the_index_is_the_stores_failure_in_one_line(tmp_path):
    """A write the disk refuses is the store's failure whichever way it refuses: full, a quota, a
    file past `ulimit -f` (EFBIG), a failing disk (EIO), read-only. The bot and the watcher tell
    the store's failure from a source's or a question's by :func:`retrieval.errors.store_said`,
    which knew only three of these while the index's writes named all five: the watcher took a
    file past its limit for each source's own fault, one by one, instead of stopping the pass."""
    from retrieval import errors

    for code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS):
        said = errors.store_said(OSError(code, os.strerror(code), str(tmp_path / "index.faiss")), tmp_path)
        assert said and one_line(said) and os.strerror(code) in said and "index.faiss" in said, code
    for code in (errno.ENOENT, errno.EACCES):  # a missing file, a permission: not the disk's
        assert errors.store_said(OSError(code, os.strerror(code), "x"), tmp_path) is None, code


def test_a_data_directory_on_a_full_disk_says_the_disk_is_full_not_only_disk_io_error(tmp_path):
    """On a real full disk (a small tmpfs; where this machine lets the tests mount one)."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small disk here")
    try:
        config = tmp_path / "config.toml"
        config.write_text("include_demo = false\n", encoding="utf-8")
        assert run("stats", data_dir=disk / "data", config=config).returncode == 0
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (disk / "filler").write_bytes(b"\0" * free)
        result = run("stats", data_dir=disk / "data", config=config)
        assert result.returncode == 1 and one_line(result.stderr), result.stderr
        assert f"the disk holding {disk / 'data'} is full" in result.stderr and "free space;" in result.stderr
        (disk / "filler").unlink()
        assert run("stats", data_dir=disk / "data", config=config).returncode == 0, "room made: it opens again"
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_an_export_to_a_full_disk_is_one_line_with_the_room_and_leaves_no_part_of_a_file(tmp_path):
    """Writing anywhere but the database (an export, a report) on a full disk said «No space left
    on device» and nothing of the disk; now the room is said as for the database. Nothing
    half-written is left where the export was to go."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small disk here")
    try:
        assert run("ask", QUESTION, data_dir=tmp_path / "data").returncode == 0
        free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
        (disk / "filler").write_bytes(b"\0" * free)
        result = run("export", "-q", str(disk / "articles.jsonl"), data_dir=tmp_path / "data")
        assert result.returncode == 1 and one_line(result.stderr), result.stderr
        said = f"No space left on device ({disk / 'articles.jsonl'}): the disk holding {disk} is full"
        assert said in result.stderr, result.stderr
        assert sorted(p.name for p in disk.iterdir()) == ["filler"], "no part of the export is left"
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


@pytest.fixture
def bot_config(tmp_path):
    def write(base_url: str) -> object:
        path = tmp_path / "bot.toml"
        path.write_text(f'[bot]\napi_base_url = "{base_url}"\nstart_attempts = 2\n', encoding="utf-8")
        return path

    return write


def test_an_unreachable_bot_api_is_retried_one_line_each_then_one_line_and_an_exit(tmp_path, bot_config):
    token = "123456:UNREACHABLE-secret-part"
    config = bot_config("http://127.0.0.1:9/bot")
    result = run("bot", "-q", data_dir=tmp_path / "data", config=config, env={"TELEGRAM_BOT_TOKEN": token})
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 2 and "attempt 1 of 2" in lines[0] and "cannot reach the Bot API after 2 attempts" in lines[1]
    assert "Traceback" not in result.stderr and "secret-part" not in result.stderr + result.stdout


def test_a_rejected_token_is_one_line_with_the_token_nowhere(tmp_path, bot_config):
    standin = StandIn(tokens=frozenset({"123:GOOD"})).start()
    try:
        token = "999999:REJECTED-secret-part"
        config = bot_config(standin.base_url)
        env = {"TELEGRAM_BOT_TOKEN": token}
        result = run("bot", "-q", "-v", data_dir=tmp_path / "data", config=config, env=env)
    finally:
        standin.stop()
    assert result.returncode == 1 and "rejected the token" in result.stderr
    assert "Traceback" not in result.stderr and "REJECTED-secret-part" not in result.stderr + result.stdout


def test_a_damaged_bot_secret_is_one_line_and_the_bot_does_not_start(tmp_path, bot_config):
    """The data directory's secret emptied (a failed copy) keyed every button and hashed id with
    nothing; cut to odd hex it was a traceback. Either is one line naming the file and the way out."""
    standin = StandIn(tokens=frozenset({"123:GOOD"})).start()
    data = tmp_path / "data"
    try:
        for held in ("", "abc"):
            data.mkdir(exist_ok=True)
            (data / "bot.secret").write_text(held)
            result = run("bot", "-q", data_dir=data, config=bot_config(standin.base_url), env={"TELEGRAM_BOT_TOKEN": "123:GOOD"})
            assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
            assert "bot.secret is damaged" in result.stderr and "delete it" in result.stderr
        assert not [c for c in standin.calls if c.method == "getUpdates"], "no update was taken in"
    finally:
        standin.stop()


def test_an_article_dated_outside_what_can_be_shown_is_quoted_undated(tmp_path):
    feed = tmp_path / "dated.jsonl"
    records = [
        {"id": "far", "title": "خبر آینده", "published": "9999-12-31", "text": "سد کرج تا پایان سال با ظرفیت کامل آبگیری می‌شود."},
        {"id": "old", "title": "خبر کهن", "published": "0001-01-01T00:00:00Z", "text": "ساخت کتابخانه ملی در پایتخت آغاز شد."},
    ]
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    data = tmp_path / "data"
    assert run("ingest", str(feed), "-q", data_dir=data).returncode == 0
    for question, answer in (("سد کرج کی آبگیری می‌شود؟", "سد کرج"), ("ساخت کتابخانه ملی کجا آغاز شد؟", "کتابخانه ملی")):
        result = run("ask", "--json", question, data_dir=data)
        assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
        assert answer in json.loads(result.stdout)["quotes"][0]["text"]


def test_log_lines_have_timestamps_or_are_json_for_shippers(tmp_path):
    data = tmp_path / "data"
    text = run("ask", "-v", "قیمت دلار امروز چند است؟", data_dir=data)
    assert re.search(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d INFO ", text.stderr, re.M), text.stderr
    shipped = run("ask", "-v", "--log-format", "json", "قیمت دلار امروز چند است؟", data_dir=data)
    lines = [json.loads(line) for line in shipped.stderr.splitlines() if line.startswith("{")]
    assert lines and all({"time", "level", "logger", "message"} <= set(entry) for entry in lines)


def test_the_article_list_dates_every_article_as_answers_cite_it(tmp_path):
    """`pasokh articles` printed a page's time as ISO («2019-05-29T19:50:37+00:00», another's with
    «+04:30») beside the demo's «۲۸ خرداد ۱۳۹۷، ۱۶:۲۴»: now every date reads as a citation gives it."""
    feed = tmp_path / "feed.jsonl"
    records = [
        {
            "id": "iso",
            "title": "خبر یک",
            "text": "شورای شهر یزد طرح توسعه کتابخانه مرکزی را تصویب کرد.",
            "published": "2026-11-20T07:00:00+00:00",
        },
        {"id": "unix", "title": "خبر دو", "text": "قطار مشهد به یزد از هفته آینده راه می‌افتد.", "published": 1795244400000},
        {"id": "day", "title": "خبر سه", "text": "نمایشگاه کتاب یزد فردا آغاز می‌شود.", "published": "2026-11-20"},
    ]
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    data = tmp_path / "data"
    assert run("ingest", str(feed), data_dir=data).returncode == 0
    listed = dict(line.split("\t") for line in run("articles", "-q", data_dir=data).stdout.splitlines())
    assert listed["iso"] == "خبر یک · ۲۹ آبان ۱۴۰۵، ۱۰:۳۰"
    assert listed["unix"] == "خبر دو · ۳۰ آبان ۱۴۰۵، ۱۰:۳۰"
    assert listed["day"] == "خبر سه · ۲۹ آبان ۱۴۰۵", "a day stated without a time stays a day"


def test_control_codes_in_a_source_never_reach_the_terminal_and_the_quote_is_the_text_as_shown(tmp_path):
    """A feed's text with a terminal colour sequence and a BEL in it: `pasokh ask` printed the ESC
    (the operator's terminal turned red: ``ESC ] 0 ;`` would have retitled it) and the BEL, and
    the BEL kept the splitter from ending the sentence before it, so two sentences were one quote."""
    title = "سد کرج\x1b]0;pwned\x07 پر شد"
    text = "سد کرج با ظرفیت کامل آبگیری شد\x1b[31m و مردم خوشحال‌اند.\x07 آب شرب تهران تا پایان سال تامین است."
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "c", "title": title, "text": text}, ensure_ascii=False), encoding="utf-8")
    data = tmp_path / "data"
    assert run("ingest", str(feed), "-q", data_dir=data).returncode == 0
    result = run("ask", "سد کرج کی آبگیری شد؟", data_dir=data)
    assert result.returncode == 0 and not re.search("[\x00-\x08\x0b-\x1f\x7f]", result.stdout + result.stderr)
    assert "سد کرج با ظرفیت کامل آبگیری شد[31m و مردم خوشحال‌اند." in result.stdout  # what a browser shows of it
    quotes = json.loads(run("ask", "--json", "آب شرب تهران تا کی تامین است؟", data_dir=data).stdout)["quotes"]
    assert quotes[0]["text"] == "آب شرب تهران تا پایان سال تامین است." and quotes[0]["title"] == "سد کرج]0;pwned پر شد"


def test_pasokh_alone_lists_what_each_command_does(tmp_path):
    """Was «the following arguments are required: COMMAND», with no command named."""
    result = run(data_dir=tmp_path / "data")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "ask                 answer a question with quotes" in result.stderr and "repair" in result.stderr
    assert not (tmp_path / "data").exists()


def test_a_terminal_whose_encoding_cannot_write_persian_gets_the_answer_in_utf8_and_one_warning(tmp_path):
    """In a latin-1 or ASCII locale every answer was a UnicodeEncodeError traceback."""
    result = run("ask", QUESTION, data_dir=tmp_path / "data", env={"PYTHONIOENCODING": "latin-1"})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "استان خوزستان، تهران، کرمان" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("pasokh: warning")]
    assert len(warnings) == 1 and "cannot show Persian" in warnings[0] and "LANG=C.UTF-8" in warnings[0]


def test_asking_an_empty_corpus_says_the_corpus_is_empty_not_only_to_ask_in_other_words(tmp_path):
    """With include_demo = false and nothing ingested, «no answer: ask in other words» was all."""
    config = tmp_path / "config.toml"
    config.write_text("include_demo = false\n", encoding="utf-8")
    asked = run("ask", QUESTION, data_dir=tmp_path / "data", config=config)
    assert asked.returncode == 0 and "the corpus has no articles yet" in asked.stderr and "pasokh ingest" in asked.stderr
    listed = run("articles", data_dir=tmp_path / "data", config=config)
    assert listed.returncode == 0 and not listed.stdout and "the corpus has no articles yet" in listed.stderr
    demo = run("ask", QUESTION, data_dir=tmp_path / "demo")
    assert "the corpus has no articles" not in demo.stderr


def test_files_pasokh_writes_are_readable_as_the_umask_allows_and_keep_the_permissions_they_had(tmp_path):
    """Every file written whole (the index's files, the watcher's report, an export, the evaluation's
    report) was made owner-only, as its temporary file was: bots running as another user of the
    watcher's group could not read the index it wrote, nor anyone the export was made for. Now a
    new file gets what ``open()`` would give it under the umask, and a replaced one keeps its own."""
    import stat

    data = tmp_path / "data"
    before = os.umask(0o027)
    try:
        assert run("ask", QUESTION, data_dir=data).returncode == 0
        assert run("export", str(tmp_path / "articles.jsonl"), data_dir=data).returncode == 0
        (tmp_path / "kept.jsonl").write_text("", encoding="utf-8")
        (tmp_path / "kept.jsonl").chmod(0o604)
        assert run("export", str(tmp_path / "kept.jsonl"), data_dir=data).returncode == 0
    finally:
        os.umask(before)

    def mode(path):
        return stat.S_IMODE(path.stat().st_mode)

    index = sorted((data / "index").iterdir())
    assert {p.suffix for p in index} >= {".json", ".faiss", ".bin"}, index
    assert all(mode(p) == 0o640 for p in index), "the group the bots run in reads the index"
    assert mode(tmp_path / "articles.jsonl") == 0o640
    assert mode(tmp_path / "kept.jsonl") == 0o604 and (tmp_path / "kept.jsonl").stat().st_size > 0
