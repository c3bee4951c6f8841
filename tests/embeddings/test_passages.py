"""What the embedder is given for a stored sentence, and the name that keeps the forms apart."""

from __future__ import annotations

from embeddings import FormedEmbedder, passage_text


def test_a_sentence_is_embedded_after_its_normalized_headline_or_alone():
    said = "وی افزود: این طرح از سال آینده اجرا می‌شود."
    assert passage_text("title", "طرح جديد وزارت كار", said) == f"طرح جدید وزارت کار. {said}"  # Arabic letters folded
    assert passage_text("title", "  ", said) == said  # no headline: the sentence alone, not ". sentence"
    assert passage_text("sentence", "طرح جدید", said) == said


def test_the_form_is_part_of_the_embedders_name(nano):
    titled, alone = FormedEmbedder(nano.inner, "title"), FormedEmbedder(nano.inner, "sentence")
    assert titled.name == alone.name + "+title" and titled.uses_title and not alone.uses_title
    assert alone.name == nano.inner.name and titled.dimension == alone.dimension
