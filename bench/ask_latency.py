"""Warm `ask` latency against the bare query embedding, on the demo corpus, for one checkout.

    python bench/ask_latency.py [CHECKOUT]     # default: this one

Asks the seed and Telegram-colloquial questions (one warm-up pass, then 5 rounds) and prints
p50/p95 of `ask` and p50 of embedding the question alone, measured in the same run. To compare
two versions, run it for each checkout alternately (`git worktree add /tmp/base HEAD~1`); the
machine's noise is of the same size as small differences, so compare several runs.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    checkout = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT
    sys.path.insert(0, str(checkout))
    import app.config
    import retrieval
    from embeddings import load_embedder
    from retrieval import ingest

    config = app.config.load_config(str(checkout / "config.toml"))
    data_dir, embedder = Path(tempfile.mkdtemp()), load_embedder(config.embedder)
    if hasattr(retrieval, "connect"):
        engine = retrieval.connect(config.storage, data_dir, embedder, config.retrieval)
    else:  # a checkout from before the storage interface
        engine = retrieval.Engine(data_dir, embedder, config.retrieval)
    ingest(engine, [checkout / "corpus" / "demo"])
    engine.load()
    questions = [
        json.loads(line)["question"]
        for name in ("seed_questions", "telegram_colloquial")
        for line in (ROOT / "tests" / "data" / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    for q in questions:
        engine.ask(q)
    asks, embeds = [], []
    for _ in range(5):
        for q in questions:
            started = time.perf_counter()
            engine.embedder.encode_queries([q])
            embeds.append(time.perf_counter() - started)
            started = time.perf_counter()
            engine.ask(q)
            asks.append(time.perf_counter() - started)
    asks.sort()
    embeds.sort()
    p50, p95, e50 = asks[len(asks) // 2], asks[int(0.95 * len(asks))], embeds[len(embeds) // 2]
    print(
        f"{checkout}: ask p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms; query embedding p50 {e50 * 1000:.1f} ms "
        f"(ask/embedding {p50 / e50:.2f}); {len(asks)} asks"
    )


if __name__ == "__main__":
    main()
