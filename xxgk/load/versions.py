"""The published warehouse and its next version: readers never wait for a writer.

DuckDB admits one writing process or many reading ones per file, so a run never opens the
published file for writing. It plans from a read-only connection; when there is work, it
writes a next version beside the published file (a copy of it, or a fresh file for a rebuild)
and renames it over the published one at the end. A reader keeps the version it opened until
it closes it; the next reader opens the new one. A failed or killed run leaves the published
file as it was; the next run removes what it left behind (`remove_leftovers`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from xxgk.load import schema
from xxgk.load import warehouse as wh

NEXT_SUFFIX = ".tmp"


def next_path(db: str | Path, kind: str) -> Path:
    """Where a run of `kind` writes the next version: hidden, beside the published file, named
    by the writing process (`.warehouse.duckdb.ingest-PID.tmp`)."""
    p = Path(db)
    return p.with_name(f".{p.name}.{kind}-{os.getpid()}{NEXT_SUFFIX}")


def wal_path(db: str | Path) -> Path:
    p = Path(db)
    return p.with_name(p.name + ".wal")


def remove(path: Path) -> None:
    """A version file and its write-ahead log, if there."""
    for p in (path, wal_path(path)):
        p.unlink(missing_ok=True)


def leftovers(db: str | Path) -> list[Path]:
    """Next versions a killed or failed run left beside the published file (any process's)."""
    p = Path(db)
    return sorted(p.parent.glob(f".{p.name}.*-*{NEXT_SUFFIX}"))


def remove_leftovers(db: str | Path) -> list[Path]:
    """Remove what dead runs left; only the write lock's holder calls this, so no live run's
    next version is among them."""
    found = leftovers(db)
    for path in found:
        remove(path)
    return found


@contextmanager
def published(db: str | Path) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection to the published warehouse (None when there is none yet) of
    this xxgk's schema: the run plans from it and so waits for no reader."""
    if not Path(db).exists():
        yield None
        return
    con = wh.connect(db, read_only=True)
    try:
        schema.check_version(con)
        yield con
    finally:
        con.close()


def _copy(db: Path, to: Path) -> None:
    """Copy the published file (and a write-ahead log an older xxgk left, so its last
    transactions come along) while holding it open read-only: no other writer can change it
    under the copy."""
    with published(db):
        shutil.copyfile(db, to)
        if wal_path(db).exists():
            shutil.copyfile(wal_path(db), wal_path(to))


def _fsync(path: Path, flags: int = os.O_RDONLY) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(version: Path, db: str | Path) -> None:
    """Make `version` the published warehouse: on disk first (fsync), then renamed over the
    old one in one step, then the rename itself on disk. A write-ahead log of the old file
    must go first: DuckDB would replay it onto the new one."""
    target = Path(db)
    _fsync(version)
    wal_path(target).unlink(missing_ok=True)
    os.replace(version, target)
    _fsync(target.parent, os.O_RDONLY | os.O_DIRECTORY)


@contextmanager
def next_version(db: str | Path, kind: str,
                 copy: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """A writable next version of `db`: a copy of the published file (or, `copy=False`, a new
    empty warehouse). Published when the block ends; removed if it raises."""
    path = next_path(db, kind)
    remove(path)
    try:
        if copy and Path(db).exists():
            _copy(Path(db), path)
        con = wh.connect(path)
    except BaseException:
        remove(path)
        raise
    try:
        yield con
        con.execute("CHECKPOINT")
        con.close()
        publish(path, db)
    except BaseException:
        con.close()  # a second close does nothing
        remove(path)
        raise
