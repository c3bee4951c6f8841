"""What the embedder is given for a stored sentence, and the name that keeps the forms apart."""

from __future__ import annotations

from embeddings import FormedEmbedder, passage_text


def test_a_sentence_is_embedded_after_its_normalized_headline_or_alone():
    said = "وی افزود: این طرح از سال آینده اجرا می‌شود."
    assert passage_text("title", "طرح جديد وزارت كار", said) == f"طرح جدید وزارت کار. {said}"  # Arabic letters folded
    assert passage_text("title", "  ", said) == said  # no headline: the sentence alone, not ". sentence"
    assert passage_text("sentence", "طرح جدید", said) == said


def test_a_page_title_of_any_length_heads_its_sentences_with_a_headlines_worth_of_words(nano):
    title = "خبر فوری از سازمان هواشناسی " * 2000  # 56,000 characters: what a hostile page may put in <title>
    bread, football = "قیمت نان در تهران دو برابر شد.", "تیم ملی فوتبال ایران به جام جهانی رسید."
    head = passage_text("title", title, bread).removesuffix(f". {bread}")
    assert len(head) <= 300 and title.startswith(head + " ")  # a headline's length, cut between two words
    titled = FormedEmbedder(nano.inner, "title")
    vectors = titled.encode_passages([titled.passage(title, bread), titled.passage(title, football)])
    assert float(vectors[0] @ vectors[1]) < 0.95, "each sentence keeps a vector of its own under the title"
    question = titled.encode_queries(["قیمت نان چقدر شد؟"])[0]
    assert float(vectors[0] @ question) > float(vectors[1] @ question)


def test_the_form_is_part_of_the_embedders_name(nano):
    titled, alone = FormedEmbedder(nano.inner, "title"), FormedEmbedder(nano.inner, "sentence")
    assert titled.name == alone.name + "+title" and titled.uses_title and not alone.uses_title
    assert alone.name == nano.inner.name and titled.dimension == alone.dimension


def test_auto_embeds_headlines_in_a_new_store_and_keeps_an_old_stores_form(nano, caplog):
    from embeddings.passages import adopted

    auto = FormedEmbedder(nano.inner, "auto")
    assert auto.uses_title and auto.name == nano.inner.name + "+title"  # a new data directory
    assert adopted(auto, None) is auto and adopted(auto, auto.name) is auto
    old = adopted(auto, nano.inner.name)  # vectors of sentences alone, made before the default changed
    assert not old.uses_title and old.name == nano.inner.name
    assert "pasokh index --rebuild" in caplog.text
    # a form set explicitly is never swapped: the store refuses the other form's vectors, naming both ways out
    explicit = FormedEmbedder(nano.inner, "title")
    assert adopted(explicit, nano.inner.name) is explicit
    assert adopted(auto, "another/model") is auto  # another model's vectors are not this model's to adopt


def test_a_sentence_under_a_subhead_is_embedded_with_it_between_headline_and_sentence():
    said = "دانیال اسماعیلی‌فر با شوت محکم دروازه پرسپولیس را باز کرد."
    assert passage_text("title", "تراکتور ۱ - پرسپولیس ۱", said, "بهترين بازيكن") == (
        f"تراکتور ۱ - پرسپولیس ۱. بهترین بازیکن. {said}"  # normalized as the headline is
    )
    assert passage_text("title", "", said, "بهترین بازیکن") == f"بهترین بازیکن. {said}"
    assert passage_text("sentence", "تراکتور", said, "بهترین بازیکن") == said  # the form that embeds the sentence alone
