"""What one scan of a data directory's inverted file costs, by depth and by how the file is read.

    python bench/ivf_scan.py --data DIR [--questions 150]

Embeds PQuAD validation questions and searches the served base (an IVF base: `pasokh index
--compact` past `exact_limit`) with the snapshot's own search parameters: k = 100 and k = 1,600
on the memory-mapped file as a reader opens it (``VectorIndex.load_base``: 4 prefetch threads),
the same mapping with FAISS's default of 32 threads touching the lists before each search, the
coarse quantizer alone, and the index read into memory. Prints p50 / p95 milliseconds and the
codes scanned a question. The depth rows are why ``Snapshot.nearest`` scans 1,600 deep once
rather than 100 and then 1,600; the last rows are what the prefetch threads cost and what
keeping the base in memory would buy (docs/performance.md, "One scan of the inverted file a
question" and "Fewer objects, fewer prefetch threads").
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale import percentile, pquad_questions  # noqa: E402  (bench/scale.py)

from app.config import load_config  # noqa: E402
from embeddings import load_embedder  # noqa: E402
from retrieval.store.backends.sqlite.faiss_index import VectorIndex  # noqa: E402


def timed(label: str, queries: np.ndarray, search: Callable[[np.ndarray], object]) -> None:
    stats = faiss.cvar.indexIVF_stats
    stats.reset()
    ms = []
    for q in queries:
        started = time.perf_counter()
        search(q.reshape(1, -1))
        ms.append((time.perf_counter() - started) * 1000)
    scanned = f"{stats.ndis / len(queries):>9,.0f}" if stats.ndis else f"{'-':>9}"
    print(f"| {label} | {percentile(ms, 0.5):.2f} ms | {percentile(ms, 0.95):.2f} ms | {scanned} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--questions", type=int, default=150)
    args = parser.parse_args()
    config = load_config(str(ROOT / "config.toml"))
    embedder = load_embedder(config.embedder)
    index = VectorIndex(args.data / "index", embedder.name, embedder.dimension)
    info = index.read_info()
    if info.kind != "ivf":
        sys.exit(f"{args.data}: the base is {info.kind!r}, not an inverted file")
    queries = np.ascontiguousarray(embedder.encode_queries(pquad_questions(args.questions, seed=1)), dtype=np.float32)
    params = faiss.SearchParametersIVF(nprobe=index.policy.nprobe)
    path = str(index.dir / info.file)
    served = index.load_base(info)  # as a reader opens it
    prefetching = faiss.read_index(path, faiss.IO_FLAG_MMAP | faiss.IO_FLAG_READ_ONLY)  # FAISS's defaults
    print(f"{info.count:,} vectors, {info.nlist:,} lists, nprobe {index.policy.nprobe}, {len(queries)} questions")
    print("| search | p50 | p95 | codes scanned |\n|---|---|---|---|")
    for _ in range(2):  # the first pass maps the pages it touches
        timed("mapped, k = 100", queries, lambda q: served.search(q, 100, params=params))
    timed("mapped, k = 1,600", queries, lambda q: served.search(q, 1_600, params=params))
    timed("mapped, FAISS's prefetch threads, k = 100", queries, lambda q: prefetching.search(q, 100, params=params))
    timed("mapped, FAISS's prefetch threads, k = 1,600", queries, lambda q: prefetching.search(q, 1_600, params=params))
    quantizer = faiss.extract_index_ivf(served).quantizer
    timed("the coarse quantizer alone", queries, lambda q: quantizer.search(q, index.policy.nprobe))
    loaded = faiss.read_index(path)
    timed("in memory, k = 100", queries, lambda q: loaded.search(q, 100, params=params))
    timed("in memory, k = 1,600", queries, lambda q: loaded.search(q, 1_600, params=params))

if __name__ == "__main__":
    main()
