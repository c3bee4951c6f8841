"""Fusion, quote selection, answer types and abstention as pure functions."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corpus.normalize import normalize
from corpus.records import StoredSentence
from retrieval.answer.abstain import Signals, coverage, decide
from retrieval.answer.quotes import context_span, saying_first, select
from retrieval.query import answer_type
from retrieval.rank.fusion import min_max, reciprocal_rank, weighted
from retrieval.records import Hit, vector_groups
from retrieval.search import gather
from retrieval.search.gather import group_starts
from retrieval.store import VectorSearch


def hits(*pairs):
    return [Hit(i, s) for i, s in pairs]


def test_min_max_scales_each_list_to_unit_range():
    assert min_max(hits((1, 10.0), (2, 5.0), (3, 0.0))) == {1: 1.0, 2: 0.5, 3: 0.0}
    assert min_max(hits((7, 3.0))) == {7: 1.0}
    assert min_max([]) == {}


def test_scores_closer_than_the_floor_stay_close_instead_of_stretching_to_the_whole_range():
    near = hits((1, 0.927), (2, 0.924), (3, 0.917))
    assert min_max(near) == pytest.approx({1: 1.0, 2: 0.7, 3: 0.0})
    assert min_max(near, 0.05) == pytest.approx({1: 1.0, 2: 0.94, 3: 0.8})
    assert min_max(hits((1, 0.9), (2, 0.7)), 0.05) == {1: 1.0, 2: 0.0}  # wide enough: unchanged


def test_weighted_fusion_fills_missing_with_the_minimum_and_respects_the_weight():
    lex = hits((1, 9.0), (2, 3.0))
    dense = hits((2, 0.9), (3, 0.5))
    assert [h.sentence_id for h in weighted(lex, dense, 0.0)][:2] == [1, 2]
    assert next(h.sentence_id for h in weighted(lex, dense, 1.0)) == 2
    fused = {h.sentence_id: h.score for h in weighted(lex, dense, 0.5)}
    assert fused == pytest.approx({1: 0.5, 2: 0.5, 3: 0.0})


def test_reciprocal_rank_fusion_rewards_agreement():
    fused = reciprocal_rank([hits((1, 9), (2, 8)), hits((2, 0.9), (3, 0.8))], k=60)
    assert fused[0].sentence_id == 2
    assert fused[0].score == pytest.approx(1 / 62 + 1 / 61)


def _sent(i, article, position, start=0, end=10, norm=None):
    return StoredSentence(i, article, position, start, end, "x" * (end - start), norm or f"sentence {i}")


def test_select_caps_quotes_per_article_and_discounts_repeats():
    sentences = {1: _sent(1, "a", 0), 2: _sent(2, "a", 1), 3: _sent(3, "a", 2), 4: _sent(4, "b", 0)}
    ranked = hits((1, 1.0), (2, 0.9), (3, 0.85), (4, 0.8))
    assert [h.sentence_id for h in select(ranked, sentences, 3, max_per_article=2, diversity=0.85)] == [1, 4, 2]
    assert [h.sentence_id for h in select(ranked, sentences, 3, max_per_article=3, diversity=1.0)] == [1, 2, 3]
    assert [h.sentence_id for h in select(ranked, sentences, 5, max_per_article=1)] == [1, 4]


def test_the_same_sentence_run_by_two_outlets_is_quoted_once():
    wire = "کتابخانه مرکزی یزد هفته آینده افتتاح می شود"
    sentences = {1: _sent(1, "isna", 3, norm=wire), 2: _sent(2, "irna", 0, norm=wire), 3: _sent(3, "irna", 1)}
    ranked = hits((1, 1.0), (2, 0.99), (3, 0.5))
    assert [h.sentence_id for h in select(ranked, sentences, 3, max_per_article=3)] == [1, 3]


def _select_one_pop_at_a_time(ranked, sentences, k, max_per_article, diversity):
    """The plain reading of select's rules, popping the best hit each round (copies included)."""
    pool = [h for h in ranked if h.sentence_id in sentences]
    picked, texts, per_article = [], set(), {}
    while pool and len(picked) < k:
        eligible = [
            (i, h.score * diversity if per_article.get(sentences[h.sentence_id].article_id) and h.score > 0 else h.score)
            for i, h in enumerate(pool)
            if per_article.get(sentences[h.sentence_id].article_id, 0) < max_per_article
        ]
        if not eligible:
            break
        best = max(eligible, key=lambda e: (e[1], -e[0]))[0]
        hit = pool.pop(best)
        sent = sentences[hit.sentence_id]
        if sent.norm in texts:
            continue
        texts.add(sent.norm)
        per_article[sent.article_id] = per_article.get(sent.article_id, 0) + 1
        picked.append(hit)
    return picked


@given(
    st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.floats(-1, 1, allow_nan=False)), max_size=60),
    st.integers(1, 6),
    st.integers(1, 3),
)
def test_select_passes_over_wire_copies_as_if_it_popped_each(rows, k, cap):
    """A wire story run by dozens of outlets fills the ranking with copies of one text; select
    passes over them in its scan instead of popping each (a cost that grew with the square of
    the copies) and must pick exactly what popping them one at a time picks."""
    sentences = {i: _sent(i, f"agency{article}", i, norm=f"text {text}") for i, (article, text, _) in enumerate(rows)}
    ranked = sorted(hits(*((i, score) for i, (_, _, score) in enumerate(rows))), key=lambda h: -h.score)
    got = select(ranked, sentences, k, max_per_article=cap, diversity=0.85)
    assert got == _select_one_pop_at_a_time(ranked, sentences, k, cap, 0.85)


def test_context_takes_short_neighbours_across_paragraphs_but_not_long_ones():
    sents = [_sent(1, "a", 0, 0, 50), _sent(2, "a", 1, 52, 80), _sent(3, "a", 2, 82, 600)]
    assert context_span(sents, 1, 1, max_chars=100) == (0, 80)
    assert context_span(sents, 0, 1, max_chars=100) == (0, 80)
    assert context_span(sents, 1, 0, max_chars=100) == (52, 80)


def test_answer_types():
    assert answer_type.expected("بهزیستی چند طرح تدوین کرده است؟") == answer_type.NUMBER
    assert answer_type.expected("اطلس اجتماعی کی ارائه می‌شود؟") == answer_type.TIME
    assert answer_type.expected("رویکرد اصلی چگونه باشد؟") is None
    # «in which year …», «how much money …»: a «کدام» or «چه» before a unit of time or an amount
    assert answer_type.expected("این قرارداد در کدام سال امضا شد؟") == answer_type.TIME
    assert answer_type.expected("او در چه سال‌هایی حکومت کرد؟") == answer_type.TIME
    assert answer_type.expected("خسارت چه مبلغی بود؟") == answer_type.NUMBER
    assert answer_type.expected("کدام استان‌ها پایلوت هستند؟") is None
    assert answer_type.can_answer("بیش از ۱۱ طرح", answer_type.NUMBER)
    assert not answer_type.can_answer("طرحهای پیشگیرا نه بهزیستی", answer_type.NUMBER)
    assert answer_type.can_answer("تا یک ماه آینده ارائه می‌شود", answer_type.TIME)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        # who: «کی» opening a question about an actor, after a preposition, of a post or a relative
        ("کی از بهزیستی استان بخاطر خدمات فوریت اجتماعی تشکر کرد؟", answer_type.PERSON),
        ("کی اصطلاح منبع آزاد را پیشنهاد داد؟", answer_type.PERSON),
        ("تدوین اطلس اجتماعی خوزستان به دستور کی بود؟", answer_type.PERSON),
        ("هیتلر با کی ازدواج کرد؟", answer_type.PERSON),
        ("مدیرکل بهزیستی استان در جلسه کارگروه کی بود؟", answer_type.PERSON),
        ("پدر ظریف کی بود؟", answer_type.PERSON),
        ("بهترین بازیکن بازی تراکتور و پرسپولیس کی بود؟", answer_type.PERSON),
        ("بزرگ‌ترین شاعر ایران کی بود؟", answer_type.PERSON),  # a superlative written with a ZWNJ
        # when: after its subject, before a passive verb, «از کی» (since when), of an event
        ("اطلس اجتماعی خوزستان کی ارائه می‌شود؟", answer_type.TIME),
        ("کی ساخته شد؟", answer_type.TIME),
        ("ظل السلطان از کی حاکم اصفهان شد؟", answer_type.TIME),
        ("کودتای آبجوفروشی کی بود؟", answer_type.TIME),
        ("سفر رئیس جمهور کی بود؟", answer_type.TIME),
        ("زمین لرزه کی بود؟", answer_type.TIME),
        ("شبکه نسیم کی آغاز فعالیت کرد؟", answer_type.TIME),
    ],
)
def test_ki_asks_who_where_people_mean_who_and_when_elsewhere(question, kind):
    """«کی» is both «who» and «when» as people type: read as «when» everywhere, a «who» question
    had the sentence with a date preferred over the one naming the person."""
    assert answer_type.expected(normalize(question)) == kind


def test_a_question_for_a_post_wants_a_role_and_its_word_for_the_kind_is_not_what_it_is_about():
    """«صفری چه سمتی دارد؟» is answered by «… محمدرضا صفری رئیس سازمان …», which says «رئیس»,
    not «سمت»: the question asks for a role, and «سمتی» names the kind of answer, not its topic."""
    role = answer_type.ROLE
    assert answer_type.expected("صفری چه سمتی دارد؟") == role
    assert answer_type.expected("عسگری چه‌کاره است؟") == role
    assert answer_type.expected("شغل پدر آدولف هیتلر چه بود؟") == role
    assert answer_type.naming("صفری چه سمتی دارد؟") == ("سمتی",)
    assert answer_type.naming("شغل پدر آدولف هیتلر چه بود؟") == ("شغل",)
    assert answer_type.expected("چرا قبله به سمت کعبه است؟") is None, "«به سمت»: a direction"
    assert answer_type.naming("چرا قبله به سمت کعبه است؟") == ()
    assert answer_type.naming("در چه سالی تاسیس شد؟") == ("سالی",)
    assert answer_type.naming("ژرژ لیکنز کیست؟") == ()
    assert answer_type.can_answer("سرمربی: ژرژ لیکنز", role)
    assert answer_type.can_answer("با حضور محمدرضا صفری رئیس سازمان نظام دامپزشکی کشور", role)
    assert answer_type.can_answer("رئیس‌جمهور گفت", role) and not answer_type.can_answer("باران بارید", role)


def test_a_question_for_an_age_or_a_percentage_wants_a_sentence_that_says_one_not_any_number():
    """«ژاوی چند سالشه؟» is not answered by «دقیقه 78» or a score: only an age answers it (a
    number of years, «سالگی», «در سن …», a time of life, a birth). A span of years is no age
    question. «چند درصد …؟» is answered by a share, not by any number."""
    from corpus.normalize import normalize

    def asks(question: str, what: str = answer_type.AGE) -> bool:
        return answer_type.exact(normalize(question)) == what

    def says(sentence: str, what: str = answer_type.AGE) -> bool:
        return answer_type.says(normalize(sentence), what)

    for question in ("ژاوی چند سالشه؟", "ژاوی چند سال داره؟", "هیتلر زمان فوت مادرش چند ساله بود؟",
                     "جان لنون در ۱۹۵۷ چند سال داشت؟", "مورگان در چه سنی والیبال را ابداع کرد؟",
                     "ماندلا در چند سالگی به مدرسه رفت؟", "سن او چقدر است؟", "سن ژاوی چقدره؟",
                     "جوی چند سالش؟"):  # fmt: skip
        assert asks(question), question
    for question in ("جنگ تحمیلی چند سال طول کشید؟", "حسن روحانی کیست؟", "خلیج سن دیگو چند کیلومتر است؟", "چند طرح امضا شد؟",
                     "سن در ازدواج چقدر مهم است؟"):  # fmt: skip
        assert not asks(question), question
    for sentence in ("هیتلر ۱۸ ساله بود", "در هفت‌سالگی به مدرسه رفت", "در سن ۸۲ درگذشت", "متولد ۱۳۶۰ است",
                     "بیست و یک سالگی", "او ۳۵سال دارد"):  # fmt: skip
        assert says(sentence), sentence
    for sentence in ("دقیقه 78 گل زد", "سالانه ۱۰ نفر", "بازی خداحافظی ژاوی هرناندز بود", "صادق زاده مدیرکل بهزیستی گفت",
                     "در یک سال گذشته اتفاقات مهمی روی داد", "۲۰ سال پیش ساخته شد", "تا پنج سال آینده"):  # fmt: skip
        assert not says(sentence), sentence  # years placed in time say when, not how old
    assert says("او پنج سال دارد") and says("۲۰ سال پیش از مرگش، در ۴۰ سالگی")
    assert says("علائم آلزایمر در دوران پیری آغاز می‌شود"), "a time of life says when"
    assert asks("چند درصد از مردم رای دادند؟", answer_type.PERCENTAGE) and asks("چه درصدی رای داد؟", answer_type.PERCENTAGE)
    assert says("۵۲ درصد رای دادند", answer_type.PERCENTAGE) and says("۲۰٪ رشد", answer_type.PERCENTAGE)
    assert says("نیمی از مردم رای دادند", answer_type.PERCENTAGE)
    assert not says("۱۲ میلیون نفر رای دادند", answer_type.PERCENTAGE)


def test_a_question_for_a_year_a_century_or_a_date_wants_a_sentence_that_says_one_not_a_minute():
    """«در چه سالی …؟» is not answered by a match report's «دقیقه 78» or «۲۱ نفر»: only a year
    (three or four figures, two after «سال», a span, an era, «امسال», an age «در ۴۰ سالگی») says
    one. A date is said by a year, a day and month, a weekday or a day named by where it stands;
    «چه ماهی» (as often «what fish») and «چه فصلی» (a season or a chapter) ask no date."""
    from corpus.normalize import normalize

    def asks(question: str) -> str | None:
        return answer_type.exact(normalize(question))

    def says(sentence: str, what: str) -> bool:
        return answer_type.says(normalize(sentence), what)

    year, century, date = answer_type.YEAR, answer_type.CENTURY, answer_type.DATE
    for question, what in (("چه سالی در بم زلزله امد؟", year), ("از چه سال حجاب اجباری شد؟", year),
                           ("کدام سال ایران به جام جهانی رفت؟", year), ("کالیفرنیا در چه قرنی کشف شد؟", century),
                           ("عملیات بیت المقدس در چه تاریخی آغاز شد؟", date), ("جلسه چه روزی بود؟", date),
                           ("در چه سالی ... چند سال داشت؟", answer_type.AGE)):  # fmt: skip
        assert asks(question) == what, question
    for question in ("خاویار از چه ماهی بدست میاد؟", "کدام ماه مشتری میدان مغناطیسی دارد؟",
                     "مسی در چه فصلی هت‌تریک کرد؟", "جنگ چند سال طول کشید؟"):  # fmt: skip
        assert asks(question) in (None, answer_type.AGE) and asks(question) != date, question
    for sentence in ("زلزله بم در ۱۳۸۲ رخ داد", "در سال ۹۸ آغاز شد", "سال 2019 بود", "فصل ۸۷–۱۳۸۶",
                     "در سال پنجم هجری", "امسال برگزار شد", "در حدود ۴۰ سالگی برگزیده شد", "۶۵۱ میلادی"):  # fmt: skip
        assert says(sentence, year), sentence
    for sentence in ("دقیقه 78: تعویض", "۲۱ نفر زخمی شدند", "پدرو کوریا (78 - علی اسد)", "سرمربی: ژرژ لیکنز"):
        assert not says(sentence, year), sentence
    assert says("طی قرون ۱۶ و ۱۷ میلادی", century) and not says("در ۱۸۵۰ کشف شد", century)
    for sentence in ("۱۰ اردیبهشت ۱۳۶۱", "در اواخر مهرماه", "ساعت 21 امشب (دوشنبه)", "۲۶ مۀ ۲۰۲۰", "روز سوم",
                     "شب هفدهم ماه رمضان", "۱۳ جمادی الاولی", "۱۴۰۲/۰۵/۱۲"):  # fmt: skip
        assert says(sentence, date), sentence
    for sentence in ("دقیقه 57: کارت زرد", "این دیدار برگزار شد", "ترکیب پرسپولیس: علیرضا بیرانوند، محسن ربیع‌خواه",
                     "آقای ربیعی گفت", "حمید جمادی‌پور"):  # fmt: skip
        assert not says(sentence, date), sentence  # a name that opens like a lunar month names no date
    for sentence in ("۱۲ ربیع‌الاول", "۱۲ ربیع الثانی ۱۴۴۰", "جمادی‌الثانی"):
        assert says(sentence, date), sentence
    # what may say one (no note) is wider than what states one (put first)
    for sentence, what in (("در یک سال گذشته اتفاقات مهمی روی داد", year), ("امروز برگزار شد", date),
                           ("سن ازدواج بالا رفته است", answer_type.AGE)):  # fmt: skip
        assert says(sentence, what) and not answer_type.states(normalize(sentence), what), sentence
    for sentence, what in (("ساعت ۱۰ صبح پنجشنبه ۲۵ آبان", date), ("روز سوم تولد", date), ("از سال ۶ و ۷ هجری", year),
                           ("در سال پنجم هجری", year), ("او ۳۹ ساله است", answer_type.AGE),
                           ("۵۲ درصد رای دادند", answer_type.PERCENTAGE), ("در قرن نوزدهم", century)):  # fmt: skip
        assert answer_type.states(normalize(sentence), what), sentence


def test_a_question_that_is_a_name_is_answered_where_the_name_is_written_whole_however_far_in_meaning():
    from retrieval.answer.abstain import names_whole

    assert names_whole("ژرژ لیکنز کیست؟", ["قبل از بازی", "سرمربی: ژرژ لیکنز"])
    assert not names_whole("ژرژ لیکنز کیست؟", ["لیکنز و ژرژ"]), "in the question's order, side by side"
    assert not names_whole("لیکنز کیست؟", ["سرمربی: ژرژ لیکنز"]), "one word alike may be chance"
    assert not names_whole("ژرژ لیکنز سرمربی کدام تیم است؟", ["سرمربی: ژرژ لیکنز"]), "every word asked about"
    far = Signals(coverage=1.0, dense=0.78, matched_terms=2)
    assert decide(far, 0.8, 0.80, 0.86)
    assert decide(dataclasses.replace(far, named=True), 0.8, 0.80, 0.86) == ""


def test_coverage_is_the_share_of_idf_mass_found():
    idf = {"a": 3.0, "b": 1.0}
    assert coverage(["a", "b"], ["a"], idf) == pytest.approx(0.75)
    assert coverage(["a", "b"], [], idf) == 0.0
    assert coverage([], ["a"], idf) == 0.0


def test_abstain_when_words_and_meaning_are_both_far_and_answer_otherwise():
    far = Signals(coverage=0.1, dense=0.78, matched_terms=1)
    assert decide(far, 0.5, 0.80, 0.86)
    close_meaning = Signals(coverage=0.1, dense=0.9, matched_terms=1)
    assert decide(close_meaning, 0.5, 0.80, 0.86) == ""
    good_words = Signals(coverage=0.8, dense=0.83, matched_terms=4)
    assert decide(good_words, 0.5, 0.80, 0.86) == ""
    nothing = Signals(coverage=0.0, dense=None, matched_terms=0)
    assert decide(nothing, 0.5, 0.80, 0.86)


def test_the_closer_the_meaning_the_less_of_the_question_the_passage_must_hold():
    """Coverage and meaning weighed together: at min_dense all of min_coverage is needed, half way
    to confident_dense half of it, at confident_dense none."""
    at = lambda cov, dense: decide(Signals(coverage=cov, dense=dense, matched_terms=2), 0.8, 0.80, 0.86)  # noqa: E731
    assert at(0.7, 0.80) and at(0.78, 0.801), "just past min_dense, nearly all of min_coverage is needed"
    assert at(0.3, 0.83) and at(0.41, 0.83) == "", "half way, half of it"
    assert at(0.05, 0.859) == "" and at(0.0, 0.86) == ""
    assert "0.40 at this closeness" in at(0.3, 0.83)


def test_a_typed_question_with_its_names_and_answer_in_the_passage_is_answered():
    """«چند طرح امضا شد؟»: a count question whose rare words and a number are in the best passage."""
    low = Signals(coverage=0.14, dense=0.81, matched_terms=2)
    assert decide(low, 0.8, 0.80, 0.86)
    assert decide(dataclasses.replace(low, typed_answer=True), 0.8, 0.80, 0.86) == ""
    far = Signals(coverage=0.14, dense=0.70, matched_terms=2, typed_answer=True)
    assert decide(far, 0.8, 0.80, 0.86), "too far in meaning is refused whatever it holds"


def test_rarest_found_asks_for_the_two_rarest_words():
    from retrieval.answer.abstain import rarest_found

    idf = {"مولاوردی": 9.0, "شهیندخت": 8.0, "سمت": 2.0}
    assert rarest_found(idf, ["مولاوردی", "شهیندخت"], idf)
    assert not rarest_found(idf, ["مولاوردی", "سمت"], idf)
    assert not rarest_found([], ["x"], idf)


def test_a_lexical_search_keeps_the_rarest_terms_within_its_budget():
    from retrieval.search.budget import affordable

    df = {"خوزستان": 40, "پایلوت": 3, "استان": 9_000, "طرح": 30_000}
    terms = ["استان", "پایلوت", "طرح", "خوزستان"]
    assert affordable(terms, df, 50_000) == terms, "a corpus that fits keeps every term"
    assert affordable(terms, df, 10_000) == ["استان", "پایلوت", "خوزستان"], "the commonest goes first, order kept"
    assert affordable(terms, df, 100) == ["پایلوت", "خوزستان"]
    assert affordable(["طرح", "استان"], df, 10) == ["استان"], "the rarest is always searched"
    assert affordable(["نو", "طرح"], df, 10) == ["نو"], "an unseen term costs nothing"
    assert affordable([], df, 10) == []


@given(
    st.lists(
        st.one_of(st.floats(0.0, 1.0, width=32), st.sampled_from([0.5, 0.5 - 6e-8, 0.5 - 1e-7, 0.5 - 1.2e-7, 0.5 - 2e-7])),
        max_size=60,
    )
)
def test_copies_are_grouped_the_same_from_arrays_as_from_hits(values):
    """A deep dense search groups copies on its arrays (only the kept become hits): the groups
    are those of vector_groups, including chains of near ties, where a hit is measured against
    its group's first score, not its neighbour's."""
    scores = np.sort(np.asarray(values, dtype=np.float32))[::-1]
    hits = [Hit(i, s) for i, s in enumerate(scores.tolist())]
    starts, at = [], 0
    for group in vector_groups(hits):
        starts.append(at)
        at += len(group)
    assert group_starts(scores) == starts


class _Listed(VectorSearch):
    """A dense searcher that returns a fixed list (best first), cut to what is asked."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits

    def search_dense(self, vector: np.ndarray, k: int) -> list[Hit]:
        return self.hits[:k]


def _distinct_by_hits(vectors: VectorSearch, depth: int) -> list[Hit]:
    """distinct_nearest read on Hit objects, group by group, as it was written before it used arrays."""
    k = depth
    while True:
        hits = vectors.search_dense(np.zeros(1), k)
        groups = vector_groups(hits)
        if len(groups) >= depth or len(hits) < k or k >= depth * gather.DEEPEST:
            break
        k = min(depth * gather.DEEPEST, max(2 * k, math.ceil(gather.DEEPEN_MARGIN * depth * len(hits) / len(groups))))
    room = gather.COPIES_ROOM * depth - len(groups[:depth])
    out = []
    for group in groups[:depth]:
        extra = group[1 : 1 + max(0, room)]
        room -= len(extra)
        out += [group[0], *extra]
    return out


@given(
    st.lists(st.tuples(st.sampled_from([0.9, 0.8, 0.8 - 5e-8, 0.7]), st.integers(1, 30)), max_size=40),
    st.integers(1, 6),
)
def test_the_nearest_distinct_vectors_keep_their_copies_within_room(runs, depth):
    """Wire copy (runs of one score) counts once, the search deepens past it, each vector keeps
    copies while there is room; and a searcher that finds nothing gives nothing, not an error."""
    hits, sid = [], 0
    for score, copies in sorted(runs, key=lambda r: -r[0]):
        for _ in range(copies):
            sid += 1
            hits.append(Hit(sid, float(np.float32(score))))
    vectors = _Listed(hits)
    assert gather.distinct_nearest(vectors, np.zeros(1), depth) == _distinct_by_hits(vectors, depth)


@given(st.lists(st.booleans(), max_size=8))
def test_the_first_quote_that_says_what_is_asked_leads_and_the_rest_keep_their_order(say):
    hits = [Hit(i, 1.0 - i / 10) for i in range(len(say))]
    out = saying_first(hits, lambda hit: say[hit.sentence_id])
    assert sorted(h.sentence_id for h in out) == list(range(len(say))), "nothing lost or repeated"
    first = next((i for i, s in enumerate(say) if s), None)
    if first is None or first == 0:
        assert out == hits
    else:
        assert out[0].sentence_id == first and out[1:] == [h for h in hits if h.sentence_id != first]
