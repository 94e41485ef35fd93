"""One writer per warehouse: a lock file next to the DuckDB file, naming its holder.

DuckDB's own file lock would refuse a second writer too, but only once the second run has
started Prefect and scanned the raw folder, and with a message about a file lock. The lock file
(`filelock`, an OS lock the kernel releases when the holder dies, so a killed run never leaves a
stale lock) refuses it first, and says who holds it (pid, command, since when).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from xxgk.lifecycle import command_line


class WarehouseLocked(RuntimeError):
    """Another process is writing this warehouse."""

    def __init__(self, db: str, holder: dict | None):
        self.db = db
        self.holder = holder or {}
        who = ", ".join(f"{k} {v}" for k, v in self.holder.items()) or "holder unknown"
        super().__init__(f"warehouse {db} is being written by another run ({who}); "
                         "wait for it to finish, then try again")


class HeldOpen(WarehouseLocked):
    """Another process (not an xxgk run) has the warehouse file open for writing, as DuckDB
    reports it: a notebook or a database tool that opened it without read_only."""

    def __init__(self, db: str, pid: int):
        self.db, self.holder = db, {"pid": pid}
        command = command_line(pid) or "its command line cannot be read"
        RuntimeError.__init__(
            self, f"warehouse {db} is open for writing in process {pid} ({command[:200]}): "
            "close that connection, or open it read-only (duckdb.connect(path, "
            "read_only=True); DBeaver: read-only connection), then try again")


def lock_path(db: str | os.PathLike[str]) -> Path:
    p = Path(db)
    return p.with_name(p.name + ".lock")


def read_holder(db: str | os.PathLike[str]) -> dict | None:
    """Who holds the lock, as its holder wrote it into the lock file."""
    try:
        text = lock_path(db).read_text(encoding="utf-8")
        return json.loads(text) if text.strip() else None
    except (OSError, ValueError):
        return None


def _lock(path: Path) -> FileLock:
    """The process's one lock object per path (filelock singleton): re-entrant in a process,
    so the CLI can take it before starting Prefect (to refuse fast) and the flow again (so a
    served flow run is protected too). The file stays: removing it would race a waiting locker."""
    return FileLock(path, timeout=0, is_singleton=True, preserve_lock_file=True,
                    fallback_to_soft=False)


def is_locked(db: str | os.PathLike[str]) -> bool:
    """True when another process holds the write lock right now."""
    path = lock_path(db)
    if not path.exists() or _lock(path).is_locked:
        return False
    probe = FileLock(path, timeout=0, preserve_lock_file=True, fallback_to_soft=False)
    try:
        probe.acquire()
    except Timeout:
        return True
    probe.release()
    return False


@contextmanager
def write_lock(db: str | os.PathLike[str], purpose: str = "write") -> Iterator[None]:
    """Hold the warehouse's write lock, or raise WarehouseLocked at once (never wait)."""
    path = lock_path(db)
    path.parent.mkdir(parents=True, exist_ok=True)
    lock = _lock(path)
    try:
        lock.acquire()
    except Timeout:
        raise WarehouseLocked(str(db), read_holder(db)) from None
    if lock.lock_counter == 1:  # the outermost holder names itself
        path.write_text(json.dumps({
            "pid": os.getpid(), "purpose": purpose, "since": time.strftime("%Y-%m-%d %H:%M:%S"),
            "command": " ".join(sys.argv)[:200]}), encoding="utf-8")
    try:
        yield
    finally:
        if lock.lock_counter == 1:
            os.truncate(path, 0)  # released: nobody holds it (the next holder writes itself)
        lock.release()
