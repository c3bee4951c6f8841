"""Following news sites for real: the local news server stands in for the agencies, the stand-in
for Telegram. `pasokh fetch` (as a service or timer would run it) writes; the running bot
answers about a new story within one refresh, quoting it with its Jalali date, age and link."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from retrieval import RetrievalSettings, StorageSettings, connect
from tests.app.test_cli import run
from tests.bot.harness import ask, bot_config, buttons, start_bot
from tests.bot.standin import StandIn, plain_text
from tests.conftest import ROOT
from tests.news.sites import LIBRARY, RAIN, Agency

RAIN_QUESTION = "بارش باران در تهران از کی آغاز می‌شود؟"


@pytest.fixture
def news(httpserver, tmp_path):
    isna = Agency(httpserver, "/isna", "ایسنا")
    irna = Agency(httpserver, "/irna", "ایرنا")
    isna.add(LIBRARY)
    config = tmp_path / "config.toml"
    config.write_text(
        "include_demo = false\n[fetch]\nmin_host_delay_seconds = 0\nrespect_robots = false\n"
        f'[[sources]]\nfeed = "{isna.url("/rss")}"\nname = "ایسنا"\n'
        f'[[sources]]\nfeed = "{irna.url("/atom")}"\nname = "ایرنا"\n',
        encoding="utf-8",
    )
    return isna, irna, config, tmp_path / "data"


def test_a_story_in_a_feed_reaches_the_running_bot_with_its_date_and_link(news, nano):
    isna, irna, config, data_dir = news
    first = run("fetch", data_dir=data_dir, config=config)
    assert first.returncode == 0, first.stderr
    assert "ایسنا: 1 listed, 1 fetched, 1 added" in first.stdout and "ایرنا: 0 listed" in first.stdout

    engine = connect(StorageSettings(), data_dir, nano, RetrievalSettings())
    engine.load()
    standin = StandIn().start()
    # the fixture stories are dated November 2026: /latest looks back far enough to list them
    runner = start_bot(bot_config(engine, standin, data_dir=data_dir, latest_days=36500), engine)
    try:
        sent = ask(standin, "کتابخانه مرکزی یزد کی افتتاح می‌شود؟")[0].params["text"]
        reply = plain_text(sent)
        assert LIBRARY.paragraphs[0] in reply
        assert "۳۰ آبان ۱۴۰۵، ۰۹:۱۵" in reply and "پیش)" in reply  # Jalali date and its age
        assert f'href="{isna.url("/news/yazd-library")}"' in sent, "the title links to the article"

        irna.add(RAIN)  # a new story appears in a feed; the worker's next pass fetches it
        assert run("fetch", data_dir=data_dir, config=config).returncode == 0
        time.sleep(1.0)  # reload_seconds is 0.5
        sent = ask(standin, RAIN_QUESTION)[0].params["text"]
        reply = plain_text(sent)
        assert RAIN.paragraphs[0] in reply and "ایرنا" in reply and f'href="{irna.url("/news/tehran-rain")}"' in sent

        listing = ask(standin, "/latest")[0]
        text = plain_text(listing.params["text"])
        assert text.index("ایرنا") < text.index(RAIN.title) < text.index("ایسنا") < text.index(LIBRARY.title)
        assert [b["text"][:6] for b in buttons(listing)] == ["📄 " + RAIN.title[:4], "📄 " + LIBRARY.title[:4]]
    finally:
        runner.stop()
        standin.stop()

    status = json.loads(run("sources", "--json", data_dir=data_dir, config=config).stdout)
    assert [(s["name"], s["articles"], s["last_error"]) for s in status] == [("ایسنا", 1, None), ("ایرنا", 1, None)]
    assert all(datetime.fromisoformat(s["next_fetch"]) > datetime.now(UTC) for s in status)


def test_a_failing_source_is_shown_in_sources_and_does_not_fail_the_pass(news, httpserver):
    _, _, config, data_dir = news
    httpserver.expect_request("/down/rss").respond_with_data("oops", status=503)
    text = config.read_text(encoding="utf-8") + f'[[sources]]\nfeed = "{httpserver.url_for("/down/rss")}"\nname = "خراب"\n'
    config.write_text(text.replace("[fetch]\n", "[fetch]\nretries = 0\n"), encoding="utf-8")
    result = run("fetch", data_dir=data_dir, config=config)
    assert result.returncode == 0, "one failing source does not fail the pass"
    assert "error: خراب:" in result.stderr and "server error 503" in result.stderr
    status = {s["name"]: s for s in json.loads(run("sources", "--json", data_dir=data_dir, config=config).stdout)}
    assert "server error 503" in status["خراب"]["last_error"] and status["ایسنا"]["articles"] == 1


def test_watch_fetches_at_once_and_stops_cleanly_on_sigterm(news):
    _, _, config, data_dir = news
    env = {"PASOKH_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    import os

    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "watch", "--config", str(config)],
        cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        first = proc.stdout.readline()  # type: ignore[union-attr]
        assert "ایسنا: 1 listed, 1 fetched, 1 added" in first
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "stopped" in err and "Traceback" not in err

    shown = run("sources", data_dir=data_dir, config=config)
    assert shown.returncode == 0 and shown.stdout.startswith("watcher: last check 20"), shown.stdout
    (data_dir / "watch-report.json").write_text('{"updated": 1, "sour', encoding="utf-8")  # a torn file
    shown = run("sources", data_dir=data_dir, config=config)
    assert shown.returncode == 0 and "ایسنا" in shown.stdout, "the store's view is shown all the same"
    assert "watch-report.json is damaged" in shown.stderr and "rewrites it at its next pass" in shown.stderr


def test_watch_reads_its_sources_again_on_sighup(news):
    """An operator adds a source to config.toml and reloads (systemctl reload: SIGHUP): the new
    source is followed without a restart; a config broken mid-edit keeps the old sources."""
    _, irna, config, data_dir = news
    irna.add(RAIN)
    only_isna = config.read_text(encoding="utf-8").split('[[sources]]\nfeed = "' + irna.url("/atom"))[0]
    full = config.read_text(encoding="utf-8")
    config.write_text(only_isna, encoding="utf-8")
    import os

    env = {**os.environ, "PASOKH_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "watch", "--config", str(config)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert "ایسنا: 1 listed, 1 fetched, 1 added" in proc.stdout.readline()  # type: ignore[union-attr]
        config.write_text(only_isna + "[[sources]]\nfeed = 3\n", encoding="utf-8")  # half edited
        proc.send_signal(signal.SIGHUP)
        time.sleep(1.0)
        config.write_text(full, encoding="utf-8")
        proc.send_signal(signal.SIGHUP)
        added = proc.stdout.readline()  # type: ignore[union-attr]
        assert "ایرنا: 1 listed, 1 fetched, 1 added" in added, added
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and "Traceback" not in err
    assert "not reloaded" in err and "sources reloaded: 2 (were 1)" in err, err


def test_bad_source_settings_are_refused_naming_the_key(tmp_path):
    config = tmp_path / "config.toml"
    for table, message in (
        ('feed = "ftp://example.com/rss"', "feed must be an http(s) URL"),
        ('feed = "https://a.example/rss"\npage = "https://a.example/x"', "exactly one of feed, sitemap, page or channel"),
        ('feed = "https://a.example/rss"\nevery_minutes = 0', "every_minutes must be at least 1"),
        ('feed = "https://a.example/rss"\nmax_articles = "many"', "max_articles must be a whole number"),
        ('feed = "https://a.example/rss"\nfrequency = 3', "unknown key(s) frequency"),
        ('page = "https://t.me/s/isna94"', 'a Telegram address is a channel: write channel = "isna94"'),
    ):
        config.write_text(f"[[sources]]\n{table}\n", encoding="utf-8")
        result = run("sources", data_dir=tmp_path / "data", config=config)
        assert result.returncode == 2 and message in result.stderr, (table, result.stderr)


def test_a_watcher_whose_disk_fills_says_so_once_and_fetches_again_when_room_is_made(news, tmp_path):
    """A disk filled by something else (logs, a backup) under a running watcher: each source was
    blamed for the store's failure («source ایسنا: http://…/rss: OperationalError: database or
    disk is full») and each pass logged a traceback. Now one line says the disk is full, the
    watcher waits, and fetches as soon as there is room. On a real small disk, where this
    machine lets the tests mount one."""
    import os
    import queue
    import threading

    _, _, config, _ = news
    disk = tmp_path / "disk"
    disk.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)], capture_output=True).returncode:
        pytest.skip("cannot mount a small disk here")
    data_dir = disk / "data"
    proc = None
    try:
        assert run("stats", data_dir=data_dir, config=config).returncode == 0
        room = os.statvfs(disk)
        (disk / "filler").write_bytes(b"\0" * max(0, room.f_bavail * room.f_frsize - 40_000))
        env = {**os.environ, "PASOKH_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "watch", "--config", str(config)],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        lines: queue.Queue[tuple[str, str]] = queue.Queue()
        for name, stream in (("out", proc.stdout), ("err", proc.stderr)):
            threading.Thread(target=lambda n=name, s=stream: [lines.put((n, line)) for line in s], daemon=True).start()

        def until(*wanted: str, seconds: float = 90.0) -> list[tuple[str, str]]:
            """The lines read until each of ``wanted`` has been seen, in whatever order: a line on
            stderr may be read before one the watcher wrote earlier on stdout."""
            seen, deadline = [], time.monotonic() + seconds
            while time.monotonic() < deadline:
                try:
                    seen.append(lines.get(timeout=1.0))
                except queue.Empty:
                    continue
                if all(any(w in line for _, line in seen) for w in wanted):
                    return seen
            raise AssertionError(f"not all of {wanted!r} in {seen}")

        before = until("the store is unavailable")
        said = before[-1][1]
        assert f"the disk holding {data_dir} is full" in said and "free space;" in said, said
        time.sleep(12)  # two more tries while the disk stays full: said once, not once a try
        (disk / "filler").unlink()
        after = until("ایسنا: 1 listed, 1 fetched, 1 added", "the store answers again")
        shown = "".join(line for _, line in before + after)
        assert shown.count("the store is unavailable") == 1 and "the store answers again" in shown, shown
        assert "Traceback" not in shown and "source ایسنا" not in shown, "no source is blamed for the disk"
    finally:
        if proc is not None:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=60)
        subprocess.run(["umount", str(disk)], capture_output=True)
