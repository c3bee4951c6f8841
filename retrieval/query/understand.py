"""From a question as typed to what the searchers see: language, written form, and repaired terms.

A question word the corpus has never seen is the strongest "off topic" signal the abstention
has, so a colloquial or misspelled word must not look unknown: «استانا», «طلاقو», «پایلوتن»,
«بهزیسی» are tried against the index's vocabulary, in order,
1. with madda or a final hamza written or left out («امریکا» → «آمریکا», «امضا» → «امضاء»):
   people type «ا» for «آ» more often than they make any other slip, and it is the most
   certain repair,
2. with the written plural for a colloquial one («استانا» → «استانها», «طرحای» → «طرحهای»),
   then without a colloquial suffix (object «ـو», copula «ـه/ـن», clitics «ـش/ـشون») or an
   indefinite «ـی» («منظوری» → «منظور», not «منصور»),
3. as a colloquial present verb with any stem (میرسه → می‌رسد),
4. split in two known words (a missing space): where a ZWNJ marks it, else each part at least
   three letters (two words of hazm's list before any two the corpus knows), or a preposition
   joined to the next word («درطول» → «طول»), which is then left out as it would be had there
   been a space,
5. one edit away (a typo), taking the most frequent known word,
and replaced by the first that is known. A colloquial ending on a stopword («خوبه», «همینه»)
makes a stopword, left out like one (a listed word does not: «کیش», «فردا»). A real word is no
typo: a word of hazm's list (bare or with an ending), a verb as conjugated («نامیدند», «بدهیم») or
anything with a digit is never split or edited into another («نامیدند» is not «نامی» + «دند»,
nor «۲۰۱۰» «۲۰۰»), and a word written with a ZWNJ is split there first. A word nothing repairs
stays: it may be the one that shows the question is off topic. The rules are general Persian;
the vocabulary decides.

The written form of a colloquial word is kept only where the corpus knows it: «زدن» is said for
«زدند» but written as the infinitive too («طناب زدن»), so a question's «زدن» stays when the corpus
knows it and not «زدند».
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from corpus.hazm_lean import hazm
from corpus.informal import ZWNJ, formal_word, formalize, present_verb, tokens
from corpus.normalize import analyze, fold, normalize, stopwords, term, words
from retrieval.query.finglish import frequencies, has_english_words, reading
from retrieval.records import PERSIAN

Vocabulary = Callable[[Iterable[str]], Mapping[str, int]]
"""Document frequency of each given term that the index knows (unknown terms are left out)."""

OTHER = "other"
_PERSIAN_LETTER = re.compile(r"[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
# Colloquial plural endings and their written forms, then endings to try removing, longest first.
PLURALS = (("اشون", "هایشان"), ("امون", "هایمان"), ("ایی", "هایی"), ("ای", "های"), ("ا", "ها"))
SUFFIXES = ("هاشون", "اشون", "شون", "مون", "تون", "های", "ها", "ای", "یه", "ست", "اش", "ا", "و", "ن", "ه", "ش", "س", "ی")
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
    """The word with one «ا» written «آ» or one «آ» written «ا», one hamza seat «ئ» written «ی» or
    «ی» «ئ» («توئیتر» ↔ «توییتر», «پائیز» ↔ «پاییز»), and with a final hamza written or left out
    («امضا» ↔ «امضاء»)."""
    swap = {"ا": "آ", "آ": "ا", "ئ": "ی", "ی": "ئ"}
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
    """``word`` read as two words split at ``at``: both of three letters or more («طرحبشیر»), or a
    preposition and the word it was joined to, which alone is kept (nothing, when that word is a
    stopword too: «درمورد» says no more than «در مورد»; nor when both are, «دیگرچند»)."""
    head, tail = word[:at], word[at:]
    stop = stopwords()
    if head in _JOINED:
        if fold(tail) in stop:
            return ()
        return (tail,) if len(tail) >= _MIN_PART else None
    if len(head) < _MIN_PART or len(tail) < _MIN_PART:
        return None
    head_stop, tail_stop = fold(head) in stop, fold(tail) in stop
    if head_stop and tail_stop:
        return ()
    if head_stop or tail_stop:  # «چندسال»: a stopword run into a word
        word_part = head if tail_stop else tail
        return (word_part,) if word_part in lexicon() else None
    return (head, tail)


def _term(word: str, analyzer: str) -> str | None:
    return term(word, analyzer) or None  # type: ignore[arg-type]


@lru_cache(maxsize=1)
def _verb_stems() -> tuple[frozenset[str], frozenset[str]]:
    """hazm's verbs' past and present stems («نامید», «نام»; «زد», «زن»)."""
    past, present = set(), set()
    for entry in hazm().utils.verbs_list():
        before, _, after = entry.partition("#")
        past.update([before] if before else [])
        present.update([after] if after else [])
    return frozenset(past), frozenset(present)


_PAST_ENDINGS = ("", "م", "ی", "یم", "ید", "ند", "ن", "ه")  # «ن»: the infinitive, «ه»: the participle
_PRESENT_ENDINGS = ("م", "ی", "د", "یم", "ید", "ند")
_DIGIT = re.compile(r"\d")
_ENDINGS = ("ترین", "تر", "های", "ها", "ای", "ند", "ست", "ی")  # what a listed word is written with


def conjugated(bare: str) -> bool:
    """Whether ``bare`` (no ZWNJ) is a verb as conjugated: negative, «می» and «ب» before one of
    hazm's stems, a person ending after it («نامیدند», «بدهیم», «نمی‌خواهند», «کشتند»)."""
    past, present = _verb_stems()
    for head in ("نمی", "می", "ن", "ب", ""):
        if not bare.startswith(head):
            continue
        rest = bare[len(head) :]
        for ending in _PAST_ENDINGS:
            if rest.endswith(ending) and rest[: len(rest) - len(ending)] in past and head != "ب":
                return True
        if head:  # a present stem alone is a noun as often («کار»): it counts with a prefix
            for ending in _PRESENT_ENDINGS:
                if rest.endswith(ending) and rest[: len(rest) - len(ending)] in present:
                    return True
    return False


def real_word(word: str) -> bool:
    """A word no typo made: on hazm's list (with or without its ZWNJs, or with a plural, copula,
    comparative or «ـی» ending), a conjugated verb, or holding a digit. Such a word is never
    split or edited into another."""
    bare = word.replace(ZWNJ, "")
    if _DIGIT.search(bare) or bare in lexicon() or conjugated(bare):
        return True
    # a listed word with an ending: «وسعت‌ترین», «برابرند» (not «برا» + «برند»), «کرمانی»
    return any(bare.endswith(ending) and bare[: -len(ending)] in lexicon() for ending in _ENDINGS)


_BOUND = frozenset({"تر", "ترین", "ها", "های", "هایی", "ای", "ام", "ایم", "اید", "اند", "است"})


def _zwnj_splits(word: str) -> list[tuple[str, tuple[str, ...]]]:
    """«دندان‌پزشکی» → «دندان پزشکی»: the writer marked where one word ends."""
    parts = [p for p in word.split(ZWNJ) if p]
    if len(parts) < 2:
        return []
    stop = stopwords()
    # «چه‌کسی»: stopwords alone; endings a ZWNJ sets off («ترین», «ها») are no words to look for
    return [(" ".join(parts), tuple(p for p in parts if fold(p) not in stop and p not in _BOUND))]


def _candidates(word: str, analyzer: str) -> Iterator[list[tuple[str, tuple[str, ...], int]]]:
    """Repairs for an unknown word, a rule at a time in the order they are tried (lazily: the
    one-edit rule alone makes about a thousand words); each is the word as repaired, the terms
    it stands for (none for a stopword) and its preference among its rule's (higher first)."""
    bare = word.replace(ZWNJ, "")
    plural = [bare[: -len(s)] + w for s, w in PLURALS if bare.endswith(s) and len(bare) - len(s) >= 2]
    # a conjugated verb's ending is no colloquial suffix («می‌زیست» is not «میزی» + «ست»), nor is a
    # listed word's «ـی» («گوشی», «بازی») one to take off
    listed = bare in lexicon()
    stripped = (
        []
        if conjugated(bare)
        else [bare[: -len(s)] for s in SUFFIXES if bare.endswith(s) and len(bare) - len(s) >= 2 and not (listed and s == "ی")]
    )
    verb = present_verb(bare, extra={bare[k:j]: bare[k:j] for k in (2, 3) for j in range(k + 2, len(bare))})
    stop = stopwords()
    real = real_word(word)

    def splits() -> list[tuple[str, tuple[str, ...], int]]:
        """Where the writer put a ZWNJ first, then into two words of hazm's list («غذا سازی», not
        «غذاس ازی»), then into any two the corpus knows («بنیتو موسولینی»)."""
        found = [(text, parts, 2) for text, parts in _zwnj_splits(word)]
        # «وعراق»: «و عراق», an «and» run into a listed word (a name may begin with «و»: «والفجر»)
        if not real and bare.startswith("و") and len(bare) > _MIN_PART and bare[1:] in lexicon():
            found.append((f"و {bare[1:]}", (bare[1:],), 1))
        if not real:
            for i in range(2, len(bare) - 1):
                parts = _split(bare, i)
                if parts is not None:
                    both_listed = bare[:i] in lexicon() and bare[i:] in lexicon()
                    found.append((f"{bare[:i]} {bare[i:]}", parts, int(both_listed)))
        return found

    def edits() -> list[tuple[str, tuple[str, ...], int]]:
        """A typo keeps the first letter it typed («زدند» is no «دند», «فاویسم» no «اویس», «ژوزه» no
        «روزه»), though a first letter left out is one («صنیف»: «تصنیف»)."""
        if real or len(bare) < _MIN_EDIT_LENGTH:
            return []
        return [(w, (w,), 0) for w in sorted(_edits(bare)) if w[0] == bare[0] or w[1:] == bare]

    rules: list[Callable[[], list[tuple[str, tuple[str, ...], int]]]] = [
        lambda: [(w, (w,), 0) for w in _maddas(bare)],
        lambda: [(w, (w,), 0) for w in plural],
        # «خوبه»: «خوب», a stopword; a listed word is none («کیش», «بازی», «فردا»)
        lambda: [(w, () if fold(w) in stop and not listed else (w,), 0) for w in stripped],
        lambda: [(verb, (verb,), 0)] if verb else [],
        splits,
        edits,
    ]
    for rule in rules:
        group = []
        for text, parts, preference in rule():
            terms = tuple(_term(p, analyzer) for p in parts)
            if all(t and len(t) >= 2 for t in terms):  # a stem of one letter matches anything
                group.append((text, terms, preference))  # type: ignore[arg-type]
        yield group


def repaired(word: str, analyzer: str, vocabulary: Vocabulary) -> tuple[str, tuple[str, ...]] | None:
    """What an unknown ``word`` most likely was, written out («طرحبشیر» → «طرح بشیر», «امریکا» →
    «آمریکا»: what the embedder then reads) and as terms, or None if no rule finds known ones."""
    if len(word) > MAX_WORD_CHARS:
        return None
    for group in _candidates(word, analyzer):
        if not group:
            continue
        df = vocabulary({t for _text, terms, _preference in group for t in terms})
        known = [(text, terms, preference) for text, terms, preference in group if all(t in df for t in terms)]
        if known:  # the rule's own preference, then a stopword (no terms), then the corpus's most frequent
            text, terms, _preference = max(known, key=lambda found: (found[2], min((df[t] for t in found[1]), default=1 << 62)))
            return text, terms
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
    formal = norm
    if lang == PERSIAN:
        formal = formalize(norm, keep=_unwritten(norm, analyzer, vocabulary) if vocabulary is not None else ())
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


def _unwritten(norm: str, analyzer: str, vocabulary: Vocabulary) -> frozenset[str]:
    """Colloquial-looking words of ``norm`` to leave as typed: the corpus knows each as typed and
    not as :func:`formalize` would write it («طناب زدن»: the infinitive, not «زدند»)."""
    changed = {w: formal_word(w) for w in tokens(norm)}
    changed = {w: f for w, f in changed.items() if f != w}
    if not changed:
        return frozenset()
    typed = {w: analyze(w, analyzer) for w in changed}  # type: ignore[arg-type]
    written = {w: analyze(f, analyzer) for w, f in changed.items()}  # type: ignore[arg-type]
    df = vocabulary({t for ts in (*typed.values(), *written.values()) for t in ts})
    return frozenset(w for w in changed if typed[w] and all(t in df for t in typed[w]) and not all(t in df for t in written[w]))


def _spelled(vocabulary: Vocabulary, analyzer: str) -> Callable[[Iterable[str]], Mapping[str, int]]:
    """How often the corpus has each Persian spelling, through the term each one analyzes to."""

    def known(spellings: Iterable[str]) -> Mapping[str, int]:
        terms = {w: _term(w, analyzer) for w in spellings}
        df = vocabulary({t for t in terms.values() if t})
        return {w: df[t] for w, t in terms.items() if t in df}

    return known
