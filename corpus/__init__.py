"""Articles in → cleaned, normalized, split sentences with metadata (stored by retrieval.store)."""

from corpus.errors import CorpusError, InputFileError, SkippedFile
from corpus.normalize import NORMALIZATION_VERSION, analyze, contains_answer, normalize
from corpus.prepare import prepare
from corpus.read import RawArticle, read_all
from corpus.records import Article, PreparedArticle, Sentence, StoredSentence

__all__ = [
    "NORMALIZATION_VERSION",
    "Article",
    "CorpusError",
    "InputFileError",
    "PreparedArticle",
    "RawArticle",
    "Sentence",
    "SkippedFile",
    "StoredSentence",
    "analyze",
    "contains_answer",
    "normalize",
    "prepare",
    "read_all",
]
