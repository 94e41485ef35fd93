"""ParsedReports to Arrow tables, typed to the warehouse's columns, for bulk insert.

Arrow with an explicit schema (not inferred) so that a batch whose values happen to be all
integers, all NULL or empty still lands with the warehouse's types, and DuckDB scans it
without a copy.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa

from xxgk.load.parsing import Parsed
from xxgk.model import Fact, ParsedReport
from xxgk.template import load as load_template

log = logging.getLogger(__name__)

MISSING_CELL_FLAG = "missing_cell"
"""Flag of a template cell the parser returned no fact for: the row exists, value NULL."""


def claim(report: ParsedReport) -> tuple[str, int] | None:
    """The (agency, year) a parse result claims, or None when it can make no report."""
    if report.status == "error" or not report.agency or report.year is None:
        return None
    return (report.agency, int(report.year))


def complete_facts(report: ParsedReport) -> list[Fact]:
    """The report's facts, one per template cell: duplicates dropped, absent cells added.

    The warehouse promises one row per template cell per report; a parser slip must not
    break that promise (nor the facts key), so it is repaired here, visibly (flag, log).
    """
    out: list[Fact] = []
    seen: set[tuple[str, str]] = set()
    for f in report.facts:
        key = (f.code, f.column)
        if key in seen:
            log.warning("%s: duplicate fact for %s / %s dropped", report.file, *key)
            continue
        seen.add(key)
        out.append(f)
    if report.template:
        for c in load_template(report.template).cells:
            if (c.code, c.column) not in seen:
                out.append(Fact(c.section, c.code, c.category, c.column, c.applicant_type,
                                None, c.unit or None, None, MISSING_CELL_FLAG))
    return out


def failed_count(report: ParsedReport) -> int:
    return sum(c.passed is False for c in report.checks)


SOURCE_SCHEMA = pa.schema([
    ("path", pa.string()), ("sha256", pa.string()), ("size", pa.int64()),
    ("mtime_ns", pa.int64()), ("encoding", pa.string()), ("encoding_method", pa.string()),
    ("status", pa.string()), ("error", pa.string()), ("agency", pa.string()),
    ("year", pa.int32()), ("template", pa.string()), ("flagged_cells", pa.int32()),
    ("failed_checks", pa.int32()), ("parser_version", pa.string()),
    ("missing", pa.bool_()), ("first_seen", pa.timestamp("us", tz="UTC")),
    ("last_seen", pa.timestamp("us", tz="UTC")), ("changed_at", pa.timestamp("us", tz="UTC")),
    ("last_run_id", pa.string()),
])


def source_table(parsed: Sequence[Parsed], now: datetime, run_id: str) -> pa.Table:
    """One source_files row per parsed file; rank inputs (claim, flagged) included."""
    rows = []
    for p in parsed:
        r = p.report
        key = claim(r)
        flagged = sum(f.uncertain for f in complete_facts(r)) if key else None
        rows.append({
            "path": p.file.path, "sha256": r.source.sha256 or None, "size": p.file.size,
            "mtime_ns": p.file.mtime_ns, "encoding": r.source.encoding,
            "encoding_method": r.source.encoding_method, "status": r.status, "error": r.error,
            "agency": r.agency, "year": r.year, "template": r.template,
            "flagged_cells": flagged, "failed_checks": failed_count(r),
            "parser_version": r.parser_version, "missing": False, "first_seen": now,
            "last_seen": now, "changed_at": now, "last_run_id": run_id,
        })
    return pa.Table.from_pylist(rows, schema=SOURCE_SCHEMA)


REPORT_SCHEMA = pa.schema([
    ("agency", pa.string()), ("year", pa.int32()), ("template", pa.string()),
    ("status", pa.string()), ("agency_source", pa.string()), ("year_source", pa.string()),
    ("parser_version", pa.string()), ("path", pa.string()), ("sha256", pa.string()),
    ("prose", pa.map_(pa.string(), pa.string())), ("fact_count", pa.int32()),
    ("flagged_cells", pa.int32()), ("check_count", pa.int32()), ("failed_checks", pa.int32()),
    ("loaded_at", pa.timestamp("us", tz="UTC")), ("run_id", pa.string()),
])

FACT_SCHEMA = pa.schema([
    ("agency", pa.string()), ("year", pa.int32()), ("template", pa.string()),
    ("section", pa.string()), ("code", pa.string()), ("category", pa.string()),
    ("column_label", pa.string()), ("applicant_type", pa.string()), ("value", pa.float64()),
    ("unit", pa.string()), ("raw", pa.string()), ("flag", pa.string()), ("path", pa.string()),
    ("sha256", pa.string()), ("parser_version", pa.string()),
])

CHECK_SCHEMA = pa.schema([
    ("agency", pa.string()), ("year", pa.int32()), ("rule", pa.string()), ("scope", pa.string()),
    ("passed", pa.bool_()), ("expected", pa.float64()), ("found", pa.float64()),
    ("detail", pa.string()), ("path", pa.string()), ("sha256", pa.string()),
    ("parser_version", pa.string()),
])


@dataclass(slots=True)
class ReportTables:
    reports: pa.Table
    facts: pa.Table
    checks: pa.Table


FACT_FIELDS = (("section", "section"), ("code", "code"), ("category", "category"),
               ("column_label", "column"), ("applicant_type", "applicant_type"),
               ("value", "value"), ("unit", "unit"), ("raw", "raw"), ("flag", "flag"))
CHECK_FIELDS = ("rule", "scope", "passed", "expected", "found", "detail")


def _per_report(r: ParsedReport) -> dict[str, object]:
    """Columns every fact and check of a report repeats: its key and its provenance."""
    return {"agency": r.agency, "year": r.year, "template": r.template, "path": r.file,
            "sha256": r.source.sha256, "parser_version": r.parser_version}


def report_tables(reports: Sequence[ParsedReport], now: datetime, run_id: str) -> ReportTables:
    """The reports, facts and checks rows of reports that won their (agency, year).

    Built column by column (a batch holds some 200 000 facts: row dicts would dominate the
    load time); Arrow converts ints to the DOUBLE value column itself.
    """
    rep_rows = []
    fact_cols: dict[str, list] = {n: [] for n in FACT_SCHEMA.names}
    check_cols: dict[str, list] = {n: [] for n in CHECK_SCHEMA.names}
    for r in reports:
        facts = complete_facts(r)
        rep_rows.append({
            "agency": r.agency, "year": r.year, "template": r.template, "status": r.status,
            "agency_source": r.agency_source, "year_source": r.year_source,
            "parser_version": r.parser_version, "path": r.file, "sha256": r.source.sha256,
            "prose": list(r.prose.items()), "fact_count": len(facts),
            "flagged_cells": sum(f.uncertain for f in facts),
            "check_count": len(r.checks), "failed_checks": failed_count(r),
            "loaded_at": now, "run_id": run_id,
        })
        shared = _per_report(r)
        for name, value in shared.items():
            fact_cols[name].extend([value] * len(facts))
            if name in check_cols:
                check_cols[name].extend([value] * len(r.checks))
        for name, attr in FACT_FIELDS:
            fact_cols[name].extend([getattr(f, attr) for f in facts])
        for name in CHECK_FIELDS:
            check_cols[name].extend([getattr(c, name) for c in r.checks])
    return ReportTables(
        reports=pa.Table.from_pylist(rep_rows, schema=REPORT_SCHEMA),
        facts=pa.table(fact_cols, schema=FACT_SCHEMA),
        checks=pa.table(check_cols, schema=CHECK_SCHEMA),
    )
