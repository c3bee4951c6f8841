"""PostgreSQL with pgvector: the schema, its searches and its writers.

- Articles, sentences, their terms and vectors live in one schema (``[storage] schema``;
  each evaluation corpus gets a schema of its own).
- Dense search is an HNSW index (inner product) on the distinct sentence vectors: each vector
  is stored once (``vectors``, keyed by a hash of its bytes, as the sqlite backend keeps them)
  however many copies of a sentence carry it, and sentences point at theirs (``vector_key``).
  A graph whose nodes had hundreds of identical twins lost most of its recall (0.47 @10 on the
  million-sentence bench corpus) and had to be searched hundreds deep to find fifty distinct
  sentences.
- Lexical search is FTS5's BM25 (its parameters, idf and tokenization, so answers match the
  sqlite backend's) over term postings: each term's postings as of the last compaction packed
  into arrays in one row (``packed_postings``), those written since read from the postings
  tables, and those removed since listed apart (``packed_gone``); scored with numpy, the way the
  sqlite backend scores its postings file (:mod:`retrieval.store.bm25`).
- Writers hold a session advisory lock for the length of a write, which ingest makes one
  batch (embedding happens before, outside it, so several workers embed in parallel); each
  batch is one transaction, so readers only ever see committed articles, and a writer that
  dies loses its lock and its open transaction with its connection.
- The schema is versioned; an older or newer one is refused with the command that fixes it.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import socket
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import psycopg
from pgvector.psycopg import register_vector
from psycopg import sql

from corpus.dates import timestamp
from corpus.records import Article, PreparedArticle, Sentence, StoredSentence
from retrieval.errors import REBUILD_HINT, BackupError, IndexMismatchError, StorageError, WriteLockedError, rebuild_hint
from retrieval.records import Hit
from retrieval.settings import StorageSettings
from retrieval.store import Storage, bm25
from retrieval.store.backends.postgres.botstate import PostgresBotState
from retrieval.store.backends.postgres.connection import connect, create_missing, not_allowed, reported_loss
from retrieval.store.backends.sqlite.botlog import open_bot_log
from retrieval.store.backends.sqlite.store import vector_key
from retrieval.store.botstate import BotState, Pseudonyms
from retrieval.store.capabilities import (
    COPIES_LIMIT,
    TITLE_COPIES_LIMIT,
    Backend,
    BackupReport,
    Candidates,
    CheckReport,
    Derive,
    Embed,
    IndexedArticle,
    RebuildProgress,
    Signature,
    Stats,
    Writer,
    as_stored,
    by_article,
    headline_only,
)

logger = logging.getLogger(__name__)
SCHEMA_VERSION = 7
UPGRADE_HINT = "run `pasokh migrate --upgrade`"
_PACKED = [
    "CREATE TABLE {schema}.packs(kind text PRIMARY KEY, pack integer NOT NULL, upto bigint NOT NULL)",
    "INSERT INTO {schema}.packs VALUES ('s', 0, 0), ('a', 0, 0)",
    "CREATE TABLE {schema}.packed_postings(kind text NOT NULL, pack integer NOT NULL, term text NOT NULL, "
    "ids bytea NOT NULL, tfs bytea NOT NULL, lengths bytea NOT NULL, PRIMARY KEY (kind, pack, term))",
    "ALTER TABLE {schema}.packed_postings ALTER COLUMN ids SET STORAGE EXTERNAL, "
    "ALTER COLUMN tfs SET STORAGE EXTERNAL, ALTER COLUMN lengths SET STORAGE EXTERNAL",
    "CREATE TABLE {schema}.packed_gone(kind text NOT NULL, id bigint NOT NULL, postings integer NOT NULL)",
    "CREATE INDEX ON {schema}.packed_gone(kind, id)",
]
"""Schema 6: per kind ('s' sentences, 'a' articles) the current pack and the last id it holds;
each term's postings in that pack as big-endian arrays (ids int8, tf and length int4), stored
uncompressed so a read is a copy; and the documents removed since (with their posting count, for
``check``). A pack is replaced by writing the next one beside it (:func:`_pack`)."""
PACK_SHARE = 0.10  # a writer packs again once this share of the documents is new or removed
PACK_MIN = 2000  # ... and at least this many: below that the unpacked postings cost nothing
"""Each pack reads every posting (35 s at a million sentences), so growing a corpus packs at
most once a tenth of its growth; the postings written since cost a search about what they
cost before packing existed (an index range per term), so a tenth of them costs little."""
COMPACT_HINT = "run `pasokh index --compact`"
_SENTENCES_BY_NORM = "CREATE INDEX sentences_by_norm ON {schema}.sentences(md5(norm), id)"
"""A sentence's copies, newest first (schema 7): named once, for a fresh schema and the upgrade."""
UPGRADES: dict[int, list[str]] = {
    1: [
        "ALTER TABLE {schema}.articles ADD COLUMN published_at double precision",
        "CREATE INDEX articles_by_time ON {schema}.articles(published_at)",
    ],
    2: [
        "CREATE TABLE {schema}.term_df(kind text NOT NULL, term text NOT NULL, df bigint NOT NULL, PRIMARY KEY (kind, term))",
        "INSERT INTO {schema}.term_df SELECT 's', term, count(*) FROM {schema}.sentence_postings GROUP BY term",
        "INSERT INTO {schema}.term_df SELECT 'a', term, count(*) FROM {schema}.article_postings GROUP BY term",
    ],
    3: ["CREATE INDEX articles_by_title ON {schema}.articles(md5(title))"],
    4: [
        "ALTER TABLE {schema}.sentence_postings DROP CONSTRAINT sentence_postings_pkey, "
        "ADD PRIMARY KEY (term, sentence_id) INCLUDE (tf, length)",
        "ALTER TABLE {schema}.sentence_postings SET (autovacuum_vacuum_insert_scale_factor = 0.01)",
        "ALTER TABLE {schema}.article_postings DROP CONSTRAINT article_postings_pkey, "
        "ADD PRIMARY KEY (term, article_key) INCLUDE (tf, length)",
        "ALTER TABLE {schema}.article_postings SET (autovacuum_vacuum_insert_scale_factor = 0.01)",
    ],
    5: _PACKED,
    6: [
        "DROP INDEX IF EXISTS {schema}.sentences_by_norm",
        _SENTENCES_BY_NORM,
    ],
}
"""Statements that take a schema from version N to N + 1, applied in order by :meth:`upgrade`
(version 2: each article's publication time as a number, for recency and retention; version 3:
each term's document frequency kept by the writers, which counting at question time cost
hundreds of milliseconds at a million sentences; version 4: articles found by their title, for
reusing the vectors of sentences embedded with their headline; version 5: a term's postings read
from the primary key's index alone, which carries their counts, instead of a heap page per
posting, and each distinct vector stored once, its HNSW index on those, which is a data move,
:meth:`PostgresBackend._vectors_apart`; version 6: packed postings, empty until the upgrade packs
them, and correct meanwhile, since everything past an empty pack is read from the postings;
version 7: a sentence's copies found newest first in the index on its text's hash, so that the
forty a citation names are the only rows read, where a wire story's hundreds were). The
postings tables are vacuumed after 1% growth rather than 20%, since a page is read from the index
alone only once a vacuum has marked it visible."""
LOCK_WAIT_SECONDS = 60.0
_ARTICLE_COLS = "id, title, text, source, published, news_code, url, kicker, origin"
_SENTENCE_COLS = 'id, article_id, position, start, "end", text, norm'
_READ_COLS = _SENTENCE_COLS + ", terms"


def _read_cols(alias: str) -> str:
    """:data:`_READ_COLS` of a table aliased ``alias`` in a join."""
    return ", ".join(f"{alias}.{c.strip()}" for c in _READ_COLS.split(","))

TERMS_KEPT = 100_000  # sentences whose terms a reader remembers (a question reads about 700)

# schema 5's vector layout, named once: a fresh schema, the upgrade and a rebuild create the same
_VECTORS = "CREATE TABLE {schema}.vectors(key bigint PRIMARY KEY, embedding vector({dim}) NOT NULL)"
_VECTORS_HNSW = "CREATE INDEX vectors_hnsw ON {schema}.vectors USING hnsw (embedding vector_ip_ops)"
_SENTENCES_BY_VECTOR = "CREATE INDEX sentences_by_vector ON {schema}.sentences(vector_key, id)"
_LOOKUPS = (
    ("articles", "articles_by_time", "published_at"),
    ("articles", "articles_by_title", "md5(title)"),
    ("sentences", None, 'article_id, "position"'),
    ("sentences", "sentences_by_norm", "md5(norm), id"),
    ("sentences", "sentences_by_vector", "vector_key, id"),
    ("sentence_postings", None, "sentence_id"),
    ("article_postings", None, "article_key"),
)
"""The schema's B-tree indexes a question or a write looks rows up by (table, name or None for
the name PostgreSQL gave it, columns as ``pg_get_indexdef`` spells them). Without one nothing is
wrong but everything is slow: an article's sentences, a quote's copies, a removal's postings
would each be read by a scan of the table (:meth:`PostgresBackend.check` names a missing one)."""
_UNKEPT = "{schema}.vectors v WHERE NOT EXISTS (SELECT 1 FROM {schema}.sentences s WHERE s.vector_key = v.key)"
"""Stored vectors no sentence points at (prefix ``DELETE FROM`` or ``SELECT count(*) FROM``)."""
_NEAR = (
    "near AS MATERIALIZED (SELECT key, embedding <#> %(q)s AS d FROM {schema}.vectors "
    "ORDER BY embedding <#> %(q)s LIMIT %(k)s)"
)
"""The ``k`` distinct vectors nearest ``q``, by HNSW: the start of every dense search."""


_DDL = """
CREATE TABLE {schema}.meta(key text PRIMARY KEY, value text NOT NULL);
CREATE TABLE {schema}.articles(
    key bigserial UNIQUE, id text PRIMARY KEY, title text NOT NULL, text text NOT NULL, source text, published text,
    news_code text, url text, kicker text, origin text, content_hash text NOT NULL,
    terms text NOT NULL, length integer NOT NULL,
    added_at double precision NOT NULL, updated_at double precision NOT NULL, published_at double precision);
CREATE INDEX articles_by_time ON {schema}.articles(published_at);
CREATE INDEX articles_by_title ON {schema}.articles(md5(title));
CREATE TABLE {schema}.sentences(
    id bigserial PRIMARY KEY, article_id text NOT NULL REFERENCES {schema}.articles(id) ON DELETE CASCADE,
    position integer NOT NULL, start integer NOT NULL, "end" integer NOT NULL, text text NOT NULL, norm text NOT NULL,
    terms text NOT NULL, vector_key bigint);
CREATE INDEX ON {schema}.sentences(article_id, position);
""" + "".join(f"{statement};\n" for statement in (_SENTENCES_BY_NORM, _SENTENCES_BY_VECTOR, _VECTORS, _VECTORS_HNSW)) + """
CREATE TABLE {schema}.sentence_postings(
    term text NOT NULL, sentence_id bigint NOT NULL REFERENCES {schema}.sentences(id) ON DELETE CASCADE,
    tf integer NOT NULL, length integer NOT NULL, PRIMARY KEY (term, sentence_id) INCLUDE (tf, length))
    WITH (autovacuum_vacuum_insert_scale_factor = 0.01);
CREATE INDEX ON {schema}.sentence_postings(sentence_id);
CREATE TABLE {schema}.article_postings(
    term text NOT NULL, article_key bigint NOT NULL REFERENCES {schema}.articles(key) ON DELETE CASCADE,
    tf integer NOT NULL, length integer NOT NULL, PRIMARY KEY (term, article_key) INCLUDE (tf, length))
    WITH (autovacuum_vacuum_insert_scale_factor = 0.01);
CREATE INDEX ON {schema}.article_postings(article_key);
CREATE TABLE {schema}.totals(what text PRIMARY KEY, rows bigint NOT NULL, tokens bigint NOT NULL);
CREATE TABLE {schema}.term_df(kind text NOT NULL, term text NOT NULL, df bigint NOT NULL, PRIMARY KEY (kind, term));
INSERT INTO {schema}.totals VALUES ('sentences', 0, 0), ('articles', 0, 0);
""" + "".join(f"{statement};\n" for statement in _PACKED)


def open_storage(storage: StorageSettings, location: Path, signature: Signature, corpus: str | None = None) -> Storage:
    """One database provides every capability, the bot's state included, so bot replicas share
    it; with the question log off (no location) the bot keeps its state in memory."""
    backend = open_backend(storage, location, signature, corpus)

    def bot_state(where: Path | None, ids: Pseudonyms, keep_days: float) -> BotState:
        if where is None:
            return open_bot_log(None, ids, keep_days)
        return PostgresBotState(backend.url, backend.schema, ids, keep_days)

    return Storage.of(backend, bot_state)


def open_backend(storage: StorageSettings, location: Path, signature: Signature, corpus: str | None = None) -> PostgresBackend:
    if not storage.database_url:
        raise StorageError(
            "the postgres backend needs PASOKH_DATABASE_URL in the environment "
            "(for example postgresql://pasokh:secret@db.internal/pasokh)"
        )
    own = storage.postgres
    schema = own.schema if corpus is None else f"{own.schema}_{corpus}"
    return PostgresBackend(storage.database_url, schema, signature, own.ef_search, own.lock_wait_seconds)


def schema_name(raw: str) -> str:
    """A safe, lower-case SQL name (PostgreSQL keeps 63 bytes)."""
    return re.sub(r"[^a-z0-9_]", "_", raw.lower())[:63]


def split_terms(terms: str) -> list[str]:
    """The tokens FTS5's unicode61 tokenizer sees in a terms string: runs of letters, marks and
    digits, case-folded; everything else separates. BM25 here must count what FTS5 counts."""
    out: list[str] = []
    current: list[str] = []
    for ch in terms.lower():
        if unicodedata.category(ch)[0] in "LNM" or unicodedata.category(ch) == "Co":
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


def _array(value: object) -> np.ndarray:
    """A stored pgvector value as float32 (the adapter hands back its own Vector type)."""
    to_numpy = getattr(value, "to_numpy", None)
    return np.asarray(to_numpy() if to_numpy else value, dtype=np.float32)


_POSTINGS = {"s": ("sentence_postings", "sentence_id", "sentences"), "a": ("article_postings", "article_key", "articles")}
"""Per kind of document: its postings table, the column naming the document, its totals row."""
_POSTINGS_TABLES = tuple(table for table, _, _ in _POSTINGS.values())
_STATE = (
    "SELECT (SELECT value FROM {schema}.meta WHERE key = 'generation') AS generation, "
    "(SELECT pack FROM {schema}.packs WHERE kind = %(kind)s) AS pack"
)
"""Which committed state of the corpus a read saw, as far as removals go: every writer's
transaction moves the generation, every pack moves the pack."""


def _scored(rows: Sequence[tuple], gone: np.ndarray, k: int) -> list[Hit]:
    """The best ``k`` of :meth:`PostgresBackend._bm25`'s rows: (0, term, ids, tfs, lengths) from
    the pack, (1, term, …) written since, (3, None, rows, tokens); the pack's documents in
    ``gone`` (ascending) are left out."""
    packed: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = {}
    docs = tokens = 0
    for part, term, ids, tfs, lengths in rows:
        if part == 3:
            docs, tokens = int.from_bytes(ids, "big", signed=True), int.from_bytes(tfs, "big", signed=True)
        elif part == 2:
            continue
        else:
            arrays = (np.frombuffer(ids, ">i8").astype(np.int64), np.frombuffer(tfs, ">i4"), np.frombuffer(lengths, ">i4"))
            packed.setdefault(term, []).append((part, *arrays))  # type: ignore[arg-type]
    if docs <= 0:
        return []
    avgdl = tokens / docs
    found: list[np.ndarray] = []
    parts: list[np.ndarray] = []
    for pieces in packed.values():
        live = []
        for part, ids, tfs, lengths in pieces:  # type: ignore[misc]
            if part == 0 and len(gone):
                keep = gone[np.minimum(np.searchsorted(gone, ids), len(gone) - 1)] != ids
                ids, tfs, lengths = ids[keep], tfs[keep], lengths[keep]
            live.append((ids, tfs, lengths))
        hits = sum(len(ids) for ids, _, _ in live)
        if not hits:
            continue
        weight = bm25.idf(docs, hits)
        for ids, tfs, lengths in live:
            found.append(ids)
            parts.append(bm25.scores(weight, tfs, lengths, avgdl))
    return bm25.best(found, parts, k)


class PostgresBackend(Backend):
    name = "postgres"
    concurrent_writers = True  # the advisory lock is taken per batch: workers embed in parallel

    def __init__(
        self, url: str, schema: str, signature: Signature, ef_search: int = 100, lock_wait: float = LOCK_WAIT_SECONDS
    ) -> None:
        self.url = url
        self.lock_wait = lock_wait
        self.schema = schema_name(schema)
        self.signature = signature
        self.ef_search = ef_search
        self._s = sql.Identifier(self.schema)
        self._lock = threading.RLock()
        self._conn = connect(url)
        self._seen_generation = -1
        self._packer: threading.Thread | None = None
        self._terms: dict[int, str] = {}
        self._gone_cache: dict[str, tuple[tuple[object, object], np.ndarray]] = {}
        self._ensure_schema()
        self._prepare(self._conn)

    def _prepare(self, conn: psycopg.Connection) -> None:
        register_vector(conn)
        conn.execute(sql.SQL("SET hnsw.ef_search = {}").format(sql.Literal(self.ef_search)))

    def _live(self) -> psycopg.Connection:
        """The reading connection, connected again if the database went away and came back
        (the caller holds the lock). Raises StorageError while the database cannot be reached."""
        if self._conn.closed or self._conn.broken:
            conn = connect(self.url)
            self._prepare(conn)
            self._conn = conn
            logger.warning("connected to PostgreSQL again")
        return self._conn

    # ---- schema ----------------------------------------------------------------------
    def _q(self, text: str) -> sql.Composed:
        return sql.SQL(text).format(schema=self._s)

    def _ensure_schema(self) -> None:
        try:
            self._create_schema()
        except psycopg.errors.InsufficientPrivilege as exc:
            raise not_allowed(exc, self._conn, self.schema) from exc

    def _create_schema(self) -> None:
        with self._lock, self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(hashtext('pasokh schema ' || %s))", (self.schema,))
            exists = self._conn.execute(
                "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = 'meta'", (self.schema,)
            ).fetchone()
            if not exists:
                create_missing(self._conn, self.schema)
                self._conn.execute(
                    sql.SQL(_DDL).format(schema=self._s, dim=sql.Literal(self.signature.dimension))  # type: ignore[arg-type]
                )
                for key, value in (
                    ("schema_version", str(SCHEMA_VERSION)),
                    ("generation", "0"),
                    ("dimension", str(self.signature.dimension)),
                    ("lexical_signature", self.signature.lexical),
                ):
                    self._conn.execute(self._q("INSERT INTO {schema}.meta VALUES (%s, %s)"), (key, value))
                logger.info("created the PostgreSQL schema %s", self.schema)

    def _check_version(self) -> None:
        found = int(self.get_meta("schema_version") or 0)
        if found < SCHEMA_VERSION:
            raise StorageError(
                f"the PostgreSQL schema {self.schema} is at version {found}; this Pasokh needs {SCHEMA_VERSION}: {UPGRADE_HINT}"
            )
        if found > SCHEMA_VERSION:
            raise StorageError(
                f"the PostgreSQL schema {self.schema} is at version {found}, newer than this Pasokh ({SCHEMA_VERSION}) "
                "knows; upgrade Pasokh on this machine"
            )

    def backup(self, destination: Path, wait: float = 0.0) -> BackupReport:
        """Refused: the server's own backup is consistent across the corpus and the bots' state."""
        raise BackupError(
            f"the corpus is kept by PostgreSQL: back it up with `pg_dump --schema={self.schema}` (the bots' state "
            "is in the same schema) or the server's base backups, not `pasokh backup`"
        )

    def upgrade(self) -> list[int]:
        """Apply the steps from the stored version to this Pasokh's; returns the versions reached."""
        reached = []
        with self._lock, self._conn.transaction():
            self._conn.execute("SELECT pg_advisory_xact_lock(hashtext('pasokh schema ' || %s))", (self.schema,))
            found = int(self.get_meta("schema_version") or 0)
            if found > SCHEMA_VERSION:
                raise StorageError(f"the schema {self.schema} is at version {found}, newer than this Pasokh knows")
            for version in range(found, SCHEMA_VERSION):
                for statement in UPGRADES.get(version, []):
                    self._conn.execute(self._q(statement))
                if version == 1:
                    self._backfill_published()
                if version == 4:
                    self._vectors_apart()
                reached.append(version + 1)
            self._conn.execute(
                self._q("UPDATE {schema}.meta SET value = %s WHERE key = 'schema_version'"), (str(SCHEMA_VERSION),)
            )
        if 6 in reached:
            self.repack()
        return reached

    def _backfill_published(self) -> None:
        rows = self._conn.execute(self._q("SELECT id, published FROM {schema}.articles WHERE published IS NOT NULL")).fetchall()
        self._conn.cursor().executemany(
            self._q("UPDATE {schema}.articles SET published_at = %s WHERE id = %s"), [(timestamp(p), i) for i, p in rows]
        )

    def _vectors_apart(self) -> None:
        """Schema 4 → 5: each distinct vector into ``vectors`` once, sentences pointing at it,
        the HNSW index rebuilt on the distinct vectors (inside the upgrade's transaction)."""
        conn, q = self._conn, self._q
        dim = int(self.get_meta("dimension") or self.signature.dimension)
        conn.execute(sql.SQL(_VECTORS).format(schema=self._s, dim=sql.Literal(dim)))
        conn.execute(q("ALTER TABLE {schema}.sentences ADD COLUMN vector_key bigint"))
        conn.execute(q("DROP INDEX IF EXISTS {schema}.sentences_hnsw"))
        last, moved = 0, 0
        while rows := conn.execute(
            q("SELECT id, embedding FROM {schema}.sentences WHERE id > %s AND embedding IS NOT NULL ORDER BY id LIMIT 5000"),
            (last,),
        ).fetchall():
            keys = keep_vectors(conn, self._s, np.vstack([_array(r[1]) for r in rows]))
            conn.execute(
                q("UPDATE {schema}.sentences s SET vector_key = k.key FROM unnest(%s::bigint[], %s::bigint[]) AS k(id, key) "
                  "WHERE s.id = k.id"),
                ([r[0] for r in rows], keys),
            )  # fmt: skip
            last, moved = rows[-1][0], moved + len(rows)
        conn.execute(q("ALTER TABLE {schema}.sentences DROP COLUMN embedding"))
        conn.execute(q(_SENTENCES_BY_VECTOR))
        conn.execute(q(_VECTORS_HNSW))
        logger.info("stored %d sentences' vectors once each", moved)

    # ---- lifecycle ---------------------------------------------------------------
    def open(self) -> None:
        self._check_version()
        found = self.get_meta("lexical_signature")
        if found != self.signature.lexical:
            raise IndexMismatchError(
                f"the lexical index was built with analyzer/normalization {found!r}, "
                f"the config says {self.signature.lexical!r}; {REBUILD_HINT}"
            )
        self._check_embedder()
        self._seen_generation = self.generation()

    def _check_embedder(self) -> None:
        stored_by = self.get_meta("vectors_embedder")
        dimension = int(self.get_meta("dimension") or self.signature.dimension)
        if (stored_by not in (None, self.signature.embedder)) or dimension != self.signature.dimension:
            raise IndexMismatchError(
                f"the stored vectors were made by {stored_by} (dim {dimension}) but the config uses "
                f"{self.signature.embedder} (dim {self.signature.dimension}); {rebuild_hint(stored_by, self.signature.embedder)}"
            )

    def refresh(self) -> bool:
        """Every read sees the latest commit already; this only says whether anything moved."""
        now = self.generation()
        changed = now != self._seen_generation
        self._seen_generation = now
        return changed

    def generation(self) -> int:
        return int(self.get_meta("generation") or 0)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def describe(self) -> dict[str, object]:
        info = self._conn.info
        return {
            "backend": self.name,
            "vectors": self._one("SELECT count(vector_key) FROM {schema}.sentences"),
            "distinct_vectors": self._one("SELECT count(*) FROM {schema}.vectors"),
            "vector_index": "hnsw",
            "postings_unpacked": self.unpacked()[0],
            "database": f"{info.host}:{info.port}/{info.dbname}",
            "schema": self.schema,
        }

    def _rows(self, text: str, params: Sequence[object] | dict[str, object] = ()) -> list[tuple]:
        with self._lock, reported_loss():
            return self._live().execute(self._q(text), params).fetchall()

    def _one(self, text: str, params: Sequence[object] = ()) -> object:
        rows = self._rows(text, params)
        return rows[0][0] if rows else None

    # ---- search ------------------------------------------------------------------
    def _bm25(self, kind: str, terms: Sequence[str], k: int) -> list[Hit]:
        """FTS5's bm25 over the postings of ``kind`` ('s' sentences by id, 'a' articles by key),
        read in one statement, so one snapshot: the packed arrays of the terms, their postings
        written since the pack (an index range each), the totals, and which state of the corpus
        this is (its generation and pack). Scoring is :mod:`retrieval.store.bm25`'s, as on sqlite.

        Computing the sum in SQL instead cost 4.5–5 ms a search at a million sentences, nearly
        all of it the index scan of up to ``lexical_budget`` postings; the packed read, 1.9–2 ms.
        The documents removed since the pack are the same for every search until a writer
        commits or a pack does, so they are read once per state (:meth:`_gone`), not per search:
        retention at ten million sentences may remove hundreds of thousands before a pack."""
        wanted = sorted({t for term in terms for t in split_terms(term)})
        if not wanted or k <= 0:
            return []
        table, key, what = _POSTINGS[kind]
        for _ in range(5):
            rows = self._rows(
                "WITH pk AS (SELECT pack, upto FROM {schema}.packs WHERE kind = %(kind)s) "
                "SELECT 0, p.term, p.ids, p.tfs, p.lengths FROM {schema}.packed_postings p "
                "WHERE p.kind = %(kind)s AND p.pack = (SELECT pack FROM pk) AND p.term = ANY(%(terms)s) "
                "UNION ALL "
                f"SELECT 1, d.term, string_agg(int8send(d.{key}), ''::bytea ORDER BY d.{key}), "
                f"string_agg(int4send(d.tf), ''::bytea ORDER BY d.{key}), "
                f"string_agg(int4send(d.length), ''::bytea ORDER BY d.{key}) "
                f"FROM {{schema}}.{table} d WHERE d.term = ANY(%(terms)s) AND d.{key} > coalesce((SELECT upto FROM pk), 0) "
                "GROUP BY d.term "
                "UNION ALL "
                "SELECT 3, NULL, int8send(t.rows), int8send(t.tokens), NULL FROM {schema}.totals t WHERE t.what = %(what)s "
                "UNION ALL "
                f"SELECT 2, NULL, convert_to(s.generation, 'UTF8'), int4send(s.pack), NULL FROM ({_STATE}) s",
                {"kind": kind, "what": what, "terms": wanted},
            )
            state = next(((r[2], r[3]) for r in rows if r[0] == 2), None)
            gone = self._gone(kind, state)
            if gone is not None:
                return _scored(rows, gone, k)
        raise StorageError("the corpus kept changing during a lexical search; try again")  # five writers in a row

    def _gone(self, kind: str, state: tuple[object, object] | None) -> np.ndarray | None:
        """The ids of ``kind`` removed since the pack, ascending, as of ``state``; None when the
        corpus has moved on since ``state`` was read (the caller searches again)."""
        cached = self._gone_cache.get(kind)
        if cached is not None and cached[0] == state:
            return cached[1]
        found = self._rows(
            "WITH pk AS (SELECT pack, upto FROM {schema}.packs WHERE kind = %(kind)s) "
            "SELECT convert_to(s.generation, 'UTF8'), int4send(s.pack), "
            "(SELECT string_agg(int8send(g.id), ''::bytea ORDER BY g.id) "
            "FROM {schema}.packed_gone g WHERE g.kind = %(kind)s AND g.id <= coalesce((SELECT upto FROM pk), 0)) "
            f"FROM ({_STATE}) s",
            {"kind": kind},
        )[0]
        if (found[0], found[1]) != state:
            return None
        gone = np.frombuffer(found[2] or b"", dtype=">i8").astype(np.int64)
        self._gone_cache[kind] = (state, gone)
        return gone

    def _df(self, kind: str, terms: Sequence[str]) -> dict[str, int]:
        """Document frequencies as the writers keep them (``kind`` 's' sentences, 'a' articles)."""
        rows = self._rows(
            "SELECT term, df FROM {schema}.term_df WHERE kind = %s AND term = ANY(%s) AND df > 0", (kind, list(terms))
        )
        return {t: int(n) for t, n in rows}

    def search_sentences(self, terms: Sequence[str], k: int) -> list[Hit]:
        return self._bm25("s", terms, k)

    def search_articles(self, terms: Sequence[str], k: int) -> list[tuple[str, float]]:
        """Articles by id: an article removed between the two reads is dropped, as a hit whose
        sentences are gone is dropped by the question's next read."""
        hits = self._bm25("a", terms, k)
        if not hits:
            return []
        ids = dict(self._rows("SELECT key, id FROM {schema}.articles WHERE key = ANY(%s)", ([h.sentence_id for h in hits],)))
        return [(str(ids[h.sentence_id]), h.score) for h in hits if h.sentence_id in ids]

    def search_dense(self, vector: np.ndarray, k: int) -> list[Hit]:
        return [Hit(int(i), float(s)) for i, s in self._nearest(vector, k, self._wider(k))]

    def search_exact(self, vector: np.ndarray, k: int) -> list[Hit]:
        """Dense search without the HNSW index: what its recall is measured against."""
        return [Hit(int(i), float(s)) for i, s in self._nearest(vector, k, [sql.SQL("SET LOCAL enable_indexscan = off")])]

    def nearest_distinct(self, vector: np.ndarray, depth: int, copies: int) -> tuple[np.ndarray, np.ndarray]:
        """One HNSW search ``depth`` deep, every vector it finds a distinct one: the newest
        sentence of each, then ``copies`` more of their sentences, the nearest vectors' first.

        The copies are read in the vectors' order and the read stops once ``copies`` are found
        (PostgreSQL sorts only within each vector's copies, already in id order, so the limit
        ends the loop): a first version read up to ``copies`` of *every* vector, 2,900 rows
        for 150 kept at a million sentences, and spent 5 of its 7 ms on them."""
        rows = self._read(
            f"WITH {_NEAR}, "
            "newest AS (SELECT f.id, near.d, near.key FROM near CROSS JOIN LATERAL (SELECT s.id FROM {schema}.sentences s "
            "WHERE s.vector_key = near.key ORDER BY s.id DESC LIMIT 1) f), "
            "more AS (SELECT x.id, n.d, n.key FROM (SELECT key, d FROM near ORDER BY d, key) n CROSS JOIN LATERAL "
            "(SELECT s.id FROM {schema}.sentences s WHERE s.vector_key = n.key ORDER BY s.id DESC OFFSET 1 LIMIT %(copies)s) x "
            "ORDER BY n.d, n.key, x.id DESC LIMIT %(copies)s) "
            "SELECT id, d, key FROM newest UNION ALL SELECT id, d, key FROM more ORDER BY 2, 3, 1 DESC",
            {"q": np.ascontiguousarray(vector, dtype=np.float32), "k": depth, "copies": copies},
            self._wider(depth),
        )
        return (
            np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)),
            np.fromiter((-r[1] for r in rows), dtype=np.float64, count=len(rows)),
        )

    def _wider(self, k: int) -> list[sql.Composable]:
        """HNSW finds at most ``ef_search`` vectors: a deeper search widens it for its own query."""
        return [sql.SQL("SET LOCAL hnsw.ef_search = {}").format(sql.Literal(min(k, 1000)))] if k > self.ef_search else []

    def _nearest(self, vector: np.ndarray, k: int, local: list[sql.Composable]) -> list[tuple]:
        """(sentence id, score) of the ``k`` sentences whose vectors are closest to ``vector``,
        best first, copies of one vector newest first."""
        return self._read(
            f"WITH {_NEAR} "
            "SELECT c.id, -near.d FROM near CROSS JOIN LATERAL (SELECT s.id FROM {schema}.sentences s "
            "WHERE s.vector_key = near.key ORDER BY s.id DESC LIMIT %(k)s) c "
            "ORDER BY near.d, near.key, c.id DESC LIMIT %(k)s",
            {"q": np.ascontiguousarray(vector, dtype=np.float32), "k": k},
            local,
        )

    def _read(self, text: str, params: dict[str, object], local: list[sql.Composable]) -> list[tuple]:
        """The rows of one query, with ``local`` settings for it alone."""
        with self._lock:
            conn = self._live()
            with reported_loss(), conn.transaction() if local else contextlib.nullcontext():
                for setting in local:
                    conn.execute(setting)
                return conn.execute(self._q(text), params).fetchall()

    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        unique = list(dict.fromkeys(terms))
        if not unique:
            return {}
        return self._df("s", unique)

    def sentence_count(self) -> int:
        return int(self._one("SELECT rows FROM {schema}.totals WHERE what = 'sentences'") or 0)  # type: ignore[arg-type]

    def counted_frequencies(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        rows = self._rows(
            "SELECT term, df FROM {schema}.term_df WHERE kind = 's' AND term = ANY(%s) AND df > 0 "
            "UNION ALL SELECT NULL, rows FROM {schema}.totals WHERE what = 'sentences'",
            (list(dict.fromkeys(terms)),),
        )
        return {t: int(n) for t, n in rows if t is not None}, next((int(n) for t, n in rows if t is None), 0)

    def terms_of(self, sentence_ids: Iterable[int]) -> dict[int, frozenset[str]]:
        """The terms of sentences this backend read lately come with their rows (a question
        asks for the terms of the sentences it has just read: a second read of 700 rows cost 4
        ms at a million sentences); the others are read. A sentence's id is never reused and its
        terms change only by a rebuild with another analyzer, which a running process refuses."""
        ids = list(sentence_ids)
        if not ids:
            return {}
        remembered = map(self._terms.get, ids)  # .get: another thread may clear it meanwhile
        out = {i: frozenset(t.split()) for i, t in zip(ids, remembered, strict=True) if t is not None}
        missing = [i for i in ids if i not in out]
        if missing:
            rows = self._rows("SELECT id, terms FROM {schema}.sentences WHERE id = ANY(%s)", (missing,))
            out.update({int(i): frozenset(t.split()) for i, t in rows})
        return out

    def _kept(self, rows: Iterable[tuple]) -> Iterator[StoredSentence]:
        """Sentences of rows read with :data:`_READ_COLS`, their terms remembered for ``terms_of``."""
        known = self._terms
        if len(known) > TERMS_KEPT:
            known.clear()
        for row in rows:
            known[row[0]] = row[7]
            yield StoredSentence(*row[:7])

    def article_terms_of(self, article_id: str) -> frozenset[str]:
        found = self._one("SELECT terms FROM {schema}.articles WHERE id = %s", (article_id,))
        return frozenset(str(found).split()) if found is not None else frozenset()

    # ---- reading -----------------------------------------------------------------
    def _sentences(self, where: str, params: Sequence[object]) -> list[StoredSentence]:
        rows = self._rows(f"SELECT {_READ_COLS} FROM {{schema}}.sentences WHERE {where} ORDER BY position", params)
        return list(self._kept(rows))

    def sentences(self, ids: Iterable[int]) -> dict[int, StoredSentence]:
        wanted = [int(i) for i in ids]
        if not wanted:
            return {}
        return {s.id: s for s in self._sentences("id = ANY(%s)", (wanted,))}

    def sentences_of(self, article_id: str, limit: int = -1) -> list[StoredSentence]:
        rows = self._rows(
            f"SELECT {_READ_COLS} FROM {{schema}}.sentences WHERE article_id = %s ORDER BY position LIMIT %s",
            (article_id, None if limit < 0 else limit),
        )
        return list(self._kept(rows))

    def openings(self, article_ids: Sequence[str], limit: int) -> dict[str, list[StoredSentence]]:
        wanted = list(dict.fromkeys(article_ids))
        if not wanted:
            return {}
        rows = self._rows(
            "SELECT s.* FROM unnest(%s::text[]) AS a(id) CROSS JOIN LATERAL "
            f"(SELECT {_READ_COLS} FROM {{schema}}.sentences WHERE article_id = a.id ORDER BY position LIMIT %s) s",
            (wanted, None if limit < 0 else limit),
        )
        return by_article(self._kept(rows), wanted)

    def candidates(self, ids: Iterable[int], article_ids: Sequence[str], limit: int, width: int) -> Candidates:
        """One statement, so one snapshot: four round trips before (the hits' rows, the openings,
        the neighbours, the publication times), each about a millisecond at a million sentences
        whatever it read. Rows come tagged: 0 a hit, 1 an opening (with its article's place), 2 a
        neighbour, 3 an article's publication time."""
        wanted = sorted({int(i) for i in ids})
        arts = list(dict.fromkeys(article_ids))
        if not wanted and not arts:
            return Candidates({}, {}, {}, {})
        cols = _read_cols("x")
        rows = self._rows(
            f"WITH hit AS (SELECT * FROM {{schema}}.sentences WHERE id = ANY(%(ids)s)), "
            f"opened AS (SELECT a.place, x.* FROM unnest(%(arts)s::text[]) WITH ORDINALITY AS a(id, place) CROSS JOIN LATERAL "
            "(SELECT * FROM {schema}.sentences s WHERE s.article_id = a.id ORDER BY s.position LIMIT %(limit)s) x), "
            "near AS (SELECT x.* FROM hit h JOIN {schema}.sentences x ON x.article_id = h.article_id "  # repeats: one by id below
            "AND x.position BETWEEN h.position - %(width)s AND h.position + %(width)s "
            "WHERE %(width)s > 0 AND x.id <> ALL(%(ids)s)) "
            f"SELECT 0, 0, {cols}, NULL::float8 FROM hit x "
            f"UNION ALL SELECT 1, x.place, {cols}, NULL FROM opened x "
            f"UNION ALL SELECT 2, 0, {cols}, NULL FROM near x "
            "UNION ALL SELECT 3, 0, NULL, a.id, NULL, NULL, NULL, NULL, NULL, NULL, a.published_at FROM {schema}.articles a "
            "WHERE a.id IN (SELECT article_id FROM hit UNION SELECT article_id FROM opened)",
            {"ids": wanted, "arts": arts, "limit": limit, "width": width},
        )
        published = {r[3]: r[10] for r in rows if r[0] == 3}
        tagged = [r for r in rows if r[0] != 3]
        sentences: dict[int, StoredSentence] = {}
        opened: dict[str, list[StoredSentence]] = {}
        near: dict[int, StoredSentence] = {}
        for row, sent in zip(tagged, self._kept(r[2:10] for r in tagged), strict=True):
            if row[0] == 0:
                sentences[sent.id] = sent
            elif row[0] == 1:
                opened.setdefault(arts[row[1] - 1], []).append(sent)
            else:
                near[sent.id] = sent
        openings = {a: sorted(opened[a], key=lambda x: x.position) for a in arts if a in opened}
        return Candidates(sentences, openings, near, published)

    def sentences_near(self, article_id: str, position: int, width: int) -> list[StoredSentence]:
        return self._sentences("article_id = %s AND position BETWEEN %s AND %s", (article_id, position - width, position + width))

    def sentences_around(self, places: Sequence[tuple[str, int]], width: int) -> dict[tuple[str, int], list[StoredSentence]]:
        """The context of every quote of an answer in one read (one a quote before: three of an
        answer's round trips)."""
        wanted = list(dict.fromkeys(places))
        if not wanted:
            return {}
        rows = self._rows(
            f"SELECT w.place, {_read_cols('s')} "
            "FROM unnest(%s::text[], %s::int[]) WITH ORDINALITY AS w(article_id, position, place) "
            "JOIN {schema}.sentences s ON s.article_id = w.article_id "
            "AND s.position BETWEEN w.position - %s AND w.position + %s ORDER BY w.place, s.position",
            ([a for a, _ in wanted], [p for _, p in wanted], width, width),
        )
        out: dict[tuple[str, int], list[StoredSentence]] = {place: [] for place in wanted}
        for place, sent in zip((r[0] for r in rows), self._kept(r[1:] for r in rows), strict=True):
            out[wanted[place - 1]].append(sent)
        return out

    def neighbours(self, sentences: Iterable[StoredSentence], width: int = 1) -> dict[int, StoredSentence]:
        given = list(sentences)
        have = {(s.article_id, s.position) for s in given}
        wanted = sorted(
            {(s.article_id, p) for s in given for p in range(s.position - width, s.position + width + 1) if p >= 0} - have
        )
        if not wanted:
            return {}
        rows = self._rows(
            f"SELECT {_read_cols('s')} FROM {{schema}}.sentences s "
            "JOIN unnest(%s::text[], %s::int[]) AS w(article_id, position) "
            "ON s.article_id = w.article_id AND s.position = w.position",
            ([a for a, _ in wanted], [p for _, p in wanted]),
        )
        return {s.id: s for s in self._kept(rows)}

    def article(self, article_id: str) -> Article | None:
        rows = self._rows(f"SELECT {_ARTICLE_COLS} FROM {{schema}}.articles WHERE id = %s", (article_id,))
        return Article(*rows[0]) if rows else None

    def articles_by_id(self, article_ids: Iterable[str]) -> dict[str, Article]:
        wanted = list(dict.fromkeys(article_ids))
        if not wanted:
            return {}
        rows = self._rows(f"SELECT {_ARTICLE_COLS} FROM {{schema}}.articles WHERE id = ANY(%s)", (wanted,))
        return {art.id: art for art in (Article(*r) for r in rows)}

    def article_key(self, article_id: str) -> int | None:
        found = self._one("SELECT key FROM {schema}.articles WHERE id = %s", (article_id,))
        return int(found) if found is not None else None  # type: ignore[call-overload]

    def article_by_key(self, key: int) -> Article | None:
        rows = self._rows(f"SELECT {_ARTICLE_COLS} FROM {{schema}}.articles WHERE key = %s", (key,))
        return Article(*rows[0]) if rows else None

    def articles(self, offset: int = 0, limit: int = 50) -> list[Article]:
        rows = self._rows(f"SELECT {_ARTICLE_COLS} FROM {{schema}}.articles ORDER BY id LIMIT %s OFFSET %s", (limit, offset))
        return [Article(*r) for r in rows]

    def content_hashes(self) -> dict[str, str]:
        return dict(self._rows("SELECT id, content_hash FROM {schema}.articles"))  # type: ignore[arg-type]

    def published_times(self, article_ids: Iterable[str]) -> dict[str, float | None]:
        ids = list(article_ids)
        if not ids:
            return {}
        return dict(self._rows("SELECT id, published_at FROM {schema}.articles WHERE id = ANY(%s)", (ids,)))  # type: ignore[arg-type]

    def agencies(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        ids = list(article_ids)
        if not ids:
            return {}
        return dict(self._rows("SELECT id, source FROM {schema}.articles WHERE id = ANY(%s)", (ids,)))  # type: ignore[arg-type]

    def latest(self, limit: int) -> list[Article]:
        rows = self._rows(
            f"SELECT {_ARTICLE_COLS} FROM {{schema}}.articles WHERE published_at IS NOT NULL "
            "ORDER BY published_at DESC, id LIMIT %s",
            (limit,),
        )
        return [Article(*r) for r in rows]

    def published_before(self, cutoff: float) -> list[str]:
        return [r[0] for r in self._rows("SELECT id FROM {schema}.articles WHERE published_at < %s ORDER BY id", (cutoff,))]

    def copies(self, norms: Iterable[str], limit: int = COPIES_LIMIT) -> dict[str, list[str]]:
        """Newest first and at most ``limit``, as SQLite names them. Each sentence's copies are
        read by its place in the list, not sent back as text: a first version returned the text
        of every copy and sorted them by it (hundreds of long rows for a story in wire copy,
        2–7 ms a question at a million sentences), and named every copy, where SQLite names 40.

        The newest ``limit`` rows with the text's hash are taken from the index (schema 7) and
        only then compared by text: with the comparison inside, the planner read every copy's row
        and sorted them (3 ms of a question's 4 at a million sentences, where a story ran 127
        times). A text sharing a sentence's md5 can only take a place among its copies and is
        then dropped, never named: making one for a text someone else wrote is a second preimage."""
        wanted = list(dict.fromkeys(norms))
        if not wanted:
            return {}
        digests = [hashlib.md5(n.encode("utf-8")).hexdigest() for n in wanted]
        found: dict[str, list[str]] = {}
        for place, art in self._rows(
            "SELECT w.place, x.article_id FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS w(digest, norm, place) "
            "CROSS JOIN LATERAL (SELECT s.id, s.article_id, s.norm FROM {schema}.sentences s "
            "WHERE md5(s.norm) = w.digest ORDER BY s.id DESC LIMIT %s) x WHERE x.norm = w.norm ORDER BY w.place, x.id DESC",
            (digests, wanted, limit),
        ):
            found.setdefault(wanted[place - 1], []).append(art)
        return {norm: list(dict.fromkeys(arts)) for norm, arts in found.items()}  # an article may hold it twice

    def stats(self) -> Stats:
        rows = self._rows(
            "SELECT (SELECT count(*) FROM {schema}.articles), (SELECT count(*) FROM {schema}.sentences), "
            "(SELECT value::bigint FROM {schema}.meta WHERE key = 'generation')"
        )
        arts, sents, generation = rows[0]
        return Stats(articles=int(arts), sentences=int(sents), generation=int(generation or 0))

    def get_meta(self, key: str) -> str | None:
        found = self._one("SELECT value FROM {schema}.meta WHERE key = %s", (key,))
        return None if found is None else str(found)

    def set_meta(self, key: str, value: str) -> None:
        self._rows(
            "INSERT INTO {schema}.meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value RETURNING key",
            (key, value),
        )

    def meta_items(self, prefix: str) -> list[tuple[str, str]]:
        rows = self._rows("SELECT key, value FROM {schema}.meta WHERE left(key, %s) = %s ORDER BY key", (len(prefix), prefix))
        return [(str(k), str(v)) for k, v in rows]

    # ---- writing -----------------------------------------------------------------
    @contextmanager
    def writing(self) -> Iterator[Writer]:
        conn = connect(self.url)
        try:
            register_vector(conn)
            self._take_lock(conn)
            self._check_version()
            self._check_embedder()
            writer = _PostgresWriter(self, conn)
            yield writer
            if self.get_meta("vectors_embedder") is None:
                self.set_meta("vectors_embedder", self.signature.embedder)
        finally:
            conn.close()  # the session lock goes with the connection
        changed, held = self.unpacked()
        if changed >= max(PACK_MIN, PACK_SHARE * held):
            self._pack_soon()

    def _pack_soon(self) -> None:
        """Pack on a thread of this process, outside the writers' lock: the server does the work
        (about 35 s at a million sentences), so this writer's next batch and other writers go on,
        and readers read the old pack until the new one commits. A process that exits first
        leaves its pack uncommitted, and the next writer that finds as much unpacked packs."""
        with self._lock:
            if self._packer is not None and self._packer.is_alive():
                return
            self._packer = threading.Thread(target=self._pack_quietly, name="pasokh-pack", daemon=True)
            self._packer.start()

    def _pack_quietly(self) -> None:
        try:
            self.repack(wait=False)
        except (StorageError, psycopg.Error) as exc:  # searches stay right on the old pack, only slower
            logger.warning("could not pack the postings of schema %s: %s", self.schema, exc)

    def reusable_vectors(self, norms: Iterable[str], title: str | None = None) -> dict[str, np.ndarray]:
        unique = list(dict.fromkeys(norms))
        if not unique:
            return {}
        if title is not None:  # copies under exactly this headline, in a few articles found by its index
            rows = self._rows(
                "SELECT s.article_id, s.start, s.norm, v.embedding FROM {schema}.sentences s "
                "JOIN {schema}.vectors v ON v.key = s.vector_key WHERE s.article_id IN "
                "(SELECT id FROM {schema}.articles WHERE md5(title) = md5(%s) AND title = %s LIMIT %s) "
                "AND s.norm = ANY(%s) ORDER BY s.article_id, s.position",
                (title, title, TITLE_COPIES_LIMIT, unique),
            )
            if not rows:
                return {}
            texts = dict(self._rows("SELECT id, text FROM {schema}.articles WHERE id = ANY(%s)", (list({r[0] for r in rows}),)))
            return {norm: _array(vec) for norm, vec in headline_only(rows, texts).items()}
        digests = [hashlib.md5(n.encode("utf-8")).hexdigest() for n in unique]
        rows = self._rows(
            "SELECT DISTINCT ON (s.norm) s.norm, v.embedding FROM {schema}.sentences s "
            "JOIN {schema}.vectors v ON v.key = s.vector_key WHERE md5(s.norm) = ANY(%s) AND s.norm = ANY(%s)",
            (digests, unique),
        )
        return {norm: _array(vec) for norm, vec in rows}

    def _take_lock(self, conn: psycopg.Connection) -> None:
        deadline = time.monotonic() + self.lock_wait
        while True:
            got = conn.execute("SELECT pg_try_advisory_lock(hashtext('pasokh writer ' || %s))", (self.schema,)).fetchone()
            if got and got[0]:
                conn.execute(
                    "SELECT set_config('application_name', %s, false)", (f"pasokh writer {socket.gethostname()}",)
                )
                return
            if time.monotonic() > deadline:
                holder = conn.execute(
                    "SELECT application_name, client_addr, pid FROM pg_stat_activity a JOIN pg_locks l USING (pid) "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.objid = hashtext('pasokh writer ' || %s)::oid "
                    "LIMIT 1",
                    (self.schema,),
                ).fetchone()
                who = f"{holder[0]} (server pid {holder[2]})" if holder else "another process"
                raise WriteLockedError(
                    f"the corpus in schema {self.schema} is being written by {who}; wait for it to finish and try again"
                )
            time.sleep(0.2)

    def export(self, batch: int = 200) -> Iterator[list[IndexedArticle]]:
        last = ""
        while True:
            arts = self._rows(
                f"SELECT {_ARTICLE_COLS}, content_hash, terms FROM {{schema}}.articles WHERE id > %s ORDER BY id LIMIT %s",
                (last, batch),
            )
            if not arts:
                return
            ids = [a[0] for a in arts]
            rows = self._rows(
                'SELECT s.article_id, s.position, s.start, s."end", s.text, s.norm, s.terms, v.embedding '
                "FROM {schema}.sentences s LEFT JOIN {schema}.vectors v ON v.key = s.vector_key "
                "WHERE s.article_id = ANY(%s) ORDER BY s.article_id, s.position",
                (ids,),
            )
            by_article: dict[str, list[tuple]] = {}
            for r in rows:
                by_article.setdefault(r[0], []).append(r)
            out = []
            for a in arts:
                own = by_article.get(a[0], [])
                sentences = tuple(Sentence(*r[:6]) for r in own)
                vectors = (
                    np.vstack([_array(r[7]) for r in own])
                    if own
                    else np.zeros((0, self.signature.dimension), np.float32)
                )
                prepared = PreparedArticle(Article(*a[:9]), sentences, a[9])
                out.append(IndexedArticle(prepared, tuple(r[6] for r in own), a[10], vectors))
            yield out
            last = ids[-1]

    # ---- maintenance ---------------------------------------------------------------
    def _each_article(self, conn: psycopg.Connection) -> Iterator[tuple[Article, list[StoredSentence]]]:
        """Articles with their sentences, read on ``conn`` (inside its transaction, which holds the locks)."""
        last = ""
        while True:
            page = conn.execute(
                self._q(f"SELECT {_ARTICLE_COLS} FROM {{schema}}.articles WHERE id > %s ORDER BY id LIMIT 200"), (last,)
            ).fetchall()
            if not page:
                return
            for row in page:
                sentences = conn.execute(
                    self._q(f"SELECT {_SENTENCE_COLS} FROM {{schema}}.sentences WHERE article_id = %s ORDER BY position"),
                    (row[0],),
                ).fetchall()
                yield Article(*row), [StoredSentence(*r) for r in sentences]
            last = page[-1][0]

    def rebuild(self, derive: Derive, embed: Embed | None, progress: RebuildProgress | None = None) -> tuple[int, int]:
        done = embedded = 0
        conn = connect(self.url)
        try:
            register_vector(conn)
            self._take_lock(conn)
            self._check_version()
            self._pack_lock(conn, wait=True)  # no pack of the postings being replaced commits after this
            with conn.transaction():
                q = self._q
                conn.execute(q("TRUNCATE {schema}.sentence_postings, {schema}.article_postings, {schema}.term_df"))
                conn.execute(q("UPDATE {schema}.totals SET rows = 0, tokens = 0"))
                conn.execute(q("DROP INDEX IF EXISTS {schema}.vectors_hnsw"))  # built afresh below
                if embed is not None:
                    conn.execute(q("UPDATE {schema}.sentences SET vector_key = NULL"))
                    conn.execute(q("TRUNCATE {schema}.vectors"))
                    conn.execute(
                        sql.SQL("ALTER TABLE {schema}.vectors ALTER COLUMN embedding TYPE vector({dim})").format(
                            schema=self._s, dim=sql.Literal(self.signature.dimension)
                        )
                    )
                for art, sentences in self._each_article(conn):
                    norms, terms, article_terms = derive(art, sentences)
                    ids = [s.id for s in sentences]
                    conn.cursor().executemany(
                        q("UPDATE {schema}.sentences SET norm = %s, terms = %s WHERE id = %s"),
                        list(zip(norms, terms, ids, strict=True)),
                    )
                    key = conn.execute(
                        q("UPDATE {schema}.articles SET terms = %s, length = %s WHERE id = %s RETURNING key"),
                        (article_terms, len(split_terms(article_terms)), art.id),
                    ).fetchone()[0]  # type: ignore[index]
                    _post(conn, self._s, ids, terms, key, article_terms)
                    if embed is not None:
                        for start in range(0, len(ids), 256):
                            vecs = embed(art, sentences[start : start + 256], norms[start : start + 256])
                            conn.cursor().executemany(
                                q("UPDATE {schema}.sentences SET vector_key = %s WHERE id = %s"),
                                list(zip(keep_vectors(conn, self._s, vecs), ids[start : start + 256], strict=True)),
                            )
                            embedded += len(vecs)
                    done += len(ids)
                    if progress:
                        progress(len(ids))
                conn.execute(q("DELETE FROM " + _UNKEPT))
                conn.execute(q(_VECTORS_HNSW))
                self._restore_lookups(conn)
                for key, value in (
                    ("vectors_embedder", self.signature.embedder),
                    ("lexical_signature", self.signature.lexical),
                    ("dimension", str(self.signature.dimension)),
                ):
                    conn.execute(
                        q("INSERT INTO {schema}.meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                        (key, value),
                    )
                packs = {kind: _pack(conn, self._s, kind) for kind in _POSTINGS}
                _bump(conn, self._s)
            _drop_packs_before(conn, self._s, packs)
        finally:
            conn.close()
        return done, embedded

    def compact(self) -> bool:
        """Pack the postings afresh, then VACUUM (ANALYZE) the corpus's tables now rather than
        when autovacuum next comes by: a postings page is read from the index alone only once a
        vacuum has marked it visible, and the planner's statistics are fresh after a large copy or
        rebuild."""
        self.repack()
        with connect(self.url) as conn, reported_loss():  # autocommit: VACUUM cannot run in a transaction
            for table in (*_POSTINGS_TABLES, "term_df", "sentences", "vectors", "articles", "packed_postings", "packed_gone"):
                conn.execute(sql.SQL("VACUUM (ANALYZE) {}.{}").format(self._s, sql.Identifier(table)))
        return True

    def _pack_lock(self, conn: psycopg.Connection, wait: bool) -> bool:
        """One packer at a time per schema (a session lock, taken before the packing transaction
        begins, so its snapshot is taken after the packer before it committed)."""
        if wait:
            conn.execute("SELECT pg_advisory_lock(hashtext('pasokh pack ' || %s))", (self.schema,))
            return True
        got = conn.execute("SELECT pg_try_advisory_lock(hashtext('pasokh pack ' || %s))", (self.schema,)).fetchone()
        return bool(got and got[0])

    def repack(self, wait: bool = True) -> bool:
        """Pack both kinds' postings as they are now (readers go on reading the old pack until
        this commits; writers go on writing). False when ``wait`` is off and another process
        is packing."""
        started = time.monotonic()
        with connect(self.url) as conn, reported_loss():
            if not self._pack_lock(conn, wait):
                return False
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
            conn.autocommit = False
            packs = {}
            with conn.transaction():
                for kind in _POSTINGS:
                    packs[kind] = _pack(conn, self._s, kind)
            conn.autocommit = True
            _drop_packs_before(conn, self._s, packs)
        logger.info("packed the postings of schema %s in %.1f s", self.schema, time.monotonic() - started)
        return True

    def unpacked(self) -> tuple[int, int]:
        """(documents written or removed since the pack, documents now), sentences and articles
        together: what decides when a writer packs again."""
        row = self._rows(
            "SELECT (SELECT count(*) FROM {schema}.sentences WHERE id > (SELECT upto FROM {schema}.packs WHERE kind = 's')) "
            "+ (SELECT count(*) FROM {schema}.articles WHERE key > (SELECT upto FROM {schema}.packs WHERE kind = 'a')) "
            "+ (SELECT count(*) FROM {schema}.packed_gone), (SELECT sum(rows) FROM {schema}.totals)"
        )[0]
        return int(row[0] or 0), int(row[1] or 0)

    def _missing_lookups(self, conn: psycopg.Connection | None = None) -> list[tuple[str, str | None, str]]:
        """The :data:`_LOOKUPS` with no valid index of their shape, as ``conn`` (by default this
        reader) sees them: matched by definition, not name, since PostgreSQL names the unnamed
        ones itself."""
        query = (
            "SELECT t.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND i.indisvalid"
        )
        rows = self._rows(query, (self.schema,)) if conn is None else conn.execute(query, (self.schema,)).fetchall()
        have = {(str(table), str(definition).rsplit(" USING btree ", 1)[-1]) for table, definition in rows}
        return [(table, name, columns) for table, name, columns in _LOOKUPS if (table, f"({columns})") not in have]

    def _restore_lookups(self, conn: psycopg.Connection) -> None:
        """Create the :data:`_LOOKUPS` a rebuild finds missing (a named one left invalid or of
        another shape is dropped first)."""
        for table, name, columns in self._missing_lookups(conn):
            if name is not None:
                conn.execute(sql.SQL("DROP INDEX IF EXISTS {}.{}").format(self._s, sql.Identifier(name)))
            target = sql.SQL("INDEX {} ON").format(sql.Identifier(name)) if name else sql.SQL("INDEX ON")
            conn.execute(
                sql.SQL("CREATE {} {}.{} ({})").format(target, self._s, sql.Identifier(table), sql.SQL(columns))  # type: ignore[arg-type]
            )
            logger.warning("restored the index on %s(%s)", table, columns)

    def check(self) -> CheckReport:
        self._check_version()  # an older schema lacks tables the checks read: name the upgrade instead
        report = CheckReport()
        stats = self.stats()
        report.facts.update(
            backend=self.name, schema=self.schema, articles=stats.articles, sentences=stats.sentences,
            generation=stats.generation,
        )  # fmt: skip
        signature = self.get_meta("lexical_signature")
        if signature != self.signature.lexical:
            report.problems.append(
                f"lexical index built with {signature!r}, config wants {self.signature.lexical!r}: {REBUILD_HINT}"
            )
        stored_by = self.get_meta("vectors_embedder")
        if stored_by not in (None, self.signature.embedder) or (stored_by is None and stats.sentences):
            report.problems.append(
                f"stored vectors were made by {stored_by}, config uses {self.signature.embedder}: "
                f"{rebuild_hint(stored_by, self.signature.embedder)}"
            )
        (vectors, posted, art_posted, sent_rows, sent_tokens, art_rows, _art_tokens, real_tokens) = self._rows(
            "SELECT (SELECT count(*) FROM {schema}.sentences s JOIN {schema}.vectors v ON v.key = s.vector_key), "
            "(SELECT count(DISTINCT sentence_id) FROM {schema}.sentence_postings), "
            "(SELECT count(DISTINCT article_key) FROM {schema}.article_postings), "
            "s.rows, s.tokens, a.rows, a.tokens, (SELECT coalesce(sum(tf), 0) FROM {schema}.sentence_postings) "
            "FROM {schema}.totals s, {schema}.totals a WHERE s.what = 'sentences' AND a.what = 'articles'"
        )[0]
        report.facts.update(stored_vectors=vectors, lexical_rows=sent_rows)
        if vectors != stats.sentences:
            report.problems.append(f"{stats.sentences - vectors} sentences have no stored vector: {REBUILD_HINT}")
        unkept = self._one("SELECT count(*) FROM " + _UNKEPT)
        if unkept:
            report.problems.append(f"{unkept} stored vectors belong to no sentence: {REBUILD_HINT}")
        if sent_rows != stats.sentences or sent_tokens != real_tokens or posted > stats.sentences:
            report.problems.append(
                f"lexical index disagrees with the database ({sent_rows} rows for {stats.sentences} sentences): {REBUILD_HINT}"
            )
        if art_rows != stats.articles or art_posted > stats.articles:
            report.problems.append(
                f"article-level lexical index has {art_rows} rows for {stats.articles} articles: {REBUILD_HINT}"
            )
        for kind, (table, key, _) in _POSTINGS.items():
            what = "sentence" if kind == "s" else "article"
            wrong = self._one(
                f"SELECT count(*) FROM (SELECT term, count({key}) AS n FROM {{schema}}.{table} GROUP BY term) p "
                "FULL JOIN (SELECT term, df FROM {schema}.term_df WHERE kind = %s AND df <> 0) d USING (term) "
                "WHERE p.n IS DISTINCT FROM d.df",
                (kind,),
            )
            if wrong:
                report.problems.append(f"{wrong} {what} document frequencies disagree with the postings: {REBUILD_HINT}")
            packed, expected = self._rows(
                "WITH pk AS (SELECT pack, upto FROM {schema}.packs WHERE kind = %(kind)s) "
                "SELECT (SELECT coalesce(sum(length(ids)), 0) / 8 FROM {schema}.packed_postings "
                "WHERE kind = %(kind)s AND pack = (SELECT pack FROM pk)), "
                f"(SELECT count(*) FROM {{schema}}.{table} WHERE {key} <= (SELECT upto FROM pk)) "
                "+ (SELECT coalesce(sum(postings), 0) FROM {schema}.packed_gone WHERE kind = %(kind)s "
                "AND id <= (SELECT upto FROM pk))",
                {"kind": kind},
            )[0]
            if packed != expected:
                report.problems.append(
                    f"the packed {what} postings hold {packed} postings where the postings table has {expected}: {COMPACT_HINT}"
                )
        valid = self._one(
            "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = 'vectors_hnsw'",
            (self.schema,),
        )
        if not valid:
            report.problems.append(f"the HNSW vector index is missing or invalid: {REBUILD_HINT}")
        for table, _, columns in self._missing_lookups():
            report.problems.append(f"the index on {table}({columns}) is missing or invalid: {REBUILD_HINT}")
        report.facts.update(vector_index="hnsw", embedder=stored_by)
        return report


def _post(
    conn: psycopg.Connection, schema: sql.Identifier, ids: Sequence[int], terms: Sequence[str], key: int, article_terms: str
) -> None:
    """Term postings for sentences and their article, and the totals BM25 divides by."""
    rows = 0
    total = 0
    holding: Counter[str] = Counter()
    with conn.cursor() as cur:
        with cur.copy(sql.SQL("COPY {}.sentence_postings (term, sentence_id, tf, length) FROM STDIN").format(schema)) as copy:
            for sentence_id, text in zip(ids, terms, strict=True):
                toks = split_terms(text)
                rows += 1
                total += len(toks)
                counts = Counter(toks)
                holding.update(counts.keys())
                for term, tf in counts.items():
                    copy.write_row((term, sentence_id, tf, len(toks)))
        art_toks = split_terms(article_terms)
        _count(conn, schema, "s", holding)
        _count(conn, schema, "a", Counter(set(art_toks)))
        with cur.copy(sql.SQL("COPY {}.article_postings (term, article_key, tf, length) FROM STDIN").format(schema)) as copy:
            for term, tf in Counter(art_toks).items():
                copy.write_row((term, key, tf, len(art_toks)))
        cur.execute(
            sql.SQL("UPDATE {}.totals SET rows = rows + %s, tokens = tokens + %s WHERE what = 'sentences'").format(schema),
            (rows, total),
        )
        cur.execute(
            sql.SQL("UPDATE {}.totals SET rows = rows + 1, tokens = tokens + %s WHERE what = 'articles'").format(schema),
            (len(art_toks),),
        )


def _count(conn: psycopg.Connection, schema: sql.Identifier, kind: str, change: Counter[str]) -> None:
    """Move the document frequencies of ``change``'s terms by its counts (negative to take away)."""
    if not change:
        return
    terms = sorted(change)  # one order for every writer: concurrent upserts never deadlock
    conn.execute(
        sql.SQL(
            "INSERT INTO {}.term_df AS d (kind, term, df) SELECT %s, * FROM unnest(%s::text[], %s::bigint[]) "
            "ON CONFLICT (kind, term) DO UPDATE SET df = d.df + excluded.df"
        ).format(schema),
        (kind, terms, [change[t] for t in terms]),
    )


def _unpost(conn: psycopg.Connection, schema: sql.Identifier, article_id: str) -> bool:
    """Take an article out of the totals and frequencies and delete it (its sentences and
    postings cascade); False if there is no such article."""
    found = conn.execute(
        sql.SQL("SELECT length, terms, key FROM {}.articles WHERE id = %s FOR UPDATE").format(schema), (article_id,)
    ).fetchone()
    if found is None:
        return False
    rows = conn.execute(
        sql.SQL("SELECT terms, vector_key, id FROM {}.sentences WHERE article_id = %s").format(schema), (article_id,)
    ).fetchall()
    own = [split_terms(text) for text, _, _ in rows]
    held: Counter[str] = Counter()
    for toks in own:
        held.update(set(toks))
    article_terms = set(split_terms(found[1]))
    _count(conn, schema, "s", Counter({t: -n for t, n in held.items()}))
    _count(conn, schema, "a", Counter({t: -1 for t in article_terms}))
    gone = [("s", r[2], len(set(toks))) for r, toks in zip(rows, own, strict=True)] + [("a", found[2], len(article_terms))]
    conn.execute(
        sql.SQL("INSERT INTO {}.packed_gone SELECT * FROM unnest(%s::text[], %s::bigint[], %s::int[])").format(schema),
        ([g[0] for g in gone], [g[1] for g in gone], [g[2] for g in gone]),
    )  # every removal, packed or not: a pack being written beside this writer still holds them
    conn.execute(
        sql.SQL("UPDATE {}.totals SET rows = rows - %s, tokens = tokens - %s WHERE what = 'sentences'").format(schema),
        (len(own), sum(len(toks) for toks in own)),
    )
    conn.execute(
        sql.SQL("UPDATE {}.totals SET rows = rows - 1, tokens = tokens - %s WHERE what = 'articles'").format(schema),
        (found[0],),
    )
    conn.execute(sql.SQL("DELETE FROM {}.articles WHERE id = %s").format(schema), (article_id,))
    conn.execute(
        sql.SQL("DELETE FROM " + _UNKEPT + " AND v.key = ANY(%s)").format(schema=schema),
        (sorted({key for _, key, _ in rows if key is not None}),),
    )  # a vector no other sentence has goes with its last sentence
    return True


def keep_vectors(conn: psycopg.Connection, schema: sql.Identifier, vectors: np.ndarray) -> list[int]:
    """Store each of ``vectors`` unless an equal one is stored; returns each one's key (as the
    sqlite backend does: 64 bits of a hash of its float32 bytes; two different vectors with one
    hash, about one chance in 10^11 at ten million, take the next free key). Called under the
    writer's lock, so no other writer claims a key meanwhile."""
    rows = np.ascontiguousarray(as_stored(vectors))
    blobs = [row.tobytes() for row in rows]
    want = {blob: vector_key(blob) for blob in dict.fromkeys(blobs)}
    held: dict[int, bytes | None] = {}  # a key's stored vector (None: free), as far as looked up
    new: dict[int, bytes] = {}
    todo = list(want)
    while todo:
        ask = sorted({want[b] for b in todo} - held.keys())
        if ask:
            held.update(dict.fromkeys(ask))
            found = conn.execute(
                sql.SQL("SELECT key, embedding FROM {}.vectors WHERE key = ANY(%s)").format(schema), (ask,)
            ).fetchall()
            held.update({int(key): _array(vec).tobytes() for key, vec in found})
        later = []
        for blob in todo:
            key = want[blob]
            if held[key] is None:
                held[key] = new[key] = blob
            elif held[key] != blob:  # another vector has this hash: probe the next key
                want[blob] = key + 1 if key < 2**63 - 1 else -(2**63)
                later.append(blob)
        todo = later
    if new:
        dim = rows.shape[1]
        conn.execute(
            sql.SQL("INSERT INTO {}.vectors (key, embedding) SELECT * FROM unnest(%s::bigint[], %s::vector[])").format(schema),
            (list(new), [np.frombuffer(blob, dtype=np.float32, count=dim) for blob in new.values()]),
        )
    return [want[blob] for blob in blobs]


def _pack(conn: psycopg.Connection, schema: sql.Identifier, kind: str) -> int:
    """Write the next pack of ``kind`` beside the current one from what ``conn``'s transaction
    sees, make it current and forget the removals it reflects; returns the new pack's number
    (the caller deletes the ones before it once this commits).

    The pack, its ``upto`` and the removals it clears must be one snapshot (a REPEATABLE READ
    transaction, or the writer's lock held, as ``rebuild`` holds it): a writer committing
    meanwhile only brings ids above ``upto`` (writers take turns, and ids only grow) and
    removals this snapshot cannot see, which stay listed and apply to the new pack."""
    table, key, _ = _POSTINGS[kind]
    q = lambda text: sql.SQL(text).format(schema=schema)  # noqa: E731
    pack = int(conn.execute(q("SELECT pack FROM {schema}.packs WHERE kind = %s"), (kind,)).fetchone()[0]) + 1  # type: ignore[index]
    upto = int(conn.execute(q(f"SELECT coalesce(max({key}), 0) FROM {{schema}}.{table}")).fetchone()[0])  # type: ignore[index]
    conn.execute("SET LOCAL work_mem = '256MB'")  # each term's postings sorted in memory, not on disk
    conn.execute(
        q(
            f"INSERT INTO {{schema}}.packed_postings SELECT %s, %s, term, string_agg(int8send({key}), ''::bytea ORDER BY {key}), "
            f"string_agg(int4send(tf), ''::bytea ORDER BY {key}), string_agg(int4send(length), ''::bytea ORDER BY {key}) "
            f"FROM {{schema}}.{table} WHERE {key} <= %s GROUP BY term"
        ),
        (kind, pack, upto),
    )
    conn.execute(q("DELETE FROM {schema}.packed_gone WHERE kind = %s"), (kind,))
    conn.execute(q("UPDATE {schema}.packs SET pack = %s, upto = %s WHERE kind = %s"), (pack, upto, kind))
    return pack


def _drop_packs_before(conn: psycopg.Connection, schema: sql.Identifier, packs: dict[str, int]) -> None:
    """Delete the packs older than ``packs`` (kind → the pack just made current, committed):
    nobody starts reading them any more, and a search already reading one keeps its snapshot."""
    for kind, pack in packs.items():
        conn.execute(
            sql.SQL("DELETE FROM {}.packed_postings WHERE kind = %s AND pack < %s").format(schema), (kind, pack)
        )


def _bump(conn: psycopg.Connection, schema: sql.Identifier) -> None:
    conn.execute(
        sql.SQL("UPDATE {}.meta SET value = (value::bigint + 1)::text WHERE key = 'generation'").format(schema)
    )


class _PostgresWriter(Writer):
    def __init__(self, backend: PostgresBackend, conn: psycopg.Connection) -> None:
        self.backend = backend
        self.conn = conn
        self.s = backend._s

    def stored_hashes(self, article_ids: Sequence[str]) -> dict[str, str]:
        rows = self.conn.execute(
            sql.SQL("SELECT id, content_hash FROM {}.articles WHERE id = ANY(%s)").format(self.s), (list(article_ids),)
        ).fetchall()
        return dict(rows)

    def put(self, articles: Sequence[IndexedArticle]) -> int:
        written = 0
        now = time.time()
        with self.conn.transaction():
            for item in articles:
                a = item.prepared.article
                _unpost(self.conn, self.s, a.id)
                key = self.conn.execute(
                    sql.SQL(
                        f"INSERT INTO {{}}.articles({_ARTICLE_COLS}, content_hash, terms, length, added_at, updated_at, "
                        "published_at) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s) RETURNING key"
                    ).format(self.s),
                    (
                        a.id, a.title, a.text, a.agency, a.published, a.news_code, a.url, a.kicker, a.origin,
                        item.prepared.content_hash, item.article_terms, len(split_terms(item.article_terms)), now, now,
                        timestamp(a.published),
                    ),
                ).fetchone()[0]  # type: ignore[index]  # fmt: skip
                n = len(item.prepared.sentences)
                ids = [
                    r[0]
                    for r in self.conn.execute(
                        sql.SQL("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)"),
                        (f"{self.backend.schema}.sentences", n),
                    ).fetchall()
                ]
                vector_keys = keep_vectors(self.conn, self.s, item.vectors) if n else []
                with self.conn.cursor() as cur, cur.copy(
                    sql.SQL(
                        'COPY {}.sentences (id, article_id, position, start, "end", text, norm, terms, vector_key) FROM STDIN'
                    ).format(self.s)
                ) as copy:
                    rows = zip(ids, item.prepared.sentences, item.terms, vector_keys, strict=True)
                    for sentence_id, s, terms, vector in rows:
                        copy.write_row((sentence_id, a.id, s.position, s.start, s.end, s.text, s.norm, terms, vector))
                _post(self.conn, self.s, ids, item.terms, key, item.article_terms)
                written += n
            _bump(self.conn, self.s)
        return written

    def remove(self, article_ids: Sequence[str]) -> list[str]:
        found = []
        with self.conn.transaction():
            for art_id in article_ids:
                if _unpost(self.conn, self.s, art_id):
                    found.append(art_id)
            _bump(self.conn, self.s)
        return found
