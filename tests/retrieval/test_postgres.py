"""What only the shared backend has: its configuration, schema versions, writer lock, HNSW
recall, and copying a corpus to and from SQLite with `pasokh migrate`."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass

import numpy as np
import psycopg
import pytest
from psycopg import sql

from app.compose import SEEDING
from app.config import ConfigError, load_config
from corpus.records import Article, PreparedArticle, Sentence
from news.fetch import SourceState
from news.sources import Source
from retrieval import StorageError, StorageSettings, WriteLockedError, check, connect, ingest, rebuild
from retrieval.store import IndexedArticle, Signature, open_storage
from retrieval.store.migrate import PAGE, migrate
from retrieval.store.state import StateKind
from tests.app.test_cli import QUESTION, run
from tests.conftest import DEMO, ROOT, storage_config, storage_env


@pytest.fixture
def pg(postgres_url, request) -> StorageSettings:
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[5:30]
    return StorageSettings.for_backend("postgres", postgres_url, schema=name)


def execute(storage: StorageSettings, query: str, *params: object) -> list[tuple]:
    with psycopg.connect(storage.database_url, autocommit=True) as conn:
        cur = conn.execute(sql.SQL(query).format(sql.Identifier(storage.postgres.schema)), params)
        return cur.fetchall() if cur.description else []


def test_the_database_url_comes_only_from_the_environment(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[storage]\nbackend = "postgres"\ndatabase_url = "postgresql://u:secret@db/pasokh"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="PASOKH_DATABASE_URL"):
        load_config(str(path), {})
    path.write_text('[storage]\nbackend = "postgres"\n', encoding="utf-8")
    missing = run("stats", data_dir=tmp_path / "data", config=path, env={"PASOKH_DATABASE_URL": ""})
    assert missing.returncode == 1 and "needs PASOKH_DATABASE_URL" in missing.stderr.strip().splitlines()[-1]
    config = load_config(str(path), {"PASOKH_DATABASE_URL": "postgresql://u:secret@db/pasokh"})
    assert config.storage.backend == "postgres" and "secret" not in repr(config.storage)
    path.write_text('[storage]\nbackend = "mongodb"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="backend 'mongodb' is not one of postgres, sqlite"):
        load_config(str(path), {})


def test_an_unreachable_server_is_one_clear_line(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('include_demo = false\n[storage]\nbackend = "postgres"\n', encoding="utf-8")
    result = run(
        "ask", QUESTION, data_dir=tmp_path / "data", config=config,
        env={"PASOKH_DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none?connect_timeout=2"},
    )  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.strip().startswith("pasokh: error: cannot connect to PostgreSQL (PASOKH_DATABASE_URL)")
    assert "Traceback" not in result.stderr


def test_a_role_an_administrator_provisioned_is_told_what_to_ask_for_then_works(postgres_url, tmp_path):
    """A managed or DBA-run PostgreSQL gives an application role neither superuser (for the
    vector extension) nor CREATE on the database: both were a psycopg traceback. Then, with the
    extension and a schema of its own made by an administrator, `CREATE SCHEMA IF NOT EXISTS`
    still failed (PostgreSQL checks the right before it looks). A statement_timeout set for the
    role was a traceback too, and a SQLAlchemy-style URL libpq's error repeated, password and all."""
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS provisioned")
        admin.execute("CREATE DATABASE provisioned")
        admin.execute("DROP ROLE IF EXISTS app_role")
        admin.execute("CREATE ROLE app_role LOGIN")
    app_url = psycopg.conninfo.make_conninfo(postgres_url, user="app_role", dbname="provisioned")
    config = tmp_path / "config.toml"
    config.write_text('include_demo = false\n[storage]\nbackend = "postgres"\n[storage.postgres]\nschema = "news"\n')

    def stats(url: str) -> subprocess.CompletedProcess:
        result = run("stats", "-q", data_dir=tmp_path / "data", config=config, env={"PASOKH_DATABASE_URL": url})
        assert "Traceback" not in result.stderr and result.stderr.count("\n") <= 1, result.stderr
        return result

    no_extension = stats(app_url)
    assert no_extension.returncode == 1
    assert "have an administrator run `CREATE EXTENSION vector;` in database provisioned" in no_extension.stderr
    with psycopg.connect(psycopg.conninfo.make_conninfo(postgres_url, dbname="provisioned"), autocommit=True) as admin:
        admin.execute("CREATE EXTENSION vector")
    no_schema = stats(app_url)
    assert no_schema.returncode == 1 and "CREATE SCHEMA IF NOT EXISTS news AUTHORIZATION app_role;" in no_schema.stderr
    with psycopg.connect(psycopg.conninfo.make_conninfo(postgres_url, dbname="provisioned"), autocommit=True) as admin:
        admin.execute("CREATE SCHEMA news AUTHORIZATION app_role")
    assert stats(app_url).returncode == 0, "what the lines asked for is all it needs"

    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute("ALTER ROLE app_role SET statement_timeout = '1ms'")
    try:
        cut = stats(app_url)
        assert cut.returncode == 1 and "statement timeout" in cut.stderr and "ALTER ROLE" in cut.stderr
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute("ALTER ROLE app_role RESET statement_timeout")
    with psycopg.connect(postgres_url, autocommit=True) as admin:  # as a streaming replica refuses every write
        admin.execute("ALTER ROLE app_role SET default_transaction_read_only = on")
    feed = tmp_path / "one.jsonl"
    feed.write_text('{"id": "r", "title": "سد", "text": "سد کرج پر شد."}\n', encoding="utf-8")
    try:
        written = run("ingest", str(feed), "-q", data_dir=tmp_path / "data", config=config, env={"PASOKH_DATABASE_URL": app_url})
        assert written.returncode == 1 and "Traceback" not in written.stderr, written.stderr
        assert "read-only replica: point writers and bots at the primary" in written.stderr
    finally:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            admin.execute("ALTER ROLE app_role RESET default_transaction_read_only")
    pasted = stats("postgresql+psycopg://app_role:pw-SECRET@db.internal/provisioned")
    assert pasted.returncode == 1 and "written for SQLAlchemy" in pasted.stderr and "pw-SECRET" not in pasted.stderr


def test_an_older_schema_is_refused_naming_the_upgrade_which_then_works(pg, tmp_path, nano):
    engine = connect(pg, tmp_path, nano, _settings())
    ingest(engine, [DEMO])
    before = engine.ask(QUESTION)
    # what version 1 looked like: no publication time column, no kept document frequencies, no title
    # index, a vector in each sentence's row
    execute(pg, "ALTER TABLE {}.sentences ADD COLUMN embedding vector(384)")
    execute(pg, "UPDATE {0}.sentences s SET embedding = v.embedding FROM {0}.vectors v WHERE v.key = s.vector_key")
    execute(pg, "ALTER TABLE {}.sentences DROP COLUMN vector_key")
    execute(pg, "DROP TABLE {}.vectors")
    execute(pg, "CREATE INDEX sentences_hnsw ON {}.sentences USING hnsw (embedding vector_ip_ops)")
    execute(pg, "ALTER TABLE {}.articles DROP COLUMN published_at")
    execute(pg, "DROP INDEX {}.articles_by_title")
    execute(pg, "DROP INDEX {}.sentences_by_norm")
    execute(pg, "CREATE INDEX sentences_by_norm ON {}.sentences(md5(norm))")  # copies found, then sorted
    execute(pg, "DROP TABLE {}.term_df")
    execute(pg, "DROP TABLE {0}.packs, {0}.packed_postings, {0}.packed_gone")
    execute(pg, "UPDATE {}.meta SET value = '1' WHERE key = 'schema_version'")
    with pytest.raises(StorageError, match=r"version 1; this Pasokh needs 7: run `pasokh migrate --upgrade`"):
        connect(pg, tmp_path, nano, engine.settings).ask(QUESTION)
    config = tmp_path / "pg.toml"
    config.write_text(storage_config(pg, "include_demo = false"), encoding="utf-8")
    checked = run("index", "--check", data_dir=tmp_path, config=config, env=storage_env(pg))
    assert checked.returncode == 1 and "Traceback" not in checked.stderr
    assert checked.stderr.strip().splitlines()[-1].endswith("needs 7: run `pasokh migrate --upgrade`"), checked.stderr
    upgraded = run("migrate", "--upgrade", data_dir=tmp_path, config=config, env=storage_env(pg))
    assert upgraded.returncode == 0 and "upgraded to 7" in upgraded.stdout, upgraded.stderr
    after = connect(pg, tmp_path, nano, engine.settings)
    assert after.ask(QUESTION) == before, "the same answer from the vectors the upgrade moved"
    assert after.ask(QUESTION).quotes[0].article_id == "003_89b941ca74b638ba"
    assert after.storage.maintenance.check().problems == [], "the upgrade counts every term's documents"
    dated = after.storage.documents.published_times(["001_36566f549343fefa"])["001_36566f549343fefa"]
    assert dated is not None, "the upgrade fills in the publication times"
    (found,) = execute(
        pg, "SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND indexname = 'sentences_by_norm'", pg.postgres.schema
    )
    assert found[0].endswith("(md5(norm), id)"), "copies are read newest first from the index, not sorted"
    execute(pg, "UPDATE {}.meta SET value = '8' WHERE key = 'schema_version'")
    with pytest.raises(StorageError, match="newer than this Pasokh"):
        connect(pg, tmp_path, nano, engine.settings).ask(QUESTION)


def test_document_frequencies_kept_by_writers_equal_counting_the_postings(pg, tmp_path, nano):
    """Questions read each term's document frequency from a table the writers keep (counting
    postings at question time cost hundreds of milliseconds at 1M); it must stay the count
    through additions, edits and removals, and `index --check` must notice when it is not."""
    engine = connect(pg, tmp_path, nano, _settings())
    ingest(engine, [DEMO])
    backend = engine.storage.lexical

    def counted(table: str, key: str) -> dict[str, int]:
        rows = execute(pg, f"SELECT term, count({key}) FROM {{}}.{table} GROUP BY term")
        return {t: int(n) for t, n in rows}

    def kept(kind: str) -> dict[str, int]:
        return {t: int(n) for t, n in execute(pg, f"SELECT term, df FROM {{}}.term_df WHERE kind = '{kind}' AND df <> 0")}

    first = sorted(engine.storage.documents.content_hashes())[0]
    edited = tmp_path / "edited.jsonl"
    row = {"id": first, "title": "خبر تازه", "text": "طرح تازه‌ای در استان کرمان اجرا شد. کرمان آماده است."}
    edited.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    for step in ("ingest", "edit", "remove"):
        if step == "edit":
            ingest(engine, [edited])
        elif step == "remove":
            with engine.storage.writer.writing() as writer:
                writer.remove([first])
        assert kept("s") == counted("sentence_postings", "sentence_id"), step
        assert kept("a") == counted("article_postings", "article_key"), step
        terms = list(kept("s"))[:50]
        assert backend.frequencies(terms) == {t: kept("s")[t] for t in terms}
        assert engine.storage.maintenance.check().problems == [], step
    execute(pg, "UPDATE {0}.term_df SET df = df + 1 WHERE kind = 's' AND term = (SELECT min(term) FROM {0}.term_df)")
    assert any("document frequencies" in p for p in engine.storage.maintenance.check().problems)


def test_a_second_writer_waits_for_the_advisory_lock_then_is_told_who_holds_it(pg, tmp_path, nano):
    quick = pg.adjusted(lock_wait_seconds=1.0)
    holder = connect(quick, tmp_path, nano, _settings())
    other = connect(quick, tmp_path, nano, _settings())
    with holder.storage.writer.writing():
        started = time.monotonic()
        with pytest.raises(WriteLockedError, match="is being written by pasokh writer"):
            ingest(other, [DEMO])
        assert time.monotonic() - started >= 1.0
    assert ingest(other, [DEMO]).ok, "free again once the holder is done"


class _HeldEmbedder:
    """The real embedder, held at its first passage batch until released: a slow worker."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.embedding = threading.Event()
        self.release = threading.Event()

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    @property
    def uses_title(self) -> bool:
        return self.inner.uses_title

    def passage(self, title, norm, heading=None):
        return self.inner.passage(title, norm, heading)

    def encode_queries(self, texts):
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts):
        self.embedding.set()
        assert self.release.wait(120), "never released"
        return self.inner.encode_passages(texts)


def test_two_workers_embed_in_parallel_and_an_article_both_bring_is_stored_once(pg, tmp_path, nano):
    """Worker A is stuck embedding; worker B, which waits at most 1 s for the lock, must still
    commit, because nobody holds the lock while embedding. A then finds B's copy of the
    articles they share already committed and writes only its own."""
    own = tmp_path / "own"
    own.mkdir()
    for path in DEMO.glob("*.txt"):
        (own / f"a_{path.name}").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    slow = _HeldEmbedder(nano)
    worker_a = connect(pg, tmp_path / "a", slow, _settings())
    worker_b = connect(pg.adjusted(lock_wait_seconds=1.0), tmp_path / "b", nano, _settings())
    reports = {}
    thread = threading.Thread(target=lambda: reports.update(a=ingest(worker_a, [own, DEMO])))
    thread.start()
    try:
        assert slow.embedding.wait(120), "worker A never started embedding"
        reports["b"] = ingest(worker_b, [DEMO])
    finally:
        slow.release.set()
        thread.join(300)
    a, b = reports["a"], reports["b"]
    assert b.ok and len(b.added) == 5, "B committed while A was embedding"
    assert a.ok and sorted(a.added) == sorted(f"a_{p.stem}" for p in DEMO.glob("*.txt")) and a.unchanged == 5
    assert _pg_articles(pg) == 10
    stored, distinct = execute(pg, "SELECT count(*), count(DISTINCT (article_id, position)) FROM {}.sentences")[0]
    assert stored == distinct == 2 * b.sentences == a.sentences + b.sentences
    assert check(worker_b).ok
    assert worker_b.ask(QUESTION).quotes, "the store answers after both workers"


def test_a_writer_killed_holding_the_lock_releases_it(pg, tmp_path):
    """The lock is the writer's session: a SIGKILLed process cannot leave it behind."""
    code = (
        "import sys, time; from retrieval.store.capabilities import Signature\n"
        "from retrieval.store.backends.postgres.backend import PostgresBackend\n"
        f"b = PostgresBackend({pg.database_url!r}, {pg.postgres.schema!r}, Signature('x', 4, 'y'))\n"
        "w = b.writing(); w.__enter__(); print('held', flush=True); time.sleep(600)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"  # type: ignore[union-attr]
    from retrieval.store.backends.postgres.backend import PostgresBackend
    from retrieval.store.capabilities import Signature

    waiting = PostgresBackend(pg.database_url, pg.postgres.schema, Signature("x", 4, "y"), lock_wait=0.5)
    with pytest.raises(WriteLockedError), waiting.writing():
        pass
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    patient = PostgresBackend(pg.database_url, pg.postgres.schema, Signature("x", 4, "y"), lock_wait=10)
    with patient.writing():
        pass


def test_hnsw_recall_at_10_against_exact_search(pg, tmp_path):
    """Clustered unit vectors, as sentence embeddings are, 4,000 of them in 384 dimensions."""
    from corpus.records import Article, PreparedArticle, Sentence
    from retrieval.store.backends.postgres.backend import PostgresBackend
    from retrieval.store.capabilities import IndexedArticle, Signature

    rng = np.random.default_rng(7)
    centres = rng.normal(size=(40, 384))
    points = centres[rng.integers(0, 40, 4000)] + rng.normal(scale=0.6, size=(4000, 384))
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    backend = PostgresBackend(pg.database_url, pg.postgres.schema, Signature("clusters", 384, "plain|test"))
    with backend.writing() as writer:
        for start in range(0, 4000, 100):
            items = []
            for n in range(start, start + 100, 10):
                art = Article(f"a{n}", "t", "x" * 10)
                sentences = tuple(Sentence(art.id, p, 0, 1, "x", f"x{n + p}") for p in range(10))
                items.append(IndexedArticle(PreparedArticle(art, sentences, "h"), ("x",) * 10, "x", points[n : n + 10]))
            writer.put(items)
    queries = centres[rng.integers(0, 40, 50)] + rng.normal(scale=0.6, size=(50, 384))
    found = 0
    for q in queries / np.linalg.norm(queries, axis=1, keepdims=True):
        exact = backend.search_exact(q, 10)
        approx = backend.search_dense(q, 10)
        found += sum(h.score >= exact[-1].score - 1e-6 for h in approx)  # ties count either way
    assert found / (10 * len(queries)) >= 0.95


def test_migrate_copies_without_embedding_resumes_after_being_cut_short_and_goes_back(pg, tmp_path, nano):
    data_dir = tmp_path / "data"
    sqlite_config = tmp_path / "sqlite.toml"
    sqlite_config.write_text(storage_config(pg, "include_demo = true").replace('backend = "postgres"', 'backend = "sqlite"'))
    env = storage_env(pg)
    folder = tmp_path / "more"
    folder.mkdir()
    for n in range(8):
        for path in DEMO.glob("*.txt"):
            (folder / f"c{n}_{path.name}").write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert run("ingest", str(folder), data_dir=data_dir, config=sqlite_config, env=env).returncode == 0
    before = run("ask", "--json", QUESTION, data_dir=data_dir, config=sqlite_config, env=env)

    # cut short after its first page is committed (as a kill would), then run again
    class Cut(Exception):
        pass

    def cut(_: int) -> None:
        raise Cut

    source = connect(StorageSettings(), data_dir, nano, _settings())
    with pytest.raises(Cut):
        migrate(source.storage, connect(pg, data_dir, nano, _settings()).storage, cut)
    partial = _pg_articles(pg)
    assert partial == PAGE < 45
    resumed = run("migrate", "--to", "postgres", data_dir=data_dir, config=sqlite_config, env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert f"{partial} already there" in resumed.stdout and "45 articles and 378 sentences" in resumed.stdout
    vacuumed = execute(
        pg, "SELECT relname FROM pg_stat_user_tables WHERE schemaname = %s AND last_vacuum IS NOT NULL", pg.postgres.schema
    )
    assert {"sentence_postings", "article_postings"} <= {r[0] for r in vacuumed}, "the copy is ready to serve at full speed"

    pg_config = tmp_path / "pg.toml"
    pg_config.write_text(storage_config(pg, "include_demo = true"), encoding="utf-8")
    after = run("ask", "--json", QUESTION, data_dir=data_dir, config=pg_config, env=env)
    assert json.loads(after.stdout)["quotes"] == json.loads(before.stdout)["quotes"]
    assert run("index", "--check", data_dir=data_dir, config=pg_config, env=env).returncode == 0
    stats = json.loads(run("stats", "--json", data_dir=data_dir, config=pg_config, env=env).stdout)
    assert stats["backend"] == "postgres" and stats["vectors"] == stats["sentences"] == 378

    # and back, into an empty data directory: same answers, nothing embedded
    back_dir = tmp_path / "back"
    back = run("migrate", "--to", "sqlite", data_dir=back_dir, config=pg_config, env=env)
    assert back.returncode == 0 and "45 copied" in back.stdout, back.stderr
    again = run("ask", "--json", QUESTION, data_dir=back_dir, config=sqlite_config, env=env)
    assert json.loads(again.stdout)["quotes"] == json.loads(before.stdout)["quotes"]
    assert "building the demo index" not in again.stderr


def test_an_edit_in_one_backend_reaches_the_other_on_the_next_migrate(pg, tmp_path, nano):
    settings = _settings()
    source = connect(StorageSettings(), tmp_path / "data", nano, settings)
    ingest(source, [DEMO])
    target = connect(pg, tmp_path / "data", nano, settings)
    migrate(source.storage, target.storage)
    from retrieval import remove

    remove(source, ["001_36566f549343fefa"])
    report = migrate(source.storage, target.storage)
    assert (report.copied, report.removed, report.articles) == (0, 1, 4)
    assert target.storage.documents.article("001_36566f549343fefa") is None and check(target).ok


def _settings():
    from retrieval import RetrievalSettings

    return RetrievalSettings()


def _pg_articles(storage: StorageSettings) -> int:
    try:
        return int(execute(storage, "SELECT count(*) FROM {}.articles")[0][0])
    except psycopg.errors.UndefinedTable:
        return 0


def test_vectors_come_back_as_sqlite_keeps_them_so_both_backends_answer_alike(pg, tmp_path, nano, demo_engine):
    """pgvector holds float32, SQLite float16: PostgreSQL keeps the embedded vector rounded to
    SQLite's precision, bit for bit the same, so a near-tie between two sentences is decided the
    same way on either backend (it was not: one seed question's second quote differed)."""
    engine = connect(pg, tmp_path, nano, _settings())
    ingest(engine, [DEMO])
    first = next(engine.storage.maintenance.export(1))[0]
    title = first.prepared.article.title
    embedded = nano.encode_passages([nano.passage(title, s.norm) for s in first.prepared.sentences])
    assert np.array_equal(first.vectors, np.asarray(embedded, dtype=np.float16).astype(np.float32))
    assert not np.array_equal(first.vectors, np.asarray(embedded, dtype=np.float32)), "rounded, not as embedded"
    in_sqlite = [item for batch in demo_engine.storage.maintenance.export(50) for item in batch]
    assert np.array_equal(first.vectors, next(item.vectors for item in in_sqlite if item.id == first.id))


def test_a_dropped_vector_index_is_found_by_check_and_restored_by_rebuild(pg, tmp_path, nano):
    engine = connect(pg, tmp_path, nano, _settings())
    ingest(engine, [DEMO])
    before = engine.ask(QUESTION)
    execute(pg, "DROP INDEX {}.vectors_hnsw")
    report = check(engine)
    assert any("HNSW" in p and "pasokh index --rebuild" in p for p in report.problems)
    rebuild(engine)
    assert check(engine).ok
    assert engine.ask(QUESTION) == before


def test_a_vector_is_stored_once_for_all_its_copies_and_goes_with_the_last(pg, tmp_path, nano):
    """Wire copy under one headline embeds to one vector: it is stored once and the HNSW graph
    holds it once (a graph of identical twins loses its recall), each copy still found by dense
    search, and the vector deleted only when no copy is left."""
    engine = connect(pg, tmp_path, nano, _settings())
    ingest(engine, [DEMO])
    first = engine.storage.documents.articles(0, 1)[0]
    wire = tmp_path / "wire.jsonl"
    copies = [dict(id=f"wire-{n}", title=first.title, text=first.text, source=f"خبرگزاری {n}") for n in range(3)]
    wire.write_text("".join(json.dumps(c, ensure_ascii=False) + "\n" for c in copies), encoding="utf-8")
    distinct = int(execute(pg, "SELECT count(*) FROM {}.vectors")[0][0])
    assert ingest(engine, [wire]).embedded == 0, "the copies reuse the stored vectors"
    assert int(execute(pg, "SELECT count(*) FROM {}.vectors")[0][0]) == distinct
    sentence = engine.storage.documents.sentences_of(first.id, 1)[0]
    exported = [item for batch in engine.storage.maintenance.export(50) for item in batch]
    vector = next(item.vectors[0] for item in exported if item.prepared.article.id == first.id)
    holders = {a for a, in execute(pg, "SELECT article_id FROM {0}.sentences WHERE vector_key = "
                                       "(SELECT vector_key FROM {0}.sentences WHERE id = %s)", sentence.id)}  # fmt: skip
    assert holders == {first.id, "wire-0", "wire-1", "wire-2"}
    found = engine.storage.documents.sentences([h.sentence_id for h in engine.storage.vectors.search_dense(vector, 4)])
    assert {s.article_id for s in found.values()} == holders, "each copy is found through the one vector"
    with engine.storage.writer.writing() as writer:
        writer.remove([first.id, "wire-0", "wire-1"])
    assert int(execute(pg, "SELECT count(*) FROM {}.vectors")[0][0]) == distinct, "wire-2 still has them"
    with engine.storage.writer.writing() as writer:
        writer.remove(["wire-2"])
    assert int(execute(pg, "SELECT count(*) FROM {}.vectors")[0][0]) < distinct, "the last copy took its vectors"
    assert check(engine).ok
    execute(pg, "INSERT INTO {}.vectors VALUES (1, array_fill(0.1, ARRAY[384])::vector)")
    assert any("belong to no sentence" in p for p in check(engine).problems)
    rebuild(engine)
    assert check(engine).ok


def test_compacting_lets_a_question_read_postings_from_the_index_alone(pg, tmp_path, nano):
    """The postings' primary key carries their counts, so bm25 need not visit a heap page per
    posting, but only for pages a vacuum has marked visible: right after a large write it
    still does, and `pasokh index --compact` vacuums then rather than when autovacuum comes by."""
    engine = connect(pg, tmp_path, nano, _settings())
    engine.stats()  # the schema exists
    execute(pg, "ALTER TABLE {}.sentence_postings SET (autovacuum_enabled = false)")  # the test decides when
    ingest(engine, [DEMO])
    config = tmp_path / "pg.toml"
    config.write_text(storage_config(pg, "include_demo = false"), encoding="utf-8")

    def heap_fetches() -> int:
        with psycopg.connect(pg.database_url, autocommit=True) as conn:
            conn.execute("SET enable_seqscan = off")
            plan = conn.execute(
                sql.SQL("EXPLAIN (ANALYZE, FORMAT JSON) SELECT sum(tf * length) FROM {}.sentence_postings "
                        "WHERE term = ANY(%s)").format(sql.Identifier(pg.postgres.schema)),
                (["کرمان", "طرح", "استان"],),
            ).fetchone()[0]  # fmt: skip
        found, todo = 0, [plan[0]["Plan"]]
        while todo:
            node = todo.pop()
            found += int(node.get("Heap Fetches", 0)) + int(node.get("Exact Heap Blocks", 0))
            todo += node.get("Plans", [])
        return found

    assert heap_fetches() > 0, "fresh postings are checked against the heap"
    compacted = run("index", "--compact", data_dir=tmp_path, config=config, env=storage_env(pg))
    assert compacted.returncode == 0 and "vector index: hnsw" in compacted.stdout, compacted.stderr
    assert heap_fetches() == 0


def test_two_different_vectors_with_one_hash_keep_their_own(pg, tmp_path, nano, monkeypatch):
    """A hash collision (one chance in 10^11 at ten million) must not give a sentence another's
    vector: every vector hashing alike, the keys are probed and each sentence keeps its own."""
    import retrieval.store.backends.postgres.backend as backend

    honest = connect(pg, tmp_path, nano, _settings())
    ingest(honest, [DEMO])
    monkeypatch.setattr(backend, "vector_key", lambda blob: 42)
    alike = StorageSettings.for_backend("postgres", pg.database_url, schema=pg.postgres.schema[:24] + "_alike")
    engine = connect(alike, tmp_path, nano, _settings())
    ingest(engine, [DEMO])
    assert int(execute(alike, "SELECT min(key) FROM {}.vectors")[0][0]) == 42
    assert engine.ask(QUESTION) == honest.ask(QUESTION)
    for mine, theirs in zip(engine.storage.maintenance.export(50), honest.storage.maintenance.export(50), strict=True):
        for a, b in zip(mine, theirs, strict=True):
            assert np.array_equal(a.vectors, b.vectors), a.prepared.article.id


@dataclass(frozen=True)
class Bookmark:
    """A kind of state no version of migrate has heard of."""

    article: str = ""
    note: str = ""


def test_migrate_copies_every_kind_of_state_even_one_added_after_it_was_written(pg, tmp_path, nano):
    origin = connect(StorageSettings(), tmp_path / "data", nano, _settings())
    bookmarks = StateKind("bookmark", Bookmark)
    bookmarks.save(origin.storage.state, Bookmark("003_89b941ca74b638ba", "یادداشت"), key="user-1")
    feed = Source(feed="https://www.example-agency.ir/rss")
    SourceState(etag='"v7"', last_error="HTTP 503", items={"https://www.example-agency.ir/news/1": "s"}).save(origin, feed)
    origin.storage.state.set_meta("demo_seeded", "1")  # as a version before typed state wrote it
    target = connect(pg, tmp_path / "data", nano, _settings())
    migrate(origin.storage, target.storage)
    assert bookmarks.load(target.storage.state, "user-1") == Bookmark("003_89b941ca74b638ba", "یادداشت")
    moved = SourceState.load(target, feed)
    assert (moved.etag, moved.last_error, list(moved.items)) == ('"v7"', "HTTP 503", ["https://www.example-agency.ir/news/1"])
    assert SEEDING.load(target.storage.state) is not None


def test_the_bots_state_is_one_for_every_replica(pg):
    """Two replicas' bot state on one database: what one records, the other reads, votes on and
    forgets, in one transaction; usage counts both."""
    from retrieval.records import Answer
    from retrieval.store.backends.postgres.botstate import PostgresBotState
    from retrieval.store.botstate import Pseudonyms

    ids = Pseudonyms(b"k" * 32)
    one = PostgresBotState(pg.database_url, pg.postgres.schema, ids)
    two = PostgresBotState(pg.database_url, pg.postgres.schema, ids)
    asked = one.record(chat_id=5, user_id=42, answer=Answer("پرسش اول", False))
    one.answered_by(5, 900, asked)
    assert two.replied_to(5, 900).question == "پرسش اول", "a follow-up reaching the other replica finds its question"
    two.vote(asked, 42, up=True)
    two.record(chat_id=6, user_id=43, answer=Answer("پرسش دوم", True))
    assert one.usage() == two.usage() and one.usage().questions == 2 and one.usage().thumbs_up == 1
    gone = two.forget(42)
    assert (gone.questions, gone.votes) == (1, 1) and one.get(asked) is None and one.replied_to(5, 900) is None
    dump = " ".join(str(r) for r in one._conn.execute(f"SELECT * FROM {pg.postgres.schema}.bot_questions").fetchall())
    assert "43" not in dump.split() and ids.user(43) in dump, "ids only as keyed hashes"
    one.close()
    two.close()


def test_a_users_rate_limit_holds_across_replicas(pg):
    from retrieval.store.backends.postgres.botstate import PostgresBotState
    from retrieval.store.botstate import Pseudonyms

    ids = Pseudonyms(b"r" * 32)
    one = PostgresBotState(pg.database_url, pg.postgres.schema, ids)
    two = PostgresBotState(pg.database_url, pg.postgres.schema, ids)
    first_three = [one.rate("questions", 42, 3, 60.0), two.rate("questions", 42, 3, 60.0), one.rate("questions", 42, 3, 60.0)]
    assert first_three == [0, 0, 0]
    assert 0 < two.rate("questions", 42, 3, 60.0) <= 60, "the fourth within the minute is refused, whichever replica it reaches"
    assert one.rate("questions", 43, 3, 60.0) == 0 and one.rate("taps", 42, 3, 60.0) == 0, "per user and per kind"
    one.close()
    two.close()


def _article(name: str, sentences: list[list[str]]) -> IndexedArticle:
    """An article of made-up sentences: only their terms matter to lexical search."""
    text = " ".join(f"جمله {i}." for i in range(len(sentences)))
    art = Article(name, f"عنوان {name}", text)
    rows = tuple(Sentence(name, i, 0, 1, f"جمله {i}.", f"جمله {i}.") for i in range(len(sentences)))
    terms = tuple(" ".join(s) for s in sentences)
    vectors = np.eye(4, dtype=np.float32)[[i % 4 for i in range(len(sentences))]]
    return IndexedArticle(PreparedArticle(art, rows, f"h{name}{terms}"), terms, " ".join(["", *terms]), vectors)


def test_packed_postings_score_what_the_postings_hold_through_writes_removals_and_a_pack_beside_a_writer(
    pg, tmp_path, monkeypatch
):
    """Lexical search reads each term's postings packed into arrays at the last pack, the
    postings written since, and the documents removed since. Through every mix of the three,
    including a writer that commits while a pack is being written, it must score exactly what
    BM25 over the live documents gives, and `index --check` must notice a pack that disagrees."""
    from tests.retrieval.test_lexical import reference_bm25

    rng = np.random.default_rng(7)
    vocab = [f"واژه{i}" for i in range(40)]

    def made(name: str) -> IndexedArticle:
        return _article(name, [list(rng.choice(vocab, size=rng.integers(2, 9))) for _ in range(rng.integers(1, 4))])

    storage = open_storage(pg, tmp_path, Signature("test-embedder", 4, "plain|test"))
    backend = storage.lexical

    def agrees(step: str) -> None:
        sentences = execute(pg, "SELECT id, terms FROM {}.sentences ORDER BY id")
        articles = execute(pg, "SELECT id, terms FROM {}.articles ORDER BY id")
        for query in (["واژه1"], ["واژه2", "واژه3"], ["واژه5", "واژه30", "واژه39", "ناموجود"]):
            expected = reference_bm25(query, [t.split() for _, t in sentences])
            want = {i: s for (i, _), s in zip(sentences, expected, strict=True) if s > 0}
            got = {h.sentence_id: h.score for h in backend.search_sentences(query, 1000)}
            assert got.keys() == want.keys() and got == pytest.approx(want, rel=1e-9), (step, query)
            top = backend.search_sentences(query, 3)
            assert [h.score for h in top] == pytest.approx(sorted(want.values(), reverse=True)[:3], rel=1e-9), (step, query)
            expected = reference_bm25(query, [t.split() for _, t in articles])
            named = {i: s for (i, _), s in zip(articles, expected, strict=True) if s > 0}
            assert dict(backend.search_articles(query, 1000)) == pytest.approx(named, rel=1e-9), (step, query)
        assert storage.maintenance.check().problems == [], step
        read = storage.documents.sentences([i for i, _ in sentences[::2]])  # their terms are remembered
        assert read and backend.terms_of([i for i, _ in sentences]) == {i: frozenset(t.split()) for i, t in sentences}

    with storage.writer.writing() as writer:
        writer.put([made(f"a{n}") for n in range(30)])
    agrees("nothing packed yet")
    assert storage.lifecycle.repack()
    agrees("all packed")
    with storage.writer.writing() as writer:
        writer.put([made(f"b{n}") for n in range(10)] + [made(f"a{n}") for n in range(5)])  # new, and edited
        writer.remove([f"a{n}" for n in range(25, 30)])
    agrees("packed, then written and removed")

    # a pack written from a snapshot while a writer commits: the writer's removals and additions still count
    from retrieval.store.backends.postgres.backend import _pack

    with psycopg.connect(pg.database_url, autocommit=True) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.autocommit = False
        with conn.transaction():
            schema = sql.Identifier(pg.postgres.schema)
            packs = [_pack(conn, schema, kind) for kind in ("s", "a")]
            with storage.writer.writing() as writer:
                writer.remove(["a7", "b3"])
                writer.put([made("c1"), made("a8")])
    agrees("packed beside a writer")
    assert packs and execute(pg, "SELECT count(*) FROM {}.packed_gone")[0][0] > 0, "the writer's removals stay listed"
    assert storage.lifecycle.repack()
    assert execute(pg, "SELECT count(*) FROM {}.packed_gone") == [(0,)]
    agrees("packed again")

    # a writer commits between a search's postings and its read of what was removed: it searches again
    reader = open_storage(pg, tmp_path, Signature("test-embedder", 4, "plain|test")).lexical
    read = reader._rows  # type: ignore[attr-defined]

    def racing(text, params=()):  # type: ignore[no-untyped-def]
        rows = read(text, params)
        if not raced:
            raced.append(True)
            with storage.writer.writing() as writer:
                writer.remove(["a9"])
        return rows

    raced: list[bool] = []
    monkeypatch.setattr(reader, "_rows", racing)
    got = {h.sentence_id: h.score for h in reader.search_sentences(["واژه1", "واژه2"], 1000)}
    monkeypatch.undo()
    sentences = execute(pg, "SELECT id, terms FROM {}.sentences ORDER BY id")
    expected = reference_bm25(["واژه1", "واژه2"], [t.split() for _, t in sentences])
    assert raced and got == pytest.approx({i: x for (i, _), x in zip(sentences, expected, strict=True) if x > 0}, rel=1e-9)
    agrees("a writer between a search's reads")

    execute(pg, "DELETE FROM {0}.packed_postings WHERE kind = 's' AND term = 'واژه1'")
    problems = storage.maintenance.check().problems
    assert any("packed sentence postings" in p and "pasokh index --compact" in p for p in problems), problems
    storage.maintenance.compact()
    agrees("repaired by compacting")


def test_a_questions_reads_in_one_statement_are_the_four_reads_they_replace(pg, tmp_path, nano):
    """``candidates`` on PostgreSQL reads the hits, the openings, the hits' neighbours and the
    articles' publication times in one statement; each is what the separate reads give, at an
    article's edges, for hits side by side, a missing article and an opening cut short."""
    from retrieval.store.capabilities import DocumentStore

    engine = connect(pg, tmp_path, nano, _settings())
    assert ingest(engine, [DEMO]).ok
    docs = engine.storage.documents
    arts = [a.id for a in docs.articles(0, 50)]
    whole = {a: docs.sentences_of(a) for a in arts}
    first, second = whole[arts[0]], whole[arts[1]]
    hits = [first[0].id, first[1].id, first[-1].id, second[len(second) // 2].id, 10**9]  # edges, neighbours, none
    for ids, opened, limit, width in [
        (hits, [arts[2], "no such article", arts[0]], 3, 1),
        (hits, arts, 1000, 2),
        (hits, [], 3, 0),
        ([], [arts[3]], 2, 1),
        ([], [], 5, 1),
    ]:
        got = docs.candidates(ids, opened, limit, width)
        want = DocumentStore.candidates(docs, ids, opened, limit, width)
        assert got == want, (ids, opened, limit, width)
    assert got.sentences == {} and got.published == {}
    read = docs.candidates(hits, [arts[2]], 3, 1)
    assert set(read.near) >= {first[2].id, first[-2].id} and first[1].id not in read.near
    assert [s.position for s in read.openings[arts[2]]] == [0, 1, 2]


def test_a_lost_lookup_index_is_found_by_check_and_restored_by_rebuild(pg, tmp_path, nano):
    """Without the index that finds a quote's copies, or the one that reads an article's sentences
    in order, every answer is still right but reads whole tables: check names each lost one (and
    one of another shape), and the rebuild it points to creates them again."""
    engine = connect(pg, tmp_path, nano, _settings())
    ingest(engine, [DEMO])
    before = engine.ask(QUESTION)
    assert check(engine).ok
    execute(pg, "DROP INDEX {}.sentences_by_norm")
    execute(pg, "CREATE INDEX sentences_by_norm ON {}.sentences(md5(norm))")  # the shape before schema 7
    (name,) = execute(
        pg,
        "SELECT indexname FROM pg_indexes WHERE schemaname = %s AND tablename = 'sentences' "
        "AND indexdef LIKE '%%(article_id, \"position\")'",
        pg.postgres.schema,
    )[0]
    execute(pg, f'DROP INDEX {{}}."{name}"')
    problems = check(engine).problems
    assert sorted(p.split(" is missing")[0] for p in problems) == [
        'the index on sentences(article_id, "position")',
        "the index on sentences(md5(norm), id)",
    ], problems
    assert all(p.endswith("run `pasokh index --rebuild`") for p in problems)
    assert engine.ask(QUESTION) == before, "slower, not wrong"
    rebuild(engine)
    assert check(engine).ok, check(engine).problems
    assert engine.ask(QUESTION) == before


def test_a_backup_of_a_corpus_in_postgresql_names_the_servers_own_tool(pg, tmp_path):
    """The corpus and every replica's state are in the server: `pasokh backup` would copy a part
    of them; it says how they are backed up whole and copies nothing."""
    config = tmp_path / "pg.toml"
    config.write_text(storage_config(pg, "include_demo = false"), encoding="utf-8")
    result = run("backup", str(tmp_path / "copy"), data_dir=tmp_path / "data", config=config, env=storage_env(pg))
    assert result.returncode == 1 and not (tmp_path / "copy").exists()
    assert result.stderr.strip() == (
        f"pasokh: error: the corpus is kept by PostgreSQL: back it up with `pg_dump --schema={pg.postgres.schema}` "
        "(the bots' state is in the same schema) or the server's base backups, not `pasokh backup`"
    )
