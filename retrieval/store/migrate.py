"""Copying a corpus between backends with its stored terms and vectors, so nothing is re-embedded.

Each page of articles is one transaction in the target and articles already there with the
same content are skipped, so a migration killed at any point resumes where it stopped. The
end compacts the target when anything was copied (``pasokh index --compact``), then checks
that both sides hold the same articles and sentences and that the target's indexes agree.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from retrieval.errors import StorageError
from retrieval.store import Storage
from retrieval.store.state import every_state

logger = logging.getLogger(__name__)
PAGE = 10


@dataclass
class MigrateReport:
    copied: int = 0
    already_there: int = 0
    removed: int = 0
    articles: int = 0
    sentences: int = 0


def migrate(origin: Storage, target: Storage, progress: Callable[[int], None] | None = None) -> MigrateReport:
    """Make ``target`` hold exactly ``origin``'s articles, sentences, terms and vectors."""
    report = MigrateReport()
    origin.open()
    with target.writer.writing() as writer:
        have = target.documents.content_hashes()
        seen: set[str] = set()
        for page in origin.maintenance.export(PAGE):
            todo = [a for a in page if have.get(a.id) != a.prepared.content_hash]
            seen.update(a.id for a in page)
            if todo:
                writer.put(todo)
            report.copied += len(todo)
            report.already_there += len(page) - len(todo)
            if progress:
                progress(len(page))
        extra = sorted(set(have) - seen)
        if extra:
            report.removed = len(writer.remove(extra))
    for key, value in every_state(origin.state):  # every kind of typed state, whatever layer owns it
        target.state.set_meta(key, value)
    before, after = origin.documents.stats(), target.documents.stats()
    report.articles, report.sentences = after.articles, after.sentences
    if (before.articles, before.sentences) != (after.articles, after.sentences):
        raise StorageError(
            f"the copy has {after.articles} articles and {after.sentences} sentences, the origin "
            f"{before.articles} and {before.sentences}; run `pasokh migrate` again"
        )
    if report.copied or report.removed:
        # ready to serve at full speed: PostgreSQL reads a term's postings from its index alone
        # only on pages a vacuum has marked visible (at 1M, 104 ms a question straight after a
        # copy, 88 ms after), and SQLite's new vectors and terms go into the base files
        target.maintenance.compact()
    problems = target.maintenance.check().problems
    if problems:
        raise StorageError(f"the copy is not consistent: {problems[0]}")
    return report
