"""What filling and training the inverted file on every core buys a compaction.

    python bench/ivf_threads.py --data DIR [--vectors 200000] [--runs 2]

Loads the served IVF base of a data directory (e.g. the scale bench's 1M corpus) and adds
``--vectors`` of its stored vectors to a copy of it, first as faiss does in one call
(``add_with_ids``), then through ``retrieval.store.backends.sqlite.ivf_build.add``; then trains
an index with the base's list count on 40 sampled vectors a list, on one thread and on all.
Prints seconds, microseconds a vector and the cores' worth of CPU each used.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval.store.backends.sqlite import ivf_build  # noqa: E402
from retrieval.store.backends.sqlite.faiss_index import decode  # noqa: E402


def timed(fn) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(wall seconds, cores' worth of CPU) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    wall = time.perf_counter() - wall
    return wall, (time.process_time() - cpu) / wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--vectors", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    info = json.loads((args.data / "index" / "vectors.json").read_text())
    if info.get("kind") != "ivf":
        raise SystemExit(f"{args.data}: the served index is {info.get('kind')!r}, not an inverted file")
    with sqlite3.connect(args.data / "pasokh.sqlite3") as db:
        query = (
            "SELECT s.sentence_id, v.vector FROM sentence_vectors s JOIN vectors v ON v.key = s.key "
            "ORDER BY s.sentence_id LIMIT ?"
        )
        rows = db.execute(query, (args.vectors,)).fetchall()
    ids = np.array([r[0] for r in rows], dtype=np.int64) + (1 << 40)  # new ids, as a compaction's delta
    vectors = decode([r[1] for r in rows], int(info["dimension"]))
    base = faiss.read_index(str(args.data / "index" / info["file"]))
    print(f"base: {base.ntotal:,} vectors in {base.nlist:,} lists; {len(vectors):,} to add; {ivf_build.threads()} threads")
    ways = {
        "one call (add_with_ids)": lambda index: index.add_with_ids(vectors, ids),
        "ivf_build.add": lambda index: ivf_build.add(index, vectors, ids),
    }
    for run in range(args.runs):
        for name, add in ways.items():
            index = faiss.clone_index(base)
            wall, cores = timed(lambda: add(index))  # noqa: B023
            print(f"run {run + 1}, {name}: {wall:.2f} s, {wall / len(vectors) * 1e6:.0f} µs a vector, {cores:.2f} cores")
            del index
    nlist = int(base.nlist)
    sample = vectors[: 40 * nlist]
    for workers in (1, ivf_build.threads()):
        index = faiss.IndexIVFScalarQuantizer(
            faiss.IndexFlatIP(base.d), base.d, nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        wall, cores = timed(lambda: ivf_build.train(index, sample, workers=workers))  # noqa: B023
        print(f"train {nlist:,} lists on {len(sample):,} vectors, {workers} thread(s): {wall:.1f} s, {cores:.2f} cores")


if __name__ == "__main__":
    main()
