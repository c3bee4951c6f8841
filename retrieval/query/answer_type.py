"""What kind of answer a question wants, and whether a sentence could hold one: pure functions.

«چند طرح؟» wants a number, «کی؟» a time, «چه کسی؟» a person and «چه سمتی؟» a role; among
sentences that match the question equally well, the one that contains such a thing is the
better quote.

The words that name the kind asked for («سمتی» in «چه سمتی دارد؟», «سالی» in «در چه سالی»,
«تعداد» in «چه تعداد») are rarely in the answer: «صفری چه سمتی دارد؟» is answered by «محمدرضا
صفری رئیس سازمان نظام دامپزشکی کشور», which says «رئیس», not «سمت». :func:`naming` gives them,
so that what measures how much of the question a passage holds does not count them missing.
"""

from __future__ import annotations

import functools
import re
from typing import NamedTuple

from corpus.normalize import normalize

NUMBER = "number"
TIME = "time"
PERSON = "person"
ROLE = "role"

_NUMBER_Q = re.compile(
    r"(^|\s)(چند|چندم|چندمین|چقدر|چه تعداد|چه میزان|چه مقدار|چند درصد|چه اندازه|چه مبلغی?|چه رقمی|چه درصدی|چه عددی)(\s|$|؟)"
)
_TIME_Q = re.compile(
    r"(^|\s)(کی|چه زمانی?|چه وقت|چه هنگامی?|چه سالی|چه تاریخی|چه روزی|چه ماهی|در چه سال|از چه سال|چه قرنی|چه سال‌هایی|"
    r"چه دهه‌ای|چه سده‌ای|چه ساعتی|کدام (?:سال|سال‌ها|دهه|قرن|سده|تاریخ|روز|ماه))(\s|$|؟)"
)
_PERSON_Q = re.compile(r"(^|\s)(کیست|کیستند|چه کسی|چه کسانی|توسط چه کسی|چه شخصی|کدام شخص)(\s|$|؟)")
# «چه سمتی دارد؟», «چه کاره است؟», and «سمت/شغل او چیست؟» (not «به سمت کعبه»: direction)
_ROLE_Q = re.compile(r"(^|\s)(چه (?:سمتی|سمت‌هایی|پستی|مسئولیتی|مسئولیت‌هایی|مقامی|شغلی|کاره)|چه‌کاره|چیکاره)(\s|$|؟)")
_ROLE_OF = re.compile(r"^((?:سمت|شغل|مسئولیت)(?:ش|‌اش|‌های|‌ها)?)\s+(?:\S+\s+){0,4}?(?:چیست|چه بود|چه است|چه بوده است)(\s|$|؟)")
# The question's own words in the phrases above, which name no kind of answer
_ASKING = frozenset("چه کدام در از توسط چند چقدر کی کیست کیستند".split())
# Common given names and titles: enough to tell that a sentence names somebody.
_GIVEN_NAMES = frozenset(
    """علی علیرضا محمد محمدرضا محمدعلی حسین حسن رضا مهدی احمد محمود مصطفی مجتبی مرتضی جواد مجید سعید حمید وحید امیر
    امید روزبه مسعود مهران بهروز بهرام فرهاد فریدون کامران کاوه پرویز داریوش سیاوش بیژن هوشنگ منصور ناصر اکبر اصغر جعفر
    صادق یوسف ابراهیم اسماعیل عباس قاسم کاظم هادی عبدالله حبیب حبیب‌الله حبیب‌اله نصرالله فتح‌الله ایرج شاپور کیوان
    سینا آرش بابک نیما پیمان پویا عماد رسول کریم رحیم سلیمان سهراب رستم مریم زهرا فاطمه معصومه زینب سارا نرگس لیلا
    مینا شیرین پروین فرزانه فریبا الهام اعظم طاهره منیژه ژاله سیمین شهلا آزاده نسرین نازنین مهسا ندا هانیه""".split()
)
_TITLES = re.compile(r"(^|\s)(آقای|خانم|دکتر|مهندس|سردار|سرلشکر|حجت‌الاسلام|آیت‌الله|استاد|شهید)\s+\S")
# What a role is called: a sentence holding one can say what somebody's post is («سرمربی: ژرژ
# لیکنز», «محمدرضا صفری رئیس سازمان …»). A word is taken up to a zero-width non-joiner, so
# «رئیس‌جمهور» and «مدیرکل‌های» count by their first part.
_ROLES = frozenset(
    """رئیس ریاست معاون مدیر مدیرکل مدیرعامل سرپرست قائم‌مقام وزیر استاندار فرماندار بخشدار شهردار دهیار نماینده
    سخنگو دبیر دبیرکل عضو مشاور مسئول رئیس‌جمهور نخست‌وزیر سفیر کنسول رایزن فرمانده جانشین سرمربی مربی
    کاپیتان بازیکن دروازه‌بان مهاجم هافبک مدافع داور کارشناس استاد دانشیار دانشجو پژوهشگر محقق پزشک
    جراح پرستار مهندس وکیل قاضی دادستان بازپرس خبرنگار روزنامه‌نگار مجری گوینده سردبیر نویسنده شاعر
    خواننده آهنگساز نوازنده بازیگر کارگردان تهیه‌کننده هنرمند امام پیشنماز مالک بنیانگذار موسس
    مؤسس کارمند کارگر کشاورز مدرس معلم رهبر پادشاه شاه ملکه ولیعهد""".split()
)
_DIGIT = re.compile(r"[0-9۰-۹]")
_NUMBER_WORDS = re.compile(
    r"(^|\s)(یک|دو|سه|چهار|پنج|شش|هفت|هشت|ده|یازده|دوازده|بیست|سی|چهل|پنجاه|صد|دویست|هزار|میلیون|میلیارد|"
    r"نیم|دهها|صدها|هزاران|درصد|اول|دوم|سوم|نخستین)(\s|$|[،.])"
)
_TIME_WORDS = re.compile(
    r"(فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند|ژانویه|فوریه|مارس|آوریل|مه|ژوئن|ژوئیه|"
    r"اوت|سپتامبر|اکتبر|نوامبر|دسامبر|آینده|گذشته|امروز|فردا|دیروز|امسال|پارسال|سال|ماه|هفته|روز|قرن|سده|دهه|ساعت|"
    r"شنبه|یکشنبه|دوشنبه|سه‌شنبه|چهارشنبه|پنجشنبه|جمعه)"
)


# An age: «چند سالشه؟», «چند ساله بود؟», «چند سال داشت؟», «در چه سنی / چند سالگی …؟», «سن او
# چقدر است؟». Not «چند سال طول کشید» (a span of years, any number of years answers it), nor «سن
# چقدر مهم است؟» (how much age matters: «چقدر» asks of what follows it).
_AGE_Q = re.compile(
    r"(^|\s)(چند سال(?:ش|شه|شان|شون|ت|ته|تان)?\s+(?:دارد|داشت|داره|داشته|دارند|داشتند|دارن|داشتن)|"
    r"چند ?سال(?:شه|شونه|ته|ش|شان|شون)|چند ?ساله|چند ?سالگی|چه سنی|"
    r"سن(?:ش)?(?:\s+\S+){0,3}?\s+چقدر(?:ه|\s+(?:است|بود|بوده|هست))?\s*؟?\s*$)(\s|$|؟)"
)
_NUMBER_WORD = (  # a number written in words, as ages and shares are («بیست و یک سالگی»)
    r"(?:یک|دو|سه|چهار|پنج|شش|هفت|هشت|نه|ده|یازده|دوازده|سیزده|چهارده|پانزده|شانزده|هفده|هجده|نوزده|بیست|سی|چهل|"
    r"پنجاه|شصت|هفتاد|هشتاد|نود|صد)"
)
# what says how old: a number of years («۱۸ ساله», «هفت سالگی», «۳۵ سال دارد»), an age, a time
# of life or a birth named («در سن», «در دوران پیری», «متولد ۱۳۶۰»)
_AGE = re.compile(  # a number of years placed in time («در یک سال گذشته», «۲۰ سال پیش») is when, not how old
    rf"(?:[0-9۰-۹]|(?:^|\s){_NUMBER_WORD}(?:\s+و\s+\S+)?)[\s\u200c]*سال(?![\s\u200c]+(?:گذشته|اخیر|پیش|قبل|بعد|آینده)(?:[\s\u200c،.]|$))|"
    r"سالگی|(?:^|\s)(?:سن|سنین|سنش|"
    r"متولد|زادروز|کودکی|نوجوانی|جوانی|میانسالی|بزرگسالی|پیری|سالمندی|کهنسالی)(?:\s|$|[،.])"
)
_PERCENT_Q = re.compile(r"(^|\s)(چند درصد|چند در صد|چه درصدی|چه سهمی|چند ٪)(\s|$|؟)")
_PERCENT = re.compile(r"درصد|در صد|٪|(?:^|\s)(?:نیمی|نصف|یک‌سوم|یک‌چهارم|دوسوم|سه‌چهارم)(?:\s|$)")
# A year: «در چه سالی / از چه سال / کدام سال / سال چند …؟». Said by a number that can be one
# («۱۳۸۲», «سال ۹۸», «2019», «۷۷–۱۳۷۶»), a year named by where it stands («امسال», «سال گذشته»),
# an era («پنجم هجری») or an age («در ۴۰ سالگی»). The patterns lean to «says»: a note is for
# quotes that give no year at all, never for a year written in a way not listed here.
_YEAR_Q = re.compile(r"(^|\s)(چه سالی|چه سال‌هایی|در چه سال|از چه سال|تا چه سال|کدام سال|کدام سال‌ها|سال چند)(\s|$|؟)")
# a number that can be a year: three or four figures, two after «سال» / «دهه» («سال ۹۸»، «دههٔ
# ۶۰») or in a span («۷۷–۱۳۷۶»), or any before an era («۶ و ۷ هجری»); not a minute or a count
# («دقیقه 78»، «۲۱ نفر»)
_YEAR_NUMBER = (
    r"(?<![0-9۰-۹])[0-9۰-۹]{3,4}(?![0-9۰-۹])|(?:سال|سالهای|سال‌های|دهه|دههٔ|دهه‌ی)\s*[0-9۰-۹]{2}(?![0-9۰-۹])|"
    r"[0-9۰-۹]{2}\s*[-–/]\s*[0-9۰-۹]{2,4}|[0-9۰-۹]{1,2}(?:\s*و\s*[0-9۰-۹]{1,2})?\s*(?:هجری|میلادی|شمسی|قمری|خورشیدی|ه‍?\.?\s*[قش]|م\.)"
)
_YEAR = re.compile(
    _YEAR_NUMBER + r"|سالگی|امسال|پارسال|سال (?:گذشته|آینده|جاری|قبل|بعد|پیش|آتی|پیشین)|هزاره|هجری|میلادی|شمسی|قمری"
)
_CENTURY_Q = re.compile(r"(^|\s)(چه قرنی|کدام قرن|قرن چند|چندمین قرن|چه سده‌ای|کدام سده)(\s|$|؟)")
_CENTURY = re.compile(r"قرن|قرون|سده|هزاره")
# A date: «در چه تاریخی / چه روزی / کدام روز …؟» (not «چه فصلی»: a season, a league's season or
# a book's chapter; nor «چه ماهی»: as often «what fish», and «کدام ماه» a planet's moon). Said by
# a year, a day and month in figures, a month's name (solar, Gregorian or lunar), a weekday, a
# day named by where it stands, or «روز سوم».
_DATE_Q = re.compile(r"(^|\s)(چه تاریخی|در چه تاریخ|چه روزی|کدام روز|کدام تاریخ)(\s|$|؟)")
# What states one outright, in figures or a named month or weekday: the narrower test that picks
# which quote leads. «says» leans wide so that a note is never wrong; a quote is put first only
# on what cannot be something else («در یک سال گذشته» is a span, «امروز» any day, «سن» a topic).
_AGE_STATED = re.compile(
    rf"(?:[0-9۰-۹]|(?:^|\s){_NUMBER_WORD}(?:\s+و\s+\S+)?)[\s\u200c]*(?:سال(?:ه|گی)|سال\s+(?:دارد|داشت|سن))|سالگی"
)
_PERCENT_STATED = re.compile(rf"(?:[0-9۰-۹]|(?:^|\s){_NUMBER_WORD})[\s\u200c]*(?:درصد|در صد|٪)|٪\s*[0-9۰-۹]")
_YEAR_STATED = re.compile(_YEAR_NUMBER + r"|\S+م\s+(?:هجری|میلادی|شمسی|قمری|خورشیدی)")  # and «سال پنجم هجری»
_CENTURY_STATED = re.compile(r"(?:قرن|قرون|سده|هزاره)(?:های|‌های|ٔ)?\s+(?:[0-9۰-۹]+|\S+م(?:ین)?)(?:\s|$|[،.])")
# a month by its name, solar, Gregorian or lunar («مهرماه», «۱۳ جمادی الاولی»), and a weekday
_MONTH_OR_WEEKDAY = (
    r"فروردین|اردیبهشت|خرداد|(?:^|\s)(?:تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند|ژانویه|ژانویهٔ|فوریه|مارس|آوریل|مه|"
    r"مۀ|ژوئن|ژوئیه|ژوئیهٔ|اوت|سپتامبر|اکتبر|نوامبر|دسامبر|محرم|صفر|رجب|شعبان|رمضان|شوال)(?:\u200c?ماه)?(?:\s|$|[،.])|"
    # the two-word lunar months only with their «ال…» («ربیع‌الاول», «جمادی الثانی»): alone, «ربیع»
    # opens names («محسن ربیع‌خواه», «ربیعی») that would make a team's line-up a date
    r"ربیع[\s\u200c]*ال|جمادی[\s\u200c]*ال|ذی\S?(?:ال)?(?:قعده|حجه)|شنبه|جمعه"
)
_DATE_STATED = re.compile(_YEAR_NUMBER + r"|[0-9۰-۹]+\s*[/\-]\s*[0-9۰-۹]+|(?:روز|شب)\s+\S+م(?:ین)?(?:\s|$)|" + _MONTH_OR_WEEKDAY)
_DATE = re.compile(  # and, for the note only, a day named by where it stands («امروز», «ماه سوم»)
    _DATE_STATED.pattern + r"|(?:ماه|هفته)\s+\S+م(?:ین)?(?:\s|$)|امروز|فردا|دیروز|پریروز|امشب|دیشب|نوروز|سالروز|سالگرد"
)
AGE = "age"
PERCENTAGE = "percentage"
YEAR = "year"
CENTURY = "century"
DATE = "date"


class _Exact(NamedTuple):
    """A kind of answer asked for so exactly that no other number answers it: how it is asked,
    what may say it (wide: the note that none of the quotes does must never be wrong) and what
    states it outright (narrow: a quote is put first on it)."""

    asks: re.Pattern[str]
    says: re.Pattern[str]
    states: re.Pattern[str]


# tried in this order («در چه سالی … چند سال داشت؟» asks an age)
_EXACT = {
    AGE: _Exact(_AGE_Q, _AGE, _AGE_STATED),
    PERCENTAGE: _Exact(_PERCENT_Q, _PERCENT, _PERCENT_STATED),
    YEAR: _Exact(_YEAR_Q, _YEAR, _YEAR_STATED),
    CENTURY: _Exact(_CENTURY_Q, _CENTURY, _CENTURY_STATED),
    DATE: _Exact(_DATE_Q, _DATE, _DATE_STATED),
}
EXACT_KINDS = tuple(_EXACT)  # what a front end must have words for («سنی گفته نشده»)


def exact(norm_question: str) -> str | None:
    """What the question asks for when no number of another kind answers it: an age for «ژاوی
    چند سالشه؟» (a match's minute or a score is not one), a percentage for «چند درصد …؟», a
    year for «در چه سالی …؟», a century or a date."""
    return next((name for name, kind in _EXACT.items() if kind.asks.search(norm_question)), None)


def says(norm_sentence: str, what: str) -> bool:
    """Whether the sentence may say ``what`` (a name :func:`exact` gives): wide, for the note that
    none of the quotes does, which must never be wrong."""
    return bool(_EXACT[what].says.search(norm_sentence))


def states(norm_sentence: str, what: str) -> bool:
    """Whether the sentence states ``what`` outright («۱۳۸۲», «۲۵ آبان», «۳۹ ساله», «۵۲ درصد»):
    narrow, for putting a quote first, which must not lead with a span («در یک سال گذشته»)."""
    return bool(_EXACT[what].states.search(norm_sentence))


# each kind's patterns, in the order tried; the group named by the number is the phrase that asks
_KINDS = ((NUMBER, _NUMBER_Q, 2), (TIME, _TIME_Q, 2), (PERSON, _PERSON_Q, 2), (ROLE, _ROLE_Q, 2), (ROLE, _ROLE_OF, 1))
_WORDS = re.compile(r"[\w\u200c]+")


# «کی» is «who» as often as «when» in questions as people type them. It asks who when it opens
# the question and an actor is asked for («کی اصطلاح منبع آزاد را پیشنهاد داد؟»; not a passive
# verb's «کی ساخته شد؟», which asks when), after a preposition («به دستور کی بود؟», «با کی ازدواج
# کرد؟»; not «از کی» and «تا کی», since when and until when), and as «کی بود؟» of a post or a
# relative («پدر ظریف کی بود؟», «مدیرکل … کی بود؟»; not «کودتا کی بود؟»). Elsewhere it asks when.
_KI_OPENS = re.compile(r"^[\s«\"]*کی\s+\S")
_PASSIVE_END = re.compile(r"(?:^|\s)(?:شد|شدند|شده|شده‌است|شده‌اند|می‌شود|می‌شوند|خواهد شد|خواهند شد)(?:\s+(?:است|بود))?\s*؟?\s*$")
_KI_WHOM = re.compile(r"(?:^|\s)(?:با|به|برای|پیش|مال|توسط|دستور|همراه|همراهی)\s+کی(?:\s|$|؟)")
_KI_WAS = re.compile(r"(?:^|\s)کی\s+(?:بود|بوده|بوده‌است|است|هست|بودند|هستند)\s*؟?\s*$")
_BEFORE_HEAD = re.compile(  # a superlative or an ordinal before its noun: «بهترین بازیکن», «دومین رئیس»
    r"\S+ترین|اولین|آخرین|نخستین|(?:دوم|سوم|چهارم|پنجم|ششم|هفتم|هشتم|نهم|دهم|[0-9۰-۹]+ا?م)ین"
)
_KIN = frozenset("پدر مادر همسر شوهر برادر خواهر پسر دختر فرزند عمو دایی خاله عمه پدربزرگ مادربزرگ نوه برنده قهرمان".split())


def _who_by_ki(norm_question: str) -> bool:
    if _KI_OPENS.match(norm_question):
        return _PASSIVE_END.search(norm_question) is None
    if _KI_WHOM.search(norm_question):
        return True
    if _KI_WAS.search(norm_question):  # the phrase's head: its first noun, past a superlative or an ordinal
        head = next((w for w in norm_question.split() if not _BEFORE_HEAD.fullmatch(w)), "")
        return head.split("\u200c")[0] in _KIN or _holds_role(head)
    return False


def expected(norm_question: str) -> str | None:
    """The kind of answer the (normalized, formal) question wants, or None."""
    if _who_by_ki(norm_question):
        return PERSON
    for kind, pattern, _group in _KINDS:
        if pattern.search(norm_question):
            return kind
    return None


def naming(norm_question: str) -> tuple[str, ...]:
    """The words of the question that name the kind of answer it wants, not what it is about:
    «سالی» in «در چه سالی تاسیس شد؟», «سمتی» in «صفری چه سمتی دارد؟», «تعداد» in «چه تعداد», and
    an age's «سال» or «سن» («ژاوی چند سالشه؟» is answered by «۳۹ ساله» or «متولد ۱۹۸۰», or by
    nothing, and the nearest quotes are still shown with a note that they do not say it)."""
    at = _AGE_Q.search(norm_question)
    age = [w for w in at.group(2).split() if w.startswith(("سال", "سن"))] if at else []
    for _kind, pattern, group in _KINDS:
        if found := pattern.search(norm_question):
            return (*(w for w in found.group(group).split() if w not in _ASKING and w not in age), *age)
    return tuple(age)


@functools.cache
def _roles() -> frozenset[str]:
    return frozenset(normalize(w) for w in _ROLES)


def _holds_role(norm_sentence: str) -> bool:
    roles = _roles()
    return any(w in roles or w.split("\u200c")[0] in roles for w in _WORDS.findall(norm_sentence))


def can_answer(norm_sentence: str, kind: str | None) -> bool:
    if kind == NUMBER:
        return bool(_DIGIT.search(norm_sentence) or _NUMBER_WORDS.search(norm_sentence))
    if kind == TIME:
        return bool(_DIGIT.search(norm_sentence) or _TIME_WORDS.search(norm_sentence))
    if kind == PERSON:
        return bool(_TITLES.search(norm_sentence)) or any(w in _GIVEN_NAMES for w in norm_sentence.split())
    if kind == ROLE:
        return _holds_role(norm_sentence)
    return False
