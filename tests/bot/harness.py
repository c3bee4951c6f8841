"""Running the real bot against the stand-in: a polling loop in its own thread, and helpers to talk to it."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from app.config import Config
from bot.settings import BotSettings
from bot.telegram import build_application
from retrieval import Engine
from tests.bot.standin import StandIn
from tests.conftest import DEMO

QUESTION = "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟"
ANSWER = "استان خوزستان، تهران، کرمان، سیستان و بلوچستان، استانهای پایلوت در طرح کودکان بازمانده از تحصیل هستند."
RLM = "\u200f"
chat_ids = itertools.count(1000)


class Runner:
    """Runs the application's polling loop in a thread of its own, as `pasokh bot` would."""

    def __init__(self, application) -> None:
        self.app = application
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def _call(self, coro, timeout: float = 60):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def start(self) -> Runner:
        self.thread.start()
        self._call(self._start())
        return self

    async def _start(self) -> None:
        await self.app.initialize()
        await self.app.post_init(self.app)

        def error_callback(exc) -> None:  # as Application.run_polling passes it: failed polls go to on_error
            self.app.create_task(self.app.process_error(error=exc, update=None))

        await self.app.updater.start_polling(poll_interval=0.0, timeout=1, error_callback=error_callback)
        await self.app.start()

    def stop(self) -> None:
        self._call(self._stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    async def _stop(self) -> None:
        await self.app.updater.stop()
        await self.app.stop()
        await self.app.shutdown()
        await self.app.post_shutdown(self.app)

    @property
    def pasokh(self):
        return self.app.bot_data["pasokh"]


def bot_config(engine: Engine, standin: StandIn, data_dir: Path | None = None, **bot: object) -> Config:
    settings = {"reload_seconds": 0.5, "questions_per_minute": 10, **bot}
    return Config(
        path=None,
        data_dir=data_dir or engine.storage.lifecycle.data_dir,  # the bot log beside the (sqlite) corpus
        include_demo=False,
        demo_dir=DEMO,
        embedder=None,  # type: ignore[arg-type]  # the engine is built already
        retrieval=engine.settings,
        bot=BotSettings(api_base_url=standin.base_url, **settings),  # type: ignore[arg-type]
    )


def start_bot(config: Config, engine: Engine) -> Runner:
    return Runner(build_application(config.bot, engine, "123:TEST", config.data_dir, config.bot_secret)).start()


@contextlib.contextmanager
def slow_answers(engine: Engine):
    """Within: every question takes longer than the bot waits before it shows «typing…»."""
    from bot.handlers.asking import TYPING_AFTER

    real_ask = engine.ask

    def slow_ask(*args, **kwargs):
        time.sleep(TYPING_AFTER + 0.5)
        return real_ask(*args, **kwargs)

    engine.ask = slow_ask  # type: ignore[method-assign]
    try:
        yield
    finally:
        del engine.ask  # the class's own again


def ask(standin: StandIn, text: str, *, chat_id: int | None = None, count: int = 1, **kw) -> list:
    """Send a message and return the bot's reply messages to that chat."""
    chat_id = chat_id or next(chat_ids)
    before = len(standin.sent_to(chat_id))
    standin.send_text(text, chat_id=chat_id, user_id=kw.pop("user_id", chat_id), **kw)
    standin.wait_for(lambda calls: len(standin.sent_to(chat_id)) >= before + count)
    time.sleep(0.05)
    return standin.sent_to(chat_id)[before:]


def tap_and_wait(standin: StandIn, message: dict, data: str, user_id: int) -> str:
    """Tap a button and wait until the bot has answered the callback query; returns the query id."""
    query_id = standin.tap(message, data, user_id=user_id)
    standin.wait_for(lambda calls: any(c.params.get("callback_query_id") == query_id for c in calls))
    return query_id


def callback_answer(standin: StandIn, query_id: str):
    return next(c for c in standin.calls if c.method == "answerCallbackQuery" and c.params["callback_query_id"] == query_id)


def post_update(port: int, update: dict, secret: str) -> int:
    """POST an update to a bot's webhook on 127.0.0.1, as Telegram would; returns the HTTP status."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/telegram",
        data=json.dumps(update).encode(),
        method="POST",
        headers={"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": secret},
    )
    try:
        return urllib.request.urlopen(request, timeout=10).status
    except urllib.error.HTTPError as err:
        return err.code


def raw_request(port: int, sent: bytes, wait: float = 8.0) -> tuple[bytes, float]:
    """What a webhook's server on 127.0.0.1 answers a connection that sends ``sent`` and then
    nothing more, and after how long (b"" when it closes the connection without a word)."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as sock:
        sock.sendall(sent)
        try:
            answer = sock.recv(1024)
        except TimeoutError:
            answer = b"(still waiting)"
    return answer, time.monotonic() - started


OVERSIZED = b"POST /telegram HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 52428800\r\n\r\n{"
"""A request announcing a body of 50 MB, no update's size, and sending one byte of it."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def message(update_id: int, chat: int, text: str) -> dict:
    """A private-chat text message update, as Telegram sends it to a webhook."""
    update = {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "text": text,
            "chat": {"id": chat, "type": "private"},
            "from": {"id": chat, "is_bot": False, "first_name": "کاربر"},
        },
    }
    if text.startswith("/"):  # as Telegram marks a command
        update["message"]["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return update


def wait_listening(port: int, proc: subprocess.Popen, log: Path, deadline: float) -> None:
    """Until the `pasokh bot` process at ``port`` serves its webhook (an update with a wrong
    secret gets 403), by ``deadline`` (monotonic); its log if it exits first."""
    while True:
        assert proc.poll() is None, log.read_text(errors="replace")
        try:
            if post_update(port, {"update_id": 0}, "wrong") == 403:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, "a bot did not start listening"
        time.sleep(0.3)


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc): the ones a bot with ``[bot] processes`` started."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def stop_all(procs: list[subprocess.Popen]) -> None:
    """SIGTERM every process, then wait for each (30 s) and kill what is still running."""
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()


def buttons(call) -> list[dict]:
    markup = call.params.get("reply_markup")
    return [b for row in json.loads(markup)["inline_keyboard"] for b in row] if markup else []
