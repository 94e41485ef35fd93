"""Fixed-width columns (inscriptis, DataFrame.to_string, w3m, pdftotext -layout): an empty
cell prints only spaces, and a cell whose row wraps may print its value on either line.

Where a table's complete rows stand in columns (values padded apart, under each other), a
row printing fewer values than cells, or printing them over several lines, is read by where
each value stands: under which column of the complete rows. Positions are measured in the
decoded text, in characters (inscriptis, pandas) or in display columns where a CJK character
takes two (w3m, pdftotext): whichever the complete rows line up in. Where the values fit no
complete row, or the complete rows disagree, the row is left as printed.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from xxgk.template import Row, parts
from xxgk.transform.cells import BLANK, Token
from xxgk.transform.locate import Segment

Place = tuple[int, int]  # [start, end) of a value across its line
_GROUPED = frozenset(p.ordinal for p in parts() if p.grouped)  # one table per row parent
_PADDING = 2  # fixed-width columns pad some values apart by at least this many columns


@dataclass(frozen=True)
class Meter:
    """Where a position of the normalised text stands across its line of the decoded text."""

    text: str  # the decoded text
    back: Callable[[int], int]  # a normalised position to a decoded one

    def column(self, pos: int, wide: bool) -> int:
        at = self.back(pos)
        return _width(self.text[self.text.rfind("\n", 0, at) + 1: at], wide)

    def around(self, pos: int, wide: bool) -> list[Place]:
        """Where the values stand on the lines just above and below the one holding `pos`."""
        at = self.back(pos)
        start = self.text.rfind("\n", 0, at) + 1
        end = self.text.find("\n", at)
        above = self.text[self.text.rfind("\n", 0, max(0, start - 1)) + 1: max(0, start - 1)]
        below = "" if end < 0 else self.text[end + 1:].split("\n", 1)[0]
        return [(_width(line[:m.start()], wide), _width(line[:m.end()], wide))
                for line in (above, below) for m in _DIGITS.finditer(line)]

    def line_of(self, pos: int) -> int:
        """The number of the decoded line holding normalised position `pos`."""
        return self.text.count("\n", 0, self.back(pos))

    @cached_property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def numbers(self, line: int, wide: bool, after: int = 0) -> list[tuple[Place, str]] | None:
        """Where each number stands on a decoded line, right of column `after`; None when the
        line prints anything else there (text, a mark: not a line of broken numbers)."""
        if not 0 <= line < len(self.lines):
            return None
        text = self.lines[line]
        out = []
        for m in re.finditer(r"\S+", text):
            place = (_width(text[:m.start()], wide), _width(text[:m.end()], wide))
            if place[0] < after:
                continue
            if not _DIGITS.fullmatch(m.group()):
                return None
            out.append((place, m.group()))
        return out

    def heading(self, pos: int, wide: bool) -> list[Place]:
        """Where the words stand on the lines above the one holding `pos`, up to a line
        holding a number (the table before) or _HEADING_LINES lines: a table's column
        headings."""
        at = self.back(pos)
        end = self.text.rfind("\n", 0, at)
        out: list[Place] = []
        for _ in range(_HEADING_LINES):
            if end < 0:
                break
            start = self.text.rfind("\n", 0, end) + 1
            line = self.text[start:end]
            if _DIGITS.search(line):
                break
            out += [(_width(line[:m.start()], wide), _width(line[:m.end()], wide))
                    for m in re.finditer(r"\S+", line)]
            end = start - 1
        return out


_DIGITS = re.compile(r"[0-9０-９]+")
_HEADING_LINES = 6


def _width(text: str, wide: bool) -> int:
    return len(text) + (sum(unicodedata.east_asian_width(c) in "WF" for c in text)
                        if wide else 0)


def _places(segment: Segment, toks: Sequence[Token], meter: Meter,
            wide: bool) -> tuple[list[Place], bool] | None:
    """Where each token stands, and whether they stand on more than one line; None when a
    token is not a printed value or cannot be found."""
    out, cursor, first = [], 0, None
    for t in toks:
        if t.kind not in ("num", "mark"):
            return None
        at = segment.text.find(t.text, cursor)
        if at < 0:
            return None
        first = at if first is None else first
        cursor = at + len(t.text)
        start = segment.start + at
        out.append((meter.column(start, wide), meter.column(start + len(t.text), wide)))
    return out, "\n" in segment.text[first or 0:cursor]


def _placed(values: list[Place], cols: list[Place]) -> list[int] | None:
    """The column each value stands under; None when one stands under none or two, or two
    under one."""
    out = []
    for s, e in values:
        under = [p for p, (a, b) in enumerate(cols) if s < b and e > a]
        if len(under) != 1 or under[0] in out:
            return None
        out.append(under[0])
    return out


def _aligned(complete: list[list[Place]]) -> list[list[Place]]:
    """The complete rows that show fixed-width columns: values padded apart, standing under
    the values of another complete row (a text joined by single spaces shows neither)."""
    padded = [r for r in complete if any(b[0] - a[1] >= _PADDING for a, b in itertools.pairwise(r))]
    return [r for r in padded if any(o is not r and _placed(o, r) == list(range(len(r)))
                                     for o in padded)]


def _agreed(values: list[Place], complete: list[list[Place]],
            around: list[Place]) -> list[int] | None:
    """The columns the values stand under, by every complete row they fit under (rows may
    stand at different offsets: a group label spanning rows shifts some); None when none
    fits, two disagree, or a number on the line above or below stands under a column left
    empty (a cell wrapped over lines: 3678 above, 3 below)."""
    found = {tuple(p): cols for cols in complete if (p := _placed(values, cols)) is not None}
    if len(found) != 1:
        return None
    placed, cols = found.popitem()
    empty = [cols[p] for p in range(len(cols)) if p not in placed]
    if any(s < b and e > a for s, e in around for a, b in empty):
        return None
    return list(placed)


def _needs_columns(segment: Segment, toks: Sequence[Token], n: int) -> bool:
    """A row printing fewer values than cells, or values on more than one line."""
    if len(toks) < n:
        return True
    values = [t.text for t in toks if t.kind in ("num", "mark")]
    first = segment.text.find(values[0]) if values else -1
    last = segment.text.rfind(values[-1]) if values else -1
    return 0 <= first < last and "\n" in segment.text[first:last]


def _first_value(segment: Segment | None) -> int:
    m = _DIGITS.search(segment.text) if segment else None
    return m.start() if m else 0


def _tables(rows: Sequence[Row], members: Sequence[int]) -> list[list[int]]:
    """The rows of each table: a part, or one 第二十条 group of part 二."""
    tables: dict[tuple[str, str], list[int]] = {}
    for i in members:
        row = rows[i]
        tables.setdefault((row.section, row.parent if row.section in _GROUPED else ""),
                          []).append(i)
    return list(tables.values())


def _gathered(where: Sequence[list[Place]], heading: list[Place], labels_end: int,
              n: int) -> list[Place] | None:
    """A table with no complete row: its columns where the values of all its rows and the
    words of its heading right of the labels stand, overlapping ones merged — when that
    makes exactly its `n` columns."""
    cols: list[Place] = []
    values = [p for places in where for p in places]
    for s, e in sorted(values + [p for p in heading if p[0] >= labels_end]):
        if cols and s < cols[-1][1]:
            cols[-1] = (cols[-1][0], max(cols[-1][1], e))
        else:
            cols.append((s, e))
    return cols if len(cols) == n else None


@dataclass
class _Table:
    """One table's rows, where their values stand, and the columns they show."""

    members: list[int]
    n: int
    where: dict[int, tuple[list[Place], bool]]
    columns: list[list[Place]]
    wide: bool
    shapes: list[int] = field(default_factory=list)  # each column row's _shape
    gathered: bool = False  # columns gathered from rows of each shape, not complete rows


_LABEL_GAP = re.compile(r"\s{2,}")


def _shape(segment: Segment | None) -> int:
    """How many cells print text on a row's label line before its values: 2 where a group
    label spanning rows stands on the line (its cells stand one column further right)."""
    return len(_LABEL_GAP.split(segment.label_line.strip())) if segment else 0


def _measured(members: list[int], n: int, segments: Sequence[Segment | None],
              toks: list[tuple[Token, ...] | None], meter: Meter) -> _Table:
    """The table measured the way its complete rows line up (characters or display columns)."""
    best = _Table(members, n, {}, [], False)
    for wide in (False, True):
        where = {i: p for i in members
                 if (p := _places(segments[i], toks[i], meter, wide)) is not None}  # type: ignore[arg-type]
        complete = _aligned([p for p, _ in where.values() if len(p) == n])
        if len(complete) > len(best.columns):
            shapes = [_shape(segments[i]) for i, (p, _) in where.items()
                      if any(p is c for c in complete)]
            best = _Table(members, n, where, complete, wide, shapes)
    return best


def fill_columns(rows: Sequence[Row], toks: list[tuple[Token, ...] | None],
                 segments: Sequence[Segment | None], meter: Meter | None,
                 checked: frozenset[int] = frozenset(),
                 ) -> tuple[dict[int, tuple[Token, ...]], set[int]]:
    """The rows read by column: their tokens in column order, empty cells in place. A table
    with no complete row is read by where all its rows' values stand, when another table of
    the page shows fixed-width columns (a page is flattened one way throughout)."""
    if meter is None:
        return {}, set()
    candidates = [i for i, t in enumerate(toks)
                  if t and segments[i] is not None and len(rows[i].cells) > 1]
    tables, others = [], []
    for members in _tables(rows, candidates):
        n = len(rows[members[0]].cells)
        if any(_needs_columns(segments[i], toks[i], n) for i in members):  # type: ignore[arg-type]
            tables.append(_measured(members, n, segments, toks, meter))
        else:
            others.append((members, n))
    shown = {t.wide for t in tables if t.columns}
    if not shown and tables:  # the tables printing every cell show how the page is measured
        shown = {t.wide for members, n in others
                 if (t := _measured(members, n, segments, toks, meter)).columns}
    for table in tables:
        if not table.columns and len(shown) == 1:
            _gather(table, segments, toks, meter, next(iter(shown)))
    out: dict[int, tuple[Token, ...]] = {}
    stacked: set[int] = set()
    for table in tables:
        out.update(_by_column(table, toks, segments, meter, checked, stacked))
    return out, stacked


def _gather(table: _Table, segments: Sequence[Segment | None],
            toks: list[tuple[Token, ...] | None], meter: Meter, wide: bool) -> None:
    """Columns for a table with no complete row, measured as the page is: for each shape of
    row apart (a group label on a row's line shifts its values one column), where the values
    of the rows of that shape stand — with the headings, for rows whose label stands alone."""
    table.wide, table.gathered = wide, True
    table.where = {i: p for i in table.members if (p := _places(
        segments[i], toks[i], meter, wide)) is not None}  # type: ignore[arg-type]
    first = segments[table.members[0]]
    assert first is not None  # candidates have one
    labels_end = max(meter.column(s.label_end, wide)
                     for i in table.members if (s := segments[i]) is not None)
    by_shape: dict[int, list[list[Place]]] = {}
    for i, (places, _) in table.where.items():
        by_shape.setdefault(_shape(segments[i]), []).append(places)
    for shape, rows in by_shape.items():
        heading = meter.heading(first.label_end, wide) if shape == 1 else []
        if (gathered := _gathered(rows, heading, labels_end, table.n)) is not None:
            table.columns.append(gathered)
            table.shapes.append(shape)


def _by_column(table: _Table, toks: list[tuple[Token, ...] | None],
               segments: Sequence[Segment | None], meter: Meter,
               stackable: frozenset[int], stacked: set[int]) -> dict[int, tuple[Token, ...]]:
    """The table's rows printing fewer values than cells, or over lines, placed by column;
    rows in `stackable` (their own identities check them) also read where a narrow column
    broke their numbers over lines, and their neighbours from their own line: those rows
    join `stacked` (every number their text prints is accounted for, some by a neighbour)."""
    label_lines = {meter.line_of(s.label_end): s.label_end for s in segments if s is not None}
    out: dict[int, tuple[Token, ...]] = {}
    claimed: set[int] = set()  # decoded lines holding pieces of a row's broken numbers
    for i, (values, lines) in table.where.items() if table.columns else ():
        if not (len(values) < table.n or lines):
            continue
        segment = segments[i]
        assert segment is not None  # candidates have one
        around = meter.around(segment.start + _first_value(segment), table.wide)
        shape = _shape(segment)
        alike = [c for c, k in zip(table.columns, table.shapes, strict=False) if k == shape]
        if not alike and table.gathered:
            continue  # gathered columns place only rows of their own shape
        if i in stackable and (stacked_row := _stacked(
                segment, table.n, meter, table.wide, label_lines)) is not None:
            out[i], used = stacked_row
            claimed |= used
            stacked.add(i)
        elif (cols := _agreed(values, alike or table.columns, around)) is not None:
            by_column = dict(zip(cols, toks[i], strict=True))  # type: ignore[arg-type]
            out[i] = tuple(by_column.get(p, BLANK) for p in range(table.n))
    for i in table.where.keys() - out.keys() if claimed else ():
        if (own := _own_line(segments[i], toks[i], table, meter, claimed)) is not None:
            out[i] = own
            stacked.add(i)
    return out


def _stacked(segment: Segment, n: int, meter: Meter, wide: bool,
             label_lines: dict[int, int]) -> tuple[tuple[Token, ...], set[int]] | None:
    """A row whose numbers a narrow column broke over lines (PDF text: ４ on the line above
    the label's, ６ on the line below, for 46; w3m: 1 on the label's line, 8 below): its
    numbers on the label's line and on the lines just above and below it that hold only
    numbers and are no other row's, pieces standing over each other joined top to bottom —
    when that makes exactly its `n` cells. With the decoded lines used."""
    main = meter.line_of(segment.label_end)
    label_end = meter.column(segment.label_end, wide)
    on_main = meter.numbers(main, wide, label_end)
    free = [k for k in (main - 1, main + 1)
            if _ours(k, main, label_lines, meter, wide, n) and meter.numbers(k, wide, label_end)]
    if not free or not on_main:
        return None
    pieces = [(p, k, d) for k in free for p, d in meter.numbers(k, wide, label_end) or []]
    slots: list[tuple[Place, list[tuple[int, str]]]] = []
    for place, k, digits in sorted(pieces + [(p, main, d) for p, d in on_main]):
        if slots and place[0] < slots[-1][0][1]:  # standing over each other: one cell
            (start, end), joined = slots[-1]
            slots[-1] = ((start, max(end, place[1])), [*joined, (k, digits)])
        else:
            slots.append((place, [(k, digits)]))
    used = {main, *free}
    if len(slots) != n or any(meter.line_of(segment.start + m.start()) not in used
                              for m in _DIGITS.finditer(segment.text)):
        return None
    cells = tuple(Token("num", "".join(d for _, d in sorted(joined))) for _, joined in slots)
    return cells, set(free)


def _ours(line: int, main: int, label_lines: dict[int, int], meter: Meter, wide: bool,
          n: int) -> bool:
    """Whether `line`, next to the row's line `main`, holds the row's pieces: it is no row's
    label line, and the row's line beyond it, if any, prints all its `n` cells on it (no
    pieces of its own to take: w3m puts a row's next line right before the next row's)."""
    beyond = 2 * line - main
    if line in label_lines:
        return False
    if beyond not in label_lines:
        return True
    own = meter.numbers(beyond, wide, meter.column(label_lines[beyond], wide))
    return own is not None and len(own) == n


def _own_line(segment: Segment | None, toks: tuple[Token, ...] | None, table: _Table,
              meter: Meter, claimed: set[int]) -> tuple[Token, ...] | None:
    """A complete row whose text also holds pieces of a neighbour's broken numbers (lines
    `claimed` by the neighbour): its values on its label's line, when they are all of it."""
    if segment is None or not toks:
        return None
    main = meter.line_of(segment.label_end)
    values = [t for t in toks if t.kind in ("num", "mark")]
    on_main = meter.numbers(main, table.wide, meter.column(segment.label_end, table.wide))
    others = {meter.line_of(segment.start + m.start())
              for m in _DIGITS.finditer(segment.text)} - {main}
    if on_main is None or len(on_main) != table.n or not others <= claimed:
        return None
    return tuple(values[:table.n]) if [v.text for v in values[:table.n]] == [
        unicodedata.normalize("NFKC", d) for _, d in on_main] else None
