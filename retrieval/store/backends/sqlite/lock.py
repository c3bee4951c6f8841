"""One writer per data directory. flock is released by the kernel when a process dies,
so a lock left by a killed ingest never blocks the next one.

The holder writes its process id, and what it is doing when it is no ingest: a writer that
finds a backup holding the lock waits for it (a backup ends on its own within minutes, and the
watcher's pass should not be lost to it) where it would refuse another writer at once."""

from __future__ import annotations

import fcntl
import logging
import os
import time
from pathlib import Path
from types import TracebackType

from retrieval.errors import WriteLockedError

logger = logging.getLogger(__name__)

BACKUP = "backup"
BACKUP_WAIT_SECONDS = 1800.0  # what a writer waits for a backup to finish, at most


class WriteLock:
    """``wait``: seconds to wait for the writer holding the lock to finish before refusing (a
    backup waits out an ingest; an ingest is refused at once, unless a backup holds the lock).
    ``purpose`` says what the holder does, for whoever finds the lock taken."""

    def __init__(self, data_dir: Path, wait: float = 0.0, purpose: str = "") -> None:
        self.path = data_dir / "write.lock"
        self.wait = wait
        self.purpose = purpose
        self._fd: int | None = None

    def __enter__(self) -> WriteLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        started = time.monotonic()
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                pid, _, purpose = os.pread(fd, 64, 0).decode(errors="replace").strip().partition(" ")
                patience = max(self.wait, BACKUP_WAIT_SECONDS if purpose == BACKUP else 0.0)
                if time.monotonic() - started < patience:
                    if purpose == BACKUP and not told:
                        logger.warning("%s is being backed up by process %s; waiting for it to finish", self.path.parent, pid)
                        told = True
                    time.sleep(0.5)
                    continue
                os.close(fd)
                doing = "backed up" if purpose == BACKUP else "written"
                who = f"process {pid}" if pid else "another process"
                message = f"{self.path.parent} is being {doing} by {who}; wait for it to finish and try again"
                raise WriteLockedError(message) from None
        self._fd = fd
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {self.purpose}".strip().encode(), 0)
        except OSError as exc:  # a full disk: who holds the lock is for whoever finds it taken; the lock holds without it
            logger.debug("could not record the writer in %s: %s", self.path, exc.strerror)
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        """The lock is always let go. Before, a write of the holder's record that failed (a full
        disk) left the lock held by a process that no longer wrote: a watcher or a bot refused
        its own every later write as «being written by another process» until restarted."""
        if self._fd is None:
            return
        try:
            os.ftruncate(self._fd, 0)
        except OSError:
            pass
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
