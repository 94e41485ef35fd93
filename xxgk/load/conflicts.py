"""The conflict rule: which of the files claiming one (agency, year) makes its report.

Of the present files claiming a key, the kept one is the first by (status rank, flagged cells,
path); ranks come from the `statuses` reference table (xxgk.vocabulary). The rule depends only
on the set of files, never on arrival order, so an incremental warehouse equals a rebuild.
The ranking is written once, in CLAIMANTS; everything else reads its `place`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from xxgk.load.db import registered

Key = tuple[str, int]

CLAIMANTS = """
    SELECT s.agency, s.year, s.path, s.sha256, s.status,
           coalesce(s.flagged_cells, 0) AS flagged,
           row_number() OVER (PARTITION BY s.agency, s.year
                              ORDER BY st.rank, coalesce(s.flagged_cells, 0), s.path) AS place
    FROM source_files s JOIN statuses st ON st.status = s.status
    WHERE NOT s.missing AND st.rank IS NOT NULL
      AND s.agency IS NOT NULL AND s.year IS NOT NULL"""
"""Present, report-making files with their place among their key's claimants (1: kept)."""


@dataclass(frozen=True, slots=True)
class Claimant:
    path: str
    sha256: str
    status: str
    flagged: int


def claimants(con: duckdb.DuckDBPyConnection) -> dict[Key, list[Claimant]]:
    """The claimants of the keys in the registered `_keys`, best first (the rule)."""
    rows = con.execute(f"""
        SELECT c.agency, c.year, c.path, c.sha256, c.status, c.flagged
        FROM ({CLAIMANTS}) c JOIN _keys k ON c.agency = k.agency AND c.year = k.year
        ORDER BY c.agency, c.year, c.place""").fetchall()
    out: dict[Key, list[Claimant]] = {}
    for agency, year, *rest in rows:
        out.setdefault((agency, year), []).append(Claimant(*rest))
    return out


def winners_not_loaded(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Files the rule keeps whose report the warehouse does not hold (a loser that now wins
    because the kept file got worse or left): the flow reads them again and loads them."""
    return [p for (p,) in con.execute(f"""
        SELECT c.path FROM ({CLAIMANTS}) c
        LEFT JOIN reports r ON r.agency = c.agency AND r.year = c.year
        WHERE c.place = 1 AND (r.path IS DISTINCT FROM c.path
                               OR r.sha256 IS DISTINCT FROM c.sha256)
        ORDER BY c.path""").fetchall()]


def reason(kept: Claimant, other: Claimant) -> str:
    if kept.status != other.status:
        return f"status {kept.status} beats {other.status}"
    if kept.flagged != other.flagged:
        return f"fewer flagged cells ({kept.flagged} < {other.flagged})"
    return "same status and flagged cells: the smaller path is kept"


def record(con: duckdb.DuckDBPyConnection, found: dict[Key, list[Claimant]], run_id: str,
           when: datetime) -> None:
    """Every claimant but the kept one, for the keys in `_keys` (recomputed, not appended)."""
    con.execute("DELETE FROM conflicts c USING _keys k WHERE c.agency = k.agency "
                "AND c.year = k.year")
    rows = [
        {"agency": key[0], "year": key[1], "kept_path": kept.path, "kept_sha256": kept.sha256,
         "kept_status": kept.status, "other_path": o.path, "other_sha256": o.sha256,
         "other_status": o.status, "reason": reason(kept, o)}
        for key, (kept, *others) in found.items() for o in others
    ]
    if rows:
        with registered(con, "_conflicts", pd.DataFrame(rows)):
            con.execute("INSERT INTO conflicts BY NAME SELECT *, ? AS detected_at, "
                        "? AS run_id FROM _conflicts", [when, run_id])
