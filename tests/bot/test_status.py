"""/healthz, /readyz and /metrics of a running bot, read over HTTP and parsed with
prometheus_client's own parser: the counters move as questions are asked."""

from __future__ import annotations

import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from app.cli import _bot_status
from tests.bot.harness import QUESTION, ask


def get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def samples(text: str) -> dict[str, float]:
    return {s.name: s.value for family in text_string_to_metric_families(text) for s in family.samples if not s.labels}


def test_health_readiness_and_metrics_follow_the_bot(open_bot, demo_engine):
    standin, runner = open_bot
    status = _bot_status(demo_engine, runner.app, 0)
    try:
        assert get(status.port, "/healthz") == (200, "ok\n")
        assert get(status.port, "/readyz")[0] == 200
        before = samples(get(status.port, "/metrics")[1])
        ask(standin, QUESTION)
        ask(standin, "قیمت دلار امروز در بازار آزاد چند است؟")
        after = samples(get(status.port, "/metrics")[1])
        assert after["pasokh_questions_total"] == before.get("pasokh_questions_total", 0) + 2
        assert after["pasokh_answers_total"] >= before.get("pasokh_answers_total", 0) + 1
        assert after["pasokh_abstentions_total"] >= before.get("pasokh_abstentions_total", 0) + 1
        assert after["pasokh_question_seconds_count"] == before.get("pasokh_question_seconds_count", 0) + 2
        assert after["pasokh_corpus_articles"] == demo_engine.stats().articles > 0
        assert 0 <= after["pasokh_seconds_since_refresh"] < 60
    finally:
        status.stop()
