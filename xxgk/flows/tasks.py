"""The Prefect tasks of a run, each a thin wrapper over one plain function of a stage.

A run is a handful of tasks over batches of files, never one task per file. Tasks never cache
and never persist results: loading is a side effect, and whether a file is unchanged is the
warehouse's own decision (the hash it recorded), so no run can be skipped by a stale cache.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor
from itertools import islice
from pathlib import Path
from typing import Any

import duckdb
from prefect import task
from prefect.cache_policies import NO_CACHE

from xxgk.extract import discover
from xxgk.extract.discover import FoundFile
from xxgk.flows.plan import Plan, plan
from xxgk.load import conflicts
from xxgk.load import warehouse as wh
from xxgk.load.batch_load import LoadStats, load_batch
from xxgk.load.db import transaction
from xxgk.model import TidyBatch
from xxgk.transform import batch as parsing
from xxgk.transform.batch import Batch
from xxgk.transform.tidy import tidy


def _task(name: str) -> Any:
    """A task that never caches and never persists its result."""
    return task(name=name, cache_policy=NO_CACHE, persist_result=False)


@_task("discover")
def discover_files(raw: str) -> list[FoundFile]:
    return discover.scan(raw)


@_task("plan")
def plan_files(con: duckdb.DuckDBPyConnection | None, found: list[FoundFile]) -> Plan:
    """What to read, from what the warehouse on `con` knows (None: no warehouse yet)."""
    return plan(found, wh.known_files(con) if con is not None else {})


@_task("record-seen")
def record_seen(con: duckdb.DuckDBPyConnection, p: Plan, run_id: str) -> None:
    """Files gone from the raw folder are marked missing, unchanged ones seen."""
    with transaction(con):
        wh.mark_missing(con, p.missing, run_id)
        wh.touch(con, p.unchanged_frame(), run_id)


@_task("parse-batch")
def parse_files(raw: str, files: list[FoundFile], known_sha: Mapping[str, str | None],
                pool: Executor | None) -> Batch:
    return parsing.parse_batch(raw, files, known_sha, pool)


@_task("tidy-batch")
def tidy_batch(batch: Batch) -> TidyBatch:
    return tidy(batch)


@_task("load-batch")
def load_tables(con: duckdb.DuckDBPyConnection, tables: TidyBatch, run_id: str) -> LoadStats:
    return load_batch(con, tables, run_id)


@_task("winners-to-read")
def winners_to_read(con: duckdb.DuckDBPyConnection, raw: str) -> list[FoundFile]:
    """Files the conflict rule keeps whose report is not loaded (a loser that now wins), as
    they are on disk now; a file gone meanwhile is left to the next run's plan."""
    out = []
    for path in conflicts.winners_not_loaded(con):
        try:
            st = Path(raw, path).stat()
        except OSError:
            continue
        out.append(FoundFile(path, st.st_size, st.st_mtime_ns))
    return out


def batches(items: Sequence[FoundFile], size: int) -> Iterator[list[FoundFile]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk
