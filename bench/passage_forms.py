"""What the embedder should see of a sentence: itself, with its title, or with its neighbours?

    python bench/passage_forms.py [--limit N]

Embeds every sentence of the PQuAD validation and ParsiNLU dev corpora in three forms and runs
exact dense search (numpy, inner product) for the held-out questions (PQuAD test half, ParsiNLU
dev). Reports, per form, article hit@1 and strict answer-in-sentence@1 of dense-only retrieval:
the signal the ranker's dense features would get. Re-embedding the corpus is what a change would
cost, so this is measured before it is built.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.config import load_config  # noqa: E402
from app.evaluate import Engines  # noqa: E402
from corpus.normalize import contains_answer, normalize  # noqa: E402
from embeddings import passage_text  # noqa: E402
from evaluation.datasets import load_dataset, split  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
FORMS = ("sentence", "title + sentence", "previous + sentence + next")


def titled(title: str, norm: str) -> str:
    """The "title + sentence" form, as the product embeds it (``[embedder] passage = "title"``)."""
    return passage_text("title", title, norm)


def passages(engine) -> tuple[list, dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    sentences, texts = [], {form: [] for form in FORMS}
    for article in engine.iter_articles():
        own = engine.storage.documents.sentences_of(article.id)
        for i, s in enumerate(own):
            sentences.append(s)
            texts["sentence"].append(s.norm)
            texts["title + sentence"].append(titled(article.title, s.norm))
            window = [own[j].norm for j in (i - 1, i, i + 1) if 0 <= j < len(own)]
            texts["previous + sentence + next"].append(" ".join(window))
    return sentences, texts


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=None, help="questions per set (default: all)")
    args = parser.parse_args()
    config = load_config(None)
    engines = Engines(config, quiet=True)
    pquad, parsinlu = load_dataset(SHARED / "pquad_validation.json"), load_dataset(SHARED / "parsinlu_rc_dev.jsonl")
    for name, dataset, items in (
        ("PQuAD test half", pquad, split(pquad.items, "test")),
        ("ParsiNLU dev", parsinlu, list(parsinlu.items)),
    ):
        engine = engines.of(dataset)
        items = [i for i in items if i.answers][: args.limit]
        sentences, texts = passages(engine)
        queries = engine.embedder.encode_queries([normalize(i.question) for i in items])
        print(f"{name}: {len(items)} questions, {len(sentences)} sentences")
        for form in FORMS:
            started = time.perf_counter()
            chunks = [texts[form][k : k + 256] for k in range(0, len(sentences), 256)]
            vectors = np.vstack([engine.embedder.encode_passages(chunk) for chunk in chunks])
            seconds = time.perf_counter() - started
            best = np.argmax(queries @ vectors.T, axis=1)
            hit = sum(sentences[b].article_id == i.article for b, i in zip(best, items, strict=True)) / len(items)
            ans = sum(
                sentences[b].article_id == i.article and contains_answer(sentences[b].text, i.answers)
                for b, i in zip(best, items, strict=True)
            ) / len(items)
            print(f"  {form:28} hit@1 {hit:.3f}  ans@1 {ans:.3f}  (embedded in {seconds:.0f}s)")


if __name__ == "__main__":
    main()
