"""The Prefect flows under Prefect's test harness: ingest, re-ingest, change, rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import bump_mtime, snapshot, write_fake

from xxgk.flows.ingest import ingest_flow
from xxgk.flows.rebuild import RebuildShrinks, rebuild_flow
from xxgk.load import warehouse as wh
from xxgk.load.versions import leftovers

pytestmark = pytest.mark.usefixtures("prefect_harness")


def read(db: Path):
    con = wh.connect(db, read_only=True)
    try:
        return snapshot(con), con.execute(
            "SELECT kind, status FROM ingestion_runs ORDER BY started_at").fetchall()
    finally:
        con.close()


@pytest.mark.usefixtures("fake_parser")
def test_ingest_reingest_change_rebuild(fake_raw: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    first = ingest_flow(raw=str(fake_raw), db=str(db))
    assert {k: first[k] for k in ("files_seen", "files_new", "files_failed", "reports_loaded",
                                  "conflicts")} == {"files_seen": 6, "files_new": 6,
                                                    "files_failed": 1, "reports_loaded": 4,
                                                    "conflicts": 1}
    assert first["flow_run_id"]
    loaded, _ = read(db)

    again = ingest_flow(raw=str(fake_raw), db=str(db))
    assert (again["files_unchanged"], again["files_new"], again["files_changed"],
            again["reports_loaded"]) == (6, 0, 0, 0)
    assert read(db)[0] == loaded

    bump_mtime(write_fake(fake_raw, "a/2021.txt", "甲县人民政府", 2021, seed=6))
    changed = ingest_flow(raw=str(fake_raw), db=str(db))
    assert (changed["files_changed"], changed["reports_loaded"]) == (1, 1)
    incremental, runs = read(db)
    assert incremental["facts"] != loaded["facts"]
    assert len(incremental["facts"]) == len(loaded["facts"])

    rebuilt = rebuild_flow(raw=str(fake_raw), db=str(db))
    assert rebuilt["files_new"] == 6
    after, runs_after = read(db)
    assert after == incremental
    assert runs_after == [*runs, ("rebuild", "ok")]  # history carried over
    assert not leftovers(db)


@pytest.mark.usefixtures("fake_parser")
def test_failed_rebuild_leaves_the_old_warehouse(fake_raw: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "w.duckdb"
    ingest_flow(raw=str(fake_raw), db=str(db))
    before = read(db)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("parser exploded")

    monkeypatch.setattr("xxgk.transform.batch.parse_batch", boom)
    with pytest.raises(RuntimeError, match="parser exploded"):
        rebuild_flow(raw=str(fake_raw), db=str(db))
    assert read(db) == before
    assert not leftovers(db)


@pytest.mark.usefixtures("fake_parser")
def test_a_rebuild_losing_most_reports_keeps_the_old_warehouse(fake_raw: Path,
                                                               tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    ingest_flow(raw=str(fake_raw), db=str(db))
    before = read(db)
    empty = tmp_path / "unmounted"
    empty.mkdir()
    with pytest.raises(RebuildShrinks, match="--allow-shrink"):
        rebuild_flow(raw=str(empty), db=str(db))
    assert read(db) == before
    assert not leftovers(db)
    rebuild_flow(raw=str(empty), db=str(db), allow_shrink=True)
    assert read(db)[0]["reports"] == []


def test_samples_with_the_real_parser(tmp_path: Path) -> None:
    """The generated samples through the real parser: re-ingest is a no-op, rebuild equal."""
    synth = pytest.importorskip("xxgk.synth")
    if not hasattr(synth, "write_samples"):
        pytest.skip("xxgk.synth.write_samples not written yet")
    raw, db = tmp_path / "raw", tmp_path / "w.duckdb"
    synth.write_samples(raw)
    first = ingest_flow(raw=str(raw), db=str(db))
    assert first["files_seen"] > 0 and first["reports_loaded"] > 0
    loaded, _ = read(db)
    assert ingest_flow(raw=str(raw), db=str(db))["reports_loaded"] == 0
    assert read(db)[0] == loaded
    rebuild_flow(raw=str(raw), db=str(db))
    assert read(db)[0] == loaded
