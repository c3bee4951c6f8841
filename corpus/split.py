"""Sentence splitting that keeps every sentence's exact span in the article.

hazm's splitter only breaks at punctuation followed by a space; news copy often glues
sentences («این.واین») and writes initials («ع. طالبی»). Both are patched here so a
quote is a whole sentence, never half of one or two run together.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache

from corpus.hazm_lean import hazm

# end punctuation glued to the next Persian word: «...شد.وی گفت»
_GLUED = re.compile(r"(?<=[\u0600-\u06ff])([.!?؟]+)(?=[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc])")
# a lone letter (an initial) right before the break: «ع.» or «A.»
_INITIAL = re.compile(r"(?:^|\s)\w[.]$")
MAX_SENTENCE_CHARS = 600


@lru_cache(maxsize=1)
def _hazm_tokenizer():  # type: ignore[no-untyped-def]
    return hazm().SentenceTokenizer()


def _paragraph_spans(para: str) -> list[tuple[int, int]]:
    """Spans of hazm's sentences inside one paragraph, with glued and initial breaks fixed."""
    found: list[tuple[int, int]] = []
    cursor = 0
    for sent in _hazm_tokenizer().tokenize(para):
        at = para.find(sent, cursor)
        if at < 0:  # hazm changed the text; fall back to the rest of the paragraph as one piece
            found.append((cursor, len(para)))
            break
        piece_start = at
        for m in _GLUED.finditer(sent):
            found.append((piece_start, at + m.end()))
            piece_start = at + m.end()
        found.append((piece_start, at + len(sent)))
        cursor = at + len(sent)
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and _INITIAL.search(para[merged[-1][0] : merged[-1][1]]):
            merged[-1] = (merged[-1][0], end)
        elif end > start:
            merged.append((start, end))
    return merged


def spans(text: str, paragraph_starts: list[int]) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in ``text``; paragraphs never share a sentence."""
    bounds = [*paragraph_starts, len(text)]
    for p_start, p_end in itertools.pairwise(bounds):
        para = text[p_start:p_end].rstrip()
        for start, end in _paragraph_spans(para):
            yield from _bounded(text, p_start + start, p_start + end)


def _bounded(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Cut run-on sentences at a clause boundary so a quote stays readable."""
    while end - start > MAX_SENTENCE_CHARS:
        window = text[start : start + MAX_SENTENCE_CHARS]
        cut = max(window.rfind("؛ "), window.rfind("، "), window.rfind(": "))
        if cut < MAX_SENTENCE_CHARS // 3:
            cut = window.rfind(" ")
        if cut <= 0:
            break
        yield start, start + cut + 1
        start = start + cut + 1
        while start < end and text[start] == " ":
            start += 1
    if end > start:
        yield start, end
