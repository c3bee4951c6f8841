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


@pytest.mark.parametrize("typed, meant", [("امریکا", "آمریکا"), ("المان", "آلمان"), ("امضا", "امضاء")])
def test_madda_and_a_final_hamza_are_optional(typed, meant):
    assert repair(typed, "stem", vocabulary()) == (term(meant),)


def test_a_preposition_run_into_the_next_word_is_read_as_it():
    assert repair("درسیب", "stem", vocabulary()) == (term("سیب"),)  # «درسیب چه ویتامینی هست؟»
    assert repair("درطول", "stem", vocabulary()) == (), "«در طول» holds no word to search for"
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
