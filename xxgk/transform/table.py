"""A report's tables as facts: every template cell once, with its value or the reason it has none.

Each row is read on its own (its tokens, cut by its own identities where digits ran together);
rows still read several ways are then narrowed by the identities that span rows (I1, I2). What
remains ambiguous is stored as such: value None and a flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from xxgk.model import Check, Fact
from xxgk.template import Cell, Identity, Row, Template
from xxgk.template import load as load_template
from xxgk.transform.cells import (
    MARK_SYMBOLS,
    LabelLine,
    Token,
    prose_number,
    settle_leads,
    tokens,
)
from xxgk.transform.checks import (
    IdentityLayout,
    check,
    combinations,
    holds_in,
    identity_layout,
    table_wide_failures,
)
from xxgk.transform.coverage import UNASSIGNED, unassigned, unexplained
from xxgk.transform.fixed_width import fill_columns
from xxgk.transform.locate import Located, Segment
from xxgk.transform.split import Candidate, Number, RowSplit, split_row


@dataclass
class _Reading:
    row: Row
    printed: str | None  # the row's cells as printed, None when its label is absent
    split: RowSplit | None
    candidates: tuple[Candidate, ...]
    segment: Segment | None = None  # where the row's cells were read from
    values: int = 0  # how many values (numbers or marks) the row prints


@dataclass(frozen=True)
class _Columns:
    """Where a delimited table's rows start their values: at one column for all (a grid:
    markdown, CSV, TSV keep merged label columns as empty fields), or at an offset from each
    row's label (a flattened page drops them)."""

    grid: bool
    at: int
    telling: bool = True  # its rows' labels stand in different columns: the kind is shown

    def start(self, line: LabelLine) -> int:
        return self.at if self.grid else line.label + self.at


def _full_rows(lines: list[tuple[LabelLine, int]]) -> list[tuple[LabelLine, int]]:
    return [(line, start) for line, n in lines if (start := line.full_row_start(n)) is not None]


def _columns(full: list[tuple[LabelLine, int]]) -> _Columns | None:
    """The layout the fully printed rows agree on; None when fewer than two or they disagree."""
    if len(full) < 2:
        return None
    if len({start for _, start in full}) == 1:
        return _Columns(True, full[0][1], telling=len({line.label for line, _ in full}) > 1)
    if len({start - line.label for line, start in full}) == 1:
        return _Columns(False, full[0][1] - full[0][0].label)
    return None


def _borrowed(full: list[tuple[LabelLine, int]], known: list[_Columns]) -> _Columns | None:
    """A table with at most one fully printed row takes the kind of layout another table of
    the same page shows (a page is flattened one way throughout): values at an offset from the
    label need no row to place them; a grid's column is placed by that one row."""
    if len(full) > 1 or not known:
        return None
    kind = known[0]
    if not full:
        return None if kind.grid else kind
    line, start = full[0]
    if kind.grid:
        return _Columns(True, start)
    return kind if start - line.label == kind.at else None


def _row_tokens(located: Located) -> tuple[list[tuple[Token, ...] | None], set[int]]:
    """Each row's tokens: read by column where its table keeps columns (those rows' indices
    are returned too: their cells are all on the label's line), else from its text."""
    rows, segments = located.template.rows, located.segments
    lines = [LabelLine.of(s.label_line, s.text) if s else None for s in segments]
    out: list[tuple[Token, ...] | None] = [None] * len(rows)
    # rows not readable by column: how many leading empties are cells (cells.py: "Blank, lead
    # and pad")
    blanks: dict[int, int] = {}
    tables = dict.fromkeys(r.section for r in rows if not r.header_label)  # rows with labels
    members = {s: [i for i, r in enumerate(rows) if r.section == s and lines[i]] for s in tables}
    full = {s: _full_rows([(lines[i], len(rows[i].cells)) for i in m]) for s, m in members.items()}
    columns = {s: _columns(f) for s, f in full.items()}
    known = [c for c in columns.values() if c and c.telling]
    for section, rows_in in members.items():
        layout = columns[section] or _borrowed(full[section], known)
        for i in rows_in if layout else ():
            start = layout.start(lines[i])
            out[i] = lines[i].read(start, len(rows[i].cells))
            blanks[i] = lines[i].blanks_from(start)
            if out[i] is not None and all(t.kind == "blank" for t in out[i]):
                rest = segments[i].text.split("\n", 1)[1:]  # type: ignore[union-attr]
                out[i] = lines[i].below(rest[0], start, len(rows[i].cells)) if rest else out[i]
                out[i] = out[i] or lines[i].read(start, len(rows[i].cells))
    by_column = {i for i, toks in enumerate(out) if toks is not None}
    for i, (s, row) in enumerate(zip(segments, rows, strict=True)):
        if out[i] is None and s is not None:
            toks = tuple(tokens(s.text, row.header_label))
            out[i] = settle_leads(toks, blanks[i]) if i in blanks else toks
    return out, by_column


_MISPLACED = ("placed by column, the values break the row's own identities: a value may be "
              "printed over several lines")
_SCATTERED = ("the values stand on several lines (a cell wrapped, a PDF's text out of reading "
              "order) and break the row's own identities: their order is not known")
_VALUE_TOKEN = re.compile(r"-?\d+(?:\.\d+)?|[/—–]+|(?<![^\s\d])-(?![^\s\d])")


_WRAPPED = ("a line of the row holds only some of its numbers and nothing else: a narrow "
            "column may have broken numbers over lines (5 / 2 for 52)")
_DIGITS_ONLY = re.compile(r"[\d\s]+")


def _wrapped(segment: Segment | None, n: int) -> bool:
    """The row prints numbers on its label's line and, on the next line, numbers only, fewer
    than its cells: digits of numbers a narrow column broke over lines (PDF text: ０ ０ ０ １ ０
    over ２ ３ for 52 … 53), unless the page prints one value per line."""
    if segment is None or n < 2:
        return False
    lines = segment.text.split("\n")
    if len(lines) < 2 or not _VALUE_TOKEN.search(lines[0]):
        return False
    below = lines[1]
    return bool(_DIGITS_ONLY.fullmatch(below)) and 0 < len(below.split()) < n


_INTERLEAVED = ("the row's values are printed around its table's column headings (a PDF's text "
                "in content order): their order is not known")


@cache
def _headings(row: Row) -> re.Pattern[str] | None:
    """The row's column headings as printed, a line break allowed anywhere in them (处理决 /
    定数量): the columns' names and the groups of columns its cells fall under."""
    words = {c.column for c in row.cells} | {
        part for c in row.cells for part in c.category.split(" / ")} - {row.label, row.parent}
    words = {w for w in words if len(w) > 1}
    if not words:
        return None
    return re.compile("|".join(r"\s*".join(map(re.escape, w)) for w in sorted(words)))


def _interleaved(segment: Segment | None, row: Row, toks: tuple[Token, ...]) -> bool:
    """Column headings of the row's table printed between its values: the text runs in the
    order a PDF drew it, not the table's, and the values may be out of their order — unless
    every cell prints the same value, which any order reads alike."""
    values = [t.text for t in toks if t.kind in ("num", "mark")]
    if len(values) < 2 or (headings := _headings(row)) is None:
        return False
    if len(values) == len(row.cells) and len(set(values)) == 1:
        return False
    spans = [s for s in _spans(segment, values) if s is not None]
    if len(spans) < 2 or segment is None:
        return False
    first, last = spans[0][1] - segment.start, spans[-1][0] - segment.start
    return headings.search(segment.text, first, last) is not None


def _scattered(segment: Segment | None) -> bool:
    """Values printed on several lines, some lines holding more than one: a row wrapped by a
    converter or taken out of a PDF in content order, whose order may not be the row's (one
    value per line, or delimited cells, are in reading order, kept)."""
    if segment is None or any(d in segment.text for d in "|\t,"):
        return False  # delimited cells keep their order
    counts = _values_per_line(segment)
    return len(counts) >= 2 and max(counts) > 1


def _values_per_line(segment: Segment | None) -> list[int]:
    """How many values each line of a row's text holds (lines holding none left out)."""
    if segment is None:
        return []
    return [n for line in segment.text.split("\n") if (n := len(_VALUE_TOKEN.findall(line)))]


def _one_per_line(segments: tuple[Segment | None, ...]) -> bool:
    """Most rows print one value per line (BeautifulSoup, lynx, python-docx): the page's
    order is their reading order, even where a line holds two."""
    shapes = [max(c) == 1 for s in segments if len(c := _values_per_line(s)) >= 2]
    return sum(shapes) > len(shapes) / 2


_SEPARATED_SHARE = 2 / 3  # of a table's rows printing each of their cells as its own token
_SEPARATED_ROWS = 3


def _separated(rows: tuple[Row, ...], row_tokens: list[tuple[Token, ...] | None],
               by_column: set[int]) -> set[str]:
    """The tables (parts) whose rows print each cell as a token of its own — all of them when
    one table's rows of several cells mostly print exactly as many tokens as they have
    cells. There a token is one cell, never cut."""
    out = set()
    for section in dict.fromkeys(r.section for r in rows):
        counts = [(sum(t.kind != "maybe" for t in toks),
                   i in by_column or all(t.kind in ("num", "maybe") for t in toks), len(r.cells))
                  for i, (r, toks) in enumerate(zip(rows, row_tokens, strict=True))
                  if r.section == section and toks and len(r.cells) > 1]
        full = sum(k == n and numbers for k, numbers, n in counts)  # marks separate anyway
        if full >= _SEPARATED_ROWS and full >= _SEPARATED_SHARE * len(counts):
            out.add(section)
    # a page is flattened one way throughout: one table that shows it, shows it for all
    return set(dict.fromkeys(r.section for r in rows)) if out else out


def _read_rows(located: Located, layout: IdentityLayout) -> list[_Reading]:
    readings = []
    row_tokens, by_column = _row_tokens(located)
    separated = _separated(located.template.rows, row_tokens, by_column)
    placed: set[int] = set()
    stacked: set[int] = set()  # rows whose printed numbers their column reading accounts for
    one_per_line = _one_per_line(located.segments)
    if separated:  # where values stand on their lines places the empty cells
        free = [t if i not in by_column else None for i, t in enumerate(row_tokens)]
        columns, stacked = fill_columns(located.template.rows, free, located.segments,
                                        located.meter, frozenset(layout.row_constraints))
        for i, toks in columns.items():
            row_tokens[i] = toks
            placed.add(i)
    for i, (row, toks) in enumerate(zip(located.template.rows, row_tokens, strict=True)):
        if toks is None:
            readings.append(_Reading(row, None, None, ()))
            continue
        segment = located.segments[i]
        read = segment.first_line() if i in by_column else segment  # type: ignore[union-attr]
        numbers = [] if i in stacked else unassigned(
            read, sum(t.kind == "num" for t in toks),
            lambda: _spans(segment, [t.text for t in toks]))  # noqa: B023
        split = RowSplit((), False, True, unexplained(numbers)) if numbers else split_row(
            toks, len(row.cells), layout.row_constraints.get(i, ()),
            row.section in separated and i not in by_column)
        if _interleaved(segment, row, toks):
            split = RowSplit((), False, True, _INTERLEAVED)
        elif not one_per_line and i not in placed and _wrapped(segment, len(row.cells)):
            split = RowSplit((), False, True, _WRAPPED)
        elif layout.row_constraints.get(i) and split.candidates and not split.satisfied:
            if i in placed:
                split = RowSplit((), False, True, _MISPLACED)
            elif not one_per_line and _scattered(segment):
                split = RowSplit((), False, True, _SCATTERED)
        printed = " ".join(t.text for t in toks)
        values = sum(t.kind in ("num", "mark") for t in toks)
        readings.append(_Reading(row, printed, split, split.candidates, segment, values))
    _distrust_disorder(readings, layout)
    _distrust_empty(readings)
    return readings


_DISPLACED = ("the row prints nothing while row {!r} of its table prints more values than its "
              "cells: its values may have been printed there")


def _distrust_empty(readings: list[_Reading]) -> None:
    """A row printing nothing is blank only if its values are not elsewhere: where another
    row of its table prints more values than it has cells (a PDF's text in the order it was
    drawn put one row's values after the next one's label), it is not read."""
    surplus = {r.row.section: r.row.label for r in readings
               if r.split is not None and not r.candidates and r.values > len(r.row.cells)}
    for r in readings:
        if r.row.section in surplus and r.split is not None and r.values == 0 and r.candidates:
            r.split = RowSplit((), False, True, _DISPLACED.format(surplus[r.row.section]))
            r.candidates = ()


_DISORDER_ROWS = 2  # rows not read that show the tables printed out of order
_DISORDERED = ("the row breaks its own identities in a table printed out of order (rows not "
               "found or not read): its values may belong to other rows")


def _distrust_disorder(readings: list[_Reading], layout: IdentityLayout) -> None:
    """In tables that show they were printed out of order (a PDF's text in content order: rows
    whose printed numbers cannot be their cells), a row breaking its own identities is not
    read: its values may be other rows'. A failed check must be the report's arithmetic, not
    the printer's. Rows printing only marks (无, —) show no order."""
    unread = [r for r in readings if r.split is not None and not r.candidates
              and any(c.isdigit() for c in r.printed or "")]  # a row of marks shows no order
    if len(unread) < _DISORDER_ROWS:
        return
    for i, r in enumerate(readings):
        if layout.row_constraints.get(i) and r.candidates and r.split and not r.split.satisfied:
            r.split = RowSplit((), False, True, _DISORDERED)
            r.candidates = ()


def _narrow(readings: list[_Reading], template: Template, layout: IdentityLayout) -> set[str]:
    """Keep, for rows read several ways, only the readings that some combination satisfying
    every cross-row identity through them uses. Where no combination does, the table breaks
    its identities whichever way it is read: returns the rules broken by every combination
    (which instance breaks may depend on the reading)."""
    ambiguous = {i for i, r in enumerate(readings) if len(r.candidates) > 1}
    relevant = [
        idn for idn in template.identities
        if len(rows := layout.rows_of[idn]) > 1 and ambiguous.intersection(rows)
        and all(readings[i].candidates for i in rows)
    ]
    if not relevant:
        return set()
    rows = tuple(sorted({i for idn in relevant for i in layout.rows_of[idn]}))
    choices = combinations(readings, rows)
    if choices is None or not all(readings[i].split.complete for i in rows):
        return set()
    kept: dict[int, set[Candidate]] = {i: set() for i in rows}
    always_broken: set[str] | None = None
    for choice in choices:
        broken = {idn.rule for idn in relevant if not holds_in(idn, choice, layout)}
        if not broken:
            for i in rows:
                kept[i].add(choice[i])
        always_broken = broken if always_broken is None else always_broken & broken
    if kept[rows[0]]:
        for i in rows:
            readings[i].candidates = tuple(c for c in readings[i].candidates if c in kept[i])
        return set()
    return always_broken or set()


_BY_IDENTITY = ("split_by_identity: the printed text allows other readings; this is the one "
                "the report's identities allow")


def _fact(cell: Cell, raw: str, value: Number | None, unit: str | None,
          by_identity: bool = False, span: tuple[int, int] | None = None) -> Fact:
    if value is None:
        flag = "blank" if raw == "" else "not_a_number"
    else:
        flag = _BY_IDENTITY if by_identity else None
    return Fact(cell.section, cell.code, cell.category, cell.column, cell.applicant_type,
                value, unit or cell.unit or None, raw, flag, span)


_NOT_PRINTED = "blank: the table prints no row {!r}"


def _spans(segment: Segment | None, raws: list[str]) -> list[tuple[int, int] | None]:
    """Where each printed cell stands in the normalised text, found in print order after its
    label (a blank cell prints nothing: None)."""
    out: list[tuple[int, int] | None] = []
    cursor = _after_prose(segment.text) if segment else 0
    for raw in raws:
        at = segment.text.find(raw, cursor) if raw and segment else -1
        if at < 0:
            out.append(None)
            continue
        cursor = at + len(raw)
        out.append((segment.start + at, segment.start + cursor))  # type: ignore[union-attr]
    return out


_PROSE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_PROSE_SENTENCE = re.compile(r"[^\d]*?[，。；]")


def _after_prose(text: str) -> int:
    """Where a row's text starts after the sentences of prose that may open it (情况 2022年，
    未有… before the cells): quantities (2022年) a sentence break follows are not cells; a
    cell printed with a word (3个 3443000元) is."""
    cursor = 0
    for m in _PROSE_NUMBER.finditer(text):
        if not prose_number(text, *m.span()) or not _PROSE_SENTENCE.match(text, m.end()):
            break
        cursor = m.end()
    return cursor


# first to last printed mark
_PRINTED = re.compile(rf"[\d{MARK_SYMBOLS}](?:.*[\d{MARK_SYMBOLS}])?", re.S)


def _whole(segment: Segment | None) -> tuple[int, int] | None:
    """A row's printed cells, from the first to the last: where an undecided cell was read."""
    m = _PRINTED.search(segment.text) if segment else None
    return None if m is None else (segment.start + m.start(), segment.start + m.end())


def _facts(reading: _Reading, may_be_absent: bool) -> list[Fact]:
    """`may_be_absent`: the row's part is printed and may leave the row out."""
    cands = reading.candidates
    if len(cands) == 1 and reading.split.complete:  # read one way: every cell is known
        by_identity = reading.split.by_identity
        spans = _spans(reading.segment, [c[0] for c in cands[0]])
        return [_fact(cell, *printed, by_identity, span)
                for cell, printed, span in zip(reading.row.cells, cands[0], spans, strict=True)]
    out = []
    row_span = _whole(reading.segment)
    for p, cell in enumerate(reading.row.cells):
        fact = Fact(cell.section, cell.code, cell.category, cell.column, cell.applicant_type,
                    None, cell.unit or None, reading.printed, span=row_span)
        readings_of_cell = {c[p] for c in cands}
        if reading.split is None and may_be_absent:
            fact.flag = _NOT_PRINTED.format(reading.row.label)
        elif reading.split is None:
            fact.flag = f"row_not_found: no label {reading.row.label!r} in the table"
        elif not cands:
            problem = reading.split.problem or ""
            fact.flag = problem if problem.startswith(UNASSIGNED) else f"unreadable: {problem}"
        elif not reading.split.complete:  # agreeing in the readings tried proves nothing...
            fixed = dict(reading.split.fixed)  # ...but agreeing in all readings does
            if p in fixed:
                fact = _fact(cell, *fixed[p], span=row_span)  # the text alone decides it
            else:
                fact.flag = "ambiguous_split: more readings of the printed digits than were tried"
        elif len(readings_of_cell) > 1:
            fits = "fit" if reading.split.satisfied else "are possible (none fits the identities)"
            fact.flag = f"ambiguous_split: {len(cands)} readings of the printed digits {fits}"
        else:
            fact = _fact(cell, *readings_of_cell.pop(), reading.split.by_identity, row_span)
        out.append(fact)
    return out


@dataclass(frozen=True)
class RowTrace:
    """How one row was read, for `xxgk explain`: its printed tokens, every way to cut them
    into its cells, the ways its own identities allow, the ways left after the table-wide
    identities, and those identities."""

    row: Row
    segment: Segment | None
    printed: str | None
    every_reading: tuple[Candidate, ...]
    row_readings: tuple[Candidate, ...]
    table_readings: tuple[Candidate, ...]
    identities: tuple[Identity, ...]


def trace_row(located: Located, code: str) -> RowTrace | None:
    """How the row holding cell `code` was read (the same steps as `read_table`); None when
    the report prints no such row (a variant printed another in its place)."""
    template = located.template
    i = next((i for i, r in enumerate(template.rows) if any(c.code == code for c in r.cells)),
             None)
    if i is None:
        return None
    layout = identity_layout(template)
    readings = _read_rows(located, layout)
    before = [r.candidates for r in readings]
    _narrow(readings, template, layout)
    reading = readings[i]
    tokens = _row_tokens(located)[0][i]
    every = split_row(tokens, len(reading.row.cells), ()).candidates if tokens else ()
    return RowTrace(reading.row, reading.segment, reading.printed, every, before[i],
                    reading.candidates, tuple(idn for idn in template.identities
                                              if i in layout.rows_of[idn]))


def _replaced(template: Template) -> list[Fact]:
    """The cells of the version's own rows that a variant printed in their place: blank, so
    that a report still holds every cell of its template (the variant's cells come besides)."""
    if template.variant is None:
        return []
    own = {c.key for c in template.cells}
    flag = f"blank: not printed, the report prints {template.variant} instead"
    return [Fact(c.section, c.code, c.category, c.column, c.applicant_type, None,
                 c.unit or None, None, flag)
            for c in load_template(template.version).cells if c.key not in own]


def read_table(located: Located) -> tuple[list[Fact], list[Check]]:
    """Facts for every template cell and the result of every identity, from located rows."""
    template = located.template
    layout = identity_layout(template)
    readings = _read_rows(located, layout)
    broken_anyway = _narrow(readings, template, layout)
    printed = {r.row.section for r in readings if r.split is not None}
    optional = printed.intersection(template.optional_rows)
    facts = [f for r in readings for f in _facts(r, r.row.section in optional)]
    facts += _replaced(template)
    single = {i: r.candidates[0] for i, r in enumerate(readings) if len(r.candidates) == 1}
    checks = [check(idn, readings, layout, single) for idn in template.identities]
    checks += table_wide_failures(template, broken_anyway, checks)
    return facts, checks
