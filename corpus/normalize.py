"""One Persian normalization, used identically for indexing and for questions.

Everything that compares text (lexical index, answer matching, dedup) goes through
:func:`normalize` and :func:`analyze`; the verbatim text is never touched. The
version string is stored with every index so a change here forces a rebuild
instead of silently mixing two normalizations.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Literal, TypeVar

from corpus import hazm_tables
from corpus.controls import DIRECTION_CONTROLS
from corpus.hazm_lean import hazm
from corpus.stem import stem

NORMALIZATION_VERSION = "hazm-0.10+pasokh-2"

Analyzer = Literal["stem", "lemma", "plain"]
T = TypeVar("T")
ANALYZERS: tuple[str, ...] = ("stem", "lemma", "plain")

ZWNJ = "\u200c"
# Letters hazm leaves alone but that spell the same word both ways in real text.
_FOLD = str.maketrans({"ة": "ه", "ۀ": "ه", "أ": "ا", "إ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ی", "ك": "ک", "ي": "ی", "ى": "ی"})
# Bidi and other format controls: invisible, but they break token matching.
_INVISIBLE = re.compile(f"[\u200e\u200f{DIRECTION_CONTROLS}\ufeff\u200b\u00ad]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w", re.UNICODE)
_EDGE_PUNCTUATION = re.compile(r"^[^\w\u200c]+|[^\w\u200c]+$")

QUESTION_WORDS = frozenset(
    "چه چی چیست چیه چرا چگونه چطور چطوری کدام کدوم کدامیک کجا کجاست کی کیست چند چندم چقدر آیا مگر"
    " است هست هستند بود بودند شد شده شدند می‌شود میشود".split()
)
_lock = threading.Lock()


@lru_cache(maxsize=1)
def _normalizer():  # type: ignore[no-untyped-def]
    made = hazm_tables.normalizer(hazm())
    if getattr(made, "_decrease_repeated_chars", False):
        with contextlib.suppress(ValueError, AttributeError):  # another hazm's pattern: its own method stays
            made.decrease_repeated_chars = _FewerRepeats(made)
    return made


class _FewerRepeats:
    """hazm's ``decrease_repeated_chars`` («سلامممم» → «سلام»), giving what it gives, in linear time.

    hazm finds the words to shorten with ``[letters]*(letter)\\1{2,}[letters]*``, which backtracks
    over every start in a run of letters: a run of 16,000 letters without a space took 3.7 s, and
    the run a hostile page (or a page of joined-up spans) holds stalled its reading for minutes.
    Those matches are exactly the runs of letters that hold a letter three times over; found as
    runs first, then looked into, the pass costs what reading the text does."""

    def __init__(self, made) -> None:  # type: ignore[no-untyped-def]
        self._made = made
        letters = re.match(r"\[([^\]]+)\]", made.repeated_chars_pattern)
        if letters is None:
            raise ValueError(f"hazm's repeated-letters pattern changed: {made.repeated_chars_pattern!r}")
        self._runs = re.compile(f"[{letters.group(1)}]+")
        self._tripled = re.compile(f"([{letters.group(1)}])\\1{{2,}}")

    def __call__(self, text: str) -> str:
        made, words = self._made, self._made.words
        for word in [m.group() for m in self._runs.finditer(text) if self._tripled.search(m.group())]:
            if word not in words:  # hazm's own body, word for word
                no_repeat = re.sub(made.more_than_two_repeat_pattern, r"\1", word)
                two_repeat = re.sub(made.more_than_two_repeat_pattern, r"\1\1", word)
                if (no_repeat in words) != (two_repeat in words):
                    text = text.replace(word, no_repeat if no_repeat in words else two_repeat)
                else:
                    text = text.replace(word, two_repeat)
        return text


@lru_cache(maxsize=1)
def _word_tokenizer():  # type: ignore[no-untyped-def]
    return hazm_tables.word_tokenizer(hazm())


@lru_cache(maxsize=1)
def _lemmatizer():  # type: ignore[no-untyped-def]
    return hazm().Lemmatizer()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    words = {fold(w.replace("_", " ")) for w in hazm().stopwords_list()}
    return frozenset(words | {fold(w) for w in QUESTION_WORDS})


def clean_controls(text: str) -> str:
    """Drop invisible bidi/format/control characters that users paste along with questions, and
    lone surrogates (bytes that were not text, as a terminal passes them on)."""
    return _CONTROL.sub(" ", _INVISIBLE.sub("", _SURROGATES.sub("", text)))


_SURROGATES = re.compile("[\ud800-\udfff]")


def fold(word: str) -> str:
    """Spelling variants that should match: Arabic letters, ZWNJ joins and case."""
    return word.translate(_FOLD).replace(ZWNJ, "").lower()


class TextMemo:
    """Results of the pure text functions below, by their input, within a bounded budget.

    Two generations: when the newer one holds ``budget`` characters of keys it becomes the
    older one and the oldest is dropped, so memory stays under about twice the budget however
    much text passes, and a text seen recently (a wire story carried by ten outlets, an agency's
    boilerplate line) is read once.
    """

    def __init__(self, budget: int | None = None) -> None:
        self.budget = budget
        self.new: dict[object, tuple[object, int]] = {}  # key -> (value, characters it counts for)
        self.old: dict[object, tuple[object, int]] = {}
        self.chars = 0

    def get(self, key: object) -> object | None:
        found = self.new.get(key)
        if found is None and (found := self.old.get(key)) is not None:
            self.put(key, *found)  # still in use: it moves to the newer generation, and counts there
        return found[0] if found is not None else None

    def put(self, key: object, value: object, chars: int) -> None:
        if self.budget is not None and self.chars + chars > self.budget:
            self.old, self.new, self.chars = self.new, {}, 0
        self.new[key] = (value, chars)
        self.chars += chars


_memo: contextvars.ContextVar[TextMemo | None] = contextvars.ContextVar("normalize_memo", default=None)
RUN_MEMO_CHARS = 4_000_000  # keys per generation: with values, under ~50 MB for both


@contextlib.contextmanager
def remembering(budget: int | None = None) -> Iterator[None]:
    """Within the block, each distinct text is normalized (and analyzed, and keyed) once.

    Preparing an article looks at every paragraph four or five times (chrome, metadata, repeats,
    agency); hazm is most of ingest time. An article scopes one with no budget; an ingest run
    opens one with a budget around all its articles, which the articles' own scopes then share,
    so text repeated across articles (wire copy, boilerplate) is prepared once per run. Every
    function memoized is pure, so what is remembered never changes an answer.
    """
    if _memo.get() is not None:
        yield
        return
    token = _memo.set(TextMemo(budget))
    try:
        yield
    finally:
        _memo.reset(token)


def _remembered(key: object, chars: int, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave for ``key`` earlier in a :func:`remembering` block."""
    memo = _memo.get()
    if memo is None:
        return compute()
    hit = memo.get(key)
    if hit is None:
        hit = compute()
        memo.put(key, hit, chars)
    return hit  # type: ignore[return-value]


def normalize(text: str) -> str:
    """hazm's normalization (ي/ك → ی/ک, ZWNJ restored, Persian digits, no diacritics)."""
    return _remembered(text, len(text), lambda: _normalize(text))


def _normalize(text: str) -> str:
    clean = unicodedata.normalize("NFKC", clean_controls(text)).replace("\u00a0", " ")
    with _lock:  # hazm's Normalizer keeps regex state shared between calls
        return _SPACES.sub(" ", _normalizer().normalize(clean)).strip()


def words(norm_text: str) -> list[str]:
    """Word tokens of already-normalized text, punctuation dropped, at a token's edges too: hazm
    keeps a number's trailing colon («دقیقه ۷۹: …», as live reports write each minute) or a
    hyphen («اف-۱۴») on the token, and «۷۹:» would never match a question's «۷۹»."""
    out: list[str] = []
    for tok in _word_tokenizer().tokenize(norm_text):
        for part in tok.replace("_", " ").split():
            part = _EDGE_PUNCTUATION.sub("", part)
            if _WORD.search(part):
                out.append(part)
    return out


def _reduce(word: str, analyzer: Analyzer) -> str:
    if analyzer == "stem":
        word = stem(word)
    elif analyzer == "lemma":
        lemma = _lemmatizer().lemmatize(word)
        word = lemma.split("#")[-1] or word  # verbs come back as "past#present"
    return fold(word)


def term(word: str, analyzer: Analyzer = "stem") -> str:
    """The index term of one already-normalized word (no tokenizing: for many candidate words at once)."""
    return _reduce(word, analyzer)


def analyze(norm_text: str, analyzer: Analyzer = "stem", keep_stopwords: bool = False) -> list[str]:
    """Index terms of normalized text; the same function serves documents and questions."""
    key = ("analyze", analyzer, keep_stopwords, norm_text)
    return list(_remembered(key, len(norm_text), lambda: _analyze(norm_text, analyzer, keep_stopwords)))


def _analyze(norm_text: str, analyzer: Analyzer, keep_stopwords: bool) -> tuple[str, ...]:
    stop = stopwords()
    terms = []
    for tok in words(norm_text):
        if not keep_stopwords and fold(tok) in stop:
            continue
        term = _reduce(tok, analyzer)
        if term:
            terms.append(term)
    return tuple(terms)


def match_key(text: str) -> str:
    """Normalized text with spacing and punctuation removed, for "does A contain B" checks."""
    return _remembered(("match_key", text), len(text), lambda: "".join(fold(t) for t in words(normalize(text))))


LONG_ANSWER_WORDS = 8


def _match_tokens(text: str) -> list[str]:
    return [fold(t) for t in words(normalize(text))]


def contains_answer(quote: str, answers: Iterable[str]) -> bool:
    """Does the quote hold a gold answer? An answer of up to :data:`LONG_ANSWER_WORDS` words must
    appear whole (spacing and punctuation aside). A longer one, which may span several sentences
    (a third of ParsiNLU's), counts when the quote holds that many of its words in a row: the
    quote is then part of the answer."""
    key = match_key(quote)
    quote_tokens: list[str] | None = None
    n = LONG_ANSWER_WORDS
    for answer in answers:
        k = match_key(answer)
        if not k:
            continue
        if k in key:
            return True
        answer_tokens = _match_tokens(answer)
        if len(answer_tokens) <= n:
            continue
        if quote_tokens is None:
            quote_tokens = _match_tokens(quote)
        runs = {tuple(answer_tokens[i : i + n]) for i in range(len(answer_tokens) - n + 1)}
        if any(tuple(quote_tokens[i : i + n]) in runs for i in range(len(quote_tokens) - n + 1)):
            return True
    return False
