"""Writing the corpus: ingest, removal, and index maintenance (rebuild, check, compact)."""
