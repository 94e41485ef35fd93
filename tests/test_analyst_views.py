"""The analyst views (sql/analyst.sql) on the samples and on generated series with planted
cross-year breaks."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from analyst_corpus import SAMPLES, planted_corpus, sample_warehouse, warehouse_of

from xxgk.analysis.reference import headlines

ANALYST_VIEWS = ("agency_names", "unmapped_agencies", "facts_harmonised", "amounts",
                 "report_headline", "headline_long", "outcome_mix", "applicant_mix",
                 "year_over_year", "series_gaps", "cross_year_checks", "cross_year_breaks",
                 "prose_numbers", "prose_vs_table", "report_quality")


@pytest.fixture(scope="module")
def samples(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    db = sample_warehouse(tmp_path_factory.mktemp("samples"))
    con = duckdb.connect(str(db), read_only=True)
    yield con
    con.close()


def test_every_analyst_view_and_column_has_a_comment(samples) -> None:
    views = dict(samples.execute("SELECT view_name, comment FROM duckdb_views() "
                                 "WHERE NOT internal").fetchall())
    assert all(views.get(v) for v in ANALYST_VIEWS), [v for v in ANALYST_VIEWS if not views.get(v)]
    bare = samples.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE comment IS NULL "
        f"AND table_name IN ({', '.join(repr(v) for v in ANALYST_VIEWS)})").fetchall()
    assert bare == []


def test_counts_are_bigint_in_what_analysts_see(samples) -> None:
    types = dict(samples.execute(
        "SELECT column_name, data_type FROM duckdb_columns() "
        "WHERE table_name = 'report_headline'").fetchall())
    assert all(types[h.name] == "BIGINT" for h in headlines())
    assert types["share_granted"] == "DOUBLE"


def test_other_handled_is_one_figure_across_2019_and_2021(samples) -> None:
    rows = samples.execute("""
        SELECT h.other_handled, coalesce(sum(f.value), 0)::BIGINT,
               bool_or(f.value IS NULL AND NOT coalesce(k.descriptive, false))
        FROM report_headline h JOIN facts f ON f.agency = h.agency AND f.year = h.year
        LEFT JOIN flag_kinds k ON k.kind = split_part(f.flag, ':', 1)
        WHERE f.code LIKE 's3.other%' AND f.applicant_type = '总计'
        GROUP BY h.agency, h.year, h.other_handled, h.template""").fetchall()
    assert len(rows) > 30
    # blank cells count as 0, as in the identities; an undetermined cell leaves it undetermined
    assert all(figure == total for figure, total, undetermined in rows if not undetermined)
    assert all(figure is None for figure, _, undetermined in rows if undetermined)


def test_headline_decided_equals_its_outcome_groups(samples) -> None:
    """The outcome groups partition the decided total (identity I2 where it passed)."""
    rows = samples.execute("""
        SELECT h.decided, granted + partially_granted + withheld + unavailable + not_handled
               + other_handled, (SELECT sum(requests) FROM outcome_mix m
                                 WHERE m.canonical_agency = h.canonical_agency AND m.year = h.year)
        FROM report_headline h WHERE status = 'ok' AND withheld IS NOT NULL
          AND unavailable IS NOT NULL AND not_handled IS NOT NULL AND other_handled IS NOT NULL
          AND granted IS NOT NULL AND partially_granted IS NOT NULL""").fetchall()
    assert len(rows) > 10
    assert all(d == s == m for d, s, m in rows)


def test_amounts_keep_the_printed_unit_and_normalise_to_one(samples) -> None:
    rows = samples.execute("SELECT amount_as_printed, unit_as_printed, amount_wanyuan "
                           "FROM amounts WHERE amount_as_printed IS NOT NULL").fetchall()
    units = {u for _, u, _ in rows}
    assert {"元", "万元"} <= units
    for printed, unit, normalised in rows:
        assert normalised == pytest.approx(printed / 10_000 if unit == "元" else printed)


def test_gaps_are_listed_not_skipped(samples) -> None:
    gaps = samples.execute("SELECT canonical_agency, missing_year FROM series_gaps").fetchall()
    assert gaps == [("西川市市场监督管理局", 2018), ("西川市市场监督管理局", 2019)]
    yoy = samples.execute("SELECT previous_value FROM year_over_year WHERE canonical_agency = "
                          "'西川市市场监督管理局' AND year = 2020").fetchall()
    assert yoy and all(v is None for (v,) in yoy)


def test_the_consistent_samples_break_no_cross_year_rule(samples) -> None:
    checked = samples.execute("SELECT count(*) FROM cross_year_checks WHERE passed").fetchall()
    assert checked[0][0] > 100
    assert samples.execute("SELECT count(*) FROM cross_year_breaks").fetchall() == [(0,)]


def test_data_quality_names_failed_rules_and_flags(samples) -> None:
    row = samples.execute("SELECT failed_rules FROM report_quality "
                          "WHERE status = 'checks_failed'").fetchall()
    assert row and all(r and any(x.startswith("I2") for x in r) for (r,) in row)
    kinds = samples.execute("SELECT DISTINCT unnest(map_keys(flags_by_kind)) "
                            "FROM report_quality").fetchall()
    assert ("blank",) in kinds


PLANTED = {("甲县人民政府", 2021): "X1", ("甲县人民政府", 2023): "X2",
           ("乙市教育局", 2022): "X2", ("乙市教育局", 2024): "X1"}


def test_planted_cross_year_breaks_are_listed_exactly(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    planted_corpus(raw, ("甲县人民政府", "乙市教育局"), range(2019, 2025), PLANTED, seed=7)
    con = duckdb.connect(str(warehouse_of(raw, tmp_path / "w.duckdb")), read_only=True)
    found = con.execute("SELECT DISTINCT agency, year, rule FROM cross_year_breaks").fetchall()
    both = con.execute("SELECT count(*) FROM cross_year_breaks "
                       "WHERE expected IS NULL OR found IS NULL OR difference = 0").fetchall()
    con.close()
    assert {(a, y): r for a, y, r in found} == PLANTED and len(found) == len(PLANTED)
    assert both == [(0,)]


def test_aliases_join_one_agency_under_two_names(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    planted_corpus(raw, ("丙区卫健委",), range(2021, 2024), {}, seed=3)
    renamed = raw / "丙区卫健委_2023.txt"
    text = renamed.read_bytes().replace("丙区卫健委".encode(), "丙区卫生健康委员会".encode())
    renamed.unlink()
    (raw / "丙区卫生健康委员会_2023.txt").write_bytes(text)
    (tmp_path / "agency_aliases.csv").write_text(
        "canonical,alias,first_year,last_year\n丙区卫健委,丙区卫生健康委员会,2023,\n",
        encoding="utf-8")
    con = duckdb.connect(str(warehouse_of(raw, tmp_path / "w.duckdb")), read_only=True)
    names = con.execute("SELECT DISTINCT canonical_agency FROM report_headline").fetchall()
    checked = con.execute("SELECT DISTINCT year FROM cross_year_checks ORDER BY 1").fetchall()
    unmapped = con.execute("SELECT count(*) FROM unmapped_agencies").fetchall()
    con.close()
    assert names == [("丙区卫健委",)]
    assert checked == [(2022,), (2023,)]  # the renamed year is checked against the old name
    assert unmapped == [(0,)]


def test_a_prose_number_that_differs_from_the_table_is_listed(tmp_path: Path) -> None:
    pattern = re.compile(r"(收到政府信息公开申请)(\d+)(件)")
    source = next(p for p in sorted(SAMPLES.iterdir())
                  if pattern.search(p.read_bytes().decode("utf-8", errors="replace")))
    raw = tmp_path / "raw"
    raw.mkdir()
    text = source.read_bytes().decode("utf-8")
    printed = int(pattern.search(text)[2])
    (raw / source.name).write_bytes(
        pattern.sub(lambda m: f"{m[1]}{printed + 7}{m[3]}", text, count=1).encode("utf-8"))
    con = duckdb.connect(str(warehouse_of(raw, tmp_path / "w.duckdb")), read_only=True)
    rows = con.execute("SELECT name, prose_value, table_value FROM prose_vs_table").fetchall()
    con.close()
    assert rows == [("requests_received", printed + 7, printed)]
