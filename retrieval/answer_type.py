"""What kind of answer a question wants, and whether a sentence could hold one: pure functions.

«چند طرح؟» wants a number and «کی؟» a time; among sentences that match the question
equally well, the one that contains such a thing is the better quote.
"""

from __future__ import annotations

import re

NUMBER = "number"
TIME = "time"

_NUMBER_Q = re.compile(r"(^|\s)(چند|چندم|چندمین|چقدر|چه تعداد|چه میزان|چه مقدار|چند درصد)(\s|$|؟)")
_TIME_Q = re.compile(r"(^|\s)(کی|چه زمانی|چه وقت|چه سالی|چه تاریخی|چه روزی|چه ماهی|در چه سال|از چه سال|چه قرنی)(\s|$|؟)")
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
    return None


def can_answer(norm_sentence: str, kind: str | None) -> bool:
    if kind == NUMBER:
        return bool(_DIGIT.search(norm_sentence) or _NUMBER_WORDS.search(norm_sentence))
    if kind == TIME:
        return bool(_DIGIT.search(norm_sentence) or _TIME_WORDS.search(norm_sentence))
    return False
