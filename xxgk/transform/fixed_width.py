"""Fixed-width columns (inscriptis, DataFrame.to_string): an empty cell prints only spaces.

A row printing fewer values than it has cells places them by where they stand on its line,
under the values of the complete rows of the same table. Where they fit under no complete
row, or the complete rows disagree, the row is left as it is (its empty cells undetermined).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from xxgk.template import Row
from xxgk.transform.cells import BLANK, Token
from xxgk.transform.locate import Segment

Place = tuple[int, int]  # [start, end) of a value on its line


def places(segment: Segment | None, toks: Sequence[Token]) -> list[Place] | None:
    """Where each token stands on its label's line, or None when they are not all on it."""
    if segment is None or segment.start != segment.label_end or not toks:
        return None
    line = segment.text.split("\n", 1)[0]
    column, cursor, out = len(segment.label_line), 0, []
    for t in toks:
        if t.kind not in ("num", "mark"):
            return None
        at = line.find(t.text, cursor)
        if at < 0:
            return None
        cursor = at + len(t.text)
        out.append((column + at, column + cursor))
    return out


def _placed(values: list[Place], cols: list[Place]) -> list[int] | None:
    """The column each value stands under, or None when one stands under none or two."""
    out = []
    for s, e in values:
        under = [p for p, (a, b) in enumerate(cols) if s < b and e > a]
        if len(under) != 1 or (out and under[0] <= out[-1]):
            return None
        out.append(under[0])
    return out


def fill_columns(rows: Sequence[Row], toks: list[tuple[Token, ...] | None],
                 segments: Sequence[Segment | None]) -> dict[int, tuple[Token, ...]]:
    """For the rows printing fewer values than cells, their tokens with the empty cells in
    place, where the columns of their table (a part, or one 第二十条 group of part 二) say."""
    where = {i: places(segments[i], t) for i, t in enumerate(toks) if t}
    out: dict[int, tuple[Token, ...]] = {}
    tables: dict[tuple[str, str], list[int]] = {}
    for i, row in enumerate(rows):
        if where.get(i) is not None and len(row.cells) > 1:
            table = (row.section, row.parent if row.section == "二" else "")
            tables.setdefault(table, []).append(i)
    for members in tables.values():
        n = len(rows[members[0]].cells)
        complete = _aligned([where[i] for i in members if len(where[i]) == n])
        for i in members:
            if len(where[i]) < n and (filled := _agreed(where[i], complete)) is not None:
                it = iter(toks[i])  # type: ignore[arg-type]
                out[i] = tuple(next(it) if p in filled else BLANK for p in range(n))
    return out


_PADDING = 2  # fixed-width columns pad values apart by at least this many spaces


def _aligned(complete: list[list[Place]]) -> list[list[Place]]:
    """The complete rows that show fixed-width columns: values padded apart, standing under
    the values of another complete row (a text joined by single spaces shows neither)."""
    padded = [r for r in complete
              if all(b[0] - a[1] >= _PADDING for a, b in itertools.pairwise(r))]
    return [r for r in padded if any(o is not r and _placed(o, r) == list(range(len(r)))
                                     for o in padded)]


def _agreed(values: list[Place], complete: list[list[Place]]) -> list[int] | None:
    """The columns the values stand under, by every complete row they fit under (rows may
    stand at different offsets: a group label spanning rows shifts some); None when none
    fits or two disagree."""
    found = {tuple(p) for cols in complete if (p := _placed(values, cols)) is not None}
    return list(found.pop()) if len(found) == 1 else None
