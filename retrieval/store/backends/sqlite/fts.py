"""Lexical search with SQLite FTS5 and its bm25 ranking, over analyzed (normalized, stemmed) terms.

The terms are computed in Python by corpus.normalize.analyze so documents and questions
share one analyzer; FTS5 only sees space-separated terms.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence

from retrieval.errors import REBUILD_HINT, IndexMismatchError
from retrieval.records import Hit
from retrieval.store.backends.sqlite.store import ARTICLE_TERMS, ARTICLE_TERMS_TEXT, Store

_DDL = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS sentence_terms USING fts5(terms, tokenize = "unicode61 remove_diacritics 0");
CREATE VIRTUAL TABLE IF NOT EXISTS sentence_terms_vocab USING fts5vocab(sentence_terms, row);
{ARTICLE_TERMS_TEXT};
{ARTICLE_TERMS};
"""


def create_tables(store: Store) -> None:
    """The FTS5 tables and the view the article index reads, empty (a rebuild fills them)."""
    with store.reading() as conn:
        conn.executescript(_DDL)


def log_changed_article(conn: sqlite3.Connection, rowid: int, generation: int) -> None:
    """An article's terms changed (or it went): a reader holding article postings from an older
    generation re-reads it; compaction folds it in and prunes the log (like removed_vectors)."""
    conn.execute("INSERT OR REPLACE INTO changed_articles(article_rowid, generation) VALUES(?, ?)", (rowid, generation))


def averaged_rows(block: object) -> int | None:
    """The row count that opens an FTS5 averages record: an SQLite varint (big-endian groups
    of seven bits, a ninth byte of eight), or None when ``block`` is not one."""
    if not isinstance(block, bytes) or not block:
        return None
    value = 0
    for n, byte in enumerate(block[:9]):
        if n == 8:
            return (value << 8) | byte
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            return value
    return None


def fts_query(terms: Iterable[str]) -> str:
    """An OR of quoted terms: any match counts, bm25 ranks. Quoting keeps FTS syntax out."""
    unique = dict.fromkeys(t.replace('"', '""') for t in terms if t)
    return " OR ".join(f'"{t}"' for t in unique)


class LexicalIndex:
    def __init__(self, store: Store, signature: str) -> None:
        self.store = store
        self.signature = signature
        if store.get_meta("lexical_signature") is None:
            create_tables(store)
            store.set_meta("lexical_signature", self.signature)

    def check(self) -> None:
        found = self.store.get_meta("lexical_signature")
        if found != self.signature:
            raise IndexMismatchError(
                f"the lexical index was built with analyzer/normalization {found!r}, "
                f"the config says {self.signature!r}; {REBUILD_HINT}"
            )

    @staticmethod
    def add(conn: sqlite3.Connection, rows: Iterable[tuple[int, str]]) -> None:
        """(sentence id, space-joined terms) rows; an iterator keeps a huge article's terms out of memory."""
        conn.executemany("INSERT INTO sentence_terms(rowid, terms) VALUES(?, ?)", rows)

    @staticmethod
    def remove(conn: sqlite3.Connection, ids: Sequence[int]) -> None:
        conn.executemany("DELETE FROM sentence_terms WHERE rowid = ?", [(i,) for i in ids])

    @staticmethod
    def clear(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM sentence_terms")
        conn.execute("INSERT INTO article_terms(article_terms) VALUES('delete-all')")

    @staticmethod
    def forget_article(conn: sqlite3.Connection, article_id: str) -> int | None:
        """Take an article out of the article index while its sentences still spell the terms it
        was indexed with (the index removes what the view says now; see store.ARTICLE_TERMS_TEXT).
        Call before its sentences change; returns its rowid, or None for a new article."""
        row = conn.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            return None
        conn.execute("DELETE FROM article_terms WHERE rowid = ?", (row[0],))
        return int(row[0])

    @staticmethod
    def put_article(conn: sqlite3.Connection, article_id: str, title_terms: str, generation: int | None = None) -> None:
        """Index the whole article (its title's terms, then its sentences' as stored) under its
        rowid: questions spread over sentences. Its old row must be gone (``forget_article``).
        A ``generation`` logs the change for readers' article postings (see postings)."""
        rowid = conn.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
        conn.execute("UPDATE articles SET title_terms = ? WHERE rowid = ?", (title_terms, rowid))
        conn.execute(
            "INSERT INTO article_terms(rowid, terms) SELECT article_rowid, terms FROM article_terms_text "
            "WHERE article_rowid = ?",
            (rowid,),
        )
        if generation is not None:
            log_changed_article(conn, rowid, generation)

    @staticmethod
    def remove_article(conn: sqlite3.Connection, article_id: str, generation: int | None = None) -> None:
        rowid = LexicalIndex.forget_article(conn, article_id)
        if rowid is not None and generation is not None:
            log_changed_article(conn, rowid, generation)

    def search_articles(self, terms: Sequence[str], k: int) -> list[tuple[str, float]]:
        query = fts_query(terms)
        if not query:
            return []
        with self.store.reading() as conn:
            rows = conn.execute(  # rank inside FTS5 first: joining before the LIMIT sorts every match
                "SELECT a.id, -m.score FROM (SELECT rowid, bm25(article_terms) AS score FROM article_terms "
                "WHERE article_terms MATCH ? ORDER BY bm25(article_terms) LIMIT ?) m "
                "JOIN articles a ON a.rowid = m.rowid ORDER BY m.score",
                (query, k),
            ).fetchall()
        return [(r[0], float(r[1])) for r in rows]

    def article_terms_of(self, article_id: str) -> frozenset[str]:
        """The whole article's indexed terms (title and every sentence)."""
        return frozenset(self.raw_article_terms(article_id).split())

    def raw_article_terms(self, article_id: str) -> str:
        """The article's terms as indexed, in order and with repeats (bm25 counts them)."""
        with self.store.reading() as conn:
            row = conn.execute(
                "SELECT t.terms FROM article_terms_text t JOIN articles a ON a.rowid = t.article_rowid WHERE a.id = ?",
                (article_id,),
            ).fetchone()
        return row[0] if row else ""

    def raw_terms(self, sentence_ids: Iterable[int]) -> dict[int, str]:
        """Read from the table FTS5 keeps the indexed text in (``sentence_terms_content``: rowid
        and one column per indexed column), not through the virtual table, whose lookup by rowid
        costs twice as much: a few hundred candidates a question at a million sentences."""
        rows = self.store.select_in("SELECT id, c0 FROM sentence_terms_content WHERE id IN ({marks})", sentence_ids)
        return {int(r[0]): r[1] for r in rows}

    def article_rows(self) -> int:
        """Articles in the article index: its own per-row record (``article_terms_docsize``), not
        ``COUNT(*)``, which counts the articles its view spells and so cannot disagree."""
        with self.store.reading() as conn:
            return int(conn.execute("SELECT COUNT(*) FROM article_terms_docsize").fetchone()[0])

    def article_rowids(self) -> set[int]:
        with self.store.reading() as conn:
            return {r[0] for r in conn.execute("SELECT id FROM article_terms_docsize")}

    def search(self, terms: Sequence[str], k: int) -> list[Hit]:
        query = fts_query(terms)
        if not query:
            return []
        with self.store.reading() as conn:
            rows = conn.execute(
                "SELECT rowid, -bm25(sentence_terms) FROM sentence_terms WHERE sentence_terms MATCH ? "
                "ORDER BY bm25(sentence_terms) LIMIT ?",
                (query, k),
            ).fetchall()
        return [Hit(int(r[0]), float(r[1])) for r in rows]

    def terms_of(self, sentence_ids: Iterable[int]) -> dict[int, frozenset[str]]:
        """Each sentence's analyzed terms as indexed: features read them without analyzing again."""
        return {i: frozenset(t.split()) for i, t in self.raw_terms(sentence_ids).items()}

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """How many sentences hold each term; terms the index has never seen are left out."""
        unique = list(dict.fromkeys(terms))
        if not unique:
            return {}
        rows = self.store.select_in("SELECT term, doc FROM sentence_terms_vocab WHERE term IN ({marks})", unique)
        return {term: int(doc) for term, doc in rows}

    def rows(self) -> int:
        """How many sentences are indexed. FTS5 keeps the count at the head of its averages
        record (rowid 1 of ``sentence_terms_data``, where bm25 reads it): one row read instead
        of COUNT(*), which walks the table (0.3 s of a cold question at a million sentences)."""
        with self.store.reading() as conn:
            counted = None
            if not conn.in_transaction:  # FTS5 writes the record when a transaction commits
                found = conn.execute("SELECT block FROM sentence_terms_data WHERE id = 1").fetchone()
                counted = averaged_rows(found[0]) if found else None
            if counted is None:  # inside a write, an index never written to, or a record we cannot read
                return int(conn.execute("SELECT COUNT(*) FROM sentence_terms").fetchone()[0])
            return counted

    def ids(self) -> set[int]:
        with self.store.reading() as conn:
            return {r[0] for r in conn.execute("SELECT rowid FROM sentence_terms")}
