"""config.toml's text as editors save it: TOML is UTF-8, but Windows Notepad writes a byte-order
mark in front of it (or saves «Unicode», UTF-16), and a Persian agency name typed in an editor
set to the Arabic code page arrives as Windows-1256. A mark is harmless and is read past; any
other encoding is refused in one line saying where the first foreign byte is and how to save the
file, instead of tomllib's «Invalid statement (at line 1, column 1)» or a codec's error."""

from __future__ import annotations

import codecs
import tomllib
from pathlib import Path
from typing import Any

UTF16_MARKS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
SAVE_AS_UTF8 = "save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8)"


class ConfigFileError(Exception):
    """The file cannot be read as TOML; the message names the file and what to do."""


def read_toml(path: Path) -> dict[str, Any]:
    """The tables of ``path``; a missing file, an unreadable one, one in another encoding and
    one that is not TOML each raise :class:`ConfigFileError` with one line."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ConfigFileError(f"config file {path} does not exist") from None
    except OSError as exc:
        raise ConfigFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_toml(data, path)


def parse_toml(data: bytes, path: Path) -> dict[str, Any]:
    if data.startswith(UTF16_MARKS) or (len(data) >= 2 and b"\x00" in data[:2]):
        raise ConfigFileError(f"{path} is saved as UTF-16; {SAVE_AS_UTF8}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise ConfigFileError(
            f"{path} is not UTF-8 (byte 0x{data[exc.start]:02x} at line {line}, column {column}); {SAVE_AS_UTF8}"
        ) from None
    if "\x00" in text:
        raise ConfigFileError(f"{path} holds a NUL byte, which no text file has; is it the right file?")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigFileError(f"{path} is not valid TOML: {exc}") from None
