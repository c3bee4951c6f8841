"""What Telegram accepts as a bot token and as a webhook's secret, and what no shared secret may
be (deploy/env.example's placeholder, a guessable length), checked before the bot starts.

Both come from the environment, where they arrive with what the operator's tools add: a ``\\r``
from an env file saved on Windows, a newline from ``$(cat token)`` in some shells, a quote pasted
with the value. Before this check such a token was tried six times over a minute and ended in
«Invalid non-printable ASCII character in URL», and a webhook secret holding a space was a
traceback from ``setWebhook``. Whitespace around either is never part of it and is dropped;
anything else that Telegram would refuse is one line naming the variable, never echoing a secret."""

from __future__ import annotations

import re

from bot.settings import BotSettingsError

TOKEN = re.compile(r"[0-9]+:[A-Za-z0-9_-]+")  # BotFather's: the bot's id, a colon, the secret half
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")  # setWebhook's secret_token, as the Bot API documents it
MIN_SECRET_CHARS = 16  # a shared secret shorter than this can be guessed (Telegram takes a one-character webhook secret)
PLACEHOLDER = "replace-with"  # how deploy/env.example's values begin


def telegram_token(value: str) -> str:
    """``value`` without surrounding whitespace, or :class:`BotSettingsError` if it cannot be a token."""
    token = value.strip()
    if token.partition(":")[2].startswith(PLACEHOLDER):
        raise BotSettingsError("TELEGRAM_BOT_TOKEN is still deploy/env.example's placeholder: set the token @BotFather gave you")
    if not TOKEN.fullmatch(token):
        raise BotSettingsError(
            f"TELEGRAM_BOT_TOKEN is not a bot token ({describe(token, '_-:')}); a token from @BotFather is the bot's "
            "number, a colon, then letters, digits, - and _ (123456:ABC-…), with no quotes or spaces"
        )
    return token


def webhook_secret(value: str) -> str:
    """``value`` without surrounding whitespace, or :class:`BotSettingsError` if Telegram would refuse it."""
    secret = value.strip()
    unguessable(
        "TELEGRAM_WEBHOOK_SECRET",
        secret,
        "a short one can be guessed, and with it anyone who finds the webhook's address can send the bot updates in "
        "any user's name, an admin's included",
    )
    if not WEBHOOK_SECRET.fullmatch(secret):
        raise BotSettingsError(
            f"TELEGRAM_WEBHOOK_SECRET must be 1 to 256 letters, digits, - and _ as Telegram allows ({describe(secret, '_-')}); "
            "`openssl rand -hex 32` makes one"
        )
    return secret


def bot_secret(value: str) -> str:
    """``PASOKH_BOT_SECRET`` as given (it keys the buttons and the log's hashes of Telegram ids,
    so it is never altered), or :class:`BotSettingsError` if it can be guessed."""
    unguessable("PASOKH_BOT_SECRET", value, "a short one can be guessed, and with it buttons forged and hashed ids undone")
    return value


def unguessable(name: str, secret: str, harm: str) -> None:
    """:class:`BotSettingsError` for a shared secret anyone could know or guess: still
    deploy/env.example's placeholder, or shorter than :data:`MIN_SECRET_CHARS`."""
    if secret.strip().startswith(PLACEHOLDER):
        raise BotSettingsError(
            f"{name} is still deploy/env.example's placeholder: set a long random string (`openssl rand -hex 32`)"
        )
    if len(secret) < MIN_SECRET_CHARS:
        raise BotSettingsError(
            f"{name} is {len(secret)} characters; use at least {MIN_SECRET_CHARS}, random (`openssl rand -hex 32`): {harm}"
        )


def describe(secret: str, marks: str) -> str:
    """What is wrong with ``secret`` without showing it: its length and the kind of its first
    character that is neither an ASCII letter or digit nor one of ``marks``."""
    bad = next((c for c in secret if not (c.isascii() and (c.isalnum() or c in marks))), None)
    if not secret:
        return "it is empty"
    if bad is None:
        return f"{len(secret)} characters"
    kind = "a space" if bad.isspace() else "a quote" if bad in "'\"`" else f"the character U+{ord(bad):04X}"
    return f"{len(secret)} characters, holding {kind}"
