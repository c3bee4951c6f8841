"""Building a ready Engine from a Config: the one place front ends get one from.

A fresh data directory is filled with the built-in demo corpus first (when configured),
so `pasokh ask` works straight after install.
"""

from __future__ import annotations

import functools
import logging
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path

from app.config import Config, ConfigError
from corpus.errors import InputFileError
from corpus.read import RawArticle
from embeddings import load_embedder
from retrieval import Engine, IngestReport, connect, count_inputs, ingest
from retrieval.store.state import StateKind

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoSeeding:
    """The demo corpus was put into this store once (a user who removes it keeps it removed)."""

    articles: int = 0
    at: float | None = None


SEEDING = StateKind("demo_seeding", DemoSeeding, legacy=lambda _: "demo_seeded", from_legacy=lambda _: DemoSeeding())
ProgressFactory = Callable[[int, str], AbstractContextManager[Callable[[int], None]]]


def open_engine(config: Config, adopt: bool = True) -> Engine:
    """``adopt=False``: embed in the configured passage form even over vectors made in the other
    one (what `pasokh index --rebuild` converts them to); see :func:`retrieval.connect`."""
    data_dir = config.data_dir
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot create the data directory {data_dir}: {exc.strerror}") from exc
    if not os.access(data_dir, os.W_OK | os.X_OK):
        raise ConfigError(f"the data directory {data_dir} is not writable; set data_dir in config.toml or PASOKH_DATA_DIR")
    return connect(config.storage, data_dir, load_embedder(config.embedder), config.retrieval, adopt=adopt)


def ready_engine(config: Config, progress: ProgressFactory | None = None) -> Engine:
    """Open, seed a fresh data directory with the demo corpus if configured, and load both indexes."""
    engine = open_engine(config)
    report = seed_demo(engine, config, progress)
    if report is not None:
        logger.info("demo corpus: %d articles, %d sentences", len(report.added), report.sentences)
    engine.load()
    return engine


def seed_demo(engine: Engine, config: Config, progress: ProgressFactory | None = None) -> IngestReport | None:
    """Ingest the demo corpus once into a fresh store; a user who removes it keeps it removed."""
    if not config.include_demo or SEEDING.load(engine.storage.state) is not None or not engine.is_empty():
        return None
    report = run_ingest(engine, [config.demo_dir], progress, "building the demo index")
    SEEDING.save(engine.storage.state, DemoSeeding(articles=len(report.added), at=time.time()))
    return report


def run_ingest(
    engine: Engine,
    paths: Sequence[Path],
    progress: ProgressFactory | None,
    label: str = "ingesting",
    channel: str | None = None,
) -> IngestReport:
    """Ingest files and folders: .txt, .jsonl, saved web pages (.html, read as `pasokh fetch`
    reads a page) and Telegram Desktop exports of channels (.json, read as `pasokh fetch` reads a
    channel's posts; ``channel`` is its public handle, for its posts' links)."""
    read_export = functools.partial(_telegram_export, handle=channel)
    if progress is None:
        return ingest(engine, paths, read_page=_saved_page, read_export=read_export)
    with progress(count_inputs(paths, pages=True, exports=True, in_export=_export_messages), label) as tick:
        return ingest(engine, paths, tick, read_page=_saved_page, read_export=read_export)


def _telegram_export(path: Path, handle: str | None) -> Iterator[RawArticle | InputFileError] | None:
    """``news.telegram_export.read_export``, or a site's WordPress export (.xml), imported at the
    first export found, as pages are."""
    if path.suffix.lower() == ".xml":
        from news.wordpress import read_wordpress

        return read_wordpress(path)
    from news.telegram_export import read_export

    return read_export(path, handle)


def _export_messages(path: Path) -> int:
    """Messages in a chat's export (JSON, a page of HTML) or a saved channel preview, or the
    items of a WordPress export, for the progress bar; 0 for a news page."""
    if path.suffix.lower() == ".xml":
        from news.wordpress import posts_in

        return posts_in(path)
    from news.telegram_export import messages_in

    return messages_in(path)


def _saved_page(path: Path) -> RawArticle:
    """``news.inspect.saved_page``, imported at the first page found: the page reader and
    trafilatura take about 0.2 s to import, which the demo's seeding and an ingest of text files
    never need (before, any folder given loaded them)."""
    from news.inspect import saved_page

    return saved_page(path)
