"""From evidence to one ranking: fusion, features and the rerankers the engine holds (:mod:`retrieval.rank.rerank`)."""
