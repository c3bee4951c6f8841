"""`pasokh export FILE.jsonl`: every article as the JSONL `pasokh ingest` reads.

A corpus outlives its store: moved to another machine, read by another tool, or ingested again
under another embedder, it travels as text. Each line is one article as it was stored (its
title, the line over the headline, the cleaned text its quotes are slices of, the link, the
agency and the date it is cited with), so ingesting the file gives the same articles and the
same sentences. Vectors are not written: `pasokh migrate` copies those between stores.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from corpus.atomic import atomic_file
from corpus.records import Article
from retrieval.engine import Engine

STDOUT = Path("-")


def record_of(article: Article) -> dict[str, str]:
    """The JSONL record `pasokh ingest` reads back into ``article``."""
    fields = {
        "id": article.id,
        "title": article.title,
        "kicker": article.kicker,
        "text": article.text,
        "url": article.url,
        "source": article.agency,
        "published": article.published,
        "news_code": article.news_code,
    }
    return {key: value for key, value in fields.items() if value}


def export(engine: Engine, destination: Path, progress: Callable[[int], None] | None = None) -> int:
    """Write every article to ``destination`` (gzip when it ends in ``.gz``; ``-`` is standard
    output), whole or not at all; returns how many."""
    count = 0
    with _output(destination) as out:
        for article in engine.iter_articles():
            out.write(json.dumps(record_of(article), ensure_ascii=False).encode("utf-8") + b"\n")
            count += 1
            if progress is not None:
                progress(1)
    return count


@contextmanager
def _output(destination: Path) -> Iterator[BinaryIO]:
    if destination == STDOUT:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    with atomic_file(destination) as fh:
        if destination.suffix.lower() != ".gz":
            yield fh
            return
        with gzip.GzipFile(filename=destination.stem, fileobj=fh, mode="wb") as packed:
            yield packed  # type: ignore[misc]
