"""What Pasokh writes for an operator to read, a terminal or a log file, shown as the characters
it holds: codes that act instead of showing are written as escapes.

Much of what the commands and the logs name came from outside: a URL a redirect or a page's
canonical link gave, a server's header, an exception's text, a file's name, a source's last
error. Written as sent, ``ESC ] 0 ;`` retitled the operator's terminal and ``ESC [ 2 J`` cleared
it, a newline in a page's canonical link started a log line of the page's own making
(«2026-12-06T07:00:00 ERROR …», indistinguishable from Pasokh's), a carriage return wrote over
the start of its line, and a right-to-left override turned the rest of a line around (a URL
read backwards). Each is written as ``\\uXXXX`` (tab, newline and carriage return as ``\\t``,
``\\n``, ``\\r``), which shows what was there and is the same character again to a JSON reader:
``--json`` output and JSON log lines read back as they were.

Kept as they are: tab and newline where the output has lines and columns, and the marks that
only join or direct a word (ZWNJ, ZWJ, the left-to-right and right-to-left marks), which Persian
text is written with."""

from __future__ import annotations

import re
import sys

from corpus.controls import DIRECTION_CONTROLS

# C0 controls, DEL, C1 controls; the line and paragraph separators (a line break to many log
# viewers); the embeddings, overrides and isolates that set direction over a stretch of text
_BEYOND_C0 = f"\x7f-\x9f\u2028\u2029{DIRECTION_CONTROLS}"
_ANY = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
_NOT_LINES = re.compile(f"[\x00-\x08\x0b-\x1f{_BEYOND_C0}]")  # tab (\x09) and newline (\x0a) kept
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}  # as JSON and Python write them


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    return _SHORT.get(char) or f"\\u{ord(char):04x}"


def one_line(text: str) -> str:
    """``text`` as one line of characters that show as themselves (for a log line)."""
    return _ANY.sub(_escape, text) if _ANY.search(text) else text


def shown(text: str) -> str:
    """``text`` with its lines and columns (newline, tab) kept and every other code escaped."""
    return _NOT_LINES.sub(_escape, text) if _NOT_LINES.search(text) else text


def echo(text: str = "", *, err: bool = False, flush: bool = False) -> None:
    """``print`` for the commands' own output (its lines and columns kept), or with ``err`` for a
    line on standard error, a warning or an error, which stays one line whatever it names."""
    print(one_line(text) if err else shown(text), file=sys.stderr if err else sys.stdout, flush=flush)
