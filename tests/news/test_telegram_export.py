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
    assert "not a Telegram Desktop export" in errors([{"title": "خبر", "text": LIBRARY}])[0]
    group = {**_export(), "type": "private_group"}
    assert "holds no channel (private_group)" in errors(group)[0]
    left = {**_export("private_channel"), "id": 99, "name": "دیگری"}  # a channel the account has left since
    account = {"chats": {"list": [_export("private_channel"), group]}, "left_chats": {"list": [left]}}
    assert "holds 2 channels, so --channel" in errors(account, handle=NAME)[0]
    assert len([r for r in read_export(tmp_path / "x.json") if not isinstance(r, Exception)]) == 6, "each channel's posts"
    assert "is no Telegram handle" in errors(_export(), handle="t.me/x y")[0]
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


def test_a_page_of_telegrams_html_export_says_to_export_as_json(tmp_path):
    """Telegram Desktop exports HTML unless told JSON: a folder of messages.html pages was read
    as saved news pages and refused as declaring no address, which says nothing of what to do."""
    from corpus.errors import InputFileError
    from news.inspect import saved_page

    page = tmp_path / "messages.html"
    page.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"/><title>Exported Data</title>'
        '<link href="css/style.css" rel="stylesheet"/></head><body onload="CheckLocation();"><div class="page_wrap">'
        '<div class="page_header"><div class="content"><div class="text bold">خبرهای نمونه</div></div></div>'
        '<div class="page_body chat_page"><div class="history">'
        '<div class="message service" id="message-1"><div class="body details">20 November 2026</div></div>'
        '<div class="message default clearfix" id="message2"><div class="body">'
        '<div class="pull_right date details" title="20.11.2026 10:30:00 UTC+03:30">10:30</div>'
        f'<div class="from_name">خبرهای نمونه</div><div class="text">{LIBRARY}</div></div></div>'
        "</div></div></div></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(InputFileError, match="Telegram Desktop's HTML export of a chat: export it again as JSON"):
        saved_page(page)
    news = tmp_path / "news.html"  # a news page titled so is still read as one
    news.write_text(
        '<html><head><title>Exported Data</title><link rel="canonical" href="https://example.ir/news/1"></head>'
        f"<body><article><h1>افتتاح کتابخانه</h1><p>{LIBRARY}</p><p>{BRIDGE}</p></article></body></html>",
        encoding="utf-8",
    )
    assert saved_page(news).url == "https://example.ir/news/1"
