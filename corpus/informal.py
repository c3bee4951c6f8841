"""Colloquial Persian, as people type it in Telegram, mapped to the written forms news articles use.

«طرح بشیر کجا اجرا میشه؟» → «طرح بشیر کجا اجرا می‌شود؟», «چن تا طرح امضا شدن؟» → «چند تا طرح
امضا شدند؟». Used on questions only, for search and for the answer-type detector: what users
see, and every quote, stays as written. Every rule is general Persian (a word list or a verb
pattern), never a fix for one question; suffixes whose reading depends on the corpus (the
plural «ـا» in «استانا», the object «ـو» in «طلاقو», the copula «ـن» in «پایلوتن») are tried
against the index's vocabulary in :mod:`retrieval.query.understand`, not guessed here.

hazm 0.10's ``InformalNormalizer`` covers part of this, but loading it takes about six seconds
(it builds its word lists at start-up) and it leaves «کیه», «کیا» and «هستن» alone, so the
rules it gets right are written down here instead.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import lru_cache
from pathlib import Path

from corpus.hazm_lean import hazm

ZWNJ = "\u200c"

# Whole words, colloquial → written, beyond hazm's list (question words, and function words that
# decide what a question asks: «تو» is «در», «کیه» is «کیست»).
EXTRA_WORDS = {
    "چقد": "چقدر",
    # a question word with the spoken copula «ـه» («عمقش چقدره؟», «حالش چطوره؟»), as «کیه» is «کیست»
    "چقدره": "چقدر است",
    "چقده": "چقدر است",
    "چطوره": "چگونه است",
    "کدوما": "کدام",
    "کدومش": "کدام",
    "کدوماش": "کدام",
    "کیه": "کیست",
    "کیا": "چه کسانی",
    "کیان": "چه کسانی هستند",
    "کین": "چه کسانی هستند",
    "چیا": "چه چیزهایی",
    "چی": "چه",
    "چجوری": "چگونه",
    "چجور": "چگونه",
    "چطوری": "چگونه",
    "کجاس": "کجاست",
    "کجان": "کجا هستند",
    "واسهٔ": "برای",
    "واسه‌ی": "برای",
    "تو": "در",
    "رو": "را",
    "هستن": "هستند",
    "نیستن": "نیستند",
    "بودن": "بودند",
    "الان": "اکنون",
    "خب": "",
    "ک": "که",
    "ب": "به",
    # «داشتن» has its present without «می»: «چه سمتی داره؟» is «چه سمتی دارد؟»
    "داره": "دارد",
    "دارن": "دارند",
    "دارین": "دارید",
    "نداره": "ندارد",
    "ندارن": "ندارند",
    "ندارین": "ندارید",
    "میاد": f"می{ZWNJ}آید",
    "میان": f"می{ZWNJ}آیند",
    "میخواد": f"می{ZWNJ}خواهد",
    "میخوان": f"می{ZWNJ}خواهند",
}
# Regular present stems said the written way (می‌کنه → می‌کند); irregular ones come from hazm.
REGULAR_STEMS = (
    "کن زن رس بین گیر کش ساز پرس نویس فرست دار خر پرداز افت گرد بر خور آر آور گذر شناس دو پوش بند "
    "ده گو رو شو خواه توان دان خوان مان آی"
).split()


@lru_cache(maxsize=1)
def words() -> dict[str, str]:
    """hazm's informal word list (``iwords.dat``) plus :data:`EXTRA_WORDS`."""
    table: dict[str, str] = {}
    for line in Path(hazm().informal_words).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] != parts[1]:
            table.setdefault(parts[0], parts[1])
    return table | EXTRA_WORDS


@lru_cache(maxsize=1)
def stems() -> dict[str, str]:
    """Colloquial present stem → written present stem: hazm's ``iverbs.dat`` (شو ← ش, گوی ← گ, ده ← د …)
    plus regular stems, which are said as written. Only these count: many written words begin with
    «می» (میزان، میدان، میلیون) and must be left alone."""
    table = {stem: stem for stem in REGULAR_STEMS}
    for line in Path(hazm().informal_verbs).read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and "#" in parts[0]:
            table.setdefault(parts[1], parts[0].split("#")[1])
    return table


# Person endings of the present tense: colloquial → written, longest first.
ENDINGS = (("ین", "ید"), ("یم", "یم"), ("ه", "د"), ("ن", "ند"), ("م", "م"), ("ی", "ی"))
_PREFIXES = ("نمی", "می")
# Past stems whose third person plural is said with «ـن» for «ـند» (شدن → شدند).
_PAST_STEMS = ("شد", "کرد", "گفت", "رفت", "داد", "آمد", "اومد", "زد", "گرفت", "کشت", "رسید", "خورد", "دید", "نوشت", "خرید")


def present_verb(word: str, extra: dict[str, str] | None = None) -> str | None:
    """«میشه» → «می‌شود», «نمیکنن» → «نمی‌کنند», «میگن» → «می‌گویند»; None if not such a verb.

    ``extra`` widens the known colloquial stems (the query side tries any stem against the corpus).
    """
    known = stems() if extra is None else {**extra, **stems()}
    bare = word.replace(ZWNJ, "")
    for prefix in _PREFIXES:
        if not bare.startswith(prefix):
            continue
        rest = bare[len(prefix) :]
        for ending, written in ENDINGS:
            stem = rest[: -len(ending)]
            if rest.endswith(ending) and stem in known:
                return f"{prefix}{ZWNJ}{known[stem]}{written}"
        return None
    return None


def past_plural(word: str) -> str | None:
    for stem in _PAST_STEMS:
        if word == f"{stem}ن":
            return f"{stem}ند"
    return None


def formal_word(word: str) -> str:
    """One word, written: the word list first, then verb patterns; unknown words are returned as they are."""
    table = words()
    if word in table:
        return table[word]
    return present_verb(word) or past_plural(word) or word


# Phrases said one way and written another, matched after the words are written: «چند چند شد؟»
# (or «چن چن») asks a match's score, which reports write as «با نتیجه ۲ بر صفر».
PHRASES = ((re.compile(r"(?<!\S)چند\s*[-–]?\s*چند(?!\S)"), f"با چه نتیجه{ZWNJ}ای"),)


_TOKEN_BREAK = re.compile(r"(\s+|[؟?!،,.:;«»\"'()]+)")


def tokens(norm_text: str) -> list[str]:
    """The words :func:`formalize` reads one at a time."""
    return [t for t in _TOKEN_BREAK.split(norm_text) if t and t.strip() and re.search(r"\w", t)]


def formalize(norm_text: str, keep: Collection[str] = ()) -> str:
    """Already-normalized text with colloquial words replaced by written ones (punctuation kept);
    the words in ``keep`` stay as they are (a question's reader knows which the corpus writes)."""
    out = []
    for token in _TOKEN_BREAK.split(norm_text):
        if not token or not token.strip() or not re.search(r"\w", token) or token in keep:
            out.append(token)
            continue
        out.append(formal_word(token))
    text = re.sub(r"\s+", " ", "".join(out)).strip()
    for pattern, written in PHRASES:
        text = pattern.sub(written, text)
    return text
