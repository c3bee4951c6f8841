"""One writer per data directory. flock is released by the kernel when a process dies,
so a lock left by a killed ingest never blocks the next one."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path
from types import TracebackType

from retrieval.errors import WriteLockedError


class WriteLock:
    """``wait``: seconds to wait for the writer holding the lock to finish before refusing (a
    backup waits out an ingest; an ingest is refused at once)."""

    def __init__(self, data_dir: Path, wait: float = 0.0) -> None:
        self.path = data_dir / "write.lock"
        self.wait = wait
        self._fd: int | None = None

    def __enter__(self) -> WriteLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() < deadline:
                    time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
                    continue
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "another process"
                os.close(fd)
                raise WriteLockedError(
                    f"{self.path.parent} is being written by process {holder}; wait for it to finish and try again"
                ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if self._fd is not None:
            os.ftruncate(self._fd, 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
