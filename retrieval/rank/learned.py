"""The learned sentence ranker: LightGBM lambdarank over :data:`retrieval.features.NAMES`.

Trained offline by ``bench/train_ranker.py`` and shipped as ``retrieval/ranker.txt`` (LightGBM's
own text format, which names the features it was trained on). Nothing is downloaded; lightgbm is
imported on the first ranked question, so commands that never rank don't pay for it.
"""

from __future__ import annotations

import logging
import sys
import types
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from retrieval.rank import features
from retrieval.rank.fusion import best_first
from retrieval.rank.rerank import Reranker
from retrieval.records import Hit

if TYPE_CHECKING:
    from retrieval.search.gather import Evidence

logger = logging.getLogger(__name__)
SHIPPED = Path(__file__).with_name("ranker.txt")


class RankerError(ValueError):
    """A model file that cannot be used: unreadable, or trained on features this Pasokh does not compute."""


_OPTIONAL = ("sklearn", "pandas", "dask", "matplotlib", "graphviz", "datatable", "pyarrow", "cffi")


def _lightgbm():  # type: ignore[no-untyped-def]
    """lightgbm imports scikit-learn, pandas and friends when they are installed, for its
    estimator, data-frame and plotting APIs; that is 0.6 s of a cold ``pasokh ask``. A Booster
    predicting from a model string needs none of them, so they are hidden while it imports.
    It also imports scipy.sparse unconditionally (0.25 s) to name sparse types in annotations
    and ``isinstance`` checks; a Booster fed numpy arrays never meets one, so unless scipy is
    already loaded it sees a stand-in with those names, and the real scipy stays importable.
    Code that trains (bench/train_ranker.py) imports lightgbm first and gets all of it."""
    if "lightgbm" in sys.modules:
        return sys.modules["lightgbm"]
    hidden = [name for name in _OPTIONAL if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    stand_ins = _sparse_stand_in() if "scipy" not in sys.modules else {}
    sys.modules.update(stand_ins)
    try:
        import lightgbm
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
    return lightgbm


def _sparse_stand_in() -> dict[str, types.ModuleType]:
    """``scipy`` and ``scipy.sparse`` holding only the names lightgbm reads at import and in
    its type checks: classes no array is an instance of."""
    scipy, sparse = types.ModuleType("scipy"), types.ModuleType("scipy.sparse")
    scipy.__path__ = []  # a package, so ``import scipy.sparse`` resolves
    scipy.sparse = sparse  # type: ignore[attr-defined]
    for name in ("spmatrix", "csr_matrix", "csc_matrix", "coo_matrix", "sparray"):
        setattr(sparse, name, type(name, (), {"__module__": "scipy.sparse (not loaded)"}))

    def hstack(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("scipy.sparse is not loaded: Pasokh's ranker predicts from numpy arrays")

    sparse.hstack = hstack  # type: ignore[attr-defined]
    return {"scipy": scipy, "scipy.sparse": sparse}


class LearnedRanker(Reranker):
    """Scores candidate sentences; higher is likelier to hold the answer."""

    name = "learned"

    def __init__(self, model_text: str) -> None:
        lightgbm = _lightgbm()
        try:
            self.booster = lightgbm.Booster(model_str=model_text)
        except lightgbm.basic.LightGBMError as exc:
            raise RankerError(f"not a LightGBM model ({exc})") from exc
        names = self.booster.feature_name()
        unknown = sorted(set(names) - set(features.NAMES))
        if unknown:
            raise RankerError(f"trained on features this Pasokh does not compute: {unknown}")
        self.names = tuple(names)
        self.columns = [features.column(n) for n in names]

    @classmethod
    def load(cls, path: Path) -> LearnedRanker:
        return cls(path.read_text(encoding="utf-8"))

    def rerank(self, evidence: Evidence, hits: Sequence[Hit]) -> list[Hit]:
        return rank_by(lambda x: self.booster.predict(x[:, self.columns], num_threads=1), evidence, hits)


def rank_by(scores_of: Callable[[np.ndarray], np.ndarray], ev, fused: Sequence[Hit]) -> list[Hit]:  # type: ignore[no-untyped-def]
    """The fused candidates re-ranked by a model's scores of their :func:`features.matrix` rows."""
    ids, x = features.matrix(ev, fused)
    if not ids:
        return []
    return best_first(Hit(i, float(p)) for i, p in zip(ids, scores_of(x), strict=True))


@lru_cache(maxsize=1)
def shipped() -> LearnedRanker | None:
    """The ranker in the package, or None (the weighted fusion is used, with a warning)."""
    try:
        return LearnedRanker.load(SHIPPED)
    except FileNotFoundError:
        logger.warning("no learned ranker at %s; ranking by weighted fusion", SHIPPED)
    except RankerError as exc:
        logger.warning("the learned ranker at %s cannot be used (%s); ranking by weighted fusion", SHIPPED, exc)
    return None
