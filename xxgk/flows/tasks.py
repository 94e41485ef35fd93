"""The Prefect tasks of a run, each a thin wrapper over plain functions, and their order.

A run is a handful of tasks over batches of files (discover, plan, then parse-batch and
load-batch per `batch_size` files, finish), never one task per file. Tasks never cache and
never persist results: loading is a side effect, and whether a file is unchanged is the
warehouse's own decision (the hash it recorded), so no run can be skipped by a stale cache.
Large arguments are wrapped in `quote` so Prefect does not walk them looking for futures.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor
from itertools import islice

import duckdb
from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE
from prefect.runtime import flow_run
from prefect.utilities.annotations import quote

from xxgk.extract import discover
from xxgk.extract.discover import FoundFile
from xxgk.flows.progress import progress_bar
from xxgk.load import parsing
from xxgk.load import warehouse as wh
from xxgk.load.db import transaction
from xxgk.load.parsing import Batch
from xxgk.load.plan import Plan, plan

DEFAULT_BATCH_SIZE = 1000
"""Files per parse/load task: 50 000 files make 50 of each, and a batch's reports (about
250 facts each) stay well under a few hundred MB."""

_task = task(cache_policy=NO_CACHE, persist_result=False)


@_task(name="discover")
def discover_files(raw: str) -> list[FoundFile]:
    return discover.scan(raw)


@_task(name="plan")
def plan_files(con: duckdb.DuckDBPyConnection, found: list[FoundFile], run_id: str) -> Plan:
    """What to read; files gone from the raw folder are marked missing, unchanged ones seen."""
    p = plan(found, wh.known_files(con))
    with transaction(con):
        wh.mark_missing(con, p.missing, run_id)
        wh.touch(con, p.unchanged, run_id)
    return p


@_task(name="parse-batch")
def parse_files(raw: str, files: list[FoundFile], known_sha: dict[str, str | None],
                pool: Executor | None) -> Batch:
    return parsing.parse_batch(raw, files, known_sha, pool)


@_task(name="load-batch")
def load_files(con: duckdb.DuckDBPyConnection, batch: Batch, run_id: str,
               raw: str) -> wh.LoadStats:
    return wh.load_batch(con, batch, run_id, lambda files: parsing.reparse(raw, files))


def _chunks(items: Sequence[FoundFile], size: int) -> Iterator[list[FoundFile]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def ingest_into(con: duckdb.DuckDBPyConnection, raw: str, run_id: str,
                batch_size: int = DEFAULT_BATCH_SIZE, workers: int | None = None) -> dict:
    """Bring the warehouse on `con` up to date with the raw folder; return the run's counts.

    Streams: parse a batch, load it, forget it; memory stays flat whatever the file count.
    """
    logger = get_run_logger()
    found = discover_files(raw)
    p = plan_files(con, quote(found), run_id)
    todo = p.to_read
    new_paths = {f.path for f in p.new}
    counts = dict.fromkeys(wh.RUN_COUNTS, 0)
    counts.update(files_seen=p.found, files_unchanged=len(p.unchanged),
                  files_missing=len(p.missing))
    logger.info("%d files: %d to read (%d new), %d unchanged, %d missing",
                p.found, len(todo), len(p.new), len(p.unchanged), len(p.missing))
    workers = workers or parsing.default_workers()
    stats = wh.LoadStats()
    with parsing.parse_pool(workers if len(todo) >= parsing.POOL_THRESHOLD else 1) as pool, \
            progress_bar(len(todo), "parse and load") as advance:
        for files in _chunks(todo, batch_size):
            batch = parse_files(raw, quote(files), quote(p.known_sha), quote(pool))
            stats.add(load_files(con, quote(batch), run_id, raw))
            counts["files_new"] += sum(x.file.path in new_paths for x in batch.parsed)
            counts["files_changed"] += sum(x.file.path not in new_paths for x in batch.parsed)
            counts["files_unchanged"] += len(batch.same)
            counts["files_failed"] += sum(x.report.status == "error" for x in batch.parsed)
            advance(len(files))
    counts.update(reports_loaded=stats.reports_loaded, facts_loaded=stats.facts_loaded,
                  reports_failed_checks=stats.reports_failed_checks,
                  conflicts=wh.totals(con)["conflicts"])
    return counts


def run_recorded(con: duckdb.DuckDBPyConnection, kind: str, raw: str, batch_size: int,
                 workers: int | None) -> dict:
    """`ingest_into` with an ingestion_runs row: started, then finished with counts or error."""
    started = time.monotonic()
    run_id = wh.start_run(con, kind, raw, flow_run.get_id())
    try:
        counts = ingest_into(con, raw, run_id, batch_size, workers)
    except BaseException as e:
        wh.finish_run(con, run_id, {}, error=f"{type(e).__name__}: {e}")
        raise
    wh.finish_run(con, run_id, counts)
    return {"run_id": run_id, "kind": kind, "raw": raw, "flow_run_id": flow_run.get_id(),
            "seconds": round(time.monotonic() - started, 2), **counts,
            "totals": wh.totals(con)}
