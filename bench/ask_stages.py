"""Where a warm question's time goes, stage by stage, on a data directory.

    python bench/ask_stages.py --data DIR [--questions 200] [--fts5]
    PASOKH_DATABASE_URL=postgresql://... python bench/ask_stages.py --data DIR --postgres [--corpus NAME]

Wraps the storage's reads, the embedder and the pipeline's stages with timers, asks
``--questions`` PQuAD validation questions in one process (after 20 to warm up) and prints the
mean milliseconds and calls per question of each, largest first, with the ask's mean and p50,
and beside them the same mean over the slowest tenth of the questions (where p95 goes).
Stages nest (``gather`` holds the searches), so the column does not sum. ``--fts5`` serves
lexical search from FTS5 instead of the snapshot's postings, for a comparison in one run.
``--postgres`` asks the copy of DIR that ``bench/backends.py`` made in PostgreSQL instead of DIR
itself: in the configured schema for ``backends.py --data DIR``, in the corpus's own for
``backends.py --sentences N`` (``--corpus`` the grown directory's name), and counts the statements
sent to the server (each a round trip) in a row of their own.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import functools
import gc
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale import ask_times, percentile, pquad_questions  # noqa: E402  (bench/scale.py)

import retrieval.answer.pipeline as pipeline  # noqa: E402
import retrieval.rank.features as features  # noqa: E402
import retrieval.rank.learned as learned  # noqa: E402
import retrieval.rank.score as score  # noqa: E402
import retrieval.search.gather as gather  # noqa: E402
from app.config import load_config  # noqa: E402
from embeddings import load_embedder  # noqa: E402
from retrieval import connect  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--fts5", action="store_true", help="lexical search from FTS5, not the postings")
    parser.add_argument("--postgres", action="store_true", help="the copy in PostgreSQL (PASOKH_DATABASE_URL)")
    parser.add_argument("--corpus", help="with --postgres: the evaluation corpus's name (its own schema)")
    args = parser.parse_args()
    config = load_config(str(ROOT / "config.toml"))
    embedder = load_embedder(config.embedder)
    if args.postgres:
        url = os.environ["PASOKH_DATABASE_URL"]
        storage = dataclasses.replace(config.storage, backend="postgres", database_url=url)
        engine = connect(storage, args.data, embedder, config.retrieval, corpus=args.corpus)
    else:
        engine = connect(config.storage, args.data, embedder, config.retrieval)
    engine.load()
    engine.warm()  # as the bot does at start
    backend = engine.storage.lifecycle
    if args.fts5:
        backend.snap = dataclasses.replace(backend.snap, lexical=None, articles=None)
    spent: collections.Counter[str] = collections.Counter()
    calls: collections.Counter[str] = collections.Counter()

    def timed(owner: object, name: str, label: str) -> None:
        inner = getattr(owner, name, None)
        if inner is None:  # a read the code measured does not have (an older checkout)
            return

        @functools.wraps(inner)
        def wrapper(*a: object, **k: object) -> object:
            started = time.perf_counter()
            try:
                return inner(*a, **k)
            finally:
                spent[label] += time.perf_counter() - started
                calls[label] += 1

        setattr(owner, name, wrapper)

    storage = engine.storage
    reads = (  # pairs, not a dict: one backend object is often both the lexical and the vector search
        (storage.lexical, ("search_sentences", "search_articles", "frequencies", "terms_of", "article_terms_of")),
        (storage.vectors, ("nearest", "nearest_distinct")),
        (
            storage.documents,
            (
                "sentences",
                "sentences_of",
                "openings",
                "neighbours",
                "published_times",
                "sentences_near",
                "sentences_around",
                "articles_by_id",
                "agencies",
                "copies",
                "candidates",
            ),
        ),
        (engine.embedder, ("encode_queries",)),
    )
    for owner, names in reads:
        for name in names:
            timed(owner, name, f"{type(owner).__name__}.{name}")
    for module, names in (
        (gather, ("understand", "gather")),
        (pipeline, ("judge", "conclude", "signals", "in_time", "also_ran", "select")),
        (score, ("fuse",)),
        (features, ("matrix",)),
    ):
        for name in names:
            timed(module, name, name)
    timed(learned.LearnedRanker, "rerank", "learned ranker")
    if args.postgres:  # every statement is a round trip to the server: counted apart from the stages
        for name in ("_rows", "_read"):
            timed(type(backend), name, "statements (round trips)")

    questions = pquad_questions(args.questions, seed=1)
    for q in questions[:20]:
        engine.ask(q)
    gc.collect()
    gc.freeze()
    spent.clear()
    calls.clear()
    asks, each = [], []  # each question's own stage times, for where the slowest tenth's goes
    for question in questions:
        before = spent.copy()
        asks += ask_times(engine, [question])
        each.append(spent - before)
    n = len(questions)
    slow = sorted(range(n), key=asks.__getitem__)[n - max(1, n // 10) :]
    tail: collections.Counter[str] = collections.Counter()
    for i in slow:
        tail.update(each[i])
    lexical = "fts5" if args.fts5 else engine.describe().get("lexical_index", "-")
    print(f"{args.data}: {n} questions, lexical search from {lexical}")
    print(
        f"ask mean {sum(asks) / n * 1000:.1f} ms, p50 {percentile(asks, 0.5) * 1000:.1f} ms, "
        f"p95 {percentile(asks, 0.95) * 1000:.1f} ms"
    )
    print(f"| stage | ms per question | calls per question | ms per question of the slowest {len(slow)} |")
    print("|---|---|---|---|")
    for label, seconds in spent.most_common():
        print(f"| {label} | {seconds / n * 1000:.2f} | {calls[label] / n:.1f} | {tail[label] / len(slow) * 1000:.2f} |")


if __name__ == "__main__":
    main()
