"""One open bot (no allowlist) per test module that asks for it, on its own stand-in and data directory."""

from __future__ import annotations

import pytest

from tests.bot.harness import bot_config, start_bot
from tests.bot.standin import StandIn


@pytest.fixture(scope="module")
def open_bot(demo_engine, tmp_path_factory):
    standin = StandIn().start()
    config = bot_config(demo_engine, standin, data_dir=tmp_path_factory.mktemp("bot"), questions_per_minute=100)
    runner = start_bot(config, demo_engine)
    yield standin, runner
    runner.stop()
    standin.stop()
