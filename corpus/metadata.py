"""Find the citation facts a news page states about itself: headline, agency, date, news code.

Everything here is found in the text or left empty; nothing is guessed. The lines that
carry only metadata are taken out of the body so they are never quoted as answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from corpus.dates import DARI_MONTHS, ORDINAL_WORDS, PERSIAN_GREGORIAN, ascii_digits, has_clock, parse
from corpus.normalize import analyze, fold, normalize
from corpus.outlets import OUTLETS

_DIGITS = "0-9۰-۹٠-٩"
_MONTHS = "فروردین|اردیبهشت|خرداد|تیر|مرداد|امرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند|" + "|".join(DARI_MONTHS)
_WEEKDAY = r"(?:(?:یک|دو|سه|چهار|پنج)[\s\u200c]?شنبه|شنبه|جمعه)"  # «دوشنبه», «دو شنبه», «دو‌شنبه»
_CLOCK = rf"(?:ساعت\s*)?[{_DIGITS}]{{1,2}}:[{_DIGITS}]{{2}}(?::[{_DIGITS}]{{2}})?"
# the other calendars many sites print beside the solar date («… - ۱۰ جمادی‌الثانی ۱۴۴۷ - ۲ دسامبر ۲۰۲۵»)
_HIJRI_MONTHS = (
    r"محرم|صفر|ربیع[\s\u200c]*ال(?:اول|ثانی|آخر)|جمادی[\s\u200c]*ال(?:اولی|اول|ثانیه|ثانی|آخره|آخر)|رجب|شعبان|رمضان|شوال|"
    r"ذی[\s\u200c]*ال?قعده|ذی[\s\u200c]*ال?حجه"
)
# the Gregorian months as corpus.dates reads them: every date line is one it can date
_GREGORIAN_MONTHS = "|".join(sorted(PERSIAN_GREGORIAN, key=len, reverse=True))
_LATIN_MONTH = r"(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-zA-Z]*\.?"
_LATIN_DATE = (
    rf"(?:[{_DIGITS}]{{4}}\s+{_LATIN_MONTH}\s+[{_DIGITS}]{{1,2}}|[{_DIGITS}]{{1,2}}[\s\-–]+{_LATIN_MONTH},?[\s\-–]+[{_DIGITS}]{{4}}|"
    rf"{_LATIN_MONTH}\s+[{_DIGITS}]{{1,2}}\s*,?\s+[{_DIGITS}]{{4}})"  # «Jul 6, 2005», «Jul ۶ , ۲۰۰۵» normalized
)
# «مصادف با»: how a date bar joins today's date in the other calendars («جمعه 2 آذر 1403, Friday 22
# November 2024, مصادف با 20 جمادی‌الاول 1446»)
_COINCIDING = r"مصادف\s*با"
_OTHER_CALENDAR = (
    rf"(?:{_COINCIDING}\s*)?(?:[{_DIGITS}]{{1,2}}\s+(?:{_HIJRI_MONTHS}|{_GREGORIAN_MONTHS})[\s\u200c]+[{_DIGITS}]{{4}}|"
    rf"(?i:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+{_LATIN_DATE})"
)
_DATE_LINE = re.compile(
    r"^(?:(?:تاریخ انتشار|زمان انتشار|تاریخ خبر|تاریخ|انتشار|منتشر شده(?: در)?)\s*[:：]?\s*)?"  # a label some sites print
    rf"(?:{_CLOCK}\s*[،,\-–|]?\s*)?"  # the time, where a site writes it first («۱۲:۱۶ - ۱۲ اردیبهشت ۱۳۹۸»)
    rf"(?:{_WEEKDAY}\s*[،,/\-–]?\s*)?"  # «پنجشنبه / ۹ خرداد ۱۳۹۸ / ۰۰:۲۰», as ISNA prints it
    # «۹ خرداد ۱۳۹۸», and with slashes or dashes between its parts: «شنبه - ۹ - اسفند - ۱۴۰۴», or a
    # comma before the year: «جمعه, ۷ آذر , ۱۴۰۴» (Nimrooz)
    rf"(?:[{_DIGITS}]{{1,2}}\s*[/\-–]?\s*(?:{_MONTHS}|{_GREGORIAN_MONTHS})[\s\u200c]*[/\-–,،]?[\s\u200c]*[{_DIGITS}]{{4}}|"
    rf"[{_DIGITS}]{{4}}\s*/\s*[{_DIGITS}]{{1,2}}\s*/\s*[{_DIGITS}]{{1,2}}|"  # normalize puts spaces around «/»
    rf"[{_DIGITS}]{{4}}\s*-\s*[{_DIGITS}]{{1,2}}\s*-\s*[{_DIGITS}]{{1,2}}|"  # ISO's order: «1402-11-15»
    rf"[{_DIGITS}]{{1,2}}\s*[-/]\s*[{_DIGITS}]{{1,2}}\s*[-/]\s*[{_DIGITS}]{{4}}|"  # day first: «۲۴-۰۲-۱۴۰۴»
    rf"[{_DIGITS}]{{4}}\s+(?:{_WEEKDAY}\s+)?[{_DIGITS}]{{1,2}}\s+(?:{_MONTHS})|"  # year first: «1401 یکشنبه 10 مهر»
    # the day as an ordinal word (blogs, formal notices): «دوشنبه هجدهم آبان ۱۳۹۴», «اول فروردین‌ماه ۱۴۰۳»
    rf"(?:{ORDINAL_WORDS})\s+(?:{_MONTHS})(?:[\s\u200c]*ماه)?\s+[{_DIGITS}]{{4}}|"
    # the year, the month, the day, a weekday after (Deutsche Welle): «۱۳۹۷ شهریور ۳۱, شنبه»
    rf"[{_DIGITS}]{{4}}\s+(?:{_MONTHS})\s+[{_DIGITS}]{{1,2}}(?:\s*[,،]\s*{_WEEKDAY})?|"
    # the month first, the day an ordinal, after a weekday's initial (Persian WordPress): «پ٫ اردیبهشت ۶ام, ۱۴۰۳»
    rf"(?:[آ-ی]{{1,3}}\s*[٫.]\s*)?(?:{_MONTHS})\s+[{_DIGITS}]{{1,2}}(?:\s*ام)?\s*[,،]?\s*[{_DIGITS}]{{4}})"
    rf"(?:\s*[،,\-–|/]?\s*{_CLOCK})?"
    rf"(?:\s*[،,\-–|]\s*{_OTHER_CALENDAR})*"
    rf"(?:\s*[،,\-–|]?\s*{_CLOCK})?"
    rf"(?:\s*[،,\-–|]?\s*{_LATIN_DATE})?[\s،,|\-–]*$"  # «۰۲ مهر ۱۳۹۹ - ۲۰:۱۲ 23 September 2020» (Tabnak)
)
# a date in the other calendars alone on its line: the lunar one («الإثنین ۲۳ جمادی‌الاول ۱۴۴۶») or
# the Gregorian in Latin letters («2024 Nov 25»); a page prints them under its solar date when that
# date is its date bar, today's, in three calendars (Hamshahri)
_ARABIC_WEEKDAY = r"(?:ال(?:سبت|احد|أحد|اثنین|إثنین|ثلاثاء|اربعاء|أربعاء|خمیس|جمعه|جمعة))"
_CALENDAR_LINE = re.compile(
    rf"^(?:(?:{_COINCIDING}|برابر\s*با)\s*[:：]?\s*)?"  # «برابر با : Saturday - 28 - February - 2026» (pouyanews)
    rf"(?:(?:{_ARABIC_WEEKDAY}|{_WEEKDAY})\s*[،,]?\s*)?(?:[{_DIGITS}]{{1,2}}\s+(?:{_HIJRI_MONTHS})\s+[{_DIGITS}]{{4}}"
    rf"(?:\s*(?:ه\.?\s*ق|هجری قمری))?|(?:[A-Za-z]+\s*[,\-–]?\s+)?{_LATIN_DATE})\s*$"
)
DATE_LINE_MAX_CHARS = 100


def is_date_line(line: str) -> bool:
    """A line that states only when a story was published: «۳۰ ارديبهشت ۱۳۹۸ - ۲۲:۵۳»,
    «1402/07/12», «تاریخ انتشار: ۱۲:۱۶ - پنجشنبه ۱۲ اردیبهشت ۱۳۹۸», with the lunar and
    Gregorian dates some sites print after it («… - ۱۰ جمادی‌الثانی ۱۴۴۷ - ۲ دسامبر ۲۰۲۵»), or
    a Gregorian date alone as Afghanistan's press writes it («۲ دسامبر ۲۰۲۵»)."""
    return _dates_only(normalize(line))


def is_other_calendar(line: str) -> bool:
    """A line holding only a lunar date, or a Gregorian one in Latin letters: what a date bar
    (today's date, in three calendars) prints beside or under its solar date."""
    return _calendar_only(normalize(line))


def _dates_only(norm: str) -> bool:
    norm = _beside_date(norm)
    return len(norm) <= DATE_LINE_MAX_CHARS and bool(_DATE_LINE.match(norm))


# what sites print on the date's line beside it: «کد خبر: ۲۰۱۵۹۱۰ - ۳۰ اردیبهشت ۱۳۹۸ ۲۲:۵۳»,
# «۱۳۹۸/۰۲/۳۰ ۲۲:۵۳ | ۳۸۹ بازدید»
_SEP = r"(?:\s*[|•·]\s*|\s+[-–]\s+)"
# «کد خبر: ۲۰۱۵۹۱۰», «کد ۱۰۵۹۹۱۷» (Asriran), «کد خبر: 8403-10065» (ISNA's older codes)
# a news code's label, as sites print it; corpus/clean.py joins a label alone to its number's line
CODE_LABEL = r"(?:کد\s*خبر|شناسه\s*خبر|کد\s*مطلب|شناسه\s*مطلب|کد|(?i:NID|News\s*ID|News\s*Code))"
_CODE_PART = (
    # «شماره : 18688» over a print view's date (Ravaj 24) numbers the story as a code does; with no
    # colon «شماره ۳۷۴۱» is a paper's issue (``_ISSUE_PART``)
    rf"(?:{CODE_LABEL}\s*[:：]?|شماره\s*[:：])\s*"
    rf"([{_DIGITS}]+(?:\s*-\s*[{_DIGITS}]+)?)"
)
_COUNT_PART = rf"(?:[{_DIGITS}]+\s*(?:بازدید|نظر)|(?:تعداد بازدید|بازدید|نظرات|دیدگاه[\s\u200c]*ها)\s*[:：]?\s*[{_DIGITS}]+)"
# a paper's issue and page: «شماره هشت هزار و دویست و شصت و هشت - ۰۷ شهریور ۱۴۰۲ - صفحه ۳» (Iran)
_ISSUE_PART = rf"(?:شماره\s+[^\-–|•·:：]{{1,60}}?|صفحه\s*[{_DIGITS}]+)"
# who wrote it, on the date's line: «نوشته شده توسط امیر امام جمعه | ۹ بهمن ۱۴۰۰ | ۲۲:۰۰» (Digiato)
_BYLINE_PART = r"(?:(?:نوشته[\s\u200c]*شده\s+)?توسط|نویسنده\s*[:：]|به\s+قلم)\s*[^|•·\-–:：\d۰-۹]{2,40}?"
# a paper's volume, its year of publication: «چهارشنبه ۱۵ تير ۱۳۸۴ - سال سيزدهم - شماره ۳۷۴۱» (Hamshahri)
_VOLUME_PART = rf"(?:سال\s+(?:[{_DIGITS}]+|[^\-–|•·:：{_DIGITS}]{{2,30}}?))"
# (the code may stand before the date's label with only spaces between: «کد خبر: ۴۴۰۹۶   تاریخ انتشار : …»)
_BESIDE_DATE = re.compile(
    # (a code may follow the date after a space alone: «1394/11/24 - 23:36 كد :99498», Raazegh)
    rf"(?:^|{_SEP}|\s+(?={CODE_LABEL}))(?:{_CODE_PART}|{_COUNT_PART}|{_ISSUE_PART}|{_VOLUME_PART}|{_BYLINE_PART})"
    rf"(?={_SEP}|\s*$|\s+(?:تاریخ|زمان انتشار|انتشار))"
)


def _beside_date(norm: str) -> str:
    """The line without the news code and counters printed beside its date."""
    if len(norm) > DATE_LINE_MAX_CHARS + 60:
        return norm
    return _BESIDE_DATE.sub("", norm).strip(" |•·-–")


# the desk a code line names after it: «شناسهٔ خبر: 50955208 - سرویس استانی» (an aggregator's)
_DESK_AFTER_CODE = r"(?:\s*[-–|]\s*(?:سرویس|گروه|بخش)\s+[^\d:：|\-–]{1,30})?"
_NEWS_CODE = re.compile(rf"^{_CODE_PART}{_DESK_AFTER_CODE}\s*$")


def is_code_line(line: str) -> bool:
    """A line that states only the story's news code: «کد خبر: ۲۰۱۵۹۱۰», «NID : 175395»."""
    return bool(_NEWS_CODE.match(normalize(line)))


def _code(found: str) -> str:
    """A news code as the site's URLs write it: ASCII digits, no spaces («8403-10065»)."""
    return ascii_digits(found).replace(" ", "")


# canonical name -> ways a page names the agency (corpus.outlets is the one table)
AGENCIES: dict[str, tuple[str, ...]] = {o.name: (o.name, *o.aliases) for o in OUTLETS}


@lru_cache(maxsize=1)
def _aliases() -> list[tuple[str, str]]:
    """Normalized on first use, so importing this module does not load hazm."""
    return sorted(((fold(normalize(a)), name) for name, al in AGENCIES.items() for a in al), key=lambda p: -len(p[0]))


# "به گزارش خبرنگار مهر", "به گزارش خبرگزاری موج خوزستان", "به گزارش ایسنا"
# («خبرنگارباشگاه …»: the space is often missing)
# «به نوشته روزنامه شرق»: what a paper wrote, credited the same way
_REPORT = re.compile(
    r"به (?:گزارش|نوشته)\s+(?:(?:خبرنگار|خبرگزاری|روزنامه|پایگاه خبری|سرویس\s+\S+|گروه\s+\S+)\s*)*(?P<rest>.{1,40})"
)
# the whole credit clause, up to its comma: «به گزارش خبرنگار سرویس میراث فرهنگی خبرگزاری
# دانشجویان ایران (ایسنا)، …»
_CLAUSE = re.compile(r"به (?:گزارش|نوشته)\s+(?P<clause>[^،,:.\n]{1,100})")
# an outlet's name opening a paragraph, then a colon or «؛»: «بولتن نیوز: …», «عصر ایران؛ مهرداد خدیر- …»
_OUTLET_OPENS = re.compile(r"^(?P<agency>[^:：؛،,.\n]{2,30}?)\s*[:：؛]\s")
# «فارس نوشت: «…»»: an outlet named as what wrote the story's words, which only a publication does
_OUTLET_WROTE = re.compile(r"^(?P<agency>[^:：؛،,.\n]{2,30}?)\s+(?:نوشت|گزارش داد)\s*[:：]")


def unmistakable(written: str, name: str) -> bool:
    """Whether a bare name can only be the outlet's: several words («عصر ایران»), a word no
    Persian text uses otherwise («نیوز», «آنلاین»), or an agency's short name that is no ordinary
    word («ایرنا»). «ایران:» or «انتخاب:» opening a paragraph may be anything."""
    return len(written.split()) > 1 or bool(re.search(r"نیوز|آنلاین|پرس|خبرگزاری", written)) or name in _DATELINE_NAMES


# a paragraph (or sentence) that opens by naming where it is quoted from: «به نقل از خبرگزاری فارس، …»
_QUOTING = re.compile(r"(?:^|(?<=[.!?؟]\s))به نقل از\s+(?P<source>[^،,:.\n]{2,40})[،,:]", re.MULTILINE)
# agencies whose short name is no ordinary word: a dateline may name them bare («تهران- ایرنا-»);
# any other in full only («اصفهان - خبرگزاری مهر:»), since «عراق - ایران: …» names no newspaper
_DATELINE_NAMES = frozenset(("ایرنا", "ایسنا", "ایلنا", "ایکنا", "تسنیم"))
DATELINE_MAX_CHARS = 80
# the agency and its desk opening the lead: «نورنیوز-گروه اجتماعی: …»
_AGENCY_DESK = re.compile(r"^(?P<agency>[^\s\-–:،]{2,20}(?:\s[^\s\-–:،]{2,20})?)\s*[-–]\s*(?:گروه|سرویس)\s[^:：\n]{1,30}[:：]")
# a dateline: «تهران- ایرنا- …», «اصفهان - خبرگزاری مهر: …»
_DATELINE = re.compile(r"^[^\s،,:.\-–]{2,20}(?:\s[^\s،,:.\-–]{2,20})?\s*[-–/]\s*(?P<rest>[^-–:/\n]{2,40}?)\s*[-–:/]")
# the place, then the agency in brackets: «تهران (پانا) - …», as PANA and wire services write it
_BRACKETED_DATELINE = re.compile(r"^[^\s،,:.()\-–]{2,20}(?:\s[^\s،,:.()\-–]{2,20})?\s*\((?P<agency>[^()\n]{2,30})\)\s*[-–—:]")

# provinces whose names are more than a word, for where «ایسنا/خراسان رضوی » ends
_PROVINCES_OF_WORDS = (
    "آذربایجان شرقی", "آذربایجان غربی", "چهارمحال و بختیاری", "چهار محال و بختیاری", "خراسان جنوبی", "خراسان رضوی",
    "خراسان شمالی", "سیستان و بلوچستان", "کهگیلویه و بویراحمد", "کهگیلویه و بویر احمد",
)  # fmt: skip


def _spelled_loosely(name: str) -> str:
    """A pattern for ``name`` as pages write it: Arabic «ي» and «ك», any space or ZWNJ between words."""
    words = (re.escape(w).replace("ی", "[یي]").replace("ک", "[کك]") for w in name.split())
    return r"[\s\u200c]*".join(words)


# the agency, then its provincial desk's place after a slash, before the lead's first word:
# «ایسنا/کرمان استاندار …» (ISNA's provincial stories: the dateline a span of its own)
_AGENCY_PLACE = re.compile(
    rf"^(?P<agency>{'|'.join(_DATELINE_NAMES)})\s*/\s*"
    rf"(?:{'|'.join(_spelled_loosely(p) for p in sorted(_PROVINCES_OF_WORDS, key=len, reverse=True))}|[^\s/،,:.()]{{2,20}})"
    r"(?=\s)"
)
_QUOTES = re.compile(r"[\"«»“”'`]")
TITLE_MAX = 150
KICKER_MAX = 120


@dataclass
class Metadata:
    title: str | None = None
    kicker: str | None = None
    agency: str | None = None
    # the agency a line of its own states («منبع: مهر», «مهر :», «خبرگزاری ایرنا / ۱۴۰۳/۱۱/۲۳»): the
    # story is that agency's even on another outlet's site (a section republishing others' news)
    agency_stated: bool = False
    published: str | None = None
    news_code: str | None = None
    body: list[str] = field(default_factory=list)


_SITE_WORD = re.compile(r"^(?:سایت|وب[\s\u200c]*سایت|پایگاه(?:\s+خبری)?(?:\s*[-–]?\s*تحلیلی)?)\s+")


def agency_named_by(line: str) -> str | None:
    """The agency a whole line names ("خبرگزاری کار ایران"), or None; also by its web address
    as credits write it in Latin letters («منبع: mehrnews», «isna.ir»)."""
    key = fold(normalize(line)).strip(" :،")
    bare = _SITE_WORD.sub("", key)  # «سایت خبرآنلاین», «پایگاه خبری تابناک»: the outlet by its kind and name
    for alias, name in _aliases():
        if key == alias or bare == alias or (key.startswith("خبرگزاری") and key == fold(normalize("خبرگزاری " + alias))):
            return name
    address = re.sub(r"\s*([./:])\s*", r"\1", line.strip(" :،.").lower())  # the normalizer spaces «isna . ir»
    return _by_address().get(address.removeprefix("https://").removeprefix("http://").removeprefix("www."))


@lru_cache(maxsize=1)
def _by_address() -> dict[str, str]:
    """«mehrnews.com» and «mehrnews» → مهر: each outlet's domains, whole and without their suffix."""
    found: dict[str, str] = {}
    for outlet in OUTLETS:
        for domain in outlet.domains:
            found.setdefault(domain, outlet.name)
            found.setdefault(domain.split(".")[0], outlet.name)
    return found


def relayed(origin: str, by: str) -> str:
    """How a citation names words passed on as written: the origin's, relayed by ``by`` (a
    channel's forward, or its post stating another outlet as the source)."""
    return f"{origin} (بازنشر در {by})"


# «منبع:», «به نقل از», and a channel's «©» before the account it took a post from («© ایسنا»)
_SOURCE_LABEL = re.compile(r"^(?:منبع|به نقل از|برگرفته از|[©Ⓒ])\s*[:：]?\s*")


def credited_outlet(norm: str) -> str | None:
    """The outlet a credit line names («منبع: خبرگزاری ایسنا», «به نقل از «همشهری آنلاین»»), or
    None. The whole rest of the line must name it, so «به نقل از وزیر …» credits nobody."""
    label = _SOURCE_LABEL.match(norm)
    return agency_named_by(_QUOTES.sub("", norm[label.end() :])) if label and len(norm) <= 60 else None


def _section_over(name: str, following: str | None) -> bool:
    """Whether an outlet's name alone heads a section about that outlet rather than crediting
    the story: a press review prints each paper's name over what that paper wrote («کیهان» over
    ««نیاز زمانه ما» عنوان سرمقاله روزنامه کیهان است …», Jam-e Jam's review of the editorials)."""
    if not following or not story_line(following):
        return False
    text = fold(normalize(following))
    return any(
        named == name and re.search(rf"(?<![\w\u200c]){re.escape(alias)}(?![\w\u200c])", text) for alias, named in _aliases()
    )


def agency_in(text: str) -> str | None:
    """The agency a body credits, or None: «به گزارش خبرنگار مهر …», an agency named in full or
    in brackets anywhere in that clause («… خبرگزاری دانشجویان ایران (ایسنا)، …»), or a
    dateline opening a paragraph («تهران- ایرنا- …»). Each paragraph is normalized on its own:
    the normalizer joins lines, and a dateline opens a paragraph, not the text."""
    paragraphs = [fold(normalize(line)) for line in text.split("\n") if line.strip()]
    folded = "\n".join(paragraphs)
    for match in _REPORT.finditer(folded):
        rest = _QUOTES.sub("", match.group("rest"))  # به گزارش «ورزش سه»، / "ورزش سه"
        for alias, name in _aliases():
            if rest == alias or rest.startswith(alias + " ") or rest.startswith(alias + "،") or rest.startswith(alias + ","):
                return name
    for match in _CLAUSE.finditer(folded):
        if name := _named_in_clause(match.group("clause")):
            return name
    for match in _INTERVIEW.finditer(folded):  # «… در گفت‌وگو با خبرنگار اقتصادی مهر …»
        if name := _interviewers_agency(match.group("clause")):
            return name
    for match in _QUOTING.finditer(folded):  # «به نقل از ایسنا، …» opening a paragraph
        if name := agency_named_by(_QUOTES.sub("", match.group("source"))):
            return name
    for line in paragraphs:
        opening = _OUTLET_OPENS.match(line)
        name = agency_named_by(opening.group("agency")) if opening else None
        if opening and name and unmistakable(_QUOTES.sub("", opening.group("agency")), name):
            return name  # «بولتن نیوز: سایت امروزنامه …», «عصر ایران؛ مهرداد خدیر- …»
        if (wrote := _OUTLET_WROTE.match(line)) and (name := agency_named_by(_QUOTES.sub("", wrote.group("agency")))):
            return name  # «فارس نوشت: «برخی رسانه‌های سعودی …»»
        if (desk := _AGENCY_DESK.match(line)) and (name := agency_named_by(desk.group("agency"))):
            return name  # «نورنیوز-گروه اجتماعی: …»
        if found := _dateline(line):
            return found[0]  # «تهران- ایرنا- …», «تهران (پانا) - …»
    return None


def _dateline(line: str) -> tuple[str, int] | None:
    """The agency of the dateline ``line`` opens with and where the dateline ends: the place and
    the agency after a dash («تهران- ایرنا- », «اصفهان - خبرگزاری مهر: ») or in brackets
    («تهران (پانا) - »), or the agency and then its place («ایسنا/کرمان »); None when it names no
    agency, or one too common a word to be sure of."""
    if (bracketed := _BRACKETED_DATELINE.match(line)) and (name := agency_named_by(bracketed.group("agency"))):
        return name, bracketed.end()
    if (placed := _AGENCY_PLACE.match(line)) and (name := agency_named_by(placed.group("agency"))):
        return name, placed.end()
    if not (dateline := _DATELINE.match(line)):
        return None
    rest = _QUOTES.sub("", dateline.group("rest"))
    name = agency_named_by(rest)
    if name and (rest.startswith("خبرگزاری") or name in _DATELINE_NAMES):
        return name, dateline.end()
    return None


def dateline_end(text: str) -> int:
    """Where an agency's dateline opening ``text`` ends, with the space after it, or 0: a front
    end shows «تهران- ایرنا-» before a quote's marks, as the place and agency a report opens with,
    not words of its first sentence."""
    found = _dateline(text[:DATELINE_MAX_CHARS])
    if found is None:
        return 0
    end = found[1]
    while end < len(text) and text[end].isspace():
        end += 1
    return end if end < len(text) else 0


def _named_in_clause(clause: str) -> str | None:
    """An agency a credit clause names unmistakably: in brackets, by its full name, or as the
    reporter's employer after the reporter's desk («خبرنگار حوزه سلامت ایرنا»)."""
    for alias, name in _aliases():
        if f"({alias})" in clause or (alias.startswith("خبرگزاری ") and re.search(rf"(?<!\S){re.escape(alias)}(?!\S)", clause)):
            return name
    if (quoting := _QUOTING_LAST.search(clause)) and (name := agency_named_by(_QUOTES.sub("", quoting.group("source")))):
        return name  # «به گزارش پایگاه خبری – تحلیلی رواج ۲۴ به نقل از مهر ،…»: the site reprints Mehr's words
    return _desks_agency(clause)


# the outlet a credit clause ends by quoting: «… رواج ۲۴ به نقل از مهر»
_QUOTING_LAST = re.compile(r"(?<!\S)به نقل از\s+(?P<source>\S+(?:\s\S+){0,3})\s*$")


# how a credit clause names the desk before the agency: «خبرنگار اقتصادی ایرنا», «حوزه اقتصادی
# گروه اقتصادی باشگاه خبرنگاران جوان», «پایگاه خبری تحلیلی انتخاب»
_DESK_WORDS = frozenset(("خبرنگار", "خبرنگاران", "گروه", "حوزه", "سرویس", "پایگاه", "بخش", "تحریریه"))
# «در گفت‌وگو با خبرنگار مهر»: whose reporter asked, which names the story's agency
_INTERVIEW = re.compile(r"(?:گفت[\s\u200c]*و?[\s\u200c]*گو|مصاحبه)\s+با\s+خبرنگار(?:ان)?\s+(?P<clause>[^،,:.\n]{1,80})")
# words that make what follows a place or a person, not the desk's agency: «خبرنگار ما در ایران»
_NOT_A_DESK = frozenset(("از", "در", "به", "با", "و", "ما", "نقل", "این", "آن"))
MAX_DESK_WORDS = 6


def _interviewers_agency(clause: str) -> str | None:
    """The agency that opens what follows «گفت‌وگو با خبرنگار», after the desk's words if any:
    «اقتصادی مهر با اشاره به …»."""
    return _agency_after_desk(clause.split(), min_desk=0, then=(" ",))


def _desks_agency(clause: str) -> str | None:
    """The agency that ends a clause opening with a desk («خبرنگار حوزه سلامت ایرنا»، «گروه
    سیاسی تابناک در تهران»), or is followed there by where the reporter is."""
    words = clause.split()
    if not words or words[0] not in _DESK_WORDS:
        return None
    return _agency_after_desk(words[1:], min_desk=1, then=(" در ", " از "))


def _agency_after_desk(words: list[str], min_desk: int, then: tuple[str, ...]) -> str | None:
    """The agency ``words`` name after ``min_desk`` to :data:`MAX_DESK_WORDS` words of a desk,
    none of them a preposition («ما در ایران» is a place), alone or followed by one of ``then``."""
    for cut in range(min_desk, min(len(words), MAX_DESK_WORDS + 1)):
        if _NOT_A_DESK.intersection(words[:cut]):
            return None
        rest = " ".join(words[cut:])
        for alias, name in _aliases():
            if rest == alias or any(rest.startswith(alias + after) for after in then):
                return name
    return None


_METADATA_LINE_MAX = 120  # date, news-code and agency lines are far shorter


def extract(paras: list[str], title: str | None = None) -> Metadata:
    """Split page lines into metadata and body. ``title`` given (JSONL) wins over the headline."""
    meta = Metadata(title=title)
    rest: list[str] = []
    norms = [normalize(p) if len(p) <= _METADATA_LINE_MAX else "" for p in paras]  # body text: not worth it
    calendar = {i for i, norm in enumerate(norms) if _calendar_only(norm)}
    # the headline again with its time after it («… نیفتاد؟ 2020-02-16T11:40:43+03:30», an
    # aggregator's): a date line, not the story's first sentence
    paras, stamped_at = list(paras), set()
    for i in range(1, min(len(paras), _HEADER_LINES)):
        stamped = _STAMPED.match(paras[i].strip())
        if stamped and fold(normalize(stamped.group("head"))) in {fold(normalize(p)) for p in paras[:i] if len(p) <= 300}:
            paras[i], norms[i] = stamped.group("when"), normalize(stamped.group("when"))
            stamped_at.add(i)
    sourced = {i: name for i, norm in enumerate(norms) if norm and (name := _source_and_date(norm))}
    dated = [
        i for i, norm in enumerate(norms) if i not in calendar and norm and (i in sourced or i in stamped_at or _dates_only(norm))
    ]
    # a date bar (today's date, with the other calendars under it or beside it «مصادف با») dates no story
    bars = {i for i in dated if i + 1 in calendar or re.search(_COINCIDING, norms[i])}
    # which date line dates the story: one naming who published it and when first, then one
    # labelled as the publication's («تاریخ انتشار: …»), then an unlabelled one (Asriran prints
    # today's date, unlabelled, above the story's own line)
    unlabelled = [i for i in dated if i not in sourced and i not in bars]
    labelled = [i for i in unlabelled if _PUBLISHED_LABEL.match(norms[i])]
    firsts = [i for i in dated if i in sourced] + labelled + [i for i in unlabelled if i not in labelled]
    meta.published = _story_date([paras[i] for i in firsts], [paras[i] for i in dated])
    meta.agency = next(iter(sourced.values()), None)
    meta.agency_stated = meta.agency is not None
    dates_at = set(dated)
    for para, norm, i in zip(paras, norms, range(len(paras)), strict=True):
        if not norm:
            rest.append(para)
            continue
        if i in calendar:  # another calendar's date: no sentence
            continue
        if i in dates_at:  # a second date line (printed again at the foot) is no sentence either
            if found := _BESIDE_DATE.search(norm):
                meta.news_code = meta.news_code or (_code(found.group(1)) if found.group(1) else None)
            continue
        if appeared := _FIRST_APPEARED.match(para.strip()):
            site = appeared.group("site").strip(' «»"')
            meta.agency = meta.agency or agency_named_by(site) or site
            meta.agency_stated = True
            continue
        code = _NEWS_CODE.match(norm)
        if code:
            meta.news_code = meta.news_code or _code(code.group(1))
            continue
        named = agency_named_by(para) if len(norm) <= 40 else None
        if (
            len(norm) <= 40
            and (name := named or credited_outlet(norm))
            and not (named and _section_over(named, paras[i + 1] if i + 1 < len(paras) else None))
        ):
            meta.agency = meta.agency or name
            meta.agency_stated = True
            continue
        rest.append(para)

    head = 0
    if title is None and (menu := _menu_items(rest)):
        rest = rest[menu:]  # the site's menu over the story: «صفحه نخست», «فرهنگ و هنر», «چند رسانه ای» …
    if title is None and _kicker_over_headline(rest):
        meta.kicker = rest[0].rstrip(" :：؛")
        head = 1
    elif title is not None and (above := _over_given_headline(rest, title)):
        # the headline given beside the text (a JSONL record's, a page's) printed again in it under
        # a kicker («سخنگوی دولت:» over «امروز شاهد همبستگی … بودیم»): the kicker is no sentence,
        # and one ending in a colon would otherwise open the story's first sentence as a speaker's line
        meta.kicker = rest[above - 1].rstrip(" :：؛")
        rest = rest[above:]
    elif title is None and len(rest) > 2 and _SITE_NAME.match(rest[0].strip()) and story_line(rest[1]):
        head = 1  # the site's name over a story printed without its headline («میرنیوز»): no title
    if head < len(rest) and len(rest) - head > 1:
        candidate = rest[head]
        # with a title given beside the text (a channel post's, a feed's), a headline-like line
        # opening the text stays in the body, where it is quoted; it was dropped, shown nowhere (a
        # post titled by its channel because its headline asks «… چه گذشت؟»)
        if title is None and _headline_like(candidate):
            meta.title = candidate
            head += 1
        elif title is None and _restates(rest[head + 1], candidate):
            # an aggregator prints the lead over the headline: «خبرگزاری مهر: امام جمعه موقت شیراز،
            # گفت: …» over «امام‌جمعه شیراز: طلاب روزانه ۷۵دقیقه مطالعه دارند»; the lead stays quoted
            meta.title = rest[head + 1]
            rest = rest[: head + 1] + rest[head + 2 :]
        elif meta.title is None:
            meta.title = shorten(candidate)
    meta.body = rest[head:]
    if meta.title and meta.body and fold(normalize(meta.body[0])) == fold(normalize(meta.title)):
        meta.body = meta.body[1:]
    elif meta.title and meta.body and _headline_of(meta.title, meta.body[0]):
        # a page's title with the site's name («… کلید خورد :: روزنامه خبر جنوب»), the headline under it
        meta.title = meta.body[0] if title is None else meta.title
        meta.body = meta.body[1:]
    if meta.title and meta.body and _listed_with_labels(meta.title, meta.body[0]):
        meta.body = meta.body[1:]  # the headline again with the post's categories («… فرهنگی - سیاسی - …»)
    if meta.title and len(meta.body) > 1 and _BYLINE_NAME.match(meta.body[0].strip(" |/")) and _story_follows(meta.body[1:]):
        meta.body = meta.body[1:]  # a writer's name alone under the headline («ايرج گرگين», «| مرضيه صاحبي|»)
    elif meta.title and (at := _byline_over_story(meta.body)) is not None:
        meta.body = meta.body[:at] + meta.body[at + 1 :]
    if meta.agency is None:
        meta.agency = agency_in("\n".join(meta.body[:4]))
    return meta


# a site's name alone on a line: one word ending as news sites' names do («میرنیوز», «خبرآنلاین»), or its address
_SITE_NAME = re.compile(
    r"^(?:[\u0621-\u06cc\u200c]{2,}(?:نیوز|آنلاین|پرس)|(?:www\.)?[a-z0-9\-]+\.(?:ir|com|net|org|news))$", re.IGNORECASE
)
# a name and nothing else: two or three words of letters, no digit and no punctuation
_LETTERS = "\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc\u06c0\u200c"
_BYLINE_NAME = re.compile(rf"^[{_LETTERS}]{{2,}}(?:\s[{_LETTERS}]{{2,}}){{1,2}}$")


# a menu's item: one to three words and nothing else, no digit and no mark
_MENU_ITEM = re.compile(r"^[^\W\d_]+(?:[\s\u200c]+[^\W\d_]+){0,2}$")
MENU_MIN_ITEMS = 3  # fewer could be a kicker over the headline


def _menu_items(lines: list[str]) -> int:
    """How many lines open the text as a site's menu does (a page saved as text, its navigation
    first: «صفحه نخست», «دیگه چه خبر», «خانواده و جامعه», «چند رسانه ای»): at least three items in
    a row with the headline and the story still under them, else 0."""
    n = 0
    while n < len(lines) and _MENU_ITEM.match(lines[n].strip()):
        n += 1
    return n if n >= MENU_MIN_ITEMS and len(lines) - n >= 2 else 0


_BYLINE_REACH = 8  # the lines under the headline where a page prints its subheadings and the writer (and the headline again)


def _byline_over_story(body: list[str]) -> int | None:
    """Where a writer's name stands alone over the story's first sentence, under the quotes or
    subheadings a report opens with («علی اکبر قاضی زاده: نوشتن جرم نیست» … «بنفشه سام گیس»,
    then the story, as Etemad's report is reprinted), or None."""
    for i, line in enumerate(body[:_BYLINE_REACH]):
        if line.rstrip().endswith(("...", "…")):
            continue  # a lead cut short, the story printed whole under the writer's name (Digiato)
        if line.rstrip().endswith((".", "!", "؟", "?")):
            return i - 1 if i > 0 and _BYLINE_NAME.match(body[i - 1].strip(" |/")) else None
    return None


# a section's label ending in a colon, over the story's first paragraph: «مقدمه:», «چکیده:»
_SECTION_LABEL = re.compile(r"^[^\W\d_]+(?:[\s\u200c]+[^\W\d_]+){0,2}\s*[:：]$")


def _story_follows(lines: list[str]) -> bool:
    """Whether the story begins at ``lines``: its first sentence, or a section's label over it
    («مقدمه:» over the introduction, as a column on gooyait opens under its writer's name)."""
    if not lines:
        return False
    return story_line(lines[0]) or (len(lines) > 1 and bool(_SECTION_LABEL.match(lines[0].strip())) and story_line(lines[1]))


def story_line(line: str) -> bool:
    """A paragraph of the story: a sentence, or too long for a label."""
    return len(line) > 60 or line.rstrip().endswith((".", "!", "؟", "?", "»"))


# the line a blog engine's feed adds under a story another site copies (WordPress's «The post …
# appeared first on …» in Persian: «نوشته … اولین بار در … پدیدار شد.»): it names the site that
# published the story. (In English on a Persian page it is a theme's line, never quoted either.)
_FIRST_APPEARED = re.compile(
    r"^(?:نوشته|پست|مطلب)\s+.{1,300}?\s+(?:اولین|نخستین)\s+بار\s+در\s+(?P<site>[^.!؟?\n]{1,60}?)\s+(?:پدیدار|منتشر|ظاهر)\s+شد[.!]?$"
)
_HEADER_LINES = 8  # where a page's headline, date and code lines are, when it is read as text
_STAMPED = re.compile(r"^(?P<head>.{8,200}?)\s+(?P<when>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)$")
_PUBLISHED_LABEL = re.compile(r"^(?:تاریخ انتشار|زمان انتشار|تاریخ خبر|انتشار|منتشر شده)\s*(?:در\s*)?[:：]?")
# «خبرگزاری ایرنا / ۱۴۰۳/۱۱/۲۳»: an aggregator's line naming the story's agency and its date
_SOURCE_DATED = re.compile(r"^(?P<agency>[^/|\-–:]{2,30}?)\s*[/|\-–]\s*(?P<date>.{6,60})$")


def _source_and_date(norm: str) -> str | None:
    """The agency a line names beside the story's date, or None for any other line. An outlet
    not in the table counts when the line calls it a site: «سایت آخرین خبر / ۱۴۰۴/۰۲/۱۰», as an
    aggregator credits the story it reprints under its own date bar."""
    found = _SOURCE_DATED.match(norm)
    if found is None or not _dates_only(found.group("date")):
        return _outlet_before_date(norm) if len(norm) <= DATE_LINE_MAX_CHARS + 30 else None
    source = found.group("agency").strip()
    if named := agency_named_by(source):
        return named
    site = _SITE_WORD.match(source)
    return source[site.end() :].strip() if site and len(source[site.end() :].split()) <= 3 else None


def _outlet_before_date(norm: str) -> str | None:
    """An outlet of the table named before the date with a space alone, as an aggregator credits
    the site it reprints: «الف دوشنبه 17 دی 1403 - 09:12» (Negar Online)."""
    words = norm.split()
    for n in range(1, min(3, len(words) - 2) + 1):
        # the date first: a regex, where naming the outlet normalizes and looks up every alias
        if _dates_only(" ".join(words[n:])) and (named := agency_named_by(" ".join(words[:n]))):
            return named
    return None


_TITLE_PARTS = re.compile(r"\s+(?:::|\||-|–|—|»|«)\s+")


def _headline_of(title: str, line: str) -> bool:
    """Whether ``line`` is ``title`` without the site's (or section's) name the page's title
    adds after or before a separator: «دور چهارم … کلید خورد :: روزنامه خبر جنوب»."""
    key, whole = fold(normalize(line)), fold(normalize(title))
    if len(key.split()) >= 3 and whole.startswith(key + " ") and len(whole[len(key) :].split()) <= 4:
        return True  # the site's name or section after it with no separator: «… بازار ارز تحليل آريا بازار»
    parts = _TITLE_PARTS.split(title)
    if len(parts) < 2:
        return False
    return key in (fold(normalize(parts[0])), fold(normalize(parts[-1])))


_LABEL_SEP = re.compile(r"\s*[-–|،,/]\s*")


def _listed_with_labels(title: str, line: str) -> bool:
    """Whether ``line`` is ``title`` followed by a list of labels, as a blog prints a post's
    headline with its categories: «گزارش «اعتماد» از … رو به افول فرهنگی - سیاسی - اجتماعی -
    مقالات فرهنگی - حوزه کار وکارگری ، کار آفرینی». Two labels at least, each of a few words and
    no sentence's mark: a line that goes on with a sentence is the story's."""
    key, whole = fold(normalize(line)), fold(normalize(title))
    if not key.startswith(whole + " "):
        return False
    labels = _LABEL_SEP.split(key[len(whole) :].strip())
    return len(labels) >= 2 and all(0 < len(label.split()) <= 4 and not _SENTENCE_MARK.search(label) for label in labels)


_SENTENCE_MARK = re.compile(r"[.!؟?:：«»؛]")


_REPEAT_REACH = 40  # lines read for the headline printed again (under the lead, as a caption): near the top


def _kicker_over_headline(lines: list[str]) -> bool:
    """Whether the first line is a kicker (روتیتر) or a section's name over the headline, the
    story under both. Told by what pages do: the kicker ends in a colon or «؛» («در گزارش
    پژوهشکده پولی و بانکی مطرح شد؛»); a section's name is a few words over a longer headline;
    and a page prints its headline again further down (under the lead, as a photo's caption),
    never the kicker over it."""
    if len(lines) < 3 or not _headline_like(lines[1]) or len(lines[0]) > KICKER_MAX:
        return False
    first, second = lines[0].rstrip(), lines[1]
    if first.endswith((":", "：", "؛")):
        return True
    if not _headline_like(first):
        return False
    words, headline_words = len(first.split()), len(second.split())
    if words <= 3 and len(first) <= 30 and not re.search(f"[{_DIGITS}]", first) and headline_words >= max(4, words + 2):
        return True
    later = {fold(normalize(line)) for line in lines[2:_REPEAT_REACH] if len(line) <= TITLE_MAX}
    if len(lines) >= 4 and fold(normalize(second)) in later and fold(normalize(first)) not in later:
        return True
    # the lead under them tells the second line at length and not the first: the first is a line
    # over the headline (a copy's leftover «تعیین حجم با روش درصد ثابت» over «تغییر مدل محاسبه
    # اینترنت ثابت/ محاسبه سرعت به جای حجم»); not when the first is printed again under the story
    if fold(normalize(first)) in later or not story_line(lines[2]):
        return False
    lead = _stems(lines[2])
    told = _told(second, lead)
    return told >= 0.5 and _told(first, lead) < min(0.5, told / 2)


KICKER_LINES = 2  # a kicker, and a section's name over it


def _over_given_headline(lines: list[str], title: str) -> int:
    """How many lines stand over the given headline when the text prints it near its top under
    a kicker or a section's name (each a short headline-like line), else 0."""
    key = fold(normalize(title))
    for at in range(1, min(KICKER_LINES, len(lines) - 2) + 1):
        if fold(normalize(lines[at])) == key:
            above = lines[:at]
            return at if all(len(line) <= KICKER_MAX and _headline_like(line) for line in above) else 0
    return 0


def _restates(line: str, lead: str) -> bool:
    """Whether ``line`` is a headline ``lead`` tells at length: most of its words the lead's."""
    return _told(line, _stems(lead)) >= 0.5


def _told(line: str, lead: set[str]) -> float:
    """How much of a headline-like ``line`` a lead (its ``_stems``) tells: the share of its words
    (three or more) the lead has; 0 for a label («حجت الاسلام محمدحسن مرادی:») or a line that is no
    headline."""
    if not _headline_like(line) or line.rstrip().endswith((":", "：")):
        return 0.0
    words = _stems(line)
    return len(words & lead) / len(words) if len(words) >= 3 else 0.0


def _stems(text: str) -> set[str]:
    """The stems of ``text``'s words, in its first 2,000 characters (a lead tells its headline first)."""
    return set(analyze(text[:_LEAD_READ].replace("\u200c", " "), "stem"))


_LEAD_READ = 2000


def _headline_like(line: str) -> bool:
    """A line that can be a headline: short, and not ending as a statement does. A headline may
    ask or exclaim («… استادیار می‌ماند!», «چرا … نیفتاد؟»); a sentence of the story ends in a stop."""
    return len(line) <= TITLE_MAX and not line.rstrip().endswith(".")


def _calendar_only(norm: str) -> bool:
    """A line holding only a lunar date, or a Gregorian one in Latin letters."""
    return len(norm) <= DATE_LINE_MAX_CHARS and bool(_CALENDAR_LINE.match(norm.strip(" •·-–|")))


def _story_date(lines: list[str], all_lines: list[str]) -> str | None:
    """Which of a page's date lines dates the story: the first, leaving out a date bar (a date
    with the other calendars' on the lines under it) unless nothing else is dated, and a day
    alone («۲۴ اردیبهشت ۱۴۰۴») gives way to a later line stating that day with its time
    («تاریخ انتشار: ۱۳:۴۲ - ۲۴-۰۲-۱۴۰۴», Asriran)."""
    lines = lines or all_lines
    if not lines:
        return None
    first = lines[0]
    if not has_clock(first) and (day := parse(first)) is not None:
        for later in lines[1:]:
            when = parse(later)
            if when is not None and has_clock(later) and when.date() == day.date():
                return later
    return first


def shorten(text: str, limit: int = 90) -> str:
    """A long lead standing in for a missing headline: cut at a word, marked as cut."""
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"
