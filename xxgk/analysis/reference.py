"""The analyst reference tables, built from the template data and analysis.toml, and the views
of sql/analyst.sql over them.

Nothing here names a code or a label: harmonised codes, outcome groups, cross-year rules, the
headline figures and the prose numbers all come from xxgk.template's data files, so the views
follow the templates when they change.
"""

from __future__ import annotations

import csv
import fnmatch
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from xxgk.load.db import registered
from xxgk.load.schema import quote
from xxgk.template import Template, all_templates

ALIASES_FILE = "agency_aliases.csv"
"""The agency alias CSV, read from the warehouse file's folder (data/ by default)."""

PASSED_THROUGH = {"files": "source_files", "problem_files": "files",
                  "latest_runs": "ingestion_runs", "failed_checks": "checks",
                  "report_summary": "reports", "facts_by_code": "facts"}
"""Views whose columns without a comment of their own carry a table's column unchanged."""


@dataclass(frozen=True)
class Headline:
    name: str
    codes: tuple[str, ...]
    words: str


@cache
def analysis_data() -> dict:
    """xxgk/template/analysis.toml, parsed."""
    text = resources.files("xxgk.template").joinpath("analysis.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def headlines() -> tuple[Headline, ...]:
    return tuple(Headline(h["name"], tuple(h["codes"]), h["words"])
                 for h in analysis_data()["headline"])


def harmonised(code: str, version: str, templates: tuple[Template, ...]) -> str:
    """The code a cell is compared under across versions: a row another version prints as one
    row where this one splits it (2019 `s3.other`, 2021 `s3.other.*`) takes that row's code."""
    parent = code.rsplit(".", 1)[0]
    for t in templates:
        codes = {c.code for c in t.cells}
        if t.version != version and parent in codes and code not in codes:
            return parent
    return code


def _outcome_codes(t: Template) -> set[str]:
    """The codes summed into the decided total (the identities whose left side is it)."""
    decided = next(h for h in headlines() if h.name == "decided").codes
    return {code for i in t.identities if [k[0] for k in i.left] == list(decided)
            for code, _ in i.right if code not in decided}


def _outcome_group(code: str) -> str | None:
    return next((h.name for h in headlines()
                 if any(fnmatch.fnmatchcase(code, p) for p in h.codes)), None)


def _group_label(group: str, templates: tuple[Template, ...]) -> str:
    """The printed words of a group: the row carrying its code, else its rows' shared parent."""
    patterns = next(h.codes for h in headlines() if h.name == group)
    rows = [r for t in templates for r in t.rows
            if r.code and any(fnmatch.fnmatchcase(r.code, p) for p in patterns)]
    exact = [r for r in rows if r.code in patterns]
    return (exact[0].label if exact else rows[0].parent).split("(")[0]


def describe(code: str) -> str:
    """An English description read off the code's own words: `s3.withheld.state_secret` ->
    'withheld: state secret'."""
    words = [w.replace("_", " ") for w in code.split(".")[1:]]
    return ": ".join(words)


def codes_table(templates: tuple[Template, ...]) -> pa.Table:
    """analysis_codes: every cell code of every version, harmonised, with its kind and group."""
    money = analysis_data()["money"]["factors"]
    rows = []
    for t in templates:
        outcomes = _outcome_codes(t).union(*(_outcome_codes(v) for v in t.variants))
        for c in {c.code: c for c in t.printable_cells}.values():
            h = harmonised(c.code, t.version, templates)
            group = _outcome_group(h) if c.code in outcomes else None
            rows.append({
                "version": t.version, "code": c.code, "harmonised_code": h,
                "kind": "amount" if c.unit == "" or c.unit in money else "count",
                "outcome_group": group,
                "outcome_label": _group_label(group, templates) if group else None,
                "description": describe(c.code),
            })
    return pa.Table.from_pylist(rows)


def _cross_year_table(templates: tuple[Template, ...]) -> pa.Table:
    rows = [{"version": t.version, "rule": r.rule, "text": r.text, "target": r.target,
             "source": r.source, "plus": r.plus, "minus": r.minus}
            for t in templates for r in t.cross_year]
    return pa.Table.from_pylist(rows, schema=pa.schema(
        [(n, pa.string()) for n in ("version", "rule", "text", "target", "source", "plus",
                                     "minus")]))


def _headline_table() -> pa.Table:
    rows = [{"position": i, "name": h.name, "code_pattern": p, "words": h.words}
            for i, h in enumerate(headlines()) for p in h.codes]
    return pa.Table.from_pylist(rows)


def _prose_table() -> pa.Table:
    names = ("name", "prose_part", "pattern", "figure", "words")
    rows = [{n: p.get(n) for n in names} for p in analysis_data()["prose_number"]]
    return pa.Table.from_pylist(rows, schema=pa.schema([(n, pa.string()) for n in names]))


def _applicants_table(templates: tuple[Template, ...]) -> pa.Table:
    """Applicant columns per version, in print order; is_total marks `total_applicant`."""
    rows = [{"version": t.version, "applicant_type": a, "position": i,
             "is_total": a == t.total_applicant}
            for t in templates for i, a in enumerate(t.applicants)]
    return pa.Table.from_pylist(rows)


def _money_table() -> pa.Table:
    money = analysis_data()["money"]
    return pa.table({"unit": list(money["factors"]),
                     "factor": [float(f) for f in money["factors"].values()],
                     "to_unit": [money["unit"]] * len(money["factors"])})


def _year(text: str) -> int | None:
    return int(text) if text.strip() else None


def read_aliases(path: Path) -> pa.Table:
    """The alias CSV (canonical, alias, first_year, last_year; blank years: every year)."""
    rows = []
    if path.is_file():
        with path.open(encoding="utf-8-sig", newline="") as f:
            rows = [{"canonical": r["canonical"].strip(), "alias": r["alias"].strip(),
                     "first_year": _year(r.get("first_year") or ""),
                     "last_year": _year(r.get("last_year") or "")}
                    for r in csv.DictReader(f) if r.get("alias")]
    return pa.Table.from_pylist(rows, schema=pa.schema([
        ("canonical", pa.string()), ("alias", pa.string()), ("first_year", pa.int32()),
        ("last_year", pa.int32())]))


def aliases_path(con: duckdb.DuckDBPyConnection) -> Path | None:
    """agency_aliases.csv beside the warehouse file (None for an in-memory warehouse)."""
    rows = con.execute("SELECT path FROM duckdb_databases() "
                       "WHERE database_name = current_database()").fetchall()
    return Path(rows[0][0]).parent / ALIASES_FILE if rows and rows[0][0] else None


def reference_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pa.Table]:
    templates = all_templates()
    path = aliases_path(con)
    return {
        "analysis_codes": codes_table(templates),
        "template_cross_year": _cross_year_table(templates),
        "template_applicants": _applicants_table(templates),
        "headline_figures": _headline_table(),
        "prose_patterns": _prose_table(),
        "money_units": _money_table(),
        "agency_aliases": read_aliases(path) if path else read_aliases(Path("/nonexistent")),
    }


def headline_columns() -> str:
    """The report_headline columns: one BIGINT per headline figure, NULL when a cell it sums
    is undetermined."""
    return "".join(
        f"CASE WHEN bool_or(x.name = '{h.name}' AND x.value IS NULL) THEN NULL "
        f"ELSE sum(x.value) FILTER (WHERE x.name = '{h.name}') END::BIGINT AS {h.name},\n    "
        for h in headlines())


def sql_text() -> str:
    money = analysis_data()["money"]
    return (resources.files("xxgk.sql").joinpath("analyst.sql").read_text(encoding="utf-8")
            .replace("/*HEADLINE_COLUMNS*/", headline_columns())
            .replace("/*HEADLINE_NAMES*/", ", ".join(h.name for h in headlines()))
            .replace("amount_in_money_unit", money["column"]))


def apply(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)build the analyst reference tables and views; runs inside schema.apply."""
    for name, table in reference_tables(con).items():
        with registered(con, "_ref", table):
            con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM _ref")
    con.execute(sql_text())
    _comment(con)
    _record_versions(con)


def _comment(con: duckdb.DuckDBPyConnection) -> None:
    """Comments the SQL files cannot state: the loader's columns (comments.sql), the columns
    made from the template data, and those views pass through."""
    con.execute(resources.files("xxgk.sql").joinpath("comments.sql").read_text(encoding="utf-8"))
    for h in headlines():
        con.execute(f"COMMENT ON COLUMN report_headline.{h.name} IS "
                    + quote(f"{h.words}: sum of {', '.join(h.codes)} (BIGINT; NULL when a "
                            "cell summed is undetermined)."))
    for code, label in con.execute(
            "SELECT DISTINCT code, first(category ORDER BY version DESC) FROM template_cells "
            "GROUP BY code").fetchall():
        column = code.replace(".", "_")
        if con.execute("SELECT 1 FROM duckdb_columns() WHERE table_name = 'report_summary' "
                       "AND column_name = ?", [column]).fetchall():
            con.execute(f"COMMENT ON COLUMN report_summary.{column} IS "
                        + quote(f"{label} ({code}), total column (BIGINT)."))
    for view, table in PASSED_THROUGH.items():
        for column, text in con.execute(
                "SELECT v.column_name, t.comment FROM duckdb_columns() v JOIN duckdb_columns() t "
                "ON t.table_name = ? AND t.column_name = v.column_name "
                "WHERE v.table_name = ? AND v.comment IS NULL AND t.comment IS NOT NULL",
                [table, view]).fetchall():
            con.execute(f"COMMENT ON COLUMN {view}.{column} IS {quote(text)}")


def _record_versions(con: duckdb.DuckDBPyConnection) -> None:
    """warehouse_meta: the DuckDB that last wrote the file and the file's storage format."""
    tags = con.execute("SELECT tags FROM duckdb_databases() "
                       "WHERE database_name = current_database()").fetchall()
    meta = {"duckdb_version": duckdb.__version__,
            "storage_version": (tags[0][0] or {}).get("storage_version", "unknown")}
    for key, value in meta.items():
        con.execute("INSERT OR REPLACE INTO warehouse_meta VALUES (?, ?)", [key, value])


__all__ = ["ALIASES_FILE", "apply", "describe", "harmonised", "headlines", "read_aliases"]
