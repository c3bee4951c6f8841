"""The layout's promises, checked on the code itself: data flows one way through the packages,
front ends ask the engine and never its storage, and storage is composed from capabilities
that may come from different places (docs/architecture.md)."""

from __future__ import annotations

import ast
import re

import numpy as np

from retrieval import Engine, Hit
from retrieval.store import VectorSearch
from tests.conftest import ROOT

# lower number: lower layer. A module may import its own package and lower layers only.
LAYERS = {"corpus": 0, "embeddings": 1, "retrieval": 2, "news": 3, "evaluation": 3, "bot": 4, "app": 5}
# inside retrieval: the store knows nothing of the stages that use it
STAGES = ("query", "search", "rank", "answer", "index", "engine")
STORE_MAY_NOT = tuple(f"retrieval.{stage}" for stage in STAGES)
FRONT_ENDS = ["bot", "app/cli.py", "app/render.py", "app/evaluate.py"]


def _modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _imports(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


def test_no_package_imports_a_higher_layer_or_a_sibling():
    wrong = []
    for package, level in LAYERS.items():
        for path, tree in _modules(package):
            for name in _imports(tree):
                top = name.split(".")[0]
                if top in LAYERS and top != package and LAYERS[top] >= level:
                    wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not wrong, "\n".join(wrong)


def test_the_store_does_not_know_the_stages_that_use_it():
    wrong = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path, tree in _modules("retrieval/store")
        for name in _imports(tree)
        if name.startswith(STORE_MAY_NOT)
    ]
    assert not wrong, "\n".join(wrong)


def test_front_ends_ask_the_engine_never_its_storage():
    parts = "documents|state|lexical|vectors|writer|maintenance|lifecycle"
    reaching = re.compile(rf"\.(storage|backend)\.({parts})\b|engine\.(storage|backend)\b")
    wrong = []
    for place in FRONT_ENDS:
        paths = [ROOT / place] if place.endswith(".py") else sorted((ROOT / place).rglob("*.py"))
        for path in paths:
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if reaching.search(line):
                    wrong.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not wrong, "\n".join(wrong)


class NumpyVectors(VectorSearch):
    """A vector search from somewhere else (here: exact search over a copy of the vectors),
    standing in for a vector-only service such as Qdrant."""

    def __init__(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.ids, self.vectors = ids, vectors
        self.asked = 0

    def search_dense(self, vector: np.ndarray, k: int) -> list[Hit]:
        self.asked += 1
        scores = self.vectors @ np.asarray(vector, dtype=np.float32).reshape(-1)
        best = np.argsort(-scores, kind="stable")[:k]
        return [Hit(int(self.ids[i]), float(scores[i])) for i in best]


def test_a_capability_taken_from_elsewhere_serves_the_same_answers(demo_engine):
    exported = [item for page in demo_engine.storage.maintenance.export() for item in page]
    ids = np.array([s_id for item in exported for s_id in _ids(demo_engine, item.id)])
    vectors = np.vstack([item.vectors for item in exported]).astype(np.float32)
    outside = NumpyVectors(ids, vectors)
    composed = Engine(demo_engine.storage.using(vectors=outside), demo_engine.embedder, demo_engine.settings)
    question = "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟"
    mine, theirs = demo_engine.ask(question), composed.ask(question)
    assert outside.asked >= 1, "the composed engine must search the vectors it was given"
    assert [q.text for q in theirs.quotes] == [q.text for q in mine.quotes]
    assert "خوزستان، تهران، کرمان، سیستان و بلوچستان" in theirs.quotes[0].text


def _ids(engine: Engine, article_id: str) -> list[int]:
    return [s.id for s in engine.storage.documents.sentences_of(article_id)]
