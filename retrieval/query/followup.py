"""Follow-up questions: «کی؟» in reply to «طرح بشیر کجا اجرا شد؟» asks about طرح بشیر.

A pure function of the two questions. The reply keeps its own question words (so «کی؟»
still wants a time); the earlier question lends only the content words whose terms the
reply lacks. Stop words and question words never cross over.
"""

from __future__ import annotations

from corpus.normalize import analyze, fold, normalize, stopwords, words


def combine(reply: str, earlier: str, analyzer: str = "stem", max_chars: int = 1000) -> str:
    """The reply followed by the earlier question's missing content words, within ``max_chars``."""
    reply = reply.strip()
    have = set(analyze(normalize(reply), analyzer))  # type: ignore[arg-type]
    stop = stopwords()
    extra: list[str] = []
    for word in words(normalize(earlier)):
        if fold(word) in stop:
            continue
        terms = set(analyze(word, analyzer))  # type: ignore[arg-type]
        if not terms or terms <= have:
            continue
        if len(reply) + sum(len(w) + 1 for w in extra) + len(word) + 1 > max_chars:
            break
        have |= terms
        extra.append(word)
    return f"{reply} {' '.join(extra)}".strip() if extra else reply
