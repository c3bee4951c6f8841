"""Two made-up Persian news agencies served by pytest-httpserver: article pages dressed like real
ones (menus, related-news boxes, share buttons, a comment form, «کد خبر»), an RSS 2.0 feed, an
Atom feed and a Google News sitemap. Tests add stories as they go."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from pytest_httpserver import HTTPServer
from werkzeug import Response

TEHRAN = timezone(timedelta(hours=3, minutes=30))


@dataclass
class Story:
    slug: str
    title: str
    paragraphs: list[str]
    published: datetime
    code: str = "1234567"
    lead: str = ""


@dataclass
class Agency:
    """One site under a path prefix of the shared server (``/isna``, ``/irna``)."""

    server: HTTPServer
    prefix: str
    name: str
    charset: str = "utf-8"
    charset_in_header: bool = True
    dated_pages: bool = True
    stories: list[Story] = field(default_factory=list)
    served: dict[str, Response] = field(default_factory=dict)  # slug → what its page answers now

    def url(self, path: str) -> str:
        return self.server.url_for(f"{self.prefix}{path}")

    def __post_init__(self) -> None:
        """The listings are built per request, so a story added later shows up in them."""
        for path, build, kind in (
            ("/rss", self.rss, "application/rss+xml; charset=utf-8"),
            ("/atom", self.atom, "application/atom+xml"),
            ("/sitemap.xml", self.sitemap, "application/xml"),
        ):
            self.server.expect_request(f"{self.prefix}{path}").respond_with_handler(
                lambda request, build=build, kind=kind: Response(build(), content_type=kind)
            )

    def add(self, story: Story) -> None:
        self.stories.insert(0, story)
        if story.slug not in self.served:
            self.server.expect_request(f"{self.prefix}/news/{story.slug}").respond_with_handler(
                lambda request, slug=story.slug: self.served[slug]
            )
        self.edit(story)

    def edit(self, story: Story) -> None:
        """The story's page now shows ``story`` (a correction its listing does not mention)."""
        text = self.page(story)
        if self.charset == "windows-1256":  # such sites write Arabic yeh and kaf, which the code page has
            text = text.replace("ی", "ي").replace("ک", "ك")
        body = text.encode(self.charset, errors="xmlcharrefreplace")
        content_type = f"text/html; charset={self.charset}" if self.charset_in_header else "text/html"
        self.served[story.slug] = Response(body, content_type=content_type)

    def take_down(self, story: Story, answer: Response, unlist: bool = True) -> None:
        """The site withdraws ``story``: its page answers ``answer``; by default the listings drop it."""
        if unlist:
            self.stories = [s for s in self.stories if s.slug != story.slug]
        self.served[story.slug] = answer

    def page(self, story: Story) -> str:
        when = story.published
        meta_charset = f'<meta http-equiv="Content-Type" content="text/html; charset={self.charset}">'
        dated = f'<meta property="article:published_time" content="{when.isoformat()}">' if self.dated_pages else ""
        body = "\n".join(f"<p>{html.escape(p)}</p>" for p in story.paragraphs)
        related = "".join(f'<li><a href="/news/old-{n}">خبر قدیمی شماره {n} درباره موضوعی دیگر</a></li>' for n in range(6))
        return f"""<!DOCTYPE html>
<html lang="fa" dir="rtl"><head>{meta_charset}
<title>{html.escape(story.title)} - خبرگزاری {self.name}</title>
<link rel="canonical" href="{self.prefix}/news/{story.slug}">
{dated}
<meta property="og:site_name" content="خبرگزاری {self.name}">
</head><body>
<header><nav><ul><li><a href="/">صفحه اصلی</a></li><li><a href="/politics">سیاسی</a></li>
<li><a href="/economy">اقتصادی</a></li><li><a href="/sport">ورزشی</a></li><li><a href="/en">English</a></li></ul></nav>
<div class="search"><form action="/search"><input name="q" placeholder="جستجو"></form></div></header>
<main><article>
<div class="kicker">{html.escape(story.lead)}</div>
<h1>{html.escape(story.title)}</h1>
<div class="news-code">کد خبر: {story.code}</div>
<div class="body">
<p>به گزارش خبرگزاری {self.name}، {html.escape(story.paragraphs[0])}</p>
{body}
</div>
<div class="share">اشتراک‌گذاری: <a href="#">تلگرام</a> <a href="#">توییتر</a> <a href="#">واتساپ</a></div>
</article>
<aside><h3>اخبار مرتبط</h3><ul>{related}</ul></aside>
<section class="comments"><h3>ارسال نظر</h3><form><textarea name="c"></textarea>
<p>نظرات حاوی توهین منتشر نخواهد شد.</p><button>ارسال</button></form></section>
</main>
<footer><p>تمامی حقوق این سایت محفوظ است. © ۱۴۰۵</p><a href="/about">درباره ما</a></footer>
</body></html>"""

    def rss(self) -> str:
        items = "".join(
            f"<item><title>{html.escape(s.title)}</title>"
            f"<link>{self.url('/news/' + s.slug)}?utm_source=rss&amp;utm_medium=feed</link>"
            f"<pubDate>{s.published.strftime('%a, %d %b %Y %H:%M:%S %z')}</pubDate><guid>{s.slug}</guid></item>"
            for s in self.stories
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>خبرگزاری {self.name}</title><link>{self.url('/')}</link>{items}</channel></rss>"
        )

    def atom(self) -> str:
        entries = "".join(
            f'<entry><title>{html.escape(s.title)}</title><link href="news/{s.slug}"/>'
            f"<id>{s.slug}</id><updated>{s.published.isoformat()}</updated></entry>"
            for s in self.stories
        )
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{self.name}</title><id>{self.prefix}</id><updated>2026-11-22T00:00:00Z</updated>{entries}</feed>"
        )

    def sitemap(self) -> str:
        urls = "".join(
            f"<url><loc>{self.url('/news/' + s.slug)}</loc><news:news><news:publication>"
            f"<news:name>{self.name}</news:name><news:language>fa</news:language></news:publication>"
            f"<news:publication_date>{s.published.isoformat()}</news:publication_date>"
            f"<news:title>{html.escape(s.title)}</news:title></news:news></url>"
            for s in self.stories
        )
        return (
            '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{urls}</urlset>'
        )


LIBRARY = Story(
    slug="yazd-library",
    title="افتتاح کتابخانه مرکزی یزد در هفته آینده",
    lead="شهردار یزد خبر داد:",
    paragraphs=[
        "شهردار یزد گفت: کتابخانه مرکزی یزد با ظرفیت سیصد هزار جلد کتاب هفته آینده افتتاح می‌شود.",
        "وی افزود: هزینه ساخت این کتابخانه از محل اعتبارات شهرداری تأمین شده و کار ساخت آن سه سال طول کشیده است.",
        "به گفته شهردار، بخش کودکان و نوجوانان این کتابخانه هر روز تا ساعت بیست‌ودو باز خواهد بود.",
    ],
    published=datetime(2026, 11, 21, 9, 15, tzinfo=TEHRAN),
    code="2241873",
)

RAIN = Story(
    slug="tehran-rain",
    title="بارش باران در تهران از فردا آغاز می‌شود",
    lead="سازمان هواشناسی اعلام کرد:",
    paragraphs=[
        "کارشناس سازمان هواشناسی گفت: با ورود سامانه بارشی جدید، بارش باران در تهران از فردا آغاز می‌شود و تا پنجشنبه ادامه دارد.",
        "وی افزود: دمای هوای پایتخت در این مدت تا شش درجه کاهش می‌یابد.",
    ],
    published=datetime(2026, 11, 22, 8, 0, tzinfo=TEHRAN),
    code="2241990",
)

METRO = Story(
    slug="mashhad-metro",
    title="خط سوم قطار شهری مشهد به بهره‌برداری رسید",
    lead="",
    paragraphs=[
        "مدیرعامل قطار شهری مشهد گفت: خط سوم قطار شهری مشهد با دوازده ایستگاه امروز به بهره‌برداری رسید.",
        "وی افزود: این خط روزانه یکصد هزار مسافر را جابه‌جا خواهد کرد.",
    ],
    published=datetime(2026, 11, 22, 11, 30, tzinfo=TEHRAN),
    code="2242001",
)
