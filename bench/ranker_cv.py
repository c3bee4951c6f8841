"""Choose the learned ranker's LightGBM settings by cross-validation on the training questions only.

    python bench/train_ranker.py --drop "fused score" --out /tmp/r.txt --evidence /tmp/ev.pkl   # gathers once
    python bench/ranker_cv.py --evidence /tmp/ev.pkl [--setting TREES,LEAVES,RATE,MIN_CHILD ...] [--held-out]
                              [--diversity D ...]

The training questions (PQuAD dev half and our search-register questions about its paragraphs:
ParsiNLU is for evaluation only, see train_ranker.py) are split in two folds by page (PQuAD
paragraphs of one Wikipedia page stay together); each fold is ranked by a model trained on the
other, and the two folds' hit@1 / ans@1 / ans@3 are reported per set. The held-out sets (PQuAD
test half, ParsiNLU dev) are not looked at unless ``--held-out`` asks for them, after the choice.
Features are ``train_ranker``'s without the fused score, as shipped. Each ``--diversity`` also
picks the three quotes with that discount for a second quote from one article (``[answer]
diversity``; 1.0: none), so ans@3 shows what quote choice can add to a ranking.
"""

from __future__ import annotations

import argparse
import dataclasses
import logging
import pickle
import sys
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT.parent))

import train_ranker as tr  # noqa: E402

from app.config import load_config  # noqa: E402
from evaluation.datasets import load_dataset  # noqa: E402
from retrieval.rank import features  # noqa: E402

logger = logging.getLogger("ranker_cv")
TRAINING = tr.TRAINING
HELD_OUT = tr.HELD_OUT


def fold_of(article_id: str) -> int:
    """0 or 1, the same for every paragraph of one page (``sq0002_000`` and ``sq0002_006``)."""
    return zlib.crc32(article_id.rsplit("_", 1)[0].encode("utf-8")) % 2


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser()
    parser.add_argument("--evidence", type=Path, required=True, help="a pickle written by train_ranker.py --evidence")
    parser.add_argument("--setting", action="append", help="TREES,LEAVES,RATE,MIN_CHILD (repeatable; default: a small grid)")
    parser.add_argument(
        "--held-out", action="store_true", help="also train on every training question and measure the held-out sets"
    )
    parser.add_argument(
        "--drop", action="append", default=[], choices=sorted(features.GROUPS), help="also leave this feature group out"
    )
    parser.add_argument(
        "--diversity", action="append", type=float, default=[], help="also measure with this quote diversity (repeatable)"
    )
    args = parser.parse_args()
    evidence = pickle.loads(args.evidence.read_bytes())
    config = load_config(None)
    weighted = dataclasses.replace(config.retrieval, ranker="weighted")
    learned = dataclasses.replace(config.retrieval, ranker="learned")
    datasets = (load_dataset(tr.SHARED / name) for name in ("pquad_validation.json", "parsinlu_rc_dev.jsonl"))
    items = {name: its for name, (_, its) in tr.question_sets(*datasets).items()}
    columns = features.without(["fused score", *args.drop])
    folds: dict[int, dict[str, tuple[list, list]]] = {0: {}, 1: {}}
    for name in TRAINING:
        for ev, item in zip(evidence[name], items[name], strict=True):
            part = folds[fold_of(item.article or "")].setdefault(name, ([], []))
            part[0].append(ev)
            part[1].append(item)
    settings = args.setting or [f"{t},{leaves},0.05,{m}" for t in (300, 600) for leaves in (15, 31) for m in (20, 100)]
    for setting in settings:
        trees, leaves, rate, min_child = setting.split(",")
        shape = (int(trees), int(leaves), float(rate), int(min_child))
        totals: dict[str, list[float]] = {}
        for k in (0, 1):
            train = [g for name, (evs, its) in folds[1 - k].items() for g in tr.training_examples(name, evs, its, weighted)]
            model = tr.fit_lambdarank(train, columns, *shape)
            for name, (evs, its) in folds[k].items():
                for diversity in dict.fromkeys([learned.diversity, *args.diversity]):  # the shipped one once
                    label = name if diversity == learned.diversity else f"{name}, diversity {diversity}"
                    m = tr.measure(evs, its, dataclasses.replace(learned, diversity=diversity), model)
                    t = totals.setdefault(label, [0.0, 0.0, 0.0, 0.0])
                    for i, key in enumerate(("hit@1", "ans@1", "ans@3")):
                        t[i] += m[key] * m["n"]
                    t[3] += m["n"]
        cells = "   ".join(f"{n} {t[0] / t[3]:.3f} / {t[1] / t[3]:.3f} / {t[2] / t[3]:.3f}" for n, t in totals.items())
        logger.info("trees %s leaves %s rate %s min_child %s   cross-validated hit@1 / ans@1 / ans@3:  %s", *shape, cells)
        if args.held_out:
            train = [g for name in TRAINING for g in tr.training_examples(name, evidence[name], items[name], weighted)]
            model = tr.fit_lambdarank(train, columns, *shape)
            for name in HELD_OUT:
                logger.info("%s", tr.row(f"held out, {name}", tr.measure(evidence[name], items[name], learned, model)))


if __name__ == "__main__":
    main()
