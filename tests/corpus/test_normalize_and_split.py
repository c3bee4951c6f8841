"""One normalization for documents and questions; sentences that are whole and exact."""

from __future__ import annotations

from corpus.normalize import analyze, contains_answer, normalize
from corpus.split import spans


def test_arabic_letters_digits_diacritics_and_zwnj_are_normalized():
    assert normalize("كودكان ايران") == "کودکان ایران"
    assert normalize("میافتد") == "می\u200cافتد"
    assert normalize("12 شهرستان") == "۱۲ شهرستان"
    assert normalize("کُتُبِ") == "کتب"


def test_spelling_variants_give_the_same_terms():
    for a, b in [("استان‌ها", "استانها"), ("كودكان", "کودکان"), ("۱۱ طرح", "11 طرح"), ("\u200fسلام\u202a", "سلام")]:
        assert analyze(normalize(a)) == analyze(normalize(b))


def test_question_words_and_stopwords_are_not_terms():
    terms = analyze(normalize("چه کسی از دستگاه‌های اجرایی خواست؟"))
    assert "چه" not in terms and "کسی" not in terms and "از" not in terms
    assert terms


def test_answer_matching_ignores_spacing_digits_and_letter_variants():
    assert contains_answer("بیش از ۱۱ طرح برپایه پیشگیری", ["بیش از 11 طرح"])
    assert contains_answer("استان خوزستان، تهران، کرمان،", ["خوزستان ، تهران،کرمان"])
    assert not contains_answer("بیش از ۱۲ طرح", ["بیش از 11 طرح"])


def _split(text: str) -> list[str]:
    return [text[s:e] for s, e in spans(text, [0])]


def test_glued_sentences_are_split_and_initials_are_not():
    assert _split("جلسه برگزار شد.وی گفت که طرح اجرا می‌شود.") == ["جلسه برگزار شد.", "وی گفت که طرح اجرا می‌شود."]
    assert _split("دکتر ع. طالبی آمد. جلسه آغاز شد.") == ["دکتر ع. طالبی آمد.", "جلسه آغاز شد."]
    assert _split("نرخ تورم ۳.۵ درصد شد.") == ["نرخ تورم ۳.۵ درصد شد."]


def test_paragraphs_never_share_a_sentence_and_spans_are_exact():
    text = "خط اول بدون نقطه\n\nخط دوم. جمله سوم!"
    got = list(spans(text, [0, text.index("خط دوم")]))
    assert [text[s:e] for s, e in got] == ["خط اول بدون نقطه", "خط دوم.", "جمله سوم!"]


def test_run_on_sentences_are_cut_at_a_clause_boundary():
    text = "، ".join(["این بخشی از یک جمله بسیار طولانی است"] * 40) + "."
    pieces = _split(text)
    assert len(pieces) > 1
    assert all(len(p) <= 600 for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
