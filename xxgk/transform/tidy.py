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
from operator import attrgetter

import numpy as np
import pandas as pd
import pyarrow as pa

from xxgk.extract.discover import FoundFile
from xxgk.model import Fact, ParsedReport, TidyBatch
from xxgk.template import all_templates
from xxgk.template import load as load_template
from xxgk.transform.batch import Batch, Parsed
from xxgk.vocabulary import MISSING_CELL_FLAG, claim_order

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


_FACT_ATTRS = attrgetter(*FACT_FIELDS, "span")


def _parsed_facts(reports: Sequence[ParsedReport], frame: pd.DataFrame) -> pd.DataFrame:
    """The facts as the parser returned them, one row each, with their report's columns.

    Built column-wise in C (attrgetter, zip, repeat): a batch holds some 250 000 facts.
    """
    facts = [f for r in reports for f in r.facts]
    names = [*FACT_FIELDS.values(), "span"]
    cols: dict[str, object] = dict(zip(names, zip(*map(_FACT_ATTRS, facts), strict=True),
                                       strict=True)) if facts else dict.fromkeys(names, ())
    spans = cols.pop("span")
    cols["span_start"] = [s[0] if s else None for s in spans]  # type: ignore[attr-defined]
    cols["span_end"] = [s[1] if s else None for s in spans]  # type: ignore[attr-defined]
    counts = [len(r.facts) for r in reports]
    for name in PER_REPORT:
        cols[name] = np.repeat(frame[name].to_numpy(dtype=object), counts)
    return _frame(cols, _FACT_DTYPES)


def _frame(cols: dict[str, object], dtypes: dict[str, str]) -> pd.DataFrame:
    """Text columns stay text even when the batch is empty (pandas would make them floats)."""
    empty = not any(len(c) for c in cols.values())  # type: ignore[arg-type]
    return pd.DataFrame(cols, dtype=object if empty else None).astype(dtypes)


def _drop_duplicates(facts: pd.DataFrame) -> pd.DataFrame:
    dup = facts.duplicated(CELL_KEY)
    for path, code, column in facts.loc[dup, CELL_KEY].itertuples(index=False):
        log.warning("%s: duplicate fact for %s / %s dropped", path, code, column)
    return facts[~dup]


def complete_facts(facts: pd.DataFrame, reports: pd.DataFrame) -> pd.DataFrame:
    """`facts` with every template cell of every report in `reports` present exactly once:
    a merge of the reports' template cells with the facts; the cells only the template has
    are added with value NULL and flag `missing_cell`."""
    facts = _drop_duplicates(facts)
    expected = reports[PER_REPORT].merge(template_cells(), on="template")
    absent = expected.merge(facts[CELL_KEY], on=CELL_KEY, how="left", indicator=True)
    absent = absent[absent["_merge"] == "left_only"].drop(columns=["_merge"])
    if len(absent):
        facts = pd.concat([facts, absent.assign(flag=MISSING_CELL_FLAG)], ignore_index=True)
    facts = facts.astype(_FACT_DTYPES)
    return facts[[*PER_REPORT[:3], *FACT_FIELDS.values(), *SPAN, *PER_REPORT[3:]]]


def flagged_cells(report: ParsedReport) -> int:
    """Cells of the completed facts the text did not determine for certain: the parser's
    uncertain facts (a duplicate counted once, as complete_facts keeps the first) and the
    template cells it returned nothing for (flagged missing_cell)."""
    first: dict[tuple[str, str], Fact] = {}
    for f in report.facts:
        first.setdefault((f.code, f.column), f)
    cells = load_template(report.template).cells if report.template else ()
    return (sum(f.uncertain for f in first.values())
            + sum((c.code, c.column) not in first for c in cells))


def batch_winners(claiming: Sequence[ParsedReport], flagged: dict[str, int]) -> list[ParsedReport]:
    """The best claimant in the batch of each (agency, year), by the conflict rule: the others
    lose to it whatever the warehouse holds, so their facts are never needed."""
    best: dict[tuple[str, int] | None, ParsedReport] = {}
    for r in sorted(claiming, key=lambda r: claim_order(r.status, flagged[r.file], r.file)):
        best.setdefault(claim(r), r)
    return list(best.values())


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


def _counted(reports: pd.DataFrame, facts: pd.DataFrame,
             flagged: dict[str, int]) -> pd.DataFrame:
    """Each report with its fact_count (its rows of facts) and flagged_cells."""
    counts = facts.groupby("path").size()
    return reports.assign(fact_count=reports["path"].map(counts).fillna(0).astype("int64"),
                          flagged_cells=reports["path"].map(flagged).astype("int64"))


def _files(parsed: Sequence[Parsed], flagged: dict[str, int]) -> pd.DataFrame:
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
    files["flagged_cells"] = files["path"].map(flagged).astype("Int64")
    files["replaced_bytes"] = replaced_bytes(parsed)
    return files


def replaced_bytes(parsed: Sequence[Parsed]) -> pd.Series:
    """Each file's replaced byte offsets as a list (None: none), typed for DuckDB's BIGINT[]
    whatever the batch holds."""
    return pd.Series([list(p.report.source.replaced) or None for p in parsed],
                     dtype=pd.ArrowDtype(pa.list_(pa.int64())))


def _reports_and_facts(reports: Sequence[ParsedReport]) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _reports(reports)
    return frame, complete_facts(_parsed_facts(reports, frame), frame)


def tidy(batch: Batch) -> TidyBatch:
    """A parsed batch as the warehouse's long tables: every file; the reports, facts and
    checks of each (agency, year)'s best claimant in the batch."""
    claiming = [p.report for p in batch.parsed if claim(p.report) is not None]
    flagged = {r.file: flagged_cells(r) for r in claiming}
    winners = batch_winners(claiming, flagged)
    frame, facts = _reports_and_facts(winners)
    return TidyBatch(files=_files(batch.parsed, flagged), reports=_counted(frame, facts, flagged),
                     facts=facts, checks=_checks(winners, frame),
                     unchanged=stat_frame(batch.same))


def stat_frame(files: Sequence[FoundFile]) -> pd.DataFrame:
    """Files as the warehouse records a sighting: path, size, mtime_ns."""
    return pd.DataFrame({"path": pd.Series([f.path for f in files], dtype=object),
                         "size": pd.Series([f.size for f in files], dtype="int64"),
                         "mtime_ns": pd.Series([f.mtime_ns for f in files], dtype="int64")})


def facts_frame(reports: Sequence[ParsedReport]) -> pd.DataFrame:
    """The facts of any reports (those that claim no (agency, year) too), as the warehouse
    stores them: what `xxgk parse --format csv` writes."""
    return _reports_and_facts([r for r in reports if r.status != "error"])[1]
