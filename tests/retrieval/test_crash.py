"""`pasokh ingest` killed with SIGKILL mid-run, for real, on each backend: the last good state
answers, nothing duplicates, and the next writer is not blocked."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time

import psycopg
import pytest
from psycopg import sql

from tests.app.test_cli import QUESTION, run
from tests.app.test_cli import run as run_cli
from tests.conftest import DEMO, ROOT, storage_config, storage_env

COPIES = 12  # 12 × 5 demo articles, committed 64 sentences at a time: about eight batches
SMALL_BATCHES = "include_demo = true\n[retrieval]\ningest_batch_sentences = 64\n"


def _postgres_value(storage, query: str) -> int:
    with psycopg.connect(storage.database_url, autocommit=True) as conn:
        try:
            row = conn.execute(sql.SQL(query).format(sql.Identifier(storage.postgres.schema))).fetchone()
        except psycopg.errors.UndefinedTable:
            return 0
    return int(row[0]) if row else 0


def generation(storage, data_dir) -> int:
    if storage.backend == "postgres":
        return _postgres_value(storage, "SELECT value FROM {}.meta WHERE key = 'generation'")
    try:
        with sqlite3.connect(f"file:{data_dir / 'pasokh.sqlite3'}?mode=ro", uri=True, timeout=5) as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0
    except sqlite3.Error:
        return 0


def corpus(tmp_path):
    folder = tmp_path / "feed"
    folder.mkdir()
    for n in range(COPIES):
        for path in DEMO.glob("*.txt"):
            shutil.copy(path, folder / f"c{n}_{path.name}")
    return folder


def committed_articles(storage, data_dir) -> int:
    if storage.backend == "postgres":
        return _postgres_value(storage, "SELECT count(*) FROM {}.articles")
    return sqlite3.connect(data_dir / "pasokh.sqlite3").execute("SELECT COUNT(*) FROM articles").fetchone()[0]


def config_file(storage, data_dir):
    config = data_dir.parent / "small_batches.toml"
    config.write_text(storage_config(storage, SMALL_BATCHES), encoding="utf-8")
    return config


def start_ingest(storage, data_dir, folder):
    config = config_file(storage, data_dir)
    env = {
        **os.environ,
        "PASOKH_DATA_DIR": str(data_dir),
        "PASOKH_CONFIG": str(config),
        "PYTHONIOENCODING": "utf-8",
        **storage_env(storage),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "ingest", str(folder)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    started = threading.Event()
    seen: list[bytes] = []

    def watch() -> None:
        while chunk := proc.stderr.read1(256):  # type: ignore[union-attr]
            seen.append(chunk)
            if b"ingesting" in b"".join(seen):
                started.set()

    threading.Thread(target=watch, daemon=True).start()
    assert started.wait(120), b"".join(seen).decode(errors="replace")
    return proc


@pytest.mark.slow
@pytest.mark.parametrize("batches", [0, 2, 4], ids=["before-first-commit", "after-2-batches", "after-4-batches"])
def test_sigkill_mid_ingest_leaves_a_usable_index_and_a_clean_rerun(storage, tmp_path, batches):
    data_dir = tmp_path / "data"
    folder = corpus(tmp_path)
    proc = start_ingest(storage, data_dir, folder)
    config = config_file(storage, data_dir)

    def run(*args: str):
        return run_cli(*args, data_dir=data_dir, config=config, env=storage_env(storage))

    demo = generation(storage, data_dir)  # the demo corpus is committed before the folder starts
    deadline = time.monotonic() + 120
    while generation(storage, data_dir) < demo + batches and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    committed = committed_articles(storage, data_dir)
    assert 5 <= committed < 5 * (COPIES + 1), "the kill must land in the middle of the ingest"
    if batches:
        assert committed > 5

    check = run("index", "--check")
    assert check.returncode == 0 or "pasokh index --rebuild" in check.stdout + check.stderr, check.stdout + check.stderr
    if committed > 5:  # the articles committed before the kill answer too, though FAISS was not saved
        copy = json.loads(run("ask", "--json", "--k", "10", QUESTION).stdout)
        assert any(q["article_id"].startswith("c0_003") for q in copy["quotes"])
    asked = run("ask", "--json", QUESTION)
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["quotes"][0]["article_id"].endswith("003_89b941ca74b638ba")

    rerun = run("ingest", str(folder))
    assert rerun.returncode == 0, rerun.stderr
    assert run("index", "--check").returncode == 0
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["articles"] == 5 * (COPIES + 1)
    assert stats["sentences"] == stats["vectors"] == 42 * (COPIES + 1)
    assert not list((data_dir / "index").glob(".*.tmp"))


def test_a_writer_whose_disk_is_full_when_it_takes_the_lock_lets_it_go_afterwards(tmp_path, monkeypatch):
    """Taking the lock writes who holds it; on a full disk that write failed after the lock was
    taken, and the lock stayed with a process that no longer wrote: a watcher refused its own
    every later write («being written by another process») until restarted."""
    import errno

    from retrieval.errors import WriteLockedError
    from retrieval.store.backends.sqlite import lock

    def full(*_args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with monkeypatch.context() as patched:
        patched.setattr(lock.os, "pwrite", full)
        with lock.WriteLock(tmp_path), pytest.raises(WriteLockedError):
            lock.WriteLock(tmp_path).__enter__()  # held all the same, without its record
    with lock.WriteLock(tmp_path, purpose="again"):
        assert (tmp_path / "write.lock").read_text().endswith("again"), "let go, and taken again"


def test_a_second_writer_is_told_to_wait(tmp_path):
    """Hold the data directory's write lock here, as a running ingest would, and try another."""
    from retrieval.store.backends.sqlite.lock import WriteLock

    data_dir = tmp_path / "data"
    with WriteLock(data_dir):
        second = run("ingest", str(DEMO), data_dir=data_dir)
    assert second.returncode == 1
    last_line = second.stderr.strip().splitlines()[-1]  # above it only the (self-erasing) progress bar
    assert f"is being written by process {os.getpid()}" in last_line and "Traceback" not in second.stderr
    assert run("ingest", str(DEMO), data_dir=data_dir).returncode == 0, "the lock is free again afterwards"
