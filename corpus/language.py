"""Whether a text is Persian, told by its letters.

Pasokh answers Persian questions from Persian text. A source that mixes languages (one sitemap
for an agency's Persian, English and Arabic editions; a feed of an outlet's Urdu or Pashto
service) would otherwise fill the corpus with stories the bot cannot quote well, and an Arabic
sentence shares enough words with a Persian question to be quoted as its answer. The page's own
``lang`` attribute is no help: many Persian sites leave their template's ``en``.

Persian is told from Arabic by its commonest words, which Arabic does not use (and the other way
round), and from Urdu, Pashto and Kurdish by the letters those add to the same script. Dari, Afghanistan's
Persian, is Persian here. A short text (a channel's one-line post) is Arabic only when it has
nothing of Persian's own and something of Arabic's; one with too few letters to tell is given the
benefit of the doubt.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

MIN_LETTERS = 150  # fewer than this and Persian's words and letters say little
MIN_LETTERS_SHORT = 25  # a short text is told Arabic only by what Persian never has (see _short_arabic)
MIN_LETTERS_OTHER_SCRIPT = 40  # but a text with hardly a letter of the Arabic script is plainly not Persian
SCRIPT_SHARE = 0.5  # at least this share of the letters in the Arabic script
OTHER_SHARE = 0.01  # the letters of Urdu, Pashto or Kurdish: 0 in Persian
ARABIC_MIN_WORDS = 3
PERSIAN_MIN_WORDS = 5  # «در», «که», «است»…: this many make a text Persian whatever else it holds

_OTHERS = {
    "Urdu": frozenset("ےٹڈڑں"),
    "Pashto": frozenset("ټډړږښګڼېۍځڅ"),
    "Kurdish": frozenset("ڕڵۆێ"),
}
# the commonest words of each that the other does not use (after Arabic yeh and kaf are folded
# to Persian's): «در», «که», «را» are a quarter of a Persian text's words and rare in Arabic;
# «في», «التي», «هذا» as common in Arabic and absent from Persian prose. Words the two share («و»,
# «به», «من», «على» the preposition and «علی» the name) count for neither.
_PERSIAN_WORDS = frozenset(
    "در از که این را با است برای آن می شد شده بود کرد های ها یک هم نیز تا خود شود کند باید اما همچنین"
    " شده‌است می‌شود داشت دارد".split()
)
_ARABIC_WORDS = frozenset("فی إلی الی عن التی الذی الذین هذا هذه أن ذلک کما مع لم لن قال وقال أو إن کانت".split())
# Persian's own letters: پ چ ژ گ, and the yeh and kaf Persian keyboards type (Arabic's are ي and ك)
_PERSIAN_LETTERS = frozenset("پچژگ\u06cc\u06a9")
_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_WORD = re.compile(r"[^\W\d_]+(?:\u200c[^\W\d_]+)*")


def _arabic_script(ch: str) -> bool:
    code = ord(ch)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF


def _latin(ch: str) -> bool:
    return ch.isascii() or 0x00C0 <= ord(ch) <= 0x024F


def not_persian(text: str) -> str | None:
    """The language (or script) ``text`` is written in when that is plainly not Persian, else
    None: «Arabic», «Urdu», «Pashto», «Kurdish», «English or another Latin-script language», the
    script's name for the rest, garbled letters (``GARBLED``) or Persian written backwards
    (``REVERSED``)."""
    text = unicodedata.normalize("NFKC", text)  # presentation forms (ﮔ), as old pages write, as letters
    letters = [ch for ch in text if ch.isalpha()]
    arabic = [ch for ch in letters if _arabic_script(ch)]
    words = _WORD.findall(text.translate(_FOLD))
    if len(letters) < MIN_LETTERS and not (len(letters) >= MIN_LETTERS_OTHER_SCRIPT and len(arabic) < 0.1 * len(letters)):
        return "Arabic" if _short_arabic(text, letters, arabic, words) else None
    persian = sum(w in _PERSIAN_WORDS for w in words)
    arabic_words = sum(w in _ARABIC_WORDS for w in words)
    if len(arabic) < SCRIPT_SHARE * len(letters):
        if persian >= PERSIAN_MIN_WORDS and persian > arabic_words:
            return None  # Persian prose around long English names, specifications or a quoted statement
        latin = sum(map(_latin, letters))
        if latin >= SCRIPT_SHARE * len(letters):
            return "English or another Latin-script language"
        return _script_of(letters)
    seen = Counter(arabic)  # counted once for every set of letters below
    if _garbled(seen):
        return GARBLED
    if _reversed(words, persian):
        return REVERSED
    for language, marks in _OTHERS.items():
        if _count(seen, marks) >= OTHER_SHARE * len(arabic):
            return language
    # a Persian text may quote an Arabic phrase («فی سبیل الله»): Arabic needs its words, and more of them
    return "Arabic" if arabic_words >= ARABIC_MIN_WORDS and arabic_words > persian else None


GARBLED = "garbled letters (a legacy font's encoding, as text copied out of a PDF of Persian print)"
REVERSED = "letters in reversed order (text copied out of a PDF in visual order)"
# Persian's commonest words spelt backwards, none of them a common word itself («کرد» backwards is
# «درک», «یک» is «کی», «اما» reads the same: left out): text copied out of a PDF that stores its
# glyphs in visual order, right to left, reads «رد» for «در» and «تسا» for «است» throughout
_BACKWARDS = frozenset(w[::-1] for w in "در از که این را با است برای می شد شده بود های ها نیز خود شود کند باید همچنین".split())
REVERSED_SHARE = 2  # the backward words outnumber the forward ones this many times
# the letters each language of the script adds: a living language writes with one such set, while
# text copied out of a PDF set in an old Persian font («ډهيی ثنواٍی ډلمددددي», a magazine's on
# issuu) maps the font's glyphs onto letters of four or five
_LETTER_SETS = (
    *_OTHERS.values(),
    frozenset("ٺٻٽٿڀڃڄڇڊڌڍڎڏڙڦڪڱڳڻ"),  # Sindhi's
    frozenset("ٴٵٶٷٸ"),  # the high hamza of Kazakh and Uyghur (ٵ, ٶ: alef and waw with it, as NFKC splits them)
)
GARBLED_SETS = 3


def _reversed(words: list[str], persian: int) -> bool:
    """Whether the text is Persian written backwards: its commonest words mostly spelt from the end."""
    backwards = sum(w in _BACKWARDS for w in words)
    return backwards >= PERSIAN_MIN_WORDS and backwards > REVERSED_SHARE * persian


def _garbled(seen: Counter[str]) -> bool:
    """Whether the letters are those of no one language: two or more from each of three sets."""
    return sum(_count(seen, letters) >= 2 for letters in _LETTER_SETS) >= GARBLED_SETS


def _count(seen: Counter[str], letters: frozenset[str]) -> int:
    """How many of the letters counted in ``seen`` are among ``letters``."""
    return sum(seen[ch] for ch in letters)


def _short_arabic(text: str, letters: list[str], arabic: list[str], words: list[str]) -> bool:
    """Whether a text too short for the word counts above (a channel's one-line post: «قطع طريق مطار
    بغداد الدولي لأسباب مجهولة») is plainly Arabic: nothing of Persian's own in it (its letters پ چ ژ گ,
    its yeh and kaf, the zero-width non-joiner, its commonest words) and something of Arabic's
    (one of its commonest words, the ta marbuta «ة», or the article «ال» on a quarter of the words).
    Of 7,637 short Persian sentences from PQuAD and ParsiNLU none is taken for Arabic, and one
    when each is rewritten in old sites' Arabic yeh and kaf without the non-joiner."""
    if len(letters) < MIN_LETTERS_SHORT or len(arabic) < SCRIPT_SHARE * len(letters):
        return False
    if "\u200c" in text or any(ch in _PERSIAN_LETTERS for ch in arabic) or any(w in _PERSIAN_WORDS for w in words):
        return False
    articles = sum(w.startswith("ال") and len(w) > 3 for w in words)
    return any(w in _ARABIC_WORDS for w in words) or "ة" in text or (articles >= 2 and 4 * articles >= len(words))


def _script_of(letters: list[str]) -> str:
    names: dict[str, int] = {}
    for ch in letters:
        if not _arabic_script(ch):
            script = unicodedata.name(ch, "UNKNOWN").split()[0].title()
            names[script] = names.get(script, 0) + 1
    return f"{max(names, key=names.__getitem__)} script" if names else "another script"
