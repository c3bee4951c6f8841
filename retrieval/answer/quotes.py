"""From a fused sentence ranking to the quotes a user sees: pure functions.

A second quote from an article already quoted is worth less than a first quote from
another source, so repeats are discounted once rather than banned (``diversity``), and capped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

from corpus.records import StoredSentence
from retrieval.records import Hit

# «به گزارش خبرگزاری ایسنا،» / «به گزارش ایرنا،»: the one clause wire copy changes between outlets
_ATTRIBUTION = re.compile(r"^\s*به گزارش\s+[^،,:.]{1,60}[،,]\s*")


def wire_key(norm: str) -> str:
    """A normalized sentence without its leading attribution: equal for the same wire copy run by
    several outlets, so it is quoted once."""
    return _ATTRIBUTION.sub("", norm, count=1)


def select(
    ranked: Sequence[Hit],
    sentences: Mapping[int, StoredSentence],
    k: int,
    max_per_article: int,
    diversity: float = 0.85,
) -> list[Hit]:
    """Greedy pick of ``k`` hits; a hit from an article already quoted has its score multiplied by
    ``diversity``, and a sentence whose text was already picked (the same wire copy run by another
    outlet) is never shown twice."""
    # each hit's article and wire text once: a wire story's copies (hundreds at times) are passed
    # over in the scan, never popped one at a time
    pool = [
        (h, sentences[h.sentence_id].article_id, wire_key(sentences[h.sentence_id].norm))
        for h in ranked
        if h.sentence_id in sentences
    ]
    picked: list[Hit] = []
    texts: set[str] = set()
    per_article: dict[str, int] = {}
    while len(picked) < k:
        best_i, best_score = -1, float("-inf")
        for i, (hit, art, key) in enumerate(pool):
            seen = per_article.get(art, 0)
            if seen >= max_per_article or key in texts:
                continue
            score = hit.score * diversity if seen and hit.score > 0 else hit.score
            if score > best_score:
                best_i, best_score = i, score
        if best_i < 0:
            break
        hit, art, key = pool.pop(best_i)
        texts.add(key)
        per_article[art] = per_article.get(art, 0) + 1
        picked.append(hit)
    return picked


CONTINUED_MAX = 4
_CONTINUES = re.compile(r"^[\s\u200f\u200e]*که\s")


def context_span(article_sentences: Sequence[StoredSentence], position: int, width: int, max_chars: int) -> tuple[int, int]:
    """Span of the sentence at ``position`` plus up to ``width`` neighbours each side.

    News paragraphs are often one sentence, and the name a "who" question asks for sits in
    the sentence next to the one that matches; so context crosses paragraph breaks, but only
    takes neighbours short enough (``max_chars``) to keep the passage readable.

    A sentence that opens with «که» is the rest of the one before it, cut where the source broke
    a line inside it («… اقدام به تدوین بیش از 11 طرح نموده است» / «که چهار طرح اصلی … به امضاء
    رسیده»): that one is shown however long (up to :data:`CONTINUED_MAX` × ``max_chars``), or
    the clause had no subject, and read under the quote shown above it, another speaker's.
    """
    by_pos = {s.position: s for s in article_sentences}
    start, end = by_pos[position].start, by_pos[position].end
    continues = _CONTINUES.match(by_pos[position].text) is not None
    for step in range(1, width + 1):
        before = by_pos.get(position - step)
        longest = max_chars * CONTINUED_MAX if continues and step == 1 else max_chars
        if before is None or before.end - before.start > longest:
            break
        start = before.start
    for step in range(1, width + 1):
        after = by_pos.get(position + step)
        if after is None or after.end - after.start > max_chars:
            break
        end = after.end
    return start, end


def saying_first(picked: Sequence[Hit], states: Callable[[Hit], bool]) -> list[Hit]:
    """The picked quotes with the first for which ``states`` holds moved to the front; the others
    keep their order (all of them, when the first holds or none does). For a question asked
    exactly (a year for «در چه سالی …؟»), the first that states it: the ranker weighs a sentence's
    every feature and a figure of any kind counts for a time there, so a sentence naming the
    event may lead one that dates it, and a reader who asked for the year reads the first quote
    as the answer."""
    first = next((i for i, hit in enumerate(picked) if states(hit)), 0)
    return [picked[first], *picked[:first], *picked[first + 1 :]] if picked else []
