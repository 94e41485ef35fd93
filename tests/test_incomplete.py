"""A report cut short ranks below the complete one: status `incomplete` (after checks_failed),
never `ok`, and the conflict rule keeps the complete file of the same agency and year."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from conftest import ingest_plain

from xxgk.cli import main
from xxgk.load import warehouse as wh
from xxgk.synth import generate_report
from xxgk.transform.parse import parse_bytes
from xxgk.vocabulary import STATUS_RANK

SEED = 5
"""A generated report whose first half still holds the head of table 三."""


def test_a_report_cut_in_half_is_incomplete_and_says_what_it_lacks() -> None:
    synthetic = generate_report(SEED, encoding="utf-8", broken=True)
    full = parse_bytes(synthetic.data, "full.txt")
    cut = parse_bytes(synthetic.data[:len(synthetic.data) // 2], "cut.txt")
    assert full.status == "checks_failed" and cut.status == "incomplete"
    assert (cut.agency, cut.year) == (full.agency, full.year)
    assert cut.error is not None and "s4: 15 of 15" in cut.error
    assert STATUS_RANK["checks_failed"] < STATUS_RANK["incomplete"] < STATUS_RANK["unsupported"]


def test_complete_reports_stay_ok() -> None:
    for seed in range(12):
        synthetic = generate_report(seed)
        assert parse_bytes(synthetic.data, "r.txt").status in ("ok", "checks_failed"), seed


def test_parse_json_says_incomplete(tmp_path: Path) -> None:
    path = tmp_path / "cut.txt"
    data = generate_report(SEED, encoding="utf-8").data
    path.write_bytes(data[:len(data) // 2])
    result = CliRunner().invoke(main, ["parse", str(path)])
    assert result.exit_code == 0 and json.loads(result.output)["status"] == "incomplete"


def test_the_conflict_keeps_the_complete_report(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    data = generate_report(SEED, encoding="utf-8", broken=True).data
    (raw / "a-cut.txt").write_bytes(data[:len(data) // 2])  # first by path: loses by status
    (raw / "b-complete.txt").write_bytes(data)
    con = wh.connect(tmp_path / "w.duckdb")
    try:
        ingest_plain(raw, con)
        kept = con.execute("SELECT path, status FROM reports").fetchall()
        ok = con.execute("SELECT count(*) FROM reports WHERE status = 'ok'").fetchone()
        lost = con.execute("SELECT status FROM source_files WHERE path = 'a-cut.txt'").fetchone()
    finally:
        con.close()
    assert kept == [("b-complete.txt", "checks_failed")] and ok == (0,)
    assert lost == ("incomplete",)
