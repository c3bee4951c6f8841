"""Answers as text for a terminal and as JSON; quotes are printed exactly as stored."""

from __future__ import annotations

import json

from bot.texts import FOREIGN_NOTE, RLM, also_ran
from bot.texts import NO_ANSWER_TERMINAL as NO_ANSWER
from corpus import dates
from retrieval.records import PERSIAN, Answer, Quote


def citation(q: Quote) -> str:
    """Title · agency · Jalali date (and how long ago); the other outlets that ran it, if any."""
    parts = [q.title] + [p for p in (q.agency, dates.shown(q.published)) if p]
    line = " · ".join(parts)
    return f"{line} ({also_ran(q.also)})" if q.also else line


def to_terminal(answer: Answer, show_context: bool = False, verbose: bool = False) -> str:
    lines = [f"{RLM}پرسش: {answer.question}", ""]
    if answer.abstained:
        lines.append(f"{RLM}{NO_ANSWER}")
        if verbose and answer.reason:
            lines.append(f"({answer.reason})")
        return "\n".join(lines)
    if answer.language != PERSIAN:
        lines += [f"{RLM}{FOREIGN_NOTE}", ""]
    for q in answer.quotes:
        text = q.context if show_context and q.context else q.text
        lines.append(f"{RLM}[{q.number}] «{text}»")
        lines.append(f"{RLM}    — {citation(q)}")
        if q.url:
            lines.append(f"{RLM}    {q.url}")
        if verbose:
            lines.append(f"    ({q.article_id}, score {q.score:.3f})")
        lines.append("")
    return "\n".join(lines).rstrip()


def to_json(answer: Answer) -> str:
    return json.dumps(answer.to_json(), ensure_ascii=False, indent=2)
