"""From a question as typed to what the searchers see: language, written form, and repaired terms.

A question word the corpus has never seen is the strongest "off topic" signal the abstention
has, so a colloquial or misspelled word must not look unknown: «استانا», «طلاقو», «پایلوتن»,
«بهزیسی» are tried against the index's vocabulary, in order,
1. with madda or a final hamza written or left out («امریکا» → «آمریکا», «امضا» → «امضاء»):
   people type «ا» for «آ» more often than they make any other slip, and it is the most
   certain repair,
2. with the written plural for a colloquial one («استانا» → «استانها», «طرحای» → «طرحهای»),
   then without a colloquial suffix (object «ـو», copula «ـه/ـن», clitics «ـش/ـشون»),
3. as a colloquial present verb with any stem (میرسه → می‌رسد),
4. split in two known words (a missing space): each part at least three letters, or a
   preposition joined to the next word («درطول» → «طول»), which is then left out as it would be
   had there been a space,
5. one edit away (a typo), taking the most frequent known word,
and replaced by the first that is known. A word nothing repairs stays: it may be the one
that shows the question is off topic. The rules are general Persian; the vocabulary decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from corpus.informal import ZWNJ, formalize, present_verb
from corpus.normalize import analyze, fold, normalize, stopwords, term, words
from retrieval.query.finglish import frequencies, has_english_words, reading
from retrieval.records import PERSIAN

Vocabulary = Callable[[Iterable[str]], Mapping[str, int]]
"""Document frequency of each given term that the index knows (unknown terms are left out)."""

OTHER = "other"
_PERSIAN_LETTER = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# Colloquial plural endings and their written forms, then endings to try removing, longest first.
PLURALS = (("اشون", "هایشان"), ("امون", "هایمان"), ("ای", "های"), ("ا", "ها"))
SUFFIXES = ("هاشون", "اشون", "شون", "مون", "تون", "های", "ها", "ای", "یه", "ست", "اش", "ا", "و", "ن", "ه", "ش", "س")
_ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_MIN_EDIT_LENGTH = 4
# the longest a word is: no word of any language this bot reads is longer (Persian's run to about
# 25 letters with their suffixes; two long words joined, «سیب‌زمینی‌هایشان», 15). A longer run is
# no word: a question leaves it out (retrieval.engine), and no repair is looked for in it, since its
# splits, verb readings and one-edit spellings grow with the square of its length (a question of
# one 1,000-letter run took 8 s of a bot's time)
MAX_WORD_CHARS = 40


def language(text: str) -> str:
    """ "fa" when most letters are Persian (Arabic script), else "other"; digits and emoji don't count."""
    letters = _LETTER.findall(text)
    if not letters:
        return PERSIAN
    persian = sum(1 for ch in letters if _PERSIAN_LETTER.match(ch))
    return PERSIAN if persian * 2 >= len(letters) else OTHER


@dataclass(frozen=True)
class Query:
    """``formal`` is what search and the answer-type detector read; ``repairs`` maps each
    replaced word to its replacement (for logs and tests)."""

    formal: str
    terms: tuple[str, ...]
    language: str = PERSIAN
    repairs: dict[str, str] = field(default_factory=dict, compare=False)
    read_as: str | None = None  # a question typed in Latin letters, as read back into Persian
    meant: str = ""  # ``formal`` with each repaired word written as repaired: what the embedder reads


@lru_cache(maxsize=1)
def lexicon() -> frozenset[str]:
    """hazm's Persian word list: a word on it is no typo, even when this corpus lacks it («امضا»)."""
    return frozenset(frequencies())  # the counted list's words: hazm's list is read once


def _edits(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    swaps = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return (deletes | swaps | replaces | inserts) - {word}


def _maddas(word: str) -> list[str]:
    """The word with one «ا» written «آ» or one «آ» written «ا», and with a final hamza written
    or left out («امضا» ↔ «امضاء»)."""
    swap = {"ا": "آ", "آ": "ا"}
    out = [word[:i] + swap[ch] + word[i + 1 :] for i, ch in enumerate(word) if ch in swap]
    if word.endswith("ء"):
        out.append(word[:-1])
    elif word.endswith("ا"):
        out.append(word + "ء")
    return out


_MIN_PART = 3
_WORD = re.compile(r"[\w\u200c]+")
_JOINED = ("در", "به", "از", "با", "بر")  # prepositions people run into the next word


def _split(word: str, at: int) -> tuple[str, ...] | None:
    """``word`` read as two words split at ``at``: both real words of three letters or more, or a
    preposition and the word it was joined to, which alone is kept (nothing, when that word is a
    stopword too: «درمورد» says no more than «در مورد»)."""
    head, tail = word[:at], word[at:]
    stop = stopwords()
    if head in _JOINED:
        if fold(tail) in stop:
            return ()
        return (tail,) if len(tail) >= _MIN_PART else None
    if len(head) >= _MIN_PART and len(tail) >= _MIN_PART and fold(head) not in stop and fold(tail) not in stop:
        return (head, tail)
    return None


def _term(word: str, analyzer: str) -> str | None:
    return term(word, analyzer) or None  # type: ignore[arg-type]


def _candidates(word: str, analyzer: str) -> Iterator[list[tuple[str, tuple[str, ...]]]]:
    """Repairs for an unknown word, a rule at a time in the order they are tried (lazily: the
    one-edit rule alone makes about a thousand words); each is the word as repaired and the terms
    it stands for."""
    bare = word.replace(ZWNJ, "")
    plural = [bare[: -len(s)] + w for s, w in PLURALS if bare.endswith(s) and len(bare) - len(s) >= 2]
    stripped = [bare[: -len(s)] for s in SUFFIXES if bare.endswith(s) and len(bare) - len(s) >= 2]
    verb = present_verb(bare, extra={bare[k:j]: bare[k:j] for k in (2, 3) for j in range(k + 2, len(bare))})
    rules: list[Callable[[], list[tuple[str, tuple[str, ...]]]]] = [
        lambda: [(w, (w,)) for w in _maddas(bare)],
        lambda: [(w, (w,)) for w in plural],
        lambda: [(w, (w,)) for w in stripped],
        lambda: [(verb, (verb,))] if verb else [],
        lambda: [(f"{bare[:i]} {bare[i:]}", parts) for i in range(2, len(bare) - 1) if (parts := _split(bare, i)) is not None],
        lambda: [(w, (w,)) for w in sorted(_edits(bare))] if len(bare) >= _MIN_EDIT_LENGTH and bare not in lexicon() else [],
    ]
    for rule in rules:
        group = []
        for text, parts in rule():
            terms = tuple(_term(p, analyzer) for p in parts)
            if all(t and len(t) >= 2 for t in terms):  # a stem of one letter matches anything
                group.append((text, terms))  # type: ignore[arg-type]
        yield group


def repaired(word: str, analyzer: str, vocabulary: Vocabulary) -> tuple[str, tuple[str, ...]] | None:
    """What an unknown ``word`` most likely was, written out («طرحبشیر» → «طرح بشیر», «امریکا» →
    «آمریکا»: what the embedder then reads) and as terms, or None if no rule finds known ones."""
    if len(word) > MAX_WORD_CHARS:
        return None
    for group in _candidates(word, analyzer):
        if not group:
            continue
        df = vocabulary({t for _text, terms in group for t in terms})
        known = [(text, terms) for text, terms in group if all(t in df for t in terms)]
        if known:
            return max(known, key=lambda found: min((df[t] for t in found[1]), default=1 << 62))
    return None


def understand(question: str, analyzer: str, vocabulary: Vocabulary | None = None) -> Query:
    """The question, normalized and written formally, with its search terms repaired against ``vocabulary``."""
    norm = normalize(question)
    lang = language(norm)
    read_as = None
    if lang != PERSIAN and vocabulary is not None:
        read_as = reading(question, _spelled(vocabulary, analyzer), frequencies())
        if read_as is not None:
            norm, lang = normalize(read_as), PERSIAN
    if lang != PERSIAN and _PERSIAN_LETTER.search(norm) and not has_english_words(norm):
        lang = PERSIAN  # «iPhone 15 Pro Max قیمت»: a Persian question naming things in Latin letters
    formal = formalize(norm) if lang == PERSIAN else norm
    stop = stopwords()
    kept = [w for w in words(formal) if fold(w) not in stop]
    per_word = [analyze(w, analyzer) for w in kept]  # type: ignore[arg-type]
    repairs: dict[str, str] = {}
    written: dict[str, str] = {}
    if vocabulary is not None and lang == PERSIAN:
        df = vocabulary({t for terms in per_word for t in terms})
        for i, (word, terms) in enumerate(zip(kept, per_word, strict=True)):
            if not terms or all(t in df for t in terms) or not _PERSIAN_LETTER.search(word):
                continue
            fixed = repaired(word, analyzer, vocabulary)
            if fixed is not None:
                per_word[i] = list(fixed[1])
                repairs[word] = " ".join(fixed[1])
                written[word] = fixed[0]
    terms = tuple(t for ts in per_word for t in ts)
    meant = _WORD.sub(lambda m: written.get(m.group(), m.group()), formal) if written else formal
    return Query(formal=formal, terms=terms, language=lang, repairs=repairs, read_as=read_as, meant=meant)


def _spelled(vocabulary: Vocabulary, analyzer: str) -> Callable[[Iterable[str]], Mapping[str, int]]:
    """How often the corpus has each Persian spelling, through the term each one analyzes to."""

    def known(spellings: Iterable[str]) -> Mapping[str, int]:
        terms = {w: _term(w, analyzer) for w in spellings}
        df = vocabulary({t for t in terms.values() if t})
        return {w: df[t] for w, t in terms.items() if t in df}

    return known
