"""The warehouse's plain functions, without Prefect: schema, upsert, replace, conflicts,
missing and failed files, one transaction per batch."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from conftest import bump_mtime, ingest_plain, snapshot, write_fake

from xxgk.extract.discover import scan
from xxgk.load import warehouse as wh
from xxgk.load.schema import SCHEMA_VERSION, SchemaMismatch
from xxgk.template import all_templates
from xxgk.transform import batch as parsing
from xxgk.transform import tidy
from xxgk.vocabulary import MISSING_CELL_FLAG

pytestmark = pytest.mark.usefixtures("fake_parser")

B_2021 = ("乙市教育局", 2021)


@pytest.fixture
def con(tmp_path: Path):
    c = wh.connect(tmp_path / "w.duckdb")
    yield c
    c.close()


def reports(con) -> dict[tuple[str, int], str]:
    return dict(((a, y), p) for a, y, p in con.execute(
        "SELECT agency, year, path FROM reports").fetchall())


def test_schema_is_idempotent_and_built_from_the_template(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    for _ in range(2):
        wh.connect(db).close()
    con = wh.connect(db, read_only=True)
    cells = sum(len(t.printable_cells) for t in all_templates())  # variants' cells too
    assert con.execute("SELECT count(*) FROM template_cells").fetchall() == [(cells,)]
    assert con.execute("SELECT value FROM warehouse_meta WHERE key = 'schema_version'"
                       ).fetchall() == [(SCHEMA_VERSION,)]
    comments = dict(con.execute("SELECT column_name, comment FROM duckdb_columns() "
                                "WHERE table_name = 'facts'").fetchall())
    assert all(comments[c] for c in ("code", "applicant_type", "section", "value", "sha256"))
    assert all(a in comments["applicant_type"] for t in all_templates() for a in t.applicants)
    con.close()


def test_a_warehouse_of_another_schema_version_asks_for_a_rebuild(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    con = wh.connect(db)
    con.execute("UPDATE warehouse_meta SET value = '0'")
    con.close()
    with pytest.raises(SchemaMismatch, match="xxgk rebuild"):
        wh.connect(db)


def test_ingest_loads_one_report_per_agency_year_and_every_file(con, fake_raw: Path) -> None:
    ingest_plain(fake_raw, con)
    assert reports(con) == {("甲县人民政府", 2020): "a/2020.txt",
                            ("甲县人民政府", 2021): "a/2021.txt",
                            B_2021: "b/2021-copy.txt",
                            ("丙区卫健委", 2022): "c/2022"}
    cells = {t.version: len(t.cells) for t in all_templates()}
    assert con.execute("SELECT count(*) FROM facts").fetchall() == [(cells["2019"]
                                                                     + 3 * cells["2021"],)]
    assert con.execute("SELECT count(*) FROM (SELECT agency, year, code, column_label "
                       "FROM facts GROUP BY ALL HAVING count(*) > 1)").fetchall() == [(0,)]
    files = dict(con.execute("SELECT path, role FROM files").fetchall())
    assert files == {"a/2020.txt": "report", "a/2021.txt": "report", "b/2021-copy.txt": "report",
                     "b/2021.md": "conflict", "c/2022": "report", "c/broken.txt": "failed"}
    assert con.execute("SELECT error FROM source_files WHERE path = 'c/broken.txt'"
                       ).fetchall() == [("not a report",)]
    # the report's counts agree with its rows
    assert con.execute("SELECT fact_count, flagged_cells FROM reports WHERE path = "
                       "'b/2021-copy.txt'").fetchall() == [(cells["2021"], 2)]


def test_reingest_reads_nothing_and_changes_nothing(con, fake_raw: Path) -> None:
    ingest_plain(fake_raw, con)
    before = snapshot(con)
    assert ingest_plain(fake_raw, con) == {"parsed": 0, "missing": 0, "unchanged": 6}
    assert snapshot(con) == before


def test_touched_but_identical_file_is_hashed_not_parsed(con, fake_raw: Path) -> None:
    ingest_plain(fake_raw, con)
    bump_mtime(fake_raw / "a/2021.txt")
    assert ingest_plain(fake_raw, con)["parsed"] == 0


def test_changed_file_replaces_its_facts_and_checks(con, fake_raw: Path) -> None:
    ingest_plain(fake_raw, con)
    key = "agency = '甲县人民政府' AND year = 2021"
    old = con.execute(f"SELECT sum(value), count(*) FROM facts WHERE {key}").fetchall()
    path = write_fake(fake_raw, "a/2021.txt", "甲县人民政府", 2021, seed=5, status="checks_failed")
    bump_mtime(path)
    assert ingest_plain(fake_raw, con)["parsed"] == 1
    new = con.execute(f"SELECT sum(value), count(*) FROM facts WHERE {key}").fetchall()
    assert new[0][1] == old[0][1] and new != old
    assert con.execute(f"SELECT status, failed_checks FROM reports WHERE {key}"
                       ).fetchall() == [("checks_failed", 1)]
    assert con.execute(f"SELECT count(*) FROM checks WHERE {key} AND NOT passed"
                       ).fetchall() == [(1,)]


def test_a_failed_batch_leaves_the_warehouse_as_it_was(con, fake_raw: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_plain(fake_raw, con)
    before = snapshot(con)
    bump_mtime(write_fake(fake_raw, "a/2021.txt", "甲县人民政府", 2021, seed=9))

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("xxgk.load.batch_load._replace", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        ingest_plain(fake_raw, con)
    assert snapshot(con) == before


CLAIMANTS = {  # three files claiming one (agency, year), best first by the rule
    "x/ok-clean.txt": {"seed": 1},
    "x/ok-flagged.txt": {"seed": 2, "flagged": 3},
    "w/failed-checks.txt": {"seed": 3, "status": "checks_failed"},
}


def ingested_claimants(tmp_path: Path):
    """The claimants in a raw folder, ingested into a warehouse: (raw, connection)."""
    raw = tmp_path / "raw"
    for name, fields in CLAIMANTS.items():
        write_fake(raw, name, *B_2021, **fields)
    con = wh.connect(tmp_path / "w.duckdb")
    ingest_plain(raw, con)
    return raw, con


@pytest.mark.parametrize("order", list(itertools.permutations(CLAIMANTS)))
def test_conflict_rule_does_not_depend_on_arrival_order(tmp_path: Path, order: tuple) -> None:
    """Files arrive one per run in every order; the result is always the same."""
    raw = tmp_path / "raw"
    con = wh.connect(tmp_path / "w.duckdb")
    for name in order:
        write_fake(raw, name, *B_2021, **CLAIMANTS[name])
        ingest_plain(raw, con)
    incremental = snapshot(con)
    con.close()
    fresh = wh.connect(tmp_path / "fresh.duckdb")
    ingest_plain(raw, fresh, batch_size=1, order=lambda fs: fs[::-1])
    assert snapshot(fresh) == incremental
    assert reports(fresh) == {B_2021: "x/ok-clean.txt"}
    assert dict(fresh.execute("SELECT other_path, reason FROM conflicts").fetchall()) == {
        "x/ok-flagged.txt": "fewer flagged cells (0 < 3)",
        "w/failed-checks.txt": "status ok beats checks_failed"}
    fresh.close()


def test_when_the_kept_file_gets_worse_the_next_best_takes_over(tmp_path: Path) -> None:
    raw, con = ingested_claimants(tmp_path)
    bump_mtime(write_fake(raw, "x/ok-clean.txt", *B_2021, seed=1, flagged=9))
    ingest_plain(raw, con)
    assert reports(con) == {B_2021: "x/ok-flagged.txt"}
    fresh = wh.connect(tmp_path / "fresh.duckdb")
    ingest_plain(raw, fresh)
    assert snapshot(fresh) == snapshot(con)


def test_a_file_turning_into_an_error_takes_its_report_away(con, fake_raw: Path) -> None:
    ingest_plain(fake_raw, con)
    path = fake_raw / "c/2022"
    path.write_bytes(b"\xff garbage")
    bump_mtime(path)
    ingest_plain(fake_raw, con)
    assert ("丙区卫健委", 2022) not in reports(con)
    assert con.execute("SELECT count(*) FROM facts WHERE agency = '丙区卫健委'"
                       ).fetchall() == [(0,)]
    assert con.execute("SELECT status FROM source_files WHERE path = 'c/2022'"
                       ).fetchall() == [("error",)]


def test_removed_file_is_marked_missing_and_its_report_kept(con, fake_raw: Path) -> None:
    ingest_plain(fake_raw, con)
    (fake_raw / "a/2020.txt").unlink()
    assert ingest_plain(fake_raw, con)["missing"] == 1
    assert reports(con)[("甲县人民政府", 2020)] == "a/2020.txt"
    assert con.execute("SELECT missing FROM source_files WHERE path = 'a/2020.txt'"
                       ).fetchall() == [(True,)]
    # marked once: the next run does not count it again
    assert ingest_plain(fake_raw, con)["missing"] == 0
    # a present file claiming the same report replaces the missing one's
    write_fake(fake_raw, "a/2020-new.txt", "甲县人民政府", 2020, template="2019", seed=8)
    ingest_plain(fake_raw, con)
    assert reports(con)[("甲县人民政府", 2020)] == "a/2020-new.txt"


def test_a_file_that_comes_back_competes_again(tmp_path: Path) -> None:
    raw, con = ingested_claimants(tmp_path)
    kept = raw / "x/ok-clean.txt"
    aside = tmp_path / "aside.txt"
    kept.rename(aside)
    ingest_plain(raw, con)
    bump_mtime(write_fake(raw, "x/ok-flagged.txt", *B_2021, seed=2, flagged=2))
    ingest_plain(raw, con)
    assert reports(con) == {B_2021: "x/ok-flagged.txt"}
    aside.rename(kept)
    ingest_plain(raw, con)
    assert reports(con) == {B_2021: "x/ok-clean.txt"}


def test_scan_finds_report_files_only(fake_raw: Path) -> None:
    (fake_raw / ".hidden").mkdir()
    (fake_raw / ".hidden" / "x.txt").write_text("agency=x\n")
    (fake_raw / "c" / "utf16").write_bytes("agency=乙".encode("utf-16"))
    assert [f.path for f in scan(fake_raw)] == [
        "a/2020.txt", "a/2021.txt", "b/2021-copy.txt", "b/2021.md", "c/2022", "c/broken.txt",
        "c/utf16"]


def test_missing_cells_are_added_and_duplicates_dropped(fake_parser) -> None:
    report = fake_parser(b"agency=a\nyear=2021\n", "x.txt")
    dup, dropped = report.facts[0], report.facts[1]
    report.facts = [dup, dup, *report.facts[2:]]
    facts = tidy.facts_frame([report])
    assert len(facts) == len(report.facts)
    assert not facts.duplicated(["code", "column_label"]).any()
    missing = facts[facts["flag"] == MISSING_CELL_FLAG]
    assert list(missing["code"]) == [dropped.code] and missing["value"].isna().all()


def test_facts_carry_the_span_of_their_cell(fake_parser) -> None:
    report = fake_parser(b"agency=a\nyear=2021\n", "x.txt")
    report.facts[0].span = (10, 13)
    facts = tidy.facts_frame([report])
    first = facts[facts["code"] == report.facts[0].code].iloc[0]
    assert (first["span_start"], first["span_end"]) == (10, 13)
    assert facts["span_start"].isna().sum() == len(facts) - 1


def test_parsing_in_worker_processes_gives_what_parsing_in_process_gives(
        fake_raw: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # workers run the real parser: so must the comparison
    monkeypatch.setattr(parsing, "POOL_THRESHOLD", 1)
    files = scan(fake_raw)
    serial = parsing.parse_batch(str(fake_raw), files, {})
    with parsing.parse_pool(2) as pool:
        pooled = parsing.parse_batch(str(fake_raw), files, {}, pool)
    assert [p.report.to_dict() for p in pooled.parsed] == \
        [p.report.to_dict() for p in serial.parsed]
    known = {p.file.path: p.report.source.sha256 for p in serial.parsed}
    assert parsing.parse_batch(str(fake_raw), files, known).same == files


RUN_COLUMNS = {"source_files": {"missing", "first_seen", "last_seen", "changed_at",
                                "last_run_id"},
               "reports": {"loaded_at", "run_id"}, "facts": set(), "checks": set()}
"""Columns the loader adds from the run itself; every other column comes from the frames."""


def test_the_tidy_frames_are_the_tables_columns(con, fake_raw: Path) -> None:
    """The DDL is the one list of columns: the frames give exactly the rest of them."""
    batch = tidy.tidy(parsing.parse_batch(str(fake_raw), scan(fake_raw), {}))
    frames = {"source_files": batch.files, "reports": batch.reports, "facts": batch.facts,
              "checks": batch.checks}
    for table, frame in frames.items():
        assert set(frame.columns) == set(wh.columns(con, table)) - RUN_COLUMNS[table], table


def test_the_loader_reads_no_file_and_names_the_winner_to_read(tmp_path: Path) -> None:
    """A loser that now wins is not in the batch: the loader lists it, the flow reads it."""
    from xxgk.load.batch_load import load_batch
    from xxgk.load.conflicts import winners_not_loaded

    raw, con = ingested_claimants(tmp_path)
    bump_mtime(write_fake(raw, "x/ok-clean.txt", *B_2021, seed=1, flagged=9))
    changed = [f for f in scan(raw) if f.path == "x/ok-clean.txt"]
    load_batch(con, tidy.tidy(parsing.parse_batch(str(raw), changed, {})), "test")
    assert winners_not_loaded(con) == ["x/ok-flagged.txt"]
    again = [f for f in scan(raw) if f.path == "x/ok-flagged.txt"]
    load_batch(con, tidy.tidy(parsing.parse_batch(str(raw), again, {})), "test")
    assert winners_not_loaded(con) == []
    assert reports(con) == {B_2021: "x/ok-flagged.txt"}
