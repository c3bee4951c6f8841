"""The first questions a reader answers while the page cache is cold, with and without FAISS's
prefetch threads for a mapped inverted file.

    sync; echo 1 > /proc/sys/vm/drop_caches   # as root, before each run
    python bench/cold_questions.py --data DIR [--config scale.toml] [--questions 60] [--prefetch N]

Opens the data directory as the bot does and asks ``--questions`` PQuAD validation questions in
a row, timing the first, the mean of the first ten, the p50 of the second half and the whole
run from opening. ``--prefetch N`` sets how many threads touch a mapped inverted file's lists
before each scan (FAISS's default 32; a reader's ``PREFETCH_THREADS`` otherwise: docs/
performance.md, "Fewer objects, fewer prefetch threads"); run the settings alternately, each
after emptying the page cache.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale import ask_times, percentile, pquad_questions  # noqa: E402  (bench/scale.py)

import retrieval.store.backends.sqlite.faiss_index as faiss_index  # noqa: E402
from app.config import load_config  # noqa: E402
from embeddings import load_embedder  # noqa: E402
from retrieval import connect  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--config", default=str(ROOT / "config.toml"))
    parser.add_argument("--questions", type=int, default=60)
    parser.add_argument("--prefetch", type=int, help="threads touching a mapped file's lists before a scan")
    args = parser.parse_args()
    if args.prefetch is not None:
        faiss_index.PREFETCH_THREADS = args.prefetch
    threads = faiss_index.PREFETCH_THREADS
    config = load_config(args.config)
    embedder = load_embedder(config.embedder)
    questions = pquad_questions(args.questions, seed=7)
    embedder.encode_queries(questions[:2])  # the model's own start is not the page cache's
    started = time.perf_counter()
    engine = connect(config.storage, args.data, embedder, config.retrieval)
    engine.load()
    asks = ask_times(engine, questions)
    total = time.perf_counter() - started
    half = asks[len(asks) // 2 :]
    print(
        f"{threads} prefetch threads: first {asks[0] * 1000:.0f} ms, "
        f"first ten mean {sum(asks[:10]) / 10 * 1000:.0f} ms, second half p50 {percentile(half, 0.5) * 1000:.0f} ms, "
        f"all {total:.1f} s"
    )


if __name__ == "__main__":
    main()
