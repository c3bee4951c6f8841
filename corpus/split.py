"""Sentence splitting that keeps every sentence's exact span in the article.

hazm's splitter only breaks at punctuation followed by a space; news copy often glues
sentences («این.واین») and writes initials: a Persian letter («ع. طالبی»), the Persian name of a
Latin letter («جان اف. کندی», «ان.بی.سی», «جی. دی. ونس») or an era («سده ۸ (هـ. ش)»). All are
patched here so a quote is a whole sentence, never half of one («جان اف.») or two run together.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from corpus.hazm_lean import hazm

# end punctuation glued to the next Persian word: «...شد.وی گفت», or to it alone after a space, as
# text typed with its direction confused writes it: «... می‌دانند .در ایالات متحده» (after a word,
# not a lone letter: «ج .ا .ا» is initials)
_ENDS = re.compile(r"[.!?؟]+")
_ARABIC_BLOCK = re.compile(r"[\u0600-\u06ff]")
_TWO_IN_BLOCK = re.compile(r"[\u0600-\u06ff]{2}")
_LETTER = re.compile(r"[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc]")


def _glued_ends(sentence: str) -> Iterator[int]:
    """Where each glued break ends: a run of end punctuation after a character of the Arabic block
    (or a lone one after two of them and a space) and right before a Persian letter.

    The same breaks as ``(?<=[\u0600-\u06ff])[.!?؟]+(?=letter)|(?<=[\u0600-\u06ff]{2} )[.!?؟](?=letter)``,
    found run by run: that pattern retried every position of a run of «؟», which is in the block
    itself, so 30,000 of them (a hostile page) took nine seconds, and 120,000 over two minutes."""
    for run in _ENDS.finditer(sentence):
        start, end = run.span()
        if not _LETTER.match(sentence, end):
            continue
        before = sentence[start - 1] if start else ""
        after_letter = bool(before) and _ARABIC_BLOCK.match(before) is not None
        if after_letter or "؟" in sentence[start : end - 1]:  # the run may start after its first «؟»
            yield end
        elif end - start == 1 and before == " " and start >= 3 and _TWO_IN_BLOCK.fullmatch(sentence, start - 3, start - 1):
            yield end  # a lone stop after two letters and a space


# a lone letter (an initial) right before the break: «ع.» or «A.»
_INITIAL = re.compile(r"(?:^|\s)\w[.]$")
# the word right before a break, when the break is a full stop: «… اف.», «(هـ.», «ان.بی.»
_WORD = r"([\w\u064b-\u065f\u0670\u200d]+)"  # with Arabic marks: «آ» may come as «ا» and a combining madda
_LAST_WORD = re.compile(r"(?:^|[\s(\[«\"'.:/،])" + _WORD + r"[.]$")
_FIRST_WORD = re.compile(r"\s*" + _WORD + r"[.]")
_ANY_WORD = re.compile(r"\w")
# «و ...» is Persian's «etc.»; a short piece after it is the rest of the sentence: «… و ... بودند.»,
# and so is one that goes on with «که» or «را»: «… «آفتی به‌نام سیاست‌زدگی»و... که برخی از آنها در زیر
# می‌آید.», «… زیرساخت Bot API و... را کمتر از ۲۰ مهندس … ساخته‌اند.»
_ETC = re.compile(r"(?:^|[\s»\"')\]])و\s*(?:\.{2,}|…)$")
_GOES_ON = re.compile(r"\s*(?:که|را)\s")  # no sentence opens with «که» after «و ...», or with «را» at all
ETC_TAIL_WORDS = 3
TAIL = 40  # how far back from a break its tests look (``^`` still means the piece's real start)
# Latin letters as Persian news names them in initials and acronyms; none of these is a
# Persian word that ends a sentence, so a full stop after one never does
_LETTER_NAMES = frozenset("اف اچ جی جِی ایکس دبلیو کیو اس آر ال بی تی ان یو".split())
# letter names that are also Persian words a sentence can end on («به وی.», «۱۰ دی.», «سی.»,
# «او را زد.»): an initial only in a run of initials («جی. دی. ونس»)
_LETTER_WORDS = frozenset("ای سی دی وی او کی ام پی آی وای زد".split())
_ANY_LETTER_NAME = _LETTER_NAMES | _LETTER_WORDS
_ERAS = frozenset(("هـ", "ه\u200d"))  # «هـ. ش» / «هـ. ق»: solar and lunar hijri
_ARABIC_LETTERS = str.maketrans("يك", "یک")
MAX_SENTENCE_CHARS = 600
# part of every article's content hash: an article split differently by a newer Pasokh is
# written again when it is next ingested, instead of being skipped as unchanged. Every version
# the splitter has had, oldest first (a repair proves an article stored by any of them whole):
# a new one is appended.
SPLITTING_VERSIONS = ("pasokh-2", "pasokh-3", "pasokh-4", "pasokh-5")
SPLITTING_VERSION = SPLITTING_VERSIONS[-1]
# a paragraph's last sentence that only leads in to the next paragraph: who speaks («آکسیوس:», «یک
# مقام آمریکایی:», «حجت الاسلام محمدحسن مرادی:») or what follows («متن بیانیه به این شرح است:»)
LEAD_IN_MAX_WORDS = 10
LEAD_IN_MAX_CHARS = 80
_LEAD_IN_END = re.compile(r"[:：]\s*$")


@lru_cache(maxsize=1)
def _hazm_tokenizer():  # type: ignore[no-untyped-def]
    made = hazm().SentenceTokenizer()
    ends = re.fullmatch(r"\(\[([^\]]+)\]\+\)\[ \\n\]\+", made.pattern.pattern)
    if ends is not None:  # the same breaks, found in linear time (hazm's own pattern otherwise)
        made.pattern = re.compile(f"(?<![{ends.group(1)}])([{ends.group(1)}]++)[ \\n]+")
    return made


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
        for end in _glued_ends(sent):
            found.append((piece_start, at + end))
            piece_start = at + end
        found.append((piece_start, at + len(sent)))
        cursor = at + len(sent)
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and _continues(para[merged[-1][0] : merged[-1][1]], para[start:end]):
            merged[-1] = (merged[-1][0], end)
        elif end > start:
            merged.append((start, end))
    return merged


def _continues(before: str, piece: str) -> bool:
    """Whether the break between ``before`` and ``piece`` falls inside one sentence: after an
    initial, before a piece with no word in it («.» or «...» left over from «. .»), or between
    «و ...» and the few words that end its sentence or a clause that goes on with «که» or «را»."""
    tail = max(0, len(before) - TAIL)
    if not _ANY_WORD.search(piece) or _INITIAL.search(before, tail):
        return True
    if _ETC.search(before, tail) and (len(piece.split()) <= ETC_TAIL_WORDS or _GOES_ON.match(piece)):
        return True
    last = _LAST_WORD.search(before, tail)
    if last is None:
        return False
    word = _letters(last.group(1))
    if word in _LETTER_NAMES or word in _ERAS or (len(word) == 1 and word.isalpha()):  # «(منبع:س. گ)»
        return True
    return word in _LETTER_WORDS and (_ends_with_initial(before[: last.start(1)]) or _opens_with_letter_name(piece))


def _letters(word: str) -> str:
    """A word as the name lists spell it: composed («آ»), Persian yeh and kaf."""
    return unicodedata.normalize("NFC", word).translate(_ARABIC_LETTERS)


def _ends_with_initial(text: str) -> bool:
    """Whether ``text`` ends with an initial and a full stop: a letter, or a letter's name."""
    text = text.rstrip()
    word = _LAST_WORD.search(text, max(0, len(text) - TAIL))
    if word is None:
        return False
    name = _letters(word.group(1))
    return len(name) == 1 or name in _ANY_LETTER_NAME


def _opens_with_letter_name(text: str) -> bool:
    """Whether ``text`` begins with a letter's name and a full stop («ان. …»); not with a lone
    letter, since a sentence may well begin with a Persian initial («ع. طالبی گفت»)."""
    word = _FIRST_WORD.match(text)
    return word is not None and _letters(word.group(1)) in _ANY_LETTER_NAME


def spans(text: str, paragraph_starts: list[int]) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence in ``text``. Paragraphs share no sentence but one: a lead-in
    that ends its paragraph with a colon («آکسیوس:», «او گفت:») opens the next paragraph's first
    sentence, since alone it says nothing and what follows, quoted without it, has lost its
    speaker (a channel puts the two on lines of their own)."""
    bounds = [*paragraph_starts, len(text)]
    held: tuple[int, int] | None = None  # a lead-in waiting for the sentence it introduces
    for p_start, p_end in itertools.pairwise(bounds):
        para = text[p_start:p_end].rstrip()
        pieces = [(p_start + start, p_start + end) for start, end in _paragraph_spans(para)]
        if held is not None:
            if pieces and pieces[0][1] - held[0] <= MAX_SENTENCE_CHARS:
                pieces[0] = (held[0], pieces[0][1])
            else:
                yield held
            held = None
        if pieces and p_end < len(text) and is_lead_in(text[pieces[-1][0] : pieces[-1][1]]):
            held = pieces.pop()
        for start, end in pieces:
            yield from _bounded(text, start, end)
    if held is not None:
        yield held


def lead_in_start(paragraph: str) -> int | None:
    """Where the lead-in that ends ``paragraph`` starts (the sentence :func:`spans` would join to
    the next paragraph's first), or None when its last sentence says something on its own."""
    pieces = _paragraph_spans(paragraph.rstrip())
    if pieces and is_lead_in(paragraph[pieces[-1][0] : pieces[-1][1]]):
        return pieces[-1][0]
    return None


def is_lead_in(sentence: str) -> bool:
    """Whether ``sentence`` only introduces what follows it: a line of a few words ending with a
    colon. One that already holds a line break is a lead-in joined to its sentence."""
    return (
        _LEAD_IN_END.search(sentence) is not None
        and "\n" not in sentence
        and len(sentence) <= LEAD_IN_MAX_CHARS
        and len(sentence.split()) <= LEAD_IN_MAX_WORDS
    )


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
