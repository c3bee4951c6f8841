"""hazm without its package import.

``import hazm`` runs hazm/__init__, which imports its taggers, parsers, corpus readers and
embeddings: nltk, scikit-learn, scipy and gensim, 1.7 s of a cold ``pasokh ask``. Pasokh uses
the normalizer, the tokenizers, the lemmatizer (which builds on hazm's stemmer; Pasokh's own
stems are :mod:`corpus.stem`'s) and the word lists, whose modules need only ``nltk.stem.api``
and ``nltk.tokenize.api``. So the packages are registered bare
(their __init__ not run) and just those modules are loaded: 0.06 s instead of 1.7 s.

hazm also re-reads its 1.4 MB word list for every tokenizer it builds (three per normalizer
and lemmatizer) and rebuilds two translation tables on every ``normalize()`` call (a sixth of
ingest time); both are made once here.

If hazm (or nltk) was already imported whole, or the layout is not what this expects, the
ordinary import is used: slower, same behaviour.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
import logging
import sys
import types
from typing import Any

logger = logging.getLogger(__name__)

_NAMES = (
    "default_verbs",
    "default_words",
    "stopwords_list",
    "words_list",
    "maketrans",
    "regex_replace",
    "NUMBERS",
    "informal_verbs",
    "informal_words",
    "abbreviations",
)
_MODULES = (
    ("stemmer", ("Stemmer",)),
    ("word_tokenizer", ("WordTokenizer",)),
    ("lemmatizer", ("Lemmatizer", "Conjugation")),
    ("normalizer", ("Normalizer",)),
    ("sentence_tokenizer", ("SentenceTokenizer",)),
)


def _bare(name: str) -> types.ModuleType:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"no package {name}")
    module = types.ModuleType(name)
    module.__path__ = list(spec.submodule_search_locations)
    module.__file__ = spec.origin
    module.__spec__ = spec
    sys.modules[name] = module
    return module


def _lean() -> Any:
    before = set(sys.modules)
    try:
        for name in ("nltk", "nltk.stem", "nltk.tokenize"):
            if name not in sys.modules:
                _bare(name)
        package = _bare("hazm")
        utils = importlib.import_module("hazm.utils")
        utils.words_list = functools.lru_cache(maxsize=None)(utils.words_list)
        utils.maketrans = functools.lru_cache(maxsize=64)(utils.maketrans)  # rebuilt on every normalize() call
        for name in _NAMES:
            setattr(package, name, getattr(utils, name))
        for module_name, names in _MODULES:
            module = importlib.import_module(f"hazm.{module_name}")
            for name in names:
                setattr(package, name, getattr(module, name))
        return package
    except Exception:
        for name in set(sys.modules) - before:
            sys.modules.pop(name, None)
        raise


@functools.lru_cache(maxsize=1)
def hazm() -> Any:
    """The hazm module (or its lean stand-in): what every Pasokh module uses instead of ``import hazm``."""
    if "hazm" in sys.modules:
        return sys.modules["hazm"]
    try:
        return _lean()
    except Exception as exc:  # an unexpected hazm layout: fall back to the whole package
        logger.debug("lean hazm import failed (%s); importing the whole package", exc)
        import hazm as whole

        return whole
