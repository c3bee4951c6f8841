"""Links to other stories set inside an article's body: «بیشتر بخوانید: …», «… را هم بخوانید»,
or a label alone on its line with the link under it. Many Persian sites put them between
paragraphs; kept, another story's headline would be quoted and cited to this one.
"""

from __future__ import annotations

import re

from corpus.clean import squash
from news import visible

# labels sites put before (or after) a link to another story inside the body
_READ_MORE_RAW = (
    "بیشتر بخوانید",
    "بخوانید",
    "همچنین بخوانید",
    "این را هم بخوانید",
    "را هم بخوانید",
    "را بخوانید",
    "پیشنهاد خواندنی",
    "پیشنهاد ما",
    "پیشنهاد سردبیر",
    "پیشنهاد ویژه",
    "مطلب مرتبط",
    "مطالب مرتبط",
    "خبر مرتبط",
    "اخبار مرتبط",
    "خبرهای مرتبط",
    "گزارش مرتبط",
    "در همین زمینه",
    "بیشتر بدانید",
    "ببینید",
    "بشنوید",
    "read more",
    "also read",
    "see also",
)
READ_MORE_MAX_CHARS = 300  # a label and a headline or two; a longer line is a paragraph


def _as_written(label: str) -> str:
    """A label's pattern as pages write it: any spacing or ZWNJ between words, Arabic yeh or kaf."""
    return r"[\s\u200c]*".join(re.escape(w).replace("ی", "[یيى]").replace("ک", "[کك]") for w in label.split())


READ_MORE = frozenset(squash(label) for label in _READ_MORE_RAW)
_LABELS = "|".join(_as_written(label) for label in sorted(_READ_MORE_RAW, key=len, reverse=True))
_LABEL_FIRST = re.compile(rf"^\s*[«\"']?(?:{_LABELS})[»\"']?\s*[:：|\-–—»]*\s*", re.IGNORECASE)
_LABEL_LAST = re.compile(rf"\s*[:：|\-–—]?\s*(?:{_LABELS})\s*[.!]?\s*$", re.IGNORECASE)


def points_elsewhere(line: str, links: set[str]) -> bool:
    """A «بیشتر بخوانید: …» line: a label and the headline of another story, linked (the label
    before the link, after it, or inside it). It sits in the body on many sites but is not the
    article's text: quoted, another story's headline would be cited to this one. A sentence
    with a link in it keeps its other words and stays, and so does a line that is only a link,
    unlabelled. One set lookup a line, however many links the page has."""
    if len(line) > READ_MORE_MAX_CHARS:
        return False
    first, last = _LABEL_FIRST.match(line), _LABEL_LAST.search(line)
    if first is None and last is None:
        return False
    if visible.skeleton(line) in links:  # the label is part of the link: «<a>بخوانید: …</a>»
        return first is not None
    rest = line[first.end() :] if first else line
    if last is not None and first is None:
        rest = line[: last.start()]
    return bool(rest.strip()) and visible.skeleton(rest) in links


def is_label(line: str) -> bool:
    """A read-more label alone on its line («بیشتر بخوانید:»): the link comes on the next one."""
    return squash(line) in READ_MORE
