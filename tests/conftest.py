"""Shared fixtures: one real model per session, one demo index per session (read-only users)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from embeddings import EmbedderSettings, load_embedder
from retrieval import Engine, RetrievalSettings, ingest

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "corpus" / "demo"
SHARED_EVAL = ROOT.parent / "shared" / "eval"
SEED_QUESTIONS = ROOT / "tests" / "data" / "seed_questions.jsonl"


@pytest.fixture(scope="session")
def nano():
    return load_embedder(EmbedderSettings())


@pytest.fixture(scope="session")
def demo_engine(nano, tmp_path_factory):
    """The demo corpus indexed once; tests that write must build their own engine."""
    engine = Engine(tmp_path_factory.mktemp("demo"), nano, RetrievalSettings())
    report = ingest(engine, [DEMO])
    assert report.ok and len(report.added) == 5
    engine.load()
    return engine


@pytest.fixture
def fresh_engine(nano, tmp_path):
    """An empty data directory with the default settings."""

    def make(settings: RetrievalSettings | None = None, data_dir: Path | None = None) -> Engine:
        return Engine(data_dir or tmp_path / "data", nano, settings or RetrievalSettings())

    return make


@pytest.fixture
def demo_copy(tmp_path):
    target = tmp_path / "articles"
    shutil.copytree(DEMO, target)
    return target


def seed_questions() -> list[dict]:
    return [json.loads(line) for line in SEED_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
