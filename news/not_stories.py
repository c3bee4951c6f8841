"""Pages served where a story should be, that are not one: bot protection's browser check, a
«not found» page answered with status 200, a home or section page of links to other stories.
Stored, the first two would replace the story with their one line; the last would have other
stories' headlines quoted and cited to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from news import visible

# what bot protection (Cloudflare, ArvanCloud, DDoS-Guard, Incapsula, Sucuri) serves in place of
# a page, often with status 200: stored, its «please confirm» line would replace the article
_BROWSER_CHECK = re.compile(
    r"cdn-cgi/challenge-platform|cf-browser-verification|cf_chl_|Checking your browser|Just a moment\.\.\.|"
    r"Attention Required! \| Cloudflare|AR_SiteKey|__arcsrc|ddos-guard|_Incapsula_Resource|Incapsula incident|"
    r"sucuri_cloudproxy|Enable JavaScript and cookies to continue|در حال بررسی مرورگر",
    re.IGNORECASE,
)
# a «not found» page served with status 200 (a removed story's address): stored, it would replace
# the story with «خبر مورد نظر یافت نشد»
_NOT_FOUND = re.compile(
    r"\b(?:error\s*404|404\s*(?:error|not found))\b|خطای\s*(?:404|۴۰۴)|page not found|"
    r"(?:صفحه|خبر|مطلب|محتوای|محتوا|برگه)\s*(?:ی\s*)?(?:مورد\s*نظر|درخواستی)\s*(?:شما\s*)?"
    r"(?:یافت نشد|پیدا نشد|وجود ندارد|حذف شده)",
    re.IGNORECASE,
)
NOT_FOUND_MAX_CHARS = 400  # the body of a «not found» page: a line or two
CHECK_MAX_CHARS = 3000  # a check page shows a line or two; an article page, menus and all, far more
# a page whose extracted lines are mostly links lists other stories: a home, section or tag page
LISTING_MIN_LINKS = 4
LISTING_SHARE = 0.3
HEADLINE_MIN_WORDS = 4


def is_browser_check(page: str, shown: str) -> bool:
    """``page`` (its HTML) is a browser check; ``shown`` is the text it shows."""
    return len(shown) < CHECK_MAX_CHARS and _BROWSER_CHECK.search(page[:200_000]) is not None


def says_not_found(lines: list[str], titles: Iterable[str], links: set[str] = frozenset()) -> bool:
    """A short body whose lines or titles say the page (the story) is not there. Lines that are
    the page's link texts (a site's menus, which a «not found» page keeps and an extractor may
    take for its body) are not counted: only what the page says on its own."""
    own = own_lines(lines, links)
    return sum(map(len, own)) < NOT_FOUND_MAX_CHARS and any(_NOT_FOUND.search(t) for t in (*titles, *own))


def own_lines(lines: list[str], links: set[str]) -> list[str]:
    """The lines that are not the text of one of the page's links (``links`` as
    :func:`news.visible.skeleton` gives them): what the page says rather than points to."""
    return [line for line in lines if visible.skeleton(line) not in links]


PROSE_MIN_WORDS = 5  # a sentence of news has this many words; a menu item, a date or a label fewer
_WORD = re.compile(r"\S*[^\W\d_]\S*")  # a word holds a letter: «۱۹», «-» and «:» are not words


def says_something(lines: list[str]) -> bool:
    """Whether any of ``lines`` is prose: a line of :data:`PROSE_MIN_WORDS` words or more. A page
    cut short before its story, or one whose story a script fills in, leaves an extractor its
    menus, whose few lines that are not links («تعداد خبرهای امروز : ۵خبر», a clock, a date)
    are no sentence."""
    return any(len(_WORD.findall(line)) >= PROSE_MIN_WORDS for line in lines)


def links_to_stories(lines: list[str], links: set[str]) -> int:
    """How many of the body's lines are headlines linked to other stories, when they are enough
    to make it a page of links; else 0. A headline is a link of :data:`HEADLINE_MIN_WORDS` words
    or more (a line-up of linked player names, or tags, are not); ``links`` holds the page's link
    texts as :func:`news.visible.skeleton` gives them."""
    linked = sum(len(line.split()) >= HEADLINE_MIN_WORDS and visible.skeleton(line) in links for line in lines)
    return linked if linked >= LISTING_MIN_LINKS and linked >= LISTING_SHARE * len(lines) else 0
