"""What the embedder is given for a stored sentence: the sentence alone, or its article's
headline (and the heading of the section it stands under, if any) and then the sentence.

A news sentence rarely names its subject: «وی افزود این طرح از سال آینده اجرا می‌شود» is about
whatever the headline says. Embedded with its headline, the sentence's vector carries that
subject; measured on PQuAD and ParsiNLU over 1,800 articles (docs/evaluation.md), dense
retrieval alone picks the right article for 0.908 of PQuAD's held-out questions instead of
0.861. A report cut into sections by subheads («بهترین بازیکن», «در حاشیه»; corpus/sections.py)
says what a section's sentences are about in its heading: it is embedded between the headline
and the sentence. Questions are embedded as they are. What is embedded is part of the vectors' identity:
the form is in the embedder's name, so vectors made in another form are rebuilt, never mixed,
and stored vectors are reused only where the embedded text is the same (a copy's sentence under
a subhead lends its vector to no sentence, retrieval/store/capabilities.headline_only). One
exception is kept on purpose: articles stored before headings were embedded (2026-12-05) keep
their vectors until they are stored again or re-embedded (`pasokh index --rebuild --reembed`),
the same model's vectors of the same sentences under the same headline, so an upgrade does not
stop a bot for hours.

The default form, "auto", is the headline form for a new data directory, while a directory whose
vectors were made of sentences alone (before this form was the default) keeps that form until
`pasokh index --rebuild` converts it: an upgrade never stops a bot until hours of re-embedding.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence

import numpy as np

from corpus.normalize import normalize
from embeddings.base import Embedder, PassageEmbedder

TITLED_SUFFIX = "+title"
HEADLINE_CHARS = 300
"""The most of a headline embedded before each sentence, cut at a word. A real headline is far
shorter (the longest in the evaluation corpora is 98 characters); a page's title is whatever
the page says, and the model reads all of a text, window by window: a 27,000-character title
cost about nine seconds of embedding for every sentence of its article, and made all their
vectors one vector (cosine 0.9998 between two unrelated sentences)."""
logger = logging.getLogger(__name__)


def passage_text(form: str, title: str, norm: str, heading: str | None = None) -> str:
    """The text embedded for a sentence whose normalized text is ``norm``: with ``form`` "title",
    its article's normalized headline, a full stop, the normalized heading of its section and a
    full stop (where it stands under one), and the sentence; an article without a headline (or
    with ``form`` "sentence") gives the sentence alone."""
    if form == "sentence":
        return norm
    head = _headline(title)
    if heading and (section := _headline(heading)):
        head = f"{head}. {section}" if head else section
    return f"{head}. {norm}" if head else norm


@functools.lru_cache(maxsize=1024)
def _headline(title: str) -> str:
    """Normalized once per article, not once per sentence: an ingest batch asks for every
    sentence of an article in turn, each with the same headline. At most
    :data:`HEADLINE_CHARS` of it, cut at its last space within them (hard, where there is none).
    Only the first few hundred characters are normalized, so a page's megabyte of title costs
    nothing; normalizing drops marks and tatweel, so where that shortened a cut title below the
    limit, its cut end is still taken off at a space rather than kept as half a word."""
    raw = title[: 4 * HEADLINE_CHARS]
    head = normalize(raw).strip()
    if len(head) <= HEADLINE_CHARS and len(raw) == len(title):
        return head
    space = head.rfind(" ", 0, HEADLINE_CHARS + 1)
    return head[:space].rstrip() if space > 0 else head[:HEADLINE_CHARS]


class FormedEmbedder:
    """An embedder that also says what it embeds of a stored sentence (:func:`passage_text`);
    its name carries the form, so the store's embedder check tells the two apart."""

    def __init__(self, inner: Embedder, form: str) -> None:
        self.inner = inner
        self.flexible = form == "auto"  # may take the form a data directory's vectors were made in
        self.form = "title" if self.flexible else form

    @property
    def name(self) -> str:
        return self.inner.name + (TITLED_SUFFIX if self.form == "title" else "")

    @property
    def dimension(self) -> int:
        return self.inner.dimension

    @property
    def uses_title(self) -> bool:
        """Whether two copies of a sentence under different headlines need vectors of their own."""
        return self.form == "title"

    def passage(self, title: str, norm: str, heading: str | None = None) -> str:
        return passage_text(self.form, title, norm, heading)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_queries(texts)

    def encode_passages(self, texts: Sequence[str]) -> np.ndarray:
        return self.inner.encode_passages(texts)


def adopted(embedder: PassageEmbedder, recorded: str | None) -> PassageEmbedder:
    """The embedder to use over vectors recorded as made by ``recorded`` (None: none stored yet).

    With ``passage = "auto"``, vectors made of sentences alone by the same model are kept, and
    sentences added to them are embedded the same way (mixing forms in one index would make
    their scores incomparable), with a warning that names the conversion. Anything else is
    returned as it is; the store then refuses vectors it cannot use, naming both ways out.
    """
    if not isinstance(embedder, FormedEmbedder) or not embedder.flexible or recorded != embedder.inner.name:
        return embedder
    logger.warning(
        "the stored vectors embed each sentence alone; answers choose articles better with each sentence "
        'embedded after its headline: run `pasokh index --rebuild` to convert them (or set passage = "sentence" '
        "under [embedder] to keep them without this warning)"
    )
    return FormedEmbedder(embedder.inner, "sentence")
