"""sentence-transformers backend: any model name or local path, loaded without touching the network."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from embeddings.base import EmbedderError, EmbedderSettings, unit_rows

logger = logging.getLogger(__name__)
E5_PROMPTS = {"query": "query: ", "document": "passage: "}


def default_prompts(model: str, own: dict[str, str]) -> dict[str, str]:
    """The model's saved prompts win; E5 models get their documented prefixes; others none."""
    if own.get("query") is not None or own.get("document") is not None or own.get("passage") is not None:
        return {"query": own.get("query", ""), "document": own.get("document", own.get("passage", ""))}
    if "e5" in Path(model).name.lower() or "e5" in model.lower().split("/")[-1]:
        return dict(E5_PROMPTS)
    return {"query": "", "document": ""}


def unavailable(device: str, torch: Any) -> str | None:
    """Why ``device`` cannot be used on this machine, or None: asked of torch before the model
    loads, since a load that fails on its device reads as a model that cannot be found."""
    kind, _, number = device.partition(":")
    if kind == "cuda":
        if not torch.cuda.is_available():
            return "torch sees no CUDA GPU"
        if number and int(number) >= torch.cuda.device_count():
            return f"torch sees {torch.cuda.device_count()} CUDA GPU(s), numbered from 0"
    if kind == "mps" and not torch.backends.mps.is_available():
        return "torch sees no Apple GPU"
    return None


def quiet_loading() -> None:
    """No «Loading weights» progress bar on every command's stderr: a model loads in a second
    from disk, and Pasokh reports its own progress where there is any."""
    with contextlib.suppress(ImportError, AttributeError):
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()


class SentenceTransformerEmbedder:
    """Weights must already be local (a path, or the Hugging Face cache); nothing is downloaded."""

    def __init__(self, settings: EmbedderSettings) -> None:
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbedderError(
                "the sentence-transformers backend needs torch and sentence-transformers: "
                "pip install torch==2.13.0 sentence-transformers"
            ) from exc
        device = settings.device
        if device == "auto":
            device = "cuda" if torch.cuda.is_available() else "cpu"
        elif (missing := unavailable(device, torch)) is not None:
            raise EmbedderError(f'embedder device {device!r} is not available here ({missing}); set device = "auto" or "cpu"')
        quiet_loading()
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        model_ref = settings.model
        if Path(model_ref).expanduser().exists():
            model_ref = str(Path(model_ref).expanduser().resolve())
        try:
            self._model = SentenceTransformer(model_ref, device=device, local_files_only=True)
        except Exception as exc:  # the library raises OSError, ValueError, HF errors…
            raise EmbedderError(
                f"cannot load sentence-transformers model {settings.model!r} offline ({type(exc).__name__}: {exc}). "
                "Give a local model folder in [embedder] model, or copy the model into the Hugging Face cache first"
            ) from exc
        prompts = default_prompts(model_ref, dict(self._model.prompts or {}))
        if settings.query_prompt is not None:
            prompts["query"] = settings.query_prompt
        if settings.passage_prompt is not None:
            prompts["document"] = settings.passage_prompt
        self._prompts = prompts
        self._model_ref = model_ref
        self._batch = settings.batch_size
        self._dim = int(self._model.get_embedding_dimension() or 0)
        self._lock = threading.Lock()
        logger.info("loaded %s on %s (dim %d, prompts %r)", model_ref, device, self._dim, prompts)

    @property
    def name(self) -> str:
        q, d = self._prompts["query"], self._prompts["document"]
        ref = Path(self._model_ref)
        short = "/".join(ref.parts[-2:]) if ref.is_absolute() else self._model_ref
        return f"sentence-transformers/{short}|q={q!r}|p={d!r}"

    @property
    def dimension(self) -> int:
        return self._dim

    def _encode(self, texts: Sequence[str], prompt: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self._dim), dtype=np.float32)
        with self._lock:
            out = self._model.encode(
                list(texts),
                prompt=prompt or None,
                batch_size=self._batch,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return unit_rows(np.asarray(out))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prompts["query"])

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, self._prompts["document"])
