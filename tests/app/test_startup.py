"""What operators get wrong when they start Pasokh, each told in one line before anything is
served: a config.toml saved by Windows Notepad, a token pasted with a quote or a carriage return,
a webhook secret Telegram refuses, an api_base_url that answers with a web page (a proxy's, or a
filter's in Telegram's place), a webhook Telegram will not call, a port another program holds."""

from __future__ import annotations

import codecs
import http.server
import os
import socket
import subprocess
import sys
import threading
import time

import pytest

from app.config import ConfigError, load_config
from bot.credentials import telegram_token, webhook_secret
from bot.settings import BotSettingsError
from tests.app.test_cli import run
from tests.app.test_edges import one_line
from tests.bot.harness import free_port
from tests.bot.standin import StandIn
from tests.conftest import ROOT

SETTINGS = '[retrieval]\nk = 2\n[[sources]]\nfeed = "https://agency.example/rss"\nname = "باشگاه خبرنگاران جوان"\n'


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    data = tmp_path_factory.mktemp("startup") / "data"
    assert run("stats", "-q", data_dir=data).returncode == 0  # the demo, built once for the bots below
    return data


def test_a_config_saved_with_notepads_byte_order_mark_is_read(tmp_path):
    """tomllib reads the mark as text: «Invalid statement (at line 1, column 1)»."""
    path = tmp_path / "config.toml"
    path.write_bytes(codecs.BOM_UTF8 + SETTINGS.replace("\n", "\r\n").encode("utf-8"))
    config = load_config(str(path), env={})
    assert config.retrieval.k == 2 and config.sources[0].name == "باشگاه خبرنگاران جوان"


@pytest.mark.parametrize(
    ("encoding", "said"),
    [
        ("utf-16", "is saved as UTF-16; save it as UTF-8"),
        ("cp1256", "is not UTF-8 (byte 0xc8 at line 5, column 9); save it as UTF-8"),  # the Arabic Windows code page
    ],
)
def test_a_config_in_another_encoding_is_one_line_saying_where_and_how_to_save_it(tmp_path, encoding, said):
    path = tmp_path / "config.toml"
    path.write_bytes(SETTINGS.encode(encoding))
    with pytest.raises(ConfigError) as caught:
        load_config(str(path), env={})
    assert said in str(caught.value) and str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_whitespace_around_a_token_or_webhook_secret_is_dropped_and_nothing_else_is_taken():
    """An env file saved on Windows gives «123:ABC\\r»: tried six times over a minute, then
    «Invalid non-printable ASCII character in URL»."""
    assert telegram_token(" 123456:ABC-def_1\r\n") == "123456:ABC-def_1"
    assert webhook_secret("s3cret_-X0123456789\r") == "s3cret_-X0123456789"
    for token, said in (("'123:ABC'", "holding a quote"), ("123:AB C", "holding a space"), ("ABC", "3 characters")):
        with pytest.raises(BotSettingsError, match=said) as caught:
            telegram_token(token)
        assert "ABC" not in str(caught.value).replace("123456:ABC", ""), "the token is never echoed"
    with pytest.raises(BotSettingsError, match="holding the character U\\+003A"):
        webhook_secret("a:b" * 8)
    with pytest.raises(BotSettingsError, match="1 to 256"):
        webhook_secret("x" * 257)


def test_a_token_or_webhook_secret_telegram_would_refuse_stops_the_bot_at_once_in_one_line(tmp_path):
    bad_token = run("bot", data_dir=tmp_path / "data", env={"TELEGRAM_BOT_TOKEN": '"123:secret-half"'})
    assert bad_token.returncode == 2 and one_line(bad_token.stderr), bad_token.stderr
    assert "TELEGRAM_BOT_TOKEN is not a bot token" in bad_token.stderr and "secret-half" not in bad_token.stderr
    env = {"TELEGRAM_BOT_TOKEN": "123:TEST", "TELEGRAM_WEBHOOK_SECRET": "my secret for the hook"}
    bad_secret = run("bot", "--webhook-url", "https://bot.example/hook", data_dir=tmp_path / "data", env=env)
    assert bad_secret.returncode == 2 and one_line(bad_secret.stderr), bad_secret.stderr
    assert "TELEGRAM_WEBHOOK_SECRET must be 1 to 256 letters" in bad_secret.stderr and "my secret" not in bad_secret.stderr
    assert not (tmp_path / "data").exists(), "refused before the corpus was loaded"


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        ("TELEGRAM_WEBHOOK_SECRET", "replace-with-another-random-string", "still deploy/env.example's placeholder"),
        ("TELEGRAM_WEBHOOK_SECRET", "hook123", "7 characters; use at least 16"),
        ("TELEGRAM_BOT_TOKEN", "123456:replace-with-the-token-from-BotFather", "still deploy/env.example's placeholder"),
    ],
)
def test_a_published_or_guessable_bot_credential_is_refused_before_the_bot_starts(tmp_path, variable, value, said):
    """deploy/env.example's webhook secret, left in place, was registered with Telegram as it
    was: anyone who read the example and found the webhook could post updates in any user's
    name, an admin's included (/stats, /reload)."""
    env = {"TELEGRAM_BOT_TOKEN": "123:TEST", variable: value}
    result = run("bot", "--webhook-url", "https://bot.example/hook", data_dir=tmp_path / "data", env=env)
    assert result.returncode == 2 and one_line(result.stderr) and f"{variable} is {said}" in result.stderr, result.stderr
    assert not (tmp_path / "data").exists(), "refused before the corpus was loaded"


class _Page(http.server.BaseHTTPRequestHandler):
    """Answers every request with a web page, as a misaddressed proxy or a filter does."""

    status = 200

    def do_POST(self) -> None:
        body = b"<html><body><iframe src='http://10.10.34.34/'></iframe>PAGE-BODY</body></html>"
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@pytest.mark.parametrize("status", [200, 404])
def test_an_api_base_url_answering_with_a_web_page_is_said_so_not_as_a_rejected_token(tmp_path, data_dir, status):
    """Was a traceback (HTTP 200: «Invalid server response»), or «the Bot API rejected the token»
    (404), each after python-telegram-bot had logged the whole page and a traceback."""
    handler = type("Page", (_Page,), {"status": status})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    config = tmp_path / "bot.toml"
    config.write_text(f'[bot]\napi_base_url = "http://127.0.0.1:{server.server_address[1]}/bot"\nstart_attempts = 2\n')
    try:
        result = run("bot", "-q", data_dir=data_dir, config=config, env={"TELEGRAM_BOT_TOKEN": "123:secret-half"})
    finally:
        server.shutdown()
        server.server_close()
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.returncode == 1 and len(lines) == 2 and "Traceback" not in result.stderr, result.stderr
    assert "answered with a page that is not the Bot API's" in lines[-1] and "rejected the token" not in result.stderr
    assert "PAGE-BODY" not in result.stderr and "secret-half" not in result.stderr


def test_a_webhook_telegram_refuses_is_one_line_naming_it(tmp_path, data_dir):
    """Telegram calls only https webhooks; its refusal of setWebhook was a traceback (twice)."""
    standin = StandIn().start()
    config = tmp_path / "bot.toml"
    config.write_text(f'[bot]\napi_base_url = "{standin.base_url}"\n')
    port = free_port()
    args = ["bot", "-q", "--listen", "127.0.0.1", "--port", str(port), "--webhook-url", "http://bot.example/hook"]
    try:
        result = run(*args, data_dir=data_dir, config=config, env={"TELEGRAM_BOT_TOKEN": "123:TEST"})
    finally:
        standin.stop()
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("pasokh: error")]
    assert errors == [
        "pasokh: error: Telegram refused the webhook http://bot.example/hook: Bad webhook: https url must be provided for webhook"
    ]


def test_a_webhook_port_another_program_holds_stops_the_bot_before_it_loads_naming_the_port(tmp_path):
    """Was «Address already in use», without the address, after the corpus had loaded and the
    bot had said it was serving."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        port = held.getsockname()[1]
        args = ["bot", "--listen", "127.0.0.1", "--port", str(port), "--webhook-url", "https://bot.example/hook"]
        result = run(*args, data_dir=tmp_path / "data", env={"TELEGRAM_BOT_TOKEN": "123:TEST"})
    assert result.returncode == 1 and one_line(result.stderr), result.stderr
    assert f"cannot listen on 127.0.0.1:{port} for the webhook: Address already in use" in result.stderr
    assert not (tmp_path / "data").exists(), "refused before the corpus was loaded"


def test_a_token_revoked_while_the_bot_runs_stops_it_with_one_line_and_a_failure(tmp_path, data_dir):
    """Revoked with @BotFather (a token that leaked), the token ended python-telegram-bot's
    polling loop with a traceback and left the process up, deaf, its /readyz still ready, so a
    supervisor never restarted it nor showed anything wrong."""
    standin = StandIn(tokens=frozenset({"123:GOOD"})).start()
    config = tmp_path / "bot.toml"
    config.write_text(f'[bot]\napi_base_url = "{standin.base_url}"\nreload_seconds = 0.5\n')
    env = {**os.environ, "PASOKH_DATA_DIR": str(data_dir), "TELEGRAM_BOT_TOKEN": "123:GOOD", "PYTHONIOENCODING": "utf-8"}
    bot = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "bot", "-q", "--config", str(config)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while standin._polls < 2:  # polling: the bot serves
            assert time.monotonic() < deadline and bot.poll() is None
            time.sleep(0.1)
        standin.tokens = frozenset()  # revoked: every call now answers 401, as Telegram does
        _, stderr = bot.communicate(timeout=90)
    finally:
        if bot.poll() is None:
            bot.kill()
        standin.stop()
    assert bot.returncode == 1 and "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert lines[-1] == "pasokh: error: the Bot API rejected the token while the bot ran (revoked or replaced with @BotFather?)"


def test_a_data_directory_on_a_network_filesystem_is_warned_of_once_and_a_local_one_is_not(tmp_path, monkeypatch, caplog):
    """SQLite's locks are unreliable over NFS and SMB: an operator who shares a mounted data
    directory between machines (a bot replica on each) risks the database, and heard nothing.
    The mount table is the kernel's own format; here it names the test's folder as NFS."""
    from app import cli
    from retrieval.store.backends.sqlite import filesystem

    shared = tmp_path / "shared mount"
    (shared / "data").mkdir(parents=True)
    point = str(shared.resolve()).replace(" ", "\\040")
    table = tmp_path / "mountinfo"
    table.write_text(
        "22 27 0:21 / /proc rw,relatime - proc proc rw\n27 1 254:1 / / rw,relatime - ext4 /dev/vda rw\n"
        f"88 27 0:55 / {point} rw,relatime shared:40 - nfs4 fileserver:/export/pasokh rw,vers=4.2\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(filesystem, "MOUNTINFO", table)
    monkeypatch.setenv("PASOKH_DATA_DIR", str(shared / "data"))
    monkeypatch.setenv("PASOKH_DATABASE_URL", "")
    config = tmp_path / "config.toml"
    config.write_text("include_demo = false\n", encoding="utf-8")
    assert cli.main(["stats", "--config", str(config)]) == 0
    assert cli.main(["stats", "--config", str(config)]) == 0
    warned = [r for r in caplog.records if "network filesystem" in r.getMessage()]
    assert len(warned) == 1 and warned[0].levelname == "WARNING", "once a process, not at every open"
    said = warned[0].getMessage()
    assert "(nfs4)" in said and str(shared / "data") in said and 'backend = "postgres"' in said
    caplog.clear()
    monkeypatch.setenv("PASOKH_DATA_DIR", str(tmp_path / "local"))
    monkeypatch.setattr(filesystem, "MOUNTINFO", filesystem.MOUNTINFO.__class__("/proc/self/mountinfo"))
    assert cli.main(["stats", "--config", str(config)]) == 0
    assert not [r for r in caplog.records if "network filesystem" in r.getMessage()]


def test_the_mount_a_path_is_on_is_the_longest_mount_point_over_it():
    from pathlib import Path

    from retrieval.store.backends.sqlite.filesystem import filesystem_of

    table = (
        "27 1 254:1 / / rw - ext4 /dev/vda rw\n"
        "40 27 0:50 / /srv rw - nfs4 server:/srv rw\n"
        "41 40 0:51 / /srv/local\\040disk rw - xfs /dev/vdb rw\n"
        "not a mountinfo line\n"
    )
    assert filesystem_of(Path("/srv/pasokh/data"), table) == "nfs4"
    assert filesystem_of(Path("/srv/local disk/data"), table) == "xfs"
    assert filesystem_of(Path("/srvx/data"), table) == "ext4", "a mount point is a whole path component"
    assert filesystem_of(Path("/home/x"), "") is None
