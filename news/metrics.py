"""What the watcher counts, for Prometheus (``/metrics`` on ``[fetch] status_port``)."""

from __future__ import annotations

from prometheus_client import Counter, Gauge

FETCHES = Counter("pasokh_fetch_passes", "Fetch passes over a source, by outcome", ["source", "result"])
ADDED = Counter("pasokh_fetch_articles_added", "Articles a source added", ["source"])
REMOVED = Counter("pasokh_fetch_articles_removed", "Stored articles a source took back (deleted or withdrawn)", ["source"])
LAST_SUCCESS = Gauge("pasokh_fetch_last_success_timestamp", "When a source was last fetched without error", ["source"])
