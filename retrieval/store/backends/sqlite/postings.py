"""Sentence BM25 from posting arrays: the scores FTS5's ``bm25()`` gives, at a cost bounded by the
postings of the terms searched.

FTS5 calls its bm25 function once per matching row, about a microsecond each, so a question
whose terms match 10,000 sentences (the lexical budget) spends 10 ms there at a million
sentences. The same sum over numpy arrays of (sentence, term frequency) per term costs a
fraction of a millisecond, and its cost follows the postings the question touches, not the
corpus. FTS5 stays the source of truth (it is what ``rebuild`` fills and ``check`` compares);
these arrays are derived from it at each compaction, like the FAISS base, and a reader applies
what changed since as a small in-memory part plus removed sentences (see faiss_index).

Tokens are FTS5's: ``unicode61`` with ``remove_diacritics 0`` splits on every character that is
not a letter, a number or private-use, and folds case. A query term it would split into a
phrase («نروژی-آمریکا») is left to FTS5, so scores match it exactly.
"""

from __future__ import annotations

import json
import mmap
import re
import struct
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrieval.records import Hit
from retrieval.store import bm25

MAGIC = b"PASOKHP1"
_TOKEN = re.compile(r"(?:[^\W_]|[\ue000-\uf8ff])+")
_ALIGN = 64


def tokens(terms: str) -> list[str]:
    """What FTS5's unicode61 tokenizer makes of an indexed terms string."""
    return _TOKEN.findall(terms.lower())


def searchable(term: str) -> bool:
    """A query term these arrays score as FTS5 would: one token, as written."""
    return tokens(term) == [term]


@dataclass(frozen=True)
class Postings:
    """Per token, the documents holding it (ascending) and how often; per document, its length.
    A document is a sentence (its id) or a whole article (its rowid).

    ``docs`` index ``ids``/``lengths``; ``offsets[t]:offsets[t+1]`` is token ``t``'s slice."""

    vocab: dict[str, int]
    offsets: np.ndarray  # int64, len(vocab) + 1
    docs: np.ndarray  # int32
    tfs: np.ndarray  # uint16
    ids: np.ndarray  # int64, ascending
    lengths: np.ndarray  # int32

    @property
    def size(self) -> int:
        return len(self.ids)

    def slice(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        row = self.vocab.get(term)
        if row is None:
            return _NO_DOCS, _NO_TFS
        a, b = int(self.offsets[row]), int(self.offsets[row + 1])
        return self.docs[a:b], self.tfs[a:b]


_NO_DOCS = np.zeros(0, dtype=np.int32)
_NO_TFS = np.zeros(0, dtype=np.uint16)


def empty() -> Postings:
    return Postings({}, np.zeros(1, dtype=np.int64), _NO_DOCS, _NO_TFS, np.zeros(0, np.int64), np.zeros(0, np.int32))


BUILD_CHUNK = 8192  # rows tokenized as one string
_ROW = "\x00"
_KEEPS: dict[int, bool] = {}  # code point -> whether unicode61 keeps it inside a token


BUILD_PART = 100_000_000  # characters of terms counted at once (about 17 bytes each meanwhile)


def build(rows: Iterable[tuple[int, str]], chunk: int = BUILD_CHUNK, part: int = BUILD_PART) -> Postings:
    """Postings of (document id, indexed terms) rows, ids ascending.

    Rows are tokenized a chunk at a time as one string (see ``_chunk_tokens``) and counted with
    numpy, not per row: a reader applies the terms written since the last compaction (up to 2%
    of the corpus) at every start, and this took that from 0.28 to 0.11 s for 18,000 sentences
    at 1M (and as much again for the articles they came in). Counting holds every token of its
    rows in int64 arrays, so rows are counted in parts of about ``part`` characters and the parts
    combined (:func:`combine`): a first build or a rebuild at 10M held all 10M sentences' tokens
    at once, 12.8 GB for 828 MB of postings; in parts it peaks at 3.2 GB and takes 159 s instead
    of 118 (each combine copies what is built so far; smaller parts cost more copies: 30M
    characters, 2.2 GB and 200 s). The arrays are exactly :func:`build_by_row`'s either way."""
    out: Postings | None = None
    for piece in _parts(rows, part):
        built = _build_part(piece, chunk)
        if out is not None and out.size and built.size and built.ids[0] <= out.ids[-1]:
            raise ValueError("postings rows must come in ascending id order")  # a caller's bug
        out = built if out is None else combine(out, None, built)
    return out if out is not None else _build_part([], chunk)


def _parts(rows: Iterable[tuple[int, str]], chars: int) -> Iterator[list[tuple[int, str]]]:
    """The rows in runs of at least one row and at most about ``chars`` characters of text."""
    part: list[tuple[int, str]] = []
    held = 0
    for row in rows:
        if part and held + len(row[1]) > chars:
            yield part
            part, held = [], 0
        part.append(row)
        held += len(row[1])
    if part:
        yield part


def _build_part(rows: Sequence[tuple[int, str]], chunk: int) -> Postings:
    index: dict[str, int] = {}
    ids: list[int] = []
    terms: list[np.ndarray] = []
    docs: list[np.ndarray] = []
    for start in range(0, len(rows), chunk):  # a part is in memory already: chunks are slices of it
        part = rows[start : start + chunk]
        first = len(ids)
        ids += [sid for sid, _ in part]
        term, doc = _chunk_tokens([text for _, text in part], index)
        terms.append(term)
        docs.append(doc + first)
    n = len(ids)
    id_array = np.asarray(ids, dtype=np.int64)
    if n > 1 and not (np.diff(id_array) > 0).all():
        raise ValueError("postings rows must come in ascending id order")  # a caller's bug
    term = np.concatenate(terms) if terms else np.zeros(0, np.int64)
    doc = np.concatenate(docs) if docs else np.zeros(0, np.int64)
    pairs, counts = np.unique(term * max(n, 1) + doc, return_counts=True)  # by token, then document
    offsets = np.zeros(len(index) + 1, dtype=np.int64)
    np.cumsum(np.bincount(pairs // max(n, 1), minlength=len(index)), out=offsets[1:])
    return Postings(
        index,
        offsets,
        (pairs % max(n, 1)).astype(np.int32),
        np.minimum(counts, 65535).astype(np.uint16),
        id_array,
        np.bincount(doc, minlength=n).astype(np.int32),
    )


def _chunk_tokens(texts: Sequence[str], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """(token number, row within ``texts``) of every token of every text, numbering new tokens
    in ``index`` in order of first appearance.

    The texts are joined by a NUL between spaces and lower-cased once. As an array of code
    points, every character the tokenizer does not keep becomes a space (decided once per
    distinct character, with the tokenizer's own pattern), so one ``split`` gives the tokens and
    the rows' ends. (``str.translate`` does the same at a third of the speed on Persian text.)
    Texts that themselves hold a NUL are tokenized row by row."""
    if any(_ROW in t for t in texts):
        found = [tok for t in texts for tok in (*tokens(t), _ROW)]
    else:
        blob = (f" {_ROW} ".join(texts) + f" {_ROW}").lower()
        points = np.frombuffer(blob.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        seen = np.bincount(points)
        dropped = np.zeros(len(seen), dtype=bool)
        for cp in np.flatnonzero(seen).tolist():
            keep = _KEEPS.get(cp)
            if keep is None:
                keep = _KEEPS[cp] = _TOKEN.fullmatch(chr(cp)) is not None
            dropped[cp] = cp != 0 and not keep
        spaced = np.where(dropped[points], np.uint32(32), points)
        found = spaced.tobytes().decode("utf-32-le", "surrogatepass").split()
    for tok in dict.fromkeys(found):
        if tok != _ROW and tok not in index:
            index[tok] = len(index)
    index[_ROW] = -1
    try:
        codes = np.fromiter(map(index.__getitem__, found), dtype=np.int64, count=len(found))
    finally:
        del index[_ROW]
    ends = codes == -1
    return codes[~ends], np.cumsum(ends)[~ends]  # a token's row: the end markers before it


def build_by_row(rows: Iterable[tuple[int, str]]) -> Postings:
    """The reference :func:`build` is checked against: one row at a time, a Counter each."""
    vocab: dict[str, int] = {}
    ids: list[int] = []
    lengths: list[int] = []
    p_term: list[int] = []
    p_doc: list[int] = []
    p_tf: list[int] = []
    for doc, (sid, text) in enumerate(rows):
        toks = tokens(text)
        ids.append(sid)
        lengths.append(len(toks))
        for tok, n in Counter(toks).items():
            p_term.append(vocab.setdefault(tok, len(vocab)))
            p_doc.append(doc)
            p_tf.append(min(n, 65535))
    term = np.asarray(p_term, dtype=np.int64)
    order = np.argsort(term, kind="stable")  # by token; sentences stay ascending within one
    offsets = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(np.bincount(term, minlength=len(vocab)), out=offsets[1:])
    id_array = np.asarray(ids, dtype=np.int64)
    if len(id_array) > 1 and not (np.diff(id_array) > 0).all():
        raise ValueError("postings rows must come in ascending id order")  # a caller's bug
    return Postings(
        vocab,
        offsets,
        np.asarray(p_doc, dtype=np.int32)[order],
        np.asarray(p_tf, dtype=np.uint16)[order],
        id_array,
        np.asarray(lengths, dtype=np.int32),
    )


def combine(a: Postings, a_live: np.ndarray | None, b: Postings) -> Postings:
    """``a`` without its dead documents, then ``b`` (none of whose ids is live in ``a``): a
    compaction folds a small delta into a large base without re-reading the base's text, and
    with a few copying passes over its arrays (``b``'s postings are inserted at the end of
    their token's block; tokens new to ``a`` follow all of its own)."""
    if a_live is not None and not a_live.all():
        a = _without(a, a_live)
    vocab = dict(a.vocab)
    b_map = np.fromiter((vocab.setdefault(t, len(vocab)) for t in b.vocab), dtype=np.int64, count=len(b.vocab))
    size = len(vocab)
    b_term = b_map[np.repeat(np.arange(len(b.vocab), dtype=np.int64), np.diff(b.offsets))]
    order = np.lexsort((b.docs, b_term))
    b_term, b_docs, b_tfs = b_term[order], (b.docs[order].astype(np.int64) + a.size).astype(np.int32), b.tfs[order]
    a_offsets = np.concatenate([a.offsets, np.full(size - len(a.vocab), a.offsets[-1], dtype=np.int64)])
    at = a_offsets[b_term + 1]  # before the next token's first posting: after this token's own
    offsets = a_offsets + np.concatenate([[0], np.cumsum(np.bincount(b_term, minlength=size))])
    return Postings(
        vocab,
        offsets.astype(np.int64),
        np.insert(np.asarray(a.docs), at, b_docs).astype(np.int32, copy=False),
        np.insert(np.asarray(a.tfs), at, b_tfs).astype(np.uint16, copy=False),
        np.concatenate([a.ids, b.ids]),
        np.concatenate([a.lengths, b.lengths]).astype(np.int32),
    )


def _without(a: Postings, live: np.ndarray) -> Postings:
    """``a`` with only its ``live`` documents, renumbered (their order kept)."""
    keep = live[a.docs]
    renumber = np.cumsum(live, dtype=np.int64) - 1
    kept_before = np.concatenate([[0], np.cumsum(keep, dtype=np.int64)])
    return Postings(
        a.vocab,
        kept_before[a.offsets],
        renumber[a.docs[keep]].astype(np.int32),
        a.tfs[keep],
        a.ids[live],
        a.lengths[live],
    )


# ---- on disk --------------------------------------------------------------------------
_ARRAYS = ("offsets", "docs", "tfs", "ids", "lengths")


def encode(sections: dict[str, Postings]) -> Iterator[bytes | memoryview]:
    """One file, in the pieces to write one after another (the arrays as views of themselves,
    not copies): magic, header length, a JSON header (per named section, the vocabulary in token
    order and where each array starts), then the arrays, aligned so a reader maps them in place."""
    header: dict[str, object] = {}
    arrays: list[np.ndarray] = []
    pos = 0
    for name, p in sections.items():
        layout: dict[str, list[object]] = {}
        for field_name in _ARRAYS:
            arr = np.ascontiguousarray(getattr(p, field_name))
            layout[field_name] = [arr.dtype.str, len(arr), pos]
            arrays.append(arr)
            pos += -(-arr.nbytes // _ALIGN) * _ALIGN
        header[name] = {"vocab": sorted(p.vocab, key=p.vocab.__getitem__), "arrays": layout}
    raw = json.dumps(header, ensure_ascii=False).encode("utf-8")
    head = MAGIC + struct.pack("<Q", len(raw)) + raw
    yield head + b"\0" * (-len(head) % _ALIGN)
    for arr in arrays:
        yield memoryview(arr).cast("B")
        yield b"\0" * (-arr.nbytes % _ALIGN)


def load(path: Path) -> dict[str, Postings]:
    """Map a file :func:`encode` wrote; ValueError when it is not one (truncated, garbage)."""
    with path.open("rb") as fh:
        try:
            mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError as exc:  # an empty file
            raise ValueError("empty") from exc
    if mapped[: len(MAGIC)] != MAGIC:
        raise ValueError("not a postings file")
    (length,) = struct.unpack_from("<Q", mapped, len(MAGIC))
    start = len(MAGIC) + 8
    try:
        header = json.loads(bytes(mapped[start : start + length]).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"damaged header ({exc})") from exc
    base = start + length + (-(start + length) % _ALIGN)
    sections = {}
    for name, section in header.items():
        out: dict[str, np.ndarray] = {}
        for field_name in _ARRAYS:
            dtype, count, pos = section["arrays"][field_name]
            arr_dtype = np.dtype(dtype)
            if base + pos + count * arr_dtype.itemsize > len(mapped):
                raise ValueError("truncated")
            out[field_name] = np.frombuffer(mapped, dtype=arr_dtype, count=count, offset=base + pos)
        vocab = {t: i for i, t in enumerate(section["vocab"])}
        if len(out["offsets"]) != len(vocab) + 1 or len(out["ids"]) != len(out["lengths"]):
            raise ValueError("arrays do not match the header")
        sections[name] = Postings(vocab, **out)
    return sections


# ---- what a reader serves ----------------------------------------------------------------
@dataclass(frozen=True)
class LexicalView:
    """A base (from the compaction that made it), the parts added since, and which of their
    documents are gone; never mutated, replaced whole like the vector snapshot."""

    parts: tuple[tuple[Postings, np.ndarray], ...]  # (postings, live mask)
    docs: int
    tokens: int

    @classmethod
    def over(cls, base: Postings) -> LexicalView:
        live = np.ones(base.size, dtype=bool)
        return cls(((base, live),), base.size, int(base.lengths.sum(dtype=np.int64)))

    def joined(self, part: Postings) -> LexicalView:
        """With ``part``'s documents added as they are: postings built before, such as those a
        writer saved for what came after the base (none of their ids may be live here)."""
        live = np.ones(part.size, dtype=bool)
        tokens = self.tokens + int(part.lengths.sum(dtype=np.int64))
        return LexicalView((*self.parts, (part, live)), self.docs + part.size, tokens)

    def advanced(self, rows: Sequence[tuple[int, str]], gone: Iterable[int]) -> LexicalView:
        """With the ``gone`` ids removed and new (id, terms) rows added (a changed article is
        both: its old terms go, its new ones come)."""
        gone_ids = np.fromiter(gone, dtype=np.int64)
        docs, toks = self.docs, self.tokens
        parts = []
        for postings, live in self.parts:
            if len(gone_ids):
                hit = np.isin(postings.ids, gone_ids) & live
                if hit.any():
                    docs -= int(hit.sum())
                    toks -= int(postings.lengths[hit].sum(dtype=np.int64))
                    live = live & ~hit
            parts.append((postings, live))
        if rows:
            added = build(rows)
            parts.append((added, np.ones(added.size, dtype=bool)))
            docs += added.size
            toks += int(added.lengths.sum(dtype=np.int64))
        if len(parts) > 8:  # many small refreshes: fold all but the base into one part
            merged, live = parts[1]
            for postings, more in parts[2:]:
                merged = combine(merged, live, postings)
                live = np.concatenate([np.ones(merged.size - postings.size, dtype=bool), more])
            parts = [parts[0], (merged, live)]
        return LexicalView(tuple(parts), docs, toks)

    def frequency(self, term: str) -> int | None:
        """How many live documents hold ``term`` (what fts5vocab's ``doc`` counts by reading the
        term's whole posting list); None for a term FTS5 would read as a phrase."""
        if not searchable(term):
            return None
        found = 0
        for postings, live in self.parts:
            docs, _ = postings.slice(term)
            found += int(np.count_nonzero(live[docs]))
        return found

    def search(self, terms: Sequence[str], k: int) -> list[Hit] | None:
        """FTS5's ``bm25()`` ranking of sentences holding any of ``terms``, best first, ties by
        id; None when a term is one FTS5 would read as a phrase (the caller asks FTS5)."""
        unique = list(dict.fromkeys(t for t in terms if t))
        if not all(searchable(t) for t in unique):
            return None
        if not unique or self.docs == 0 or k <= 0:
            return []
        avgdl = self.tokens / self.docs
        found_ids: list[np.ndarray] = []
        found_scores: list[np.ndarray] = []
        for term in unique:
            sliced = []
            for postings, live in self.parts:
                docs, tfs = postings.slice(term)
                if len(docs):
                    keep = live[docs]
                    if not keep.all():
                        docs, tfs = docs[keep], tfs[keep]
                    sliced.append((postings, docs, tfs))
            hits = sum(len(d) for _, d, _ in sliced)
            if not hits:
                continue
            weight = bm25.idf(self.docs, hits)
            for postings, docs, tfs in sliced:
                found_ids.append(postings.ids[docs])
                found_scores.append(bm25.scores(weight, tfs, postings.lengths[docs], avgdl))
        return bm25.best(found_ids, found_scores, k)
