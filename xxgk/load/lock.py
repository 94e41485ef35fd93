"""One writer per warehouse: a lock file next to the DuckDB file, naming its holder.

DuckDB's own file lock would refuse a second writer too, but only once the second run has
started Prefect and scanned the raw folder, and with a message about a file lock. The lock file
refuses it first, says who holds it (pid, command, since when), and is released by the kernel
when the holder dies (`flock`), so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WarehouseLocked(RuntimeError):
    """Another process is writing this warehouse."""

    def __init__(self, db: str, holder: dict | None):
        self.db = db
        self.holder = holder or {}
        who = ", ".join(f"{k} {v}" for k, v in self.holder.items()) or "holder unknown"
        super().__init__(f"warehouse {db} is being written by another run ({who}); "
                         "wait for it to finish, then try again")


def lock_path(db: str | os.PathLike[str]) -> Path:
    p = Path(db)
    return p.with_name(p.name + ".lock")


_held: dict[str, tuple[int, int]] = {}  # lock path -> (fd, depth): re-entrant within a process


def read_holder(db: str | os.PathLike[str]) -> dict | None:
    """Who holds (or last held) the lock, as written in the lock file."""
    try:
        text = lock_path(db).read_text(encoding="utf-8")
        return json.loads(text) if text.strip() else None
    except (OSError, ValueError):
        return None


def is_locked(db: str | os.PathLike[str]) -> bool:
    """True when another process holds the write lock right now."""
    path = lock_path(db)
    if str(path) in _held or not path.exists():
        return False
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


@contextmanager
def write_lock(db: str | os.PathLike[str], purpose: str = "write") -> Iterator[None]:
    """Hold the warehouse's write lock, or raise WarehouseLocked at once (never wait).

    Re-entrant in one process: the CLI takes it before starting Prefect (to refuse fast) and
    the flow takes it again (so a served flow run is protected too).
    """
    path = lock_path(db)
    key = str(path)
    if key in _held:
        fd, depth = _held[key]
        _held[key] = (fd, depth + 1)
        try:
            yield
        finally:
            fd, depth = _held[key]
            _held[key] = (fd, depth - 1)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise WarehouseLocked(str(db), read_holder(db)) from None
    holder = {"pid": os.getpid(), "purpose": purpose,
              "since": time.strftime("%Y-%m-%d %H:%M:%S"), "command": " ".join(sys.argv)[:200]}
    os.ftruncate(fd, 0)
    os.pwrite(fd, json.dumps(holder).encode(), 0)
    _held[key] = (fd, 1)
    try:
        yield
    finally:
        del _held[key]
        os.ftruncate(fd, 0)  # the file stays (removing it would race a waiting locker)
        os.close(fd)
