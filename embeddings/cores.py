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

import os
from pathlib import Path

from threadpoolctl import threadpool_info, threadpool_limits

CGROUP = Path("/sys/fs/cgroup")


def cpu_limit(root: Path = CGROUP, membership: Path = Path("/proc/self/cgroup")) -> int | None:
    """Whole cores a container's CPU quota grants this process (``docker run --cpus=1``, a
    Kubernetes CPU limit), or None when there is no quota. The quota leaves the CPU set as it
    is, so ``os.sched_getaffinity`` still counts the host's cores: sixteen OpenMP threads, or
    sixteen bot processes, under a one-core quota are throttled to a standstill in turn. At
    least 1; a fractional quota is rounded down, since running over it costs more than an idle
    fraction of a core."""
    for quota, period in _quotas(root, membership):
        if quota > 0 and period > 0:
            return max(1, int(quota // period))
    return None


def _quotas(root: Path, membership: Path) -> list[tuple[float, float]]:
    """(quota, period) pairs from cgroup v2's ``cpu.max`` (the process's own group, then the
    root a container sees) and v1's ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``; -1 for none."""
    places = [root]
    try:
        for line in membership.read_text().splitlines():
            if line.startswith("0::") and line[3:].strip("/"):
                places.insert(0, root / line[3:].strip("/"))
    except OSError:
        pass
    found = []
    for place in places:
        try:
            quota, _, period = (place / "cpu.max").read_text().partition(" ")
            found.append((-1.0 if quota.strip() == "max" else float(quota), float(period or 100000)))
        except (OSError, ValueError):
            pass
    try:
        quota_us = float((root / "cpu" / "cpu.cfs_quota_us").read_text())
        found.append((quota_us, float((root / "cpu" / "cpu.cfs_period_us").read_text())))
    except (OSError, ValueError):
        pass
    return found


def available_cores(root: Path = CGROUP, membership: Path = Path("/proc/self/cgroup")) -> int:
    """The cores this process may use: its CPU set (a container's, not the machine's), and no
    more than its CPU quota grants."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    limit = cpu_limit(root, membership)
    return min(cpus, limit) if limit else cpus


def single_threaded_blas() -> None:
    """Limit every BLAS loaded in this process so far to one thread: numpy's OpenBLAS, and the one
    scipy brings when sentence-transformers imports it (torch's own threads are not BLAS's).

    Only when one still runs on more: changing OpenBLAS's thread count while another thread is
    inside a BLAS call is unsafe, and a process that loads a second embedder may be serving."""
    if any(pool["user_api"] == "blas" and pool["num_threads"] > 1 for pool in threadpool_info()):
        threadpool_limits(limits=1, user_api="blas")
