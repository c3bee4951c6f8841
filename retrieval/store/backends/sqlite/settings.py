"""``[storage.sqlite]``: how the one-box backend indexes vectors (docs/performance.md)."""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.errors import SettingsError


@dataclass(frozen=True)
class Settings:
    vector_index: str = "auto"
    exact_limit: int = 100_000
    nprobe: int = 48
    bulk_compact_share: float = 0.10

    def __post_init__(self) -> None:
        if self.vector_index not in ("auto", "flat", "ivf"):
            raise SettingsError(f"[storage.sqlite] vector_index must be auto, flat or ivf, got {self.vector_index!r}")
        if not _whole(self.exact_limit) or self.exact_limit < 0:
            raise SettingsError(f"[storage.sqlite] exact_limit must be a whole number of sentences, got {self.exact_limit!r}")
        if not _whole(self.nprobe) or not 1 <= self.nprobe <= 4096:
            raise SettingsError(f"[storage.sqlite] nprobe must be a whole number from 1 to 4096, got {self.nprobe!r}")
        share = self.bulk_compact_share
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0.02 <= share <= 1.0:
            raise SettingsError(f"[storage.sqlite] bulk_compact_share must be a number from 0.02 to 1, got {share!r}")


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
