"""Memory and time of building every sentence's postings at once, as a first build or a rebuild does.

    python bench/postings_build.py --data DIR [--part ROWS]

Reads every sentence's indexed terms from a data directory's database (e.g. run L's 10M corpus)
and builds their postings with ``postings.build``, counting ``--part`` rows at a time (default:
the shipped ``BUILD_PART``; a part larger than the corpus counts everything at once, as before
parts). Prints rows, seconds, the postings' size and this process's peak RSS; run it once per
setting, since a process's peak only grows.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale import peak_rss  # noqa: E402  (bench/scale.py)

from retrieval.store.backends.sqlite import postings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--part", type=int, default=postings.BUILD_PART)
    args = parser.parse_args()
    db = sqlite3.connect(args.data / "pasokh.sqlite3")
    rows = db.execute("SELECT rowid, terms FROM sentence_terms ORDER BY rowid")

    def streamed():  # type: ignore[no-untyped-def]
        while batch := rows.fetchmany(65_536):
            yield from batch

    before = peak_rss(os.getpid())
    started = time.perf_counter()
    built = postings.build(streamed(), part=args.part)
    wall = time.perf_counter() - started
    size = sum(getattr(built, name).nbytes for name in ("offsets", "docs", "tfs", "ids", "lengths")) >> 20
    print(
        f"{built.size:,} rows, part {args.part:,}: {wall:.0f} s, postings {size:,} MB, "
        f"peak RSS {peak_rss(os.getpid()):,} MB ({before:,} MB before building)"
    )


if __name__ == "__main__":
    main()
