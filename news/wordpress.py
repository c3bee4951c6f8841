"""A news site's archive as WordPress exports it (Tools → Export: one ``.xml`` file, "WXR").

Many Persian news sites and blogs run on WordPress; its export is how an owner hands over years
of stories at once. Each published post becomes the article `pasokh fetch` would store from its
page: the same id (from its permalink, so fetching the page later replaces it), title, link and
time, its agency the outlet of its domain or else the site's name. Drafts, private and trashed
posts and the site's pages are not news that was published, and are left out.

The file is hostile like any other: it is read as a stream, item by item (an archive is hundreds
of megabytes), without entities or DTDs, and a post's text no longer than an article may be.
WordPress keeps a post's paragraphs as blank lines, not ``<p>``, and its shortcodes
(``[caption …]``) in the text; both are read as the page would show them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

from lxml import etree

from corpus.errors import InputFileError
from corpus.markup import as_read
from corpus.outlets import outlet_of_host
from corpus.read import MAX_FILE_BYTES, RawArticle
from news.pages import article_id, known_as
from news.sources import is_web_address

_WP = "{http://wordpress.org/export/%s/}"
_CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
_MARK = re.compile(rb"wordpress\.org/export/(1\.[0-9])/")
_BLOCKS = re.compile(r"<(?:p|div|br|h[1-6]|li|ul|ol|blockquote|table|figure)\b", re.IGNORECASE)
# «[caption id="…"]…[/caption]», «[embed]», «[/gallery]»: a shortcode's brackets, never its words
_SHORTCODE = re.compile(r"\[/?[A-Za-z_][\w\-]*(?:\s[^\]\n]*)?\]")
_NO_DATE = "0000-00-00 00:00:00"


def posts_in(path: Path) -> int:
    """How many items the export holds (its posts, pages and attachments), for a progress bar."""
    try:
        with path.open("rb") as fh:
            return sum(chunk.count(b"<item>") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return 0


def read_wordpress(path: Path) -> Iterator[RawArticle | InputFileError]:
    """Each published post of the export at ``path`` as an article, one error line for a post
    that cannot be one, and one for a file that is no WordPress export."""
    with path.open("rb") as fh:
        mark = _MARK.search(fh.read(4096))
    if mark is None:
        yield InputFileError(path, "is an .xml file that is no WordPress export; a site's feed is read by `pasokh fetch URL`")
        return
    wp = _WP % mark.group(1).decode()
    site: str | None = None
    parser = etree.iterparse(str(path), events=("end",), resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    try:
        for _, element in parser:
            if element.tag == "title" and element.getparent() is not None and element.getparent().tag == "channel":
                site = " ".join((element.text or "").split()) or None
            elif element.tag == "item":
                yield from _post(path, element, wp, site)
                element.clear()
                while element.getprevious() is not None:  # what was read is let go: memory stays flat
                    del element.getparent()[0]
    except etree.XMLSyntaxError as exc:
        yield InputFileError(path, f"is a damaged export: {exc.msg} (line {exc.lineno}); the posts before it were read")


def _post(path: Path, item: etree._Element, wp: str, site: str | None) -> Iterator[RawArticle | InputFileError]:
    if item.findtext(wp + "post_type") != "post" or item.findtext(wp + "status") != "publish":
        return
    post_id = item.findtext(wp + "post_id") or "?"
    link = (item.findtext("link") or "").strip()
    if not is_web_address(link):
        yield InputFileError(path, f"post {post_id} has no address of its own (its <link> is {link!r}); post skipped")
        return
    html = item.findtext(_CONTENT) or ""
    if len(html) > MAX_FILE_BYTES:
        yield InputFileError(path, f"post {post_id} is over {MAX_FILE_BYTES // 2**20} MB; post skipped")
        return
    text = _shown(html)
    if not text.strip():
        yield InputFileError(path, f"post {post_id} ({link}) shows no text; post skipped")
        return
    title = " ".join((item.findtext("title") or "").split()) or None
    stated = (item.findtext(wp + "post_date_gmt") or "").strip()
    published = f"{stated.replace(' ', 'T')}+00:00" if stated and stated != _NO_DATE else item.findtext("pubDate")
    outlet = outlet_of_host(urlsplit(link).hostname)
    yield RawArticle(
        id=article_id(link),
        text=f"{title}\n\n{text}" if title else text,
        origin=f"{path}: post {post_id}",
        title=title,
        url=link,
        published=published,
        agency=outlet.name if outlet else None,
        fallback_agency=known_as(site) or urlsplit(link).hostname,
    )


def _shown(html: str) -> str:
    """A post's text as its page shows it: shortcodes' brackets gone, and, when the text has no
    blocks of HTML, the blank lines WordPress keeps for paragraphs made paragraphs and a lone
    newline the line break WordPress shows for it."""
    html = _SHORTCODE.sub("", html)
    if _BLOCKS.search(html):
        return as_read(html)
    parts = (part.strip().replace("\n", "<br>") for part in re.split(r"\n\s*\n", html))  # a lone newline is a <br>
    return "\n".join(as_read(part) for part in parts if part)
