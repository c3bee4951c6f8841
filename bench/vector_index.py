"""Which FAISS index for the sentence vectors: exact, IVF (flat or 8-bit) or HNSW, measured.

    python bench/vector_index.py [--data data/scale/data] [--queries 200] [--hnsw-limit 200000]

Reads every stored vector of a data directory (bench/scale.py leaves a 1M-sentence one) and,
for each candidate index, prints build seconds, memory (serialized bytes), search p50/p95 for
one query at k=100 (what the pipeline asks) and recall@10 against exact search. Queries are
PQuAD questions embedded with the configured embedder. Recall counts a hit when it scores at
least the exact 10th best: a recombined corpus holds many copies of one vector, and which copy
comes back does not matter. HNSW is built on the first ``--hnsw-limit`` vectors only (its build
is the slowest by far, and the row says how many it saw).
"""

from __future__ import annotations

import argparse
import os
import random
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import load_config  # noqa: E402
from embeddings import load_embedder  # noqa: E402
from evaluation.datasets import load_dataset  # noqa: E402
from retrieval.store.backends.sqlite.faiss_index import IndexPolicy, decode  # noqa: E402


def load(data: Path, dim: int) -> tuple[np.ndarray, np.ndarray]:
    db = sqlite3.connect(data / "pasokh.sqlite3")
    ids, parts = [], []
    cursor = db.execute(
        "SELECT s.sentence_id, v.vector FROM sentence_vectors s JOIN vectors v ON v.key = s.key ORDER BY s.sentence_id"
    )
    while rows := cursor.fetchmany(100_000):
        ids.append(np.array([r[0] for r in rows], dtype=np.int64))
        parts.append(decode([r[1] for r in rows], dim))
    return np.concatenate(ids), np.vstack(parts)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(name: str, index: faiss.Index, queries: np.ndarray, tenth: np.ndarray, built: float, params=None, exact=None) -> None:  # type: ignore[no-untyped-def]
    """One row. ``exact`` (id -> row of the stored vectors) adds the served recall: the index's
    top 100 re-scored with the stored vectors, as the store serves a question asking for 50."""
    times, found, served = [], 0, 0
    for q, floor in zip(queries, tenth, strict=True):
        t0 = time.perf_counter()
        scores, ids = index.search(q.reshape(1, -1), 100, params=params) if params else index.search(q.reshape(1, -1), 100)
        times.append((time.perf_counter() - t0) * 1000)
        found += int((scores[0][:10] >= floor - 1e-3).sum())
        if exact is not None:
            rows, vectors = exact
            kept = ids[0][ids[0] >= 0]
            rescored = np.sort(vectors[np.searchsorted(rows, kept)] @ q)[::-1][:10]
            served += int((rescored >= floor - 1e-3).sum())
    size = faiss.serialize_index(index).nbytes / 2**20
    print(
        f"{name:28} {index.ntotal:>9,} {built:>8.1f} {size:>8.0f} {statistics.median(times):>7.2f} "
        f"{percentile(times, 0.95):>7.2f} {found / (10 * len(queries)):>9.3f}"
        + (f" {served / (10 * len(queries)):>9.3f}" if exact is not None else ""),
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "scale" / "data")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--hnsw-limit", type=int, default=200_000)
    parser.add_argument(
        "--kinds", default="flat,sq8,sqfp16,hnsw", help="of flat, sq8, sq6, sq4, sqfp16, pqM (M bytes a vector), hnsw"
    )
    args = parser.parse_args()
    kinds_wanted = set(args.kinds.split(","))
    config = load_config(None, {**os.environ, "PASOKH_DATA_DIR": str(args.data)})
    embedder = load_embedder(config.embedder)
    dim = embedder.dimension
    ids, vectors = load(args.data, dim)
    items = load_dataset(ROOT.parent / "shared" / "eval" / "pquad_validation.json").items
    questions = random.Random(1).sample([i.question for i in items if i.article], args.queries)
    queries = embedder.encode_queries(questions).astype(np.float32)
    tenth = np.array([np.sort(vectors @ q)[-10] for q in queries], dtype=np.float32)
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    print(f"{len(ids):,} vectors of {dim} dimensions; {len(queries)} PQuAD questions; k=100 per search")
    print(
        f"{'index':28} {'vectors':>9} {'build s':>8} {'MB':>8} {'p50 ms':>7} {'p95 ms':>7} {'recall@10':>9} "
        f"{'re-scored':>9}"
    )

    if "flat" in kinds_wanted:
        t0 = time.perf_counter()
        flat = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        flat.add_with_ids(vectors, ids)
        measure("flat (exact)", flat, queries, tenth, time.perf_counter() - t0)
        del flat

    nlist = IndexPolicy.nlist_for(len(ids))
    sample = vectors[np.random.default_rng(0).choice(len(vectors), min(len(vectors), 40 * nlist), replace=False)]
    exact = (ids, vectors)  # ids ascend: stored order
    kinds = [(f"IVF{nlist},SQ8", "sq8"), (f"IVF{nlist},SQ6", "sq6"), (f"IVF{nlist},SQ4", "sq4")]
    kinds += [(f"IVF{nlist},SQfp16", "sqfp16")]
    kinds += [(f"IVF{nlist},PQ{k[2:]}", k) for k in sorted(kinds_wanted) if k.startswith("pq")]
    for label, kind in kinds:
        if kind not in kinds_wanted:
            continue
        t0 = time.perf_counter()
        coarse = faiss.IndexFlatIP(dim)
        if kind.startswith("pq"):
            ivf = faiss.IndexIVFPQ(coarse, dim, nlist, int(kind[2:]), 8, faiss.METRIC_INNER_PRODUCT)
        else:
            qt = {
                "sq8": faiss.ScalarQuantizer.QT_8bit,
                "sq6": faiss.ScalarQuantizer.QT_6bit,
                "sq4": faiss.ScalarQuantizer.QT_4bit,
                "sqfp16": faiss.ScalarQuantizer.QT_fp16,
            }[kind]
            ivf = faiss.IndexIVFScalarQuantizer(coarse, dim, nlist, qt, faiss.METRIC_INNER_PRODUCT)
        ivf.train(sample)
        ivf.add_with_ids(vectors, ids)
        built = time.perf_counter() - t0
        for nprobe in (16, 32, 48, 64):
            params = faiss.SearchParametersIVF(nprobe=nprobe)
            measure(f"{label} nprobe={nprobe}", ivf, queries, tenth, built, params, exact)
        del ivf

    if "hnsw" not in kinds_wanted:
        return
    limit = min(args.hnsw_limit, len(ids))
    sub_tenth = np.array([np.sort(vectors[:limit] @ q)[-10] for q in queries], dtype=np.float32)
    t0 = time.perf_counter()
    hnsw = faiss.IndexHNSWFlat(dim, 32, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = 80
    hnsw.add(vectors[:limit])
    built = time.perf_counter() - t0
    for ef in (64, 128):
        measure(f"HNSW32 ef={ef} (first {limit:,})", hnsw, queries, sub_tenth, built, faiss.SearchParametersHNSW(efSearch=ef))


if __name__ == "__main__":
    main()
