"""Articles in → cleaned, normalized, split sentences with metadata, stored in SQLite."""

from corpus.errors import CorpusError, InputFileError, SkippedFile
from corpus.normalize import NORMALIZATION_VERSION, analyze, contains_answer, normalize
from corpus.prepare import prepare
from corpus.read import RawArticle, read_all
from corpus.records import Article, PreparedArticle, Sentence
from corpus.store import Store, StoredSentence, StoreError

__all__ = [
    "NORMALIZATION_VERSION",
    "Article",
    "CorpusError",
    "InputFileError",
    "PreparedArticle",
    "RawArticle",
    "Sentence",
    "SkippedFile",
    "Store",
    "StoreError",
    "StoredSentence",
    "analyze",
    "contains_answer",
    "normalize",
    "prepare",
    "read_all",
]
