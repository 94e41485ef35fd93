"""One report file to a ParsedReport: decode, normalise, identify, find the tables, read them,
check them. Never raises: whatever goes wrong becomes status "error" with a reason."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from xxgk import PARSER_VERSION
from xxgk.extract.decode import NotText, decode
from xxgk.extract.discover import sha256_bytes, too_large
from xxgk.extract.identify import identify
from xxgk.extract.normalize import normalize_tracked
from xxgk.extract.offsets import Tracked
from xxgk.model import Fact, ParsedReport, Source, Status
from xxgk.template import Template, all_templates, first_template_year
from xxgk.transform.completeness import lost_rows
from xxgk.transform.fixed_width import Meter
from xxgk.transform.locate import Located, TableNotFound, locate
from xxgk.transform.prose import prose
from xxgk.transform.signs import unsigned_negatives
from xxgk.transform.table import read_table

FIRST_TEMPLATE_YEAR = first_template_year()


def _candidate_templates(text: str) -> list[Template]:
    """Templates to try, best first: the version whose own column headers the text prints most.
    With no header printed at all, both are tried and the one whose labels match more wins;
    a version's variants (rows printed in another version's form) are tried after it."""
    scored = sorted(((sum(text.count(m) for m in t.markers), t) for t in all_templates()),
                    key=lambda st: -st[0])
    chosen = [scored[0][1]] if scored[0][0] > scored[1][0] else [t for _, t in scored]
    return [v for t in chosen for v in (t, *t.variants)]


def locate_in(decoded: str, normalized: Tracked) -> Located:
    """The tables of a decoded text, normalised, with where each position stands on its line."""
    return replace(locate_tables(normalized.text), meter=Meter(decoded, normalized.back))


def locate_tables(text: str) -> Located:
    """The rows of the template (or variant) whose labels the text prints best."""
    best, error = None, None
    for template in _candidate_templates(text):
        try:
            located = locate(text, template)
        except TableNotFound as e:
            error = error or e
            continue
        if best is None or sum(s is not None for s in located.segments) > sum(
            s is not None for s in best.segments
        ):
            best = located
    if best is None:
        raise error or TableNotFound("no table found")
    return best


def _traced(facts: list[Fact], normalized: Tracked) -> list[Fact]:
    """Facts whose spans point into the decoded text instead of the normalised one."""
    if not normalized.steps:  # nothing changed a length: the offsets are the same
        return facts
    back = normalized.back
    for f in facts:
        if f.span is not None:
            f.span = (back(f.span[0]), back(f.span[1]))
    return facts


def _parse_text(report: ParsedReport, raw_text: str) -> ParsedReport:
    normalized = normalize_tracked(raw_text)
    text = normalized.text
    ident = identify(text, report.file)
    report = replace(report, agency=ident.agency, agency_source=ident.agency_source,
                     year=ident.year, year_source=ident.year_source)
    try:
        located = locate_in(raw_text, normalized)
    except TableNotFound as e:
        if report.year is not None and report.year < FIRST_TEMPLATE_YEAR:
            return replace(report, status="unsupported",
                           error=f"report for {report.year}: before the {FIRST_TEMPLATE_YEAR} "
                                 "national template, no common table to read",
                           prose={"full_text": text.strip()})
        return replace(report, status="error", error=f"not a disclosure report table: {e}")
    facts, checks = read_table(located)
    facts = unsigned_negatives(facts, located.template)
    status: Status = "checks_failed" if any(c.passed is False for c in checks) else "ok"
    if cut := lost_rows(facts):
        status, report = "incomplete", replace(report, error=cut)
    return replace(report, status=status, template=located.template.version,
                   facts=_traced(facts, normalized),
                   checks=checks, prose=prose(text, located.template, located.tables_span))


def parse_unguarded(data: bytes, path: str, sha256: str | None = None) -> ParsedReport:
    """parse_bytes without its safety net: an exception inside the parser escapes (the fuzz
    tests call this, so that a crash fails them instead of becoming a status)."""
    source = Source(path=path, sha256=sha256 or sha256_bytes(data), size=len(data))
    report = ParsedReport(file=path, source=source, status="error", parser_version=PARSER_VERSION)
    try:
        decoded = decode(data)
    except NotText as e:
        return replace(report, error=str(e))
    report = replace(report, source=replace(source, encoding=decoded.encoding,
                                            encoding_method=decoded.method,
                                            replaced=decoded.replaced))
    return _parse_text(report, decoded.text)


def parse_bytes(data: bytes, path: str, sha256: str | None = None) -> ParsedReport:
    """Parse one report's bytes; `path` is reported as given and used for agency/year hints;
    `sha256`: the bytes' hash where the caller has it already. Never raises."""
    try:
        return parse_unguarded(data, path, sha256)
    except Exception as e:  # one bad file never stops a batch: record it, go on
        source = Source(path=path, sha256=sha256 or sha256_bytes(data), size=len(data))
        return ParsedReport(file=path, source=source, status="error",
                            error=f"internal parser error ({type(e).__name__}: {e})",
                            parser_version=PARSER_VERSION)


def _unread(path: str, size: int, why: str) -> ParsedReport:
    return ParsedReport(file=path, source=Source(path=path, sha256="", size=size),
                        status="error", error=why, parser_version=PARSER_VERSION)


def parse_file(path: str) -> ParsedReport:
    """Parse one file; a file too large to be a report is refused unopened (as the ingest
    does)."""
    try:
        size = Path(path).stat().st_size
        if why := too_large(size):
            return _unread(path, size, why)
        data = Path(path).read_bytes()
    except OSError as e:
        return _unread(path, 0, f"cannot read file: {e.strerror or e}")
    return parse_bytes(data, path)
