"""One bot, a process per core behind one webhook port (``[bot] processes``).

Python runs one thread of Pasokh's own code at a time. The embedder, FAISS and SQLite let go of
it, but ranking, the features and PTB's own work do not, so one process answering on threads
left part of the second core idle: at a million sentences the pipeline alone answered 16–19
questions a second on 1.5–1.7 cores in one process, and 23–24 a second on 2.0 cores in two
(docs/performance.md, "The bot under load"). Each process binds the webhook port with
``SO_REUSEPORT``, so the kernel spreads Telegram's connections over them; each loads the corpus
and answers on its own. What they must share (rate windows, the questions log, «more» pages,
votes) is already kept in storage, as for replicas on several machines. The first process
supervises the others: one that dies is started again, and all of them stop with it.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

from bot.settings import BotSettings
from embeddings.cores import available_cores

logger = logging.getLogger(__name__)
REPLICA_ENV = "PASOKH_BOT_REPLICA"  # set in the processes the first one starts: their number, 1 …
FIRST_RESTART_WAIT = 1.0
LONGEST_RESTART_WAIT = 60.0
STOP_WAIT = 30.0


class ProcessesError(ValueError):
    """``[bot] processes`` cannot be honoured as the bot was started."""


def processes_for(settings: BotSettings, webhook: bool) -> int:
    """How many processes to run: ``processes``, or one per core when it is 0. Telegram hands
    polled updates to one ``getUpdates`` caller at a time, so polling runs one process."""
    if not webhook:
        if settings.processes > 1:
            raise ProcessesError(
                f"[bot] processes = {settings.processes} needs webhook mode (--webhook-url): Telegram gives "
                "polled updates to one process at a time; set processes = 1 or 0 to poll"
            )
        return 1
    return settings.processes or available_cores()  # a container's CPU set and quota, not the machine's


def replica_number() -> int:
    """0 in the process an operator started; 1, 2 … in those it started."""
    try:
        return max(0, int(os.environ.get(REPLICA_ENV, "0")))
    except ValueError:
        return 0


def webhook_socket(listen: str, port: int, shared: bool = True) -> socket.socket:
    """A listening socket on ``listen:port``, bound before the corpus loads so that a taken port
    fails at once; ``shared``: every process of this bot binds it as well (``SO_REUSEPORT``: the
    kernel gives each new connection to one of them), else a second bot on the port is refused.
    OSError names the address when it is taken by something else or cannot be bound."""
    family = socket.AF_INET6 if ":" in listen else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if shared:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        sock.bind((listen, port))
        sock.listen(128)
        sock.setblocking(False)  # tornado serves it from its event loop
    except OSError as exc:
        sock.close()
        raise OSError(exc.errno, f"cannot listen on {listen}:{port} for the webhook: {exc.strerror}") from None
    return sock


class Replicas:
    """The other processes of one bot: the same command (``argv``), numbered 1 … ``count``,
    started again when one exits while the bot runs (after 1 s, doubling up to 60 s while it
    keeps failing within a minute of starting), stopped with it."""

    def __init__(self, count: int, argv: Sequence[str], env: dict[str, str]) -> None:
        self.argv = list(argv)
        self.env = env
        self.procs: dict[int, subprocess.Popen] = {}
        self._started: dict[int, float] = {}
        self._waits = dict.fromkeys(range(1, count + 1), FIRST_RESTART_WAIT)
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._watcher = threading.Thread(target=self._watch, name="pasokh-replicas", daemon=True)

    def start(self) -> Replicas:
        with self._lock:
            for number in self._waits:
                self._spawn(number)
        self._watcher.start()
        return self

    def _spawn(self, number: int) -> None:
        env = {**self.env, REPLICA_ENV: str(number)}
        self.procs[number] = subprocess.Popen(self.argv, env=env, stdin=subprocess.DEVNULL)
        self._started[number] = time.monotonic()
        logger.info("started bot process %d (pid %d)", number, self.procs[number].pid)

    def _watch(self) -> None:
        due: dict[int, float] = {}
        while not self._stopping.wait(0.5):
            with self._lock:
                for number, proc in self.procs.items():
                    code = proc.poll()
                    if code is None:
                        continue
                    if number not in due:
                        if time.monotonic() - self._started[number] > LONGEST_RESTART_WAIT:
                            self._waits[number] = FIRST_RESTART_WAIT  # it had been running: not a crash loop
                        wait = self._waits[number]
                        logger.warning(
                            "bot process %d (pid %d) exited with %s; starting it again in %.0f s", number, proc.pid, code, wait
                        )
                        due[number] = time.monotonic() + wait
                        self._waits[number] = min(wait * 2, LONGEST_RESTART_WAIT)
                    elif time.monotonic() >= due[number]:
                        del due[number]
                        self._spawn(number)

    def stop(self) -> None:
        """SIGTERM each (PTB stops serving cleanly), wait up to :data:`STOP_WAIT`, kill what is left."""
        self._stopping.set()
        with self._lock:
            procs = list(self.procs.values())
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_WAIT
        for proc in procs:
            try:
                proc.wait(max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.warning("bot process pid %d did not stop in %.0f s; killing it", proc.pid, STOP_WAIT)
                proc.kill()
                proc.wait()


def own_command() -> list[str]:
    """The command line this process was started with, for the processes it starts."""
    return [sys.executable, *sys.orig_argv[1:]]


def follow_parent() -> None:
    """In a started process: stop (SIGTERM to itself, which PTB handles) when the process that
    started it is gone, so that a killed first process leaves none of its replicas behind."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        logger.warning("the first bot process (pid %d) is gone; stopping", parent)
        os.kill(os.getpid(), signal.SIGTERM)

    threading.Thread(target=watch, name="pasokh-parent", daemon=True).start()
