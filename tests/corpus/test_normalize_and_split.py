"""One normalization for documents and questions; sentences that are whole and exact."""

from __future__ import annotations

import dataclasses
import functools
import re
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.normalize import TextMemo, analyze, contains_answer, normalize, remembering
from corpus.prepare import prepare, terms_of
from corpus.read import RawArticle, read_all
from corpus.split import spans

ROOT = Path(__file__).resolve().parents[2]


def test_arabic_letters_digits_diacritics_and_zwnj_are_normalized():
    assert normalize("كودكان ايران") == "کودکان ایران"
    assert normalize("میافتد") == "می\u200cافتد"
    assert normalize("12 شهرستان") == "۱۲ شهرستان"
    assert normalize("کُتُبِ") == "کتب"


def test_spelling_variants_give_the_same_terms():
    for a, b in [("استان‌ها", "استانها"), ("كودكان", "کودکان"), ("۱۱ طرح", "11 طرح"), ("\u200fسلام\u202a", "سلام")]:
        assert analyze(normalize(a)) == analyze(normalize(b))


def test_punctuation_at_a_words_edge_is_not_part_of_its_term():
    """Live reports write each minute as «دقیقه 79: …»; hazm kept the colon on the number, and no
    question's «۷۹» ever matched it. Inside a token (a clock, «۱۲:۳۰») it stays."""
    assert analyze(normalize("دقیقه 79: دانیال اسماعیلی‌فر گل زد"))[:2] == ["دقیقه", "۷۹"]
    assert analyze(normalize("جنگنده‌های اف-۱۴")) == analyze(normalize("جنگنده‌های اف ۱۴"))
    assert "۱۲:۳۰" in analyze(normalize("ساعت ۱۲:۳۰ آغاز شد"))


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
    # the stop typed before its space, as text typed with its direction confused writes it (PQuAD has one)
    assert _split("مردم آن را برابر با نازیسم می‌دانند .در ایالات متحده بحث داغ است.") == [
        "مردم آن را برابر با نازیسم می‌دانند .",
        "در ایالات متحده بحث داغ است.",
    ]
    assert _split("آیا او رفت ؟بله رفت.") == ["آیا او رفت ؟", "بله رفت."]
    assert _split("نظام ج .ا .ا اعلام کرد که نرخ ۳ .۵ درصد شد.") == ["نظام ج .ا .ا اعلام کرد که نرخ ۳ .۵ درصد شد."]


def test_latin_initials_and_eras_written_in_persian_do_not_end_a_sentence():
    # the Persian names of Latin letters, spaced, glued or in Arabic letters, and the hijri era
    assert _split("جان اف. کندی در سال ۱۹۶۳ کشته شد. او رئیس‌جمهور بود.") == [
        "جان اف. کندی در سال ۱۹۶۳ کشته شد.",
        "او رئیس‌جمهور بود.",
    ]
    assert _split("شبکه ان.بی.سی گزارش داد. جلسه لغو شد.") == ["شبکه ان.بی.سی گزارش داد.", "جلسه لغو شد."]
    assert _split("شبکه سي. ان. ان گزارش داد.") == ["شبکه سي. ان. ان گزارش داد."]
    assert _split("قوانین ان.ا\u0653ر.اف. یو تغییر کرد.") == ["قوانین ان.ا\u0653ر.اف. یو تغییر کرد."]  # «آ» decomposed
    assert _split("جی. دی. ونس گفت که می‌آید.") == ["جی. دی. ونس گفت که می‌آید."]
    assert _split("قلعه در سده ۸ (هـ. ش) ساخته شد. سپس ویران شد.") == ["قلعه در سده ۸ (هـ. ش) ساخته شد.", "سپس ویران شد."]


def test_letter_names_that_are_persian_words_still_end_sentences():
    # «دی» the month, «وی» and «او» the pronouns, «سی» thirty, «زد» struck: initials only in a run
    text = "جلسه به ۱۰ دی. موکول شد. جایزه را به وی. دادند. سهم او سی. بود. او را زد. ع. طالبی گفت."
    assert _split(text) == [
        *("جلسه به ۱۰ دی.", "موکول شد.", "جایزه را به وی.", "دادند."),
        *("سهم او سی.", "بود.", "او را زد.", "ع. طالبی گفت."),
    ]


def test_a_piece_without_a_word_joins_the_sentence_before_it():
    assert _split("گفت که می‌آید. . سپس رفت.") == ["گفت که می‌آید. .", "سپس رفت."]
    assert _split("داده‌ها (منبع:س. گ) تازه است. نتیجه ۲:۱. بود.") == ["داده‌ها (منبع:س. گ) تازه است.", "نتیجه ۲:۱.", "بود."]


def test_the_words_after_etc_finish_its_sentence():
    # «و ...» is «etc.»: a short piece after it ends the same sentence; a long one is a new sentence
    assert _split("سیب، گلابی و ... خریدند. بعد رفتند.") == ["سیب، گلابی و ... خریدند.", "بعد رفتند."]
    assert _split("سیب، گلابی و... را نام برد.") == ["سیب، گلابی و... را نام برد."]
    assert _split("سیب، گلابی و ... فردا همه به بازار میوه خواهند رفت.") == [
        "سیب، گلابی و ...",
        "فردا همه به بازار میوه خواهند رفت.",
    ]


def test_a_clause_that_goes_on_with_ke_after_etc_is_the_same_sentence():
    """Jam-e Jam's review lists editorials' titles, the last in quotes glued to «و...», and goes on
    «که برخی از آنها در زیر می‌آید»: one sentence, however long the clause (PQuAD has two such)."""
    text = "از جمله «نیاز زمانه ما»،«آفتی به‌نام سیاست‌زدگی»و... که برخی از آنها در زیر می‌آید. کیهان نوشت."
    assert _split(text) == [
        "از جمله «نیاز زمانه ما»،«آفتی به‌نام سیاست‌زدگی»و... که برخی از آنها در زیر می‌آید.",
        "کیهان نوشت.",
    ]
    lead = "زیرساخت پیام‌رسانی لحظه‌ای، زیرساخت Bot API و... را کمتر از ۲۰ مهندس در تلگرام ساخته‌اند."
    assert _split(lead) == [lead], "no sentence opens with «را»"


def test_paragraphs_never_share_a_sentence_and_spans_are_exact():
    text = "خط اول بدون نقطه\n\nخط دوم. جمله سوم!"
    got = list(spans(text, [0, text.index("خط دوم")]))
    assert [text[s:e] for s, e in got] == ["خط اول بدون نقطه", "خط دوم.", "جمله سوم!"]


def _split_paragraphs(text: str) -> list[str]:
    starts, at = [], 0
    for para in text.split("\n\n"):
        starts.append(at)
        at += len(para) + 2
    return [text[s:e] for s, e in spans(text, starts)]


def test_a_line_leading_in_with_a_colon_opens_the_next_paragraphs_first_sentence():
    """A paragraph ending with a few words and a colon («آکسیوس:», «او گفت:», «متن بیانیه به
    این شرح است:») leads into the next paragraph: joined to its first sentence, where alone it
    would be quoted as if it said something, and what follows would lose its speaker."""
    said = "ما این سخنان را بسیار جدی می‌گیریم."
    then = "آن‌ها را به اطلاع دوستان خود هم می‌رسانیم."
    text = f"نخست‌وزیر درباره همسایه شمالی:\n\n{said} {then}"
    assert _split_paragraphs(text) == [f"نخست‌وزیر درباره همسایه شمالی:\n\n{said}", then]
    opened = f"وزیر در این نشست از طرح تازه دفاع کرد. او گفت:\n\n{said}"
    assert _split_paragraphs(opened) == ["وزیر در این نشست از طرح تازه دفاع کرد.", f"او گفت:\n\n{said}"]
    assert _split_paragraphs(f"{said}\n\nمتن بیانیه به این شرح است:") == [said, "متن بیانیه به این شرح است:"], "over nothing"
    long_lead = "در ایرنا به زبان فارسی تیتری درباره صدای پدافند نوشتند اما در متن خبر آمده است که:"
    assert _split_paragraphs(f"{long_lead}\n\n{said}") == [long_lead, said], "a sentence of its own ends with a colon too"
    fact = "استادیوم: آزادی"
    assert _split_paragraphs(f"{fact}\n\n{said}") == [fact, said], "a label and its value say something"


def test_run_on_sentences_are_cut_at_a_clause_boundary():
    text = "، ".join(["این بخشی از یک جمله بسیار طولانی است"] * 40) + "."
    pieces = _split(text)
    assert len(pieces) > 1
    assert all(len(p) <= 600 for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def _demo_and_wire_copies() -> list[RawArticle]:
    """The demo corpus, and each demo article again as another outlet's wire copy."""
    demo = [r for r in read_all([ROOT / "corpus" / "demo"]) if isinstance(r, RawArticle)]
    copies = [dataclasses.replace(r, id=f"{r.id}-copy", title=f"{r.title} (بازنشر)") for r in demo]
    return demo + copies


def test_an_ingest_runs_memory_of_text_changes_no_sentence_or_term_of_any_article():
    def terms(p):  # type: ignore[no-untyped-def]
        return terms_of(p.article, [s.norm for s in p.sentences], "stem")

    alone = [(p, terms(p)) for p in map(prepare, _demo_and_wire_copies())]
    norms = [s.norm for p, _ in alone for s in p.sentences]
    other_forms = [(analyze(n, "lemma"), analyze(n, "stem", keep_stopwords=True), analyze(n, "plain")) for n in norms]
    for budget in (None, 500):  # all kept; and so little that entries age out and are asked for again
        with remembering(budget):
            assert [(p, terms(p)) for p in map(prepare, _demo_and_wire_copies())] == alone
            inside = [(analyze(n, "lemma"), analyze(n, "stem", keep_stopwords=True), analyze(n, "plain")) for n in norms]
        assert inside == other_forms


@settings(max_examples=60, deadline=None)
@given(
    texts=st.lists(st.text(min_size=0, max_size=300), max_size=80),
    budget=st.integers(min_value=1, max_value=2000),
    again=st.lists(st.integers(min_value=0, max_value=79), max_size=200),
)
def test_the_memory_of_text_stays_within_twice_its_budget_and_returns_what_was_put(texts, budget, again):
    memo = TextMemo(budget)
    for i, text in enumerate(texts):
        memo.put(text, i, len(text))
        assert memo.get(text) is not None
        for j in again[i :: len(texts)]:  # texts asked for again move to the newer generation
            if j < i:
                got = memo.get(texts[j])
                assert got is None or texts[got] == texts[j]  # type: ignore[index]
        held = sum(len(k) for k in memo.new) + sum(len(k) for k in memo.old)  # type: ignore[arg-type]
        assert held <= 2 * budget + 2 * 300


def test_texts_asked_for_again_and_again_still_leave_the_memory_within_its_budget():
    memo, seen = TextMemo(100), []
    for round_no in range(50):
        for n in range(10):
            text = f"{round_no:04d}-{n:05d}"  # ten characters
            memo.put(text, text, len(text))
            seen.append(text)
        for text in seen:  # a reader that keeps every text alive
            memo.get(text)
        assert len(memo.new) + len(memo.old) <= 2 * 100 // 10 + 1


@functools.lru_cache(maxsize=1)
def _hazms_normalizer():  # type: ignore[no-untyped-def]
    from corpus.hazm_lean import hazm

    return hazm().Normalizer()


_PIECES = st.sampled_from(
    ["و", "ی", "ر", "م", "سلام", "خیلی", "خوب", "ه", "آ", " ", "\n", ".", "!", "?", "؟", "a", "،", "»", "\u200c", "۱"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_PIECES, max_size=40), st.lists(st.integers(min_value=1, max_value=5), max_size=40))
def test_repeated_letters_and_sentence_breaks_are_found_as_hazm_finds_them(pieces, repeats):
    """hazm's repeated-letter and sentence-break patterns backtrack over every start in a run (a
    hostile page's run of letters or of «؟» stalled its reading for minutes); Pasokh finds the
    same things run by run, and must give exactly what hazm gives, or every index would change."""
    import re

    from corpus.hazm_lean import hazm
    from corpus.normalize import _normalizer
    from corpus.split import _glued_ends, _hazm_tokenizer

    text = "".join(piece * (repeats[i] if i < len(repeats) else 1) for i, piece in enumerate(pieces))
    assert _normalizer().decrease_repeated_chars(text) == _hazms_normalizer().decrease_repeated_chars(text)
    assert _hazm_tokenizer().tokenize(text) == hazm().SentenceTokenizer().tokenize(text)
    glued = re.compile(
        r"(?:(?<=[\u0600-\u06ff])[.!?؟]+|(?<=[\u0600-\u06ff]{2} )[.!?؟])(?=[\u0621-\u064a\u067e\u0686\u0698\u06a9\u06af\u06cc])"
    )
    assert list(_glued_ends(text)) == [m.end() for m in glued.finditer(text)]


@pytest.mark.parametrize("run", ["؟" * 120_000, "." * 120_000, "کلمه" * 40_000])
def test_a_story_holding_a_long_run_of_one_character_is_read_and_does_not_stall(run):
    """A page or file that writes 120,000 «؟» (or letters with no space) took minutes to split
    and normalize (old patterns: time grew with the square of the run); it is an article like any
    other now, read in well under the time given here."""
    results: list = []
    worker = threading.Thread(
        target=lambda: results.append(prepare(RawArticle(id="x", text=f"عنوان خبر\n\nخبر اول آمد. {run}پایان خبر.", origin="t"))),
        daemon=True,
    )
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "splitting the story stalls"
    assert results[0].sentences[0].text.strip() == "خبر اول آمد."


def test_a_hazm_whose_patterns_are_not_the_shape_expected_keeps_its_own_methods(monkeypatch):
    """The linear passes are built from hazm's own patterns; another hazm's (an upgrade) must leave
    hazm's methods in place, never break normalizing or change what it gives."""
    import importlib

    from corpus.hazm_lean import hazm

    normalize_module = importlib.import_module("corpus.normalize")
    split_module = importlib.import_module("corpus.split")

    original = hazm().Normalizer
    monkeypatch.setattr(hazm(), "Normalizer", lambda: _with_pattern(original(), "repeated_chars_pattern", r"(\w)\1{2,}"))
    normalize_module._normalizer.cache_clear()
    try:
        made = normalize_module._normalizer()
        assert not isinstance(made.decrease_repeated_chars, normalize_module._FewerRepeats)
        hazms = _with_pattern(original(), "repeated_chars_pattern", r"(\w)\1{2,}")
        assert made.normalize("سلامممم به همه") == hazms.normalize("سلامممم به همه")
    finally:
        normalize_module._normalizer.cache_clear()
    tokenizer = hazm().SentenceTokenizer
    monkeypatch.setattr(hazm(), "SentenceTokenizer", lambda: _with_pattern(tokenizer(), "pattern", re.compile(r"([.!?]+)\s+")))
    split_module._hazm_tokenizer.cache_clear()
    try:
        assert split_module._hazm_tokenizer().pattern.pattern == r"([.!?]+)\s+"
    finally:
        split_module._hazm_tokenizer.cache_clear()


def _with_pattern(made, name, pattern):  # type: ignore[no-untyped-def]
    setattr(made, name, pattern)
    return made


def test_page_breaks_and_line_separators_end_lines_and_are_never_quoted():
    """pdftotext puts a form feed between pages, Word a vertical tab for a manual line break, and
    JavaScript leaves U+2028 raw in JSON; split only at «\\n», the sentences either side were one
    quote with the invisible character inside."""
    pages = ["سد کرج آبگیری شد و آب آن به تهران رسید.", "این خبر ادامه دارد و مردم خوشحال هستند."]
    for separator in ("\f", "\v", "\u2028", "\u2029", "\x85"):
        prepared = prepare(RawArticle(id="a", text="سد کرج\n\n" + separator.join(pages), origin="x"))
        assert [s.text for s in prepared.sentences] == pages, repr(separator)
