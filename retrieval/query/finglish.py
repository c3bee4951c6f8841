"""Persian typed in Latin letters («Finglish»): told from English, and read back into Persian.

Many people in Iran still type Persian with a Latin keyboard on Telegram («chand ta tarh emza
shodan?»). Such a question has no Persian word for the lexical side and means little to the
embedder, which reads it as some other language: searched as it is, it is answered with quotes
about nothing it asked. Read back into Persian script, it is an ordinary colloquial question.

Finglish has no standard spelling, and Persian script leaves short vowels out, so a word has
many possible spellings («tahsil»: تحصیل، طحسیل، تهسیل، …). Each word's spellings are generated
letter by letter (common spellings first) and the one this corpus knows best is taken, else
one in hazm's Persian word list; question words, particles and colloquial verbs, which the
corpus says little about, come from a small table. The corpus decides, as in
:mod:`retrieval.query.understand`; a question most of whose words read as nothing known is not
taken for Persian at all.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache

from corpus.hazm_lean import hazm

Known = Callable[[Iterable[str]], Mapping[str, int]]
"""How often the corpus has each given Persian word (unknown words left out)."""

# what people type for Persian's small words, question words and commonest colloquial verbs
WORDS: dict[str, str] = {
    **dict.fromkeys(("chand", "chan", "chnd"), "چند"),
    **dict.fromkeys(("chi", "chiy"), "چی"),
    **dict.fromkeys(("che", "cheh"), "چه"),
    **dict.fromkeys(("chera", "chra"), "چرا"),
    **dict.fromkeys(("koja", "kuja"), "کجا"),
    **dict.fromkeys(("kojast", "kujast"), "کجاست"),
    **dict.fromkeys(("kodum", "kodoom", "kudum"), "کدوم"),
    **dict.fromkeys(("kodam", "kodom"), "کدام"),
    **dict.fromkeys(("ki", "kiy", "key", "kei"), "کی"),
    **dict.fromkeys(("kie", "kiye"), "کیه"),
    **dict.fromkeys(("chetor", "chetori", "chejuri", "chejoori"), "چطور"),
    **dict.fromkeys(("chetore", "chetoure"), "چطوره"),
    **dict.fromkeys(("cheghad", "cheqad", "chegad", "cheghadr", "chaghad", "chqd"), "چقدر"),
    **dict.fromkeys(("aya", "aaya"), "آیا"),
    **dict.fromkeys(("chikar", "chekar"), "چیکار"),
    **dict.fromkeys(("dar",), "در"),
    **dict.fromkeys(("az",), "از"),
    **dict.fromkeys(("ba",), "با"),
    **dict.fromkeys(("be", "beh"), "به"),
    **dict.fromkeys(("ke", "keh"), "که"),
    **dict.fromkeys(("ro", "roo", "ra"), "را"),
    **dict.fromkeys(("va", "o"), "و"),
    **dict.fromkeys(("ham",), "هم"),
    **dict.fromkeys(("ye", "yek", "yeki"), "یک"),
    **dict.fromkeys(("in", "een"), "این"),
    **dict.fromkeys(("un", "oon", "aan", "an"), "آن"),
    **dict.fromkeys(("inja",), "اینجا"),
    **dict.fromkeys(("unja", "oonja"), "آنجا"),
    **dict.fromkeys(("ta",), "تا"),
    **dict.fromkeys(("ya",), "یا"),
    **dict.fromkeys(("to", "tu", "too", "tooye", "tuye", "tooie"), "تو"),
    **dict.fromkeys(("baraye", "bara", "vase", "vaseye", "vasse", "baray"), "برای"),
    **dict.fromkeys(("darbare", "darbareye", "darmored", "dar-bare"), "درباره"),
    **dict.fromkeys(("hast", "has"), "هست"),
    **dict.fromkeys(("hastan", "hastand", "hastnd"), "هستند"),
    **dict.fromkeys(("nist",), "نیست"),
    **dict.fromkeys(("bood", "bud"), "بود"),
    **dict.fromkeys(("boodan", "budan", "boodand", "budand"), "بودند"),
    **dict.fromkeys(("shod",), "شد"),
    **dict.fromkeys(("shodan", "shodand"), "شدند"),
    **dict.fromkeys(("shode", "shodeh"), "شده"),
    **dict.fromkeys(("mishe", "mishavad"), "می‌شود"),
    **dict.fromkeys(("mishan", "mishavand"), "می‌شوند"),
    **dict.fromkeys(("kard",), "کرد"),
    **dict.fromkeys(("kardan", "kardand"), "کردند"),
    **dict.fromkeys(("karde", "kardeh"), "کرده"),
    **dict.fromkeys(("dare", "darad"), "دارد"),
    **dict.fromkeys(("daran", "darand"), "دارند"),
    **dict.fromkeys(("goft",), "گفت"),
    **dict.fromkeys(("gofte", "gofteh"), "گفته"),
    **dict.fromkeys(("mige", "miguyad"), "می‌گوید"),
    **dict.fromkeys(("emrooz", "emruz"), "امروز"),
    **dict.fromkeys(("dirooz", "diruz"), "دیروز"),
    **dict.fromkeys(("farda",), "فردا"),
    **dict.fromkeys(("salam", "slm", "salaam"), "سلام"),
    **dict.fromkeys(("mersi", "merci", "mamnoon", "mamnun"), "ممنون"),
    **dict.fromkeys(("esm", "esmesh"), "اسم"),
    # common words whose likeliest spelling is another word («dasht»: دشت), or which the index
    # leaves out and so cannot vouch for
    **dict.fromkeys(("dasht",), "داشت"),
    **dict.fromkeys(("dashtan", "dashtand"), "داشتند"),
    **dict.fromkeys(("kam",), "کم"),
    **dict.fromkeys(("ziad", "ziyad", "zyad"), "زیاد"),
    **dict.fromkeys(("kheili", "kheyli", "khili"), "خیلی"),
    **dict.fromkeys(("bishtar",), "بیشتر"),
    **dict.fromkeys(("hame", "hameh", "hamash"), "همه"),
    **dict.fromkeys(("hich",), "هیچ"),
    **dict.fromkeys(("bayad", "baayad"), "باید"),
    **dict.fromkeys(("miad", "miyad"), "می‌آید"),
    **dict.fromkeys(("mikone", "mikonad"), "می‌کند"),
    **dict.fromkeys(("mikonan", "mikonand"), "می‌کنند"),
    **dict.fromkeys(("mikhad", "mikhahad"), "می‌خواهد"),
    **dict.fromkeys(("mide", "midahad"), "می‌دهد"),
    **dict.fromkeys(("dade", "dadeh"), "داده"),
    **dict.fromkeys(("dad",), "داد"),
    **dict.fromkeys(("zad",), "زد"),
    **dict.fromkeys(("sal",), "سال"),
    **dict.fromkeys(("saat", "sa'at"), "ساعت"),
    **dict.fromkeys(("chie", "chiye"), "چیه"),
    **dict.fromkeys(("alan", "alaan"), "الان"),
    **dict.fromkeys(("emsal", "emsaal"), "امسال"),
    **dict.fromkeys(("age", "agar"), "اگر"),
    **dict.fromkeys(("vali",), "ولی"),
    **dict.fromkeys(("ama", "amma"), "اما"),
    **dict.fromkeys(("chon", "chun"), "چون"),
    **dict.fromkeys(("hanuz", "hanooz"), "هنوز"),
    **dict.fromkeys(("hamin",), "همین"),
}
# Finglish words that are also English ones: they count for neither language
_SHARED = frozenset(("in", "to", "be", "an", "o", "has", "ham", "ye", "ta", "ya", "ke", "un", "chi", "do", "man", "bud", "age"))
_ENGLISH = frozenset(
    "the is are was were what who whom whose which how when where why did does of on at for with by from about "
    "will would has have had and or this that these those it its been can could there their they he she we you "
    "a not any many much most news".split()
)
_WORD = re.compile(r"[a-z']+")
_LATIN = re.compile(r"[A-Za-z]")
_PERSIAN = re.compile(r"[\u0600-\u06ff]")

# Persian letters for each Latin spelling, the commonest first; digraphs before single letters
_CONSONANTS: dict[str, tuple[str, ...]] = {
    "kh": ("خ",), "sh": ("ش",), "ch": ("چ",), "gh": ("ق", "غ"), "zh": ("ژ",),
    "b": ("ب",), "p": ("پ",), "t": ("ت", "ط"), "s": ("س", "ص", "ث"), "j": ("ج",), "h": ("ه", "ح"),
    "d": ("د",), "z": ("ز", "ض", "ذ", "ظ"), "r": ("ر",), "f": ("ف",), "q": ("ق", "غ"), "k": ("ک",),
    "g": ("گ",), "l": ("ل",), "m": ("م",), "n": ("ن",), "v": ("و",), "w": ("و",), "y": ("ی",),
    "x": ("خ", "کس"), "c": ("ک",), "'": ("ع", "ئ", ""),
}  # fmt: skip
# vowels: at a word's start, inside it, at its end (short vowels are not written inside a word)
_VOWELS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "aa": (("آ",), ("ا",), ("ا",)),
    "oo": (("او",), ("و",), ("و",)),
    "ou": (("او",), ("و",), ("و",)),
    "ee": (("ای",), ("ی",), ("ی",)),
    "a": (("ا", "آ", "ع"), ("ا", "", "ع"), ("ا", "ه")),
    "e": (("ا", "ع", "ای"), ("", "ی", "ع", "ئ"), ("ه", "", "ئه")),  # «masael» مسائل, «erae» ارائه
    "i": (("ای", "ا", "عی"), ("ی", "ای"), ("ی",)),  # «pilot»: پایلوت
    "o": (("ا", "او", "ع"), ("", "و", "ع"), ("و", "ه")),
    "u": (("او",), ("و",), ("و",)),
}
_UNITS = sorted((*_CONSONANTS, *_VOWELS), key=len, reverse=True)
MAX_SPELLINGS = 512
# how much of a question must read as known Persian words for it to be taken for Persian
MIN_KNOWN_SHARE = 0.5
UNMARKED_MIN_SHARE = 1.0


def _markers(text: str) -> tuple[int, int]:
    """How many of Persian's and of English's small words ``text`` has."""
    words = _WORD.findall(text.lower())
    persian = sum(1 for w in words if w in WORDS and w not in _SHARED)
    english = sum(1 for w in words if w in _ENGLISH)
    return persian, english


def in_latin_letters(text: str) -> bool:
    """Whether ``text`` is written in Latin letters only, no Persian (Arabic-script) one."""
    return _LATIN.search(text) is not None and _PERSIAN.search(text) is None


def looks_finglish(text: str) -> bool:
    """Whether Latin-letter ``text`` is Persian typed in Latin letters rather than English: it
    has Persian's small words («chand», «dar», «shodan») and not English's («the», «what»)."""
    return in_latin_letters(text) and _persian_marked(*_markers(text))


def has_english_words(text: str) -> bool:
    """Whether ``text`` has English's small words («the», «what»): it is written in English."""
    return _markers(text)[1] > 0


def _persian_marked(persian: int, english: int) -> bool:
    return persian >= 1 and (english == 0 or persian >= 2 * english + 1)


def reading(text: str, known: Known, lexicon: Mapping[str, int]) -> str | None:
    """``text`` read back into Persian when it is Persian typed in Latin letters (Persian words
    in it, «قیمت dolar emrooz?», stay as they are), else None.
    With Persian's small words in it, half its words must read as known Persian ones; with
    neither language's («gheymat dolar?», «Persepolis Esteghlal»), every one, so a question of
    English content words («oil exports») stays English (many an English word spells some
    Persian one: «oil» اویل, «game» گم)."""
    if not _LATIN.search(text):
        return None
    persian, english = _markers(text)
    if _persian_marked(persian, english):
        return to_persian(text, known, lexicon, MIN_KNOWN_SHARE)
    if english == 0:
        return to_persian(text, known, lexicon, UNMARKED_MIN_SHARE)
    return None


def spellings(word: str) -> list[tuple[int, str]]:
    """The Persian spellings ``word`` may stand for, each with its cost (how many less common
    choices it makes), the likeliest first; at most :data:`MAX_SPELLINGS`."""
    units = _units(word)
    if not units:
        return []
    choices: list[tuple[str, ...]] = []
    for i, unit in enumerate(units):
        if unit in _VOWELS:
            start, inside, end = _VOWELS[unit]
            choices.append(start if i == 0 else end if i == len(units) - 1 else inside)
        else:
            choices.append(_CONSONANTS[unit])
    while _count(choices) > MAX_SPELLINGS:  # drop the rarest choice of the widest position
        widest = max(range(len(choices)), key=lambda k: len(choices[k]))
        choices[widest] = choices[widest][:-1]
    out = {}
    for picked in itertools.product(*(range(len(c)) for c in choices)):
        spelled = "".join(c[k] for c, k in zip(choices, picked, strict=True))
        cost = sum(picked)
        if spelled and (spelled not in out or cost < out[spelled]):
            out[spelled] = cost
    return sorted(((cost, s) for s, cost in out.items()), key=lambda p: p[0])


def _units(word: str) -> list[str]:
    """``word`` cut into spelling units («sh», «oo», «a»), doubled consonants read once."""
    out: list[str] = []
    i = 0
    while i < len(word):
        unit = next((u for u in _UNITS if word.startswith(u, i)), None)
        if unit is None:
            return []  # not a letter of the Latin alphabet
        if not (out and unit == out[-1] and unit in _CONSONANTS and unit != "'"):
            out.append(unit)
        i += len(unit)
    return out


def _count(choices: list[tuple[str, ...]]) -> int:
    n = 1
    for c in choices:
        n *= len(c)
    return n


def read_word(word: str, known: Known, lexicon: Mapping[str, int]) -> tuple[str, bool] | None:
    """The Persian word Finglish ``word`` most likely is, and whether it is a known word: from
    the table, else the spelling this corpus has most often, else the one Persian at large
    (hazm's word list) has most often, read whole, with a plural, an ezafe or an indefinite
    «ی» as an ending («tarhe» → «طرح»), or after a preposition run into it («bekhatere»). A
    word neither knows (a name, a conjugated verb) is given its likeliest spelling, as unknown.
    None for a word with nothing to spell."""
    word = word.lower()
    if word in WORDS:
        return WORDS[word], True
    options = [(cost, s, s) for cost, s in spellings(word)]  # (cost, as read, the word looked up)
    if not options:
        return None
    for ending, persian in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            options += [(cost + 1, s + persian, s) for cost, s in spellings(word[: -len(ending)])]
    for prefix, persian in _JOINED:  # «bekhatere»: a preposition run into its word
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            options += [(cost + 2, f"{persian} {s}", s) for cost, s in spellings(word[len(prefix) :])]
    df = known(looked for _, _, looked in options)

    def likely(option: tuple[int, str, str]) -> tuple[bool, bool, float, int]:
        cost, _, looked = option
        # the corpus first (what it has is what the question can be about), then Persian's words
        score = CORPUS_WEIGHT * math.log1p(df.get(looked, 0)) + math.log1p(lexicon.get(looked) or 0)
        return looked in df, looked in lexicon, score, -cost

    _, read, looked = max(options, key=likely)
    if looked in df or looked in lexicon:
        return read, True
    return options[0][1], False


# endings read apart from the word: a plural («tarhaye» → «طرحهای»), an ezafe («tarhe» → «طرح»;
# after a vowel it is written «ی»: «shooraye» → «شورای»), an indefinite «ی» («semati» → «سمتی»)
_ENDINGS = (("haye", "های"), ("aye", "های"), ("ha", "ها"), ("ye", "ی"), ("e", ""), ("i", "ی"))
_JOINED = (("be", "به"), ("dar", "در"), ("az", "از"), ("ba", "با"))
# how much more this corpus's word counts weigh than Persian's at large (hazm's word list)
CORPUS_WEIGHT = 6.0


def to_persian(text: str, known: Known, lexicon: Mapping[str, int], min_share: float = MIN_KNOWN_SHARE) -> str | None:
    """``text`` read back into Persian script, or None when less than ``min_share`` of its
    Latin-letter words read as known Persian words (then it is not Persian at all). Digits and
    punctuation stay; a word nothing reads stays as typed."""
    pieces = re.split(r"([A-Za-z']+)", text)
    read, found, total = [], 0, 0
    for piece in pieces:
        if not piece or not _LATIN.search(piece):
            read.append(piece.replace("?", "؟").replace(",", "،"))
            continue
        total += 1
        word = read_word(piece, known, lexicon)
        found += bool(word and word[1])
        read.append(word[0] if word else piece)
    if total == 0 or found < min_share * total:
        return None
    return "".join(read).strip()


@lru_cache(maxsize=1)
def frequencies() -> Mapping[str, int]:
    """How often Persian at large writes each word (hazm's word list, with its counts).

    The list holds some words more than once (with and without a ZWNJ, or once per tag, one
    entry often uncounted): a word keeps its best count, as :mod:`corpus.stem` counts a word any of
    whose entries is counted. Keeping the last entry's gave «زمان» and 775 other words a count of 0
    or less, so a typed word was read as a rarer one."""
    counts: dict[str, int] = {}
    for w, n, *_ in hazm().words_list():
        word = w.replace("\u200c", "")
        counts[word] = max(n, counts.get(word, 0))
    return counts
