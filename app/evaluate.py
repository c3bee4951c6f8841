"""`pasokh eval`: the quality report every retrieval change is judged by."""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
from pathlib import Path

from app.compose import ready_engine
from app.config import Config
from app.progress import progress_bar
from embeddings import load_embedder
from evaluation.datasets import Dataset, load_dataset, sample, split
from evaluation.run import Report, build_corpus, corpus_built, corpus_dir, evaluate
from retrieval import Engine, connect
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


CONFIGURED = "configured corpus"


class Engines:
    """One engine per corpus in a run, opened on first use: each dataset with passages of its own
    (SQuAD, ParsiNLU) gets a corpus of its own under ``data/eval``; our JSONL sets use the
    configured corpus, as `pasokh ask` would."""

    def __init__(self, config: Config, quiet: bool) -> None:
        self.config = config
        self.quiet = quiet
        self._engines: dict[str, Engine] = {}
        self._embedder = None

    def configured(self) -> Engine:
        if CONFIGURED not in self._engines:
            self._engines[CONFIGURED] = ready_engine(self.config, None if self.quiet else progress_bar)
        return self._engines[CONFIGURED]

    def of(self, dataset: Dataset) -> Engine:
        if not dataset.has_corpus:
            return self.configured()
        if dataset.name not in self._engines:
            if self._embedder is None:
                self._embedder = load_embedder(self.config.embedder)
            root = corpus_dir(self.config.data_dir / "eval", [dataset], self._embedder, self.config.retrieval.analyzer)
            engine = connect(self.config.storage, root, self._embedder, self.config.retrieval, corpus=root.name)
            if self.quiet or corpus_built(engine):
                build_corpus(engine, [dataset])
            else:
                with progress_bar(len(dataset.articles), f"building the evaluation corpus of {dataset.name}") as tick:
                    build_corpus(engine, [dataset], tick)
            engine.load()
            self._engines[dataset.name] = engine
        return self._engines[dataset.name]


def plan(datasets: list[Dataset]) -> list[tuple[Dataset, str]]:
    """(dataset, corpus name) pairs to evaluate. A set of off-topic questions only is asked of every
    corpus in the run: off topic is off topic whatever the corpus, and a broad one is the harder test."""
    corpora = [d.name for d in datasets if d.has_corpus]
    out: list[tuple[Dataset, str]] = []
    for d in datasets:
        if d.has_corpus:
            out.append((d, d.name))
        elif d.items and all(i.article is None for i in d.items):
            out += [(d, CONFIGURED)] + [(d, c) for c in corpora]
        else:
            out.append((d, CONFIGURED))
    return out


def cmd_eval(args: argparse.Namespace, config: Config) -> int:
    datasets = [load_dataset(Path(p)) for p in args.datasets]
    by_name = {d.name: d for d in datasets}
    engines = Engines(config, args.quiet)
    modes = args.mode or ["hybrid"]
    if "all" in modes:
        modes = ["lexical", "dense", "hybrid"]
    reports = []
    for dataset, corpus in plan(datasets):
        engine = engines.configured() if corpus == CONFIGURED else engines.of(by_name[corpus])
        items = split(dataset.items, args.split) if dataset.splittable else list(dataset.items)
        items = sample(items, args.limit, args.sample_seed)
        for mode in modes:
            if args.quiet:
                report = evaluate(engine, items, mode)
            else:
                with progress_bar(len(items), f"eval {dataset.name} {mode}") as tick:
                    report = evaluate(engine, items, mode, tick)
            reports.append(dataclasses.replace(report, dataset=dataset.name, corpus_name=corpus))
    if args.json:
        payload = [{**r.__dict__, "metrics": {k: _nan_to_none(v) for k, v in r.metrics.items()}} for r in reports]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(render_table(reports, args.split))
    return 0


def _nan_to_none(value: object) -> object:
    return None if isinstance(value, float) and math.isnan(value) else value


def _cell(key: str, value: float | int) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "-"
    if key.endswith("_ms"):
        return f"{value:.1f}"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def render_table(reports: list[Report], part: str) -> str:
    """One row per dataset, corpus and mode; corpora and settings listed once above."""
    lines = [f"split {part} (SQuAD-style sets only); settings: {', '.join(f'{k}={v}' for k, v in reports[0].settings.items())}"]
    corpora: dict[str, dict] = {}
    for r in reports:
        corpora.setdefault(r.corpus_name, r.corpus)
    for name, corpus in corpora.items():
        size = f"{corpus['articles']} articles, {corpus['sentences']} sentences"
        lines.append(f"corpus {name}: {size}; embedder {corpus['embedder']}")
    width = max(len(f"{r.dataset} @ {r.corpus_name}") for r in reports)
    lines += ["", f"{'dataset @ corpus':{width}} {'mode':8} {'n':>5} " + " ".join(f"{label:>10}" for _, label in COLUMNS)]
    for r in reports:
        cells = " ".join(f"{_cell(key, r.metrics[key]):>10}" for key, _ in COLUMNS)
        lines.append(f"{f'{r.dataset} @ {r.corpus_name}':{width}} {r.mode:8} {r.metrics['questions']:>5} {cells}")
    return "\n".join(lines)
