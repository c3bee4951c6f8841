"""Questions as typed: language, written form, and terms repaired against the corpus vocabulary."""

from __future__ import annotations

import pytest

from corpus.normalize import analyze, normalize
from retrieval.query.understand import OTHER, PERSIAN, language, repaired, understand

CORPUS = [
    "استان‌های پایلوت در طرح کودکان بازمانده از تحصیل",
    "کاهش ۵۶ درصدی طلاق‌ها",
    "بهزیستی استان کرمان",
    "کتابخانه مرکزی یزد افتتاح می‌شود",
    "طرح بشیر",
    "امضای تفاهم‌نامه",
    "سفر به آمریکا و آلمان",
    "پیام‌های توییتر",
    "چهار طرح به امضاء رسید",
    "در طول سال، سیب و گلابی گران شد",
]


def repair(word: str, analyzer: str, vocabulary) -> tuple[str, ...] | None:
    """The terms an unknown ``word`` is repaired to (what the searchers look for), or None."""
    found = repaired(word, analyzer, vocabulary)
    return found[1] if found is not None else None


def vocabulary():
    known: dict[str, int] = {}
    for text in CORPUS:
        for term in analyze(normalize(text), "stem", keep_stopwords=True):
            known[term] = known.get(term, 0) + 1
    return lambda terms: {t: known[t] for t in terms if t in known}


def term(word: str) -> str:
    return analyze(normalize(word), "stem", keep_stopwords=True)[0]


@pytest.mark.parametrize(
    "typed, meant",
    [
        ("استانا", "استان‌ها"),  # plural ـا, written ـها
        ("طلاقو", "طلاق"),  # object ـو
        ("پایلوتن", "پایلوت"),  # copula ـن
        ("بهزیسی", "بهزیستی"),  # a dropped letter
        ("بحزیستی", "بهزیستی"),  # a wrong letter
        ("کتابحانه", "کتابخانه"),
    ],
)
def test_unknown_words_are_repaired_to_known_ones(typed, meant):
    assert repair(typed, "stem", vocabulary()) == (term(meant),)


def test_a_missing_space_is_split_into_known_words():
    assert repair("طرحبشیر", "stem", vocabulary()) == (term("طرح"), term("بشیر"))


@pytest.mark.parametrize("typed, meant", [("امریکا", "آمریکا"), ("المان", "آلمان"), ("امضا", "امضاء"), ("توئیتر", "توییتر")])
def test_madda_and_a_final_hamza_are_optional(typed, meant):
    assert repair(typed, "stem", vocabulary()) == (term(meant),)


def test_a_preposition_run_into_the_next_word_is_read_as_it():
    assert repair("درسیب", "stem", vocabulary()) == (term("سیب"),)  # «درسیب چه ویتامینی هست؟»
    assert repair("درطول", "stem", vocabulary()) == (), "«در طول» holds no word to search for"
    assert repair("وآمریکا", "stem", vocabulary()) == (term("آمریکا"),), "«و» run into the next word"
    query = understand("درطول سال سیب گران شد؟", "stem", vocabulary())
    assert term("در") not in query.terms and term("سال") in query.terms


def test_a_split_never_leaves_a_one_letter_stem():
    """«امریکا» is not «امر» + «یکا», nor «توئیتر» «تو» + «ی»: both parts must be words of their own."""
    for typed in ("امریکاییها", "توئیتر", "مینوشد"):
        fixed = repair(typed, "stem", vocabulary())
        assert fixed is None or all(len(t) >= 2 for t in fixed), fixed


def test_a_real_word_the_corpus_lacks_is_not_corrected_into_another():
    assert repair("اعضا", "stem", vocabulary()) is None  # not «امضا»: a real word is no typo
    query = understand("قیمت دلار امروز چند است؟", "stem", vocabulary())
    assert query.repairs == {}, "off-topic words must stay unknown: they are how abstention sees off-topic"


def vocabulary_of(*texts: str):
    known: dict[str, int] = {}
    for text in texts:
        for term in analyze(normalize(text), "stem", keep_stopwords=True):
            known[term] = known.get(term, 0) + 1
    return lambda terms: {t: known[t] for t in terms if t in known}


def test_a_conjugated_verb_the_corpus_lacks_is_not_split_or_edited_into_other_words():
    """«نامیدند» is a verb, not «نامی» + «دند» (the stem of «دندان»), «بدهیم» no «بدن», «می‌زیست» no «میز»."""
    known = vocabulary_of("مردی نامی با دندان سالم", "بدن انسان", "میز چوبی", "میزی بزرگ")
    for verb in ("نامیدند", "بدهیم", "می\u200cزیست"):
        assert repair(verb, "stem", known) is None, verb
    query = understand("چرا پارسه را تخت جمشید نامیدند؟", "stem", known)
    assert query.repairs == {} and query.meant == query.formal, query


def test_a_typo_keeps_its_first_letter_unless_it_left_it_out():
    """«فاویسم» unknown is not «اویس» with its first letter dropped, nor «ژوزه» «روزه»; «صنیف» is
    «تصنیف», its first letter left out."""
    known = vocabulary_of("اویس و روزه", "تصنیف")
    assert repair("فاویسم", "stem", known) is None
    assert repair("ژوزه", "stem", known) is None
    assert repair("صنیف", "stem", known) == (term("تصنیف"),)


def test_a_listed_word_with_an_ending_is_not_split():
    """«برابرند» is «برابر» + «ند», not «برا» + «برند»; «کرمانی» is no «کر» + «مانی»."""
    known = vocabulary_of("برا و برند", "کرم و مانی")
    assert repair("برابرند", "stem", known) is None
    assert repair("کرمانی", "stem", known) is None


def test_a_number_is_never_edited_into_another():
    known = vocabulary_of("در سال ۲۰۰ میلادی", "در سال ۱۳۲ هجری")
    assert repair("۲۰۱۰", "stem", known) is None
    assert repair("۱۳۹۲", "stem", known) is None


def test_a_colloquial_ending_on_a_stopword_makes_a_stopword_not_a_typo():
    """«خوبه» is «خوب است»: left out like «خوب», never «خوشه» (one letter away, and known)."""
    known = vocabulary_of("خوشه‌های خرما", "میوه‌ها برای پسران")
    query = understand("چه میوه هایی برای پسر خوبه؟", "stem", known)
    assert term("خوشه") not in query.terms and query.terms == tuple(analyze(normalize("میوه پسر"), "stem"))
    assert "خوشه" not in query.meant and "خوب" in query.meant


def test_a_word_written_with_a_zwnj_is_split_where_the_writer_split_it():
    """«کم‌جمعیت‌ترین» the corpus lacks is searched as «کم جمعیت ترین»: the ZWNJs mark its words."""
    query = understand("کم‌جمعیت‌ترین استان کدام است؟", "stem", vocabulary_of("جمعیت استان کم است", "مجمع"))
    assert term("جمعیت") in query.terms and query.meant.startswith("کم جمعیت ترین استان")


def test_a_colloquial_word_stays_as_typed_where_the_corpus_writes_it_so():
    """«زدن» is said for «زدند» and written as the infinitive: «طناب زدن» stays when the corpus
    has «زدن» and not «زدند»; where it has only «زدند», the question is read as it."""
    known = vocabulary_of("طناب زدن ورزش است", "دندان", "دندان‌ها", "دندان سالم")  # «دند»: one edit from «زدند»
    infinitive = understand("طناب زدن برای چه کسانی ضرر دارد؟", "stem", known)
    assert term("زدن") in infinitive.terms and infinitive.meant.startswith("طناب زدن ")
    past = understand("بچه‌ها توپ زدن؟", "stem", vocabulary_of("بچه‌ها توپ زدند"))
    assert term("زدند") in past.terms


@pytest.mark.parametrize("spacing", ["می شود", "میشود", "می\u200cشود"])
def test_zwnj_and_spacing_variants_give_the_same_terms(spacing):
    base = understand("کتابخانه مرکزی یزد کی افتتاح می\u200cشود؟", "stem", vocabulary())
    assert understand(f"کتابخانه مرکزی یزد کی افتتاح {spacing}؟", "stem", vocabulary()).terms == base.terms


def test_colloquial_and_formal_questions_search_the_same_terms():
    spoken = understand("کدوم استانا تو طرح کودکای بازمانده از تحصیل پایلوتن؟", "stem", vocabulary())
    written = understand("کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟", "stem", vocabulary())
    assert set(written.terms) <= set(spoken.terms)


def test_the_embedder_reads_the_question_as_repaired_and_plain_dense_reads_it_as_typed(demo_engine):
    """The searchers' terms were repaired («امریکا» → «آمریکا», «طرحبشیر» → «طرح بشیر») but the
    embedder read the question as typed: E5 splits «طرحبشیر» into pieces that are neither word.
    With the lexical side (hybrid) it now reads what the repairs found; plain dense retrieval, which
    has no vocabulary of its own, still reads the question as typed."""
    from retrieval import RetrievalSettings
    from retrieval.search.gather import gather

    query = understand("کارت طرحبشیر در امریکا چیست؟", "stem", vocabulary())
    assert query.meant == "کارت طرح بشیر در آمریکا چیست؟" and query.formal == "کارت طرحبشیر در امریکا چیست؟"
    assert understand("درطول سال سیب گران شد؟", "stem", vocabulary()).meant == "در طول سال سیب گران شد؟"
    assert understand("طرح بشیر چیست؟", "stem", vocabulary()).meant == "طرح بشیر چیست؟", "nothing to repair"
    read: list[str] = []
    embedder = demo_engine.embedder

    class Reading:  # the real embedder, noting what it is given
        def __getattr__(self, name):
            return getattr(embedder, name)

        def encode_queries(self, texts):
            read.extend(texts)
            return embedder.encode_queries(texts)

    for modes in (("lexical", "dense"), ("dense",)):
        gather(demo_engine.storage, Reading(), RetrievalSettings(), "طرحبشیر چه تاثیری بر امار طلاق داشت؟", modes=modes)
    assert read == ["طرح بشیر چه تاثیری بر آمار طلاق داشت؟", "طرحبشیر چه تاثیری بر آمار طلاق داشت؟"], read


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Which provinces are pilots?", OTHER),
        ("Какие провинции?", OTHER),
        ("طرح بشیر چیست؟", PERSIAN),
        ("طرح Bashir کجا اجرا شد؟", PERSIAN),
        ("۱۲۳ ؟!", PERSIAN),
    ],
)
def test_language(text, expected):
    assert language(text) == expected
