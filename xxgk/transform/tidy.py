"""A batch of parse results as long pandas tables, completed against the template.

The seam between transform and load: `tidy(batch)` gives the warehouse's files, reports, facts
and checks as DataFrames named by its columns (DuckDB reads them in place). Facts are completed
by a merge with the template's cells: a cell the parser returned no fact for appears with value
NULL and flag `missing_cell`, and a duplicate (code, column) is dropped, visibly (log), so one
row per template cell per report holds whatever the parser did.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache

import pandas as pd

from xxgk.extract.discover import FoundFile
from xxgk.model import ParsedReport, TidyBatch
from xxgk.template import all_templates
from xxgk.transform.batch import Batch, Parsed
from xxgk.vocabulary import DESCRIPTIVE_FLAGS, MISSING_CELL_FLAG

log = logging.getLogger(__name__)

CELL_KEY = ["path", "code", "column_label"]
"""One fact per template cell of a report's file."""

FACT_FIELDS = {"section": "section", "code": "code", "category": "category",
               "column": "column_label", "applicant_type": "applicant_type", "value": "value",
               "unit": "unit", "raw": "raw", "flag": "flag"}
"""Fact attribute -> facts column ("column" is reserved in SQL)."""

CHECK_FIELDS = ("rule", "scope", "passed", "expected", "found", "detail")
PER_REPORT = ["agency", "year", "template", "path", "sha256", "parser_version"]
"""Columns every fact and check repeats from its report: its key and provenance."""
SPAN = ("span_start", "span_end")
"""Fact.span as two columns: [start, end) in the decoded text, NULL where no text holds it."""
_FACT_DTYPES = {"value": "Float64", "span_start": "Int64", "span_end": "Int64"}


def claim(report: ParsedReport) -> tuple[str, int] | None:
    """The (agency, year) a parse result claims, or None when it can make no report."""
    if report.status == "error" or not report.agency or report.year is None:
        return None
    return (report.agency, int(report.year))


@cache
def template_cells() -> pd.DataFrame:
    """Every cell of every template version, keyed like facts (template, code, column_label)."""
    return pd.DataFrame(
        [(t.version, c.code, c.column, c.section, c.category, c.applicant_type, c.unit or None)
         for t in all_templates() for c in t.cells],
        columns=["template", "code", "column_label", "section", "category", "applicant_type",
                 "unit"])


def _parsed_facts(reports: Sequence[ParsedReport]) -> pd.DataFrame:
    """The facts as the parser returned them, one row each, keyed by the report's path."""
    facts = [(r.file, f) for r in reports for f in r.facts]
    cols: dict[str, object] = {"path": [p for p, _ in facts]}
    for attr, name in FACT_FIELDS.items():
        cols[name] = [getattr(f, attr) for _, f in facts]
    spans = [f.span for _, f in facts]
    cols["span_start"] = [s[0] if s else None for s in spans]
    cols["span_end"] = [s[1] if s else None for s in spans]
    return _frame(cols, _FACT_DTYPES)


def _frame(cols: dict[str, object], dtypes: dict[str, str]) -> pd.DataFrame:
    """Text columns stay text even when the batch is empty (pandas would make them floats)."""
    return pd.DataFrame(cols, dtype=object).astype(dtypes)


def _drop_duplicates(facts: pd.DataFrame) -> pd.DataFrame:
    dup = facts.duplicated(CELL_KEY)
    for path, code, column in facts.loc[dup, CELL_KEY].itertuples(index=False):
        log.warning("%s: duplicate fact for %s / %s dropped", path, code, column)
    return facts[~dup]


def complete_facts(facts: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """`facts` with every template cell of every report in `reports` present exactly once."""
    facts = _drop_duplicates(facts)
    expected = reports[["path", "template"]].merge(template_cells(), on="template")
    absent = expected.merge(facts[CELL_KEY], on=CELL_KEY, how="left", indicator=True)
    absent = absent[absent["_merge"] == "left_only"].drop(columns=["_merge", "template"])
    if len(absent):
        absent = absent.assign(flag=MISSING_CELL_FLAG)
        facts = pd.concat([facts, absent], ignore_index=True)
    facts = facts.merge(reports[PER_REPORT], on="path").astype(_FACT_DTYPES)
    return facts[[*PER_REPORT[:3], *FACT_FIELDS.values(), *SPAN, *PER_REPORT[3:]]]



def is_flagged(flags: pd.Series) -> pd.Series:
    """Cells the text did not determine for certain (a flag that is not descriptive)."""
    return flags.notna() & ~flags.fillna("").str.startswith(DESCRIPTIVE_FLAGS)


def _checks(reports: Sequence[ParsedReport], per_report: pd.DataFrame) -> pd.DataFrame:
    rows = [(r.file, *(getattr(c, n) for n in CHECK_FIELDS)) for r in reports for c in r.checks]
    df = pd.DataFrame(rows, columns=["path", *CHECK_FIELDS], dtype=object).astype(
        {"passed": "boolean", "expected": "Float64", "found": "Float64"})
    return df.merge(per_report[[c for c in PER_REPORT if c != "template"]], on="path")


def _reports(reports: Sequence[ParsedReport]) -> pd.DataFrame:
    return _frame({
        "agency": [r.agency for r in reports], "year": [r.year for r in reports],
        "template": [r.template for r in reports], "status": [r.status for r in reports],
        "agency_source": [r.agency_source for r in reports],
        "year_source": [r.year_source for r in reports],
        "parser_version": [r.parser_version for r in reports],
        "path": [r.file for r in reports], "sha256": [r.source.sha256 for r in reports],
        "prose": [r.prose for r in reports],
        "check_count": [len(r.checks) for r in reports],
        "failed_checks": [sum(c.passed is False for c in r.checks) for r in reports],
    }, {"year": "Int64", "check_count": "int64", "failed_checks": "int64"})


def _counted(reports: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Each report with its fact_count and flagged_cells, counted from the completed facts."""
    counts = facts.assign(flagged=is_flagged(facts["flag"])).groupby("path").agg(
        fact_count=("code", "size"), flagged_cells=("flagged", "sum"))
    out = reports.merge(counts, left_on="path", right_index=True, how="left")
    return out.fillna({"fact_count": 0, "flagged_cells": 0})


def _files(parsed: Sequence[Parsed], reports: pd.DataFrame) -> pd.DataFrame:
    """One source_files row per parsed file; the conflict rule's inputs (claim, flagged)."""
    files = _frame({
        "path": [p.file.path for p in parsed],
        "sha256": [p.report.source.sha256 or None for p in parsed],
        "size": [p.file.size for p in parsed], "mtime_ns": [p.file.mtime_ns for p in parsed],
        "encoding": [p.report.source.encoding for p in parsed],
        "encoding_method": [p.report.source.encoding_method for p in parsed],
        "status": [p.report.status for p in parsed], "error": [p.report.error for p in parsed],
        "agency": [p.report.agency for p in parsed],
        "year": [p.report.year for p in parsed],
        "template": [p.report.template for p in parsed],
        "failed_checks": [sum(c.passed is False for c in p.report.checks) for p in parsed],
        "parser_version": [p.report.parser_version for p in parsed],
    }, {"year": "Int64", "size": "int64", "mtime_ns": "int64", "failed_checks": "int64"})
    flagged = reports.set_index("path")["flagged_cells"]
    files["flagged_cells"] = files["path"].map(flagged).astype("Int64")
    return files


def _reports_and_facts(reports: Sequence[ParsedReport]) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _reports(reports)
    return frame, complete_facts(_parsed_facts(reports), frame)


def tidy_reports(reports: Sequence[ParsedReport]) -> tuple[pd.DataFrame, pd.DataFrame,
                                                           pd.DataFrame]:
    """(reports, facts, checks) of the reports that claim an (agency, year)."""
    claiming = [r for r in reports if claim(r) is not None]
    frame, facts = _reports_and_facts(claiming)
    return _counted(frame, facts), facts, _checks(claiming, frame)


def tidy(batch: Batch) -> TidyBatch:
    """A parsed batch as the warehouse's long tables."""
    reports, facts, checks = tidy_reports([p.report for p in batch.parsed])
    return TidyBatch(files=_files(batch.parsed, reports), reports=reports, facts=facts,
                     checks=checks, unchanged=stat_frame(batch.same))


def stat_frame(files: Sequence[FoundFile]) -> pd.DataFrame:
    """Files as the warehouse records a sighting: path, size, mtime_ns."""
    return pd.DataFrame({"path": pd.Series([f.path for f in files], dtype=object),
                         "size": pd.Series([f.size for f in files], dtype="int64"),
                         "mtime_ns": pd.Series([f.mtime_ns for f in files], dtype="int64")})


def facts_frame(reports: Sequence[ParsedReport]) -> pd.DataFrame:
    """The facts of any reports (those that claim no (agency, year) too), as the warehouse
    stores them: what `xxgk parse --format csv` writes."""
    return _reports_and_facts([r for r in reports if r.status != "error"])[1]
