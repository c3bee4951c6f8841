"""`pasokh backup DEST`: a copy of a data directory that is whole while the bot keeps answering.

Copying the directory with `cp` while a bot writes its log, or while the watcher ingests, can
give a database torn between two commits and an index file from after it. Here every SQLite
database is copied by SQLite's own backup (one consistent snapshot, however busy the source),
under the writer's lock, so no ingest or compaction moves the index files while they are
copied; the copy is checked and only then named ``DEST`` (a partial copy never looks like a
backup). What is built again on demand (the evaluation corpora under ``eval/``) is left out.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import sqlite3
import time
from contextlib import closing
from pathlib import Path

from retrieval.errors import REPAIR_HINT, BackupError
from retrieval.store.backends.sqlite.botlog import BOT_LOG
from retrieval.store.backends.sqlite.lock import BACKUP, WriteLock
from retrieval.store.backends.sqlite.salvage import bot_log_damage, damage
from retrieval.store.backends.sqlite.store import DATABASE
from retrieval.store.capabilities import BackupReport

logger = logging.getLogger(__name__)

_SQLITE_MAGIC = b"SQLite format 3\x00"
_NOT_COPIED_FILES = ("write.lock",)
_SIDE_FILES = ("-wal", "-shm", "-journal")  # a database's own: its copy is whole without them
REBUILT = ("eval",)  # folders of what `pasokh eval` builds again when it is missing


def backup(data_dir: Path, destination: Path, wait: float = 0.0) -> BackupReport:
    """Copy ``data_dir`` to ``destination`` (a new folder); ``wait`` seconds for a running
    ingest to finish before refusing."""
    target = destination.resolve()
    source = data_dir.resolve()
    if target == source or source in target.parents:
        raise BackupError(f"{destination} is inside the data directory {data_dir}; back it up to a folder outside it")
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{destination} already exists; a backup is written to a new folder, never over another")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    _remove_abandoned(target.parent)
    shutil.rmtree(partial, ignore_errors=True)
    try:
        partial.mkdir(parents=True)
    except OSError as exc:
        raise BackupError(f"cannot create {partial.parent}/: {exc.strerror}") from None
    report = BackupReport(destination)
    started = time.perf_counter()
    try:
        with WriteLock(data_dir, wait=wait, purpose=BACKUP):
            _copy_tree(source, partial, report, top=True)
        _verify(partial, report)
        if target.exists():
            target.rmdir()  # the empty folder named for it
        partial.rename(target)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    report.seconds = time.perf_counter() - started
    return report


_PARTIAL = re.compile(r"^\..+\.partial-(\d+)$")


def _remove_abandoned(folder: Path) -> None:
    """The partial copies a killed backup left in ``folder`` (hidden, named for its process,
    which is gone): they would hold a disk's worth of space forever."""
    if not folder.is_dir():
        return
    for entry in folder.iterdir():
        found = _PARTIAL.match(entry.name)
        if found and entry.is_dir() and not _running(int(found.group(1))):
            logger.info("removing %s, left by a backup that did not finish", entry)
            shutil.rmtree(entry, ignore_errors=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def _copy_tree(source: Path, target: Path, report: BackupReport, top: bool = False) -> None:
    """Every file under ``source`` into ``target``: a database by its backup, the rest as it is."""
    for entry in sorted(source.iterdir()):
        name = entry.name
        if name.startswith(".") or name.endswith(".tmp") or name in _NOT_COPIED_FILES or name.endswith(_SIDE_FILES):
            continue
        if entry.is_dir():
            if top and name in REBUILT:
                report.left_out.append(f"{name}/")
                continue
            (target / name).mkdir()
            _copy_tree(entry, target / name, report)
        elif entry.is_file():
            if _is_database(entry):
                _copy_database(entry, target / name)
            else:
                shutil.copy2(entry, target / name)
            report.bytes += (target / name).stat().st_size
        else:
            continue
        if top:
            report.copied.append(f"{name}/" if entry.is_dir() else name)


def _is_database(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(_SQLITE_MAGIC)) == _SQLITE_MAGIC


def _copy_database(path: Path, target: Path) -> None:
    """One consistent snapshot of a database another process may be writing (the bot's log)."""
    source = sqlite3.connect(path, timeout=60)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()


def _verify(copy_dir: Path, report: BackupReport) -> None:
    """Each copied database is whole by `pasokh index --check`'s measure (SQLite's integrity check
    and every value read: salvage.damage), and the corpus's counts are read from the copy. A copy
    of a damaged database is no backup: kept and rotated in, it would push out the last good one."""
    for path in sorted(copy_dir.iterdir()):
        if path.is_file() and _is_database(path):
            if path.name == DATABASE:
                found = damage(path, still=True)
            elif path.name == BOT_LOG:
                found = bot_log_damage(copy_dir, still=True)
            else:  # a database of another's: SQLite's own check
                found = damage(path, {}, still=True)
            if found is not None:
                raise BackupError(
                    f"the copy of {path.name} is damaged ({found}), as the database itself must be: {REPAIR_HINT}, then "
                    "back up again; the backup was not kept"
                )
    corpus = copy_dir / DATABASE
    if corpus.exists():
        with closing(sqlite3.connect(corpus)) as conn:
            report.articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
            report.sentences = conn.execute("SELECT count(*) FROM sentences").fetchone()[0]
