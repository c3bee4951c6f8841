"""Train the learned sentence ranker offline and write retrieval/rank/ranker.txt; report held-out figures.

    python bench/train_ranker.py [--ablate] [--corpus mixed|own] [--out retrieval/rank/ranker.txt]

Trains on the dev half of PQuAD validation (crowd questions, CC BY-SA) and on questions of our
own in the search-box register about that half's paragraphs
(``bench/train/search_questions.jsonl``), and nothing else; reports on the PQuAD test half and on
ParsiNLU dev (real search-engine questions), which it never trains on. ParsiNLU's
reading-comprehension sets are licensed CC BY-NC-SA and given to this project for evaluation
only: a model fitted to them would be an adaptation of that work shipped inside Pasokh, so
neither their questions (as labels) nor their passages (as negatives) ever reach training. They
stay what they are for: a register the ranker has not learned from, which is the test of
features that transfer.

With ``--corpus mixed`` (the default) the training questions are asked of one corpus of all
PQuAD validation's paragraphs and the demo (about 1,100 articles), so the negatives a question is
trained on are the hard ones a real archive holds: other paragraphs of the same page, other
stories on the same subject; the held-out sets are asked of the corpus `pasokh eval --mixed`
uses (PQuAD, ParsiNLU dev and train, the demo: about 1,800 articles). ``--corpus own`` asks each
set of its own passages only. Evidence is gathered once per question by the pipeline's own
``Engine.gather``; features and ranking are the pipeline's own pure functions, so the figures
here are what `pasokh eval` reports with the written model. ``--ablate`` retrains without each
feature group and shows what it is worth on the test sets. Writing the shipped model also records
its embedder and data in retrieval/rank/fitted.json (a model written elsewhere with ``--out`` gets
that record beside it, as ``NAME.fitted.json``).
"""

from __future__ import annotations

import argparse
import dataclasses
import pickle
import sys
import time
from pathlib import Path

import lightgbm  # before anything loads the shipped ranker: training needs its scikit-learn API
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import load_config  # noqa: E402
from app.evaluate import Engines, demo_dataset  # noqa: E402
from corpus.normalize import contains_answer  # noqa: E402
from evaluation.datasets import DatasetError, EvalItem, about_part, load_dataset, split  # noqa: E402
from retrieval.answer.quotes import select  # noqa: E402
from retrieval.rank import features  # noqa: E402
from retrieval.rank.fitted import FITTED, record  # noqa: E402
from retrieval.rank.learned import SHIPPED, LearnedRanker, RankerError, rank_by  # noqa: E402
from retrieval.rank.score import fuse, score  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"


def gather(engine, items):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    evidence = [engine.gather(i.question) for i in items]
    print(f"  gathered {len(items)} questions in {time.perf_counter() - started:.0f}s", file=sys.stderr)
    return evidence


def answers(sentence, item) -> bool:  # type: ignore[no-untyped-def]
    return sentence.article_id == item.article and contains_answer(sentence.text, item.answers)


def examples(evidence, items, settings):  # type: ignore[no-untyped-def]
    """Feature rows and labels (the sentence is in the gold article and holds a gold answer), per question."""
    groups = []
    for ev, item in zip(evidence, items, strict=True):
        if not item.answers:
            continue
        ids, x = features.matrix(ev, fuse(ev, settings))
        y = np.array([answers(ev.sentences[i], item) for i in ids], dtype=np.int8)
        groups.append((x, y))
    return groups


def _useful(groups, columns):  # type: ignore[no-untyped-def]
    useful = [(x, y) for x, y in groups if y.any()]  # a question no candidate answers teaches no ranking
    return useful, np.vstack([x[:, columns] for x, _ in useful]), np.concatenate([y for _, y in useful])


MORE_IS_BETTER = frozenset(
    {"lex_norm", "lex_rr", "lex_rank_in_article", "cov_sentence", "cov_count", "rare_sentence", "pairs_sentence"}
)
"""What the sentence itself holds of the question's words (its bm25, its place by bm25 in its
article, how much of the question it covers, the names and word pairs it holds): more of it may
only raise the sentence's score. Free, a model learns PQuAD's accidents (a sentence holding every
word of the question and the one number it names, placed below one merely a hair nearer in
meaning) and carries them to registers it never saw. The rest stays free: a «وی …» sentence
whose predecessor names the subject answers «… کجا به دنیا آمد؟» although the naming sentence
holds more of the question's words, and the cosines and coverages of windows and articles are
what such interactions are built from (held monotone too, they outweighed it)."""


def fit_lambdarank(  # type: ignore[no-untyped-def]
    groups, columns: list[int], trees: int = 300, leaves: int = 15, rate: float = 0.05, min_child: int = 20
) -> LearnedRanker:
    """LightGBM lambdarank: what ships (``retrieval/rank/ranker.txt``), with the shipped settings by
    default (``bench/ranker_cv.py`` compares others on the training questions), monotone in
    :data:`MORE_IS_BETTER`."""
    useful, x, y = _useful(groups, columns)
    model = lightgbm.LGBMRanker(
        monotone_constraints=[int(features.NAMES[i] in MORE_IS_BETTER) for i in columns],
        objective="lambdarank",
        n_estimators=trees,
        learning_rate=rate,
        num_leaves=leaves,
        min_child_samples=min_child,
        random_state=0,
        deterministic=True,
        force_row_wise=True,
        verbose=-1,
    )
    model.fit(x, y, group=[len(y_) for _, y_ in useful], feature_name=[features.NAMES[i] for i in columns])
    return LearnedRanker(model.booster_.model_to_string())


class Linear:
    """Logistic regression over the same features, for comparison: what a linear model gets."""

    def __init__(self, groups, columns: list[int]) -> None:  # type: ignore[no-untyped-def]
        from sklearn.linear_model import LogisticRegression

        _, x, y = _useful(groups, columns)
        self.columns = columns
        self.mean, self.scale = x.mean(axis=0), x.std(axis=0)
        self.scale[self.scale == 0] = 1.0
        self.model = LogisticRegression(max_iter=2000).fit((x - self.mean) / self.scale, y)

    def rerank(self, ev, fused):  # type: ignore[no-untyped-def]
        return rank_by(lambda x: self.model.decision_function((x[:, self.columns] - self.mean) / self.scale), ev, fused)


def measure(evidence, items, settings, model, mode: str = "hybrid") -> dict[str, float]:  # type: ignore[no-untyped-def]
    hit1 = ans1 = ans3 = n = 0
    for ev, item in zip(evidence, items, strict=True):
        if not item.answers:
            continue
        n += 1
        ranked = score(ev, settings, mode, None if model is None else [model])
        hits = [h for h in ranked.hits if h.sentence_id in ev.sentences]
        articles = list(dict.fromkeys(ev.sentences[h.sentence_id].article_id for h in hits))
        hit1 += articles[:1] == [item.article]
        picked = select(hits, ranked.sentences, 3, settings.max_per_article, settings.diversity)
        found = [answers(ev.sentences[h.sentence_id], item) for h in picked]
        ans1 += bool(found[:1] and found[0])
        ans3 += any(found)
    return {"hit@1": hit1 / n, "ans@1": ans1 / n, "ans@3": ans3 / n, "n": n}


def row(label: str, m: dict) -> str:
    return f"  {label:44} hit@1 {m['hit@1']:.3f}  ans@1 {m['ans@1']:.3f}  ans@3 {m['ans@3']:.3f}  (n={m['n']})"


SEARCH_QUESTIONS = ROOT / "bench" / "train" / "search_questions.jsonl"
"""Questions Pasokh's own team wrote the way people type them into a search box (short, in their
own words, often without ZWNJ or with colloquial endings: «مسی در فصل ۲۰۱۰ چند گل زد؟»), each
about one paragraph of PQuAD validation's dev half, with the answer as that paragraph writes it
(bench/train/README.md). PQuAD's crowd questions copy the paragraph's words, so a ranker trained
on them alone leans on bm25; these teach it the register it must answer. ParsiNLU's questions
are of that register but may only be used to evaluate."""
SEARCH_WEIGHT = 2
"""Each of our questions counts this many times: there are a few hundred of them against PQuAD
dev's 3,300 (picked among 1, 2 and 3 on ParsiNLU train's ranking alone, a tuning choice like the
abstention thresholds: 2 gave the most on the search register for the least PQuAD)."""
TRAINING = ("pquad dev", "search dev")
WEIGHTS = {"search dev": SEARCH_WEIGHT}
HELD_OUT = ("pquad test", "parsinlu dev")


def search_questions(pquad, path: Path = SEARCH_QUESTIONS) -> list[EvalItem]:  # type: ignore[no-untyped-def]
    """Our search-register questions, checked to be about paragraphs of PQuAD's dev half (one of
    the test half would leak it into training) that hold one of their answers."""
    try:
        return about_part(load_dataset(path).items, pquad, "dev")
    except DatasetError as exc:
        raise SystemExit(f"{path}: {exc}") from None


def training_examples(name, evidence, items, settings):  # type: ignore[no-untyped-def]
    """:func:`examples` of a training set, each repeated as many times as the set weighs."""
    return examples(evidence, items, settings) * WEIGHTS.get(name, 1)


def question_sets(pquad, pn_dev):  # type: ignore[no-untyped-def]
    """The question sets by name, each with the dataset whose corpus it is asked of: the training
    sets first, then the held-out ones. The evidence pickle is keyed and ordered by these, so
    ``bench/ranker_cv.py`` takes them from here."""
    return {
        "pquad dev": (pquad, split(pquad.items, "dev")),
        "search dev": (pquad, search_questions(pquad)),
        "pquad test": (pquad, split(pquad.items, "test")),
        "parsinlu dev": (pn_dev, list(pn_dev.items)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pquad", default=str(SHARED / "pquad_validation.json"))
    parser.add_argument("--parsinlu-train", default=str(SHARED / "parsinlu_rc_train.jsonl"))
    parser.add_argument("--parsinlu-dev", default=str(SHARED / "parsinlu_rc_dev.jsonl"))
    parser.add_argument("--out", default=str(SHIPPED))
    parser.add_argument("--trees", type=int, default=300, help="boosting rounds")
    parser.add_argument("--ablate", action="store_true", help="also retrain without each feature group")
    parser.add_argument("--corpus", choices=["mixed", "own"], default="mixed", help="one corpus of every set, or each its own")
    parser.add_argument(
        "--drop", action="append", default=[], choices=sorted(features.GROUPS), help="leave this feature group out of the model"
    )
    parser.add_argument("--evidence", type=Path, help="keep the gathered evidence here (a pickle) and reuse it when present")
    args = parser.parse_args()

    config = load_config(None)
    settings = dataclasses.replace(config.retrieval, ranker="weighted")
    pquad = load_dataset(Path(args.pquad))
    pn_train, pn_dev = load_dataset(Path(args.parsinlu_train)), load_dataset(Path(args.parsinlu_dev))
    mixed = args.corpus == "mixed"
    demo = demo_dataset(config)
    # training sees PQuAD's paragraphs and the demo only; the held-out sets the corpus `pasokh eval --mixed` asks
    training = Engines(config, quiet=True, mixed=[pquad, demo] if mixed else None)
    held_out = Engines(config, quiet=True, mixed=[pquad, pn_dev, pn_train, demo] if mixed else None)
    sets = {
        name: ((training if name in TRAINING else held_out).of(dataset), items)
        for name, (dataset, items) in question_sets(pquad, pn_dev).items()
    }
    evidence: dict = {}
    if args.evidence and args.evidence.exists():  # gathering is most of the time; features are cheap
        evidence = pickle.loads(args.evidence.read_bytes())
    # a set the pickle lacks, or whose questions changed since, is gathered (again)
    asked = {name: [i.question for i in items] for name, (_, items) in sets.items()}
    stale = [name for name in sets if name not in evidence or evidence.get(f"{name} questions", asked[name]) != asked[name]]
    if stale:
        print(f"gathering evidence: {', '.join(stale)}", file=sys.stderr)
        evidence.update({name: gather(sets[name][0], sets[name][1]) for name in stale})
        evidence.update({f"{name} questions": asked[name] for name in sets})
        if args.evidence:
            args.evidence.write_bytes(pickle.dumps(evidence))
    train = [g for name in TRAINING for g in training_examples(name, evidence[name], sets[name][1], settings)]
    everything = features.without(args.drop)
    model = fit_lambdarank(train, everything, args.trees)
    linear = Linear(train, everything)
    learned = dataclasses.replace(settings, ranker="learned")
    for name in HELD_OUT:
        items = sets[name][1]
        print(f"{name}:")
        print(row("dense only", measure(evidence[name], items, settings, None, "dense")))
        print(row("lexical only", measure(evidence[name], items, settings, None, "lexical")))
        print(row("hand-set weighted fusion (+answer-type boost)", measure(evidence[name], items, settings, None)))
        print(row("logistic regression on the same features", measure(evidence[name], items, learned, linear)))
        try:
            current = LearnedRanker.load(SHIPPED)
        except RankerError:  # trained on other features than these
            current = None
        if current is not None:
            print(row("LightGBM lambdarank, the model shipped now", measure(evidence[name], items, learned, current)))
        print(row("LightGBM lambdarank, trained now", measure(evidence[name], items, learned, model)))
    gains = model.booster.feature_importance(importance_type="gain")
    total = float(gains.sum()) or 1.0
    ranked = sorted(zip(model.names, gains, strict=True), key=lambda p: -p[1])
    print("share of split gain:", ", ".join(f"{n} {g / total:.0%}" for n, g in ranked if g / total >= 0.01))
    if args.ablate:
        print("ablation: retrained without one feature group at a time (ans@1 / hit@1 on each test set)")
        for group in features.GROUPS:
            reduced = fit_lambdarank(train, features.without([group]), args.trees)
            cells = []
            for name in HELD_OUT:
                m = measure(evidence[name], sets[name][1], learned, reduced)
                cells.append(f"{name}: {m['ans@1']:.3f} / {m['hit@1']:.3f}")
            print(f"  without {group:22} " + "   ".join(cells))
    Path(args.out).write_text(model.booster.model_to_string(), encoding="utf-8")
    corpus = training.named(pquad)[1] if mixed else "its own passages"
    data = [
        f"pquad_validation dev half over {corpus}",
        f"{SEARCH_QUESTIONS.name} (ours, over pquad_validation dev half paragraphs) x{SEARCH_WEIGHT} over {corpus}",
    ]
    values = {"trees": args.trees, "features": len(everything), "dropped": args.drop}
    out = Path(args.out).resolve()
    # a model written elsewhere (an experiment) gets its record beside it: the shipped record stays the shipped model's
    provenance = FITTED if out == SHIPPED.resolve() else out.with_suffix(".fitted.json")
    record("ranker", training.of(pquad).embedder.name, data, values, provenance)
    positives = int(sum(int(y.sum()) for _, y in train))
    kinds = f"PQuAD dev half, and ours ×{SEARCH_WEIGHT}"
    print(f"wrote {args.out}: {len(train)} training questions ({kinds}), {positives} answering sentences")


if __name__ == "__main__":
    main()
