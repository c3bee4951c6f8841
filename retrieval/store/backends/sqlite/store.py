"""SQLite holds articles and sentences: the source of truth every index is rebuilt from.

Sentence ids come from AUTOINCREMENT so a deleted id is never reused; the vector index
keys on them. A ``generation`` counter moves on every committed write, which is how
readers (the bot) notice new data without watching files.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import logging
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import numpy as np

from corpus.dates import timestamp
from corpus.prepare import title_terms_of
from corpus.records import Article, PreparedArticle, StoredSentence
from retrieval.errors import REBUILD_HINT, REPAIR_HINT, StorageError, damage_said, is_damage, room_said
from retrieval.store.backends.sqlite.transactions import atomically
from retrieval.store.capabilities import COPIES_LIMIT, DocumentStore, StateStore, Stats, by_article

logger = logging.getLogger(__name__)
SCHEMA_VERSION = 7
DATABASE = "pasokh.sqlite3"  # the corpus's file in its data directory
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles(
    id TEXT PRIMARY KEY, title TEXT NOT NULL, text TEXT NOT NULL, source TEXT, published TEXT,
    news_code TEXT, url TEXT, kicker TEXT, origin TEXT, content_hash TEXT NOT NULL,
    added_at REAL NOT NULL, updated_at REAL NOT NULL, published_at REAL, title_terms TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS sentences(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL, norm TEXT, norm_key INTEGER, gap TEXT);
CREATE INDEX IF NOT EXISTS sentences_by_article ON sentences(article_id, position);
"""
_AFTER_UPGRADES = """
CREATE INDEX IF NOT EXISTS sentences_by_key ON sentences(norm_key);
CREATE INDEX IF NOT EXISTS articles_by_time ON articles(published_at);
CREATE INDEX IF NOT EXISTS articles_hashes ON articles(id, content_hash);
CREATE INDEX IF NOT EXISTS articles_by_title ON articles(title);
"""
# sentences_by_key finds every copy of a sentence (a reusable vector, the articles a quote also
# ran in) by a 64-bit hash of its normalized text; queries compare the text too. Indexing the
# text itself cost 285 MB at a million sentences, a tenth of the data directory.
# articles_by_title finds the copies of a story (wire copy keeps its headline) whose vectors a
# sentence embedded with its headline may reuse; added without a schema step, as an index only.
# articles_hashes covers what every ingest reads first (which articles it already has): without
# it that read walks every article's text, seconds at a million sentences.
# An article's text is kept once: as its sentences, each followed by its gap (what lies between it
# and the next sentence, or the end). articles.text is then '' and read back by joining them; it is
# kept whole only when the sentences do not spell the text exactly (see spelled_gaps). A second
# copy of every article cost 240 bytes a sentence, a tenth of the data directory at a million.
IN_CHUNK = 500
COMPOUND_CHUNK = 100  # SELECTs joined by UNION ALL in one statement (SQLite allows 500)
_ARTICLE_COLS = "id, title, text, source, published, news_code, url, kicker, origin"
_SENTENCE_COLS = 'id, article_id, position, start, "end", text, coalesce(norm, text)'  # a StoredSentence's fields
_SENTENCE_COLS_OF_S = 's.id, s.article_id, s.position, s.start, s."end", s.text, coalesce(s.norm, s.text)'  # … joined as s
ARTICLE_TERMS_TEXT = (
    "CREATE VIEW IF NOT EXISTS article_terms_text(article_rowid, terms) AS SELECT a.rowid, a.title_terms || "
    "coalesce((SELECT group_concat(' ' || t.terms, '') FROM (SELECT st.terms FROM sentences s "
    "JOIN sentence_terms st ON st.rowid = s.id WHERE s.article_id = a.id ORDER BY s.position) t), '') FROM articles a"
)
ARTICLE_TERMS = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS article_terms USING fts5(terms, content = 'article_terms_text', "
    "content_rowid = 'article_rowid', tokenize = \"unicode61 remove_diacritics 0\")"
)
# An article's whole terms (its title's, then each sentence's in order, as corpus.prepare.terms_of
# joins them) are its sentences' terms again: storing them cost 205 bytes a sentence, a tenth of
# the data directory. The view spells them from the title's terms and the sentences' terms, and
# the article FTS5 index reads its text from the view (an external-content table). Such an index
# removes a row by tokenizing what the view says now, so a writer removes an article's row
# *before* it changes the article's sentences (fts.LexicalIndex.forget_article).


VECTORS = "CREATE TABLE IF NOT EXISTS vectors(key INTEGER PRIMARY KEY, vector BLOB NOT NULL)"
SENTENCE_VECTORS = (
    "CREATE TABLE IF NOT EXISTS sentence_vectors(sentence_id INTEGER PRIMARY KEY REFERENCES sentences(id) "
    "ON DELETE CASCADE, key INTEGER NOT NULL)"
)
# A vector is stored once however many sentences have it: each copy of a sentence (wire copy,
# republished articles) embeds to the same vector, or reuses the stored one, and a float16
# vector is 768 bytes. ``vectors`` holds each distinct vector under a 64-bit hash of its bytes
# (``keep_vectors``); ``sentence_vectors`` gives each sentence its key. A vector no sentence
# keeps any more is deleted by the next compaction (faiss_index).


def vector_key(blob: bytes) -> int:
    """64 bits of the BLAKE2b of a stored vector's bytes, signed as SQLite stores integers."""
    return int.from_bytes(hashlib.blake2b(blob, digest_size=8).digest(), "big", signed=True)


def keyed_right(key: int, blob: bytes) -> bool:
    """Whether a stored vector still hashes to its key (or a few past it, where a collision put
    it: keep_vectors): a vector whose bytes changed on disk does not."""
    return (key - vector_key(blob)) % (1 << 64) < 64


def keep_vectors(conn: sqlite3.Connection, blobs: Sequence[bytes]) -> list[int]:
    """Store each vector unless an equal one is stored; returns each one's key. Two different
    vectors with one hash (about one chance in 10^11 at ten million) take the next free key."""
    hashed = [vector_key(b) for b in blobs]
    looked_up = set(hashed)  # one query for every key asked; only a collision's next key is asked alone
    known: dict[int, bytes] = {}
    wanted = list(looked_up)
    for start in range(0, len(wanted), IN_CHUNK):
        part = wanted[start : start + IN_CHUNK]
        marks = ",".join("?" * len(part))
        known.update(conn.execute(f"SELECT key, vector FROM vectors WHERE key IN ({marks})", part).fetchall())
    keys: list[int] = []
    for blob, key in zip(blobs, hashed, strict=True):
        while True:
            if key not in looked_up:
                looked_up.add(key)
                found = conn.execute("SELECT vector FROM vectors WHERE key = ?", (key,)).fetchone()
                if found is not None:
                    known[key] = found[0]
            if key not in known:
                conn.execute("INSERT INTO vectors(key, vector) VALUES(?, ?)", (key, blob))
                known[key] = blob
                break
            if known[key] == blob:
                break
            key = key + 1 if key < (1 << 63) - 1 else -(1 << 63)
        keys.append(key)
    return keys


@contextlib.contextmanager
def _fast_deletes(conn: sqlite3.Connection) -> Iterator[None]:
    """Drop a table without zeroing its pages. This SQLite is built with ``secure_delete`` on, so
    dropping ten million sentences' old vectors wrote 7.7 GB of zeros through the write-ahead log;
    the dropped copy is of what the database still holds, so nothing is left that was not kept."""
    before = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = FAST")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA secure_delete = {int(before)}")


def stored_norm(text: str, norm: str) -> str | None:
    """What ``sentences.norm`` holds: NULL when normalizing left the text as it was (a third of
    news sentences, 80 bytes a sentence); readers ask for ``coalesce(norm, text)``."""
    return None if norm == text else norm


def norm_key(norm: str) -> int:
    """The indexed stand-in for a sentence's normalized text: 64 bits of its BLAKE2b, signed as
    SQLite stores integers. Equal texts have equal keys; queries also compare the text."""
    return int.from_bytes(hashlib.blake2b(norm.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


def spelled_gaps(text: str, spans: Sequence[tuple[int, int, str]]) -> list[str] | None:
    """The gap after each (start, end, sentence text) span, when the spans in order, each followed
    by its gap, spell ``text`` character for character; None when they do not (a lead before the
    first sentence, an overlap, a sentence that is not the text's slice), and the text is kept whole."""
    if not spans or spans[0][0] != 0:
        return None
    gaps: list[str] = []
    for n, (start, end, sentence) in enumerate(spans):
        following = spans[n + 1][0] if n + 1 < len(spans) else len(text)
        if not start <= end <= following <= len(text) or text[start:end] != sentence:
            return None
        gaps.append(text[end:following])
    return gaps


def spelled_offsets(pieces: Sequence[tuple[str, str | None]]) -> list[tuple[int, int]]:
    """(start, end) of each sentence in the text its (sentence, gap) pieces spell, in order: the
    offsets ``spelled_gaps`` kept, as they follow from what is stored (a missing gap as none)."""
    out, at = [], 0
    for text, gap in pieces:
        out.append((at, at + len(text)))
        at += len(text) + len(gap or "")
    return out


class Store(DocumentStore, StateStore):
    """Thread-safe access to one SQLite file; every write is one transaction."""

    def __init__(self, path: Path, read_only: bool = False) -> None:
        self.path = path
        self._lock = threading.RLock()
        try:
            if read_only:
                self._conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False, isolation_level=None)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
                self._conn.execute("PRAGMA journal_mode=WAL")
                self._conn.execute("PRAGMA synchronous=FULL")
            self._conn.execute("PRAGMA foreign_keys=ON")
            if not read_only:
                self._conn.executescript(_SCHEMA)
                self._check_version()
                self._conn.executescript(_AFTER_UPGRADES)
        except sqlite3.DatabaseError as exc:
            if is_damage(exc):
                raise StorageError(f"the database {path} is damaged ({damage_said(exc)}): {REPAIR_HINT}") from exc
            room = room_said(exc, path)
            raise StorageError(f"cannot open the database {path}: {exc}" + (f" ({room})" if room else "")) from exc
        except OSError as exc:
            raise StorageError(f"cannot create the database {path}: {exc.strerror}") from exc

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    def _check_version(self) -> None:
        found = self.get_meta("schema_version")
        if found is None:
            self.set_meta("schema_version", str(SCHEMA_VERSION))
            return
        if int(found) > SCHEMA_VERSION:
            raise StorageError(
                f"{self.path} has schema version {found}, newer than this Pasokh ({SCHEMA_VERSION}) reads; upgrade Pasokh"
            )
        if int(found) == 1:
            self._upgrade_from_1()
        if int(found) <= 2:
            self._upgrade_from_2()
        if int(found) <= 3:
            self._upgrade_from_3()
        if int(found) <= 4:
            self._upgrade_from_4()
        if int(found) <= 5:
            self._upgrade_from_5()
        if int(found) <= 6:
            self._upgrade_from_6()

    def _upgrade_from_1(self) -> None:
        """Version 2 adds each article's publication time as a number, for recency and retention."""
        with self.transaction() as conn:
            conn.execute("ALTER TABLE articles ADD COLUMN published_at REAL")
            rows = conn.execute("SELECT id, published FROM articles WHERE published IS NOT NULL").fetchall()
            conn.executemany("UPDATE articles SET published_at = ? WHERE id = ?", [(timestamp(p), i) for i, p in rows])
            conn.execute("UPDATE meta SET value = '2' WHERE key = 'schema_version'")

    def _upgrade_from_2(self) -> None:
        """Version 3 stores vectors as float16 (half the bytes, same rankings) and logs removals for
        readers that apply changes instead of reloading."""
        with self.transaction() as conn:
            has_vectors = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sentence_vectors'").fetchone()
            if has_vectors:
                after = -1
                while rows := conn.execute(
                    "SELECT sentence_id, vector FROM sentence_vectors WHERE sentence_id > ? ORDER BY sentence_id LIMIT 4096",
                    (after,),
                ).fetchall():
                    after = rows[-1][0]
                    conn.executemany(
                        "UPDATE sentence_vectors SET vector = ? WHERE sentence_id = ?",
                        [(np.frombuffer(blob, dtype=np.float32).astype(np.float16).tobytes(), i) for i, blob in rows],
                    )
            conn.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")

    def _upgrade_from_3(self) -> None:
        """Version 4 finds copies of a sentence by a hash of its text instead of an index on the
        text itself (a tenth of the data directory at a million sentences)."""
        with self.transaction() as conn:
            conn.execute("ALTER TABLE sentences ADD COLUMN norm_key INTEGER")
            conn.create_function("pasokh_norm_key", 1, norm_key, deterministic=True)
            conn.execute("UPDATE sentences SET norm_key = pasokh_norm_key(norm)")
            conn.execute("DROP INDEX IF EXISTS sentences_by_norm")
            conn.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")

    def _upgrade_from_4(self) -> None:
        """Version 5 keeps each article's text once, as its sentences and the gaps between them.
        The freed pages are reused by later writes; ``VACUUM`` returns them to the disk."""
        with self.transaction() as conn:
            conn.execute("ALTER TABLE sentences ADD COLUMN gap TEXT")
            last = -1
            while rows := conn.execute(
                "SELECT rowid, id, text FROM articles WHERE rowid > ? ORDER BY rowid LIMIT 500", (last,)
            ).fetchall():
                last = rows[-1][0]
                spans: dict[str, list[tuple[int, int, int, str]]] = {}
                marks = ",".join("?" * len(rows))
                for art, sid, start, end, text in conn.execute(
                    f'SELECT article_id, id, start, "end", text FROM sentences WHERE article_id IN ({marks}) '
                    "ORDER BY article_id, position",
                    [r[1] for r in rows],
                ):
                    spans.setdefault(art, []).append((sid, start, end, text))
                for _, art, text in rows:
                    own = spans.get(art, [])
                    gaps = spelled_gaps(text, [s[1:] for s in own])
                    if gaps is not None:
                        conn.executemany("UPDATE sentences SET gap = ? WHERE id = ?", zip(gaps, (s[0] for s in own), strict=True))
                        conn.execute("UPDATE articles SET text = '' WHERE id = ?", (art,))
            conn.execute("UPDATE meta SET value = '5' WHERE key = 'schema_version'")

    def _upgrade_from_5(self) -> None:
        """Version 6 keeps only each article's title terms and spells the rest of its terms from its
        sentences' (see ARTICLE_TERMS_TEXT; the article index is refilled from that view), and
        leaves a sentence's normalized text NULL where it equals the text (``stored_norm``). Like
        version 5, the freed pages are reused by later writes; ``VACUUM`` returns them to the disk."""
        with self.transaction() as conn:
            conn.execute("ALTER TABLE articles ADD COLUMN title_terms TEXT NOT NULL DEFAULT ''")
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'article_terms'").fetchone():
                conn.execute("ALTER TABLE article_terms RENAME TO article_terms_stored")
                unmatched = self._titles_from_stored_terms(conn)
                conn.execute(ARTICLE_TERMS_TEXT)
                conn.execute(ARTICLE_TERMS)
                conn.execute(  # FTS5's own 'rebuild' cannot read a view that reads another FTS5 table
                    "INSERT INTO article_terms(rowid, terms) SELECT article_rowid, terms FROM article_terms_text"
                )
                with _fast_deletes(conn):
                    conn.execute("DROP TABLE article_terms_stored")
                if unmatched:
                    logger.warning(
                        "%d articles' stored terms did not end with their sentences' terms; their titles are not "
                        "searched until %s",
                        unmatched,
                        REBUILD_HINT,
                    )
            # Dropping a NOT NULL constraint changes nothing stored: the one schema edit SQLite's
            # documentation allows through writable_schema (https://sqlite.org/lang_altertable.html).
            cookie = int(conn.execute("PRAGMA schema_version").fetchone()[0])
            conn.execute("PRAGMA writable_schema = ON")
            conn.execute(
                "UPDATE sqlite_master SET sql = replace(sql, 'norm TEXT NOT NULL', 'norm TEXT') "
                "WHERE type = 'table' AND name = 'sentences'"
            )
            conn.execute(f"PRAGMA schema_version = {cookie + 1}")  # every connection reads the schema again
            conn.execute("PRAGMA writable_schema = OFF")
            conn.execute("UPDATE meta SET value = '6' WHERE key = 'schema_version'")
        self._clear_equal_norms()

    def _upgrade_from_6(self) -> None:
        """Version 7 stores each distinct vector once (see VECTORS): the vectors are read in
        sentence order, kept by their hash, and each sentence is given its key."""
        with self.transaction() as conn:
            columns = [r[1] for r in conn.execute("PRAGMA table_info(sentence_vectors)")]
            if "vector" in columns:
                conn.execute("ALTER TABLE sentence_vectors RENAME TO sentence_vectors_stored")
                conn.execute(VECTORS)
                conn.execute(SENTENCE_VECTORS)
                last = -1
                while rows := conn.execute(
                    "SELECT sentence_id, vector FROM sentence_vectors_stored WHERE sentence_id > ? "
                    "ORDER BY sentence_id LIMIT 4096",
                    (last,),
                ).fetchall():
                    last = rows[-1][0]
                    keys = keep_vectors(conn, [r[1] for r in rows])
                    conn.executemany(
                        "INSERT INTO sentence_vectors(sentence_id, key) VALUES(?, ?)",
                        [(r[0], k) for r, k in zip(rows, keys, strict=True)],
                    )
                with _fast_deletes(conn):
                    conn.execute("DROP TABLE sentence_vectors_stored")
            conn.execute("UPDATE meta SET value = '7' WHERE key = 'schema_version'")

    def _clear_equal_norms(self, span: int = 200_000) -> None:
        """Set ``norm`` to NULL where it equals the text, ``span`` sentence ids a transaction: in
        one transaction, ten million sentences grew the write-ahead log to 8 GB. A pass cut short
        leaves some equal norms stored, which every reader takes the same way."""
        with self._lock:
            top = int(self._conn.execute("SELECT coalesce(max(id), 0) FROM sentences").fetchone()[0])
        for start in range(0, top + 1, span):
            with self.transaction() as conn:
                conn.execute(
                    "UPDATE sentences SET norm = NULL WHERE id >= ? AND id < ? AND norm = text", (start, start + span)
                )

    @staticmethod
    def _titles_from_stored_terms(conn: sqlite3.Connection) -> int:
        """Fill ``title_terms`` from the version-5 article terms; returns how many did not match."""
        unmatched, last = 0, -1
        while rows := conn.execute(
            "SELECT a.rowid, a.id, t.terms FROM articles a LEFT JOIN article_terms_stored t ON t.rowid = a.rowid "
            "WHERE a.rowid > ? ORDER BY a.rowid LIMIT 500",
            (last,),
        ).fetchall():
            last = rows[-1][0]
            tails: dict[str, list[str]] = {}
            marks = ",".join("?" * len(rows))
            for art, terms in conn.execute(
                "SELECT s.article_id, st.terms FROM sentences s JOIN sentence_terms st ON st.rowid = s.id "
                f"WHERE s.article_id IN ({marks}) ORDER BY s.article_id, s.position",
                [r[1] for r in rows],
            ):
                tails.setdefault(art, []).append(terms)
            titles = []
            for rowid, art, stored in rows:
                title = title_terms_of(stored or "", tails.get(art, []))
                unmatched += title is None
                titles.append((title or "", rowid))
            conn.executemany("UPDATE articles SET title_terms = ? WHERE rowid = ?", titles)
        return unmatched

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """The connection, held for one read (or a statement that manages its own commit)."""
        with self._lock:
            yield self._conn

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[sqlite3.Connection]:
        """Several reads that see one committed state (a WAL read transaction)."""
        with self._lock:
            self._conn.execute("BEGIN")
            try:
                yield self._conn
            finally:
                self._conn.execute("COMMIT")

    @contextlib.contextmanager
    def _one_state(self) -> Iterator[None]:
        """Reads that must see one committed state: inside the caller's transaction if one is
        open, else a read transaction of their own."""
        with self._lock, contextlib.ExitStack() as stack:
            if not self._conn.in_transaction:
                stack.enter_context(self.snapshot())
            yield

    @staticmethod
    def generation_in(conn: sqlite3.Connection) -> int:
        """The generation as seen inside an open read or write transaction."""
        return int((conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone() or (0,))[0])

    def next_generation(self, conn: sqlite3.Connection) -> int:
        """The generation the open transaction commits as."""
        return self.generation_in(conn) + 1

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic write; the generation moves only if it commits."""
        with self._lock, atomically(self._conn):
            yield self._conn
            self._conn.execute(
                "INSERT INTO meta(key, value) VALUES('generation', '1') "
                "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )

    def get_meta(self, key: str) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._lock:
            self._conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", (key, value))

    def meta_items(self, prefix: str) -> list[tuple[str, str]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT key, value FROM meta WHERE substr(key, 1, ?) = ? ORDER BY key", (len(prefix), prefix)
            ).fetchall()
        return [(str(k), str(v)) for k, v in rows]

    def generation(self) -> int:
        return int(self.get_meta("generation") or 0)

    def content_hashes(self) -> dict[str, str]:
        with self._lock:
            return dict(self._conn.execute("SELECT id, content_hash FROM articles"))

    def sentence_ids_of(self, conn: sqlite3.Connection, article_id: str) -> list[int]:
        return [r[0] for r in conn.execute("SELECT id FROM sentences WHERE article_id = ?", (article_id,))]

    def write_article(self, conn: sqlite3.Connection, prepared: PreparedArticle) -> tuple[list[int], list[int]]:
        """Insert or replace an article inside an open transaction: (old sentence ids, new ids)."""
        a = prepared.article
        old = self.sentence_ids_of(conn, a.id)
        now = time.time()
        spelled = spelled_gaps(a.text, [(s.start, s.end, s.text) for s in prepared.sentences])
        gaps: Sequence[str | None] = spelled if spelled is not None else [None] * len(prepared.sentences)
        conn.execute("DELETE FROM sentences WHERE article_id = ?", (a.id,))
        conn.execute(
            f"INSERT INTO articles({_ARTICLE_COLS}, content_hash, added_at, updated_at, published_at) "
            "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET title=excluded.title, text=excluded.text, source=excluded.source, "
            "published=excluded.published, news_code=excluded.news_code, url=excluded.url, kicker=excluded.kicker, "
            "origin=excluded.origin, content_hash=excluded.content_hash, updated_at=excluded.updated_at, "
            "published_at=excluded.published_at",
            (
                a.id,
                a.title,
                "" if spelled is not None else a.text,
                a.agency,
                a.published,
                a.news_code,
                a.url,
                a.kicker,
                a.origin,
                prepared.content_hash,
                now,
                now,
                timestamp(a.published),
            ),
        )
        new = []
        for s, gap in zip(prepared.sentences, gaps, strict=True):
            cur = conn.execute(
                'INSERT INTO sentences(article_id, position, start, "end", text, norm, norm_key, gap) VALUES(?,?,?,?,?,?,?,?)',
                (a.id, s.position, s.start, s.end, s.text, stored_norm(s.text, s.norm), norm_key(s.norm), gap),
            )
            new.append(int(cur.lastrowid or 0))
        return old, new

    def delete_article(self, conn: sqlite3.Connection, article_id: str) -> list[int] | None:
        """Delete inside an open transaction; returns its sentence ids, or None if unknown."""
        if conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is None:
            return None
        old = self.sentence_ids_of(conn, article_id)
        conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        return old

    def stats(self) -> Stats:
        with self._lock:
            arts = self._conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            sents = self._conn.execute("SELECT COUNT(*) FROM sentences").fetchone()[0]
        return Stats(articles=arts, sentences=sents, generation=self.generation())

    def article(self, article_id: str) -> Article | None:
        found = self._read_articles("WHERE id = ?", (article_id,))
        return found[0] if found else None

    def articles_by_id(self, article_ids: Iterable[str]) -> dict[str, Article]:
        wanted = list(dict.fromkeys(article_ids))
        found: dict[str, Article] = {}
        for start in range(0, len(wanted), IN_CHUNK):
            part = wanted[start : start + IN_CHUNK]
            found.update((a.id, a) for a in self._read_articles(f"WHERE id IN ({','.join('?' * len(part))})", part))
        return found

    def _read_articles(self, where: str, params: Sequence[object]) -> list[Article]:
        """The articles ``SELECT … FROM articles {where}`` names, each text spelled again from its
        sentences and their gaps where only those keep it: one more query for the page, in the
        same read transaction, so a concurrent rewrite of an article is seen whole or not at all."""
        with self._one_state():
            rows = self._conn.execute(f"SELECT {_ARTICLE_COLS} FROM articles {where}", params).fetchall()
            texts: dict[str, list[str]] = {}
            for art, text, gap in self.select_in(
                "SELECT article_id, text, COALESCE(gap, '') FROM sentences WHERE article_id IN ({marks}) "
                "ORDER BY article_id, position",
                [r[0] for r in rows if r[2] == ""],
            ):
                texts.setdefault(art, []).extend((text, gap))
        return [Article(r[0], r[1], "".join(texts.get(r[0], ())) if r[2] == "" else r[2], *r[3:]) for r in rows]

    def unspelled(self) -> tuple[list[str], list[str]]:
        """Articles kept as sentences and gaps that no longer spell their text: (those whose
        sentence offsets do not follow from the texts and gaps, which ``realign`` repairs; those
        left with no sentences or a missing gap, whose text is lost). Read in one pass, by id."""
        offsets: list[str] = []
        lost: list[str] = []
        with self._one_state():
            lost += [
                r[0]
                for r in self._conn.execute(
                    "SELECT id FROM articles a WHERE text = '' AND NOT EXISTS (SELECT 1 FROM sentences WHERE article_id = a.id)"
                )
            ]
            rows = self._conn.execute(
                'SELECT s.article_id, s.start, s."end", s.text, s.gap FROM articles a JOIN sentences s ON s.article_id = a.id '
                "WHERE a.text = '' ORDER BY s.article_id, s.position"
            )
            for article_id, group in itertools.groupby(rows, key=lambda r: r[0]):
                own = list(group)
                if any(r[4] is None for r in own):
                    lost.append(article_id)
                elif [r[1:3] for r in own] != spelled_offsets([r[3:5] for r in own]):
                    offsets.append(article_id)
        return offsets, lost

    @staticmethod
    def realign(conn: sqlite3.Connection, article_id: str) -> None:
        """Inside an open transaction: set the offsets of an article kept as sentences and gaps to
        where its texts and gaps put them."""
        rows = conn.execute(
            'SELECT s.id, s.start, s."end", s.text, s.gap FROM sentences s JOIN articles a '
            "ON a.id = s.article_id WHERE a.id = ? AND a.text = '' ORDER BY s.position",
            (article_id,),
        ).fetchall()
        wanted = spelled_offsets([r[3:5] for r in rows])
        conn.executemany(
            'UPDATE sentences SET start = ?, "end" = ? WHERE id = ?',
            [(*w, r[0]) for r, w in zip(rows, wanted, strict=True) if tuple(r[1:3]) != w],
        )

    def article_key(self, article_id: str) -> int | None:
        """A short, stable integer for an article (its rowid): fits where an id string may not."""
        with self._lock:
            row = self._conn.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        return int(row[0]) if row else None

    def article_by_key(self, key: int) -> Article | None:
        found = self._read_articles("WHERE rowid = ?", (key,))
        return found[0] if found else None

    def articles(self, offset: int = 0, limit: int = 50) -> list[Article]:
        return self._read_articles("ORDER BY id LIMIT ? OFFSET ?", (limit, offset))

    def iter_articles(self, batch: int = 200) -> Iterator[Article]:
        """Every article, a page at a time so memory stays bounded."""
        offset = 0
        while page := self.articles(offset, batch):
            yield from page
            offset += batch

    def select_in(self, sql: str, values: Iterable[object]) -> list[tuple]:
        """Rows of ``sql`` whose ``{marks}`` placeholder is filled with ``values``, in chunks that
        stay under SQLite's limit on bound parameters."""
        values = list(values)
        rows: list[tuple] = []
        with self._lock:
            for start in range(0, len(values), IN_CHUNK):
                part = values[start : start + IN_CHUNK]
                rows += self._conn.execute(sql.format(marks=",".join("?" * len(part))), part).fetchall()
        return rows

    def sentences(self, ids: Iterable[int]) -> dict[int, StoredSentence]:
        rows = self.select_in(
            f"SELECT {_SENTENCE_COLS} FROM sentences WHERE id IN ({{marks}})", ids
        )
        return {row[0]: StoredSentence(*row) for row in rows}

    def sentences_of(self, article_id: str, limit: int = -1) -> list[StoredSentence]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_SENTENCE_COLS} FROM sentences WHERE article_id = ? ORDER BY position LIMIT ?",
                (article_id, limit),
            ).fetchall()
        return [StoredSentence(*r) for r in rows]

    def openings(self, article_ids: Sequence[str], limit: int) -> dict[str, list[StoredSentence]]:
        """One statement for all the articles: a compound of each article's own ordered, limited
        read (a window over all their rows would read a book-sized article whole)."""
        wanted = list(dict.fromkeys(article_ids))
        part = f"SELECT * FROM (SELECT {_SENTENCE_COLS} FROM sentences WHERE article_id = ? ORDER BY position LIMIT ?)"
        rows = []
        with self._lock:
            for start in range(0, len(wanted), COMPOUND_CHUNK):
                chunk = wanted[start : start + COMPOUND_CHUNK]
                params = [v for a in chunk for v in (a, limit)]
                rows += self._conn.execute(" UNION ALL ".join([part] * len(chunk)), params).fetchall()
        return by_article((StoredSentence(*row) for row in rows), wanted)

    def sentences_near(self, article_id: str, position: int, width: int) -> list[StoredSentence]:
        """The sentences at ``position ± width``: what context needs, without reading a whole article."""
        with self._lock:
            rows = self._conn.execute(
                f"SELECT {_SENTENCE_COLS} FROM sentences WHERE article_id = ? AND position BETWEEN ? AND ? ORDER BY position",
                (article_id, position - width, position + width),
            ).fetchall()
        return [StoredSentence(*r) for r in rows]

    def sentences_around(self, places: Sequence[tuple[str, int]], width: int) -> dict[tuple[str, int], list[StoredSentence]]:
        wanted = list(dict.fromkeys(places))
        out: dict[tuple[str, int], list[StoredSentence]] = {place: [] for place in wanted}
        with self._lock:
            for start in range(0, len(wanted), IN_CHUNK // 3):
                part = wanted[start : start + IN_CHUNK // 3]
                marks = ",".join("(?,?,?)" for _ in part)
                rows = self._conn.execute(  # each window read by the (article_id, position) index
                    f"WITH w(n, a, p) AS (VALUES {marks}) "
                    f"SELECT w.n, {_SENTENCE_COLS_OF_S} FROM w "
                    "JOIN sentences s ON s.article_id = w.a AND s.position BETWEEN w.p - ? AND w.p + ? ORDER BY w.n, s.position",
                    [v for n, (a, pos) in enumerate(part) for v in (n, a, pos)] + [width, width],
                ).fetchall()
                for row in rows:
                    out[part[row[0]]].append(StoredSentence(*row[1:]))
        return out

    def neighbours(self, sentences: Iterable[StoredSentence], width: int = 1) -> dict[int, StoredSentence]:
        """The sentences within ``width`` of the given ones, in their articles, that are not among them.

        :meth:`write_article` writes an article's sentences together, in order, so a neighbour's
        id is nearly always the sentence's own plus the distance between them: those ids are read
        first, by the table's own key, and a row counts only if its article and position are the
        ones sought. What that misses (a corpus written otherwise) is read through the index on
        (article, position), which costs a second lookup a row: 4.7 → 3.6 ms for the ~470
        neighbours of 250 candidates at a million sentences, warm, and fewer pages read cold."""
        given = list(sentences)
        have = {(s.article_id, s.position) for s in given}
        sought = {(s.article_id, p) for s in given for p in range(s.position - width, s.position + width + 1) if p >= 0}
        sought -= have
        guess: dict[int, tuple[str, int]] = {}
        for s in given:
            for p in range(s.position - width, s.position + width + 1):
                if (s.article_id, p) in sought:
                    guess.setdefault(s.id + p - s.position, (s.article_id, p))
        out = {i: n for i, n in self.sentences(guess).items() if guess[i] == (n.article_id, n.position)}
        wanted = sorted(sought - {(n.article_id, n.position) for n in out.values()})
        with self._lock:
            for start in range(0, len(wanted), IN_CHUNK // 2):
                part = wanted[start : start + IN_CHUNK // 2]
                marks = ",".join("(?,?)" for _ in part)
                rows = self._conn.execute(  # a join, not a row-value IN: that one scans the whole index
                    f"WITH w(a, p) AS (VALUES {marks}) "
                    f"SELECT {_SENTENCE_COLS_OF_S} FROM w "
                    "JOIN sentences s ON s.article_id = w.a AND s.position = w.p",
                    [v for pair in part for v in pair],
                ).fetchall()
                out.update((r[0], StoredSentence(*r)) for r in rows)
        return out

    def iter_sentences(self, batch: int = 1000) -> Iterator[list[StoredSentence]]:
        """All sentences in id order, a batch at a time so memory stays bounded."""
        last = -1
        while True:
            with self._lock:
                rows = self._conn.execute(
                    f"SELECT {_SENTENCE_COLS} FROM sentences WHERE id > ? ORDER BY id LIMIT ?",
                    (last, batch),
                ).fetchall()
            if not rows:
                return
            yield [StoredSentence(*r) for r in rows]
            last = rows[-1][0]

    def published_times(self, article_ids: Iterable[str]) -> dict[str, float | None]:
        return dict(self.select_in("SELECT id, published_at FROM articles WHERE id IN ({marks})", article_ids))  # type: ignore[arg-type]

    def agencies(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        return dict(self.select_in("SELECT id, source FROM articles WHERE id IN ({marks})", article_ids))  # type: ignore[arg-type]

    def latest(self, limit: int) -> list[Article]:
        return self._read_articles("WHERE published_at IS NOT NULL ORDER BY published_at DESC, id LIMIT ?", (limit,))

    def published_before(self, cutoff: float) -> list[str]:
        with self._lock:
            return [r[0] for r in self._conn.execute("SELECT id FROM articles WHERE published_at < ? ORDER BY id", (cutoff,))]

    def copies(self, norms: Iterable[str], limit: int = COPIES_LIMIT) -> dict[str, list[str]]:
        """Articles holding each sentence, newest first and at most ``limit`` of them: a wire story
        can run in hundreds of articles, and a citation names only a few."""
        out: dict[str, list[str]] = {}
        with self._lock:
            for norm in dict.fromkeys(norms):
                rows = self._conn.execute(
                    "SELECT article_id FROM sentences WHERE norm_key = ? AND coalesce(norm, text) = ? "
                    "ORDER BY id DESC LIMIT ?",
                    (norm_key(norm), norm, limit),
                ).fetchall()
                if rows:
                    out[norm] = list(dict.fromkeys(r[0] for r in rows))
        return out

    def all_sentence_ids(self) -> set[int]:
        with self._lock:
            return {r[0] for r in self._conn.execute("SELECT id FROM sentences")}
