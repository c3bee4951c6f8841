"""Turn files on disk into raw article records, one bad file or line never stopping the rest.

Persian news arrives as UTF-8 (with or without BOM), UTF-16 from Windows tools, or
Windows-1256 from older sites; each is detected here so nothing downstream has to care.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import os
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from corpus.compressed import ARCHIVE_SUFFIXES, STDIN, check_whole, compression_of, kind_of, opened, read_bounded, uncompressed
from corpus.dates import NEWS_EARLIEST, NEWS_SLACK
from corpus.errors import CorpusError, InputFileError, SkippedFile
from corpus.markup import as_read
from corpus.word import docx_text

logger = logging.getLogger(__name__)

SUFFIXES = (".txt", ".jsonl", ".csv")  # read as streams: compressed too
DOCUMENT_SUFFIXES = (".docx",)  # a Word document: a story, as a .txt is
PAGE_SUFFIXES = (".html", ".htm", ".mhtml", ".mht")  # a page, or a browser's single-file save of it
EXPORT_SUFFIXES = (".json", ".xml")  # a channel's export (Telegram Desktop), a site's (WordPress)
# What no one takes for a story: pictures, sound, video, fonts, and a page's or an export's
# styles and scripts (a Telegram export's css/ and photos/). Left unread without a word.
NEVER_STORIES = frozenset(
    ".jpg .jpeg .png .gif .webp .bmp .svg .ico .tif .tiff .heic .avif .mp3 .ogg .oga .opus .m4a .wav .mp4 .webm .mov .mkv "
    ".avi .tgs .woff .woff2 .ttf .otf .eot .css .js .map".split()
)
PageReader = Callable[[Path], "RawArticle"]
"""Reads a saved web page into an article. A layer that can read pages gives it
(``news.inspect.saved_page``): this one reads text and JSONL only."""
ExportReader = Callable[[Path], "Iterable[RawArticle | InputFileError] | None"]
"""Reads a channel's history as a chat app exports it (``news.telegram_export.read_export``):
its posts, and one error for each bad file or post; None for an .html file that is no export's
page (a saved news page). Given by the layer that reads channels."""
MAX_FILE_BYTES = 64 * 1024 * 1024
_ID_SAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")


@dataclass(frozen=True)
class RawArticle:
    """What a file says before cleaning; ``text`` is the decoded source, untouched."""

    id: str
    text: str
    origin: str
    title: str | None = None
    url: str | None = None
    agency: str | None = None
    published: str | None = None
    structured: bool = False
    fallback_agency: str | None = None  # the agency to cite when the text names none (a feed's name)
    # who passes the text on as written (a channel): when the text states its source («منبع: ایرنا»,
    # «…/ایرنا»), the citation names that source, relayed by this one
    relayed_by: str | None = None
    # what an export of the corpus keeps beside the text (`pasokh export`): the line over the
    # headline and the news code the text was read with, no longer in the text stored
    kicker: str | None = None
    news_code: str | None = None
    # the lines the source prints on item after item (a channel's slogan under every post), found
    # by comparing its items: never quoted, on a line of their own or after a post's last words
    boilerplate: frozenset[str] = frozenset()


def article_id_for(path: Path) -> str:
    """Stable id from the file name, so re-ingesting the same file replaces, never duplicates
    (compressed or not: ``story.txt.gz`` is ``story``)."""
    return _ID_SAFE.sub("_", uncompressed(path).stem).strip("_") or "article"


def cut_inside_a_character(error: UnicodeDecodeError, size: int) -> bool:
    """Whether UTF-8 that failed with ``error`` (``size`` bytes in all) is whole but for its last
    character, cut short: a copy, a download or a save that stopped."""
    return error.reason == "unexpected end of data" and error.start >= size - 3


STRAY_NULS = 0.01  # a share of NULs in valid UTF-8 that is damage here and there, not a binary file


def decode(data: bytes, path: Path) -> str:
    """Decode bytes whose encoding nobody told us; refuse what is not text.

    Every candidate must read as Persian/Latin text (see :func:`looks_like_text`): cp1256 and
    UTF-16 decode almost any bytes, so "it decoded" proves nothing on its own.
    """
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputFileError(path, f"starts with a {enc} byte-order mark but is not valid {enc} ({exc.reason})") from exc
            if not looks_like_text(text):
                raise SkippedFile(path, f"starts with a {enc} byte-order mark but looks like a binary file, not text")
            return text
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error: UnicodeDecodeError | None = exc
    else:
        if "\x00" not in text or text.count("\x00") <= STRAY_NULS * len(text):
            return text  # a stray NUL damages its article (or row) only, which prepare refuses
        utf8_error = None
    candidates = (("utf-16-le", "utf-16-be") if len(data) % 2 == 0 else ()) + ("cp1256",)
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if looks_like_text(text) and _ARABIC_SCRIPT.search(text):
            logger.info("%s: decoded as %s", path, enc)
            return text
    if utf8_error is None or b"\x00" in data[:4096]:
        raise SkippedFile(path, "looks like a binary file, not text")
    if cut_inside_a_character(utf8_error, len(data)):
        raise InputFileError(
            path, "is UTF-8 but stops inside a character: it was cut short (a copy or a download that stopped); copy it again"
        )
    line = data.count(b"\n", 0, utf8_error.start) + 1
    raise InputFileError(
        path,
        f"is not UTF-8 (a byte that is no UTF-8 character on line {line}, offset {utf8_error.start}) and does not read "
        "as UTF-16 or Windows-1256 Persian either; re-save it as UTF-8",
    )


_TEXT_CHARS = re.compile(
    r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u0600-\u06ff\u0750-\u077f\u200b-\u200f\u2010-\u206f\ufb50-\ufdff\ufe70-\ufeff]"
)


def looks_like_text(text: str) -> bool:
    """Nearly all characters are ones Persian news text is written in."""
    sample = text[:8192]
    if not sample:
        return False
    return len(_TEXT_CHARS.findall(sample)) / len(sample) > 0.97


def read_text_file(path: Path) -> RawArticle:
    text = decode(_whole(path, MAX_FILE_BYTES, "articles"), path)
    if not text.strip():
        raise SkippedFile(path, "is empty")
    if _HTML_PAGE.match(text):
        raise InputFileError(path, "is a web page's HTML saved as text; name it .html to have it read as the page it is")
    return RawArticle(id=article_id_for(path), text=text, origin=str(path))


def _whole(path: Path, limit: int, what: str) -> bytes:
    """All of a file read whole (uncompressed when it is compressed), refused past ``limit``
    bytes (``what`` names the files refused): a compressed one is read no further than that."""
    limit_mb = limit // (1024 * 1024)
    if compression_of(path):
        if (data := read_bounded(path, limit)) is None:
            raise InputFileError(path, f"holds over {limit_mb} MB once uncompressed; {what} over {limit_mb} MB are refused")
        return data
    if (size := path.stat().st_size) > limit:
        raise InputFileError(path, f"is {size // (1024 * 1024)} MB; {what} over {limit_mb} MB are refused")
    return path.read_bytes()


def read_word(path: Path) -> RawArticle:
    """A Word document (.docx) as one article, its text what the document shows (:mod:`corpus.word`)."""
    text = docx_text(path, MAX_FILE_BYTES)
    if not text.strip():
        raise SkippedFile(path, "is a Word document with no text (only tables, pictures or nothing)")
    return RawArticle(id=article_id_for(path), text=text, origin=str(path))


# a whole page's source, not its text: «<!DOCTYPE html>», «<html lang="fa">» opening the file
_HTML_PAGE = re.compile(r"^\ufeff?\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)


_OPTIONAL_FIELDS = ("title", "url", "source", "published", "kicker", "news_code")
_TEXT_ELSEWHERE = ("content", "body", "article", "story", "full_text", "description")  # where other exports put it
ID_MAX_CHARS = 200
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_FIELD_NAMES = {"source": "agency"}  # the JSONL format's `source` is the agency credited (docs/architecture.md)


def read_jsonl(path: Path) -> Iterator[RawArticle | InputFileError]:
    """Yield an article per good line and an error per bad one, reading line by line."""
    seen: dict[str, int] = {}
    for lineno, raw in _lines(path):
        if raw is None:
            limit_mb = MAX_FILE_BYTES // (1024 * 1024)
            yield InputFileError(path, f"a line over {limit_mb} MB; records over {limit_mb} MB are refused", lineno)
            continue
        if not raw.strip():
            continue
        try:
            line = decode(raw, path) if lineno > 1 or not raw.startswith(codecs.BOM_UTF8) else raw.decode("utf-8-sig")
            record = json.loads(line)
        except InputFileError as exc:
            yield InputFileError(path, exc.reason, lineno)
            continue
        except json.JSONDecodeError as exc:
            yield InputFileError(path, f"not valid JSON ({exc.msg} at column {exc.colno})", lineno)
            continue
        except ValueError as exc:  # a number too long to convert (json raises it outside JSONDecodeError)
            yield InputFileError(path, f"not usable JSON ({str(exc).split(';')[0]})", lineno)
            continue
        except RecursionError:
            yield InputFileError(path, "not usable JSON (nested too deeply)", lineno)
            continue
        yield _record_article(record, path, lineno, seen)


def _lines(path: Path) -> Iterator[tuple[int, bytes | None]]:
    """Each line of a JSONL file (uncompressed on the fly) with its number; None for a line
    longer than an article may be, which is skipped, not held in memory. A compressed file
    damaged part way is one error giving the line it stops at, after the lines before it."""
    lineno = 0
    check_whole(path)
    try:
        with opened(path) as fh:
            while raw := fh.readline(MAX_FILE_BYTES + 1):
                lineno += 1
                if len(raw) > MAX_FILE_BYTES and not raw.endswith(b"\n"):
                    while (rest := fh.readline(1024 * 1024)) and not rest.endswith(b"\n"):
                        pass
                    yield lineno, None
                else:
                    yield lineno, raw
    except InputFileError as exc:
        if exc.line is not None or not compression_of(path):
            raise
        kept = f"; lines 1 to {lineno} were read" if lineno > 1 else "; line 1 was read" if lineno else ""
        raise InputFileError(path, exc.reason + kept, lineno + 1) from None


def _record_article(record: object, path: Path, lineno: int, seen: dict[str, int]) -> RawArticle | InputFileError:
    """One record of a JSONL or CSV file (``lineno`` is where it starts) as an article, or the
    one line that says what is wrong with it; ``seen`` maps the ids read so far to their lines."""
    problem = _check_record(record)
    if problem:
        return InputFileError(path, problem, lineno)
    assert isinstance(record, dict)  # _check_record refuses anything else
    text = as_read(record["text"])  # a body stored as HTML, as its reader saw it
    if not text.strip():
        return InputFileError(path, "'text' is HTML that shows no text (only tags, images or scripts)", lineno)
    art_id = _ID_SAFE.sub("_", str(record["id"])).strip("_")
    if art_id in seen:
        return InputFileError(path, f"duplicate id {record['id']!r} (first on line {seen[art_id]}); line skipped", lineno)
    seen[art_id] = lineno
    fields = {_FIELD_NAMES.get(k, k): (record.get(k) or None) for k in _OPTIONAL_FIELDS}
    fields["published"] = _epoch(record.get("published")) or fields["published"]
    for key in ("title", "agency", "kicker"):  # «&laquo;طرح&raquo;», «<b>ایسنا</b>»: one line each, as shown
        if fields[key]:
            fields[key] = " ".join(as_read(fields[key]).split()) or None
    return RawArticle(id=art_id, text=text, origin=f"{path}:{lineno}", structured=True, **fields)


CSV_MAX_BYTES = 1024 * 1024 * 1024  # read whole, to tell its encoding as a text file's is told
_CSV_DELIMITERS = ",;\t"  # a spreadsheet's own: «;» where the comma is a decimal mark, tab-separated
_EPOCH_TEXT = re.compile(r"^\d{9,13}(?:\.\d+)?$")  # a Unix time a spreadsheet wrote as text


def records_in(path: Path) -> int:
    """How many records a JSONL or CSV file holds (its non-empty lines; its rows under the
    column names), for a progress bar: those read before a file stops being readable."""
    if kind_of(path) == ".csv":
        rows = (row for row in _csv_rows(path) if not isinstance(row, InputFileError) or row.line is not None)
    else:
        rows = (line for _, line in _lines(path) if line is None or line.strip())
    count = 0
    try:
        for _ in rows:
            count += 1
    except (OSError, CorpusError):
        pass
    return count


def read_csv(path: Path) -> Iterator[RawArticle | InputFileError]:
    """Yield an article per good row and an error per bad one. The first row names the columns,
    as a JSONL record's keys are named (``id``, ``text``, and ``title``, ``url``, ``source``,
    ``published`` if given); a spreadsheet saves UTF-8, UTF-16 or Windows-1256, with commas,
    semicolons or tabs, and a text that spans lines in quotes."""
    seen: dict[str, int] = {}
    for row in _csv_rows(path):
        if isinstance(row, InputFileError):
            yield row
            continue
        lineno, record = row
        for key in _OPTIONAL_FIELDS:  # an empty cell is no value
            if isinstance(value := record.get(key), str) and not value.strip():
                record[key] = None
        if isinstance(published := record.get("published"), str) and _EPOCH_TEXT.match(published):
            record["published"] = float(published)
        yield _record_article(record, path, lineno, seen)


# a sheet's columns named in Persian, as a newsroom names them: each to the JSONL key it is
_PERSIAN_COLUMNS = {
    "id": ("شناسه", "شناسه خبر", "کد", "کد خبر", "شماره خبر"),
    "title": ("عنوان", "عنوان خبر", "تیتر"),
    "text": ("متن", "متن خبر", "متن کامل", "شرح خبر", "محتوا"),
    "source": ("منبع", "منبع خبر", "خبرگزاری", "رسانه"),
    "url": ("لینک", "لینک خبر", "پیوند", "نشانی", "آدرس"),
    "published": ("تاریخ", "تاریخ انتشار", "زمان انتشار", "تاریخ خبر"),
}
_PERSIAN_COLUMNS_SHOWN = [names[0] for names in _PERSIAN_COLUMNS.values()]


def _folded_column(name: str) -> str:
    """A column's name as compared: no spaces or ZWNJ, Arabic «ي» and «ك» as Persian's."""
    return re.sub(r"[\s\u200c\ufeff]+", "", name).lower().replace("ي", "ی").replace("ك", "ک")


_COLUMN_KEYS = {_folded_column(alias): key for key, aliases in _PERSIAN_COLUMNS.items() for alias in aliases}


def _column(name: str) -> str:
    """The key a sheet's column name stands for: its English name in any case, or a Persian one."""
    plain = name.strip().lstrip("\ufeff").lower()
    return _COLUMN_KEYS.get(_folded_column(plain), plain)


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, object]] | InputFileError]:
    """(the line a row starts on, its cells by column name) for each row under the first, or the
    one line that says what is wrong with a row (that line's number given) or the file (none)."""
    text = decode(_whole(path, CSV_MAX_BYTES, "CSV files"), path)
    header = text[: text.find("\n")] if "\n" in text else text
    try:
        dialect: type[csv.Dialect] | str = csv.Sniffer().sniff(header, delimiters=_CSV_DELIMITERS)
    except csv.Error:
        dialect = "excel"
    # a quote in a cell is doubled («""»), as every spreadsheet writes it: a sniffer, seeing the column
    # names alone, said it was not, and «او گفت ""سلام""» was stored with a quote the story never had.
    # strict: a quoted cell left open would otherwise run on, every row after it read into one story
    reader = csv.reader(io.StringIO(text, newline=""), dialect, doublequote=True, strict=True)
    try:
        columns = [_column(name) for name in next(reader)]
    except StopIteration:
        yield SkippedFile(path, "is empty")
        return
    except csv.Error as exc:
        yield InputFileError(path, f"its first row (the column names) is not CSV ({exc})")
        return
    keys = (*_OPTIONAL_FIELDS, "id", "text")
    if twice := sorted({name for name in columns if name in keys and columns.count(name) > 1}):
        named_twice = " and ".join(repr(name) for name in twice)
        yield InputFileError(path, f"the first row names {named_twice} more than once; keep one column each")
        return
    if "id" not in columns or "text" not in columns:
        missing = " and ".join(f"'{name}'" for name in ("id", "text") if name not in columns)
        other = next((key for key in _TEXT_ELSEWHERE if key in columns), None)
        hint = f" (it has '{other}': the article's text goes in 'text')" if other and "text" not in columns else ""
        named = ", ".join(columns[:8]) or "nothing"
        names = f"it names {named} (Persian names are read too: {'، '.join(_PERSIAN_COLUMNS_SHOWN)})"
        yield InputFileError(path, f"the first row names no {missing} column{hint}; {names}")
        return
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, MAX_FILE_BYTES))  # an article's text is longer than csv's 128 KB default
    try:
        while True:
            lineno = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                if "unexpected end of data" in str(exc):
                    said = "a quoted cell opened on this row never closes: the rest of the file is in it, so none of it is read"
                    yield InputFileError(path, said, lineno)
                    return
                yield InputFileError(path, f"not valid CSV ({exc})", lineno)
                continue
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(columns):
                counts = f"the row has {len(row)} fields and the first row names {len(columns)}"
                yield InputFileError(path, f"{counts}; row skipped", lineno)
                continue
            yield lineno, dict(zip(columns, row, strict=True))
    finally:
        csv.field_size_limit(limit)


def _check_record(record: object) -> str | None:
    if not isinstance(record, dict):
        return f"expected a JSON object, got {type(record).__name__}"
    if "id" not in record or record["id"] in (None, ""):
        return "missing 'id'"
    if not isinstance(record["id"], (str, int)) or isinstance(record["id"], bool):
        return f"'id' must be a string, got {type(record['id']).__name__}"
    if not isinstance(record.get("text"), str):
        if "text" in record:
            return f"'text' must be a string, got {type(record['text']).__name__}"
        other = next((key for key in _TEXT_ELSEWHERE if isinstance(record.get(key), str)), None)
        return f"missing 'text' (the record has '{other}': the article's text goes in 'text')" if other else "missing 'text'"
    if not record["text"].strip():
        return "'text' is empty"
    if len(str(record["id"])) > ID_MAX_CHARS:
        return f"'id' is {len(str(record['id']))} characters long; the limit is {ID_MAX_CHARS}"
    for key in ("text", *_OPTIONAL_FIELDS):
        value = record.get(key)
        if isinstance(value, str) and LONE_SURROGATE.search(value):
            return f"'{key}' holds characters that are not text (lone surrogates such as \\ud800)"
    if not _ID_SAFE.sub("_", str(record["id"])).strip("_"):
        return f"'id' {record['id']!r} has no usable characters"
    for key in _OPTIONAL_FIELDS:
        value = record.get(key)
        if key == "published" and _epoch(value) is not None:
            continue
        if value is not None and not isinstance(value, str):
            hint = " (or a Unix time in seconds or milliseconds between 1995 and now)" if key == "published" else ""
            return f"'{key}' must be a string{hint}, got {type(value).__name__}"
    return None


def _epoch(value: object) -> str | None:
    """A Unix time an export gives as a number (seconds, or milliseconds as JavaScript writes
    them) as the ISO time it names in UTC; None for anything else or a time no story was
    published at (``dates.NEWS_EARLIEST`` to a day after now, as for a page's stated time)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return None
    seconds = value / 1000 if value > 1e11 else value
    if not NEWS_EARLIEST.timestamp() <= seconds <= (datetime.now(UTC) + NEWS_SLACK).timestamp():
        return None
    return datetime.fromtimestamp(seconds, UTC).isoformat(timespec="seconds")


def discover(paths: list[Path], pages: bool = False, exports: bool = False) -> Iterator[Path | InputFileError]:
    """Files to ingest, folders walked in sorted order so runs are reproducible; with ``pages``,
    saved web pages (.html) too, and with ``exports`` channels' exports (.json). Text, JSONL and
    CSV are read compressed too (``.gz``, ``.bz2``, ``.xz``)."""
    wanted = SUFFIXES + DOCUMENT_SUFFIXES + (PAGE_SUFFIXES if pages else ()) + (EXPORT_SUFFIXES if exports else ())
    named = [".txt", ".jsonl", ".csv", ".docx"] + ([".html (or .mhtml)"] if pages else [])
    named += [".json (a Telegram Desktop export)", ".xml (a WordPress export)"] if exports else []
    kinds = f"{', '.join(named[:-1])} or {named[-1]}"
    for path in paths:
        if str(path) in ("-", str(STDIN)):
            yield STDIN  # JSONL piped in: `zcat *.jsonl.gz | pasokh ingest -`
        elif path.is_dir():
            passed_over: Counter[str] = Counter()
            for root, dirs, files in os.walk(path):
                resources = _saved_pages_files(dirs, files)
                for folder in resources:
                    logger.info("skipping %s: the files a saved page shows with it", Path(root) / folder)
                dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in resources)
                for name in sorted(files):
                    if name.startswith((".", "~$")):  # hidden, or the owner file Word keeps beside an open document
                        continue
                    child = Path(root) / name
                    if _unreadable(child, wanted, kinds) is not None:
                        logger.debug("skipping %s: not %s", child, kinds)
                        kind = ("".join(child.suffixes[-2:]) if compression_of(child) else child.suffix).lower()
                        if kind not in NEVER_STORIES:
                            passed_over[kind or "(none)"] += 1
                    elif special := _special(child):
                        yield special  # opened, a named pipe would wait for a writer forever
                    else:
                        yield child
            if passed_over:
                yield SkippedFile(path, _passed_over(passed_over, kinds))
        elif path.is_file():
            yield problem if (problem := _unreadable(path, wanted, kinds)) else path
        elif special := _special(path):
            yield special
        else:
            yield InputFileError(path, "no such file or folder")


def _passed_over(counts: Counter[str], kinds: str) -> str:
    """One line for the files of a folder that were not read: a folder given whole has its
    PDFs and notes beside the stories, and an operator who gave it should hear which were left,
    once, not a line each («3 files of other kinds left unread (.pdf ×2, .md); reads .txt, …»)."""
    total = counts.total()
    each = ", ".join(f"{kind} ×{n}" if n > 1 else kind for kind, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    what = "1 file of another kind" if total == 1 else f"{total} files of other kinds"
    return f"{what} left unread ({each}); reads {kinds}"


def _special(path: Path) -> InputFileError | None:
    """Why ``path``, which exists, is no file to read: a named pipe, a socket or a device."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # a link to nowhere: reading it says so
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    what = "a named pipe" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode) else "a device"
    return InputFileError(path, f"is {what}, not a file; to read a stream, pipe it in: … | pasokh ingest -")


# «صفحه_files», «Seite-Dateien», «page_fichiers»: the folder a browser saves a page's images,
# scripts and embedded frames in, named for the page and a word for «files» in its language
_RESOURCES_WORD = re.compile(r"^[_\-\s][^\W\d_]+$")


def _saved_pages_files(dirs: list[str], files: list[str]) -> set[str]:
    """The folders beside a saved page (``page.html``) that hold what the browser saved with it
    («Webpage, Complete»: ``page_files/``): an ad's or a player's frame in there is a page of its
    own, and no story of the folder's."""
    stems = {name.rsplit(".", 1)[0] for name in files if name.lower().endswith((".html", ".htm"))}
    return {d for d in dirs for stem in stems if d.startswith(stem) and _RESOURCES_WORD.match(d[len(stem) :])}


def _unreadable(path: Path, wanted: tuple[str, ...], kinds: str) -> InputFileError | None:
    """Why ``path`` is not read (None when it is): what it holds once uncompressed is none of
    ``wanted``, or it is an archive of many files, which is read as the folder it unpacks to."""
    kind = kind_of(path)
    if kind in ARCHIVE_SUFFIXES or path.suffix.lower() in ARCHIVE_SUFFIXES:
        return InputFileError(path, "is an archive of files; unpack it and ingest the folder it gives")
    if compression_of(path) and kind not in SUFFIXES:
        shown = "".join(path.suffixes[-2:]) if kind else path.suffix
        return InputFileError(path, f"unsupported file type {shown}; {', '.join(SUFFIXES)} are read compressed, not other files")
    if kind not in wanted:
        return InputFileError(path, f"unsupported file type {path.suffix or '(none)'}; use {kinds}")
    return None


def _guarded(item: Path, read: Iterable[RawArticle | InputFileError]) -> Iterator[RawArticle | InputFileError]:
    """What a reader gives of ``item`` (read lazily, so a failure is caught here whenever it comes),
    and one error line where it fails: every kind of file is read behind this one guard."""
    try:
        yield from read
    except InputFileError as exc:
        yield exc
    except CorpusError as exc:
        yield InputFileError(item, str(exc))
    except OSError as exc:
        yield InputFileError(item, f"cannot be read ({exc.strerror})")


def _one(read: Callable[[Path], RawArticle], path: Path) -> Iterator[RawArticle]:
    """A reader of one article per file, run when its article is asked for (inside the guard)."""
    yield read(path)


def read_all(
    paths: list[Path], read_page: PageReader | None = None, read_export: ExportReader | None = None
) -> Iterator[RawArticle | InputFileError]:
    """Every article of the files and folders given, and one error for each bad file or line;
    saved web pages too when ``read_page`` is given, and channels' exports with ``read_export``."""
    for item in discover(paths, pages=read_page is not None, exports=read_export is not None):
        if isinstance(item, InputFileError):
            yield item
            continue
        suffix = ".jsonl" if item == STDIN else kind_of(item)
        if suffix in EXPORT_SUFFIXES and read_export is not None:
            yield from _guarded(item, read_export(item) or ())
        elif suffix in PAGE_SUFFIXES and read_export is not None and (exported := read_export(item)) is not None:
            yield from _guarded(item, exported)  # a page of a chat's export, not a news page
        elif suffix in PAGE_SUFFIXES and read_page is not None:
            yield from _guarded(item, _one(read_page, item))
        elif suffix == ".jsonl":
            yield from _guarded(item, read_jsonl(item))
        elif suffix == ".csv":
            yield from _guarded(item, read_csv(item))
        elif suffix in DOCUMENT_SUFFIXES:
            yield from _guarded(item, _one(read_word, item))
        else:
            yield from _guarded(item, _one(read_text_file, item))
