"""What each piece of the large-corpus work is worth: the hybrid pipeline with one piece taken
back at a time, on the sets it was built for.

    python bench/ablate_quality.py [--old-ranker FILE] [--limit N]

Sets: ParsiNLU dev over ParsiNLU dev + train passages (713 articles), and a sample of the PQuAD
test half with the paraphrase set over the mixed corpus (PQuAD + ParsiNLU + demo); the corpora
are `pasokh eval`'s own (built by it on first use). Pieces, each taken back alone:
- repairs: madda / final hamza optional and joined prepositions (retrieval.query.understand);
- soft gate: coverage weighed with meaning (the old hard gate and its thresholds instead);
- typed answers: a count, time or person question whose names and answer are in the passage;
- ranker: the model shipped before this work (``--old-ranker``, e.g. from ``git show``).
Each row is one `evaluation.run.evaluate` over the same questions; compare rows, not runs.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import load_config  # noqa: E402
from app.evaluate import Engines, demo_dataset  # noqa: E402
from evaluation.datasets import load_dataset, sample, split  # noqa: E402
from evaluation.run import evaluate  # noqa: E402
from retrieval.answer import pipeline  # noqa: E402
from retrieval.query import understand  # noqa: E402
from retrieval.rank.learned import LearnedRanker  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
OLD_GATE = {"min_coverage": 0.6, "min_article_coverage": 0.7, "min_dense": 0.80, "confident_dense": 0.86}


def hard_gate(signals, min_coverage, min_dense, confident_dense, min_article_coverage=1.01):  # type: ignore[no-untyped-def]
    """The gate before this work: coverage below the threshold refuses unless meaning is confident."""
    if signals.matched_terms == 0 and (signals.dense is None or signals.dense < confident_dense):
        return "no word"
    if signals.dense is not None and signals.dense < min_dense:
        return "far"
    low = signals.coverage < min_coverage and signals.article_coverage < min_article_coverage
    return "little" if low and (signals.dense is None or signals.dense < confident_dense) else ""


@contextlib.contextmanager
def patched(obj, name, value):  # type: ignore[no-untyped-def]
    old = getattr(obj, name)
    setattr(obj, name, value)
    try:
        yield
    finally:
        setattr(obj, name, old)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--old-ranker", type=Path, help="the ranker shipped before (a ranker.txt)")
    parser.add_argument("--limit", type=int, default=800, help="PQuAD test-half questions to sample")
    args = parser.parse_args()
    config = load_config(None)
    pquad = load_dataset(SHARED / "pquad_validation.json")
    pn_dev, pn_train = load_dataset(SHARED / "parsinlu_rc_dev.jsonl"), load_dataset(SHARED / "parsinlu_rc_train.jsonl")
    para = load_dataset(ROOT / "bench" / "eval" / "paraphrase_pquad.jsonl")
    pn_engine = Engines(config, quiet=True, distractors=[pn_train]).of(pn_dev)
    mixed = Engines(config, quiet=True, mixed=[pquad, pn_dev, pn_train, demo_dataset(config)]).of(pquad)
    sets = {
        "ParsiNLU dev @ dev+train": (pn_engine, list(pn_dev.items)),
        "PQuAD test sample @ mixed": (mixed, sample([i for i in split(pquad.items, "test") if i.answers], args.limit, 0)),
        "paraphrases @ mixed": (mixed, list(para.items)),
    }

    def run(label: str) -> None:
        cells = []
        for name, (engine, items) in sets.items():
            m = evaluate(engine, items, "hybrid").metrics
            cells.append(
                f"{name}: hit@1 {m['article_hit@1']:.3f} ans@1 {m['answer_in_quote@1']:.3f} "
                f"pas@3 {m['answer_in_passage@3']:.3f} false-abst {m['false_abstain_answerable']:.3f}"
            )
        print(f"{label}\n  " + "\n  ".join(cells), flush=True)

    run("everything (as shipped)")
    with patched(understand, "_maddas", lambda word: []), patched(understand, "_JOINED", ()):
        run("without the madda/hamza and joined-preposition repairs")
    old = {k: dataclasses.replace(e.settings, **OLD_GATE) for k, (e, _) in sets.items()}
    with patched(pipeline, "decide", hard_gate):
        for k, (e, _) in sets.items():
            e.settings = old[k]
        run("with the hard coverage gate and its thresholds instead of weighing coverage with meaning")
        for e, _ in sets.values():
            e.settings = config.retrieval
    with patched(pipeline, "rarest_found", lambda *a: False):
        run("without answering typed questions on their names and answer")
    if args.old_ranker:
        previous = LearnedRanker.load(args.old_ranker)
        for engine, _ in sets.values():
            engine.rankers = (previous,)
        run("with the ranker shipped before (trained on each set's own corpus, with the fused score)")


if __name__ == "__main__":
    main()
