"""Re-embed a copy of a SQLite corpus as "title. sentence", to measure that passage form end to end.

    python bench/retitle_corpus.py DIR

DIR is a *copy* of a SQLite data directory (for instance the mixed evaluation corpus under
``data/eval``, copied to ``/tmp/title/eval/`` under the same name). Every stored sentence vector
is replaced by the embedding of its article's normalized title, a full stop and the sentence's
normalized text, and the indexes are rebuilt from the stored vectors. `bench/passage_forms.py`
measures the form with dense search alone; this puts it through the whole pipeline, so that
`PASOKH_DATA_DIR=/tmp/title python bench/train_ranker.py --out /tmp/title/ranker.txt` trains and
measures the ranker on it (docs/evaluation.md, "Title + sentence through the whole pipeline").
The product does not embed this form: a change to it would also key vector reuse on the title.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from passage_forms import titled  # noqa: E402

from app.config import load_config  # noqa: E402
from embeddings import load_embedder  # noqa: E402
from retrieval import connect  # noqa: E402
from retrieval.index.maintenance import rebuild  # noqa: E402
from retrieval.store.backends.sqlite.faiss_index import encode  # noqa: E402

logger = logging.getLogger("retitle_corpus")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    root = Path(sys.argv[1])
    database = root / "pasokh.sqlite3"
    if not database.is_file():
        sys.exit(f"{root} holds no pasokh.sqlite3: give a copy of a SQLite data directory")
    config = load_config(None)
    embedder = load_embedder(config.embedder)
    with sqlite3.connect(database) as conn:
        rows = conn.execute(
            "SELECT s.id, a.title, s.norm FROM sentences s JOIN articles a ON a.id = s.article_id ORDER BY s.id"
        ).fetchall()
        started = time.perf_counter()
        texts = [titled(title, norm) for _, title, norm in rows]
        vectors = np.vstack([embedder.encode_passages(texts[i : i + 256]) for i in range(0, len(texts), 256)])
        logger.info("%d sentences embedded with their titles in %.0f s", len(rows), time.perf_counter() - started)
        conn.executemany(
            "UPDATE sentence_vectors SET vector = ? WHERE sentence_id = ?",
            [(encode(v), row[0]) for v, row in zip(vectors, rows, strict=True)],
        )
    engine = connect(config.storage, root, embedder, config.retrieval, corpus=root.name)
    logger.info("indexes rebuilt from the stored vectors: %s", rebuild(engine))


if __name__ == "__main__":
    main()
