"""Read, hash and parse a batch of raw files, in worker processes when there are many.

Kept free of DuckDB, pandas and Prefect imports: worker processes import only this module and the
parser, so they start fast and hold little memory.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from xxgk import PARSER_VERSION
from xxgk.extract.discover import FoundFile, sha256_bytes
from xxgk.model import ParsedReport, Source
from xxgk.transform import parse as parser

POOL_THRESHOLD = 64
"""Below this many files a process pool costs more to start than it saves."""


@dataclass(slots=True)
class Parsed:
    """A raw file and what the parser made of it (report.file is the file's relative path)."""

    file: FoundFile
    report: ParsedReport


@dataclass(slots=True)
class Batch:
    """One batch's outcome: files parsed anew, and files whose bytes the warehouse already has."""

    parsed: list[Parsed] = field(default_factory=list)
    same: list[FoundFile] = field(default_factory=list)


def _error(f: FoundFile, sha: str, message: str) -> ParsedReport:
    return ParsedReport(file=f.path, source=Source(f.path, sha, f.size), status="error",
                        error=message, parser_version=PARSER_VERSION)


def parse_one(root: str, f: FoundFile, known_sha: str | None) -> Parsed | None:
    """Parse one file, or None when its bytes hash to `known_sha` (content unchanged).

    Never raises: an unreadable file or a parser crash becomes an "error" report, so one bad
    file cannot stop a night's run and is recorded rather than dropped.
    """
    if f.problem:  # never opened: a FIFO would block, a link leads nowhere
        return Parsed(f, _error(f, "", f.problem))
    try:
        data = Path(root, f.path).read_bytes()
    except OSError as e:
        return Parsed(f, _error(f, "", f"cannot read: {e}"))
    sha = sha256_bytes(data)
    if known_sha is not None and sha == known_sha:
        return None
    try:
        report = parser.parse_bytes(data, f.path, sha)
    except Exception as e:  # the parser promises not to raise; a bug must not stop the night
        report = _error(f, sha, f"parser crashed: {type(e).__name__}: {e}")
    report.file = f.path
    return Parsed(f, report)


def _parse_args(args: tuple[str, FoundFile, str | None]) -> Parsed | None:
    return parse_one(*args)


def parse_batch(root: str, files: Sequence[FoundFile], known_sha: Mapping[str, str | None],
                pool: Executor | None = None) -> Batch:
    """Hash every file; parse those whose hash differs from `known_sha` (None: always parse)."""
    args = [(root, f, known_sha.get(f.path)) for f in files]
    if pool is not None and len(files) >= POOL_THRESHOLD:
        outcomes = list(pool.map(_parse_args, args, chunksize=8))
    else:
        outcomes = [_parse_args(a) for a in args]
    batch = Batch()
    for f, out in zip(files, outcomes, strict=True):
        if out is None:
            batch.same.append(f)
        else:
            batch.parsed.append(out)
    return batch


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))


def pool_size(files: int, workers: int | None) -> int:
    """Parser processes for `files` files: one (no pool) when too few to pay for a pool."""
    return (workers or default_workers()) if files >= POOL_THRESHOLD else 1


@contextmanager
def parse_pool(workers: int) -> Iterator[Executor | None]:
    """A process pool for parsing (None for one worker), spawned: never forked from a process
    that runs Prefect's and DuckDB's threads."""
    if workers <= 1:
        yield None
        return
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        yield pool
