"""A small cluster for real: two `pasokh bot` replicas on webhooks and a `pasokh ingest` worker,
three processes sharing one PostgreSQL. Updates are spread over the replicas as a load balancer
would; every question is answered once, by the replica it reached, and what the worker ingests
is answered by both."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.texts import ALERTS, BUTTONS
from retrieval import StorageSettings
from tests.app.test_cli import run
from tests.bot import harness
from tests.bot.harness import ANSWER, QUESTION, buttons, free_port, message, post_update, stop_all
from tests.bot.standin import StandIn, plain_text
from tests.conftest import DEMO, ROOT, storage_config, storage_env
from tests.retrieval.test_ingest import NEW_ARTICLE

SECRET = "cluster-webhook-secret"
NEW_QUESTION = "کتابخانه مرکزی یزد کی افتتاح می‌شود؟"
NEW_ANSWER = "کتابخانه مرکزی یزد با ظرفیت سیصد هزار جلد کتاب هفته آینده افتتاح می‌شود."


def post(port: int, update: dict, secret: str = SECRET) -> int:
    return post_update(port, update, secret)


ADMIN = 6999


def callback(update_id: int, message: dict, data: str, user: int) -> dict:
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cq{update_id}",
            "chat_instance": "ci",
            "data": data,
            "message": message,
            "from": {"id": user, "is_bot": False, "first_name": "کاربر"},
        },
    }


def one_bot_across_replicas(standin: StandIn, ports: list[int], chat: int, first_update: int) -> None:
    """Chat ``chat`` was answered by the first replica; everything after reaches the other one,
    and then the first again: the state is the cluster's, not a process's."""
    answer = standin.sent_to(chat)[0]
    data = {b["text"]: b["callback_data"] for b in buttons(answer)}
    updates = iter(range(first_update, first_update + 100))

    def tap(port: int, text: str) -> dict:
        update = callback(next(updates), answer.result, data[text], chat)
        assert post(port, update) == 200
        calls = standin.wait_for(
            lambda calls: any(c.params.get("callback_query_id") == update["callback_query"]["id"] for c in calls)
        )
        return next(c for c in calls if c.params.get("callback_query_id") == update["callback_query"]["id"]).params

    before = len(standin.sent_to(chat))
    more = tap(ports[1], BUTTONS["more"])
    assert more.get("text") != ALERTS["stale"], "a tap on another replica's answer is served"
    standin.wait_for(lambda calls: len(standin.sent_to(chat)) > before)
    assert tap(ports[1], "👍").get("text") == ALERTS["thanks"]

    follow = message(next(updates), chat, "کی؟")
    follow["message"]["reply_to_message"] = answer.result
    before = len(standin.sent_to(chat))
    assert post(ports[1], follow) == 200
    standin.wait_for(lambda calls: len(standin.sent_to(chat)) > before)
    assert "در ادامهٔ" in plain_text(standin.sent_to(chat)[-1].params["text"]), "the follow-up kept its context"

    stats = []
    for port in ports:
        before = len(standin.sent_to(ADMIN))
        assert post(port, message(next(updates), ADMIN, "/stats")) == 200
        standin.wait_for(lambda calls, before=before: len(standin.sent_to(ADMIN)) > before)
        stats.append(plain_text(standin.sent_to(ADMIN)[-1].params["text"]))
    assert "پرسش‌ها:" in stats[0] and stats[0] == stats[1], "/stats counts the cluster, whichever replica is asked"

    before = len(standin.sent_to(chat))
    assert post(ports[1], message(next(updates), chat, "/forget")) == 200
    standin.wait_for(lambda calls: len(standin.sent_to(chat)) > before)
    assert "پاک شد" in plain_text(standin.sent_to(chat)[-1].params["text"])
    assert tap(ports[0], BUTTONS["more"]).get("text") == ALERTS["stale"], "/forget on one replica is seen by the other"


def start_replica(
    n: int, port: int, config: Path, storage: StorageSettings, tmp_path: Path, status_port: int = 0
) -> subprocess.Popen:
    """`pasokh bot` replica ``n`` on webhooks at ``port``, with its own data directory and log."""
    env = {
        **os.environ,
        **storage_env(storage),
        "PASOKH_DATA_DIR": str(tmp_path / f"replica{n}"),  # each machine keeps its own data directory
        "TELEGRAM_BOT_TOKEN": "123:TEST",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "PASOKH_BOT_SECRET": "one-secret-for-every-replica",
        "PYTHONIOENCODING": "utf-8",
    }
    args = ["bot", "--config", str(config), "--listen", "127.0.0.1", "--port", str(port)]
    args += ["--webhook-url", f"http://127.0.0.1:{port}/telegram", "--status-port", str(status_port)]
    log = (tmp_path / f"replica{n}.log").open("wb")
    return subprocess.Popen([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env, stdout=log, stderr=log)


def wait_listening(ports: list[int], bots: list[subprocess.Popen], tmp_path: Path) -> None:
    deadline = time.monotonic() + 180
    for n, (port, proc) in enumerate(zip(ports, bots, strict=True)):
        harness.wait_listening(port, proc, tmp_path / f"replica{n}.log", deadline)


def ask_replica(standin: StandIn, port: int, update_id: int, chat: int, text: str, timeout: float = 60) -> str:
    """What the replica at ``port`` replies to ``text`` in a new chat (its first reply, as plain text)."""
    assert post(port, message(update_id, chat, text)) == 200
    standin.wait_for(lambda calls: standin.sent_to(chat), timeout=timeout)
    return plain_text(standin.sent_to(chat)[0].params["text"])


@pytest.mark.slow
def test_two_bot_replicas_and_an_ingest_worker_share_one_postgres(postgres_url, tmp_path):
    storage = StorageSettings.for_backend("postgres", postgres_url, schema="cluster")
    standin = StandIn().start()
    config = tmp_path / "config.toml"
    bot_section = (
        f'include_demo = false\n[bot]\napi_base_url = "{standin.base_url}"\nreload_seconds = 1.0\nadmin_ids = [{ADMIN}]\n'
    )
    config.write_text(storage_config(storage, bot_section), encoding="utf-8")
    worker = tmp_path / "worker"
    assert run("ingest", str(DEMO), data_dir=worker, config=config, env=storage_env(storage)).returncode == 0

    ports = [free_port(), free_port()]
    bots = [start_replica(n, port, config, storage, tmp_path) for n, port in enumerate(ports)]
    try:
        wait_listening(ports, bots, tmp_path)

        new = tmp_path / "yazd_library.txt"
        new.write_text(NEW_ARTICLE, encoding="utf-8")
        ingested = run("ingest", str(new), data_dir=worker, config=config, env=storage_env(storage))
        assert ingested.returncode == 0 and "added 1" in ingested.stdout, ingested.stderr
        time.sleep(1.5)  # one refresh interval

        asked: dict[int, str] = {}
        update_id = 1
        for round_ in range(4):
            for n, port in enumerate(ports):
                chat = 7000 + 10 * round_ + n
                text = NEW_QUESTION if round_ % 2 == 0 else QUESTION
                assert post(port, message(update_id, chat, text)) == 200
                asked[chat] = text
                update_id += 1

        standin.wait_for(lambda calls: all(standin.sent_to(chat) for chat in asked), timeout=120)
        time.sleep(1.0)  # a duplicate would arrive about now
        for chat, text in asked.items():
            replies = standin.sent_to(chat)
            assert len(replies) == 1, f"chat {chat} got {len(replies)} replies"
            shown = plain_text(replies[0].params["text"])
            assert (NEW_ANSWER if text == NEW_QUESTION else ANSWER) in shown
        assert standin.rejected() == []
        one_bot_across_replicas(standin, ports, chat=7010, first_update=update_id)
    finally:
        stop_all(bots)
        standin.stop()
