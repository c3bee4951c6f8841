"""Fetch and extract throughput on the fixture agency pages, embedding excluded: how many article
pages per second Pasokh turns into prepared (cleaned, normalized, split) articles.

    python bench/fetch.py [--pages 300]

Prints pages/s for: extraction alone (trafilatura + htmldate + our decode), and the whole path
over real local HTTP (polite client with no per-host delay → decode → extract → prepare).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import logging  # noqa: E402

from pytest_httpserver import HTTPServer  # noqa: E402

from corpus.prepare import prepare  # noqa: E402
from news.client import Client  # noqa: E402
from news.pages import decode_html, extract, to_raw  # noqa: E402
from news.sources import FetchSettings  # noqa: E402
from tests.news.sites import LIBRARY, METRO, RAIN, Agency  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=300)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    agency = Agency(server, "/bench", "ایسنا")
    base = [LIBRARY, RAIN, METRO]
    for n in range(args.pages):
        story = base[n % 3]
        paragraphs = [*story.paragraphs, f"این خبر شماره {n} است."]
        agency.add(dataclasses.replace(story, slug=f"{story.slug}-{n}", paragraphs=paragraphs))
    urls = [agency.url(f"/news/{s.slug}") for s in agency.stories]
    client = Client(FetchSettings(min_host_delay_seconds=0, respect_robots=False))
    bodies = [client.get(u) for u in urls]

    started = time.perf_counter()
    for response in bodies:
        extract(decode_html(response.body, response.headers.get("content-type", "")), response.url)
    extract_rate = len(bodies) / (time.perf_counter() - started)

    started = time.perf_counter()
    sentences = 0
    for url in urls:
        response = client.get(url)
        page = extract(decode_html(response.body, response.headers.get("content-type", "")), response.url)
        sentences += len(prepare(to_raw(page, "ایسنا", origin=url)).sentences)
    whole = time.perf_counter() - started
    server.stop()
    print(f"{len(urls)} fixture pages ({sum(len(b.body) for b in bodies) / len(bodies) / 1024:.1f} KB each), 2 cores:")
    print(f"  extract only (decode + trafilatura + htmldate):        {extract_rate:6.1f} pages/s")
    rate = len(urls) / whole
    print(f"  fetch over local HTTP + extract + prepare (no embedding): {rate:6.1f} pages/s, {sentences / whole:.0f} sentences/s")


if __name__ == "__main__":
    main()
