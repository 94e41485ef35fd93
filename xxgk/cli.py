"""`xxgk`: one thin command line over the library (parse, the warehouse flows, queries)."""

from __future__ import annotations

import csv
import json
import sys

import click

from xxgk.transform.parse import parse_file

FACT_CSV_COLUMNS = (
    "file", "agency", "year", "template", "status", "section", "code", "category", "column",
    "applicant_type", "value", "unit", "raw", "flag",
)


@click.group()
@click.version_option(package_name="xxgk")
def main() -> None:
    """Disclosure-report warehouse: parse reports, ingest them into DuckDB, query them."""


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["json", "csv"]), default="json",
              show_default=True, help="json: one object per file per line; csv: one row per fact.")
def parse(files: tuple[str, ...], fmt: str) -> None:
    """Parse report text files and print what the warehouse would store, touching no warehouse.

    Exits 1 when any file could not be read as a report (its status is "error").
    """
    out = sys.stdout
    writer = None
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FACT_CSV_COLUMNS)
    failed = 0
    for path in files:
        report = parse_file(path)
        failed += report.status == "error"
        if writer is None:
            out.write(json.dumps(report.to_dict(), ensure_ascii=False) + "\n")
            continue
        head = (report.file, report.agency, report.year, report.template, report.status)
        for f in report.facts:
            writer.writerow((*head, f.section, f.code, f.category, f.column, f.applicant_type,
                             f.value, f.unit, f.raw, f.flag))
    out.flush()
    if failed:
        sys.exit(1)
