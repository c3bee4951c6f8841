"""What a failed call to the Bot API means, in one line an operator can act on.

python-telegram-bot reports the Bot API's answers faithfully, but three of them read badly in a
log: an address that is not the Bot API at all (a wrong ``api_base_url``, a proxy's error page, or
the page a national filter serves in Telegram's place) is an exception carrying the whole HTML
page, or «the Bot API rejected the token» when it answered 404; a second bot polling with the same
token is a ``Conflict`` traceback every few seconds; a network outage while polling is a
traceback a retry. Each is said here in one line.

A chat can also stop taking the bot's messages (:func:`out_of_reach`): the user blocked it, a
group removed it or took its right to write, a forum topic was closed. That is the user's
doing, not a fault: counted, one line, and nothing more sent there."""

from __future__ import annotations

import logging

from telegram.error import BadRequest, ChatMigrated, Conflict, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

NOT_JSON = "Invalid server response"  # python-telegram-bot's words for an answer that is not JSON
PARSING = ". Parsing the server response"  # …and what it appends, with the whole payload, to an HTTP error

# python-telegram-bot logs the whole page and a traceback before raising the error said here
QUIET_LOGGERS = ("telegram.request.BaseRequest",)
RETRY_LOOP = "telegram.ext"  # its network retry loop logs a traceback, then raises what it logged
RATE_LIMITER = "telegram.ext.AIORateLimiter"  # so does the rate limiter when flood control outlasts its retries


class RaisedAnyway(logging.Filter):
    """Drops the retry loop's «… Aborting.» records and the rate limiter's «Rate limit hit after
    maximum …»: the error is raised to the caller, which says it in one line (a refused webhook,
    a refused start of polling, a token revoked while polling: :func:`bot.telegram.token_rejected`;
    a reply flood control kept refusing: :func:`bot.telegram.on_error`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        said = record.getMessage()
        raised = said.startswith("Network Retry Loop") and "Aborting" in said
        return not (raised or said.startswith("Rate limit hit after maximum"))


def quiet_library_logs() -> None:
    """Leave the failures python-telegram-bot raises to the one line :func:`said` makes of them."""
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    for name in (RETRY_LOOP, RATE_LIMITER):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RaisedAnyway) for f in logger.filters):
            logger.addFilter(RaisedAnyway())


def _chain(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it was raised from (python-telegram-bot re-raises a refused getMe as «the
    token was rejected», from the error that says what the server answered)."""
    out: list[BaseException] = []
    while exc is not None and len(out) < 5:
        out.append(exc)
        exc = exc.__cause__  # type: ignore[assignment]
    return out


def not_the_bot_api(exc: BaseException) -> bool:
    """The server answered, but not as the Bot API does (HTML, or any body that is not JSON)."""
    return any(str(e) == NOT_JSON or PARSING in str(e) for e in _chain(exc))


def said(exc: BaseException) -> str:
    """``exc`` in one short line: never the page an address answered with in the Bot API's place."""
    text = next((str(e) for e in _chain(exc) if PARSING in str(e)), str(exc))
    if not_the_bot_api(exc):
        status = text.split(PARSING, 1)[0] if PARSING in text else "HTTP 200"
        return (
            f"the address in [bot] api_base_url answered with a page that is not the Bot API's ({status}): "
            "a wrong address, or a proxy or filter in the way"
        )
    return " ".join(text.split())[:300]


def connection_trouble(exc: BaseException) -> bool:
    """Trouble with the Bot API itself rather than with an update: passing (the network, a
    timeout, an answer that is not the API's, flood control still refusing after the rate
    limiter's own retries) or another process polling with this token."""
    if isinstance(exc, BadRequest):  # python-telegram-bot files it under NetworkError; it is about a request
        return not_the_bot_api(exc)
    passing = NetworkError | TimedOut | Conflict | RetryAfter  # RetryAfter: flood control beyond the limiter's retries
    return isinstance(exc, passing) or (isinstance(exc, TelegramError) and not_the_bot_api(exc))


CONFLICT_HINT = (
    "another process is reading updates with this token: run one polling bot per token "
    "(several replicas need webhook mode, docs/deployment.md)"
)


# Telegram's words (lower-cased: python-telegram-bot capitalizes what follows «Bad Request: ») for
# a chat that will not take the bot's messages, by the reason counted in pasokh_undelivered
_OUT_OF_REACH = (
    ("blocked", ("blocked by the user", "user is deactivated", "can't initiate conversation")),
    ("topic_closed", ("topic_closed", "topic_deleted", "message thread not found")),
    (
        "muted",
        ("not enough rights", "have no rights to send", "chat_write_forbidden", "chat_restricted", "need administrator rights"),
    ),
    ("removed", ("kicked", "not a member", "chat not found", "chat was deleted", "group chat was deactivated")),
)


def out_of_reach(exc: BaseException) -> tuple[str, str] | None:
    """Why the chat a reply went to no longer takes the bot's messages, as (the reason counted,
    what was refused, in Telegram's words where they name no chat), or None when the failure is
    anything else. A refusal that names no reason
    known here still means the bot may not write there when it is 403 Forbidden."""
    if isinstance(exc, ChatMigrated):
        return "migrated", "the group became a supergroup, which has the conversation now"
    if not isinstance(exc, Forbidden | BadRequest):
        return None
    words = str(exc).lower()
    for reason, phrases in _OUT_OF_REACH:
        if any(phrase in words for phrase in phrases):
            return reason, f"Telegram says «{said(exc)}»"
    return ("removed", f"Telegram says «{said(exc)}»") if isinstance(exc, Forbidden) else None


_TOO_LATE = ("query is too old", "query id is invalid", "query_id_invalid")


def too_late(exc: BaseException) -> bool:
    """Telegram no longer takes an answer to this tap or inline query: it reached the bot late
    (made while the bot restarted), or the answer took too long (an inline query typed on)."""
    words = str(exc).lower()
    return isinstance(exc, BadRequest) and any(w in words for w in _TOO_LATE)


def not_modified(exc: BaseException) -> bool:
    """Telegram refused an edit that would leave the message as it is: it already shows that."""
    return isinstance(exc, BadRequest) and "message is not modified" in str(exc).lower()
