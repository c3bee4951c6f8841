"""What storage can do, as small capabilities, so that a backend provides what it has and a
:class:`retrieval.store.Storage` composes them (the way pyserini's hybrid searcher composes a
sparse and a dense searcher that live apart).

- :class:`DocumentStore`: articles and their sentences, read back by id, key, page or time.
- :class:`StateStore`: small named records that outlive a process (fetch state, seeding).
- :class:`LexicalSearch`: BM25 over sentences and articles, and the terms behind it.
- :class:`VectorSearch`: nearest sentences to a question's vector.
- :class:`Writable`: the one writer at a time, whose :class:`Writer` commits whole articles.
- :class:`Maintainable`: check, rebuild, compact, upgrade and export what is kept.
- :class:`Lifecycle`: open, follow other processes' commits (``generation``), close.
- the bot's own state (:mod:`retrieval.store.botstate`), opened by ``Storage.bot_state``.

:class:`Backend` is all of them at once, which is what the shipped backends are; the pipeline,
ingest and the front ends never see SQL, FTS5, FAISS or pgvector.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import numpy as np

from corpus.normalize import NORMALIZATION_VERSION
from corpus.prepare import title_terms_of
from corpus.records import Article, PreparedArticle, StoredSentence
from corpus.sections import headings
from retrieval.errors import BackupError
from retrieval.records import Hit

RebuildProgress = Callable[[int], None]
# 3: no punctuation at a term's edges («۷۹:» is «۷۹»); 4: stems by hazm's word list (corpus.stem)
LEXICAL_FORMAT = "sentences+articles/4"
# Every backend keeps a sentence's vector at this precision (SQLite as float16 blobs, PostgreSQL as
# float32 values rounded to it): a cosine rounded one way on one backend and another on the other
# decided near-ties differently, so one corpus answered otherwise on PostgreSQL than on SQLite (or
# than after `pasokh migrate`, which copies SQLite's float16 vectors). Half precision moves a
# cosine by about 1e-4 and halves what SQLite keeps.
STORED_PRECISION = np.float16


def as_stored(vectors: np.ndarray) -> np.ndarray:
    """``vectors`` as float32 holding exactly what a backend keeps of them."""
    return np.asarray(vectors, dtype=STORED_PRECISION).astype(np.float32)


def lexical_signature(analyzer: str) -> str:
    """What the lexical terms depend on: a change to any part means rebuilding them."""
    return f"{analyzer}|{NORMALIZATION_VERSION}|{LEXICAL_FORMAT}"


@dataclass(frozen=True)
class Signature:
    """What the stored terms and vectors were made with; a backend refuses to mix them."""

    embedder: str
    dimension: int
    lexical: str


def signature_of(embedder_name: str, dimension: int, analyzer: str) -> Signature:
    return Signature(embedder_name, dimension, lexical_signature(analyzer))


@dataclass(frozen=True)
class IndexedArticle:
    """An article with everything a backend stores for it: sentences, their analyzed terms
    (space-joined), the whole article's terms, and one unit vector per sentence."""

    prepared: PreparedArticle
    terms: tuple[str, ...]
    article_terms: str
    vectors: np.ndarray

    @property
    def id(self) -> str:
        return self.prepared.article.id

    @property
    def title_terms(self) -> str:
        """The title's part of ``article_terms`` (what SQLite stores; it joins the rest)."""
        return title_part(self.id, self.article_terms, self.terms)


def title_part(article_id: str, article_terms: str, terms: Sequence[str]) -> str:
    """``corpus.prepare.title_terms_of``, for terms that ``terms_of`` joined (else a bug: raised)."""
    title = title_terms_of(article_terms, terms)
    if title is None:
        raise ValueError(f"article {article_id}: its terms do not end with its sentences' terms")
    return title


@dataclass(frozen=True)
class Stats:
    articles: int
    sentences: int
    generation: int


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    facts: dict[str, object] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class BackupReport:
    """What `pasokh backup` copied: the corpus's counts in the copy, the top-level files and
    folders copied and those left out (built again on demand)."""

    destination: Path
    articles: int = 0
    sentences: int = 0
    copied: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    bytes: int = 0
    seconds: float = 0.0


@dataclass
class LostArticle:
    """An article `pasokh repair` could not read whole from a damaged store, and why."""

    id: str
    why: str
    title: str | None = None
    url: str | None = None
    text: str | None = None  # whole, when it could be read: `pasokh ingest` takes the line back


@dataclass
class RepairReport:
    """What `pasokh repair` kept, embedded again and lost, and where the damaged file now is."""

    damage: str | None = None  # the corpus database's, or None when only the bot's log was damaged
    kept_as: Path | None = None
    articles: int = 0
    sentences: int = 0
    embedded: int = 0
    lost: list[LostArticle] = field(default_factory=list)
    lost_list: Path | None = None
    unreadable: dict[str, int] = field(default_factory=dict)  # table: row ids (or id ranges) passed over
    bot_log_damage: str | None = None
    bot_log_kept_as: Path | None = None
    bot_log_questions: int = 0
    seconds: float = 0.0


Derive = Callable[[Article, list[StoredSentence]], tuple[list[str], list[str], str]]
"""``derive(article, sentences) -> (norms, terms, article_terms)``: what a rebuild recomputes."""
COPIES_LIMIT = 40
"""Articles :meth:`DocumentStore.copies` names for one sentence, the newest: a wire story can run
in hundreds of articles, and a citation names only a few of them."""
TITLE_COPIES_LIMIT = 20
"""Same-titled articles whose vectors an ingest may reuse (:meth:`Writable.reusable_vectors`): a
story's copies are few, but a headline like «اخبار» recurs, and missing a copy only costs embedding."""
V = TypeVar("V")


def headline_only(rows: Iterable[tuple[str, int, str, V]], texts: Mapping[str, str]) -> dict[str, V]:
    """Of ``(article id, start, norm, vector)`` rows of a story's same-headlined copies (``texts``:
    those articles' texts), one vector per norm, taken from a copy where the sentence stands under
    no section heading: only there was it embedded as its headline and itself, the text a writer
    asks a reusable vector for (a sentence under a heading is embedded afresh, embeddings/passages.py)."""
    by_article: dict[str, list[tuple[str, int, str, V]]] = {}
    for row in rows:
        by_article.setdefault(row[0], []).append(row)
    out: dict[str, V] = {}
    for article_id, own in by_article.items():
        if (text := texts.get(article_id)) is None:
            continue
        for (_, _, norm, vector), heading in zip(own, headings(text, [start for _, start, _, _ in own]), strict=True):
            if heading is None:
                out.setdefault(norm, vector)
    return out


Embed = Callable[[Article, Sequence[StoredSentence], list[str]], np.ndarray]
"""``embed(article, sentences, norms) -> vectors`` of those sentences of that article, normalized
to ``norms``, in the embedder's passage form (a sentence may be embedded with its article's
headline and its section's heading)."""


class Writer(ABC):
    """The write side, handed out by :meth:`Writable.writing` while the writer lock is held."""

    @abstractmethod
    def stored_hashes(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The content hashes stored now for these articles (absent: not stored). Read under the
        lock, so a worker that embedded a batch sees what other workers committed meanwhile."""

    @abstractmethod
    def put(self, articles: Sequence[IndexedArticle]) -> int:
        """Add or replace articles in one transaction; returns the sentences written."""

    @abstractmethod
    def remove(self, article_ids: Sequence[str]) -> list[str]:
        """Delete articles in one transaction; returns the ids that existed."""


def by_article(sentences: Iterable[StoredSentence], article_ids: Sequence[str]) -> dict[str, list[StoredSentence]]:
    """``sentences`` grouped by article, each group in position order, the articles in the order
    of ``article_ids`` (one without sentences left out): what :meth:`DocumentStore.openings` returns."""
    found: dict[str, list[StoredSentence]] = {}
    for sent in sentences:
        found.setdefault(sent.article_id, []).append(sent)
    return {a: sorted(found[a], key=lambda s: s.position) for a in dict.fromkeys(article_ids) if a in found}


@dataclass(frozen=True)
class Candidates:
    """What a question reads of the corpus once it knows its hits (:meth:`DocumentStore.candidates`)."""

    sentences: dict[int, StoredSentence]  # the hits' sentences
    openings: dict[str, list[StoredSentence]]  # the first sentences of each article asked for
    near: dict[int, StoredSentence]  # the sentences within the width of a hit, not hits themselves
    published: dict[str, float | None]  # publication times of every article above


class DocumentStore(ABC):
    """Articles and their sentences: the text every quote is cut from."""

    @abstractmethod
    def article(self, article_id: str) -> Article | None: ...

    def articles_by_id(self, article_ids: Iterable[str]) -> dict[str, Article]:
        """Several articles by id; one not stored is left out. :meth:`article` for each, which a
        backend whose every read is a round trip answers in one (an answer's three quotes)."""
        found = {a: self.article(a) for a in dict.fromkeys(article_ids)}
        return {a: art for a, art in found.items() if art is not None}

    @abstractmethod
    def article_key(self, article_id: str) -> int | None:
        """A short, stable integer for an article: fits where an id string may not (button data)."""

    @abstractmethod
    def article_by_key(self, key: int) -> Article | None: ...

    @abstractmethod
    def articles(self, offset: int = 0, limit: int = 50) -> list[Article]:
        """A page of articles in id order."""

    @abstractmethod
    def latest(self, limit: int) -> list[Article]:
        """The newest dated articles, newest first."""

    @abstractmethod
    def published_times(self, article_ids: Iterable[str]) -> dict[str, float | None]:
        """Publication times in epoch seconds (None: undated), for recency and time windows."""

    @abstractmethod
    def agencies(self, article_ids: Iterable[str]) -> dict[str, str | None]:
        """Each article's agency in one read: "also ran in" names a dozen articles per quote."""

    @abstractmethod
    def published_before(self, cutoff: float) -> list[str]:
        """Ids of articles published before ``cutoff`` (epoch seconds): what retention removes."""

    @abstractmethod
    def content_hashes(self) -> dict[str, str]: ...

    @abstractmethod
    def copies(self, norms: Iterable[str]) -> dict[str, list[str]]:
        """For each normalized sentence text, the articles that carry it, newest first and at most
        :data:`COPIES_LIMIT`: wire copy run by several outlets."""

    @abstractmethod
    def sentences(self, ids: Iterable[int]) -> dict[int, StoredSentence]: ...

    @abstractmethod
    def sentences_of(self, article_id: str, limit: int = -1) -> list[StoredSentence]: ...

    def openings(self, article_ids: Sequence[str], limit: int) -> dict[str, list[StoredSentence]]:
        """The first ``limit`` sentences of each article, in order; an article not stored is left
        out. :meth:`sentences_of` for several articles, which a backend answers in one read
        (and hands to :func:`by_article`)."""
        return by_article([s for a in dict.fromkeys(article_ids) for s in self.sentences_of(a, limit)], article_ids)

    @abstractmethod
    def sentences_near(self, article_id: str, position: int, width: int) -> list[StoredSentence]: ...

    def sentences_around(self, places: Sequence[tuple[str, int]], width: int) -> dict[tuple[str, int], list[StoredSentence]]:
        """:meth:`sentences_near` for each (article id, position) of ``places``, in position order:
        the context of an answer's quotes, which a backend answers in one read."""
        return {place: self.sentences_near(place[0], place[1], width) for place in dict.fromkeys(places)}

    @abstractmethod
    def neighbours(self, sentences: Iterable[StoredSentence], width: int = 1) -> dict[int, StoredSentence]:
        """The sentences within ``width`` of the given ones, in their articles, not among them."""

    def candidates(self, ids: Iterable[int], article_ids: Sequence[str], limit: int, width: int) -> Candidates:
        """The sentences ``ids``, the first ``limit`` sentences of ``article_ids``, the sentences
        within ``width`` of the first, and when each of those articles was published: all a
        question reads once its searches have spoken, which a backend whose every read is a
        round trip answers in one statement (four reads here)."""
        sentences = self.sentences(ids)
        opened = self.openings(article_ids, limit)
        near = self.neighbours(sentences.values(), width) if width > 0 else {}
        articles = {s.article_id for s in sentences.values()} | {a for a, ss in opened.items() if ss}
        return Candidates(sentences, opened, near, self.published_times(articles))

    @abstractmethod
    def stats(self) -> Stats: ...

    def iter_articles(self, batch: int = 200) -> Iterator[Article]:
        offset = 0
        while page := self.articles(offset, batch):
            yield from page
            offset += batch


class StateStore(ABC):
    """Small named records kept beside the corpus: the backend's own (its schema version, the
    embedder its vectors were made with) and the typed state of the layers above
    (:mod:`retrieval.store.state`: a source's fetch state, the demo seeding)."""

    @abstractmethod
    def get_meta(self, key: str) -> str | None: ...

    @abstractmethod
    def set_meta(self, key: str, value: str) -> None: ...

    @abstractmethod
    def meta_items(self, prefix: str) -> list[tuple[str, str]]:
        """Every (key, value) whose key starts with ``prefix``, in key order."""


class LexicalSearch(ABC):
    """BM25 over sentences and whole articles, and the analyzed terms it matches on."""

    @abstractmethod
    def search_sentences(self, terms: Sequence[str], k: int) -> list[Hit]:
        """BM25 over sentences (FTS5's parameters: k1 1.2, b 0.75)."""

    @abstractmethod
    def search_articles(self, terms: Sequence[str], k: int) -> list[tuple[str, float]]:
        """BM25 over whole articles (title and text)."""

    @abstractmethod
    def frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """How many sentences hold each term; unseen terms are left out."""

    @abstractmethod
    def sentence_count(self) -> int: ...

    def counted_frequencies(self, terms: Iterable[str]) -> tuple[dict[str, int], int]:
        """:meth:`frequencies` and :meth:`sentence_count` together, what a question's idf needs:
        one read where each is a round trip."""
        return self.frequencies(terms), self.sentence_count()

    @abstractmethod
    def terms_of(self, sentence_ids: Iterable[int]) -> dict[int, frozenset[str]]: ...

    @abstractmethod
    def article_terms_of(self, article_id: str) -> frozenset[str]: ...


class VectorSearch(ABC):
    """The sentences nearest a question in meaning."""

    @abstractmethod
    def search_dense(self, vector: np.ndarray, k: int) -> list[Hit]:
        """Inner product with the stored unit vectors."""

    def nearest(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`search_dense` as (ids, scores) arrays, best first. A search that goes deep
        through wire copy keeps a few dozen of the hundreds it reads, so a backend that has
        arrays already (FAISS) hands them over and only the kept become :class:`Hit` objects."""
        hits = self.search_dense(vector, k)
        return (
            np.fromiter((h.sentence_id for h in hits), dtype=np.int64, count=len(hits)),
            np.fromiter((h.score for h in hits), dtype=np.float64, count=len(hits)),
        )

    def nearest_distinct(self, vector: np.ndarray, depth: int, copies: int) -> tuple[np.ndarray, np.ndarray] | None:
        """The first sentence of each of the ``depth`` nearest *distinct* vectors and ``copies``
        more of their sentences (the nearest vectors' first), as (ids, scores) arrays best
        first, each vector's sentences together, from an index that holds each distinct vector once
        (PostgreSQL's). None from one that holds a vector per sentence (FAISS, which scans copies
        cheaply): the caller then finds distinct vectors by searching deeper."""
        return None


class Lifecycle(ABC):
    """Opening, following other processes' commits, closing."""

    @abstractmethod
    def open(self) -> None:
        """Check the stored signature and load what searching needs; an empty store is ready."""

    @abstractmethod
    def refresh(self) -> bool:
        """Pick up other processes' commits; True when something changed."""

    @abstractmethod
    def generation(self) -> int:
        """Moves on every commit: how readers know to :meth:`refresh`."""

    @abstractmethod
    def close(self) -> None: ...

    @abstractmethod
    def describe(self) -> dict[str, object]:
        """Where the data lives and what the vector index is, for `pasokh index`."""


class Writable(ABC):
    concurrent_writers: bool = False
    """True when several processes may write at once, each holding the lock only to commit a
    batch (a database's advisory lock); False when one writer keeps the store for its whole run
    (a data directory's files). Ingest embeds outside the lock either way."""

    @abstractmethod
    def writing(self) -> AbstractContextManager[Writer]:
        """Hold the writer lock (waiting for it, or refusing at once, as the backend does) and
        check that the stored vectors were made by this embedder."""

    @abstractmethod
    def reusable_vectors(self, norms: Iterable[str], title: str | None = None) -> dict[str, np.ndarray]:
        """Stored vectors of sentences with these normalized texts: an unchanged sentence of an
        edited article, or wire copy another outlet ran, is never embedded twice. A read: no
        lock is needed, since a vector depends only on what was embedded and the embedder.
        With ``title`` (an embedder that embeds each sentence with its headline), only copies in
        articles of exactly that title, where they stand under no section heading
        (:func:`headline_only`): the same sentence under another headline, or under a subhead,
        was embedded as another text. Copies are looked for in a bounded number of same-titled
        articles."""


class Maintainable(ABC):
    """What `pasokh index` and `pasokh migrate` do to a store."""

    @abstractmethod
    def export(self, batch: int = 200) -> Iterator[list[IndexedArticle]]:
        """Every article with its stored terms and vectors, in id order (what a migration copies)."""

    @abstractmethod
    def check(self) -> CheckReport:
        """Same sentences in the store, the lexical index and the vector index; every problem names its fix."""

    @abstractmethod
    def rebuild(self, derive: Derive, embed: Embed | None, progress: RebuildProgress | None = None) -> tuple[int, int]:
        """Recompute normalized text and terms for every stored sentence (re-embedding with ``embed``
        when given), then rebuild the vector index: (sentences, embedded)."""

    def compact(self) -> bool:
        """Fold changes since the last saved vector index into a new one; False when the backend
        keeps nothing to fold (a database index maintains itself)."""
        return False

    def upgrade(self) -> list[int]:
        """Bring the stored schema up to this version; returns the versions applied (none: current)."""
        return []

    def backup(self, destination: Path, wait: float = 0.0) -> BackupReport:
        """A whole copy of the store in a new folder ``destination``, made while it serves
        (waiting up to ``wait`` seconds for a running ingest); a store kept by a database
        server is backed up by that server's tools, and says which."""
        raise BackupError("this store is backed up by its database's own tools, not by pasokh")


class Backend(Lifecycle, DocumentStore, StateStore, LexicalSearch, VectorSearch, Writable, Maintainable, ABC):
    """Every capability in one object: what a backend module's ``open_backend`` returns."""

    name: str = ""
