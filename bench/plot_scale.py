"""The curve of a question's cost against corpus size, drawn from ``bench/scale.py``'s rows.

    python bench/plot_scale.py ROWS.json [MORE.json ...] --out docs/img/scale.png

One figure, two panels, sentences on a log axis: warm ``ask`` p50 and p95 beside the bare
question embedding measured in the same loop (what a question cannot cost less than), and
their ratio with the 1M target (1.5×) marked. Each rows file is one run and one line style,
so runs before and after a change can share the figure. ``bench/scale.py --plot`` calls it on
its own rows.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

TARGET_RATIO = 1.5  # issue 22: warm p50 at most 1.5x the embedding at 1M sentences


def load_rows(path: Path) -> list[dict[str, float]]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return sorted(rows, key=lambda r: r["sentences"])


def plot(runs: dict[str, list[dict[str, float]]], out: Path) -> Path:
    """Draw ``runs`` (label -> rows) into ``out`` (PNG) and return it."""
    import matplotlib

    matplotlib.use("Agg")  # no display here, and none wanted
    import matplotlib.pyplot as plt

    fig, (ms, ratio) = plt.subplots(1, 2, figsize=(11, 4.2))
    styles = ["-", "--", ":", "-."]
    for n, (label, rows) in enumerate(runs.items()):
        style = styles[n % len(styles)]
        size = [r["sentences"] for r in rows]
        ms.plot(size, [r["ask_p50"] for r in rows], style, marker="o", color="C0", label=f"ask p50 ({label})")
        ms.plot(size, [r["ask_p95"] for r in rows], style, marker="^", color="C1", label=f"ask p95 ({label})")
        ms.plot(size, [r["embed_p50"] for r in rows], style, marker="s", color="C2", label=f"embedding p50 ({label})")
        ratio.plot(size, [r["ask_p50"] / r["embed_p50"] for r in rows], style, marker="o", color="C0", label=label)
    for axis in (ms, ratio):
        axis.set_xscale("log")
        axis.set_xlabel("sentences in the corpus")
        axis.grid(True, which="both", alpha=0.3)
    ms.set_ylabel("milliseconds, warm, one process")
    ms.set_ylim(bottom=0)
    ms.set_title("A question's cost")
    ms.legend(fontsize=7)
    ratio.axhline(TARGET_RATIO, color="grey", linestyle="--", linewidth=1, label=f"target at 1M ({TARGET_RATIO}×)")
    ratio.set_ylabel("ask p50 / embedding p50")
    ratio.set_ylim(bottom=0)
    ratio.set_title("Against the question's embedding")
    ratio.legend(fontsize=7)
    fig.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", type=Path, nargs="+", help="rows files written by bench/scale.py --json")
    parser.add_argument("--label", action="append", default=[], help="a label per rows file (default: its name)")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    labels = args.label + [p.stem for p in args.rows[len(args.label) :]]
    out = plot({label: load_rows(path) for label, path in zip(labels, args.rows, strict=True)}, args.out)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
