"""The webhook's port as the internet reaches it: anyone who finds it may connect, and the secret
Telegram sends is read only once a request has arrived whole.

python-telegram-bot serves the webhook with tornado's HTTP server at tornado's defaults: a body
of up to 100 MB is read into memory before the handler looks at the secret, a connection may
take an hour to send its headers and forever to send its body. So a stranger with the address,
and no secret, could hold a hundred megabytes of the bot's memory per connection, or every
connection the process can open, with a few bytes a minute. An update from Telegram is a few
kilobytes (a message of 4,096 characters, its entities, the message it replies to) and arrives
at once. tornado's documented way to set its server's defaults (``Configurable.configure``)
gives PTB's server a cap of :data:`MAX_UPDATE_BYTES` (a larger request is answered 400 as its
headers arrive, its body never read) and :data:`WAIT_SECONDS` for a request's headers and for
its body."""

from __future__ import annotations

MAX_UPDATE_BYTES = 1 << 20  # an update is kilobytes; nginx's own default cap on a request body
WAIT_SECONDS = 30.0  # for a request's headers, and then for its body; Telegram sends both at once


def guard(max_bytes: int = MAX_UPDATE_BYTES, wait_seconds: float = WAIT_SECONDS) -> None:
    """Every tornado HTTP server this process starts from now on (PTB's webhook server is the
    only one) refuses bodies over ``max_bytes`` and closes a connection that takes longer than
    ``wait_seconds`` to send a request's headers, or its body."""
    from tornado.httpserver import HTTPServer  # webhook mode only: polling never loads tornado's server

    HTTPServer.configure(None, max_body_size=max_bytes, idle_connection_timeout=wait_seconds, body_timeout=wait_seconds)
