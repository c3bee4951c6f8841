"""A public Telegram channel followed through its web preview, served locally in the shape of
``t.me/s/<name>``: posts with text, links, dates, a forwarded post, an edited post and a
media-only post, and paging back to older posts."""

from __future__ import annotations

import html

import pytest
from werkzeug import Response

from news.channels import Post, credit, to_raw
from news.client import Client
from news.fetch import fetch_all, fetch_urls, status
from news.pages import article_id
from news.sources import FetchSettings, Source, SourceError

NAME = "pasokh_news"
TITLE = "کانال خبری نمونه"


def post(
    number: int,
    text: str | None,
    when: str,
    edited: bool = False,
    forwarded: str | None = None,
    before_text: str = "",
    kind: str = "text_not_supported_wrap",
) -> str:
    """A post as the preview serves it; ``before_text`` is what Telegram puts above the text (a
    reply's quote of its parent, a video player), ``kind`` the post's extra class."""
    body = before_text
    if text is not None:
        lines = "<br/>".join(html.escape(line) for line in text.split("\n"))
        body += f'<div class="tgme_widget_message_text js-message_text" dir="auto">{lines}</div>'
    fwd = (
        f'<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from '
        f'<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/other/1"><span>{forwarded}</span></a></div>'
        if forwarded
        else ""
    )
    mark = (
        '<span class="tgme_widget_message_meta">edited <a class="tgme_widget_message_date">'
        if edited
        else ('<span class="tgme_widget_message_meta"><a class="tgme_widget_message_date">')
    )
    return (
        f'<div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message {kind} js-widget_message" '
        f'data-post="{NAME}/{number}">{fwd}{body}<div class="tgme_widget_message_footer">{mark}'
        f'<time datetime="{when}" class="time">10:00</time></a></span></div></div></div>'
    )


def preview(posts: list[str], before: int | None) -> str:
    link = f'<a class="tme_messages_more js-messages_more" data-before="{before}" href="/s/{NAME}?before={before}"></a>'
    more = link if before else ""
    return (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><meta property="og:title" content="{TITLE}"></head><body>'
        f'<div class="tgme_channel_info_header_title"><span dir="auto">{TITLE}</span></div>'
        f'<section class="tgme_channel_history js-message_history">{more}{"".join(posts)}</section></body></html>'
    )


LIBRARY = (
    "کتابخانه مرکزی یزد با ظرفیت دویست هزار جلد کتاب هفته آینده افتتاح می‌شود. جزئیات: https://example.org/x"
    f"\n#فرهنگی #یزد\n🆔 @{NAME}"  # the channel's tags and sign-off: nothing to quote
)
RAIN = "سازمان هواشناسی: بارش باران در تهران از فردا صبح آغاز می‌شود و تا پایان هفته ادامه دارد."
ISNA_NEWS = "بلیت قطار مسافربری اربعین از شنبه آینده به صورت اینترنتی پیش‌فروش می‌شود."
METRO = "افتتاح خط سوم مترو مشهد\nخط سوم قطار شهری مشهد با بیست و چهار ایستگاه امروز افتتاح شد."


@pytest.fixture
def channel(httpserver):
    state = {"metro": METRO, "deleted": set(), "newer": []}

    def newest(request):
        if request.args.get("before") == "10":
            older = [
                post(8, RAIN, "2026-11-19T06:00:00+00:00", forwarded="هواشناسی"),
                post(9, ISNA_NEWS, "2026-11-19T07:00:00+00:00", forwarded="ISNA"),
            ]
            return Response(preview(older, None), content_type="text/html; charset=utf-8")
        posts = [
            post(10, LIBRARY, "2026-11-20T07:00:00+00:00"),
            post(11, None, "2026-11-20T08:00:00+00:00"),  # a photo with no caption
            post(12, state["metro"], "2026-11-21T09:30:00+00:00", edited=state["metro"] != METRO),
            *state["newer"],
        ]
        numbers = (10, 11, 12, *range(13, 13 + len(state["newer"])))
        shown = [p for n, p in zip(numbers, posts, strict=True) if n not in state["deleted"]]
        return Response(preview(shown, 10), content_type="text/html; charset=utf-8")

    httpserver.expect_request(f"/s/{NAME}").respond_with_handler(newest)
    return state


def client_for(httpserver) -> Client:
    settings = FetchSettings(min_host_delay_seconds=0, respect_robots=False, telegram_preview_url=httpserver.url_for("/s/"))
    return Client(settings)


def test_a_channel_post_is_answered_with_its_own_link_time_and_channel(httpserver, channel, fresh_engine):
    engine = fresh_engine()
    report = fetch_all(engine, [Source(channel=NAME)], client_for(httpserver))[0]
    assert report.error is None, report.error
    assert report.listed == 5 and report.added == 4, "the media-only post has nothing to quote"
    quote = engine.ask("کتابخانه مرکزی یزد کی افتتاح می‌شود؟").quotes[0]
    assert "دویست هزار جلد" in quote.text and quote.url == f"https://t.me/{NAME}/10"
    assert quote.agency == TITLE and quote.published.startswith("2026-11-20T07:00")
    library = next(a for a in engine.iter_articles() if a.url == quote.url)
    assert "جزئیات: https://example.org/x" in library.text and "@" not in library.text and "#" not in library.text
    rain = engine.ask("بارش باران در تهران از کی آغاز می‌شود؟").quotes[0]
    assert rain.url == f"https://t.me/{NAME}/8", "an older post, reached by paging, forwarded from another channel"
    assert rain.agency == f"هواشناسی (بازنشر در {TITLE})", "a forward's words are its origin's"
    train = engine.ask("پیش‌فروش بلیت قطار اربعین از کی است؟").quotes[0]
    assert train.agency == f"ایسنا (بازنشر در {TITLE})", "an outlet is named as readers know it"
    metro = engine.ask("خط سوم قطار شهری مشهد چند ایستگاه دارد؟").quotes[0]
    assert metro.title == "افتتاح خط سوم مترو مشهد" and "بیست و چهار ایستگاه" in metro.text


def test_an_edited_post_replaces_its_old_text_and_nothing_else_is_fetched_again(httpserver, channel, fresh_engine):
    engine = fresh_engine()
    source = Source(channel=NAME, name="نمونه")
    fetch_all(engine, [source], client_for(httpserver))
    channel["metro"] = METRO.replace("بیست و چهار", "بیست و شش")
    again = fetch_all(engine, [source], client_for(httpserver))[0]
    assert again.fetched == 1 and again.updated == 1
    metro = engine.ask("خط سوم قطار شهری مشهد چند ایستگاه دارد؟").quotes[0]
    assert "بیست و شش" in metro.text and metro.agency == "نمونه"
    assert status(engine, [source])[0]["articles"] == 4


def test_a_post_the_channel_deleted_is_no_longer_quoted(httpserver, channel, fresh_engine):
    """Channels delete a report that proved false; quoting it on would cite the channel for what
    it took back. A stored post missing from among the posts the preview shows is removed; a
    post older than the preview reached, and a photo without a caption, are not evidence."""
    engine = fresh_engine()
    source = Source(channel=NAME)
    fetch_all(engine, [source], client_for(httpserver))
    assert not engine.ask("خط سوم قطار شهری مشهد چند ایستگاه دارد؟").abstained
    channel["deleted"].add(12)
    channel["newer"].append(
        post(13, "هواپیمای مسافربری کیش امروز با تاخیر دو ساعته در مهرآباد به زمین نشست.", "2026-11-22T09:00:00+00:00")
    )
    again = fetch_all(engine, [source], client_for(httpserver))[0]
    assert again.removed == [article_id(f"https://t.me/{NAME}/12")] and again.added == 1
    assert engine.ask("خط سوم قطار شهری مشهد چند ایستگاه دارد؟").abstained
    assert {a.url for a in engine.iter_articles()} == {f"https://t.me/{NAME}/{n}" for n in (8, 9, 10, 13)}
    third = fetch_all(engine, [source], client_for(httpserver))[0]
    assert third.removed == [] and third.error is None


def test_a_channel_source_is_checked_when_configured():
    with pytest.raises(SourceError, match="channel"):
        Source(channel="a b!")
    assert Source(channel="@pasokh_news").url == "https://t.me/pasokh_news"


def reply_to(number: int, quoted: str, markup: str = "tgme_widget_message_text") -> str:
    return (
        f'<a class="tgme_widget_message_reply" href="https://t.me/{NAME}/{number}">'
        f'<div class="tgme_widget_message_author accent_color"><span class="tgme_widget_message_author_name">{TITLE}</span></div>'
        f'<div class="{markup} js-message_reply_text" dir="auto">{html.escape(quoted)}</div></a>'
    )


VIDEO = (
    '<a class="tgme_widget_message_video_player js-message_video_player" href="https://t.me/x/1">'
    '<i class="tgme_widget_message_video_thumb"></i><video class="tgme_widget_message_video js-message_video"></video>'
    '<time class="message_video_duration js-message_video_duration">1:05</time></a>'
)


def test_replies_videos_and_service_lines_as_the_preview_really_marks_them(httpserver, fresh_engine):
    """A reply shows the start of the post it answers above its own text (in an element of the
    same class in some versions of the preview), a video's duration is a <time> ahead of the
    post's, and Telegram's own lines («Channel photo updated») are not the channel's news."""
    correction = "اصلاحیه: ظرفیت کتابخانه مرکزی یزد سیصد هزار جلد کتاب است و افتتاح آن به ماه بعد موکول شد."
    flood = "ویدیو: سیلاب در جاده هراز باعث بسته شدن مسیر برای سه ساعت شد و امدادگران در محل حاضرند."
    posts = [
        post(10, LIBRARY, "2026-11-20T07:00:00+00:00"),
        post(11, correction, "2026-11-20T09:00:00+00:00", before_text=reply_to(10, LIBRARY[:60])),
        post(12, flood, "2026-11-21T05:30:00+00:00", before_text=VIDEO),
        post(13, RAIN, "2026-11-21T06:00:00+00:00", before_text=reply_to(12, flood[:50], "tgme_widget_message_metatext")),
        post(14, "Channel photo updated", "2026-11-21T07:00:00+00:00", kind="service_message"),
    ]
    httpserver.expect_request(f"/s/{NAME}").respond_with_data(preview(posts, None), content_type="text/html; charset=utf-8")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(channel=NAME)], client_for(httpserver))[0]
    assert report.error is None and report.added == 4, "four posts of the channel's own; the service line is not one"
    stored = {a.url: a for a in engine.iter_articles()}
    assert set(stored) == {f"https://t.me/{NAME}/{n}" for n in (10, 11, 12, 13)}
    assert "سیصد هزار جلد" in stored[f"https://t.me/{NAME}/11"].text
    assert "دویست هزار" not in stored[f"https://t.me/{NAME}/11"].text, "the parent's words are not the reply's"
    assert "سیلاب" not in stored[f"https://t.me/{NAME}/13"].text
    quote = engine.ask("سیلاب جاده هراز مسیر را چند ساعت بست؟").quotes[0]
    assert quote.url == f"https://t.me/{NAME}/12" and quote.published.startswith("2026-11-21T05:30")


def test_a_channel_without_a_public_preview_is_reported_not_silently_empty(httpserver, fresh_engine):
    """t.me sends a private channel, one with its preview turned off, or a name with no channel
    to its contact page: the operator is told, instead of a source that never finds a post."""
    contact = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Telegram: Contact @pasokh_news</title></head><body>'
        '<div class="tgme_page"><div class="tgme_page_title"><span dir="auto">کانال خبری نمونه</span></div>'
        '<div class="tgme_page_action"><a class="tgme_action_button_new" href="tg://resolve?domain=pasokh_news">'
        "View in Telegram</a></div></div></body></html>"
    )
    httpserver.expect_request(f"/s/{NAME}").respond_with_data(contact, content_type="text/html; charset=utf-8")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(channel=NAME)], client_for(httpserver))[0]
    assert report.error and "no public preview" in report.error
    assert status(engine, [Source(channel=NAME)])[0]["last_error"] == report.error


def test_fetching_a_t_me_address_follows_the_channel_not_one_page_of_all_its_posts(httpserver, channel, fresh_engine):
    """`pasokh fetch https://t.me/s/name`: read as a page, the preview would be one article of
    every post under one link and one date."""
    engine = fresh_engine()
    for address in (f"https://t.me/s/{NAME}", f"https://t.me/{NAME}"):
        (report,) = fetch_urls(engine, [address], client_for(httpserver))
        assert report.source.kind == "channel" and report.error is None, report.error
    assert {a.url for a in engine.iter_articles()} == {f"https://t.me/{NAME}/{n}" for n in (8, 9, 10, 12)}
    with pytest.raises(SourceError, match=f"one post.*https://t.me/s/{NAME}"):
        fetch_urls(engine, [f"https://t.me/{NAME}/12"], client_for(httpserver))


def test_a_post_in_another_language_is_passed_over_and_a_persian_one_kept():
    """A Persian channel's notice in English (or its Arabic service's post) is no answer to a
    Persian question; a Persian post that names things in English is still Persian."""
    english = (
        "Dear followers, our English service has moved to a new channel. Please follow it for the latest news "
        "from Iran and the region, updated every hour by our editors."
    )
    persian = RAIN + " این گزارش را سازمان هواشناسی به نقل از مرکز پیش‌بینی Meteo Iran منتشر کرده است."
    posts = [Post(NAME, 20, english, None, False, None), Post(NAME, 21, persian, None, False, None)]
    assert [to_raw(p, TITLE) is None for p in posts] == [True, False]


def test_a_posts_byline_link_label_and_call_to_read_on_are_not_quoted():
    """News channels (BBC Persian's, as its preview shows it) put a byline under a pen, a label
    over the story's short link, the link itself by its bare domain, and a call to read the rest
    elsewhere; none of these is the news, so none is a quote or the post's headline."""
    from corpus.prepare import prepare

    interview = (
        "🖋پگاه آهنگرانی\nکارگردان\n\n🔻من و ترانه سال‌هاست با هم دوستیم و قبل از ورود به سینما همکلاس بودیم.\n\n"
        "او گفت این فیلم در تهران ساخته شده است.\n\nلینک خبر:\nhttps://bbc.in/4pVkw4P\n@BBCPersian"
    )
    report = (
        "🔻روسیه می‌گوید «عمیقاً نگران» رویارویی نظامی بین هند و پاکستان است\n\n"
        "وزارت امور خارجه روسیه در بیانیه‌ای اعلام کرده است که از تشدید رویارویی نظامی نگران است.\n\n"
        "ادامه مطلب را از لینک زیر در وبسایت بی‌بی‌سی فارسی بخوانید:\n bbc.in/3Z3Rnc2\n📷cityofbendoregon\n@bbcpersian"
    )
    raws = [to_raw(Post(NAME, n, text, None, False, None), TITLE) for n, text in ((30, interview), (31, report))]
    first, second = (prepare(raw) for raw in raws)
    assert [s.text for s in first.sentences] == [
        "🔻من و ترانه سال‌هاست با هم دوستیم و قبل از ورود به سینما همکلاس بودیم.",
        "او گفت این فیلم در تهران ساخته شده است.",
    ]
    assert "آهنگرانی" not in first.article.title and "کارگردان" not in first.article.title
    assert second.article.title == "🔻روسیه می‌گوید «عمیقاً نگران» رویارویی نظامی بین هند و پاکستان است"
    assert [s.text for s in second.sentences] == [
        "وزارت امور خارجه روسیه در بیانیه‌ای اعلام کرده است که از تشدید رویارویی نظامی نگران است."
    ]


def test_a_photo_credit_over_two_lines_and_a_handle_after_the_last_sentence_are_not_quoted():
    """Fars's channel (as a mirror of it shows the posts) credits a photo with «عکس:» and the
    photographer's name on the next line, and signs a post off with its handle on the same line
    as the last sentence; neither is the news."""
    from corpus.prepare import prepare

    album = "📷\nدومین سالگرد شهید جمهور و شهدای خدمت در حرم رضوی\nعکس:\nحدیث فقیری\n@Farsna"
    story = (
        "پس از استقلال و پرسپولیس، مجوز حرفه‌ای تراکتور نیز صادر شد\n🔹\nباشگاه تراکتور با دریافت نامه‌ای از سوی "
        "فدراسیون فوتبال، مجوز حرفه‌ای برای فصل پیش رو را گرفت و می‌تواند فصل بعد در آسیا شرکت کند. @Farsna"
    )
    first, second = (
        prepare(to_raw(Post("farsna", n, text, None, False, None), "خبرگزاری فارس")) for n, text in ((50, album), (51, story))
    )
    assert [s.text for s in first.sentences] == ["دومین سالگرد شهید جمهور و شهدای خدمت در حرم رضوی"]
    assert first.article.title == first.article.agency == "فارس", "the caption is the post's one quotable line"
    assert second.article.title == "پس از استقلال و پرسپولیس، مجوز حرفه‌ای تراکتور نیز صادر شد"
    assert [s.text for s in second.sentences] == [
        "باشگاه تراکتور با دریافت نامه‌ای از سوی فدراسیون فوتبال، مجوز حرفه‌ای برای فصل پیش رو را گرفت و "
        "می‌تواند فصل بعد در آسیا شرکت کند."
    ]


def test_a_call_to_read_the_rest_here_a_captions_handle_and_a_files_name_are_not_quoted():
    """More of Fars's channel: «… را اینجا بخوانید.» points at a link (its stop does not make it
    news), a video's caption carries the handle after two spaces, and a post of a document has
    only the file's name: none of them is quoted, and the document's post is no article."""
    from corpus.prepare import prepare

    talk = (
        "«زمانه»؛ برنامه‌ای که از دل تحولات، زبان تازه‌ای پیدا کرد\n🔹\nبرخی اوقات به من کتاب یا محتوایی داده‌اند "
        "و من روی آنتن نگفته‌ام.\n🔗\nادامه میزگرد برنامه «زمانه» با حضور عوامل را اینجا بخوانید.\n@Farsnart"
    )
    caption = "🎥\nموج محکومیت اهانت به بازداشت‌شدگان ناوگان کمک‌رسانی به غزه  @Farsna"
    posts = [Post("farsna", n, text, None, False, None) for n, text in ((60, talk), (61, caption), (62, "خط-41.pdf"))]
    first, second, document = (to_raw(p, "خبرگزاری فارس") for p in posts)
    assert [s.text for s in prepare(first).sentences] == ["برخی اوقات به من کتاب یا محتوایی داده‌اند و من روی آنتن نگفته‌ام."]
    assert [s.text for s in prepare(second).sentences] == ["موج محکومیت اهانت به بازداشت‌شدگان ناوگان کمک‌رسانی به غزه"]
    assert document is None


def test_a_post_as_the_preview_marks_it_up_loses_its_links_label_and_sign_off():
    """The same Fars post as the channel's web preview serves it: the «here» of the call to read
    on is a link inside the line, the hashtag and the handle are links, lines break at <br/>."""
    from corpus.prepare import prepare
    from news.channels import read_preview

    markup = (
        "«زمانه»؛ برنامه‌ای که از دل تحولات، زبان تازه‌ای پیدا کرد<br/>🔹<br/>برخی اوقات به من کتاب یا محتوایی "
        "داده‌اند و من روی آنتن نگفته‌ام.<br/>🔗<br/>ادامه میزگرد برنامه «زمانه» با حضور عوامل را "
        '<a href="https://farsnews.ir/x">اینجا</a> بخوانید.<br/><a href="?q=%23زمانه">#زمانه</a><br/>'
        '<a href="https://t.me/Farsnart">@Farsnart</a>'
    )
    page = preview([post(63, "x", "2026-05-21T19:00:00+03:30")], None).replace("x</div>", f"{markup}</div>", 1)
    (found,) = read_preview(page.encode(), "text/html; charset=utf-8", NAME).posts
    article = prepare(to_raw(found, TITLE))
    assert article.article.title == "«زمانه»؛ برنامه‌ای که از دل تحولات، زبان تازه‌ای پیدا کرد"
    assert [s.text for s in article.sentences] == ["برخی اوقات به من کتاب یا محتوایی داده‌اند و من روی آنتن نگفته‌ام."]


def test_a_sign_off_naming_the_admin_is_not_quoted_nor_the_title():
    """A channel (FunHipHop's, as a mirror shows it) signs each post with its handle and the
    admin's name after a bar, on the last sentence's line or under it."""
    from corpus.prepare import prepare

    glued = "مکزیک به عنوان اولین تیم به دور ۱/۱۶ صعود کرد.   @FunHipHop | Taymaz"
    under = "وضعیت فعلی تیم های سوم جام جهانی.\n@FunHipHop\n| Taymaz"
    for n, text in ((70, glued), (71, under)):
        post = prepare(to_raw(Post("funhiphop", n, text, None, False, None), "FunHipHop"))
        assert [s.text for s in post.sentences] == [text.split("   @")[0].split("\n")[0]]
        assert "Taymaz" not in post.article.title
    assert to_raw(Post("funhiphop", 72, "@FunHipHop\n| Jenayi", None, False, None), "FunHipHop") is None


def test_a_posts_headline_may_ask():
    """Akhbar-e Fori's channel heads a report with a question; it is the post's title, as a page's
    headline that asks is, and the story under it is quoted."""
    from corpus.prepare import prepare

    text = (
        "♦️\nپشت دیوار سکوت بانک سپه چه گذشت؟\n🔹\nیک سال، سه ضربه: نشت احتمالی ۱۲ ترابایت داده‌ی مشتریان در "
        "فروردین ۱۴۰۴، فلج شدن خدمات بانکی در روزهای جنگ ۱۲ روزه، و بحرانی سوم که همزمان با جنگ ۴۰ روزه شکل گرفت."
        "\n🔗\nگزارش کامل را اینجا بخوانید:\nkhabarfoori.com/fa/tiny/news-3227401\n🇮🇷\n✊\n@AkhbareFori\n|\nLink"
    )
    post = prepare(to_raw(Post("akhbarefori", 80, text, None, False, None), "خبرفوری"))
    assert post.article.title == "پشت دیوار سکوت بانک سپه چه گذشت؟"
    assert [s.text for s in post.sentences] == [text.split("\n")[3]]


def test_a_list_of_bulletins_is_quoted_whole_its_first_line_no_headline():
    """A journalist's channel posts short bulletins one per line; the first is news as the others
    are, not a headline over them, so each is quoted and the post is titled by its channel."""
    from corpus.prepare import prepare

    text = "🚨\nچندین انفجار در بندرعباس\n🔺\nچندین انفجار در اهواز\n🔺\nپنج انفجار در قشم"
    post = prepare(to_raw(Post("farahmand_alipour", 90, text, None, False, None), "فرهمند عليپور"))
    assert [s.text for s in post.sentences] == ["چندین انفجار در بندرعباس", "چندین انفجار در اهواز", "پنج انفجار در قشم"]
    assert post.article.title == "فرهمند عليپور"


def test_a_post_titled_by_its_opening_words_is_listed_from_its_first_word():
    """HotNews (as its preview shows it) breaks «#فوری» / «؛پلیس …»: the tag's line is not quoted,
    and the separator it left opened the post's title, so `pasokh articles` listed «؛پلیس …»
    where the answers cite «پلیس …»."""
    from corpus.prepare import prepare

    text = "#فوری\n؛پلیس اعلام کرد که یک تبعه ۲۷ ساله را در مرکز لندن بازداشت کرده است.\nدو ملک بازرسی شد."
    post = prepare(to_raw(Post("news_hut", 72597, text, None, False, None), "هات نیوز"))
    assert post.article.citation.startswith("پلیس اعلام کرد که یک تبعه"), post.article.citation


def test_words_leading_into_a_quote_are_quoted_not_taken_for_a_headline():
    """VahidOnline's post opens with the words that lead into what IRNA wrote, ending in a colon:
    a sentence of the post, quoted with the rest; the post is titled by its opening words."""
    from corpus.prepare import prepare

    lead = "در ایرنا به زبان فارسی سخت تیتری درباره صدای فعالیت پدافند نوشتند، میری توی متن خبر می‌بینی نوشته:"
    quoted = '"لحظاتی قبل یک مقر نظامی در حاشیه شهر بوشهر مورد تجاوز و اصابت پرتابه دشمن آمریکایی- صهیونی قرار گرفت."'
    post = prepare(to_raw(Post("VahidOnline", 95, f"{lead}\n{quoted}\n📡\n@VahidOnline", None, False, None), "وحید آنلاین"))
    assert [s.text for s in post.sentences] == [lead, quoted]
    assert post.article.title.startswith("در ایرنا") and post.article.title.endswith("…")


def test_an_outlets_channel_and_forwards_are_credited_by_the_outlets_name():
    """BBC Persian's channel is titled «BBCPersian» in its preview; a citation names the outlet
    as its web pages are credited, and a forward from another outlet's channel names both."""
    own = Post("bbcpersian", 40, RAIN, None, False, None)
    forward = Post("bbcpersian", 41, RAIN, None, False, "ISNA")
    assert credit(own, "BBCPersian") == "بی‌بی‌سی فارسی"
    assert credit(forward, "BBCPersian") == "ایسنا (بازنشر در بی‌بی‌سی فارسی)"
    assert credit(own, "هواشناسی تهران") == "هواشناسی تهران", "a channel that is no outlet keeps its title"


def test_a_posts_bar_of_links_credit_to_an_account_and_tag_are_not_quoted():
    """IRCF's channel (as a mirror shows it) ends each post with a bar of its links' labels in
    small capitals, credits the account it took a post from after «©», and tags a post with a
    Persian tag whose words the non-joiner joins: none of them is the news."""
    from corpus.prepare import prepare

    bar = "🔗 ᴡᴇʙꜱɪᴛᴇ • ᴠᴘɴʜᴜʙ • ɢɪᴛʜᴜʙᴍɪʀʀᴏʀ\n@ircfspace"
    bug = (
        "یه باگ توی واتساپ اندروید پیدا شده که روی بعضی گوشی‌ها می‌تونه اجازه بده بدون باز کردن قفل گوشی، به گالری دسترسی پیدا بشه."
    )
    tagged = "دستور پیگیری فوری\n#ترافیک‌خواری\nچندبرابر پول اینترنت میدیم، چندبرابر هزینه VPN میشه!"
    one_per_line = f"{bug}\n©\nnotebookcheck\n🔗\nᴡᴇʙꜱɪᴛᴇ\n•\nᴠᴘɴʜᴜʙ\n•\nɢɪᴛʜᴜʙᴍɪʀʀᴏʀ\n@ircfspace"
    posts = [(2576, f"{bug}\n© notebookcheck\n{bar}"), (2570, f"{tagged}\n{bar}"), (2577, one_per_line)]
    first, second, third = (prepare(to_raw(Post("ircfspace", n, t, None, False, None), "IRCF")) for n, t in posts)
    assert [s.text for s in first.sentences] == [bug]
    assert [s.text for s in second.sentences] == ["چندبرابر پول اینترنت میدیم، چندبرابر هزینه VPN میشه!"]
    assert second.article.title == "دستور پیگیری فوری"
    assert [s.text for s in third.sentences] == [bug], "the bar's labels one per line, as the links break them"


def test_a_post_stating_another_outlet_as_its_source_is_credited_to_it_via_the_channel():
    """A channel reposting an agency's report says so after the last sentence («… توقیف شده
    است. /ایرنا», IRCF's) or on a line of its own («منبع: ایسنا»): the words are the agency's,
    so the citation names it as relayed by the channel, as a forward's does; the credit is not
    quoted. The outlet's own channel stating itself stays credited to itself."""
    from corpus.prepare import prepare

    seized = "رئیس پلیس امنیت اقتصادی از کشف ۹۹۷ دستگاه ماهواره خبر داد و گفت: ۱۶۳ نفر دستگیر شده‌اند."
    glued = prepare(to_raw(Post("ircfspace", 2566, f"{seized} /ایرنا\n@ircfspace", None, False, None), "IRCF"))
    assert glued.article.agency == "ایرنا (بازنشر در IRCF)"
    assert [s.text for s in glued.sentences] == [seized]
    labelled = prepare(to_raw(Post("ircfspace", 2567, f"{seized}\nمنبع: ایسنا", None, False, None), "IRCF"))
    assert labelled.article.agency == "ایسنا (بازنشر در IRCF)"
    own = prepare(to_raw(Post("isna94", 5, f"{seized}\nمنبع: ایسنا", None, False, None), "ISNA"))
    assert own.article.agency == "ایسنا"
    forward = prepare(to_raw(Post("ircfspace", 2568, f"{seized}\nمنبع: ایسنا", None, False, "Tasnim"), "IRCF"))
    assert forward.article.agency == "تسنیم (بازنشر در IRCF)", "a forward is credited to the channel it came from"
    # or as its words open: «تسنیم : …», «به گزارش ایسنا، …» (AloNews's, over its handle and its slogan)
    opened = prepare(
        to_raw(
            Post("alonews", 7, "👈\nتسنیم : رئیس‌جمهور به بیمارستان منتقل شد\n✅\n@AloNews\nخبر جنگ", None, False, None), "AloNews"
        )
    )
    assert opened.article.agency == "تسنیم (بازنشر در AloNews)"
    assert [s.text for s in opened.sentences] == ["تسنیم : رئیس‌جمهور به بیمارستان منتقل شد"], (
        "the slogan under the handle is no news"
    )
    reported = prepare(to_raw(Post("alonews", 8, f"به گزارش ایسنا، {seized}\n@AloNews خبر جنگ", None, False, None), "AloNews"))
    assert reported.article.agency == "ایسنا (بازنشر در AloNews)" and len(reported.sentences) == 1
    said = prepare(to_raw(Post("alonews", 9, "رسایی: این طرح را باید متوقف کرد\n@AloNews", None, False, None), "AloNews"))
    assert said.article.agency == "AloNews", "a person's name opening the words is no outlet"


SLOGAN = "«سرخ تایمز» دریچه ای تازه به اخبار موثق و اختصاصی پرسپولیس"


def test_a_slogan_the_channel_puts_under_every_post_is_never_quoted(httpserver, fresh_engine):
    """SorkhTimes (as a mirror shows it) puts its slogan under each post, on a line of its own or
    after the last words; the slogan is no news, but a report the channel posted three times over
    is, and a post whose one line of news sits over the slogan has that line quoted, not taken for
    a headline over the slogan."""
    stories = [
        "خداداد در طول این ۴ ماه حق ورود به هیچ کدوم از ورزشگاه‌های کشور رو نداره",
        "بیفوما دعوت تیم ملی کنگو را رد کرد",
        "محسن خلیلی مدیر پرسپولیس: ۸۰۰ میلیارد بودجه لازم است تا ورزشگاه آزادی آماده شود",
    ]
    texts = [f"❤️\n{story}\n🎗️\n{SLOGAN}\n🤩\n@SorkhTimes" for story in stories]
    texts.append(f"✔️\nپرسپولیس امروز در بازی تدارکاتی به مصاف پارس جنوبی جم می‌رود. {SLOGAN}\n@SorkhTimes")
    repeated = "منابع عربی از شنیده‌شدن صدای چند انفجار در بحرین خبر می‌دهند"
    texts += [f"♦️\n{repeated}\n🇮🇷\n@SorkhTimes"] * 3
    updates = ("شمار مصدومان به ۱۲ نفر رسید.", "جاده چالوس بسته شد.", "مدارس ساری فردا تعطیل است.")
    texts += [f"هشدار سیل در مازندران\n{update}" for update in updates]
    posts = [post(20 + i, text, f"2026-09-0{i + 1}T10:00:00+00:00") for i, text in enumerate(texts)]
    page = preview(posts, None)
    httpserver.expect_request(f"/s/{NAME}").respond_with_data(page, content_type="text/html; charset=utf-8")
    engine = fresh_engine()
    report = fetch_all(engine, [Source(channel=NAME)], client_for(httpserver))[0]
    assert report.error is None and report.added == 10, (report.error, report.added)
    articles = list(engine.iter_articles())
    assert not any("سرخ تایمز" in a.text for a in articles), "the slogan is quoted nowhere"
    first = next(a for a in articles if a.url == f"https://t.me/{NAME}/20")
    assert first.text == stories[0]
    short = next(a for a in articles if a.url == f"https://t.me/{NAME}/21")
    assert short.text == stories[1] and short.title == TITLE, "its one line is news, under the channel's name"
    glued = next(a for a in articles if a.url == f"https://t.me/{NAME}/23")
    assert glued.text == "پرسپولیس امروز در بازی تدارکاتی به مصاف پارس جنوبی جم می‌رود."
    assert sum(a.text == repeated for a in articles) == 3, "a report posted three times is still news"
    flood = [a for a in articles if a.title == "هشدار سیل در مازندران"]
    assert sorted(a.text for a in flood) == sorted(updates), "a headline over three updates stays their headline"


def test_a_channel_is_cited_by_its_name_without_the_emoji_around_its_title(httpserver, fresh_engine):
    """SorkhTimes's preview titles the channel «🚩سرخ تایمز🚩»: a citation names «سرخ تایمز»;
    the post's own words are unchanged."""
    words = "وزیر ارتباطات از رفع محدودیت اینترنت بین‌الملل در هفته آینده خبر داد."
    page = preview([post(30, words, "2026-09-03T10:00:00+00:00")], None).replace(TITLE, "🚩سرخ تایمز🚩")
    httpserver.expect_request(f"/s/{NAME}").respond_with_data(page, content_type="text/html; charset=utf-8")
    engine = fresh_engine()
    assert fetch_all(engine, [Source(channel=NAME)], client_for(httpserver))[0].added == 1
    (article,) = engine.iter_articles()
    assert article.agency == "سرخ تایمز" and article.text == words


@pytest.mark.parametrize(
    ("title", "handle", "name"),
    [
        ("📡 IRCF | اینترنت آزاد برای همه", "ircfspace", "IRCF"),  # the slogan after the bar
        ("جام جهانی 2026 | فوتبال 180", "Futball180TV", "فوتبال 180"),  # the topic of the day before it
        ("🔴 اخبار فوری | خبر فوری", "akhbar_24", "اخبار فوری | خبر فوری"),  # the handle spells neither
        ("فرهمند عليپور Farahmand Alipour", "farahmand_alipour", "فرهمند عليپور Farahmand Alipour"),
    ],
)
def test_of_a_title_in_parts_the_part_the_handle_spells_is_the_name(title, handle, name):
    from news.channels import channel_name

    assert channel_name(title, handle) == name


def test_the_line_naming_who_speaks_opens_the_quote_of_their_words(httpserver, channel, fresh_engine):
    """HotNews puts who speaks on a line of its own over their words («آکسیوس:», «یک مقام
    آمریکایی:»), an emoji between. The line alone was a sentence of its own: a question naming
    the speaker got «آکسیوس:» as a quote, and the words came without who said them. Now the
    speaker opens the sentence, and the bot shows it before the quotation marks, not inside."""
    from bot.messages import answer_messages
    from tests.bot.standin import plain_text

    said = "به گفته یک مقام آمریکایی، دو کشور توافق کردند حمله به یکدیگر را تا پایان مذاکرات متوقف کنند."
    then = "دور بعدی گفت‌وگوها سه‌شنبه در دوحه برگزار می‌شود."
    channel["newer"].append(post(13, f"‼️\nآکسیوس:\n🔹\n{said}\n{then}\n@{NAME}", "2026-11-22T10:00:00+00:00"))
    engine = fresh_engine()
    assert fetch_all(engine, [Source(channel=NAME)], client_for(httpserver))[0].error is None
    answer = engine.ask("آکسیوس درباره توقف حمله‌ها چه گزارش داد؟")
    first = answer.quotes[0]
    assert first.text == f"آکسیوس:\n\n{said}", "the speaker and their words are one quote"
    assert all(q.text.strip() != "آکسیوس:" for q in answer.quotes), "the speaker's line is never a quote alone"
    assert engine.ask("دور بعدی گفت‌وگوها کجا برگزار می‌شود؟").quotes[0].text == then, "the next line is its own"
    message = plain_text(answer_messages(answer)[0])
    assert f"[۱] «{said}»" in message, "who speaks stands outside the quotation marks ..."
    assert message.index("آکسیوس:") < message.index("[۱]"), "... before them, as the post has it"
