"""What the news tests share: a client for the stand-in sites on 127.0.0.1 (no host delay, no
robots.txt, one quick retry). A test module that needs other settings defines its own."""

from __future__ import annotations

import pytest

from news.client import Client
from news.sources import FetchSettings


@pytest.fixture
def client():
    return Client(FetchSettings(min_host_delay_seconds=0, respect_robots=False, retries=1, backoff_seconds=0.01))
