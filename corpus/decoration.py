"""What opens a line before its words: the emoji, bullets, tags and labels a channel puts there,
a speaker's line, an agency's dateline. Quotes are shown from their first word (the rest before
the quotation marks), titles too; a pure function of the text, for every layer that shows one."""

from __future__ import annotations

import re
import unicodedata

from corpus.metadata import dateline_end
from corpus.split import is_lead_in

_BULLETS = frozenset("•▪▫◾◽►▶◀▸◂●○◆◇■□★☆✓✔✅❌➖➕➡⬅|")
_DASHES = frozenset("-–—*")  # a list's dash only before a space: «-۲۰ درجه» is a number
# a separator left at a line's start when a tag's line broke before it («#فوری» / «؛پلیس …»): no
# sentence opens with one
_STRAY_SEPARATORS = frozenset("؛:：،;,")


# a channel's tag as the label of what follows: «#فکت؛ …», «#فوری | …», «#اقتصادی: …»
_TAG_LABEL = re.compile(r"#[\w\u200c]+\s*(?:[؛;:|｜]|[-–—](?=\s))\s*")
# the word a channel marks a post's urgency or kind with, before a slash, bar or colon: «فوری/انفجار
# در …», «فووووووری/…» (drawn out), «خبر فوری | …», «عاجل: …», «تکمیلی/ …»
_KIND_LABEL = re.compile(r"(?:خبر\s*)?(?:ف+و+ر+ی+|عاجل|مهم|تکمیلی|اختصاصی)\s*[/|｜:：؛\-–—]\s*")
# the line a sentence opens with, up to its line break and the space after it
_FIRST_LINE = re.compile(r"([^\n]+)\n\s*")


def opening_decoration(text: str) -> int:
    """How many characters open ``text`` before its words: the emoji and bullets channels put
    before a post's lines («🔻», «📌», «🔴», «- »), with their spaces and variation selectors, the
    separator a tag's line left at the next line's start («#فوری» / «؛پلیس …»), a tag
    or word that labels the line («#فکت؛ », «#فوری | », «فوری/»), and the line that says who
    speaks («آکسیوس:», which the splitter joins to the words it introduces), or an agency's
    dateline («تهران- ایرنا- », «تهران (پانا) - »). A front end shows them before the
    quotation marks, not inside: what stands between «» is still a slice of the source's text,
    from its first word, and a speaker's name is not put in their mouth. A tag the sentence reads
    on with («#ایران قهرمان شد») is one of its words."""
    i = 0
    while i < len(text):
        if (
            text[i] in _BULLETS
            or text[i] in _STRAY_SEPARATORS
            or text[i].isspace()
            or unicodedata.category(text[i]) in ("So", "Sk", "Mn", "Cf")
            or (text[i] in _DASHES and text[i + 1 : i + 2].isspace())
        ):
            i += 1
        elif label := _TAG_LABEL.match(text, i) or _KIND_LABEL.match(text, i):
            i = label.end()
        elif (line := _FIRST_LINE.match(text, i)) and is_lead_in(line.group(1)):
            i = line.end()
        elif i == 0 and (dateline := dateline_end(text)):
            i = dateline
        else:
            break
    return i if i < len(text) else 0


_STRAY_AT_LINE_START = re.compile(rf"(?m)^([ \t\u200f]*)[{re.escape(''.join(sorted(_STRAY_SEPARATORS)))}]+[ \t]*")


def unquoted(text: str) -> str:
    """Text of a passage outside its quotes as a front end shows it: without the separator a
    tag's line left at a line's start («؛» of «#فوری» / «؛پلیس …»), a mark with no words that
    would stick to the quote's number («؛[۱]»)."""
    return _STRAY_AT_LINE_START.sub(r"\1", text)


def shown_title(title: str) -> str:
    """A title as front ends show it: from its first word, without the emoji or bullet a
    channel's post opens with («🔻«برای دوستان …»»); still a slice of what the source wrote."""
    return title[opening_decoration(title) :] or title
