"""Progress bars for the terminal front end, on stderr so stdout stays the answer."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator


@contextlib.contextmanager
def progress_bar(total: int, label: str) -> Iterator[Callable[[int], None]]:
    """A tqdm bar on stderr; tqdm is a dependency of sentence-transformers and hazm already.

    Log lines written while it is drawn go above it (tqdm's own redirection, which keeps the
    handlers' format and filters): written as they came, one began after the bar on its line,
    at no margin, and the bar's next redraw wrote over it."""
    from tqdm import tqdm
    from tqdm.contrib.logging import logging_redirect_tqdm

    embedded = 0

    with (
        tqdm(total=total or None, desc=label, unit="article", file=sys.stderr, leave=False, mininterval=0.3) as bar,
        logging_redirect_tqdm(),
    ):

        def tick(articles: int = 1, sentences: int = 0) -> None:
            nonlocal embedded
            if sentences:  # a batch embedded (seconds apart): shown now, not when tqdm next redraws,
                embedded += sentences  # which its adaptive throttle may skip until the bar is gone
                bar.set_postfix_str(f"{embedded} sentences embedded", refresh=True)
            bar.update(articles)

        yield tick
