"""Apply the warehouse schema: sql/schema.sql, the reference tables, sql/views.sql.

Everything that names a template cell, label or identity is built here from `xxgk.template`
(never restated), so the warehouse's reference tables, comments and headline columns follow
the template data when it changes.
"""

from __future__ import annotations

from importlib import resources

import duckdb
import pandas as pd

from xxgk.load.db import registered, transaction
from xxgk.template import Template, all_templates
from xxgk.vocabulary import FLAG_KINDS, STATUSES

SCHEMA_VERSION = "3"
"""Bumped when a table changes shape; an older warehouse then asks for `xxgk rebuild`."""


class SchemaMismatch(RuntimeError):
    """The warehouse was built by an xxgk with another table layout."""


def sql_text(name: str) -> str:
    return resources.files("xxgk.sql").joinpath(name).read_text(encoding="utf-8")


def quote(text: str) -> str:
    """A SQL string literal (COMMENT ON takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def check_version(con: duckdb.DuckDBPyConnection) -> str | None:
    """The warehouse's schema version (None: a new file); SchemaMismatch if it is not this
    xxgk's. Read-only: a run checks the published file before it plans from it."""
    found = next(iter(con.execute(
        "SELECT value FROM warehouse_meta WHERE key = 'schema_version'").fetchall()), None)
    if found is not None and found[0] != SCHEMA_VERSION:
        raise SchemaMismatch(
            f"the warehouse has schema version {found[0]}, this xxgk writes {SCHEMA_VERSION}: "
            "run `xxgk rebuild` to build it anew from the raw files")
    return None if found is None else str(found[0])


def apply(con: duckdb.DuckDBPyConnection) -> None:
    """Create what is missing and refresh the derived parts; safe to run on every connect."""
    with transaction(con):
        con.execute(sql_text("schema.sql"))
        if check_version(con) is None:
            con.execute("INSERT INTO warehouse_meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        templates = all_templates()
        _reference_tables(con, templates)
        _vocabulary_tables(con)
        _comments(con, templates)
        con.execute(sql_text("views.sql").replace("/*HEADLINE_COLUMNS*/",
                                                  headline_columns(templates)))
        from xxgk.analysis import reference  # imports quote from here

        reference.apply(con)


def _reference_tables(con: duckdb.DuckDBPyConnection, templates: tuple[Template, ...]) -> None:
    cells = [(t.version, c, t.sections.get(c.section)) for t in templates
             for c in t.printable_cells]
    cells_tbl = pd.DataFrame({
        "version": [v for v, _, _ in cells],
        "code": [c.code for _, c, _ in cells],
        "section": [c.section for _, c, _ in cells],
        "section_title": [s for _, _, s in cells],
        "category": [c.category for _, c, _ in cells],
        "column_label": [c.column for _, c, _ in cells],
        "applicant_type": pd.Series([c.applicant_type for _, c, _ in cells], dtype=object),
        "unit": [c.unit for _, c, _ in cells],
        "print_order": [i for i in range(len(cells))],
    })
    ids = [(t.version, i) for t in templates for i in t.identities]
    ids_tbl = pd.DataFrame({
        "version": [v for v, _ in ids],
        "rule": [i.rule for _, i in ids],
        "scope": [i.scope for _, i in ids],
        "text": [i.text for _, i in ids],
        "terms": [len(i.keys) for _, i in ids],
    })
    with registered(con, "_cells", cells_tbl), registered(con, "_ids", ids_tbl):
        con.execute("CREATE OR REPLACE TABLE template_cells AS SELECT * FROM _cells")
        con.execute("CREATE OR REPLACE TABLE template_identities AS SELECT * FROM _ids")
    con.execute("COMMENT ON TABLE template_cells IS "
                + quote("Every cell of every template version, built from xxgk.template: join "
                        "facts on (template = version, code, column_label) for labels and units."))
    con.execute("COMMENT ON TABLE template_identities IS "
                + quote("Every identity (勾稽关系) instance a report is checked against: join "
                        "checks on (rule, scope) and reports.template = version."))


def _vocabulary_tables(con: duckdb.DuckDBPyConnection) -> None:
    """`statuses` and `flag_kinds` from xxgk.vocabulary: views and the conflict rule join them."""
    statuses = pd.DataFrame({"status": [s.status for s in STATUSES],
                         "rank": pd.array([s.rank for s in STATUSES], dtype="Int32"),
                         "meaning": [s.meaning for s in STATUSES]})
    kinds = pd.DataFrame({"kind": [f.kind for f in FLAG_KINDS],
                      "descriptive": [f.descriptive for f in FLAG_KINDS],
                      "meaning": [f.meaning for f in FLAG_KINDS]})
    with registered(con, "_statuses", statuses), registered(con, "_kinds", kinds):
        con.execute("CREATE OR REPLACE TABLE statuses AS SELECT * FROM _statuses")
        con.execute("CREATE OR REPLACE TABLE flag_kinds AS SELECT * FROM _kinds")
    con.execute("COMMENT ON TABLE statuses IS " + quote(
        "Every status of a file or report; rank orders the conflict rule (lower is kept), "
        "NULL: never makes a report."))
    con.execute("COMMENT ON TABLE flag_kinds IS " + quote(
        "Every kind of facts.flag (the word before the colon): join on "
        "split_part(flag, ':', 1) = kind; descriptive kinds say how a cell was printed, the "
        "others that its reading is in doubt."))
    for column, comment in _VOCABULARY_COLUMNS:
        con.execute(f"COMMENT ON COLUMN {column} IS " + quote(comment))


_VOCABULARY_COLUMNS = (
    ("statuses.status", "A status: ok, checks_failed, incomplete, unsupported, error."),
    ("statuses.rank", "Conflict rule order: the lower is kept; NULL: never makes a report."),
    ("statuses.meaning", "What the status says of a report."),
    ("flag_kinds.kind", "A flag kind: the word before the colon in facts.flag."),
    ("flag_kinds.descriptive", "True: says how a cell was printed; false: the reading is in "
                               "doubt (a flagged cell)."),
    ("flag_kinds.meaning", "What the flag says of a cell."),
)


def _section_list(templates: tuple[Template, ...], only_with_applicants: bool = False) -> str:
    seen: dict[str, str] = {}
    for t in templates:
        for c in t.cells:
            if only_with_applicants and c.applicant_type is None:
                continue
            prefix = c.code.split(".", 1)[0]
            seen.setdefault(c.section, f"{c.section} {t.sections[c.section]} ({prefix}.*)")
    return "; ".join(seen.values())


def _comments(con: duckdb.DuckDBPyConnection, templates: tuple[Template, ...]) -> None:
    applicants = list(dict.fromkeys(a for t in templates for a in t.applicants))
    units = sorted({c.unit for t in templates for c in t.cells if c.unit})
    example = next(c for t in templates for c in t.cells if c.applicant_type)
    versions = ", ".join(f"{t.version} ({t.title})" for t in templates)
    comments = {
        "agency": "The reporting agency, as the report names it.",
        "year": "The year the report covers.",
        "template": f"Template version of the report: {versions}.",
        "section": "Template part the cell is printed in: " + _section_list(templates) + ".",
        "code": "Template cell code: the same meaning in every report and template version "
                "where the cell exists. Join template_cells for labels.",
        "category": f"The printed row label of the cell, e.g. {example.category!r}.",
        "column_label": "The printed column header of the cell; in part "
                        + _section_list(templates, only_with_applicants=True)
                        + " it is the applicant type.",
        "applicant_type": "Applicant column as printed: " + ", ".join(applicants)
                          + "; NULL for cells that have no applicant column.",
        "unit": "Unit of value: " + ", ".join(units) + ", or as the report prints it.",
    }
    for column, text in comments.items():
        con.execute(f"COMMENT ON COLUMN facts.{column} IS {quote(text)}")


def headline_columns(templates: tuple[Template, ...]) -> str:
    """One report_summary column per cell in a template's total column (`total_applicant`),
    a count (件): BIGINT.

    Part 四's group totals print under the same header as the total applicant column, so this
    picks every row total of parts 三 and 四 without naming one.
    """
    picked: dict[str, str] = {}
    for t in templates:
        total = t.total_applicant
        for c in t.cells:
            if c.column == total:
                picked.setdefault(c.code, total)
    return "".join(
        f"(max(f.value) FILTER (WHERE f.code = {quote(code)} AND f.column_label = "
        f"{quote(total)}))::BIGINT AS {code.replace('.', '_')},\n    "
        for code, total in picked.items()
    )


__all__ = ["SCHEMA_VERSION", "SchemaMismatch", "apply", "check_version", "headline_columns"]
