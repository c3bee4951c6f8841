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


def load_secret(env_secret: str | None, data_dir: Path) -> bytes:
    if env_secret:
        return env_secret.encode("utf-8")
    path = data_dir / SECRET_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    except ValueError as exc:
        raise ValueError(f"{path} is damaged (not hex); delete it to make a new one (old buttons stop working)") from exc
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another replica made it first
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secret.hex())
        fh.flush()
        os.fsync(fh.fileno())
    return secret


def derive(secret: bytes, purpose: str) -> bytes:
    return hmac.new(secret, purpose.encode(), hashlib.sha256).digest()
