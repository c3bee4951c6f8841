"""The one way a ``[retrieval]`` check fails: a :class:`SettingsError` naming the table and the key."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import fields
from typing import Any

from retrieval.errors import SettingsError


def check_all(checks: Iterable[tuple[bool, str]]) -> None:
    for ok, message in checks:
        if not ok:
            raise SettingsError(f"[retrieval] {message}")


def unknown_keys(cls: type, table: Mapping[str, Any], where: str) -> str | None:
    """«unknown key(s) in [table]: …; known keys: …» when ``table`` has keys ``cls`` does not (a
    typo fails loudly, naming what it could have been), else None."""
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(table) - known)
    if not unknown:
        return None
    return f"unknown key(s) in {where}: {', '.join(unknown)}; known keys: {', '.join(sorted(known))}"
