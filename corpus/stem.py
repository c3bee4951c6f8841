"""A Persian stemmer that takes an ending off only when what is left is a word.

hazm's ``Stemmer`` strips a fixed list of endings («ان», «م», «ش», «ی» …) in one pass, whatever
is left: «تهران» → «تهر», «کرمان» → «کر», «زمان» → «ز», «درمان» → «در», «آموزش» → «آموز», «مردم»
→ «مرد». So a place name meets unrelated words under one term, and a word misses its own
forms: «ایران» → «ایر» but «ایرانی» → «ایران», «آموزش» → «آموز» but «آموزشی» → «آموزش».

Here hazm's word list decides. Its ~35,000 counted entries are the words themselves (its other
~158,000 are listed forms without a count: «کتابی», «زنان», «ایرانی»); a counted word is its own
stem, unless hazm tags it plural («حیوانات», «خاطرات»: «حیوان», «خاطره»). Otherwise an ending
comes off (a plural, a comparative, a possessive, the «ی» of indefiniteness or of adjectives,
an ezafe) when what is left is a counted word, peeling up to three («جانورانی» → «جانوران» →
«جانور»); an ending written after a ZWNJ comes off in any case («زلنسکی‌ها»: the writer marked
it); anything else is left whole («مولاوردی», «فاویسم»). The same function reads documents and
questions, so a question's word and a passage's meet exactly when their stems do.
"""

from __future__ import annotations

from functools import lru_cache

from corpus.hazm_lean import hazm

ZWNJ = "\u200c"
# Longest first, so «هایی» comes off before «ی». «گان» is «ه» + plural («رزمندگان» → «رزمنده»).
ENDINGS = (
    "هایشان",
    "هایتان",
    "هایمان",
    "هایش",
    "هایت",
    "هایم",
    "هایی",
    "های",
    "ها",
    "ترین",
    "تر",
    "گان",
    "ان",
    "ات",
    "شان",
    "تان",
    "مان",
    "ای",
    "یی",
    "اش",
    "ام",
    "ش",
    "ت",
    "م",
    "ی",
    "ٔ",
)
# Endings a writer separates with a ZWNJ («کتاب‌ها», «بزرگ‌ترین», «خانه‌اش»): after one, the
# ending comes off even when the word left is not on the list.
_SEPARABLE = frozenset(
    ("هایشان", "هایتان", "هایمان", "هایش", "هایت", "هایم", "هایی", "های", "ها", "ترین", "تر", "ای", "اش", "ام", "ات", "ی")
)
# One-letter person endings: only ever the last ending on a word.
_OUTERMOST = frozenset(("م", "ت", "ش"))
_DEPTH = 3
_MIN_STEM = 2


@lru_cache(maxsize=1)
def _counted() -> frozenset[str]:
    """hazm's counted words, written without ZWNJ (how :func:`stem` looks them up)."""
    return frozenset(w.replace(ZWNJ, "") for w, count, *_ in hazm().words_list() if count)


@lru_cache(maxsize=1)
def _plurals() -> frozenset[str]:
    """hazm's words tagged plural («حیوانات», «خاطرات», «انتخابات»): counted, yet forms of another."""
    return frozenset(w.replace(ZWNJ, "") for w, _count, tags in hazm().words_list() if "PL" in tags)


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    return frozenset(w.replace("_", " ").replace(ZWNJ, "") for w in hazm().stopwords_list())


def is_word(word: str) -> bool:
    """Is ``word`` (ZWNJ or not) one of hazm's counted words? Not a stopword of two letters:
    «بهترین» is no form of «به», «آنها» none of «آن»."""
    bare = word.replace(ZWNJ, "")
    return len(bare) >= _MIN_STEM and bare in _counted() and not (len(bare) <= _MIN_STEM and bare in _stopwords())


@lru_cache(maxsize=200_000)  # a corpus's distinct words, about 50 MB at most
def stem(word: str) -> str:
    """``word`` without its inflectional endings, when what is left is a word (see the module)."""
    if is_word(word) and word.replace(ZWNJ, "") not in _plurals():
        return word
    found = _peel(word, _DEPTH, outermost=True)
    return word if found is None else found


def _peel(word: str, depth: int, outermost: bool = False) -> str | None:
    """The longest word left by one ending; else the first left by peeling further; else what is
    left before a ZWNJ-separated ending; else None. Longest, so «دریای» is «دریا», not «دری»."""
    lefts = []
    for ending in ENDINGS:
        if ending in _OUTERMOST and not outermost:
            continue  # «رفتم» is not «رف» + «ت» + «م»: a one-letter person ending is the last on a word
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            left = word[: -len(ending)]
            if ending == "ات":  # «خاطرات», «کلمات», «مذاکرات»: «ه» + «ات» before «ات» alone («حیوانات»)
                lefts.append((ending, left.rstrip(ZWNJ) + "ه", False))
            lefts.append((ending, left.rstrip(ZWNJ) + ("ه" if ending == "گان" else ""), left.endswith(ZWNJ)))
    words = [left for _, left, _ in lefts if is_word(left)]
    if words:
        return max(words, key=len)
    if depth > 1:
        for _, left, _ in lefts:
            if (deeper := _peel(left, depth - 1)) is not None:
                return deeper
    return next((left for ending, left, marked in lefts if marked and ending in _SEPARABLE and len(left) >= _MIN_STEM), None)
