"""hazm's Normalizer, made from word tables cached on disk instead of rebuilt in every process.

Why: making hazm's Normalizer (and its WordTokenizer) reads its 193,000-word list and conjugates every Persian verb it
knows (346,000 forms), about a second of CPU in every process: most of a cold ``pasokh ask``,
and paid again by each bot, worker and ingest at start. The normalizer asks these tables only
two things: is a form a known verb, and is a word in the list (attested, with frequency > 0).
So the first process writes those answers to one small file, and later ones hand hazm's own
Normalizer the same tables read back from it. Its output is unchanged; only where the tables
come from differs.

The file is keyed by the bytes of hazm's word list, verb list and the modules
that derive the tables, and carries a checksum of its body. Missing, damaged, another key, or
a directory that cannot be written: the tables are built as hazm builds them (and the file
written again when possible). Nothing here changes what is normalized or how.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from corpus.atomic import atomic_write

logger = logging.getLogger(__name__)

FORMAT = "pasokh-hazm-tables-2"  # 2: only the verb forms the normalizer can ask for
_SEP = "\n"


def cache_dir() -> Path:
    """``$PASOKH_CACHE_DIR``, else ``$XDG_CACHE_HOME/pasokh``, else ``~/.cache/pasokh``."""
    if os.environ.get("PASOKH_CACHE_DIR"):
        return Path(os.environ["PASOKH_CACHE_DIR"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "pasokh"


def _key(hazm: Any) -> str:
    """What the tables are derived from: hazm's lists and the code that reads them. (hazm's
    version adds nothing to these, and asking importlib.metadata for it cost 50-70 ms of every
    process's start.)"""
    digest = hashlib.sha256(FORMAT.encode())
    import hazm.lemmatizer as lemmatizer_module
    import hazm.word_tokenizer as tokenizer_module

    for path in (hazm.default_words, hazm.default_verbs, lemmatizer_module.__file__, tokenizer_module.__file__):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:32]


def _build(hazm: Any) -> tuple[list[str], list[str], list[str]]:
    """The tables as hazm makes them: attested words, other listed words, verb forms."""
    words = hazm.WordTokenizer(join_verb_parts=False).words
    verbs = hazm.Lemmatizer(joined_verb_parts=False).verbs
    attested = [w for w, v in words.items() if v[0] > 0]
    rest = [w for w, v in words.items() if not v[0] > 0]
    return attested, rest, [v for v in verbs if can_be_looked_up(v)]


def can_be_looked_up(verb: str) -> bool:
    """Whether hazm's Normalizer can ever ask for this verb form.

    It asks for a verb in three places, each time for a form it has just joined: «می»/«نمی»
    with a ZWNJ put after it (``seperate_mi``), two tokens joined by a ZWNJ and a token joined
    to the next by ``_`` (``token_spacing``). Its tokens never hold a space. So a form without
    a ZWNJ or an underscore, or with a space («خوانده شده است»), is never asked for: 318,000
    of the 346,000 forms. Dropping them makes every process's tables a third the size and
    their reading about twice as fast, and changes no normalization (tests/corpus/test_hazm_tables.py)."""
    return ("\u200c" in verb or "_" in verb) and " " not in verb


def _encode(key: str, tables: tuple[list[str], list[str], list[str]]) -> bytes:
    if any(_SEP in item for table in tables for item in table):
        raise ValueError("a table entry holds a newline")
    body = "\f".join(_SEP.join(table) for table in tables).encode("utf-8")
    return f"{FORMAT} {key} {hashlib.sha256(body).hexdigest()}\n".encode() + body


def _decode(data: bytes, key: str) -> tuple[list[str], list[str], list[str]] | None:
    head, _, body = data.partition(b"\n")
    parts = head.decode("ascii", "replace").split(" ")
    if len(parts) != 3 or parts[0] != FORMAT or parts[1] != key:
        return None
    if hashlib.sha256(body).hexdigest() != parts[2]:
        return None
    tables = body.decode("utf-8").split("\f")
    if len(tables) != 3:
        return None
    attested, rest, verbs = (t.split(_SEP) if t else [] for t in tables)
    return attested, rest, verbs


@functools.lru_cache(maxsize=1)
def tables(hazm: Any) -> tuple[dict[str, tuple[int]], frozenset[str]]:
    """(words, verbs) for the Normalizer: each word maps to ``(1,)`` when attested and ``(0,)``
    when not (the normalizer reads only that sign), and verbs is the set of verb forms. Read
    once per process: the normalizer and the tokenizer share them."""
    key = _key(hazm)
    path = cache_dir() / f"hazm-tables-{key}.txt"
    found = None
    with contextlib.suppress(OSError, UnicodeDecodeError):
        found = _decode(path.read_bytes(), key)
        if found is None:
            logger.warning("the cached hazm tables %s are damaged or stale; building them again", path)
    if found is None:
        found = _build(hazm)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, _encode(key, found))
            for old in path.parent.glob("hazm-tables-*.txt"):  # another hazm's: never read again
                if old != path:
                    old.unlink(missing_ok=True)
        except (OSError, ValueError) as exc:
            logger.info("cannot cache hazm's tables in %s (%s); each process builds them", path, exc)
    attested, rest, verbs = found
    words: dict[str, tuple[int]] = dict.fromkeys(rest, (0,))
    words.update(dict.fromkeys(attested, (1,)))
    return words, frozenset(verbs)


def _given_words(make: Any, words: dict[str, tuple[int]], **options: Any) -> Any:
    """A WordTokenizer made by ``make`` with its patterns but no word list read, then given ``words``."""
    made = make(words_file=os.devnull, **options)
    made.words = words
    return made


@contextlib.contextmanager
def _tables_in(words: dict[str, tuple[int]], verbs: frozenset[str]) -> Iterator[None]:
    """While hazm's Normalizer is made, its tokenizer reads no word list and its lemmatizer
    conjugates nothing: both are given the cached tables instead."""
    import hazm.normalizer as normalizer_module

    real_tokenizer, real_lemmatizer = normalizer_module.WordTokenizer, normalizer_module.Lemmatizer
    normalizer_module.WordTokenizer = lambda **options: _given_words(real_tokenizer, words, **options)
    normalizer_module.Lemmatizer = lambda **options: SimpleNamespace(verbs=verbs)
    try:
        yield
    finally:
        normalizer_module.WordTokenizer, normalizer_module.Lemmatizer = real_tokenizer, real_lemmatizer


def word_tokenizer(hazm: Any) -> Any:
    """hazm's WordTokenizer with its default options (verb parts joined), given the cached word
    table instead of reading the word list: its tokenize() reads patterns and verbs, not words."""
    try:
        return _given_words(hazm.WordTokenizer, tables(hazm)[0])
    except Exception as exc:
        logger.debug("hazm tables unavailable (%s); building the tokenizer as hazm does", exc)
        return hazm.WordTokenizer()


def normalizer(hazm: Any) -> Any:
    """hazm's Normalizer with its default options, from the cached tables when they can be had."""
    try:
        words, verbs = tables(hazm)
        with _tables_in(words, verbs):
            return hazm.Normalizer()
    except Exception as exc:  # an unexpected hazm layout: make it the ordinary way
        logger.debug("hazm tables unavailable (%s); building the normalizer as hazm does", exc)
        return hazm.Normalizer()
