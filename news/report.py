"""The watcher's last word, kept in a small file in its data directory.

Each source's state lives in the store, so while the database is away `pasokh sources` cannot
read it, and that is exactly when an operator runs it. After every pass, and whenever the store
goes away or comes back, `pasokh watch` rewrites this file: when it last got through, whether
the store answers (and since when it has not), and the per-source rows as it last saw them.
`pasokh sources` shows it beside what the store says, or instead of it when the store cannot
be asked. The file is only ever replaced whole; a damaged one is rewritten at the next pass.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from corpus.atomic import atomic_write

REPORT_NAME = "watch-report.json"


class ReportError(ValueError):
    """The report file exists but cannot be read."""


@dataclass
class WatchReport:
    updated: float = 0.0  # when the watcher last wrote this
    last_check: float | None = None  # when the watcher last went through its sources with the store answering
    store_error: str | None = None  # why the store does not answer, while it does not
    store_away_since: float | None = None
    sources: list[dict[str, object]] = field(default_factory=list)

    def store_away(self, error: str, now: float | None = None) -> None:
        now = time.time() if now is None else now
        if self.store_error is None:
            self.store_away_since = now
        self.store_error = error
        self.updated = now

    def got_through(self, rows: list[dict[str, object]], now: float | None = None) -> None:
        now = time.time() if now is None else now
        self.store_error = self.store_away_since = None
        self.last_check = self.updated = now
        self.sources = rows

    def write(self, path: Path) -> None:
        atomic_write(path, json.dumps(asdict(self), ensure_ascii=False, indent=1).encode("utf-8"))


def read_report(path: Path) -> WatchReport | None:
    """The report at ``path``; None when no watcher has written one there."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return WatchReport(**raw)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError) as exc:
        raise ReportError(f"{path} is damaged ({exc}); `pasokh watch` rewrites it at its next pass") from exc
