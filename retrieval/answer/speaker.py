"""Who «وی» is: for a quote that opens on a pronoun, the earlier words of its article that name
the speaker. Pure functions over an article's sentences.

Agency copy names a speaker once («حسین عسگری، کارشناس داوری فوتبال … اظهار کرد: …») and then
writes «وی افزود:», «او ادامه داد:», «این مقام مسئول تصریح کرد:» paragraph after paragraph. A
quote from the fifth of those paragraphs read «وی افزود: …» with nobody named, in its passage or
anywhere a reader could see; the sentence before it, when shown as context, was often another
«وی …». The speaker is the subject of the nearest earlier sentence that reports speech and does
not itself open on a pronoun, as a reader of the article resolves it (and only for a «وی» who
speaks); what is shown is that sentence's own words up to its verb of speech («… اظهار کرد:»),
a verbatim slice, never a name Pasokh composed.

Matched on the text as published (its letters as the source typed them: Arabic «ي» and «ك»,
ZWNJ or a space inside compound verbs), so the slice is cut from the text itself."""

from __future__ import annotations

import re
from collections.abc import Sequence

from corpus.records import StoredSentence
from retrieval.records import Speaker

LOOKBACK = 12  # sentences before a quote searched for its speaker
MAX_CLAUSE = 320  # characters: a longer run before the verb of speech is no attribution a reader can take in

_Y, _K, _J = "[یيى]", "[کك]", "[\\s\u200c]*"  # the letters sources type two ways; space or ZWNJ or none
_PRONOUN = (
    f"(?:و{_Y}|او|ا{_Y}شان|نامبرده|ا{_Y}ن{_J}(?:مقام(?:{_J}مسئول|{_J}مسوول|{_J}مسؤول)?|مسئول|مسوول|مسؤول|"
    f"نما{_Y}نده|{_K}ارشناس|بازی{_K}ن|مرب{_Y}|مد{_Y}ر|وز{_Y}ر|استاد|عضو|فعال|پژوهشگر|نو{_Y}سنده|هنرمند|{_K}ارگردان))"
)
_REFERS_BACK = re.compile(f'^[\\s\u200c\u200f\u200e«"]*{_PRONOUN}(?=[\\s\u200c،,:])')
_DID = f"(?:{_K}رد|نمود)"
_VERB = (  # third person, past or present, of the verbs agencies report speech with
    f"(?:گفت(?!{_J}و{_J}گو)|م{_Y}{_J}گو{_Y}د|گفته{_J}است|افزود|ادامه{_J}داد|توض{_Y}ح{_J}داد|خبر{_J}داد|"
    f"(?:اضافه|تصر{_Y}ح|تشر{_Y}ح|اشاره|{_Y}ادآور{_Y}){_J}{_DID}|{_Y}ادآور{_J}شد|خاطرنشان{_J}(?:{_DID}|ساخت|شد)|"
    f"(?:اظهار|عنوان|ب{_Y}ان|اعلام|اذعان|ابراز|ت[اأ]ٔ?{_K}{_Y}د){_J}(?:{_DID}|داشت))"
)
_SPEECH = re.compile(f"(?<![^\\s\u200c،,])(?:{_VERB})(?:ند)?(?=[\\s\u200c:؛.،,!]|$)[ \t]*:?")


def refers_back(text: str) -> bool:
    """Whether a sentence opens on a pronoun or «این مقام …» that names nobody by itself."""
    return _REFERS_BACK.match(text) is not None


def reported(text: str) -> int | None:
    """Where the words of a sentence that reports speech end (after its verb and a colon), or None."""
    if refers_back(text):
        return None
    found = _SPEECH.search(text)
    return found.end() if found and found.end() <= MAX_CLAUSE else None


def unnamed(shown: Sequence[StoredSentence]) -> StoredSentence | None:
    """The first of ``shown`` (the sentences shown up to and including a quote, in order) that
    gives the words of a «وی», whose speaker a reader then looks for before it; None when none does.

    Only a «وی» who speaks is resolved: one who was born, scored or resigned is the subject of
    the story, named wherever it began, and the nearest sentence reporting speech may be about
    somebody else («وی سال ۱۳۵۰ متولد شد», «این بازیکن با ارسال زمینی …»)."""
    return next((s for s in shown if refers_back(s.text) and _SPEECH.search(s.text)), None)


def speaker_in(before: Sequence[StoredSentence]) -> Speaker | None:
    """The words that name the speaker in the nearest of ``before`` (the article's sentences
    before those shown) that reports speech, or None when none of them does."""
    for sentence in sorted(before, key=lambda s: s.position, reverse=True):
        end = reported(sentence.text)
        if end is not None:
            words = sentence.text[:end].rstrip()
            return Speaker(words, sentence.start, len(sentence.text[end:].strip()) > 1)
    return None
