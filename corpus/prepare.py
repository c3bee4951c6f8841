"""Raw file text → a cleaned, split, fingerprinted article: the corpus layer's one pipeline."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence

from corpus.clean import drop_repeats, story_lines
from corpus.controls import shown_field, without_controls
from corpus.errors import SkippedFile
from corpus.metadata import Metadata, extract, relayed, shorten
from corpus.normalize import NORMALIZATION_VERSION, analyze, normalize, remembering
from corpus.read import LONE_SURROGATE, RawArticle
from corpus.records import Article, PreparedArticle, Sentence
from corpus.split import SPLITTING_VERSION, SPLITTING_VERSIONS, spans

PARAGRAPH_SEP = "\n\n"
# what a prepared article depends on besides its text: part of its content hash, so a newer
# normalization or splitter writes it again, and of every derived corpus's key (evaluation)
PREPARE_VERSIONS = (NORMALIZATION_VERSION, SPLITTING_VERSION)
# every PREPARE_VERSIONS a stored article can have been hashed with, newest first (the oldest
# articles were hashed before the splitter had a version)
PREPARED_EVER = (*((NORMALIZATION_VERSION, v) for v in reversed(SPLITTING_VERSIONS)), (NORMALIZATION_VERSION,))


def prepare(raw: RawArticle) -> PreparedArticle:
    """Clean and split one article; raises :class:`SkippedFile` when nothing quotable is left."""
    with remembering():
        return _prepare(raw)


def _prepare(raw: RawArticle) -> PreparedArticle:
    fields = (raw.text, raw.title, raw.agency, raw.fallback_agency, raw.published, raw.url)
    if any(LONE_SURROGATE.search(part or "") for part in fields):
        # the readers refuse these (a JSONL "\ud800"); a raw article made any other way stops here,
        # before its content hash or the store fails on text that cannot be written as UTF-8
        raise SkippedFile(raw.origin, "holds characters that are not text (lone surrogates such as \\ud800)")
    if any("\x00" in (part or "") for part in fields):  # a damaged file's: quoted, it would travel in every answer
        raise SkippedFile(raw.origin, "holds a NUL character, which no text has (a damaged file or cell?)")
    raw = _as_shown(raw)
    paras = story_lines(raw.text, boilerplate=raw.boilerplate)
    meta = extract(paras, title=raw.title)
    body = drop_repeats(meta.body, already=tuple(t for t in (meta.title, meta.kicker) if t))
    if not body:
        reason = "has only site chrome and no article text" if paras else "has no text"
        raise SkippedFile(raw.origin, reason)

    starts, pos = [], 0
    for para in body:
        starts.append(pos)
        pos += len(para) + len(PARAGRAPH_SEP)
    text = PARAGRAPH_SEP.join(body)
    title = meta.title or shorten(body[0])  # a story of one paragraph: its opening words, cut at a word
    article = Article(
        id=raw.id,
        title=title,
        text=text,
        agency=_agency(raw, meta),
        published=raw.published or meta.published,
        news_code=meta.news_code or raw.news_code,
        url=raw.url,
        kicker=meta.kicker or raw.kicker,
        origin=raw.origin,
    )
    sentences = tuple(
        Sentence(article_id=raw.id, position=i, start=s, end=e, text=text[s:e], norm=normalize(text[s:e]))
        for i, (s, e) in enumerate(spans(text, starts))
    )
    if not sentences:
        raise SkippedFile(raw.origin, "has no sentences")
    return PreparedArticle(article=article, sentences=sentences, content_hash=content_hash(article))


NAMED_FIELDS = ("title", "agency", "fallback_agency", "relayed_by", "kicker", "news_code")


def _as_shown(raw: RawArticle) -> RawArticle:
    """``raw`` without the control codes a reader of the source never saw, and without the named
    fields that hold nothing to read (:mod:`corpus.controls`)."""
    text = without_controls(raw.text)
    named = {name: getattr(raw, name) for name in NAMED_FIELDS}
    shown = {name: shown_field(value) for name, value in named.items()}
    if text is raw.text and all(shown[name] is named[name] for name in NAMED_FIELDS):
        return raw
    return dataclasses.replace(raw, text=text, **shown)


def content_hash(article: Article, versions: Sequence[str] | None = None) -> str:
    """What an article was stored as, fingerprinted with the versions that prepared it: an
    ingest skips an article whose hash is unchanged, and a repair proves with it that the text it
    put together again from a damaged database is the text that was stored. ``versions``: the
    preparation's (PREPARE_VERSIONS) unless told which."""
    digest = hashlib.sha256()
    for part in (
        *(PREPARE_VERSIONS if versions is None else versions),
        article.title,
        article.agency,
        article.published,
        article.url,
        article.kicker,
        article.text,
    ):
        digest.update((part or "").encode("utf-8") + b"\x00")
    return digest.hexdigest()


def stored_as(article: Article, fingerprint: str) -> bool:
    """Whether ``article`` is what was stored under ``fingerprint`` by this Pasokh or an earlier one."""
    return any(content_hash(article, versions) == fingerprint for versions in PREPARED_EVER)


def terms_of(article: Article, norms: Sequence[str], analyzer: str) -> tuple[list[str], str]:
    """Each sentence's lexical terms and the whole article's (its title's plus its sentences'),
    analyzing each sentence once, so ingest and rebuild agree and a huge article is never
    normalized as one string."""
    sentence_terms = [" ".join(analyze(norm, analyzer)) for norm in norms]  # type: ignore[arg-type]
    title = " ".join(analyze(normalize(article.title), analyzer))  # type: ignore[arg-type]
    return sentence_terms, " ".join([title, *sentence_terms])


def title_terms_of(article_terms: str, sentence_terms: Sequence[str]) -> str | None:
    """The title's part of ``terms_of``'s whole-article terms, or None when they do not end with
    these sentence terms: a store keeps only this part and joins the rest from its sentences."""
    tail = "".join(" " + t for t in sentence_terms)
    if not article_terms.endswith(tail):
        return None
    return article_terms[: len(article_terms) - len(tail)]


def _agency(raw: RawArticle, meta: Metadata) -> str | None:
    """Who the citation names: a page's line stating the agency («منبع: مهر») before the outlet
    of the page's domain, since a section republishing others' news is on the outlet's domain;
    a record's own agency (a JSONL field, a channel and what it forwarded) before anything the
    text says; then a credit the body implies («به گزارش …»), then the source's name. A channel's
    post that states another outlet as its source, on a line of its own («منبع: ایرنا», «/ایرنا»)
    or as its words open («تسنیم : ترامپ …», «به گزارش ایسنا، …»), is that outlet's words:
    «ایرنا (بازنشر در …)», as a forward is."""
    if meta.agency_stated and not raw.structured:
        return meta.agency
    if meta.agency and raw.relayed_by and meta.agency != raw.relayed_by:
        return relayed(meta.agency, raw.relayed_by)
    return raw.agency or meta.agency or raw.fallback_agency
