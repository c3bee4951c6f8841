"""Answers as text for a terminal and as JSON; quotes are printed exactly as stored.

The terminal follows the bot's rules: one passage per stretch of an article (with
``--context``), each quote numbered where it stands, one citation per article, Persian digits in
what Pasokh writes itself.
"""

from __future__ import annotations

import json

from bot.texts import CUT, FOREIGN_NOTE, NO_ANSWER_ENGLISH, READ_ARTICLE, READ_AS, RLM, UNSAID, also_ran
from bot.texts import NO_ANSWER_TERMINAL as NO_ANSWER
from corpus import dates
from corpus.decoration import shown_title, unquoted
from retrieval.answer.passages import Passage, agency_beside, arrange
from retrieval.records import PERSIAN, Answer, Quote


def citation(q: Quote) -> str:
    """Title · agency · Jalali date (and how long ago); the other outlets that ran it, if any."""
    parts = [shown_title(q.title)] + [p for p in (agency_beside(q.title, q.agency), dates.shown(q.published)) if p]
    line = " · ".join(parts)
    return f"{line} ({also_ran(q.also)})" if q.also else line


def _passage(passage: Passage) -> str:
    out, last = [], 0
    for mark in passage.marks:
        number = dates.persian_digits(str(mark.number))
        out.append(f"{unquoted(passage.text[last : mark.start])}[{number}] «{passage.text[mark.start : mark.end]}»")
        last = mark.end
    out.append(unquoted(passage.text[last:]))
    if passage.cut:
        out.append(f" {CUT}")
    return "".join(out)


def to_terminal(answer: Answer, show_context: bool = False, verbose: bool = False) -> str:
    lines = [f"{RLM}پرسش: {answer.question}", ""]
    if answer.read_as:
        lines[-1:] = [f"{RLM}{READ_AS.format(read_as=answer.read_as)}", ""]
    if answer.abstained:
        lines.append(f"{RLM}{NO_ANSWER}")
        if answer.language != PERSIAN:
            lines.append(NO_ANSWER_ENGLISH)
        if verbose and answer.reason:
            lines.append(f"({answer.reason})")
        return "\n".join(lines)
    if answer.language != PERSIAN:
        lines += [f"{RLM}{FOREIGN_NOTE}", ""]
    if answer.unsaid in UNSAID:
        lines += [f"{RLM}{UNSAID[answer.unsaid]}", ""]
    for cited in arrange(answer.quotes, with_context=show_context):
        for passage in cited.passages:
            lines += [f"{RLM}{line}" for line in _passage(passage).split("\n") if line.strip()]
        lines.append(f"{RLM}    — {citation(cited.quote)}")
        if cited.quote.url:
            lines.append(f"{RLM}    {READ_ARTICLE}: {cited.quote.url}")
        if verbose:
            for q in answer.quotes:
                if q.article_id == cited.quote.article_id:
                    lines.append(f"    ({q.number}: {q.article_id}, score {q.score:.3f})")
        lines.append("")
    return "\n".join(lines).rstrip()


def to_json(answer: Answer) -> str:
    return json.dumps(answer.to_json(), ensure_ascii=False, indent=2)
