"""Every key of config.toml checked against the type its settings dataclass declares: whole
numbers, finite numbers, booleans, text, lists of them, optional values. Range and allowed-value
checks live with each dataclass (``__post_init__``); this catches what those cannot see (a word
where a number goes, ``nan``, ``"false"`` for a boolean) and names the file, table and key."""

from __future__ import annotations

import math
import types
import typing
from collections.abc import Mapping
from typing import Any, Union


def problem(expected: Any, value: object) -> str | None:
    """What ``value`` should have been (for the error line), or None when it fits ``expected``."""
    origin = typing.get_origin(expected)
    if origin in (Union, types.UnionType):
        options = typing.get_args(expected)
        if value is None and type(None) in options:
            return None
        found = [problem(option, value) for option in options if option is not type(None)]
        return None if any(f is None for f in found) else " or ".join(f for f in found if f)
    if expected is bool:
        return None if isinstance(value, bool) else "true or false"
    if expected is int:
        return None if isinstance(value, int) and not isinstance(value, bool) else "a whole number"
    if expected is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        return None if ok else "a finite number"
    if expected is str:
        return None if isinstance(value, str) else "text in quotes"
    if origin is tuple:
        args = typing.get_args(expected)
        if not isinstance(value, list | tuple):
            return "a list"
        item = args[0] if args else Any
        for element in value:
            if (inner := problem(item, element)) is not None:
                return f"a list of {inner.removeprefix('a ').removeprefix('an ')}s"
        return None
    return None  # mappings and anything richer are checked by the dataclass itself


def check_fields(cls: type, values: Mapping[str, Any], where: str) -> str | None:
    """The first key of ``values`` whose value does not fit ``cls``'s field, as an error line."""
    hints = typing.get_type_hints(cls)
    for key, value in values.items():
        if key in hints and (wanted := problem(hints[key], value)) is not None:
            return f"{where} {key} must be {wanted}, got {value!r}"
    return None
