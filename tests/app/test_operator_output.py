"""What reaches the operator's terminal and log from outside: a redirect's address, a page's
canonical link, a file's name. Codes in them (ESC sequences that retitle or clear a terminal, a
newline that starts a log line of the sender's making, a right-to-left override) are shown as
escapes; JSON output and JSON log lines read back as they were."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap

import pytest
from werkzeug import Response

from tests.app.test_cli import run
from tests.conftest import ROOT
from tests.news.test_hostile import GOOD, page, rss

# what a terminal or a log viewer acts on instead of showing (tab and newline are the output's own)
ACTS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
TITLE = "\x1b]0;pwned\x07"  # sets the terminal window's title
CLEAR = "\x1b[2J"  # clears the screen
FORGED = "2026-12-06T07:00:00 ERROR pasokh: the database is damaged"  # a record Pasokh never wrote
RECORD = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d (DEBUG|INFO|WARNING|ERROR|CRITICAL) ")


@pytest.fixture
def hostile(httpserver, tmp_path):
    """A site whose one story names another site as its canonical address with codes and a
    forged log line in it, and whose other story is sent in an encoding named with codes."""
    canonical = f"https://other.example/x{TITLE}{CLEAR}\u202egnp.x&#10;{FORGED}"
    httpserver.expect_request("/b").respond_with_data(page("خبر", GOOD, canonical=canonical), content_type="text/html")
    headers = {"Content-Encoding": f"br{TITLE}", "Content-Type": "text/html"}
    httpserver.expect_request("/a").respond_with_response(Response(bytes(range(256)) * 8, headers=headers))
    links = [(httpserver.url_for(p), "عنوان", "Fri, 20 Nov 2026 10:00:00 +0330") for p in ("/a", "/b")]
    httpserver.expect_request("/rss").respond_with_data(rss(links), content_type="application/rss+xml")
    config = tmp_path / "config.toml"
    config.write_text(
        "include_demo = false\n[fetch]\nmin_host_delay_seconds = 0\nrespect_robots = false\nretries = 0\n"
        f'[[sources]]\nfeed = "{httpserver.url_for("/rss")}"\nname = "سایت"\n',
        encoding="utf-8",
    )
    return config, tmp_path / "data"


def test_a_sites_codes_reach_the_operator_as_escapes_and_never_start_a_log_line_of_their_own(hostile):
    config, data_dir = hostile
    fetched = run("fetch", "-v", "-q", data_dir=data_dir, config=config)
    assert "1 added" in fetched.stdout, "the good story is stored all the same"
    for output in (fetched.stdout, fetched.stderr):
        assert not ACTS.search(output), "no code reaches the terminal as itself"
    logged = [line for line in fetched.stderr.splitlines() if RECORD.match(line)]
    assert not any(line.startswith(FORGED) for line in fetched.stderr.splitlines()), "the page's line is not a record"
    canonical = next(line for line in logged if "canonical" in line)
    assert "x\\u001b]0;pwned\\u0007\\u001b[2J\\u202egnp.x\\n" + FORGED in canonical, "what the page declared, on one line"
    error = next(line for line in fetched.stderr.splitlines() if line.startswith("error: سایت:"))
    assert "the body is sent br\\u001b]0;pwned\\u0007-encoded" in error

    listed = run("sources", data_dir=data_dir, config=config)
    assert "br\\u001b]0;pwned\\u0007-encoded" in listed.stdout and not ACTS.search(listed.stdout)
    (status,) = json.loads(run("sources", "--json", data_dir=data_dir, config=config).stdout)
    assert f"br{TITLE}-encoded" in status["last_error"], "JSON reads back the header as it was sent"


def test_json_log_lines_are_one_line_each_and_give_back_what_the_site_sent(hostile):
    config, data_dir = hostile
    fetched = run("fetch", "-v", "-q", "--log-format", "json", data_dir=data_dir, config=config)
    logged = fetched.stderr.splitlines()
    assert not any(ACTS.search(line) for line in logged)
    records = [json.loads(line) for line in logged if line.startswith("{")]
    assert len(records) == len([line for line in logged if line.strip()]) - 1, "every line but the error is a record"
    (canonical,) = [r["message"] for r in records if "canonical" in r["message"]]
    assert f"https://other.example/x{TITLE}{CLEAR}\u202egnp.x\n{FORGED}" in canonical


def test_a_file_named_with_codes_is_named_in_escapes_and_the_others_are_ingested(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(f"خبر خوب\n\n{GOOD}\n", encoding="utf-8")
    (folder / f"bad{TITLE}\nname.txt").write_bytes(b"\x00\x01\x02 not text")
    config = tmp_path / "config.toml"
    config.write_text("include_demo = false\n", encoding="utf-8")
    result = run("ingest", "-q", str(folder), data_dir=tmp_path / "data", config=config)
    assert "added 1" in result.stdout, result.stderr
    assert not ACTS.search(result.stdout + result.stderr)
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("skipped:")]
    assert "bad\\u001b]0;pwned\\u0007\\nname.txt: looks like a binary file" in line, "the bad file is named on one line"
    assert result.stderr.count("looks like a binary file") == 1, "said once, not again by a log line"


def test_a_traceback_keeps_its_lines_indented_so_a_line_it_quotes_cannot_pass_for_a_record():
    script = textwrap.dedent(f"""
        import logging
        from app.logs import setup_logging
        setup_logging(logging.INFO)
        try:
            raise ValueError("bad input\\x1b[2J\\n{FORGED}")
        except ValueError:
            logging.getLogger("pasokh").exception("while reading %s", "https://x.example/\\x1b[31m")
    """)
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    lines = result.stderr.splitlines()
    assert RECORD.match(lines[0]) and "https://x.example/\\u001b[31m" in lines[0], result.stderr
    assert all(line.startswith("    ") for line in lines[1:]) and "Traceback" in lines[1]
    assert any(line == "    " + FORGED for line in lines), "the quoted line is there, indented"
    assert not ACTS.search(result.stderr)
