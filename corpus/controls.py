"""Control characters in what sources send: codes, not text, left out of what is stored; and
fields (a headline, an agency's name) with nothing in them to read.

A feed, a channel post or a JSONL export may carry C0 and C1 control codes inside its text (a
word processor's field marks, an ESC that starts a terminal colour sequence, a BEL). A browser
shows none of them, so the text a reader of the source sees has none; quoted, ESC would recolour
or retitle the terminal of whoever runs ``pasokh ask`` (``ESC ] 0 ;`` sets a window title), and
each would travel in every answer that quotes the sentence. They are dropped where an article is
prepared, before its content hash, so what is stored, indexed and quoted is the text as shown.

Line and page breaks written as control codes (``\\v``, ``\\f``, the information separators
``\\x1c``–``\\x1e``, NEL) are not dropped: :func:`corpus.clean.paragraphs` breaks lines at them,
as ``str.splitlines`` does. NUL is refused with its article (:mod:`corpus.prepare`): it marks a
damaged file, not a source's text. Tab, newline and carriage return are whitespace."""

from __future__ import annotations

import re

# The characters that set text's direction over a stretch of it, as a regex class's body:
# embeddings and overrides (U+202A–U+202E, their end among them), isolates (U+2066–U+2069)
DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"

# C0 but NUL, tab, newline, the line breaks above and carriage return; DEL; C1 but NEL (U+0085)
NOT_TEXT = re.compile("[\x01-\x08\x0e-\x1b\x1f\x7f\x80-\x84\x86-\x9f]")


def without_controls(text: str) -> str:
    """``text`` without the control codes no reader of the source was shown."""
    return NOT_TEXT.sub("", text) if NOT_TEXT.search(text) else text


WORDED = re.compile(r"[^\W_]")  # a letter or a digit, in any script


def shown_field(value: str | None) -> str | None:
    """A title, agency or label as a reader saw it: without control codes, and None when it has
    no letter or digit. A headline of only spaces, ZWNJ, marks or a bullet («\u200c», «🔻») is
    no headline: shown, the link to the article was a blank no one could tap, and the button
    that opens it a blank too; with None the story is titled by its opening words instead."""
    if value is None:
        return None
    shown = without_controls(value)
    return shown if WORDED.search(shown) else None
