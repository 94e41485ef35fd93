"""What a run records of itself: its counts, and its record in the run journal (started,
then finished with the counts or the error), folded into the version it publishes."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import duckdb
from prefect import get_run_logger

from xxgk.flows.plan import Plan
from xxgk.lifecycle import outcome
from xxgk.load import journal, runs, versions
from xxgk.load.batch_load import LoadStats
from xxgk.load.warehouse import totals
from xxgk.transform.batch import Batch

SHOWN_FAILURES = 20
"""Failed files the run's summary names with their reason; problem_files lists them all."""


@dataclass(slots=True)
class RunRecord:
    """A run under way: its record and the counts that end up in ingestion_runs."""

    db: str
    row: runs.Row
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(runs.RUN_COUNTS, 0))
    loaded: LoadStats = field(default_factory=LoadStats)
    started: float = field(default_factory=time.monotonic)
    new_paths: set[str] = field(default_factory=set)
    published: bool = False
    failures: list[tuple[str, str]] = field(default_factory=list)
    """(path, reason) of the files this run could not read as a report, the first few."""
    statuses: Counter[str] = field(default_factory=Counter)
    """What the files read in this run came back as (ok, incomplete, error…)."""

    @property
    def run_id(self) -> str:
        return str(self.row["run_id"])

    @property
    def kind(self) -> str:
        return str(self.row["kind"])

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
        return {"run_id": self.run_id, "kind": self.kind, "raw": self.row["raw_dir"],
                "flow_run_id": self.row["flow_run_id"],
                "seconds": round(time.monotonic() - self.started, 2), **self.counts,
                "failed_files": self.failures, "statuses": dict(self.statuses),
                "totals": totals(con)}


@contextmanager
def recorded_run(db: str, kind: str, raw: str, flow_run_id: str | None) -> Iterator[RunRecord]:
    """The run's record in the journal for the block: finished with its counts, or with the
    error (`terminated by SIGTERM` for a signal). Runs that died before are first recorded
    abandoned, and the next versions they left removed. Call it holding the write lock."""
    versions.remove_leftovers(db)
    journal.abandon_dead(db)
    run = RunRecord(str(db), runs.start_row(kind, raw, flow_run_id))
    journal.append(db, run.row)
    try:
        yield run
    except BaseException as e:
        journal.append(db, runs.finish_row(run.row, {}, error=outcome(e)))
        raise
    if not run.published:
        journal.append(db, runs.finish_row(run.row, run.counts))


@contextmanager
def publishing(run: RunRecord, copy: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """The run's next version of the warehouse (a copy of the published one, or a fresh one),
    published with the journal and the run's own record folded into its ingestion_runs."""
    with versions.next_version(run.db, run.kind, copy) as con:
        yield con
        runs.fold(con, [*journal.read(run.db), runs.finish_row(run.row, run.counts)])
    run.published = True
    journal.clear(run.db)
