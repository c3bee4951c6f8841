"""``[bot] processes = 2``: two `pasokh bot` processes behind one webhook port on one machine.
Both answer (each counts its own in /metrics), Telegram is given one secret by both, a process
that dies is started again by the first, and every process stops with the first."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.app.test_cli import run
from tests.bot.harness import ANSWER, OVERSIZED, QUESTION, children, free_port, message, post_update, raw_request
from tests.bot.standin import StandIn, plain_text
from tests.conftest import ROOT


def status(port: int, path: str) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def answered(port: int) -> float:
    found = re.search(r"^pasokh_answers_total (\S+)$", status(port, "/metrics") or "", re.M)
    return float(found.group(1)) if found else 0.0


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().rsplit(")", 1)[1].split()[0] != "Z"


def wait(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.2)


@pytest.mark.slow
def test_two_processes_answer_on_one_port_one_that_dies_is_restarted_and_all_stop_together(tmp_path):
    standin = StandIn().start()
    port, status_port = free_port(), free_port()
    while status_port + 1 == port:
        status_port = free_port()
    config = tmp_path / "config.toml"
    config.write_text(
        f'[bot]\napi_base_url = "{standin.base_url}"\nprocesses = 2\nstatus_port = {status_port}\n'
        "questions_per_minute = 1000\nreload_seconds = 1.0\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PASOKH_DATA_DIR": str(tmp_path / "data"),
        "TELEGRAM_BOT_TOKEN": "123:TEST",  # no TELEGRAM_WEBHOOK_SECRET: the first process makes one for all
        "PYTHONIOENCODING": "utf-8",
    }
    args = ["bot", "--config", str(config), "--listen", "127.0.0.1", "--port", str(port)]
    args += ["--webhook-url", f"http://127.0.0.1:{port}/telegram"]
    log = tmp_path / "bot.log"
    first = subprocess.Popen(
        [sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    try:
        wait(lambda: status(status_port, "/readyz") and status(status_port + 1, "/readyz"), 240, log.read_text())
        hooks = standin.wait_for(lambda calls: sum(c.method == "setWebhook" for c in calls) >= 2, timeout=60)
        secrets = {c.params.get("secret_token") for c in hooks if c.method == "setWebhook"}
        assert len(secrets) == 1 and None not in secrets, "both processes give Telegram the same secret"
        secret = secrets.pop()
        [second] = children(first.pid)

        def ask_all(chats: range) -> None:
            for chat in chats:
                assert post_update(port, message(chat, chat, QUESTION), secret) == 200
            standin.wait_for(lambda calls: all(standin.sent_to(chat) for chat in chats), timeout=120)
            time.sleep(0.5)  # a second reply would arrive about now
            for chat in chats:
                [reply] = standin.sent_to(chat)
                assert ANSWER in plain_text(reply.params["text"])

        ask_all(range(9000, 9024))  # a connection each: the kernel spreads them over both processes
        answer, took = raw_request(port, OVERSIZED)  # a stranger's: refused as its headers arrive
        assert answer.startswith(b"HTTP/1.1 400") and took < 4, (answer, took)
        assert answered(status_port) > 0 and answered(status_port + 1) > 0, "each process answered some"
        assert answered(status_port) + answered(status_port + 1) == 24

        os.kill(second, signal.SIGKILL)
        wait(lambda: not alive(second), 10, "the killed process is gone")
        wait(lambda: status(status_port + 1, "/readyz") is not None, 120, "the first process starts the second again")
        [again] = children(first.pid)
        assert again != second
        ask_all(range(9100, 9110))
        assert "exited with -9; starting it again" in log.read_text()
        assert standin.rejected() == []

        first.send_signal(signal.SIGTERM)
        assert first.wait(60) == 0
        wait(lambda: not alive(again), 10, "the second process stopped with the first")
    finally:
        for pid in [first.pid, *children(first.pid)]:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        standin.stop()


def test_polling_with_several_processes_is_refused_in_one_line(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text("[bot]\nprocesses = 2\n", encoding="utf-8")
    done = run("bot", data_dir=tmp_path / "data", config=config, env={"TELEGRAM_BOT_TOKEN": "123:TEST"})
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "needs webhook mode" in done.stderr


@pytest.mark.parametrize(
    ("files", "limit"),
    [
        ({"cpu.max": "100000 100000\n"}, 1),  # cgroup v2, `docker run --cpus=1`
        ({"cpu.max": "150000 100000\n"}, 1),  # 1.5 cores: running over a quota costs more than half a core idle
        ({"cpu.max": "max 100000\n"}, None),  # no quota
        ({"cpu/cpu.cfs_quota_us": "200000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 2),  # cgroup v1
        ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
        ({"kubepods/pod1/cpu.max": "300000 100000\n", "cpu.max": "max 100000\n"}, 3),  # the process's own group
    ],
)
def test_processes_and_embedder_threads_stay_within_a_containers_cpu_quota(tmp_path, files, limit):
    """A CPU quota leaves the CPU set alone, so a one-core container on a sixteen-core host
    started sixteen bot processes with `processes = 0`, each embedding on sixteen OpenMP threads
    (sched_getaffinity counts the host's cores), throttled to a standstill in turn."""
    from embeddings.cores import available_cores, cpu_limit

    root = tmp_path / "cgroup"
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    membership = tmp_path / "membership"
    membership.write_text("0::/kubepods/pod1\n" if any(n.startswith("kubepods") for n in files) else "0::/\n")
    assert cpu_limit(root, membership) == limit
    host = len(os.sched_getaffinity(0))
    assert available_cores(root, membership) == (min(host, limit) if limit else host)
