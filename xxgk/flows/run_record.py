"""What a run records of itself: its counts, and its row of ingestion_runs (started, then
finished with the counts or the error)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import duckdb
from prefect import get_run_logger

from xxgk.flows.plan import Plan
from xxgk.load import runs
from xxgk.load.batch_load import LoadStats
from xxgk.load.warehouse import totals
from xxgk.transform.batch import Batch

SHOWN_FAILURES = 20
"""Failed files the run's summary names with their reason; problem_files lists them all."""


@dataclass(slots=True)
class RunRecord:
    """A run under way: its id and the counts that end up in ingestion_runs."""

    run_id: str
    kind: str
    raw: str
    flow_run_id: str | None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(runs.RUN_COUNTS, 0))
    loaded: LoadStats = field(default_factory=LoadStats)
    started: float = field(default_factory=time.monotonic)
    new_paths: set[str] = field(default_factory=set)
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(path, reason) of the files this run could not read as a report, the first few."""
    statuses: Counter[str] = field(default_factory=Counter)
    """What the files read in this run came back as (ok, incomplete, error…)."""

    def planned(self, p: Plan) -> None:
        self.counts.update(files_seen=p.found, files_unchanged=len(p.unchanged),
                           files_missing=len(p.missing))
        self.new_paths = {f.path for f in p.new}
        get_run_logger().info("%d files: %d to read (%d new), %d unchanged, %d missing",
                              p.found, len(p.to_read), len(p.new), len(p.unchanged),
                              len(p.missing))

    def parsed(self, batch: Batch) -> None:
        """Count a batch read from the plan: new, changed, unchanged (same bytes), failed."""
        new_paths = self.new_paths
        self.counts["files_new"] += sum(x.file.path in new_paths for x in batch.parsed)
        self.counts["files_changed"] += sum(x.file.path not in new_paths for x in batch.parsed)
        self.counts["files_unchanged"] += len(batch.same)
        failed = [(x.file.path, x.report.error or "") for x in batch.parsed
                  if x.report.status == "error"]
        self.counts["files_failed"] += len(failed)
        self.statuses.update(x.report.status for x in batch.parsed)
        self.failures += failed[:SHOWN_FAILURES - len(self.failures)]

    def summary(self, con: duckdb.DuckDBPyConnection) -> dict:
        """The run's counts and the warehouse's totals, as the flow returns them."""
        self.counts.update(reports_loaded=self.loaded.reports_loaded,
                           facts_loaded=self.loaded.facts_loaded,
                           reports_failed_checks=self.loaded.reports_failed_checks,
                           conflicts=totals(con)["conflicts"])
        return {"run_id": self.run_id, "kind": self.kind, "raw": self.raw,
                "flow_run_id": self.flow_run_id,
                "seconds": round(time.monotonic() - self.started, 2), **self.counts,
                "failed_files": self.failures, "statuses": dict(self.statuses),
                "totals": totals(con)}


@contextmanager
def recorded_run(con: duckdb.DuckDBPyConnection, kind: str, raw: str,
                 flow_run_id: str | None) -> Iterator[RunRecord]:
    """A row of ingestion_runs for the block: finished with its counts, or with the error."""
    run = RunRecord(runs.start_run(con, kind, raw, flow_run_id), kind, raw, flow_run_id)
    try:
        yield run
    except BaseException as e:
        runs.finish_run(con, run.run_id, {}, error=f"{type(e).__name__}: {e}")
        raise
    runs.finish_run(con, run.run_id, run.counts)
