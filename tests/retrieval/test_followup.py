"""Follow-up questions as a pure function: the reply keeps its question words, the earlier question lends content."""

from __future__ import annotations

from retrieval.query.followup import combine


def test_missing_content_words_join_and_question_words_do_not():
    combined = combine("کی ارائه می‌شود؟", "تدوین اطلس اجتماعی استان خوزستان به کجا رسیده است؟")
    assert combined.startswith("کی ارائه می‌شود؟")
    for word in ("اطلس", "اجتماعی", "خوزستان", "تدوین"):
        assert word in combined
    for word in ("کجا", "است", "به"):
        assert f" {word} " not in f" {combined} "


def test_words_the_reply_already_has_are_not_repeated():
    combined = combine("طرح بشیر در تهران چطور؟", "طرح بشیر در اصفهان چه تأثیری داشته است؟")
    assert combined.count("بشیر") == 1 and "اصفهان" in combined


def test_a_complete_reply_is_left_as_it_is_and_the_limit_holds():
    assert combine("طرح بشیر چیست؟", "طرح بشیر") == "طرح بشیر چیست؟"
    long_earlier = " ".join(f"واژه{i}" for i in range(500))
    assert len(combine("کی؟", long_earlier, max_chars=100)) <= 100
