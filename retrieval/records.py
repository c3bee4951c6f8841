"""What retrieval hands the front ends. Every searcher speaks ``Hit``; the pipeline speaks ``Answer``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

PERSIAN = "fa"
"""The language code of Persian questions; any other is answered cross-lingually."""


@dataclass(frozen=True)
class Hit:
    """A sentence id and a score from one searcher (higher is better, scale is the searcher's)."""

    sentence_id: int
    score: float


SAME_VECTOR = 1e-7
"""Dense hits whose scores differ by at most this are copies of one vector: the same embedded
text gives the same vector, and BLAS rounds one row of a block unlike another by up to 4e-8."""


def vector_groups(hits: Sequence[Hit]) -> list[list[Hit]]:
    """Dense hits (best first) grouped into copies of one vector (:data:`SAME_VECTOR`)."""
    groups: list[list[Hit]] = []
    for hit in hits:
        if groups and groups[-1][0].score - hit.score <= SAME_VECTOR:
            groups[-1].append(hit)
        else:
            groups.append([hit])
    return groups


@dataclass(frozen=True)
class Speaker:
    """The words of an earlier sentence that name whom a quote's «وی» is (see
    :mod:`retrieval.answer.speaker`): ``text`` stands at ``start`` of the article; ``cut`` when
    that sentence goes on after them."""

    text: str
    start: int
    cut: bool


@dataclass(frozen=True)
class Quote:
    """A verbatim sentence and where it comes from.

    ``text`` is the best sentence; ``context`` is the verbatim passage around it (the
    sentence plus short neighbours) that front ends show, with ``text`` marked inside it.
    """

    number: int
    text: str
    article_id: str
    title: str
    agency: str | None
    published: str | None
    url: str | None
    score: float
    sentence_id: int
    position: int
    context: str = ""
    also: tuple[str, ...] = ()  # other outlets that ran this very sentence (wire copy)
    start: int = -1  # where ``text`` starts in its article's text (-1: not known)
    context_start: int = -1  # where ``context`` starts in its article's text
    speaker: Speaker | None = None  # who «وی» is, when the quote's own passage does not say

    def to_json(self) -> dict[str, object]:
        return {
            "text": self.text,
            "article_id": self.article_id,
            "title": self.title,
            "source": self.agency,
            "published": self.published,
            "url": self.url,
            "score": round(self.score, 4),
            "context": self.context,
            "also": list(self.also),
            "speaker": self.speaker.text if self.speaker else None,
        }

    @property
    def shown(self) -> str:
        """What a user reads: the passage when there is one, else the sentence; after the words
        that name its speaker when they stand apart from it."""
        passage = self.context or self.text
        if self.speaker is not None and self.speaker.text not in passage:
            return f"{self.speaker.text}\n{passage}"
        return passage


@dataclass(frozen=True)
class Answer:
    """``abstained`` means the corpus does not answer; ``quotes`` is then empty. ``language`` is the
    question's ("fa", or "other" for a question answered cross-lingually from Persian sources)."""

    question: str
    abstained: bool
    quotes: tuple[Quote, ...] = ()
    reason: str = ""
    terms: tuple[str, ...] = field(default=(), compare=False)
    language: str = PERSIAN
    read_as: str | None = None  # a question typed in Latin letters («Finglish»), as read back into Persian
    unsaid: str | None = None  # what the question asks for exactly («age») that none of the quotes says

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {
            "question": self.question,
            "abstained": self.abstained,
            "language": self.language,
            "quotes": [q.to_json() for q in self.quotes],
        }
        if self.read_as:
            out["read_as"] = self.read_as
        if self.unsaid:
            out["unsaid"] = self.unsaid
        return out
