"""What the shipped ranker and abstention thresholds were fitted on, kept in ``fitted.json``.

Both are fitted to one embedder's cosines: another embedder spreads its scores differently, so
the same thresholds refuse too much or too little and the ranker weighs a feature it never saw
on that scale. The bench scripts that fit them (``bench/train_ranker.py``,
``bench/calibrate_abstention.py``) record the embedder, the data and the values here, and the
engine warns once when the configured embedder is another.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from corpus.atomic import atomic_write

logger = logging.getLogger(__name__)
FITTED = Path(__file__).with_name("fitted.json")


@dataclass(frozen=True)
class Part:
    """How the warning names a fitted part: «<subject> fitted with …: expect <off> to be off until
    you refit <pronoun> (<script>)»."""

    subject: str
    off: str
    pronoun: str
    script: str


PARTS = {
    "ranker": Part("the learned ranker was", "rankings", "it", "bench/train_ranker.py"),
    "abstention": Part("the abstention thresholds were", "abstentions", "them", "bench/calibrate_abstention.py"),
}


@dataclass(frozen=True)
class Fit:
    embedder: str
    data: tuple[str, ...]
    values: dict[str, object]
    at: str


def load(path: Path = FITTED) -> dict[str, Fit]:
    """Each fitted part; empty when the file is missing or unreadable (nothing to compare against)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return {part: Fit(f["embedder"], tuple(f["data"]), dict(f.get("values", {})), f.get("at", "")) for part, f in raw.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def record(part: str, embedder: str, data: list[str], values: dict[str, object], path: Path = FITTED) -> None:
    """Write one part's provenance (what a bench script fitted), keeping the others."""
    fits = {p: f.__dict__ | {"data": list(f.data)} for p, f in load(path).items()}
    fits[part] = {"embedder": embedder, "data": data, "values": values, "at": time.strftime("%Y-%m-%d")}
    atomic_write(path, (json.dumps(fits, ensure_ascii=False, indent=2) + "\n").encode("utf-8"))


def mismatches(embedder: str, path: Path = FITTED) -> list[str]:
    """One line per part fitted with another embedder than ``embedder``."""
    lines = []
    for part, fit in load(path).items():
        if fit.embedder != embedder:
            named = PARTS.get(part, Part(f"{part} was", "abstentions", "them", "bench/"))
            lines.append(
                f"{named.subject} fitted with {fit.embedder}, not {embedder}: expect {named.off} to be off "
                f"until you refit {named.pronoun} ({named.script})"
            )
    return lines


@lru_cache(maxsize=8)
def warn_once(embedder: str) -> None:
    for line in mismatches(embedder):
        logger.warning("%s", line)
