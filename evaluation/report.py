"""`pasokh eval --report`: one HTML page a person can read at a glance.

It shows the metrics of every set, corpus and mode side by side (a table and a chart), then,
per set and corpus in hybrid mode, how the abstention signals spread for the questions answered
right, answered wrong and refused (and the off-topic ones), with the thresholds in force drawn
across them: a refused question far right of a threshold says which gate refused it. Figures are
drawn with matplotlib (the ``report`` extra) and embedded in the page, so it is one file.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Sequence
from pathlib import Path

from corpus.atomic import atomic_write
from evaluation.datasets import DatasetError
from evaluation.metrics import shown
from evaluation.run import Report
from retrieval.settings import RetrievalSettings

SHOWN = (
    ("article_hit@1", "article hit@1"),
    ("answer_in_quote@1", "answer in quote @1"),
    ("answer_in_passage@3", "answer in passages @3"),
    ("false_abstain_answerable", "false abstention"),
)
GROUPS = (("right", "#2a9d8f"), ("wrong", "#e9c46a"), ("refused", "#e76f51"), ("off-topic", "#6d597a"))


class ReportError(DatasetError):
    """The report cannot be drawn here (matplotlib is missing): one line at the edge, like any
    other evaluation error."""


def check_available() -> None:
    """Raise :class:`ReportError` now, before an evaluation that may take an hour, if the report
    could not be drawn at its end."""
    _pyplot()


def _pyplot():  # type: ignore[no-untyped-def]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ReportError("the HTML report needs matplotlib: pip install -e '.[report]'") from exc
    return plt


def _png(fig) -> str:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def metrics_figure(reports: Sequence[Report]) -> str:
    """Grouped bars: one group per set @ corpus and mode, one bar per headline metric."""
    plt = _pyplot()
    labels = [f"{r.dataset}\n{r.mode}" for r in reports]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(reports)), 3.6))
    width = 0.8 / len(SHOWN)
    for n, (key, name) in enumerate(SHOWN):
        values = [0.0 if math.isnan(float(r.metrics[key])) else float(r.metrics[key]) for r in reports]
        ax.bar([i + n * width for i in range(len(reports))], values, width, label=name)
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(reports))], labels, fontsize=7)
    ax.set_ylim(0, 1)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=7, ncol=len(SHOWN), loc="upper center", bbox_to_anchor=(0.5, 1.15))
    out = _png(fig)
    plt.close(fig)
    return out


def signals_figure(report: Report, settings: RetrievalSettings) -> str:
    """Histograms of coverage, article coverage and dense cosine per outcome group, thresholds drawn."""
    plt = _pyplot()
    panels = (
        ("coverage", "coverage of the question around the best quote", [("min_coverage", settings.min_coverage)]),
        ("article_coverage", "coverage by the best quote's article", [("min_article_coverage", settings.min_article_coverage)]),
        ("dense", "cosine of the closest passage", [("min_dense", settings.min_dense), ("confident", settings.confident_dense)]),
    )  # fmt: skip
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.0))
    for ax, (field, title, thresholds) in zip(axes, panels, strict=True):
        values = [getattr(o, field) for o in report.outcomes if getattr(o, field) is not None]
        low = min([*values, *(t for _, t in thresholds if t <= 1)], default=0.0)
        bins = [low + (1.0 - low) * i / 30 for i in range(31)] if field == "dense" else [i / 30 for i in range(31)]
        for group, colour in GROUPS:
            picked = [getattr(o, field) for o in report.outcomes if o.verdict == group and getattr(o, field) is not None]
            if picked:
                ax.hist(picked, bins=bins, histtype="step", linewidth=1.6, color=colour, label=f"{group} ({len(picked)})")
        for name, value in thresholds:
            if value <= 1:
                ax.axvline(value, color="black", linestyle="--", linewidth=1)
                ax.text(value, ax.get_ylim()[1] * 0.97, f"{name} {value:.2f} ", fontsize=7, va="top", ha="right", rotation=90)
        ax.set_title(title, fontsize=9)
        ax.legend(fontsize=7)
    out = _png(fig)
    plt.close(fig)
    return out


def render_html(reports: Sequence[Report], settings: RetrievalSettings, part: str) -> str:
    corpora: dict[str, dict] = {}
    for r in reports:
        corpora.setdefault(r.corpus_name, r.corpus)
    rows = []
    keys = [k for k, _ in SHOWN] + ["article_hit@3", "answer_in_quote@3", "abstain_off_topic", "latency_p50_ms"]
    for r in reports:
        cells = "".join(f"<td>{shown(k, r.metrics.get(k, float('nan')))}</td>" for k in keys)
        rows.append(
            f"<tr><td>{html.escape(r.dataset)}</td><td>{html.escape(r.corpus_name)}</td><td>{r.mode}</td>"
            f"<td>{r.metrics['questions']}</td>{cells}</tr>"
        )
    parts = [
        "<!doctype html><meta charset='utf-8'><title>Pasokh evaluation</title>",
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:2px 8px;text-align:right}"
        "table{border-collapse:collapse}tr:nth-child(even){background:#f4f4f4}</style>",
        f"<h1>Pasokh evaluation</h1><p>split {html.escape(part)}; embedder {html.escape(str(reports[0].corpus['embedder']))}</p>",
        "<ul>"
        + "".join(f"<li>{html.escape(n)}: {c['articles']} articles, {c['sentences']} sentences</li>" for n, c in corpora.items())
        + "</ul>",
        "<table><tr><th>set</th><th>corpus</th><th>mode</th><th>n</th>" + "".join(f"<th>{k}</th>" for k in keys) + "</tr>",
        *rows,
        "</table>",
        f"<img alt='metrics per set and mode' src='data:image/png;base64,{metrics_figure(reports)}'>",
        "<h2>Abstention signals (hybrid)</h2>",
        "<p>right: an answer quoted in the top three; wrong: answered without it; refused: an answerable question "
        "the pipeline declined; off-topic: questions that should be declined. Dashed lines: the thresholds in force.</p>",
    ]
    for r in reports:
        if r.mode == "hybrid" and r.outcomes:
            title = f"{html.escape(r.dataset)} @ {html.escape(r.corpus_name)}"
            parts.append(
                f"<h3>{title}</h3><img alt='signals of {title}' src='data:image/png;base64,{signals_figure(r, settings)}'>"
            )
    return "\n".join(parts) + "\n"


def write_report(path: Path, reports: Sequence[Report], settings: RetrievalSettings, part: str) -> None:
    atomic_write(path, render_html(reports, settings, part).encode("utf-8"))
