"""Evaluation datasets: our JSONL and SQuAD v2 JSON (PQuAD, PersianQA, ParSQuAD), read into one shape.

SQuAD contexts become a corpus of their own (one article per paragraph, titled by its
entry), so an evaluation never touches the user's articles.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from corpus.read import RawArticle

TITLES_VERSION = "2"  # how a passage's title is read from its address: part of the corpus's key
_SCRIPT = re.compile(r"\.(?:php\d?|aspx?|jsp|cgi)$", re.IGNORECASE)
_PAGE = re.compile(r"\.(?:s?html?)$", re.IGNORECASE)
_SLUG = re.compile(r"[-+\s]+")
_WIKI = re.compile(r"[_\s]+")
_LETTER = re.compile(r"[^\W\d_]")
_ID = re.compile(r"\d{5,}")  # a post's number: a year or a count is shorter


class DatasetError(ValueError):
    """An evaluation file that is neither our JSONL nor SQuAD v2; the message names the file and place."""


@dataclass(frozen=True)
class EvalItem:
    """``article`` None means the right behaviour is to abstain; ``answers`` empty means no gold span."""

    question: str
    article: str | None
    answers: tuple[str, ...]
    group: str = ""
    impossible: bool = False


@dataclass(frozen=True)
class Dataset:
    name: str
    items: tuple[EvalItem, ...]
    articles: tuple[RawArticle, ...] = ()
    digest: str = ""
    splittable: bool = False  # SQuAD-style: --split halves it by title; others come split by their authors

    @property
    def has_corpus(self) -> bool:
        return bool(self.articles)


def load_dataset(path: Path) -> Dataset:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DatasetError(f"{path}: cannot be read ({exc.strerror})") from exc
    digest = hashlib.sha256(raw).hexdigest()[:16]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DatasetError(f"{path}: not UTF-8 (bad byte at offset {exc.start}); evaluation files must be UTF-8") from exc
    if path.suffix.lower() == ".jsonl":
        records = list(_jsonl_records(path, text))
        if records and all("passage" in rec for _, rec in records):
            items, articles = _passages(path, records)
            titled = hashlib.sha256(f"{digest} titles {TITLES_VERSION}".encode()).hexdigest()[:16]
            return Dataset(path.stem, tuple(items), tuple(articles), titled)
        return Dataset(path.stem, tuple(_jsonl_items(path, records)), digest=digest)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DatasetError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    except RecursionError:
        raise DatasetError(f"{path}: not usable JSON (nested too deeply)") from None
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise DatasetError(f"{path}: expected SQuAD v2 JSON with a top-level 'data' list, or a .jsonl file")
    items, articles = _squad(path, data)
    return Dataset(path.stem, tuple(items), tuple(articles), digest, splittable=True)


def _jsonl_records(path: Path, text: str) -> Iterable[tuple[int, dict]]:
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DatasetError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from exc
        except RecursionError:
            raise DatasetError(f"{path}:{lineno}: not usable JSON (nested too deeply)") from None
        if not isinstance(rec, dict) or not isinstance(rec.get("question"), str):
            raise DatasetError(f"{path}:{lineno}: each line needs a 'question' string")
        yield lineno, rec


def _passages(path: Path, records: list[tuple[int, dict]]) -> tuple[list[EvalItem], list[RawArticle]]:
    """ParsiNLU reading comprehension: each line a question, its passage, and ``[offset, text]`` answers.
    Each distinct passage becomes an article, titled by its address (:func:`title_from_url`)."""
    items: list[EvalItem] = []
    articles: dict[str, RawArticle] = {}
    for lineno, rec in records:
        passage = rec.get("passage")
        if not isinstance(passage, str) or not passage.strip():
            raise DatasetError(f"{path}:{lineno}: 'passage' must be non-empty text")
        raw_answers = rec.get("answers") or []
        try:
            answers = tuple(dict.fromkeys(str(a[1]) if isinstance(a, list) else str(a) for a in raw_answers))
        except IndexError:
            raise DatasetError(f"{path}:{lineno}: 'answers' must be [offset, text] pairs or strings") from None
        art_id = "pn" + hashlib.sha256(passage.encode("utf-8")).hexdigest()[:12]
        if art_id not in articles:
            title = title_from_url(str(rec.get("url") or ""))
            articles[art_id] = RawArticle(id=art_id, text=passage, origin=f"{path}:{lineno}", title=title, structured=True)
        items.append(EvalItem(rec["question"], art_id, answers, group=art_id, impossible=not answers))
    return items, list(articles.values())


def title_from_url(url: str) -> str:
    """The words a page's address names it by, as its title: ParsiNLU gives each passage only
    the address it came from. A wiki writes «تخت_جمشید», a blog «فرایند-تولید-شیر-در-بدن-مادران»,
    a script «index.php?page=آلودگی+آبهای+زیرزمینی»; all give their words, spaced. A number
    of five digits or more in front is the post's id («175388-نماد-سرکه…»; «…-سال-98» keeps its
    year); one at the end follows a section's name, not the page's («business-53345163»,
    «iran-features-53024608»), and that address, like one without a letter («…/post/6»), gives no
    title: the article is then headed by its opening, as any untitled article is
    (:func:`corpus.prepare.prepare`), never by a code or a section. So does an address that is
    not one («http://[::1», percent-escapes that are not UTF-8)."""
    try:
        parts = urlsplit(url.strip())
        segment = unquote(parts.path.rstrip("/").rsplit("/", 1)[-1], errors="strict")
    except ValueError:  # an unclosed «[», or escapes that are not UTF-8 (a UnicodeDecodeError)
        return ""
    if _SCRIPT.search(segment):  # the page is named by what the script is asked for
        values = [v for _, v in parse_qsl(parts.query) if _LETTER.search(v)]
        segment = max(values, key=len, default="")
    segment = _PAGE.sub("", segment)
    words = (_WIKI if "_" in segment else _SLUG).split(segment)
    words = [w for w in words if w]
    while words and _ID.fullmatch(words[0]):
        words.pop(0)
    if words and _ID.fullmatch(words[-1]):
        return ""
    title = " ".join(words)
    return title if _LETTER.search(title) else ""


def _jsonl_items(path: Path, records: list[tuple[int, dict]]) -> Iterable[EvalItem]:
    for lineno, rec in records:
        answers = rec.get("answers") or []
        if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
            raise DatasetError(f"{path}:{lineno}: 'answers' must be a list of strings")
        article = rec.get("article")
        yield EvalItem(rec["question"], str(article) if article is not None else None, tuple(answers), group=path.stem)


def _squad(path: Path, data: dict) -> tuple[list[EvalItem], list[RawArticle]]:
    items: list[EvalItem] = []
    articles: list[RawArticle] = []
    for e, entry in enumerate(data["data"]):
        title = str(entry.get("title") or f"entry {e}")
        for p, para in enumerate(entry.get("paragraphs", [])):
            context = para.get("context")
            if not isinstance(context, str) or not context.strip():
                raise DatasetError(f"{path}: data[{e}].paragraphs[{p}] has no 'context'")
            art_id = f"sq{e:04d}_{p:03d}"
            articles.append(RawArticle(id=art_id, text=context, origin=f"{path}#{art_id}", title=title, structured=True))
            for qa in para.get("qas", []):
                answers = tuple(dict.fromkeys(a["text"] for a in qa.get("answers", []) if a.get("text")))
                impossible = bool(qa.get("is_impossible")) or not answers
                items.append(EvalItem(qa["question"], art_id, () if impossible else answers, group=title, impossible=impossible))
    return items, articles


def split(items: Iterable[EvalItem], part: str, seed: int = 0) -> list[EvalItem]:
    """Held-out discipline: a fixed half of the *groups* (Wikipedia titles) is dev, the rest test."""
    items = list(items)
    if part == "all":
        return items
    groups = sorted({i.group for i in items})
    random.Random(seed).shuffle(groups)
    dev = set(groups[: len(groups) // 2])
    return [i for i in items if (i.group in dev) == (part == "dev")]


def about_part(items: Iterable[EvalItem], dataset: Dataset, part: str) -> list[EvalItem]:
    """Questions of our own about ``dataset``'s paragraphs (our JSONL, read by :func:`load_dataset`),
    each given its paragraph's group so :func:`split` places it with that paragraph: all must be
    about paragraphs of ``part`` (a set trained on PQuAD's dev half must not reach the test half
    it is measured on), whose text holds one of the question's answers. A DatasetError names
    every question that is not."""
    from corpus.normalize import contains_answer

    groups = {i.article: i.group for i in split(dataset.items, part) if i.article}
    texts = {a.id: a.text for a in dataset.articles}
    items = list(items)
    outside = [i.question for i in items if i.article not in groups]
    unanswered = [i.question for i in items if i.article in groups and not contains_answer(texts[i.article], i.answers)]
    if outside or unanswered:
        raise DatasetError(
            f"{dataset.name}: about no paragraph of its {part} half: {outside}; no answer in its paragraph: {unanswered}"
        )
    return [dataclasses.replace(i, group=groups[i.article]) for i in items]


def sample(items: list[EvalItem], limit: int | None, seed: int) -> list[EvalItem]:
    if limit is None or limit >= len(items):
        return items
    return random.Random(seed).sample(items, limit)
