"""The cores go to the embedder: numpy's BLAS works on one thread in a process that embeds.

Besides the embedding, a question's numerical work is matrix-vector products (the dense scores
of sentences added since the last compaction, exact re-scoring) that gain nothing from BLAS
threads. OpenBLAS's threads, once woken by such a product, busy-wait for more work for about a
tenth of a second, on the cores the next embedding's OpenMP team needs: a question's embedding
right after one took 92-101 ms at p95 instead of about 25 ms (bench/blas_threads.py;
docs/performance.md, "The embedder's cores"). A bot answering on several threads gains its parallelism from
the questions, not from inside one product.
"""

from __future__ import annotations

from threadpoolctl import threadpool_info, threadpool_limits


def single_threaded_blas() -> None:
    """Limit every BLAS loaded in this process so far to one thread: numpy's OpenBLAS, and the one
    scipy brings when sentence-transformers imports it (torch's own threads are not BLAS's).

    Only when one still runs on more: changing OpenBLAS's thread count while another thread is
    inside a BLAS call is unsafe, and a process that loads a second embedder may be serving."""
    if any(pool["user_api"] == "blas" and pool["num_threads"] > 1 for pool in threadpool_info()):
        threadpool_limits(limits=1, user_api="blas")
