"""A corpus ten times the size of a grown one, made in SQL, to measure asking at that size.

    python bench/multiply_corpus.py --data SRC --work DIR [--factor 10]

``bench/scale.py`` grows its corpus through ``pasokh ingest`` (about 2,000 sentences a second
here when every vector is reused), so 10M sentences would take hours to build. This copies a
data directory ``SRC`` (e.g. the scale bench's 1M corpus) to ``DIR/data`` and repeats every article
``--factor - 1`` more times inside SQLite: the same rows, text, terms and vectors under new
article ids (``<id>~<k>``) and sentence ids, every new article logged as changed, then runs
``pasokh index --compact`` to fold them into the served indexes as a writer would (at this size
a new IVF is trained and filled). It prints the time of each step and the data directory's size;
``python bench/scale.py --reuse --sizes 10M --work DIR`` then measures asking over it.

What this corpus is not: nothing in it went through ingest, so it says nothing of ingest; and
each article is there ``--factor`` times word for word (each pool sentence about a thousand
times at 10M), far more repetition than any archive. Every question's dense candidates are
mostly copies, so what it measures of asking is a pessimistic bound, not a forecast.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scale import Env, dir_mb  # noqa: E402  (bench/scale.py)

ARTICLE_COLS = (
    "title, text, source, published, news_code, url, kicker, origin, content_hash, added_at, updated_at, published_at, "
    "title_terms"
)


def multiply(db_path: Path, factor: int) -> int:
    """Repeat every article ``factor - 1`` more times in the database; returns sentences now held."""
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")  # a bench copy: rebuilt from scratch if interrupted
    max_sentence = db.execute("SELECT max(id) FROM sentences").fetchone()[0]
    max_article = db.execute("SELECT max(rowid) FROM articles").fetchone()[0]
    generation = int(db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0]) + 1
    for k in range(1, factor):
        started = time.perf_counter()
        shift = k * max_sentence
        db.execute("BEGIN")
        first_new = db.execute("SELECT max(rowid) FROM articles").fetchone()[0] + 1
        db.execute(
            f"INSERT INTO articles(id, {ARTICLE_COLS}) SELECT id || '~{k}', {ARTICLE_COLS} FROM articles WHERE rowid <= ?",
            (max_article,),
        )
        db.execute(
            'INSERT INTO sentences(id, article_id, position, start, "end", text, norm, norm_key, gap) '
            "SELECT id + ?, article_id || '~' || ?, position, start, \"end\", text, norm, norm_key, gap "
            "FROM sentences WHERE id <= ?",
            (shift, k, max_sentence),
        )
        db.execute(
            "INSERT INTO sentence_vectors(sentence_id, key) SELECT sentence_id + ?, key FROM sentence_vectors "
            "WHERE sentence_id <= ?",
            (shift, max_sentence),
        )
        db.execute(
            "INSERT INTO sentence_terms(rowid, terms) SELECT rowid + ?, terms FROM sentence_terms WHERE rowid <= ?",
            (shift, max_sentence),
        )
        db.execute(  # the copies' terms, as their own sentences spell them (store.ARTICLE_TERMS_TEXT)
            "INSERT INTO article_terms(rowid, terms) SELECT article_rowid, terms FROM article_terms_text "
            "WHERE article_rowid >= ?",
            (first_new,),
        )
        db.execute(
            "INSERT OR REPLACE INTO changed_articles(article_rowid, generation) SELECT rowid, ? FROM articles WHERE rowid >= ?",
            (generation, first_new),
        )
        db.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (str(generation),))
        db.execute("COMMIT")
        print(f"copy {k}: {time.perf_counter() - started:.0f} s", flush=True)
    count = int(db.execute("SELECT count(*) FROM sentences").fetchone()[0])
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True, help="the data directory to copy (never changed)")
    parser.add_argument("--work", type=Path, required=True, help="where the new data directory goes (its data/ is replaced)")
    parser.add_argument("--factor", type=int, default=10)
    args = parser.parse_args()
    env = Env(args.work)  # the scale bench's config, beside the data as --reuse expects it
    shutil.rmtree(env.data, ignore_errors=True)
    started = time.perf_counter()
    shutil.copytree(args.data, env.data)
    print(f"copied {args.data} in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    count = multiply(env.data / "pasokh.sqlite3", args.factor)
    print(f"{count:,} sentences in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "app.cli", "index", "--compact"], cwd=ROOT, env=env.env, check=True)
    print(f"pasokh index --compact: {time.perf_counter() - started:.0f} s", flush=True)
    mb = dir_mb(env.data)
    print(f"data directory: {mb:,.0f} MiB, {mb * 2**20 / count:,.0f} bytes a sentence", flush=True)


if __name__ == "__main__":
    main()
