"""Logging for every command: one format with timestamps (or one JSON object a line, for log
shippers), and the Bot API token redacted from every line whatever library writes it (httpx
logs request URLs, and the token is in the URL).

A record is one line whatever its message holds: what it names came from outside as often as not
(a URL, a header, a file's name), and a newline in it started a line of its sender's making.
In text, its message is escaped (:mod:`app.terminal`) and a traceback keeps its lines, each
indented, so every line that starts at the margin is a record of Pasokh's; in JSON, what JSON
itself leaves raw (C1 codes, direction controls, line separators) is escaped too, and a JSON
reader gets the message back as it was."""

from __future__ import annotations

import json
import logging
import sys

from app.terminal import one_line, shown

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%dT%H:%M:%S"


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


class OneLine(logging.Filter):
    """Makes a record's message one line of characters that show as themselves, and its
    traceback lines without codes that act (tracebacks quote exception texts, which quote input)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: logging reports it when it emits
            return True
        record.msg, record.args = one_line(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = shown(record.exc_text)
        if record.stack_info:
            record.stack_info = shown(record.stack_info)
        return True


class TextLines(logging.Formatter):
    """The text format, with every line after a record's first (its traceback) indented."""

    def format(self, record: logging.LogRecord) -> str:
        first, *rest = super().format(record).split("\n")
        return "\n".join([first, *("    " + line for line in rest)])


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
        return one_line(json.dumps(entry, ensure_ascii=False))  # what JSON leaves raw, as \uXXXX escapes


def setup_logging(level: int, *secrets: str | None, fmt: str = "text") -> None:
    logging.basicConfig(level=level, format=FORMAT, datefmt=DATE_FORMAT, stream=sys.stderr)
    for handler in logging.getLogger().handlers:
        handler.addFilter(Redact(*secrets))
        if fmt == "json":
            handler.setFormatter(JsonLines())
        else:
            handler.addFilter(OneLine())
            handler.setFormatter(TextLines(FORMAT, DATE_FORMAT))
