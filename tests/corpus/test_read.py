"""Reading real files: encodings, broken input, JSONL line errors; one bad input never stops the rest."""

from __future__ import annotations

import bz2
import codecs
import gzip
import json
import lzma
import os
import threading
import zipfile

import pytest

from corpus.errors import InputFileError, SkippedFile
from corpus.prepare import prepare
from corpus.read import RawArticle, read_all, read_text_file, records_in

CP1256_TEXT = "اين خبر با ويندوز 1256 ذخيره شده است و گزارش مي‌دهد."
PERSIAN = "معاون سیاسی امنیتی استانداری قزوین گفت: طرح توانمندسازی محلات اجرا شود."


@pytest.mark.parametrize(
    "encoded",
    [
        PERSIAN.encode("utf-8"),
        codecs.BOM_UTF8 + PERSIAN.encode("utf-8"),
        PERSIAN.encode("utf-16"),
        PERSIAN.encode("utf-16-le"),
        CP1256_TEXT.encode("cp1256"),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16-le-no-bom", "windows-1256"],
)
def test_common_persian_encodings_are_decoded(tmp_path, encoded):
    path = tmp_path / "a.txt"
    path.write_bytes(encoded)
    text = read_text_file(path).text
    assert "\x00" not in text and "\ufffd" not in text
    assert text in (PERSIAN, CP1256_TEXT, "\ufeff" + PERSIAN)


def test_binary_and_empty_files_get_a_reason_naming_the_file(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 20)
    with pytest.raises(InputFileError, match=r"image\.txt.*binary"):
        read_text_file(binary)
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\t\n", encoding="utf-8")
    with pytest.raises(SkippedFile, match=r"empty\.txt.*empty"):
        read_text_file(empty)


def test_a_utf8_story_cut_short_or_with_a_stray_byte_says_which_in_its_line(tmp_path):
    """Not «re-save it as UTF-8» for a file that is UTF-8: where it went wrong, and what to do."""
    data = ("\n".join([PERSIAN] * 3)).encode("utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_bytes(data[:-2])  # inside the last «.» … «د»: one byte of a two-byte letter
    with pytest.raises(InputFileError, match=r"cut\.txt: is UTF-8 but stops inside a character: it was cut short"):
        read_text_file(cut)
    stray = tmp_path / "stray.txt"
    at = data.index(b" ", data.index(b"\n"))  # before a space: between two characters
    stray.write_bytes(data[:at] + b"\xa0" + data[at:])
    with pytest.raises(InputFileError, match=rf"stray\.txt: is not UTF-8 \(.* on line 2, offset {at}\)"):
        read_text_file(stray)


def test_jsonl_bad_lines_are_reported_with_line_numbers_and_good_lines_kept(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "title": "تیتر", "text": PERSIAN}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "a2", "title": "بدون متن"}, ensure_ascii=False),
        json.dumps({"id": "a1", "text": "تکراری"}, ensure_ascii=False),
        json.dumps({"id": "a3", "text": 42}, ensure_ascii=False),
        json.dumps({"id": "a4", "text": PERSIAN, "url": "https://example.org/a4", "source": "ایسنا"}, ensure_ascii=False),
        json.dumps({"id": "a5", "content": PERSIAN}, ensure_ascii=False),  # another export's field name
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = list(read_all([path]))
    good = [r for r in results if isinstance(r, RawArticle)]
    bad = {r.line: r.reason for r in results if isinstance(r, InputFileError)}
    assert [g.id for g in good] == ["a1", "a4"]
    assert good[1].url == "https://example.org/a4" and good[1].agency == "ایسنا"
    assert set(bad) == {2, 3, 4, 5, 7}
    assert "JSON" in bad[2] and "text" in bad[3] and "duplicate" in bad[4] and "string" in bad[5]
    assert bad[7] == "missing 'text' (the record has 'content': the article's text goes in 'text')"


def test_a_folder_with_bad_files_still_yields_the_good_ones(tmp_path):
    (tmp_path / "good.txt").write_text(PERSIAN, encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\x00garbage\x00\x01\x02" * 50)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    results = list(read_all([tmp_path, tmp_path / "missing.txt"]))
    assert [r.id for r in results if isinstance(r, RawArticle)] == ["good"]
    errors = [str(r) for r in results if isinstance(r, InputFileError)]
    assert any("bad.txt" in e for e in errors)
    assert any("missing.txt" in e and "no such file" in e for e in errors)


def test_a_named_pipe_in_a_folder_is_one_line_not_a_wait_for_ever(tmp_path):
    """Opened, a named pipe waits for a writer that never comes: ingest of the folder hung."""
    (tmp_path / "good.txt").write_text(PERSIAN, encoding="utf-8")
    os.mkfifo(tmp_path / "feed.jsonl")
    results: list = []
    reader = threading.Thread(target=lambda: results.extend(read_all([tmp_path])), daemon=True)
    reader.start()
    reader.join(timeout=30)
    assert not reader.is_alive(), "reading the folder waits on the pipe"
    assert [r.id for r in results if isinstance(r, RawArticle)] == ["good"]
    assert [str(r) for r in results if isinstance(r, InputFileError)] == [
        f"{tmp_path / 'feed.jsonl'}: is a named pipe, not a file; to read a stream, pipe it in: … | pasokh ingest -"
    ]
    assert "named pipe" in str(next(iter(read_all([tmp_path / "feed.jsonl"]))))


def test_an_article_with_characters_that_are_not_text_is_skipped_with_its_reason():
    """Readers refuse lone surrogates; an article built any other way is skipped by ``prepare``,
    named, instead of failing where it is hashed or written as UTF-8."""
    with pytest.raises(SkippedFile, match=r"feed-item: holds characters that are not text"):
        prepare(RawArticle(id="a", text="سد کرج آبگیری شد.\ud800", origin="feed-item", title="سد"))
    with pytest.raises(SkippedFile, match="not text"):
        prepare(RawArticle(id="a", text="سد کرج آبگیری شد.", origin="feed-item", title="سد\udfff"))


def test_a_jsonl_body_stored_as_html_is_read_as_its_reader_saw_it(tmp_path):
    """An archive's export keeps the body as the content system stores it: paragraphs in <p>,
    bold in <strong>, entities. Quoted as it stands, a reader saw tags the source never showed
    and two paragraphs as one sentence; a record that is markup alone is one clear line."""
    records = [
        {
            "id": "html",
            "title": "&laquo;طرح&raquo; توسعه کتابخانه",
            "text": "<p>شورای شهر یزد طرح توسعه کتابخانه را تصویب کرد.</p>\n<p>این طرح <strong>۱۲۰ میلیارد</strong> ریال هزینه"
            "&zwnj;ها را دربر می‌گیرد.&nbsp;</p><script>track()</script>",
            "source": "<b>ایسنا</b>",
        },
        {"id": "image", "text": "<p><img src='a.jpg'></p>"},
        {"id": "plain", "title": "تورم", "text": "نرخ تورم a < b و c > d گزارش شد.\n\nمرکز آمار &quot;رسمی&quot; اعلام کرد."},
    ]
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    html, image, plain = read_all([path])
    article = prepare(html).article
    assert [s.text for s in prepare(html).sentences] == [
        "شورای شهر یزد طرح توسعه کتابخانه را تصویب کرد.",
        "این طرح ۱۲۰ میلیارد ریال هزینه\u200cها را دربر می‌گیرد.",
    ]
    assert article.title == "«طرح» توسعه کتابخانه" and article.agency == "ایسنا"
    assert isinstance(image, InputFileError) and "shows no text" in str(image) and "export.jsonl" in str(image)
    assert prepare(plain).article.text == 'نرخ تورم a < b و c > d گزارش شد.\n\nمرکز آمار "رسمی" اعلام کرد.'


def test_a_jsonl_time_given_as_a_unix_time_is_read_as_one(tmp_path):
    """Exports write the time as a number: Unix seconds, or milliseconds as JavaScript does. It
    names an instant, so it is read as that instant in UTC; a number that names no news-era time
    (or a boolean) is one clear line, as any other bad field."""
    body = "شورای شهر یزد طرح توسعه کتابخانه را تصویب کرد."
    records = [
        {"id": str(n), "title": "کتابخانه", "text": body, "published": when}
        for n, when in enumerate((1699259412, 1699259412000, 12, True))
    ]
    path = tmp_path / "times.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    seconds, millis, small, flag = read_all([path])
    assert seconds.published == millis.published == "2023-11-06T08:30:12+00:00"
    assert prepare(seconds).article.published == "2023-11-06T08:30:12+00:00"
    for bad, line in ((small, 3), (flag, 4)):
        assert isinstance(bad, InputFileError) and bad.line == line and "Unix time" in str(bad)


def test_a_page_saved_as_txt_is_named_for_what_it_is(tmp_path):
    """A page's source saved under .txt would be quoted with its tags: one line says to name it
    .html, which `pasokh ingest` reads as a page; a text that merely mentions «<html>» is text."""
    files = {
        "story.txt": '<!DOCTYPE html>\n<html lang="fa"><body><p>متن</p></body></html>',
        "kept.txt": '\ufeff<!-- saved -->\n<html lang="fa"><body><p>متن</p></body></html>',
        "about.txt": "تیتر\n\nبرچسب <html> در آغاز هر صفحه وب می‌آید و مرورگر آن را نمی‌نمایاند.",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    story, kept, about = read_all([tmp_path / name for name in files])
    for page in (story, kept):
        assert isinstance(page, InputFileError) and "is a web page's HTML saved as text; name it .html" in str(page)
    assert "<html>" in about.text


def _csv(tmp_path, rows, encoding="utf-8", delimiter=","):
    import csv
    import io

    out = io.StringIO(newline="")
    csv.writer(out, delimiter=delimiter).writerows(rows)
    path = tmp_path / "news.csv"
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def test_a_csv_file_as_a_spreadsheet_saves_it_gives_an_article_a_row(tmp_path):
    """Columns named as JSONL's keys, in any order; a text over several lines in quotes; a
    spreadsheet's encodings and separators; a Unix time written as text; an empty cell is none."""
    two_lines = f"{PERSIAN}\nجزئیات این طرح هفته آینده اعلام می‌شود."
    rows = [
        ["published", "text", "id", "title", "source", "url"],
        ["1700000000", two_lines, "r1", "طرح توانمندسازی محلات", "ایسنا", "https://www.isna.ir/news/1"],
        ["1402/08/23", PERSIAN, "r2", "", "", ""],
    ]
    for encoding, delimiter in (("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1256", ",")):
        # Windows-1256 has Arabic «ي» and «ك» and no ZWNJ: what such a file holds
        as_saved = (lambda t: t.replace("ی", "ي").replace("ک", "ك").replace("\u200c", " ")) if encoding == "cp1256" else str
        path = _csv(tmp_path, [[as_saved(cell) for cell in row] for row in rows], encoding, delimiter)
        read = list(read_all([path]))
        assert [type(r) for r in read] == [RawArticle, RawArticle], (encoding, read)
        first, second = read
        assert first.id == "r1" and first.agency == as_saved("ایسنا") and first.url == "https://www.isna.ir/news/1"
        assert first.published == "2023-11-14T22:13:20+00:00" and first.text.count("\n") == 1, first.text
        assert second.title is None and second.agency is None and second.published == "1402/08/23"
        last = as_saved("جزئیات این طرح هفته آینده اعلام می‌شود.")
        assert [s.text for s in prepare(first).sentences][-1] == last


def test_bad_csv_rows_are_reported_with_their_lines_and_good_rows_kept(tmp_path):
    long_text = PERSIAN * 3000  # over csv's default field limit of 128 KB
    path = _csv(
        tmp_path,
        [
            ["id", "title", "text"],
            ["a1", "تیتر", PERSIAN],
            ["a2", "بدون متن", ""],
            ["a1", "تکراری", PERSIAN],
            ["a3", "کم", PERSIAN, "ستون اضافه"],
            ["a4", "بلند", long_text],
        ],
    )
    results = list(read_all([path]))
    good = [r.id for r in results if isinstance(r, RawArticle)]
    bad = {r.line: r.reason for r in results if isinstance(r, InputFileError)}
    assert good == ["a1", "a4"] and records_in(path) == 5, "the progress bar counts every row"
    assert bad == {
        3: "'text' is empty",
        4: "duplicate id 'a1' (first on line 2); line skipped",
        5: "the row has 4 fields and the first row names 3; row skipped",
    }
    (numbered,) = read_all([_csv(tmp_path, [["id", "title", "source", "text"], ["n1", "1402123456", "1700000000", PERSIAN]])])
    assert (numbered.title, numbered.agency) == ("1402123456", "1700000000"), "only a time is read as a Unix time"
    unnamed = _csv(tmp_path, [["ردیف", "content"], ["1", PERSIAN]])
    (error,) = read_all([unnamed])
    assert str(error).endswith(
        "news.csv: the first row names no 'id' and 'text' column (it has 'content': the article's text goes in 'text');"
        " it names ردیف, content (Persian names are read too: شناسه، عنوان، متن، منبع، لینک، تاریخ)"
    )


def test_a_quote_in_a_cell_is_read_as_the_sheet_wrote_it_and_a_damaged_row_costs_only_itself(tmp_path):
    """Spreadsheets double a quote inside a cell; read as if they did not, «او گفت "سلام" و رفت.»
    was stored as «او گفت "سلام"" و رفت."», a quote the story never had. A cell whose quote never
    closes swallowed every row after it into one story, and a stray NUL made the file «binary»."""
    quoted = 'او گفت "سلام" و رفت و جلسه شورای شهر یزد پس از دو ساعت به پایان رسید.'
    path = _csv(tmp_path, [["id", "title", "text"], ["q1", "نقل قول", quoted], ["q2", "دوم", PERSIAN]])
    assert '""سلام""' in path.read_text(encoding="utf-8"), "the sheet doubles the quotes"
    assert [(r.id, r.text) for r in read_all([path])] == [("q1", quoted), ("q2", PERSIAN)]

    damaged = tmp_path / "damaged.csv"
    damaged.write_text(f'id,title,text\nd1,یک,"{PERSIAN}\x00"\nd2,دو,"{PERSIAN}"\n', encoding="utf-8")
    kept, skipped = [], []
    for item in read_all([damaged]):
        if isinstance(item, RawArticle):
            try:
                kept.append(prepare(item).article.id)
            except SkippedFile as exc:
                skipped.append(str(exc))
    assert kept == ["d2"] and skipped == [f"{damaged}:2: holds a NUL character, which no text has (a damaged file or cell?)"]

    open_quote = tmp_path / "open.csv"
    open_quote.write_text(f'id,title,text\no1,یک,"{PERSIAN}"\no2,دو,"{PERSIAN}\no3,سه,{PERSIAN}\n', encoding="utf-8")
    results = list(read_all([open_quote]))
    assert [r.id for r in results if isinstance(r, RawArticle)] == ["o1"]
    assert [str(r) for r in results if isinstance(r, InputFileError)] == [
        f"{open_quote}:3: a quoted cell opened on this row never closes: the rest of the file is in it, so none of it is read"
    ]


def test_a_sheet_with_its_columns_named_in_persian_is_read_as_one_named_in_english(tmp_path):
    """A newsroom names a sheet's columns in Persian («شناسه», «تیتر», «متن خبر», «تاریخ انتشار»,
    typed with Arabic «ي» too): each is the JSONL key it stands for. Two columns for one key
    («متن» and «text») are one line, since which one holds the story cannot be known."""
    header = ["شناسه", "تیتر", "متن خبر", "منبع", "لینک", "تاريخ انتشار"]
    row = ["k1", "افتتاح کتابخانه", PERSIAN, "ایسنا", "https://www.isna.ir/news/1", "1402/08/23"]
    (article,) = read_all([_csv(tmp_path, [header, row])])
    assert (article.id, article.title, article.text, article.agency, article.url, article.published) == (
        "k1", "افتتاح کتابخانه", PERSIAN, "ایسنا", "https://www.isna.ir/news/1", "1402/08/23",
    )  # fmt: skip
    (twice,) = read_all([_csv(tmp_path, [["id", "متن", "text"], ["k2", PERSIAN, PERSIAN]])])
    assert str(twice).endswith("news.csv: the first row names 'text' more than once; keep one column each")


def _records(count: int) -> bytes:
    """JSONL of ``count`` distinct stories, varied enough that a compressor cannot fold them away."""
    lines = []
    for i in range(count):
        text = f"گزارش شماره {i} از شهر {i * 7919 % 10007} می‌گوید بودجه {i * 104729 % 99991} میلیارد ریال است."
        lines.append(json.dumps({"id": f"n{i}", "title": f"خبر {i}", "text": text}, ensure_ascii=False))
    return "\n".join(lines).encode("utf-8") + b"\n"


@pytest.mark.parametrize("suffix, compress", [(".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress)])
def test_compressed_jsonl_csv_and_text_read_as_they_would_uncompressed(tmp_path, suffix, compress):
    """An archive kept compressed (news.jsonl.gz, a sheet as .csv.xz, a story as .txt.bz2) gives
    the same articles, under the same ids, as the file uncompressed: re-ingesting it uncompressed
    later replaces, never duplicates."""
    plain, packed = tmp_path / "plain", tmp_path / "packed"
    plain.mkdir(), packed.mkdir()
    files = {
        "news.jsonl": _records(40),
        "sheet.csv": f"id,title,text\nc1,تیتر,{PERSIAN}\n".encode("utf-8-sig"),
        "story.txt": CP1256_TEXT.encode("cp1256"),
    }
    for name, data in files.items():
        (plain / name).write_bytes(data)
        (packed / (name + suffix)).write_bytes(compress(data))

    def read(folder):
        return [(a.id, a.title, a.text) for a in read_all([folder])]

    assert read(packed) == read(plain) and len(read(plain)) == 42
    assert [records_in(path) for path in sorted(packed.iterdir())] == [40, 1, 1]


def test_a_damaged_compressed_file_gives_nothing_and_one_line_and_the_others_are_read(tmp_path):
    """A byte changed inside a gzip stream decompresses to text that was never written (records
    with other records' ids, changed words) until the checksum at its end says so: nothing of
    that file is read, one line names it, and the folder's other files are read."""
    data = gzip.compress(_records(300))
    damaged = bytearray(data)
    damaged[len(data) // 2] ^= 0xFF
    (tmp_path / "a.jsonl.gz").write_bytes(bytes(damaged))
    (tmp_path / "b.txt").write_text(PERSIAN, encoding="utf-8")
    items = list(read_all([tmp_path]))
    errors = [str(item) for item in items if isinstance(item, InputFileError)]
    assert [item.id for item in items if isinstance(item, RawArticle)] == ["b"]
    assert len(errors) == 1 and "a.jsonl.gz: is a damaged gzip file" in errors[0] and "nothing was read" in errors[0]


def test_a_compressed_file_cut_short_keeps_the_lines_before_the_cut(tmp_path):
    """A download stopped part way: what comes before the cut is what was written, so those lines
    are read, and one line says where the file stops."""
    data = gzip.compress(_records(600))
    path = tmp_path / "news.jsonl.gz"
    path.write_bytes(data[: len(data) * 2 // 3])
    items = list(read_all([path]))
    articles = [item for item in items if isinstance(item, RawArticle)]
    errors = [item for item in items if isinstance(item, InputFileError)]
    assert 100 < len(articles) < 600 and [a.id for a in articles] == [f"n{i}" for i in range(len(articles))]
    assert len(errors) == 1 and errors[0].line == len(articles) + 1
    assert f"cut short (it ends before its end-of-stream mark); lines 1 to {len(articles)} were read" in str(errors[0])
    assert records_in(path) == len(articles)


def test_what_is_not_a_compressed_stream_or_not_one_file_is_one_line(tmp_path):
    fake = tmp_path / "news.jsonl.gz"
    fake.write_text('{"id": "a", "text": "متن"}\n', encoding="utf-8")  # named .gz, never compressed
    page = tmp_path / "page.html.gz"
    page.write_bytes(gzip.compress(b"<html><body>x</body></html>"))
    archive = tmp_path / "month.tar.gz"
    archive.write_bytes(gzip.compress(b"x"))
    zipped = tmp_path / "month.zip"
    zipped.write_bytes(b"PK\x03\x04")
    lines = [str(item) for item in read_all([fake, page, archive, zipped])]
    assert lines == [
        f"{fake}: is not gzip data, though its name ends .gz",
        f"{page}: unsupported file type .html.gz; .txt, .jsonl, .csv are read compressed, not other files",
        f"{archive}: is an archive of files; unpack it and ingest the folder it gives",
        f"{zipped}: is an archive of files; unpack it and ingest the folder it gives",
    ]


def test_a_small_file_that_expands_past_the_limits_is_refused_without_reading_it_all(tmp_path, monkeypatch):
    """A few kilobytes of gzip can hold gigabytes: a story or a record is read no further than
    the size an article may have, and a JSONL line past it is one line, the others read."""
    monkeypatch.setattr("corpus.read.MAX_FILE_BYTES", 4096)
    story = tmp_path / "story.txt.gz"
    story.write_bytes(gzip.compress(("خبر " * 100_000).encode("utf-8")))
    with pytest.raises(InputFileError, match=r"holds over .* once uncompressed"):
        read_text_file(story)
    short = json.dumps({"id": "ok", "text": PERSIAN}, ensure_ascii=False)
    long = json.dumps({"id": "big", "text": "خبر " * 5000}, ensure_ascii=False)
    path = tmp_path / "news.jsonl.gz"
    path.write_bytes(gzip.compress(f"{short}\n{long}\n{short.replace('ok', 'ok2')}\n".encode()))
    items = list(read_all([path]))
    assert [getattr(item, "id", None) for item in items] == ["ok", None, "ok2"]
    assert items[1].line == 2 and "a line over" in items[1].reason


_WORD_NS = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" mc:Ignorable="w14"'
)


def _run(text: str) -> str:
    """A right-to-left run as Word writes it, its text kept with its spaces."""
    props = '<w:rPr><w:rFonts w:cs="B Nazanin"/><w:rtl/></w:rPr>'
    return f'<w:r w:rsidRPr="00A1B2C3">{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _para(*runs: str) -> str:
    return f'<w:p w:rsidR="00D4E5F6"><w:pPr><w:bidi/><w:jc w:val="both"/></w:pPr>{"".join(runs)}</w:p>'


def _word(path, body: str, doctype: str = "") -> None:
    """A .docx as Word saves it: the package's parts, and ``body`` as the document's body."""
    head = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
    document = f"{head}<w:document {_WORD_NS}><w:body>{body}<w:sectPr/></w:body></w:document>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>',
        )
        archive.writestr("word/document.xml", document)
        archive.writestr("docProps/core.xml", "<cp:coreProperties/>")


def test_a_word_document_is_one_article_with_the_words_it_shows(tmp_path):
    """A press release saved by Word (.docx): its paragraphs, a word Word split across runs read
    whole with its ZWNJ, and nothing the document does not show: text deleted under tracked
    changes, hidden text, a link's field code, a table, a floating text box. The story is answered
    as a .txt's is."""
    headline = _para(_run("آغاز ثبت‌نام "), _run("طرح ملی کتابخوانی"))
    lead = _para(
        _run("مدیرکل کتابخانه‌های استان گفت: ثبت‌نام از اول آبان آغاز "),
        '<w:proofErr w:type="spellStart"/>',
        _run("می\u200c"),
        _run("شود"),
        '<w:proofErr w:type="spellEnd"/>',
        '<w:del w:id="1" w:author="ویراستار"><w:r><w:delText>و تا آخر مهر</w:delText></w:r></w:del>',
        '<w:ins w:id="2" w:author="ویراستار">' + _run(" و یک ماه ادامه دارد") + "</w:ins>",
        _run("."),
    )
    link = _para(
        _run("متن کامل در "),
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r><w:instrText xml:space="preserve"> HYPERLINK "https://lib.example.ir" </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>',
        _run("پایگاه کتابخانه‌ها"),
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        _run(" منتشر شده است."),
        '<w:r><w:rPr><w:vanish/><w:rtl/></w:rPr><w:t xml:space="preserve"> یادداشت پنهان ویراستار</w:t></w:r>',
    )
    table = "<w:tbl><w:tr><w:tc>" + _para(_run("ردیف جدول")) + "</w:tc></w:tr></w:tbl>"
    box = _para(
        _run("هزینه ثبت‌نام برای همه رایگان است."),
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>'
        + _para(_run("کادر کناری"))
        + "</w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent>"
        + _para(_run("کادر کناری"))
        + "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
    )
    _word(tmp_path / "release.docx", headline + lead + link + table + box)
    (article,) = read_all([tmp_path / "release.docx"])
    assert article.id == "release"
    assert article.text.split("\n") == [
        "آغاز ثبت‌نام طرح ملی کتابخوانی",
        "مدیرکل کتابخانه‌های استان گفت: ثبت‌نام از اول آبان آغاز می\u200cشود و یک ماه ادامه دارد.",
        "متن کامل در پایگاه کتابخانه‌ها منتشر شده است.",
        "هزینه ثبت‌نام برای همه رایگان است.",
    ]
    prepared = prepare(article)
    assert prepared.article.title == "آغاز ثبت‌نام طرح ملی کتابخوانی"
    assert prepared.sentences[0].text.endswith("آغاز می\u200cشود و یک ماه ادامه دارد.")


def test_what_is_no_readable_word_document_is_one_line(tmp_path, monkeypatch):
    old = tmp_path / "old.docx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))  # Word 97-2003, or a password-protected one
    text = tmp_path / "notes.docx"
    text.write_text("این یک فایل متنی است", encoding="utf-8")
    damaged = tmp_path / "damaged.docx"
    _word(damaged, _para(_run("متن")).replace("</w:p>", "</w:pp>"))
    other = tmp_path / "sheet.docx"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    empty = tmp_path / "empty.docx"
    _word(empty, "<w:tbl><w:tr><w:tc>" + _para(_run("فقط جدول")) + "</w:tc></w:tr></w:tbl>")
    (tmp_path / "~$notes.docx").write_bytes(b"\x0bWord user\x00" * 8)  # the owner file of a document open in Word
    lines = {item.path.name: str(item) for item in read_all([tmp_path]) if isinstance(item, InputFileError)}
    assert "~$notes.docx" not in lines
    assert "Word 97-2003 document or a password-protected one: save it as .docx" in lines["old.docx"]
    assert "is not a Word document (a .docx is a zip of XML" in lines["notes.docx"]
    assert "is a damaged Word document (word/document.xml is not XML" in lines["damaged.docx"]
    assert "holds no word/document.xml: it is no Word document" in lines["sheet.docx"]
    assert "is a Word document with no text" in lines["empty.docx"]


def test_a_word_document_is_read_without_its_entities_and_no_further_than_an_article(tmp_path, monkeypatch):
    """A document is hostile like a page: an entity naming a file on the disk is not read into
    the story, and a small zip that unpacks to more text than an article may hold is refused."""
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-TOKEN", encoding="utf-8")
    hostile = tmp_path / "hostile.docx"
    _word(
        hostile,
        _para(_run("خبر امروز: &xxe; پایان.")),
        doctype=f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>',
    )
    (article,) = read_all([hostile])
    assert "SECRET" not in article.text and article.text.startswith("خبر امروز:")
    monkeypatch.setattr("corpus.read.MAX_FILE_BYTES", 4096)
    big = tmp_path / "big.docx"
    _word(big, _para(_run("خبر " * 5000)))
    (refused,) = read_all([big])
    assert isinstance(refused, InputFileError) and "holds over 0 MB of text once unpacked" in str(refused)
