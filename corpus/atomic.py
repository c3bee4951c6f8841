"""Write-then-rename, so a reader sees the old file or the new one, never half of one: the index
files, the watcher's report, anything a crash must not leave half-written."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


def atomic_write(path: Path, data: bytes) -> None:
    with atomic_file(path) as fh:
        fh.write(data)


# a disk that takes no more: full, a spent quota, a file grown past its limit, failing, mounted read-only
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS})


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A file to write ``path`` through, a piece at a time (an export of every article): it
    takes ``path``'s name only when the block ends without an error, and is gone if it does not."""
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError) and exc.errno in DISK_ERRNOS and exc.filename is None:
            # a write's own error names no file («No space left on device»): the one it was for
            raise OSError(exc.errno, exc.strerror, str(path)) from exc
        raise
    sync_dir(path.parent)


def _mode_for(path: Path) -> int:
    """The permissions ``path`` gets: those it has, when it is replaced (an operator who let a
    group read the watcher's report keeps that), else what ``open()`` would give a new file under
    the process's umask. A temporary file is made owner-only; renamed as it was, an index written
    by the watcher could not be read by bots running as another user of its group, nor an export
    by whoever it was made for."""
    with contextlib.suppress(OSError):
        return stat.S_IMODE(path.stat().st_mode)
    return created_mode()


def created_mode() -> int:
    """What ``open()`` gives a new file under the process's umask: a file first written under a
    temporary name (owner-only) is given it before it takes its own."""
    return 0o666 & ~_umask()


def _umask() -> int:
    """The process's umask, read without changing it where Linux says it (``os.umask`` can only
    set it, and setting it for a moment races any other thread creating a file)."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def sync_dir(path: Path) -> None:
    """Make a rename in ``path`` (a folder) survive a power cut: the folder's entry is synced too."""
    dir_fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
