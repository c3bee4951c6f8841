"""Typed corpus errors: the CLI turns each into one line naming the file (and line)."""

from __future__ import annotations

from pathlib import Path


class CorpusError(Exception):
    """Base for everything the corpus layer refuses."""


class InputFileError(CorpusError):
    """A file (or one JSONL line) that cannot become an article; the batch goes on without it."""

    def __init__(self, path: Path | str, reason: str, line: int | None = None) -> None:
        self.path = Path(path)
        self.reason = reason
        self.line = line
        named = str(path)  # as given: an article's origin may be an address, which Path would spoil («http:/…»)
        where = f"{named}:{line}" if line is not None else named
        super().__init__(f"{where}: {reason}")


class SkippedFile(InputFileError):
    """Not an error in the data, just nothing to ingest (empty, only site chrome)."""
