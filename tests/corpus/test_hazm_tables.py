"""The normalizer made from cached tables writes exactly what hazm's own writes, and a missing,
damaged or unwritable cache costs time, never a different normalization."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from corpus import hazm_tables
from corpus.hazm_lean import hazm

ROOT = Path(__file__).resolve().parents[2]
TRICKY = [
    "مي‌خواهم  كتاب ها را بخوانم ۱۲۳ و 456",
    "ميروم به خانه‌ها و آنها را مي بينم!!! سلاااام",
    "پرداخت شده است و خواهد رفت؛ نمیدانم چرا می خواستند بروند",  # verb parts and می that hazm joins
    "بزرگ تر و بزرگ ترین کتاب ها، دانشگاه های کشور",  # suffixes joined when the word is known
    "اعلاممممم کرد : « زمین لرزه ای به بزرگی 6 دهم ریشتر ...»",
    "The cabinet met on Sunday; وزیر گفت: «ما آماده‌ایم».",
]


def _texts() -> list[str]:
    """Real text: the demo corpus, the saved agency pages' paragraphs, every question set of the
    tests, and the tricky cases."""
    import lxml.html

    texts = list(TRICKY)
    for page in sorted((ROOT / "tests" / "data" / "realnews").glob("*.html")):
        tree = lxml.html.fromstring(page.read_bytes())
        texts += [p.text_content() for p in tree.iter("p", "h1", "h2", "li") if p.text_content().strip()]
    for path in sorted((ROOT / "corpus" / "demo").rglob("*")):
        if path.is_file() and path.suffix in {".txt", ".md", ".json", ".jsonl"}:
            texts += [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
    for path in sorted((ROOT / "tests" / "data").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line).get("question", ""))
    return [t for t in texts if t]


@pytest.fixture(autouse=True)
def fresh_process():
    """Each test starts as a new process would: nothing read yet."""
    hazm_tables.tables.cache_clear()
    yield
    hazm_tables.tables.cache_clear()


@pytest.fixture(scope="module")
def reference():
    """hazm's own Normalizer, built the slow way, and what it makes of every text."""
    texts = _texts()
    assert len(texts) > 500, "too few texts to compare"
    own, tokenizer = hazm().Normalizer(), hazm().WordTokenizer()  # each built once: a tokenizer takes 0.1 s to build
    normalized = [own.normalize(t) for t in texts]
    return texts, normalized, [tokenizer.tokenize(n) for n in normalized]


def _same(normalizer, reference, tokenizer=None) -> None:
    texts, expected, tokens = reference
    got = [normalizer.normalize(t) for t in texts]
    differ = [(t, g, e) for t, g, e in zip(texts, got, expected, strict=True) if g != e]
    assert not differ, differ[:3]
    if tokenizer is not None:
        split = [tokenizer.tokenize(n) for n in expected]
        differ = [(g, e) for g, e in zip(split, tokens, strict=True) if g != e]
        assert not differ, differ[:3]


def test_the_cached_tables_normalize_exactly_as_hazm_and_the_second_process_reads_them(tmp_path, monkeypatch, reference):
    monkeypatch.setenv("PASOKH_CACHE_DIR", str(tmp_path))
    first = hazm_tables.normalizer(hazm())
    [cached] = list(tmp_path.glob("hazm-tables-*.txt"))
    _same(first, reference, hazm_tables.word_tokenizer(hazm()))
    hazm_tables.tables.cache_clear()  # the next process

    def no_build(_hazm):
        raise AssertionError("the tables were built again although the cache was good")

    monkeypatch.setattr(hazm_tables, "_build", no_build)
    second = hazm_tables.normalizer(hazm())
    _same(second, reference, hazm_tables.word_tokenizer(hazm()))
    assert list(tmp_path.glob("hazm-tables-*.txt")) == [cached]


@pytest.mark.parametrize("damage", ["truncated", "flipped", "empty"])
def test_a_damaged_cache_is_rebuilt_with_a_warning_and_the_normalization_is_unchanged(
    tmp_path, monkeypatch, caplog, reference, damage
):
    monkeypatch.setenv("PASOKH_CACHE_DIR", str(tmp_path))
    hazm_tables.normalizer(hazm())
    [cached] = list(tmp_path.glob("hazm-tables-*.txt"))
    good = cached.read_bytes()
    hazm_tables.tables.cache_clear()
    bad = {
        "truncated": good[: len(good) // 2],
        "flipped": good[:-10] + bytes([good[-10] ^ 0x01]) + good[-9:],
        "empty": b"",
    }[damage]
    cached.write_bytes(bad)
    with caplog.at_level(logging.WARNING, logger="corpus.hazm_tables"):
        again = hazm_tables.normalizer(hazm())
    _same(again, reference)
    assert "damaged" in caplog.text
    assert cached.read_bytes() == good, "the damaged file is written again, whole"


def test_a_cache_that_cannot_be_written_still_normalizes_exactly(tmp_path, monkeypatch, reference):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("PASOKH_CACHE_DIR", str(blocker / "pasokh"))
    _same(hazm_tables.normalizer(hazm()), reference)


def test_the_verb_forms_the_cache_leaves_out_change_no_normalization(tmp_path, monkeypatch):
    """The cache keeps only the verb forms hazm's normalizer can ask for. Sentences made of the
    forms it leaves out («خوانده شده است», forms without a ZWNJ), and of kept forms typed without
    their ZWNJ or with a space for it (which hazm joins again), come out as hazm's own writes them."""
    import random

    monkeypatch.setenv("PASOKH_CACHE_DIR", str(tmp_path))
    every = sorted(hazm().Lemmatizer(joined_verb_parts=False).verbs)
    kept = [v for v in every if hazm_tables.can_be_looked_up(v)]
    left_out = [v for v in every if v and not hazm_tables.can_be_looked_up(v)]
    assert len(left_out) > len(kept) > 1000
    pick = random.Random(7)
    forms = pick.sample(left_out, 300)
    forms += [v.replace("\u200c", " ") for v in pick.sample(kept, 300)]
    forms += [v.replace("\u200c", "") for v in pick.sample(kept, 300)]
    texts = [f"گفت که آنها {form} و سپس {other} بودند." for form, other in zip(forms, reversed(forms), strict=True)]
    own = hazm().Normalizer()
    cached = hazm_tables.normalizer(hazm())
    expected = [own.normalize(t) for t in texts]
    assert sum(e != t for e, t in zip(expected, texts, strict=True)) > 100, "hazm joins too few of these to tell"
    differ = [(t, g, e) for t, g, e in zip(texts, (cached.normalize(t) for t in texts), expected, strict=True) if g != e]
    assert not differ, differ[:3]
