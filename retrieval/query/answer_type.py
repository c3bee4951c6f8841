"""What kind of answer a question wants, and whether a sentence could hold one: pure functions.

«چند طرح؟» wants a number, «کی؟» a time and «چه کسی؟» a person; among sentences that match
the question equally well, the one that contains such a thing is the better quote.
"""

from __future__ import annotations

import re

NUMBER = "number"
TIME = "time"
PERSON = "person"

_NUMBER_Q = re.compile(
    r"(^|\s)(چند|چندم|چندمین|چقدر|چه تعداد|چه میزان|چه مقدار|چند درصد|چه اندازه|چه مبلغی?|چه رقمی|چه درصدی|چه عددی)(\s|$|؟)"
)
_TIME_Q = re.compile(
    r"(^|\s)(کی|چه زمانی?|چه وقت|چه هنگامی?|چه سالی|چه تاریخی|چه روزی|چه ماهی|در چه سال|از چه سال|چه قرنی|چه سال‌هایی|"
    r"چه دهه‌ای|چه سده‌ای|چه ساعتی|کدام (?:سال|سال‌ها|دهه|قرن|سده|تاریخ|روز|ماه))(\s|$|؟)"
)
_PERSON_Q = re.compile(r"(^|\s)(کیست|کیستند|چه کسی|چه کسانی|توسط چه کسی|چه شخصی|کدام شخص)(\s|$|؟)")
# Common given names and titles: enough to tell that a sentence names somebody.
_GIVEN_NAMES = frozenset(
    """علی علیرضا محمد محمدرضا محمدعلی حسین حسن رضا مهدی احمد محمود مصطفی مجتبی مرتضی جواد مجید سعید حمید وحید امیر
    امید روزبه مسعود مهران بهروز بهرام فرهاد فریدون کامران کاوه پرویز داریوش سیاوش بیژن هوشنگ منصور ناصر اکبر اصغر جعفر
    صادق یوسف ابراهیم اسماعیل عباس قاسم کاظم هادی عبدالله حبیب حبیب‌الله حبیب‌اله نصرالله فتح‌الله ایرج شاپور کیوان
    سینا آرش بابک نیما پیمان پویا عماد رسول کریم رحیم سلیمان سهراب رستم مریم زهرا فاطمه معصومه زینب سارا نرگس لیلا
    مینا شیرین پروین فرزانه فریبا الهام اعظم طاهره منیژه ژاله سیمین شهلا آزاده نسرین نازنین مهسا ندا هانیه""".split()
)
_TITLES = re.compile(r"(^|\s)(آقای|خانم|دکتر|مهندس|سردار|سرلشکر|حجت‌الاسلام|آیت‌الله|استاد|شهید)\s+\S")
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


def expected(norm_question: str) -> str | None:
    if _NUMBER_Q.search(norm_question):
        return NUMBER
    if _TIME_Q.search(norm_question):
        return TIME
    if _PERSON_Q.search(norm_question):
        return PERSON
    return None


def can_answer(norm_sentence: str, kind: str | None) -> bool:
    if kind == NUMBER:
        return bool(_DIGIT.search(norm_sentence) or _NUMBER_WORDS.search(norm_sentence))
    if kind == TIME:
        return bool(_DIGIT.search(norm_sentence) or _TIME_WORDS.search(norm_sentence))
    if kind == PERSON:
        return bool(_TITLES.search(norm_sentence)) or any(w in _GIVEN_NAMES for w in norm_sentence.split())
    return False
