"""Measuring answer quality: datasets, their corpora, the run and its metrics (docs/evaluation.md)."""
