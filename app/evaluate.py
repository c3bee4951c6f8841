"""`pasokh eval`: the quality report every retrieval change is judged by."""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import math
from collections.abc import Sequence
from pathlib import Path

from app.compose import ready_engine
from app.config import Config
from app.progress import progress_bar
from corpus.atomic import atomic_write
from corpus.read import RawArticle, read_all
from embeddings import load_embedder
from evaluation.datasets import Dataset, DatasetError, load_dataset, sample, split
from evaluation.metrics import shown
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
    ev.add_argument(
        "--distractors", action="append", default=[], metavar="DATASET",
        help="a dataset whose passages join every corpus of the run (its questions are not asked); repeatable",
    )  # fmt: skip
    ev.add_argument(
        "--mixed", action="store_true",
        help="one corpus for the whole run: every dataset's passages, the distractors and the demo corpus",
    )  # fmt: skip
    ev.add_argument("--details", type=Path, metavar="FILE", help="write every question's outcome here, a JSON line each")
    ev.add_argument(
        "--report", type=Path, metavar="FILE", help="write an HTML report here: metrics, and the abstention signals' spread"
    )
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=cmd_eval)


CONFIGURED = "configured corpus"


class Engines:
    """One engine per corpus in a run, opened on first use. Each dataset with passages of its own
    (SQuAD, ParsiNLU) gets a corpus under ``data/eval`` made of its passages and the
    distractors'; with ``mixed`` every dataset shares one corpus of all of them and the demo
    corpus. Our JSONL sets use the configured corpus, as `pasokh ask` would (or the mixed one)."""

    def __init__(
        self, config: Config, quiet: bool, distractors: Sequence[Dataset] = (), mixed: list[Dataset] | None = None
    ) -> None:
        self.config = config
        self.quiet = quiet
        self.distractors = list(distractors)
        self.mixed = mixed  # the datasets of a mixed corpus, or None
        self._engines: dict[str, Engine] = {}
        self._embedder = None

    def configured(self) -> Engine:
        if CONFIGURED not in self._engines:
            self._engines[CONFIGURED] = ready_engine(self.config, None if self.quiet else progress_bar)
        return self._engines[CONFIGURED]

    def corpus_of(self, dataset: Dataset) -> list[Dataset] | None:
        """The datasets whose passages make the corpus ``dataset`` is asked of (None: the configured one)."""
        if self.mixed is not None:
            return self.mixed
        if not dataset.has_corpus:
            return None
        return [dataset] + [d for d in self.distractors if d.name != dataset.name]

    def of(self, dataset: Dataset) -> Engine:
        return self.named(dataset)[0]

    def named(self, dataset: Dataset) -> tuple[Engine, str]:
        """The engine for ``dataset`` and its corpus's name."""
        parts = self.corpus_of(dataset)
        if parts is None:
            return self.configured(), CONFIGURED
        name = "+".join(d.name for d in parts)
        if name not in self._engines:
            if self._embedder is None:
                self._embedder = load_embedder(self.config.embedder)
            root = corpus_dir(self.config.data_dir / "eval", parts, self._embedder, self.config.retrieval.analyzer)
            engine = connect(self.config.storage, root, self._embedder, self.config.retrieval, corpus=root.name)
            if self.quiet:
                build_corpus(engine, parts)
            else:
                total = sum(len(d.articles) for d in parts)
                doing = "checking" if corpus_built(engine) else "building"
                with progress_bar(total, f"{doing} the evaluation corpus {name}") as tick:
                    build_corpus(engine, parts, tick)
            engine.load()
            self._engines[name] = engine
        return self._engines[name], name


def demo_dataset(config: Config) -> Dataset:
    """The demo corpus as passages, for a mixed corpus (its questions are the seed questions)."""
    articles = [a for a in read_all([config.demo_dir]) if isinstance(a, RawArticle)]
    digest = hashlib.sha256("".join(a.id + a.text for a in articles).encode("utf-8")).hexdigest()[:16]
    return Dataset("demo", (), tuple(articles), digest)


def plan(datasets: list[Dataset], mixed: bool = False) -> list[tuple[Dataset, bool]]:
    """(dataset, also on every corpus) pairs to evaluate. A set of off-topic questions only is
    asked of every corpus in the run: off topic is off topic whatever the corpus, and a broad
    one is the harder test."""
    out: list[tuple[Dataset, bool]] = []
    for d in datasets:
        off_topic = not d.has_corpus and bool(d.items) and all(i.article is None for i in d.items)
        out.append((d, off_topic and not mixed))
    return out


def cmd_eval(args: argparse.Namespace, config: Config) -> int:
    datasets = [load_dataset(Path(p)) for p in args.datasets]
    distractors = [load_dataset(Path(p)) for p in args.distractors]
    for d in distractors:
        if not d.has_corpus:
            raise DatasetError(f"{d.name}: has no passages of its own, so it cannot add distractors")
    mixed = None
    if args.mixed:
        mixed = [d for d in datasets if d.has_corpus] + [d for d in distractors if d.name not in {x.name for x in datasets}]
        mixed.append(demo_dataset(config))
    if args.report:
        from evaluation.report import check_available

        check_available()
    engines = Engines(config, args.quiet, distractors, mixed)
    modes = args.mode or ["hybrid"]
    if "all" in modes:
        modes = ["lexical", "dense", "hybrid"]
    reports = []
    for dataset, everywhere in plan(datasets, args.mixed):
        targets = [engines.named(dataset)]
        if everywhere:
            targets += [engines.named(d) for d in datasets if d.has_corpus]
        items = split(dataset.items, args.split) if dataset.splittable else list(dataset.items)
        items = sample(items, args.limit, args.sample_seed)
        for engine, corpus in targets:
            for mode in modes:
                if args.quiet:
                    report = evaluate(engine, items, mode)
                else:
                    with progress_bar(len(items), f"eval {dataset.name} {mode}") as tick:
                        report = evaluate(engine, items, mode, tick)
                reports.append(dataclasses.replace(report, dataset=dataset.name, corpus_name=corpus))
    if args.details:
        write_details(args.details, reports)
    if args.report:
        from evaluation.report import write_report

        write_report(args.report, reports, config.retrieval, args.split)
    if args.json:
        payload = [
            {
                **{k: v for k, v in r.__dict__.items() if k != "outcomes"},
                "metrics": {k: _nan_to_none(v) for k, v in r.metrics.items()},
            }
            for r in reports
        ]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    else:
        print(render_table(reports, args.split))
    return 0


def write_details(path: Path, reports: list[Report]) -> None:
    """One JSON line per question and mode: what `pasokh eval` saw, for finding the failures."""
    lines = []
    for r in reports:
        for o in r.outcomes:
            row = {"dataset": r.dataset, "corpus": r.corpus_name, "mode": r.mode, "verdict": o.verdict}
            row |= {k: v for k, v in dataclasses.asdict(o).items() if k != "seconds"}
            row["ms"] = round(o.seconds * 1000, 1)
            lines.append(json.dumps(row, ensure_ascii=False))
    atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"))


def _nan_to_none(value: object) -> object:
    return None if isinstance(value, float) and math.isnan(value) else value


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
        cells = " ".join(f"{shown(key, r.metrics[key]):>10}" for key, _ in COLUMNS)
        lines.append(f"{f'{r.dataset} @ {r.corpus_name}':{width}} {r.mode:8} {r.metrics['questions']:>5} {cells}")
    return "\n".join(lines)
