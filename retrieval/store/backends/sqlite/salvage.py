"""Repairing a damaged database: every article that can still be read whole goes into a new
database, which takes the damaged one's place; the damaged file is kept beside it, and what
was lost is listed.

A disk that fails, a copy cut short or a machine that lost power under a non-syncing disk can
leave pages of ``pasokh.sqlite3`` unreadable. SQLite then fails the statement that reaches such
a page, so one bad page stops every command that reads past it. What can still be read is read
row by row here: a table is walked in rowid order a chunk at a time; a chunk that fails is asked
for in halves down to one row, a row whose values cannot be read is passed, and where even the
row ids cannot be read (a page of the table's tree is gone) the walk skips to the first id it
can read again, recording the ids it passed over. A row out of its place (a damaged page can
hand back an id already passed) ends a chunk as damage does.

Nothing is kept that the source did not publish: an article is kept only if its record and every
one of its sentences were read, and its text, spelled again from them, is proven to be the
stored one by its content hash (made by this Pasokh or an earlier one, corpus.prepare.stored_as).
A file cut short is first grown back to its length with zeros, since SQLite reads nothing from a
file whose tables start past its end. The indexes are derived data and are rebuilt afterwards
(`pasokh index --rebuild`'s work); a vector that was lost, or no longer hashes to its key, is
embedded again.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from corpus.atomic import atomic_write, sync_dir
from corpus.dates import timestamp
from corpus.normalize import normalize
from corpus.prepare import stored_as
from corpus.records import Article, StoredSentence
from retrieval.errors import StorageError, damage_said, is_damage
from retrieval.store.backends.sqlite.botlog import BOT_LOG
from retrieval.store.backends.sqlite.botlog import SCHEMA as BOT_LOG_SCHEMA
from retrieval.store.backends.sqlite.botlog import SCHEMA_VERSION as BOT_LOG_VERSION
from retrieval.store.backends.sqlite.faiss_index import ensure_vector_table, put_vectors
from retrieval.store.backends.sqlite.fts import create_tables
from retrieval.store.backends.sqlite.lock import WriteLock
from retrieval.store.backends.sqlite.store import DATABASE, SCHEMA_VERSION, Store, keyed_right
from retrieval.store.backends.sqlite.transactions import atomically
from retrieval.store.capabilities import Embed, LostArticle, RepairReport

logger = logging.getLogger(__name__)

CHUNK = 256
_LAST_ROWID = (1 << 63) - 1
# what the new database is given, table by table, in an order the foreign keys allow: the column
# a row's id goes to (the rowid itself, or the column that names it), then the others
_TABLES = {
    "meta": ("rowid", "key", "value"),
    "articles": (
        "rowid", "id", "title", "text", "source", "published", "news_code", "url", "kicker", "origin", "content_hash",
        "added_at", "updated_at", "published_at", "title_terms",
    ),
    "sentences": ("id", "article_id", "position", "start", '"end"', "text", "norm", "norm_key", "gap"),
    "vectors": ("key", "vector"),
    "sentence_vectors": ("sentence_id", "key"),
}  # fmt: skip
_BOT_TABLES = {
    "questions": ("id", "chat", "user", "question", "abstained", "quotes", "asked_at"),
    "feedback": ("rowid", "question_id", "user", "vote", "at"),
    "replies": ("rowid", "chat", "message_id", "question_id"),
}


def emptied(path: Path) -> str | None:
    """«missing» or «empty» for a database file that holds nothing (an empty file whose log holds
    pages is a database written only to its log so far), else None."""
    if not path.exists():
        return "missing"
    wal = Path(f"{path}-wal")
    return "empty" if path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size > 0) else None


def damage(path: Path, tables: dict[str, tuple[str, ...]] | None = None, still: bool = False) -> str | None:
    """What is wrong with the database at ``path`` (its first complaint), or None when it is
    whole: SQLite's own check (every page, and every index against its table), a file shorter
    than its pages, then every value of ``tables`` (the corpus's by default) read: text that is no
    longer UTF-8, a vector that no longer hashes to its key. Seconds at a million sentences."""
    wal = Path(f"{path}-wal")
    logged = wal.exists() and wal.stat().st_size > 0
    if emptied(path) == "empty":
        return "the file is empty"
    try:
        with contextlib.closing(_read_only(path, still)) as conn:
            pages, size = (conn.execute(f"PRAGMA {p}").fetchone()[0] for p in ("page_count", "page_size"))
            if path.stat().st_size < pages * size and not logged:  # its last pages would read as zeros
                return f"the file is cut short: {path.stat().st_size} bytes of its {pages} pages of {size}"
            found = [r[0] for r in conn.execute("PRAGMA integrity_check(5)")]
            if found != ["ok"]:
                return " ".join(found[0].split())
            return _damaged_values(conn, _TABLES if tables is None else tables)
    except sqlite3.DatabaseError as exc:
        return damage_said(exc)


def bot_log_damage(data_dir: Path, still: bool = False) -> str | None:
    """:func:`damage` of the bot's log in ``data_dir`` (None when there is none)."""
    log = data_dir / BOT_LOG
    return damage(log, _BOT_TABLES, still=still) if log.exists() else None


def _damaged_values(conn: sqlite3.Connection, tables: dict[str, tuple[str, ...]]) -> str | None:
    """Values a page holds intact to SQLite but not to us: every one read whole (text must
    decode: a bad one raises, named by its column), and each vector still hashing to the key it
    is stored under (store.keep_vectors)."""
    for table, columns in tables.items():
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM {table}")
        if table != "vectors":
            for _ in rows:
                pass
        elif changed := sum(1 for key, blob in rows if not keyed_right(key, blob)):
            return f"{changed} stored vectors no longer match their keys"
    return None


def repair(data_dir: Path, embed_for: Callable[[str | None], Embed]) -> RepairReport | None:
    """Replace a damaged ``pasokh.sqlite3`` by a new database holding everything in it that can be
    read whole, and a damaged ``bot.sqlite3`` (the bot's log) by the rows of it that can be read;
    None when nothing is found wrong. A damaged file stays in ``data_dir`` under a dated name, and
    a JSONL file beside it lists each lost article (with its text where that was read whole, so
    `pasokh ingest` takes it back). A vector that was lost is embedded again by ``embed_for(the
    embedder the stored vectors were made with)``; the indexes are left to be rebuilt."""
    started = time.monotonic()
    corpus, bot_log = data_dir / DATABASE, data_dir / BOT_LOG
    with WriteLock(data_dir, purpose="repair"):
        had_corpus = corpus.exists() or (data_dir / "index" / "vectors.json").exists()
        found = damage(corpus) if had_corpus else None
        found_in_log = bot_log_damage(data_dir)
        if found is None and found_in_log is None:
            return None
        if found is not None and (state := emptied(corpus)):
            raise StorageError(
                f"the database {corpus} is {state}: nothing can be read from it; restore the data directory from a backup "
                "(`pasokh backup` makes them)"
            )
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        report = RepairReport(damage=found, bot_log_damage=found_in_log)
        if found is not None:
            recorded = _recorded_embedder(data_dir / "index" / "vectors.json")
            report.kept_as = _replaced(corpus, stamp, lambda fresh: _salvage(corpus, fresh, embed_for, report, recorded))
            index = data_dir / "index"
            for derived in index.glob("*") if index.is_dir() else ():  # the old database's: rebuilt from the new one
                if derived.is_file():
                    derived.unlink()
            if report.lost:
                report.lost_list = data_dir / f"{report.kept_as.name}.lost.jsonl"
                _write_lost(report.lost_list, report.lost)
        if found_in_log is not None:
            report.bot_log_kept_as = _replaced(bot_log, stamp, lambda fresh: _salvage_bot_log(bot_log, fresh, report))
    report.seconds = time.monotonic() - started
    return report


def _replaced(path: Path, stamp: str, build: Callable[[Path], None]) -> Path:
    """Build a new file for ``path`` beside it, then put it in its place; the damaged file is kept
    under a dated name, with its log, as it was. Returns where it is kept."""
    kept, n = path.with_name(f"{path.name}.damaged-{stamp}"), 2
    while kept.exists():  # a second repair within the second: never over the first one's file
        kept, n = path.with_name(f"{path.name}.damaged-{stamp}-{n}"), n + 1
    fresh = path.with_name(f"{path.name}.repairing")
    _remove(fresh)
    try:
        build(fresh)
        with open(fresh, "rb") as written:  # built without syncing each commit: on disk before it is put in place
            os.fsync(written.fileno())
    except BaseException:
        _remove(fresh)
        raise
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.replace(f"{path}{suffix}", f"{kept}{suffix}")
    os.replace(fresh, path)
    sync_dir(path.parent)
    return kept


def _salvage_bot_log(damaged: Path, fresh: Path, report: RepairReport) -> None:
    """The bot's log is history (questions asked, votes, which message answered which): its rows
    that can be read go to a new log; one that cannot be read at all is started anew."""
    with contextlib.closing(sqlite3.connect(fresh, isolation_level=None)) as conn:
        conn.executescript(BOT_LOG_SCHEMA)
        conn.execute(f"PRAGMA user_version = {BOT_LOG_VERSION}")
        try:
            source = _read_only(damaged)
            version = source.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError:
            return
        with contextlib.closing(source):
            if version != BOT_LOG_VERSION:
                return  # an older log keeps raw ids: not copied as it is
            for table, columns in _BOT_TABLES.items():
                _copy(source, conn, table, columns)
        with atomically(conn):
            for table in ("feedback", "replies"):
                conn.execute(f"DELETE FROM {table} WHERE question_id NOT IN (SELECT id FROM questions)")
        report.bot_log_questions = conn.execute("SELECT count(*) FROM questions").fetchone()[0]


def _salvage(
    damaged: Path, fresh: Path, embed_for: Callable[[str | None], Embed], report: RepairReport, recorded: str | None
) -> None:
    """``recorded``: the embedder the index record names, should the database's own record of it be lost."""
    with _whole_length(damaged) as readable:
        try:
            source = _read_only(readable)
            version = source.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.DatabaseError as exc:
            raise StorageError(
                f"nothing can be read from the database {damaged} ({damage_said(exc)}): restore the data directory from a "
                "backup (`pasokh backup` makes them)"
            ) from exc
        with contextlib.closing(source):
            _salvage_from(source, version, damaged, fresh, embed_for, report, recorded)


@contextlib.contextmanager
def _whole_length(path: Path) -> Iterator[Path]:
    """``path``, or where it was cut short (its header counts more pages than it holds), a copy
    grown to its length with zeros: SQLite reads nothing at all from a file whose tables start
    past its end, and reads around zeroed pages as around any damaged one."""
    header = path.read_bytes()[:100] if path.stat().st_size >= 100 else b""
    size = int.from_bytes(header[16:18], "big") if len(header) == 100 else 0
    size = 65536 if size == 1 else size
    whole = size * int.from_bytes(header[28:32], "big") if len(header) == 100 else 0
    if whole <= path.stat().st_size or whole > 64 * path.stat().st_size:  # whole, or a header too damaged to say
        yield path
        return
    grown = path.with_name(f"{path.name}.grown")
    _remove(grown)
    try:
        shutil.copyfile(path, grown)
        os.truncate(grown, whole)
        with contextlib.suppress(FileNotFoundError):
            shutil.copyfile(f"{path}-wal", f"{grown}-wal")
        yield grown
    finally:
        _remove(grown)


def _salvage_from(
    source: sqlite3.Connection,
    version: tuple | None,
    damaged: Path,
    fresh: Path,
    embed_for: Callable[[str | None], Embed],
    report: RepairReport,
    recorded: str | None,
) -> None:
    """The new database from what ``source`` (the damaged one) holds whole."""
    if version is not None and int(version[0]) != SCHEMA_VERSION:
        raise StorageError(
            f"the damaged database {damaged} has schema {version[0]} and this Pasokh repairs schema {SCHEMA_VERSION}: "
            "restore the data directory from a backup"
        )
    store = Store(fresh)
    try:
        ensure_vector_table(store)
        create_tables(store)  # empty: the rebuild that follows fills them
        conn = store.conn
        conn.execute("PRAGMA synchronous=OFF")  # a file of its own until whole, synced then (_replaced)
        conn.execute("PRAGMA foreign_keys=OFF")  # a sentence whose article was lost is read, then let go
        gaps: dict[str, list[tuple[int, int]]] = {}
        for table, columns in _TABLES.items():
            gaps[table] = _copy(source, conn, table, columns)
            if gaps[table]:
                report.unreadable[table] = len(gaps[table])
        with contextlib.suppress(sqlite3.DatabaseError):  # ids are never handed out twice
            seq = source.execute("SELECT seq FROM sqlite_sequence WHERE name = 'sentences'").fetchone()
            if seq:
                conn.execute("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'sentences'", (seq[0],))
        if store.get_meta("vectors_embedder") is None and recorded:  # else every vector would be made again
            store.set_meta("vectors_embedder", recorded)
        _let_go_of_what_is_not_whole(conn, report)
        conn.execute("PRAGMA foreign_keys=ON")
        report.embedded = _embed_lost_vectors(store, embed_for)
        report.articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        report.sentences = conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
        generation = int(store.get_meta("generation") or 0)
        store.set_meta("generation", str(generation + 1))  # readers see a new corpus
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.close()


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, table: str, columns: Sequence[str]) -> list[tuple[int, int]]:
    """Every row of ``table`` that can be read, into the same table of ``target``; returns the
    (first, last) row ids it could not read."""
    gaps: list[tuple[int, int]] = []
    insert = f"INSERT OR REPLACE INTO {table}({', '.join(columns)}) VALUES({','.join('?' * len(columns))})"
    with atomically(target):
        batch: list[tuple] = []
        for row in _readable_rows(source, table, columns[1:], gaps):
            batch.append(row)
            if len(batch) >= CHUNK:
                target.executemany(insert, batch)
                batch.clear()
        target.executemany(insert, batch)
    return gaps


def _readable_rows(
    source: sqlite3.Connection, table: str, columns: Sequence[str], gaps: list[tuple[int, int]]
) -> Iterator[tuple]:
    """(rowid, *columns) of every row of ``table`` that can be read, in rowid order; the ids it
    had to pass over go to ``gaps``. Each step reads as many rows as it can up to the next damage
    (halving what it asks for), then passes one row whose values cannot be read, or skips to where
    the table's tree can be walked again: every step moves past at least one stored id."""
    select = f"SELECT rowid, {', '.join(columns)} FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT ?"
    after = -_LAST_ROWID - 1
    while True:
        want, rows = CHUNK, None
        while want and (rows := _attempt(source, select, (after, want))) is None:
            want //= 2
        if rows == []:
            return
        ordered = _in_order(rows or [], after)
        if ordered:
            yield from ordered
            after = ordered[-1][0]
            continue
        next_id = _in_order(
            _attempt(source, f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1", (after,)), after
        )
        if next_id:  # its id can be read, its values cannot
            gaps.append((next_id[0][0], next_id[0][0]))
            after = next_id[0][0]
            continue
        resume = _readable_again(source, table, after)
        gaps.append((after + 1, resume if resume is not None else _LAST_ROWID))
        if resume is None:
            return
        after = resume


def _readable_again(source: sqlite3.Connection, table: str, after: int) -> int | None:
    """The smallest id past ``after`` from which the table can be walked again (a damaged page
    of its tree lies between), found by doubling then halving the step; None if none is."""

    def walks(x: int) -> bool:
        found = _attempt(source, f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1", (x,))
        return found is not None and (not found or found[0][0] > x)

    step = 1
    while not walks(min(after + step, _LAST_ROWID)):
        if after + step >= _LAST_ROWID:
            return None
        step *= 2
    low, high = after + step // 2, min(after + step, _LAST_ROWID)  # low fails (or is ``after``), high walks
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (low, mid) if walks(mid) else (mid, high)
    return high


def _in_order(rows: list[tuple] | None, after: int) -> list[tuple]:
    """The rows up to the first whose id does not follow the one before: a damaged page of a
    table's tree can hand back a row out of its place (an id already passed, or 0)."""
    ordered: list[tuple] = []
    for row in rows or ():
        if row[0] <= after:
            break
        ordered.append(row)
        after = row[0]
    return ordered


def _attempt(source: sqlite3.Connection, sql: str, params: tuple) -> list[tuple] | None:
    """The rows, or None when reading them reached damage (any other error is raised)."""
    try:
        return source.execute(sql, params).fetchall()
    except sqlite3.DatabaseError as exc:
        if is_damage(exc):
            return None
        raise


def _let_go_of_what_is_not_whole(conn: sqlite3.Connection, report: RepairReport) -> None:
    """Remove each article that was not read whole (and the sentences of articles whose record was
    lost), listing them in ``report.lost``."""
    lost: list[LostArticle] = []
    for art_id, title, text, source, published, news_code, url, kicker, origin, stored_hash in conn.execute(
        "SELECT id, title, text, source, published, news_code, url, kicker, origin, content_hash FROM articles"
    ).fetchall():
        rows = conn.execute(
            'SELECT id, position, start, "end", text, gap FROM sentences WHERE article_id = ? ORDER BY position', (art_id,)
        ).fetchall()
        whole = Article(art_id, title, text, source, published, news_code, url, kicker, origin)
        why = _why_not_whole(whole, rows, stored_hash)
        if why is not None:  # its text goes with it only where the record holds it whole, proven
            proven = text if text and stored_as(whole, stored_hash) else None
            lost.append(LostArticle(art_id, why, title, url, proven))
    for (art_id,) in conn.execute(
        "SELECT DISTINCT article_id FROM sentences WHERE article_id NOT IN (SELECT id FROM articles)"
    ).fetchall():
        lost.append(LostArticle(art_id, "its record (title, source, date) could not be read"))
    for chunk in range(0, len(lost), 500):
        ids = [a.id for a in lost[chunk : chunk + 500]]
        marks = ",".join("?" * len(ids))
        with atomically(conn):
            conn.execute(f"DELETE FROM sentences WHERE article_id IN ({marks})", ids)
            conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", ids)
    with atomically(conn):
        conn.executemany(  # a number derived from the date the hash proved, not read from a damaged page
            "UPDATE articles SET published_at = ? WHERE rowid = ?",
            [(timestamp(p), r) for r, p in conn.execute("SELECT rowid, published FROM articles").fetchall()],
        )
        conn.execute("DELETE FROM sentence_vectors WHERE sentence_id NOT IN (SELECT id FROM sentences)")
        bad = [k for k, blob in conn.execute("SELECT key, vector FROM vectors") if not keyed_right(k, blob)]
        conn.executemany("DELETE FROM vectors WHERE key = ?", [(k,) for k in bad])  # a damaged vector: embedded again
        conn.execute("DELETE FROM sentence_vectors WHERE key NOT IN (SELECT key FROM vectors)")
    report.lost = lost


def _why_not_whole(article: Article, rows: Sequence[tuple], fingerprint: str) -> str | None:
    """Why an article read back from a damaged database cannot be trusted whole, or None: its
    text, as its record or its sentences spell it, must be the text its content hash was made of
    (by this Pasokh or an earlier one), and a sentence quoted from it must be a slice of it."""
    if not rows:
        return "its sentences could not be read"
    if [r[1] for r in rows] != list(range(len(rows))):
        return "some of its sentences could not be read"
    if article.text:  # kept whole in its record: each sentence is a slice of it
        if any(article.text[start:end] != text for _, _, start, end, text, _ in rows):
            return "its sentences no longer match its text"
        spelled = article.text
    elif any(gap is None for *_, gap in rows):
        return "part of its text could not be read"
    else:
        spelled = "".join(text + gap for *_, text, gap in rows)
    if not stored_as(replace(article, text=spelled), fingerprint):
        return "its text or its record changed on disk (it no longer matches its content hash)"
    return None


def _embed_lost_vectors(store: Store, embed_for: Callable[[str | None], Embed]) -> int:
    """Embed again each kept sentence whose vector was lost, as the stored ones were made;
    returns how many."""
    conn = store.conn
    wanted = [
        r[0]
        for r in conn.execute(
            "SELECT DISTINCT s.article_id FROM sentences s LEFT JOIN sentence_vectors v ON v.sentence_id = s.id "
            "WHERE v.sentence_id IS NULL"
        )
    ]
    if not wanted:
        return 0
    embed, done = embed_for(store.get_meta("vectors_embedder")), 0
    for art_id in wanted:
        article = store.article(art_id)
        if article is None:
            continue
        have = {
            r[0]
            for r in conn.execute(
                "SELECT v.sentence_id FROM sentence_vectors v JOIN sentences s ON s.id = v.sentence_id WHERE s.article_id = ?",
                (art_id,),
            )
        }
        missing: list[StoredSentence] = [s for s in store.sentences_of(art_id) if s.id not in have]
        for start in range(0, len(missing), CHUNK):
            part = missing[start : start + CHUNK]
            vectors = embed(article, part, [normalize(s.text) for s in part])
            with atomically(conn):
                put_vectors(conn, [s.id for s in part], vectors)
            done += len(part)
    return done


def _recorded_embedder(record: Path) -> str | None:
    """The embedder the vector index's record names (None when it is gone or unreadable)."""
    try:
        found = json.loads(record.read_text(encoding="utf-8")).get("embedder")
    except (OSError, ValueError, AttributeError):
        return None
    return found if isinstance(found, str) else None


def _write_lost(path: Path, lost: Sequence[LostArticle]) -> None:
    """One JSON line per lost article, as `pasokh export` writes one where its text is whole."""
    lines = []
    for a in lost:
        record = {"id": a.id, "title": a.title, "url": a.url, "lost": a.why}
        if a.text is not None:
            record["text"] = a.text
        lines.append(json.dumps({k: v for k, v in record.items() if v is not None}, ensure_ascii=False))
    atomic_write(path, ("\n".join(lines) + "\n").encode("utf-8"))


def _read_only(path: Path, still: bool = False) -> sqlite3.Connection:
    """``still``: no process writes the file (a backup's copy), so nothing is locked or logged
    beside it (a read-only connection to a WAL database leaves its -wal and -shm behind)."""
    if not path.is_file():
        raise sqlite3.DatabaseError(f"{path} is missing")
    return sqlite3.connect(f"file:{path}?{'immutable=1' if still else 'mode=ro'}", uri=True)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
