"""``/healthz``, ``/readyz`` and ``/metrics`` on a port of their own (``[bot] status_port``,
``[fetch] status_port``), in polling and webhook mode alike: for load balancers, for systemd or
Kubernetes to restart what hangs, and for Prometheus to scrape.

- ``/healthz``: 200 while the process is alive.
- ``/readyz``: 200 when the corpus is loaded and the store answers; 503 with the reason otherwise.
- ``/metrics``: prometheus_client's text format.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

logger = logging.getLogger(__name__)
Ready = Callable[[], str | None]  # None: ready; else why not


class StatusServer:
    def __init__(self, port: int, ready: Ready, before_scrape: Callable[[], None] | None = None, host: str = "0.0.0.0") -> None:
        self.ready = ready
        self.before_scrape = before_scrape
        status = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                if path == "/healthz":
                    self._send(200, b"ok\n")
                elif path == "/readyz":
                    why = status._why_not_ready()
                    self._send(503 if why else 200, (why or "ready").encode() + b"\n")
                elif path == "/metrics":
                    if status.before_scrape is not None:
                        try:
                            status.before_scrape()
                        except Exception as exc:  # a scrape during an outage still gets the counters
                            logger.debug("corpus gauges not updated: %s", exc)
                    self._send(200, generate_latest(REGISTRY), CONTENT_TYPE_LATEST)
                else:
                    self._send(404, b"not found\n")

            def _send(self, code: int, body: bytes, kind: str = "text/plain; charset=utf-8") -> None:
                self.send_response(code)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="pasokh-status", daemon=True)

    def _why_not_ready(self) -> str | None:
        try:
            return self.ready()
        except Exception as exc:
            return f"not ready: {exc}"

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    def start(self) -> StatusServer:
        self.thread.start()
        logger.info("status endpoints on port %d: /healthz /readyz /metrics", self.port)
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
