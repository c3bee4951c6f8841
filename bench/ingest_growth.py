"""Bulk ingest into a grown corpus: sentences a second of ``pasokh ingest`` adding recombined articles.

    python bench/ingest_growth.py --data DIR [--sentences 100k] [--runs 1] [--seed 11] [CHECKOUT ...]

Copies ``DIR`` (a data directory built by ``bench/scale.py``, e.g. its 1M corpus) to a scratch
folder for each run, writes ``--sentences`` sentences of recombined articles as
``bench/scale.py`` grows its corpus (20 pool sentences an article, vectors reused from the store,
so embedding is excluded), and times ``pasokh ingest`` of them: wall seconds, sentences a second,
peak RSS. Each CHECKOUT (another worktree of Pasokh) is run alternately with this one on the same
file, for a before/after in one run; compare the ratio, not the absolute rate.

The recombined corpus repeats each pool sentence about a hundred times at a million sentences,
far more than real news repeats itself (wire copy, boilerplate lines), so what is learned once per
run and reused (normalizing and analyzing a paragraph) counts for more here than in an archive.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale import EVAL, Env, child_rss, load_pool, parse_size, sentence_count, write_recombined  # noqa: E402  (bench/scale.py)


def one_run(checkout: Path, data: Path, articles: Path, scratch: Path) -> tuple[float, int, int]:
    """(wall seconds, sentences added, peak RSS MB) of one ``pasokh ingest`` from ``checkout``."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    env = Env(scratch)  # writes scale.toml beside the data, as the scale bench does
    shutil.copytree(data, env.data)
    before = sentence_count(env.data)
    wall, rss = child_rss([sys.executable, "-m", "app.cli", "ingest", "-q", str(articles)], env.env, cwd=checkout)
    return wall, sentence_count(env.data) - before, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="a data directory to grow (copied, never changed)")
    parser.add_argument("--sentences", default="100k")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--work", type=Path, default=None, help="scratch folder (default: a temporary one)")
    parser.add_argument("checkouts", nargs="*", type=Path, help="other worktrees to compare, run alternately")
    args = parser.parse_args()
    pool, _ = load_pool(EVAL)
    work = args.work or Path(tempfile.mkdtemp(prefix="pasokh-growth-"))
    work.mkdir(parents=True, exist_ok=True)
    articles = work / "articles.jsonl"
    # pool[1000:]: past the first sentences, which the scale bench may hold out for probes
    write_recombined(articles, pool[1000:], parse_size(args.sentences), random.Random(args.seed), [0], prefix=f"g{args.seed}-")
    checkouts = [ROOT, *[c.resolve() for c in args.checkouts]]
    rates: dict[Path, list[float]] = {c: [] for c in checkouts}
    try:
        for run in range(args.runs):
            for checkout in checkouts:
                wall, added, rss = one_run(checkout, args.data, articles, work / "scratch")
                rates[checkout].append(added / wall)
                rate = f"{added:,} sentences in {wall:.1f} s = {added / wall:,.0f}/s"
                print(f"run {run + 1} {checkout}: {rate}, peak RSS {rss} MB", flush=True)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    for checkout, got in rates.items():
        print(f"{checkout}: median {statistics.median(got):,.0f} sentences/s over {len(got)} run(s)")


if __name__ == "__main__":
    main()
