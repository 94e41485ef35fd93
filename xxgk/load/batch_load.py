"""Load one batch of tidy frames (xxgk.model.TidyBatch) in ONE transaction.

The batch's files are recorded, and every (agency, year) they touch follows the conflict rule:
its report, facts and checks are replaced together, dropped, or left as they are. A winner that
is not in the batch is not read here: `conflicts.winners_not_loaded` lists it for the flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from xxgk.load import conflicts
from xxgk.load.conflicts import Claimant, Key
from xxgk.load.db import registered, transaction
from xxgk.load.warehouse import columns, now, touch
from xxgk.model import TidyBatch


@dataclass(slots=True)
class LoadStats:
    reports_loaded: int = 0
    facts_loaded: int = 0
    reports_removed: int = 0
    reports_failed_checks: int = 0

    def add(self, other: LoadStats) -> None:
        for name in self.__slots__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


def load_batch(con: duckdb.DuckDBPyConnection, batch: TidyBatch, run_id: str,
               when: datetime | None = None) -> LoadStats:
    """Record a batch's files and (re)load the reports they decide, in one transaction."""
    with transaction(con):
        affected = _record_files(con, batch, run_id, when or now())
        return _resolve(con, affected, batch, run_id, when or now())


def _claimed_keys(con: duckdb.DuckDBPyConnection) -> set[Key]:
    return set(con.execute(
        "SELECT agency, year FROM source_files WHERE path IN (SELECT path FROM _batch) "
        "AND agency IS NOT NULL AND year IS NOT NULL").fetchall())


def _record_files(con: duckdb.DuckDBPyConnection, batch: TidyBatch, run_id: str,
                  when: datetime) -> set[Key]:
    """Upsert the batch's files; return the keys they claimed before or claim now (a changed
    file may claim another key)."""
    paths = pd.concat([batch.files["path"], batch.unchanged["path"]]).to_frame("path")
    if paths.empty:
        return set()
    update = ", ".join(f"{c} = excluded.{c}" for c in columns(con, "source_files")
                       if c not in ("path", "first_seen"))
    with registered(con, "_batch", paths), registered(con, "_src", batch.files):
        affected = _claimed_keys(con)
        if not batch.files.empty:
            con.execute("INSERT INTO source_files BY NAME SELECT *, false AS missing, "
                        "$when AS first_seen, $when AS last_seen, $when AS changed_at, "
                        f"$run AS last_run_id FROM _src ON CONFLICT (path) DO UPDATE SET {update}",
                        {"when": when, "run": run_id})
        touch(con, batch.unchanged, run_id, when)
        return affected | _claimed_keys(con)


def _keys_frame(keys: set[Key]) -> pd.DataFrame:
    ordered = sorted(keys)
    return pd.DataFrame({"agency": pd.Series([k[0] for k in ordered], dtype=object),
                         "year": pd.Series([k[1] for k in ordered], dtype="int32")})


def _resolve(con: duckdb.DuckDBPyConnection, affected: set[Key], batch: TidyBatch,
             run_id: str, when: datetime) -> LoadStats:
    """Make reports, facts, checks and conflicts of the affected keys follow the rule."""
    if not affected:
        return LoadStats()
    with registered(con, "_keys", _keys_frame(affected)):
        found = conflicts.claimants(con)
        load, drop = _decide(con, affected, found, set(batch.reports["path"]))
        stats = _replace(con, load, drop, batch, run_id, when)
        conflicts.record(con, found, run_id, when)
    return stats


def _decide(con: duckdb.DuckDBPyConnection, affected: set[Key],
            found: dict[Key, list[Claimant]], fresh: set[str]) -> tuple[dict[Key, str], set[Key]]:
    """Which keys get the report of which file of this batch, and which lose theirs.

    A key whose winner is not in this batch keeps what it has: the flow reads that winner
    again (conflicts.winners_not_loaded) and loads it in a batch of its own.
    """
    present = {(a, y) for a, y in con.execute(
        "SELECT r.agency, r.year FROM reports r JOIN _keys k ON r.agency = k.agency "
        "AND r.year = k.year LEFT JOIN source_files f ON f.path = r.path "
        "WHERE NOT coalesce(f.missing, true)").fetchall()}
    load: dict[Key, str] = {}
    drop: set[Key] = set()
    for key in affected:
        best = found.get(key)
        if best is None:
            if key in present:
                drop.add(key)  # its file no longer makes this report; a missing one's stays
        elif best[0].path in fresh:
            load[key] = best[0].path
    return load, drop


def _replace(con: duckdb.DuckDBPyConnection, load: dict[Key, str], drop: set[Key],
             batch: TidyBatch, run_id: str, when: datetime) -> LoadStats:
    """Delete the reports (with facts and checks) of `load` and `drop`, insert `load`'s."""
    with registered(con, "_gone_keys", _keys_frame(drop | set(load))):
        for table in ("facts", "checks", "reports"):
            con.execute(f"DELETE FROM {table} t USING _gone_keys k "
                        "WHERE t.agency = k.agency AND t.year = k.year")
    stats = LoadStats(reports_removed=len(drop))
    if not load:
        return stats
    winners = set(load.values())
    reports = batch.reports[batch.reports["path"].isin(winners)]
    facts = batch.facts[batch.facts["path"].isin(winners)]
    checks = batch.checks[batch.checks["path"].isin(winners)]
    with registered(con, "_rows", reports):
        con.execute("INSERT INTO reports BY NAME SELECT *, ? AS loaded_at, ? AS run_id "
                    "FROM _rows", [when, run_id])
    for name, frame in (("facts", facts), ("checks", checks)):
        with registered(con, "_rows", frame):
            con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM _rows")
    stats.reports_loaded = len(reports)
    stats.facts_loaded = len(facts)
    stats.reports_failed_checks = int((reports["failed_checks"] > 0).sum())
    return stats
