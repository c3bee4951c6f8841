"""The running bot under load: N chats asking at once, through webhooks, as Telegram would send them.

    python bench/bot_load.py [--data DIR] [--chats 50] [--questions 400] [--workers 4] [--processes 1]

A real ``pasokh bot`` runs in webhook mode against the tests' Bot API stand-in
(tests/bot/standin.py, which enforces Telegram's limits). ``--chats`` simulated users each post a
question to the webhook, wait for the bot's reply to reach the stand-in, and ask the next, until
``--questions`` have been asked in all (a closed loop: the load is as high as the bot can take).
``--processes`` is ``[bot] processes``: that many bot processes behind the one webhook port
(the clock starts once each has said it is serving; CPU is summed over them, RSS is the largest
one's and all of theirs).
Each chat is its own user (and the per-user limit is raised), so only the bot's capacity and
``[bot] sends_per_second`` bound the rate; questions are PQuAD validation questions.

Printed: answered questions per second, p50/p95/p99 from the webhook POST to the reply reaching
the stand-in, errors (a webhook status other than 200, a call the stand-in refused, or no reply
within ``--timeout``), the bot's CPU seconds per wall second (2.0 = both cores busy) and its peak
RSS. ``--data`` is a data directory ``bench/scale.py`` built (whose sentences are embedded alone,
``passage = "sentence"``); without it the bot serves the demo corpus.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SECRET = "bench-webhook-secret"

from scale import PASOKH, peak_rss, percentile, pquad_questions  # noqa: E402  (bench/scale.py)

from tests.bot.harness import children, free_port, message, post_update, stop_all, wait_listening  # noqa: E402
from tests.bot.standin import StandIn  # noqa: E402


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a running process has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_bot(
    port: int,
    standin: StandIn,
    data: Path | None,
    work: Path,
    workers: int,
    sends: int,
    embed_threads: int | None,
    processes: int = 1,
) -> subprocess.Popen:
    config = work / "config.toml"
    config.write_text(
        f"include_demo = {'false' if data else 'true'}\n[bot]\n"
        f'api_base_url = "{standin.base_url}"\nworkers = {workers}\nsends_per_second = {sends}\nprocesses = {processes}\n'
        "questions_per_minute = 100000\n[embedder]\n"
        # a bench/scale.py corpus embeds sentences alone (its recombined headlines would reuse no vector)
        + ('passage = "sentence"\n' if data else "")
        + (f"threads = {embed_threads}\n" if embed_threads else ""),
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "PASOKH_DATA_DIR": str(data or work / "data"),
        "TELEGRAM_BOT_TOKEN": "123:BENCH",
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "PYTHONIOENCODING": "utf-8",
    }
    args = ["bot", "--config", str(config), "--listen", "127.0.0.1", "--port", str(port)]
    args += ["--webhook-url", f"http://127.0.0.1:{port}/telegram"]
    log = (work / "bot.log").open("wb")
    return subprocess.Popen([*PASOKH, *args], cwd=ROOT, env=env, stdout=log, stderr=log)


def wait_ready(port: int, bot: subprocess.Popen, work: Path, standin: StandIn, processes: int = 1, timeout: float = 600) -> None:
    """Listening, every process serving, and answering: one question through the whole path
    before the clock starts."""
    deadline = time.monotonic() + timeout
    wait_listening(port, bot, work / "bot.log", deadline)
    while (work / "bot.log").read_text(errors="replace").count("pasokh bot: serving") < processes:
        assert bot.poll() is None and time.monotonic() < deadline, "the bot's processes did not all start"
        time.sleep(0.5)
    chat = 10**9
    post_update(port, message(1, chat, "سلام، کتابخانه کی باز است؟"), SECRET)
    standin.wait_for(lambda calls: standin.sent_to(chat), timeout=timeout)


class Replies:
    """Replies per chat, counted incrementally: predicates run under the stand-in's lock, and
    rescanning every call for each of fifty waiting chats would load the CPU the bot needs."""

    def __init__(self) -> None:
        self.seen = 0
        self.per_chat: dict[int, int] = {}

    def count(self, calls: list, chat: int) -> int:
        for call in calls[self.seen :]:
            if call.method == "sendMessage" and call.error is None:
                key = int(call.params["chat_id"])
                self.per_chat[key] = self.per_chat.get(key, 0) + 1
        self.seen = len(calls)
        return self.per_chat.get(chat, 0)


def drive(port: int, standin: StandIn, asked: list[str], chats: int, timeout: float) -> tuple[list[float], list[str], float]:
    latencies: list[float] = []
    errors: list[str] = []
    todo = iter(enumerate(asked))
    lock = threading.Lock()
    replies = Replies()

    def chat_loop(chat: int) -> None:
        while True:
            with lock:
                item = next(todo, None)
            if item is None:
                return
            n, text = item
            standin.wait_for(lambda calls: replies.count(calls, chat) >= 0)  # brings the count up to date
            before = replies.per_chat.get(chat, 0)
            started = time.perf_counter()
            try:
                status = post_update(port, message(100 + n, chat, text), SECRET)
            except OSError as exc:
                errors.append(f"webhook: {exc}")
                continue
            if status != 200:
                errors.append(f"webhook status {status}")
                continue
            try:
                standin.wait_for(lambda calls, c=chat, b=before: replies.count(calls, c) > b, timeout=timeout)
            except Exception:  # the stand-in's timeout: no reply
                errors.append(f"no reply within {timeout:.0f} s")
                continue
            with lock:
                latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=chat_loop, args=(20_000 + c,)) for c in range(chats)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, help="the data directory to serve (default: the demo corpus)")
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--questions", type=int, default=400)
    parser.add_argument("--workers", type=int, default=4, help="[bot] workers: threads answering questions")
    parser.add_argument("--processes", type=int, default=1, help="[bot] processes behind the webhook port")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument(
        "--sends-per-second",
        type=int,
        default=30,
        help="[bot] sends_per_second (30 is Telegram's limit; raise it to see the bot's own ceiling)",
    )
    parser.add_argument(
        "--embedder-threads", type=int, help="[embedder] threads (default: the config's, i.e. every core per question)"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pasokh-load-"))
    # Telegram's flood limit, raised with the bot's own when measuring the bot's ceiling
    standin = StandIn(sends_per_second=max(30.0, args.sends_per_second)).start()
    port = free_port()
    bot = start_bot(port, standin, args.data, work, args.workers, args.sends_per_second, args.embedder_threads, args.processes)
    try:
        wait_ready(port, bot, work, standin, args.processes)
        pids = [bot.pid, *children(bot.pid)]
        cpu0 = sum(map(cpu_seconds, pids))
        latencies, errors, wall = drive(port, standin, pquad_questions(args.questions, seed=7), args.chats, args.timeout)
        cpu1, peaks = sum(map(cpu_seconds, pids)), [peak_rss(pid) for pid in pids]
    finally:
        stop_all([bot])
        standin.stop()
    refused = [c for c in standin.calls if c.error]
    ms = [t * 1000 for t in latencies] or [0.0]
    corpus = str(args.data) if args.data else "demo"
    print(
        f"corpus {corpus}; {args.chats} chats, {args.questions} questions, "
        f"[bot] workers = {args.workers}, processes = {args.processes}, sends_per_second = {args.sends_per_second}, "
        f"[embedder] threads = {args.embedder_threads or 'default'}"
    )
    print("| answered/s | p50 | p95 | p99 | errors | refused by the API | bot CPU s per s | bot peak RSS |")
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {len(latencies) / wall:.1f} | {percentile(ms, 0.5):.0f} ms | {percentile(ms, 0.95):.0f} ms | "
        f"{percentile(ms, 0.99):.0f} ms | {len(errors)} | {len(refused)} | {(cpu1 - cpu0) / wall:.2f} | "
        f"{max(peaks):,} MB" + (f" (all {sum(peaks):,} MB)" if len(peaks) > 1 else "") + " |"
    )
    if errors:
        print("first errors:", "; ".join(sorted(set(errors))[:5]))
    if latencies:
        print(f"mean {statistics.mean(latencies) * 1000:.0f} ms over {len(latencies)} answered in {wall:.1f} s")


if __name__ == "__main__":
    main()
