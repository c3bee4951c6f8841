"""Training and filling an inverted-file index on every core the process may use.

Most of the time of a compaction at a million sentences, and nearly all of a retrain at ten
million, is choosing each vector's list: a search of the vector against every list's centroid.
faiss does that with one matrix product per call, and its BLAS runs that product on one thread
here (a call over 40,000 vectors uses one core's worth of CPU). So the vectors are split into
one part per thread and each part searched in its own thread (faiss releases the GIL while it
searches); k-means, which does the same search once per iteration, is given the centroids split
into shards searched in parallel. Each vector's list is the one the single-threaded search
picks, so the index is the same, list for list and byte for byte (``tests/retrieval/
test_vector_index.py``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import faiss
import numpy as np

PARALLEL_MIN = 2_048  # fewer vectors than this are assigned in the calling thread


def threads() -> int:
    """The cores the process may use: faiss's OpenMP setting, which ``[embedder] threads`` sets too."""
    return max(1, int(faiss.omp_get_max_threads()))


def train(index: faiss.IndexIVF, sample: np.ndarray, workers: int | None = None) -> None:
    """``index.train(sample)``, with k-means searching the centroids in ``workers`` shards at once."""
    workers = workers or threads()
    if workers < 2:
        index.train(sample)
        return
    shards = faiss.IndexShards(index.d, True, True)  # threaded, successive ids: shard k holds a slice of centroids
    parts = [faiss.IndexFlat(index.d, index.metric_type) for _ in range(workers)]
    for part in parts:  # ``parts`` keeps them alive: the shards index does not own them
        shards.add_shard(part)
    index.clustering_index = shards
    try:
        index.train(sample)
    finally:
        index.clustering_index = None


def add(index: faiss.IndexIVF, vectors: np.ndarray, ids: np.ndarray, workers: int | None = None) -> None:
    """``index.add_with_ids(vectors, ids)``, with each vector's list found in ``workers`` threads."""
    workers = workers or threads()
    n = len(vectors)
    if workers < 2 or n < PARALLEL_MIN:
        index.add_with_ids(vectors, ids)
        return
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    ids = np.ascontiguousarray(ids, dtype=np.int64)
    bounds = np.linspace(0, n, workers + 1).astype(int)

    def nearest(k: int) -> np.ndarray:
        return index.quantizer.search(vectors[bounds[k] : bounds[k + 1]], 1)[1][:, 0]

    with ThreadPoolExecutor(workers) as pool:
        lists = np.ascontiguousarray(np.concatenate(list(pool.map(nearest, range(workers)))), dtype=np.int64)
    index.add_core(n, faiss.swig_ptr(vectors), faiss.swig_ptr(ids), faiss.swig_ptr(lists))
