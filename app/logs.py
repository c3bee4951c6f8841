"""Logging for every command: one format with timestamps (or one JSON object a line, for log
shippers), and the Bot API token redacted from every line whatever library writes it (httpx
logs request URLs, and the token is in the URL)."""

from __future__ import annotations

import json
import logging
import sys

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class Redact(logging.Filter):
    """Replaces secrets in a record's message (and its traceback) before any handler formats it."""

    def __init__(self, *secrets: str | None) -> None:
        super().__init__()
        found = {s for s in secrets if s} | {s.partition(":")[2] for s in secrets if s and ":" in s}
        self.secrets = sorted((s for s in found if len(s) >= 6), key=len, reverse=True)

    def _clean(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "<token>")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            record.msg = self._clean(record.getMessage())
            record.args = None
            if record.exc_info:
                record.exc_text = self._clean(logging.Formatter().formatException(record.exc_info))
                record.exc_info = None
        return True


class JsonLines(logging.Formatter):
    """One JSON object a line: time, level, logger, message (and the traceback, when there is one)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text or record.exc_info:
            entry["traceback"] = record.exc_text or self.formatException(record.exc_info)  # type: ignore[arg-type]
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(level: int, *secrets: str | None, fmt: str = "text") -> None:
    logging.basicConfig(level=level, format=FORMAT, datefmt="%Y-%m-%dT%H:%M:%S", stream=sys.stderr)
    for handler in logging.getLogger().handlers:
        handler.addFilter(Redact(*secrets))
        if fmt == "json":
            handler.setFormatter(JsonLines())
