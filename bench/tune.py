"""Grid-search retrieval settings on the dev half of a SQuAD-style set; confirm on the test half.

    python bench/tune.py ../shared/eval/pquad_validation.json [--ood bench/eval/out_of_domain.jsonl]

Evidence (searcher output) is gathered once per question and scored under every setting
by the same pure function the pipeline uses (retrieval.rank.score.score), so a row here is
what `pasokh eval` would report for that setting. Prints the best rows by answer-in-quote@1
then article hit@1, and the abstention thresholds that keep false abstention under 5%.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import load_config  # noqa: E402
from corpus.normalize import contains_answer  # noqa: E402
from embeddings import load_embedder  # noqa: E402
from evaluation.datasets import load_dataset, split  # noqa: E402
from evaluation.run import build_corpus, corpus_dir  # noqa: E402
from retrieval import Engine, connect  # noqa: E402
from retrieval.answer.abstain import Signals, decide  # noqa: E402

GRID = {
    "dense_weight": [0.3, 0.4, 0.5, 0.6],
    "article_weight": [0.0, 0.2, 0.3, 0.4, 0.5, 0.6],
    "article_dense_weight": [0.3, 0.5, 0.7],
    "max_per_article": [2, 3],
}


ABLATIONS = [
    ("configured pipeline", {}),
    ("reciprocal rank fusion instead of weighted", {"fusion": "rrf", "article_weight": 0.0}),
    ("no article-level evidence", {"article_weight": 0.0}),
    ("no answer-type boost", {"answer_type_boost": 0.0}),
    ("no diversity discount", {"diversity": 1.0}),
    ("one quote per article", {"max_per_article": 1}),
    ("equal dense/lexical weight", {"dense_weight": 0.5}),
]


def answering(evidence: list, items: list) -> list[set[int]]:
    """Per question, the ids of gathered sentences that hold a gold answer (computed once)."""
    return [
        {i for i, s in ev.sentences.items() if contains_answer(s.text, item.answers)} if item.answers else set()
        for ev, item in zip(evidence, items, strict=True)
    ]


def measure(engine: Engine, evidence: list, items: list, settings, golds: list[set[int]]) -> dict[str, float]:
    hit1 = ans1 = ans3 = n_ans = 0
    for ev, item, gold in zip(evidence, items, golds, strict=True):
        if not item.answers:
            continue
        n_ans += 1
        verdict = engine.judge(ev, settings, 3)  # ranking quality: the reason is ignored
        articles = list(dict.fromkeys(ev.sentences[h.sentence_id].article_id for h in verdict.ranked.hits))
        hit1 += articles[:1] == [item.article]
        found = [h.sentence_id in gold for h in verdict.picked]
        ans1 += bool(found[:1] and found[0])
        ans3 += any(found)
    return {"hit@1": hit1 / n_ans, "ans@1": ans1 / n_ans, "ans@3": ans3 / n_ans}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("--ood", default=str(ROOT / "bench" / "eval" / "out_of_domain.jsonl"))
    parser.add_argument("--top", type=int, default=8)
    parser.add_argument("--ablate", action="store_true", help="only: what each design choice is worth on the test half")
    args = parser.parse_args()

    config = load_config(None)
    dataset = load_dataset(Path(args.dataset))
    embedder = load_embedder(config.embedder)
    root = corpus_dir(config.data_dir / "eval", [dataset], embedder, config.retrieval.analyzer)
    engine = connect(config.storage, root, embedder, config.retrieval, corpus=root.name)
    build_corpus(engine, [dataset])
    engine.load()

    parts = {part: split(dataset.items, part) for part in ("dev", "test")}
    t0 = time.perf_counter()
    evidence = {part: [engine.gather(i.question) for i in items] for part, items in parts.items()}
    print(f"gathered evidence for {sum(map(len, parts.values()))} questions in {time.perf_counter() - t0:.0f}s", file=sys.stderr)

    golds = {part: answering(evidence[part], parts[part]) for part in parts}
    base = config.retrieval
    if args.ablate:
        print("test split, one change at a time from the configured settings:")
        for label, changes in ABLATIONS:
            m = measure(engine, evidence["test"], parts["test"], dataclasses.replace(base, **changes), golds["test"])
            print(f"  {label:42} ans@1 {m['ans@1']:.3f} ans@3 {m['ans@3']:.3f} hit@1 {m['hit@1']:.3f}")
        return
    rows = []
    for values in itertools.product(*GRID.values()):
        settings = dataclasses.replace(base, **dict(zip(GRID, values, strict=True)))
        rows.append((measure(engine, evidence["dev"], parts["dev"], settings, golds["dev"]), settings))
    rows.sort(key=lambda r: (r[0]["ans@1"], r[0]["hit@1"]), reverse=True)
    print("dev split, best settings:")
    for metrics, s in rows[: args.top]:
        knobs = " ".join(f"{k}={getattr(s, k)}" for k in GRID)
        print(f"  ans@1 {metrics['ans@1']:.3f} ans@3 {metrics['ans@3']:.3f} hit@1 {metrics['hit@1']:.3f}  {knobs}")
    for label, s in (("current config", base), ("best on dev", rows[0][1])):
        m = measure(engine, evidence["test"], parts["test"], s, golds["test"])
        print(f"test split, {label}: ans@1 {m['ans@1']:.3f} ans@3 {m['ans@3']:.3f} hit@1 {m['hit@1']:.3f}")

    best = rows[0][1]
    ood = load_dataset(Path(args.ood)).items
    signals = {"answerable": [], "ood": []}
    for ev, item in zip(evidence["dev"], parts["dev"], strict=True):
        if item.answers:
            verdict = engine.judge(ev, best, 1)
            signals["answerable"].append(engine.signals(verdict.ranked, verdict.picked[0]))
    for item in ood:
        verdict = engine.judge(engine.gather(item.question), best, 1)
        found = verdict.picked
        signals["ood"].append(engine.signals(verdict.ranked, found[0]) if found else Signals(0.0, None, 0))
    print("abstention thresholds (dev answerable vs out-of-domain):")
    grid = itertools.product([0.3, 0.4, 0.5, 0.6, 0.7], [0.76, 0.78, 0.80, 0.82], [0.84, 0.86, 0.88, 0.90])
    results = []
    for cov, lo, hi in grid:
        false = sum(bool(decide(x, cov, lo, hi)) for x in signals["answerable"]) / len(signals["answerable"])
        right = sum(bool(decide(x, cov, lo, hi)) for x in signals["ood"]) / len(signals["ood"])
        results.append((right, -false, cov, lo, hi))
    for right, neg_false, cov, lo, hi in sorted(r for r in results if -r[1] < 0.05)[-6:]:
        print(f"  ood abstain {right:.3f} false abstain {-neg_false:.3f}  min_coverage={cov} min_dense={lo} confident_dense={hi}")


if __name__ == "__main__":
    main()
