"""`xxgk explain`: where a cell was read, what else the text allowed, and what chose.

The tool for a cell that looks wrong: the source lines with the cell marked, every reading of
the row's printed digits, the readings the row's own identities (I3, I4) allow, those left
after the table-wide ones (I1, I2), and the checks the cell takes part in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from xxgk.extract.decode import decode
from xxgk.extract.normalize import normalize_tracked
from xxgk.model import Fact, ParsedReport
from xxgk.template import load as load_template
from xxgk.transform.parse import locate_in, parse_bytes
from xxgk.transform.split import Candidate
from xxgk.transform.table import RowTrace, trace_row

_CONTEXT_LINES = 1
_CONTEXT_CHARS = 60  # of a long line, either side of the cell
_MAX_READINGS = 12
_MARK = ("【", "】")
_VERDICT = {True: "holds", False: "fails", None: "undetermined"}


class NoSuchCell(LookupError):
    """The report has no fact with that code (and applicant type)."""


@dataclass(frozen=True)
class Explanation:
    report: ParsedReport
    fact: Fact
    source: list[str]  # the lines around the cell, the cell marked
    trace: RowTrace | None  # None when the report has no table to trace


def _clipped(line: str, start: int, end: int) -> str:
    """A long line (a crawled page's whole body) cut to the characters around the cell."""
    lo, hi = max(0, start - _CONTEXT_CHARS), min(len(line), end + _CONTEXT_CHARS)
    return ("…" if lo else "") + line[lo:hi] + ("…" if hi < len(line) else "")


def _source_lines(text: str, span: tuple[int, int]) -> list[str]:
    start, end = span
    marked = text[:start] + _MARK[0] + text[start:end] + _MARK[1] + text[end:]
    first = marked.count("\n", 0, start)
    last = first + marked.count("\n", start, end + 2)
    lines = marked.split("\n")
    line_start = marked.rfind("\n", 0, start) + 1
    out = []
    for n in range(max(0, first - _CONTEXT_LINES), min(len(lines), last + _CONTEXT_LINES + 1)):
        line = lines[n]
        if len(line) > 2 * _CONTEXT_CHARS:
            at = start - line_start if n == first else 0
            line = _clipped(line, at, at + end - start + 2 if n == first else 0)
        out.append(f"{n + 1:>5} | {line}")
    return out


def explain(path: str, code: str, applicant: str | None = None) -> Explanation:
    data = Path(path).read_bytes()
    report = parse_bytes(data, path)
    matches = [f for f in report.facts if f.code == code
               and (applicant is None or f.applicant_type == applicant)]
    if not matches:
        why = f"status {report.status}" + (f": {report.error}" if report.error else "")
        cell = code + (f" / {applicant}" if applicant else "")
        raise NoSuchCell(f"{path}: no cell {cell} ({why})")
    total = load_template(report.template).total_applicant if report.template else None
    fact = next((f for f in matches if f.applicant_type in (None, total)), matches[0])
    text = decode(data).text
    source = _source_lines(text, fact.span) if fact.span else []
    located = locate_in(text, normalize_tracked(text)) if report.template else None
    return Explanation(report, fact, source, trace_row(located, code) if located else None)


def _reading(candidate: Candidate, position: int) -> str:
    return " ".join(f"{_MARK[0]}{raw or '∅'}{_MARK[1]}" if p == position else (raw or "∅")
                    for p, (raw, _, _) in enumerate(candidate))


def _readings(title: str, candidates: tuple[Candidate, ...], position: int) -> list[str]:
    shown = [f"  {_reading(c, position)}" for c in candidates[:_MAX_READINGS]]
    more = len(candidates) - _MAX_READINGS
    return [f"{title}: {len(candidates)}", *shown] + ([f"  … {more} more"] if more > 0 else [])


def render(e: Explanation) -> str:
    r, f = e.report, e.fact
    out = [f"{r.file}: {r.agency} {r.year}, template {r.template}, {r.status}",
           f"cell {f.code}" + (f" / {f.applicant_type}" if f.applicant_type else "")
           + f" ({f.category} · {f.column}): value {f.value}, printed {f.raw!r}, "
           f"flag {f.flag or '-'}, span {list(f.span) if f.span else '-'}"]
    out += ["source (decoded text, the cell in 【】):", *e.source] if e.source else [
        "source: no printed text holds this cell"]
    if e.trace:
        t = e.trace
        position = next(p for p, c in enumerate(t.row.cells) if c.key == (f.code, f.applicant_type))
        out.append(f"row {t.row.label!r}, printed: {t.printed!r}")
        out += _readings("readings of the printed text", t.every_reading, position)
        out += _readings("readings its own identities allow", t.row_readings, position)
        out += _readings("readings left by the table's identities", t.table_readings, position)
        key = (f.code, f.applicant_type)
        through = {(i.rule, i.scope) for i in t.identities if key in i.keys}
        out.append("identities through this cell:")
        out += [f"  {c.rule} [{c.scope}] {_VERDICT[c.passed]}: {c.detail}"
                for c in r.checks if (c.rule, c.scope) in through] or ["  none"]
    return "\n".join(out)
