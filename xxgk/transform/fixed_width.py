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
from dataclasses import dataclass

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


_DIGITS = re.compile(r"[0-9０-９]+")


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


def fill_columns(rows: Sequence[Row], toks: list[tuple[Token, ...] | None],
                 segments: Sequence[Segment | None],
                 meter: Meter | None) -> dict[int, tuple[Token, ...]]:
    """The rows read by column: their tokens in column order, empty cells in place."""
    if meter is None:
        return {}
    candidates = [i for i, t in enumerate(toks)
                  if t and segments[i] is not None and len(rows[i].cells) > 1]
    out: dict[int, tuple[Token, ...]] = {}
    for members in _tables(rows, candidates):
        n = len(rows[members[0]].cells)
        if not any(_needs_columns(segments[i], toks[i], n) for i in members):  # type: ignore[arg-type]
            continue  # every row prints its cells in order on one line
        best: tuple[int, dict[int, tuple[list[Place], bool]]] = (0, {})
        for wide in (False, True):
            where = {i: p for i in members
                     if (p := _places(segments[i], toks[i], meter, wide)) is not None}  # type: ignore[arg-type]
            complete = _aligned([p for p, _ in where.values() if len(p) == n])
            if len(complete) > best[0]:
                best = (len(complete), {i: (p, lines) for i, (p, lines) in where.items()})
                columns, wide_best = complete, wide
        for i, (values, lines) in best[1].items() if best[0] else ():
            if not (len(values) < n or lines):
                continue
            segment = segments[i]
            assert segment is not None  # candidates have one
            around = meter.around(segment.start + _first_value(segment), wide_best)
            if (cols := _agreed(values, columns, around)) is not None:
                by_column = dict(zip(cols, toks[i], strict=True))  # type: ignore[arg-type]
                out[i] = tuple(by_column.get(p, BLANK) for p in range(n))
    return out
