"""Following news sources: a polite client, feeds and sitemaps, article pages, and the fetch pass
that ingests what they publish (above retrieval: it writes through retrieval.index)."""
