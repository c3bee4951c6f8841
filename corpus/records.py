"""Records the corpus layer hands upward. Frozen so no layer can edit another's data."""

from __future__ import annotations

from dataclasses import dataclass

from corpus import dates
from corpus.decoration import shown_title


@dataclass(frozen=True)
class Sentence:
    """One quotable sentence; ``text`` is verbatim, ``norm`` only ever used for matching."""

    article_id: str
    position: int
    start: int
    end: int
    text: str
    norm: str


@dataclass(frozen=True)
class StoredSentence:
    """A sentence as stored, with the id every index refers to."""

    id: int
    article_id: str
    position: int
    start: int
    end: int
    text: str
    norm: str


@dataclass(frozen=True)
class Article:
    """A cleaned article. ``text`` keeps the source's own characters so quotes stay verbatim."""

    id: str
    title: str
    text: str
    agency: str | None = None
    published: str | None = None
    news_code: str | None = None
    url: str | None = None
    kicker: str | None = None
    origin: str | None = None

    @property
    def citation(self) -> str:
        """Title · agency · date as answers cite them (the title from its first word, the date in
        Jalali on Tehran's clock whatever form the source gave it in), so a listing reads alike
        for a page, a post and a file."""
        when = dates.parse(self.published)
        shown = dates.jalali(when) if when is not None else self.published
        parts = [shown_title(self.title)] + [p for p in (self.agency, shown) if p]
        return " · ".join(parts)


@dataclass(frozen=True)
class PreparedArticle:
    """An article ready to store: cleaned, split, and fingerprinted for change detection."""

    article: Article
    sentences: tuple[Sentence, ...]
    content_hash: str
