"""A channel's archive as Telegram Desktop exports it (``result.json``), ingested as `pasokh
fetch` reads the channel's preview: the same posts, credits and links, and one line for a file
that is no channel's export."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from news.channels import read_preview, to_raw
from news.telegram_export import read_export
from retrieval.index.ingest import ingest
from tests.app.test_cli import run
from tests.news.test_channels import NAME, post, preview

TITLE = "🔴 خبرهای نمونه"  # as the export names it: emoji and all
CHANNEL_ID = 1234567890
SLOGAN = "خبرهای نمونه، روایت بی‌واسطه رویدادها"
LIBRARY = "کتابخانه مرکزی یزد با ظرفیت دویست هزار جلد کتاب هفته آینده افتتاح می‌شود."
TRAIN = "بلیت قطار مسافربری اربعین از شنبه آینده به صورت اینترنتی پیش‌فروش می‌شود."
BRIDGE = "پل طبیعت دوم تهران تا پایان سال آینده به بهره‌برداری می‌رسد و هزینه آن از محل عوارض شهرداری تأمین شده است."


def _unix(iso: str) -> str:
    return str(int(datetime.fromisoformat(iso).timestamp()))


def _message(number: int, text: object, iso: str, **extra: object) -> dict:
    return {"id": number, "type": "message", "date": iso[:19], "date_unixtime": _unix(iso), "from": TITLE, "text": text, **extra}


def _export(kind: str = "public_channel") -> dict:
    """A channel's export as Telegram Desktop writes it: text as a list of plain strings and
    entities, service lines, a media-only post, a forward, an edit, a slogan under posts."""
    return {
        "name": TITLE,
        "type": kind,
        "id": CHANNEL_ID,
        "messages": [
            {"id": 1, "type": "service", "date": "2026-11-01T08:00:00", "actor": TITLE, "action": "create_channel", "text": ""},
            _message(
                2,
                [
                    {"type": "bold", "text": "افتتاح کتابخانه یزد"},
                    "\n",
                    LIBRARY,
                    " جزئیات ",
                    {"type": "text_link", "text": "اینجا", "href": "https://example.org/x"},
                    f"\n{SLOGAN}",
                ],
                "2026-11-20T07:00:00+00:00",
            ),
            _message(
                3, "", "2026-11-20T08:00:00+00:00", photo="(File not included. Change data exporting settings to download.)"
            ),
            _message(4, f"{TRAIN}\n{SLOGAN}", "2026-11-21T09:30:00+00:00", forwarded_from="ISNA"),
            _message(5, [BRIDGE, f"\n{SLOGAN}"], "2026-11-22T10:00:00+00:00", edited="2026-11-22T11:00:00"),
            _message(6, "The channel will be back tomorrow with more news.", "2026-11-23T10:00:00+00:00"),
            {"id": 7, "type": "service", "date": "2026-11-23T11:00:00", "action": "pin_message", "message_id": 5, "text": ""},
        ],
    }


@pytest.fixture
def export_file(tmp_path):
    path = tmp_path / "result.json"
    path.write_text(json.dumps(_export(), ensure_ascii=False), encoding="utf-8")
    return path


def test_an_exported_channel_is_answered_as_its_followed_posts_are(export_file, fresh_engine):
    engine = fresh_engine()
    report = ingest(engine, [export_file], read_export=lambda p: read_export(p, NAME))
    assert report.ok and len(report.added) == 3, "service lines, the photo and the English notice are no articles"
    library = engine.ask("کتابخانه مرکزی یزد کی افتتاح می‌شود؟").quotes[0]
    assert library.text.startswith(LIBRARY) and library.url == f"https://t.me/{NAME}/2"
    assert library.title == "افتتاح کتابخانه یزد" and library.agency == "خبرهای نمونه", "the bold line is its headline"
    assert library.published == "2026-11-20T07:00:00+00:00", "the post's Unix time, in UTC"
    train = engine.ask("پیش‌فروش بلیت قطار اربعین از کی است؟").quotes[0]
    assert train.agency == "ایسنا (بازنشر در خبرهای نمونه)", "a forward's words are its origin's"
    texts = " ".join(a.text for a in engine.iter_articles())
    assert SLOGAN not in texts and "The channel" not in texts, "the slogan under every post is never quoted"


def test_a_post_read_from_the_export_and_then_from_the_preview_is_one_article(export_file):
    """The same post, from the export and from the channel's preview: one id, one text, so a
    channel followed after its archive was ingested never doubles a post."""
    exported = {raw.url: raw for raw in read_export(export_file, NAME)}
    shown = read_preview(
        preview([post(2, f"افتتاح کتابخانه یزد\n{LIBRARY} جزئیات اینجا\n{SLOGAN}", "2026-11-20T07:00:00+00:00")], None).encode(),
        "text/html; charset=utf-8",
        NAME,
    )
    fetched = to_raw(shown.posts[0], "خبرهای نمونه")
    mine = exported[f"https://t.me/{NAME}/2"]
    assert (fetched.id, fetched.text, fetched.title, fetched.published) == (mine.id, mine.text, mine.title, mine.published)


def test_a_public_channel_is_read_only_with_its_handle_and_a_private_one_is_linked_as_telegram_links_it(export_file, tmp_path):
    """An export never names a channel's handle. A public channel's posts linked by its id
    would not open for a reader outside it, and would be stored again once the channel is
    followed: refused in one line that says what to give. A private channel has no handle: its
    posts get the links Telegram gives them."""
    (refusal,) = read_export(export_file)
    assert isinstance(refusal, Exception) and "public channel «خبرهای نمونه»" in str(refusal)
    assert "`pasokh ingest --channel NAME result.json`" in str(refusal)
    private = tmp_path / "private.json"
    private.write_text(json.dumps(_export("private_channel"), ensure_ascii=False), encoding="utf-8")
    assert [p.url for p in read_export(private)] == [f"https://t.me/c/{CHANNEL_ID}/{n}" for n in (2, 4, 5)]


def test_files_that_are_no_channels_export_are_one_line_each_and_a_bad_post_only_itself(tmp_path):
    def errors(data: object, name: str = "x.json", handle: str | None = None) -> list[str]:
        path = tmp_path / name
        path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return [str(e) for e in read_export(path, handle) if isinstance(e, Exception)]

    assert "is not valid JSON (line 1" in errors('{"name": "x", "messages": [')[0]
    deep = '{"name": "x", "messages": ' + "[" * 100_000 + "]" * 100_000 + "}"  # json's reader recursed out: a traceback
    assert "nests its lists and objects deeper than any export does" in errors(deep)[0]
    assert "not a Telegram Desktop export" in errors([{"title": "خبر", "text": LIBRARY}])[0]
    group = {**_export(), "type": "private_group"}
    assert "holds no channel (private_group)" in errors(group)[0]
    left = {**_export("private_channel"), "id": 99, "name": "دیگری"}  # a channel the account has left since
    account = {"chats": {"list": [_export("private_channel"), group]}, "left_chats": {"list": [left]}}
    assert "holds 2 channels, so --channel" in errors(account, handle=NAME)[0]
    assert len([r for r in read_export(tmp_path / "x.json") if not isinstance(r, Exception)]) == 6, "each channel's posts"
    assert "is no Telegram handle" in errors(_export(), handle="t.me/x y")[0]
    assert "is no Telegram handle" in errors(_export(), handle="https://example.org/news")[0]
    path = tmp_path / "one.json"
    path.write_text(json.dumps(_export(), ensure_ascii=False), encoding="utf-8")
    for pasted in (f"@{NAME}", f"https://t.me/{NAME}", f"t.me/s/{NAME}/", f"https://telegram.me/{NAME}?start=1"):
        links = {r.url for r in read_export(path, pasted)}  # the handle as an operator pastes it
        assert links == {f"https://t.me/{NAME}/{n}" for n in (2, 4, 5)}, pasted
    broken = _export()
    broken["messages"].append(_message(8, 42, "2026-11-24T10:00:00+00:00"))
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    read = list(read_export(path, NAME))
    assert [e.reason for e in read if isinstance(e, Exception)] == ["message 8: its 'text' is a int, not text"]
    assert len([r for r in read if not isinstance(r, Exception)]) == 3


def test_pasokh_ingest_reads_an_export_given_its_channels_handle(export_file, tmp_path):
    data = tmp_path / "data"
    result = run("ingest", "--channel", NAME, str(export_file), data_dir=data)
    assert result.returncode == 0 and "added 3" in result.stdout, result.stdout + result.stderr
    answer = json.loads(run("ask", "--json", "پل طبیعت دوم تهران کی به بهره‌برداری می‌رسد؟", data_dir=data).stdout)
    assert answer["quotes"][0]["url"] == f"https://t.me/{NAME}/5"
    again = run("ingest", "--channel", NAME, str(export_file), data_dir=data)
    assert again.returncode == 0 and "unchanged 3" in again.stdout, again.stdout
    unrelated = tmp_path / "settings.json"
    unrelated.write_text('{"theme": "dark"}', encoding="utf-8")
    refused = run("ingest", str(unrelated), data_dir=data)
    assert refused.returncode != 0 and "settings.json: is not a Telegram Desktop export" in refused.stderr


def test_a_time_the_export_states_without_a_unix_time_is_tehrans():
    from news.telegram_export import _when

    assert _when({"date": "2026-11-20T10:30:00"}) == "2026-11-20T10:30:00+03:30"
    assert (
        _when({"date": "2026-11-20T10:30:00", "date_unixtime": _unix("2026-11-20T07:00:00+00:00")})
        == datetime(2026, 11, 20, 7, tzinfo=UTC).isoformat()
    )
    assert _when({"date": "1970-01-01T00:00:00", "date_unixtime": "0"}) is None, "no story was published then"


def _html_page(header: str, messages: list[str]) -> str:
    """A page of Telegram Desktop's HTML export, laid out as it writes one."""
    return (
        '<!DOCTYPE html>\n<html>\n <head>\n  <meta charset="utf-8"/>\n<title>Exported Data</title>\n'
        '  <link href="css/style.css" rel="stylesheet"/>\n </head>\n <body onload="CheckLocation();">\n'
        '  <div class="page_wrap">\n   <div class="page_header">\n    <div class="content">\n'
        f'     <div class="text bold">\n{header}\n     </div>\n    </div>\n   </div>\n'
        '   <div class="page_body chat_page">\n    <div class="history">\n'
        '     <div class="message service" id="message-1">\n'
        '      <div class="body details">\n20 November 2026\n      </div>\n     </div>\n'
        + "".join(messages)
        + "    </div>\n   </div>\n  </div>\n </body>\n</html>\n"
    )


def _html_message(number: int, stamp: str, text: str | None, sender: str | None = TITLE, forwarded: str | None = None) -> str:
    joined = " joined" if sender is None else ""
    head = f'<div class="from_name">\n{sender}\n       </div>\n' if sender else ""
    lines = "<br>".join(text.split("\n")) if text is not None else ""
    inner = f'<div class="text">\n{lines}\n       </div>\n' if text is not None else '<div class="media_wrap clearfix"></div>\n'
    if forwarded:
        inner = (
            '<div class="pull_left forwarded userpic_wrap"></div>'
            f'<div class="forwarded body"><div class="from_name">\n{forwarded} '
            f'<span class="date details" title="{stamp}"> 20.11.2026 08:00:00</span>\n       </div>\n{inner}</div>\n'
        )
    return (
        f'     <div class="message default clearfix{joined}" id="message{number}">\n      <div class="body">\n'
        f'       <div class="pull_right date details" title="{stamp}">\n10:30\n       </div>\n'
        f"{head}{inner}      </div>\n     </div>\n"
    )


@pytest.fixture
def html_export(tmp_path):
    """A channel's export in Telegram Desktop's default format: a folder of pages, its style sheet beside them."""
    folder = tmp_path / "ChatExport_2026-11-30"
    (folder / "css").mkdir(parents=True)
    (folder / "css" / "style.css").write_text("body { }", encoding="utf-8")
    first = [
        _html_message(2, "20.11.2026 10:30:00 UTC+03:30", f"افتتاح کتابخانه یزد\n{LIBRARY} جزئیات اینجا\n{SLOGAN}"),
        _html_message(3, "20.11.2026 11:30:00 UTC+03:30", None, sender=None),  # a photo, joined to the post above
        _html_message(4, "21.11.2026 13:00:00 UTC+03:30", f"{TRAIN}\n{SLOGAN}", forwarded="ISNA"),
    ]
    (folder / "messages.html").write_text(_html_page(TITLE, first), encoding="utf-8")
    second = [_html_message(5, "22.11.2026 13:30:00", f"{BRIDGE}\n{SLOGAN}")]  # an older export: no offset
    (folder / "messages2.html").write_text(_html_page(TITLE, second), encoding="utf-8")
    return folder


def test_a_channels_html_export_is_read_with_its_handle_as_its_json_is(html_export, export_file):
    from corpus.read import read_all

    def exports(path):
        return read_export(path, NAME)

    read = [r for r in read_all([html_export], read_page=lambda p: None, read_export=exports)]
    assert not [r for r in read if isinstance(r, Exception)], read
    by_url = {r.url: r for r in read}
    assert set(by_url) == {f"https://t.me/{NAME}/{n}" for n in (2, 4, 5)}, "the photo has no words to quote"
    from_json = {r.url: r for r in read_export(export_file, NAME)}
    for url, raw in by_url.items():
        twin = from_json[url]
        assert (raw.id, raw.text, raw.title, raw.agency) == (twin.id, twin.text, twin.title, twin.agency), url
    assert by_url[f"https://t.me/{NAME}/2"].published == "2026-11-20T10:30:00+03:30"
    assert by_url[f"https://t.me/{NAME}/4"].agency == "ایسنا (بازنشر در خبرهای نمونه)", "a forward's words are its origin's"
    assert by_url[f"https://t.me/{NAME}/5"].published == "2026-11-22T13:30:00+03:30", "a time with no offset is Tehran's"


def test_an_html_export_without_the_handle_or_of_a_group_is_one_line(html_export, tmp_path):
    (refusal,) = read_export(html_export / "messages.html")
    assert "names neither the channel's handle nor its id" in str(refusal) and "--channel NAME ChatExport_2026-11-30/" in str(
        refusal
    )
    group = tmp_path / "group.html"
    chat = [
        _html_message(7, "20.11.2026 10:30:00 UTC+03:30", LIBRARY, sender="مریم"),
        _html_message(8, "20.11.2026 10:31:00 UTC+03:30", TRAIN, sender="علی"),
    ]
    group.write_text(_html_page("گروه خانواده", chat), encoding="utf-8")
    (refusal,) = read_export(group, NAME)
    assert "a group's export (messages from «علی»، «مریم»)" in str(refusal)


def test_pasokh_ingest_reads_a_folder_of_an_html_export_given_the_handle(html_export, tmp_path):
    data = tmp_path / "data"
    refused = run("ingest", str(html_export), data_dir=data)
    assert refused.returncode != 0 and refused.stderr.count("names neither the channel's handle") == 2
    result = run("ingest", "--channel", NAME, str(html_export), data_dir=data)
    assert result.returncode == 0 and "added 3" in result.stdout, result.stdout + result.stderr
    answer = json.loads(run("ask", "--json", "پل طبیعت دوم تهران کی به بهره‌برداری می‌رسد؟", data_dir=data).stdout)
    assert answer["quotes"][0]["url"] == f"https://t.me/{NAME}/5"


def test_a_page_of_telegrams_html_export_is_no_news_page(html_export, tmp_path):
    """`pasokh pages` and the page reader say what a page of a chat's export is, and how it is read."""
    from corpus.errors import InputFileError
    from news.inspect import saved_page

    with pytest.raises(InputFileError, match="HTML export of a chat, not a news page: a channel's export is read by"):
        saved_page(html_export / "messages.html")
    news = tmp_path / "news.html"  # a news page titled so is still read as one
    news.write_text(
        '<html><head><title>Exported Data</title><link rel="canonical" href="https://example.ir/news/1"></head>'
        f"<body><article><h1>افتتاح کتابخانه</h1><p>{LIBRARY}</p><p>{BRIDGE}</p></article></body></html>",
        encoding="utf-8",
    )
    assert read_export(news, NAME) is None, "no page of an export: read as a news page"
    assert saved_page(news).url == "https://example.ir/news/1"


def test_a_channels_web_preview_saved_from_a_browser_is_its_posts_not_one_page(tmp_path):
    """t.me/s/NAME saved as a page: read as a news page it was one article of every post, cited
    to the channel's address with no post's time. Each post is now its own article, as `pasokh
    fetch` stores the preview it fetches: its own link, time and credit."""
    folder = tmp_path / "saved"
    folder.mkdir()
    page = preview(
        [
            post(10, f"{LIBRARY}\n{SLOGAN}", "2026-11-20T07:00:00+00:00"),
            post(11, f"{TRAIN}\n{SLOGAN}", "2026-11-21T09:30:00+00:00", forwarded="ISNA"),
            post(12, None, "2026-11-21T10:00:00+00:00"),  # a photo
            post(13, f"{BRIDGE}\n{SLOGAN}", "2026-11-22T10:00:00+00:00"),
        ],
        None,
    ).replace('<meta charset="utf-8">', f'<meta charset="utf-8"><link rel="canonical" href="https://t.me/s/{NAME}">')
    (folder / f"{NAME}.html").write_text(page, encoding="utf-8")
    data = tmp_path / "data"
    result = run("ingest", str(folder), data_dir=data)
    assert result.returncode == 0 and "added 3" in result.stdout, result.stdout + result.stderr
    answer = json.loads(run("ask", "--json", "پل طبیعت دوم تهران کی به بهره‌برداری می‌رسد؟", data_dir=data).stdout)
    first = answer["quotes"][0]
    assert first["url"] == f"https://t.me/{NAME}/13" and first["published"].startswith("2026-11-22T10:00")
    assert first["text"] == BRIDGE, "the slogan under every post is not quoted"
    listed = run("articles", "--json", "-q", data_dir=data).stdout
    assert f"https://t.me/s/{NAME}" not in listed and "بازنشر در" in listed, "no article of the whole page; a forward credited"
    fetched = to_raw(read_preview(page.encode(), "text/html; charset=utf-8", NAME).posts[0], "کانال خبری نمونه")
    from news.inspect import inspect_page

    row = inspect_page(folder / f"{NAME}.html")  # `pasokh pages` says what it is, not one page's figures
    assert row.sentences == 0 and f"web preview of the channel @{NAME}" in row.error and "(4 posts on the page)" in row.error
    saved = next(r for r in read_export(folder / f"{NAME}.html") if r.url == fetched.url)
    assert (saved.id, saved.text, saved.published) == (fetched.id, fetched.text, fetched.published), (
        "the post fetched later is the same article"
    )


def test_a_channels_web_preview_saved_as_one_file_is_its_posts_too(tmp_path):
    """The same preview saved by a phone's browser as one file (.mhtml): its posts, each its own
    article under its own link, as from the .html."""
    from tests.news.test_real_pages import _single_file

    posts = [
        post(10, f"{LIBRARY}\n{SLOGAN}", "2026-11-20T07:00:00+00:00"),
        post(13, f"{BRIDGE}\n{SLOGAN}", "2026-11-22T10:00:00+00:00"),
    ]
    page = preview(posts, None)
    (tmp_path / "saved.html").write_text(page, encoding="utf-8")
    (tmp_path / "saved.mhtml").write_bytes(_single_file(page.encode(), f"https://t.me/s/{NAME}"))
    from_html = [(r.id, r.url, r.text) for r in read_export(tmp_path / "saved.html")]
    from_single = [(r.id, r.url, r.text) for r in read_export(tmp_path / "saved.mhtml")]
    assert from_single == from_html and [url for _, url, _ in from_single] == [
        f"https://t.me/{NAME}/10",
        f"https://t.me/{NAME}/13",
    ]
