"""Which filesystem a data directory is on, to warn when it is a network one.

SQLite's own documentation warns that its locks are unreliable over NFS, SMB and the like: two
machines writing one database there (a bot replica on each, sharing a mounted data directory,
or an ingest run on another host) can damage it, and `write.lock`'s flock is no better there.
An operator growing from one box to several reaches for a shared mount first; the way that
works is the postgres backend. Linux names every mount in /proc/self/mountinfo; elsewhere,
nothing is said.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

logger = logging.getLogger(__name__)

MOUNTINFO = Path("/proc/self/mountinfo")
NETWORK_TYPES = frozenset(
    "nfs nfs4 cifs smb3 smbfs ncpfs 9p afs ceph glusterfs lustre gpfs beegfs davfs "
    "fuse.sshfs fuse.glusterfs fuse.s3fs fuse.rclone fuse.gcsfuse fuse.cephfs fuse.juicefs fuse.davfs2".split()
)
_looked: set[str] = set()  # data directories already looked up: the mount table is read once for each


_OCTAL = re.compile(r"\\([0-7]{3})")


def _unescape(field: str) -> str:
    """A mount point as mountinfo writes it: space, tab, newline and backslash as octal escapes."""
    return _OCTAL.sub(lambda m: chr(int(m.group(1), 8)), field)


def filesystem_of(path: Path, mountinfo: str) -> str | None:
    """The type of the filesystem ``path`` (absolute, resolved) is on, by the mount whose mount
    point is the longest prefix of it (a later mount over the same point wins); None when no
    line of ``mountinfo`` can be read."""
    best: tuple[int, str] | None = None
    target = str(path)
    for line in mountinfo.splitlines():
        head, sep, tail = line.partition(" - ")
        fields = head.split()
        if not sep or len(fields) < 5 or not tail.split():
            continue
        point = _unescape(fields[4])
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= best[0]):
            best = (len(point), tail.split()[0])
    return best[1] if best else None


def network_filesystem(data_dir: Path) -> str | None:
    """The network filesystem ``data_dir`` is on («nfs4», «cifs», «fuse.sshfs» …), or None for a
    local one, or when the mount table cannot be read."""
    try:
        table = MOUNTINFO.read_text(encoding="utf-8", errors="replace")
        where = Path(os.path.realpath(data_dir))
    except OSError:
        return None
    kind = filesystem_of(where, table)
    return kind if kind in NETWORK_TYPES else None


def warn_if_networked(data_dir: Path) -> None:
    """One warning a process and data directory when it is on a network filesystem."""
    if str(data_dir) in _looked:
        return
    _looked.add(str(data_dir))
    if (kind := network_filesystem(data_dir)) is None:
        return
    logger.warning(
        "the data directory %s is on a network filesystem (%s): SQLite's locks are not reliable there, and two "
        "machines writing it (a bot replica or an ingest on each) can damage the database; keep data_dir on a local "
        'disk, or share one corpus between machines with [storage] backend = "postgres"',
        data_dir,
        kind,
    )
