"""`pasokh eval`: the quality report every retrieval change is judged by."""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

from bot.app import ready_engine
from bot.config import Config
from bot.progress import progress_bar
from embeddings import load_embedder
from retrieval import Engine
from retrieval.eval_data import load_dataset, sample, split
from retrieval.evaluate import Report, build_corpus, corpus_built, corpus_dir, evaluate
from retrieval.settings import MODES

COLUMNS = [
    ("article_hit@1", "hit@1"),
    ("article_hit@3", "hit@3"),
    ("article_hit@5", "hit@5"),
    ("mrr", "MRR"),
    ("answer_in_quote@1", "ans@1"),
    ("answer_in_quote@3", "ans@3"),
    ("answer_in_passage@1", "pas@1"),
    ("answer_in_passage@3", "pas@3"),
    ("abstain_off_topic", "abst-off"),
    ("false_abstain_answerable", "false-abst"),
    ("abstain_on_topic_unanswerable", "abst-unans"),
    ("latency_p50_ms", "p50 ms"),
    ("latency_p95_ms", "p95 ms"),
]


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    ev = sub.add_parser("eval", parents=[common], help="measure answer quality on a QA dataset")
    ev.add_argument("datasets", nargs="+", help="our .jsonl format and/or SQuAD v2 .json (PQuAD, PersianQA, ParSQuAD)")
    ev.add_argument("--mode", action="append", choices=[*MODES, "all"], help="pipeline(s) to run (default: hybrid)")
    ev.add_argument("--limit", type=int, default=None, help="evaluate a random sample of N questions")
    ev.add_argument("--sample-seed", type=int, default=0, help="seed for --limit's sample")
    ev.add_argument(
        "--split", choices=["all", "dev", "test"], default="all", help="half of the titles: dev to tune, test to confirm"
    )
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=cmd_eval)


def _engine_for(config: Config, datasets: list, quiet: bool) -> Engine:
    squad = [d for d in datasets if d.has_corpus]
    if not squad:
        return ready_engine(config, None if quiet else progress_bar)
    embedder = load_embedder(config.embedder)
    root = corpus_dir(config.data_dir / "eval", squad, embedder, config.retrieval.analyzer)
    engine = Engine(root, embedder, config.retrieval)
    total = sum(len(d.articles) for d in squad)
    if quiet or corpus_built(engine):
        build_corpus(engine, squad)
    else:
        with progress_bar(total, "building the evaluation corpus") as tick:
            build_corpus(engine, squad, tick)
    engine.load()
    return engine


def cmd_eval(args: argparse.Namespace, config: Config) -> int:
    datasets = [load_dataset(Path(p)) for p in args.datasets]
    engine = _engine_for(config, datasets, args.quiet)
    items = split([i for d in datasets for i in d.items], args.split)
    items = sample(items, args.limit, args.sample_seed)
    modes = args.mode or ["hybrid"]
    if "all" in modes:
        modes = ["lexical", "dense", "hybrid"]
    reports = []
    for mode in modes:
        if args.quiet:
            reports.append(evaluate(engine, items, mode))
        else:
            with progress_bar(len(items), f"eval {mode}") as tick:
                reports.append(evaluate(engine, items, mode, tick))
    if args.json:
        payload = [{**r.__dict__, "metrics": {k: _nan_to_none(v) for k, v in r.metrics.items()}} for r in reports]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(render_table(reports, [d.name for d in datasets], args.split))
    return 0


def _nan_to_none(value: object) -> object:
    return None if isinstance(value, float) and math.isnan(value) else value


def _cell(key: str, value: float | int) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "-"
    if key.endswith("_ms"):
        return f"{value:.1f}"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def render_table(reports: list[Report], names: list[str], part: str) -> str:
    corpus = reports[0].corpus
    lines = [
        f"datasets: {', '.join(names)} (split {part}); questions: {reports[0].metrics['questions']}",
        f"corpus: {corpus['articles']} articles, {corpus['sentences']} sentences; embedder {corpus['embedder']}",
        f"settings: {', '.join(f'{k}={v}' for k, v in reports[0].settings.items())}",
        "",
        f"{'mode':8} " + " ".join(f"{label:>10}" for _, label in COLUMNS),
    ]
    for r in reports:
        lines.append(f"{r.mode:8} " + " ".join(f"{_cell(key, r.metrics[key]):>10}" for key, _ in COLUMNS))
    return "\n".join(lines)
