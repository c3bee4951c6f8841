"""The bot's secret: signs button data and keys the hashes that stand in for Telegram ids.

From ``PASOKH_BOT_SECRET`` when set (replicas of one bot must share it), else generated once
into the data directory, readable by its owner only. Each use gets its own derived key, so
a leaked button tag says nothing about the hashes in the log.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

SECRET_FILE = "bot.secret"
SECRET_BYTES = 32  # what is made
MIN_SECRET_BYTES = 16  # what is accepted: fewer, and the key can be guessed (an empty one was taken as a key)
REMADE = "delete it and a new one is made (buttons already sent stop working; the log's hashed ids no longer match)"


class SecretError(ValueError):
    """The secret in the data directory is damaged: not hex, or too short to be a key."""


def load_secret(env_secret: str | None, data_dir: Path) -> bytes:
    """``PASOKH_BOT_SECRET`` (checked with the config), else the data directory's, made once."""
    if env_secret:
        return env_secret.encode("utf-8")
    path = data_dir / SECRET_FILE
    try:
        return _read(path)
    except FileNotFoundError:
        pass
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(SECRET_BYTES)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another replica made it first
        return _read(path)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secret.hex())
        fh.flush()
        os.fsync(fh.fileno())
    return secret


def _read(path: Path) -> bytes:
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except ValueError as exc:  # UnicodeDecodeError too
        raise SecretError(f"{path} is damaged (not hex): {REMADE}") from exc
    if len(key) < MIN_SECRET_BYTES:
        raise SecretError(f"{path} is damaged ({len(key)} bytes, where a secret is {SECRET_BYTES}): {REMADE}")
    return key


def derive(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, purpose.encode(), hashlib.sha256).digest()
