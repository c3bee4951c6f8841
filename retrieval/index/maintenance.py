"""Rebuilding every index from the stored articles, checking that the store and its indexes agree,
and copying the whole store while it serves."""

from __future__ import annotations

import logging
import re
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from corpus.normalize import RUN_MEMO_CHARS, normalize, remembering
from corpus.prepare import terms_of
from corpus.records import Article, StoredSentence
from embeddings import PassageEmbedder
from embeddings.passages import adopted
from retrieval.engine import Engine
from retrieval.index.ingest import Progress, passages
from retrieval.settings import StorageSettings
from retrieval.store import repair_storage
from retrieval.store.capabilities import BackupReport, CheckReport, Embed, RepairReport

logger = logging.getLogger(__name__)

__all__ = [
    "BackupReport",
    "CheckReport",
    "RebuildReport",
    "RepairReport",
    "backup",
    "check",
    "compact",
    "dated_backup",
    "rebuild",
    "repair",
    "rotate_backups",
]


@dataclass
class RebuildReport:
    sentences: int = 0
    embedded: int = 0


def rebuild(engine: Engine, progress: Progress | None = None, reembed: bool = False) -> RebuildReport:
    """Recompute normalized text and lexical terms; re-embed only if the embedder changed (or asked)."""
    analyzer = engine.settings.analyzer
    must_embed = reembed or engine.storage.state.get_meta("vectors_embedder") != engine.embedder.name

    def derive(article: Article, sentences: list[StoredSentence]) -> tuple[list[str], list[str], str]:
        norms = [normalize(s.text) for s in sentences]
        terms, article_terms = terms_of(article, norms, analyzer)
        return norms, terms, article_terms

    with remembering(RUN_MEMO_CHARS):  # wire copy is normalized and analyzed once
        done, embedded = engine.storage.maintenance.rebuild(derive, embedding(engine.embedder) if must_embed else None, progress)
    engine.forget_articles()
    engine.load()
    return RebuildReport(done, embedded)


def embedding(embedder: PassageEmbedder) -> Embed:
    """Stored sentences to vectors, each in the passage form the embedder makes (headline and all)."""

    def embed(article: Article, sentences: Sequence[StoredSentence], norms: list[str]) -> np.ndarray:
        return embedder.encode_passages(passages(embedder, article, [s.start for s in sentences], norms))

    return embed


def repair(storage: StorageSettings, location: Path, embedder: PassageEmbedder) -> RepairReport | None:
    """Replace a damaged store by what can be read of it whole (see
    :mod:`retrieval.store.backends.sqlite.salvage`); None when nothing is damaged. A vector that
    was lost is embedded again in the form the stored ones were made in. The indexes are then
    rebuilt by :func:`rebuild` over the repaired store."""
    return repair_storage(storage, location, lambda stored: embedding(adopted(embedder, stored)))


def check(engine: Engine) -> CheckReport:
    """Same sentences everywhere, same counts, same embedder; every problem names its fix."""
    return engine.storage.maintenance.check()


def compact(engine: Engine) -> bool:
    """Write the vector index's changes into a new base now rather than at the next due ingest."""
    done = engine.storage.maintenance.compact()
    engine.refresh()
    return done


def backup(engine: Engine, destination: Path, wait: float = 0.0) -> BackupReport:
    """A whole copy of the corpus and the bots' state in a new folder, made while they serve."""
    return engine.storage.maintenance.backup(destination, wait)


# «pasokh-20261205T181845Z»: the folders `pasokh backup --into` makes, in the order they were made
_DATED = re.compile(r"^(pasokh-\d{8}T\d{6}Z)(?:-(\d+))?$")


def dated_backup(into: Path, now: datetime | None = None) -> Path:
    """A new folder in ``into`` named for the time (UTC), for a backup made on a schedule."""
    stamp = f"pasokh-{(now or datetime.now(UTC)):%Y%m%dT%H%M%SZ}"
    candidate, n = into / stamp, 1
    while candidate.exists():
        candidate, n = into / f"{stamp}-{n}", n + 1
    return candidate


def rotate_backups(into: Path, keep: int) -> list[Path]:
    """Remove the oldest of the backups `--into` made in ``into`` but the newest ``keep``; never
    a folder it did not name, nor one that holds no corpus. Returns those removed."""
    made = sorted(
        (stamp.group(1), int(stamp.group(2) or 0), p)
        for p in into.iterdir()
        if (stamp := _DATED.match(p.name)) and p.is_dir() and (p / "pasokh.sqlite3").exists()
    )
    gone = [p for *_, p in made[: max(0, len(made) - keep)]]
    for path in gone:
        shutil.rmtree(path)
    return gone
