"""What Telegram accepts as a bot token and as a webhook's secret, checked before the bot starts.

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
MIN_WEBHOOK_SECRET = 16  # Telegram takes one character; the secret is all that tells Telegram's calls from forged ones
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
    if secret.startswith(PLACEHOLDER) or len(secret) < MIN_WEBHOOK_SECRET:
        said = "still deploy/env.example's placeholder" if secret.startswith(PLACEHOLDER) else f"{len(secret)} characters"
        raise BotSettingsError(
            f"TELEGRAM_WEBHOOK_SECRET is {said}; use at least {MIN_WEBHOOK_SECRET} random letters and digits "
            "(`openssl rand -hex 32`): with a known or guessable one, anyone who finds the webhook's address can send "
            "the bot updates in any user's name, an admin's included"
        )
    if not WEBHOOK_SECRET.fullmatch(secret):
        raise BotSettingsError(
            f"TELEGRAM_WEBHOOK_SECRET must be 1 to 256 letters, digits, - and _ as Telegram allows ({describe(secret, '_-')}); "
            "`openssl rand -hex 32` makes one"
        )
    return secret


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
