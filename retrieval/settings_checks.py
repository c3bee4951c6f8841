"""The one way a ``[retrieval]`` check fails: a :class:`SettingsError` naming the table and the key."""

from __future__ import annotations

from collections.abc import Iterable

from retrieval.errors import SettingsError


def check_all(checks: Iterable[tuple[bool, str]]) -> None:
    for ok, message in checks:
        if not ok:
            raise SettingsError(f"[retrieval] {message}")
