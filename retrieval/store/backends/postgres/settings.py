"""``[storage.postgres]``: where in the database the corpus lives and how it is searched.

The database URL is a secret (it may hold a password) and the same file serves every replica,
so it is never read from here: it comes from ``PASOKH_DATABASE_URL``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from retrieval.errors import SettingsError


@dataclass(frozen=True)
class Settings:
    schema: str = "pasokh"
    ef_search: int = 100
    lock_wait_seconds: float = 60.0

    def __post_init__(self) -> None:
        name = self.schema
        if not isinstance(name, str) or not re.fullmatch(r"[a-z_][a-z0-9_]{0,30}", name) or name.startswith("pg_"):
            raise SettingsError(
                "[storage.postgres] schema must be a lower-case SQL name of up to 31 characters, not starting pg_, "
                f"got {self.schema!r}"
            )
        if not isinstance(self.ef_search, int) or isinstance(self.ef_search, bool) or not 10 <= self.ef_search <= 1000:
            raise SettingsError(f"[storage.postgres] ef_search must be a whole number from 10 to 1000, got {self.ef_search!r}")
        wait = self.lock_wait_seconds
        if not isinstance(wait, int | float) or isinstance(wait, bool) or not math.isfinite(wait) or wait < 0:
            raise SettingsError(f"[storage.postgres] lock_wait_seconds must be 0 or more, got {wait!r}")
