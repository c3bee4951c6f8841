"""Asking the searchers once per question and gathering what they say (:mod:`retrieval.search.gather`)."""
