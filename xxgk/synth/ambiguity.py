"""An independent oracle for run-together rows: which cells could the printed text not decide?

Deliberately naive and separate from the parser: enumerate every split of a row's printed cells
text into the row's cell count and keep the splits that satisfy the row's identities. A space is
always a cell boundary; a marker (/ — 无) is one cell of its own; a number has no leading zero
(except "0" itself) and may carry a minus sign and decimals; unit words (元, 万元) are ignored.
Splits are enumerated from the right, so that a total printed after its parts bounds them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Constraint = tuple[tuple[int, ...], tuple[int, ...]]
"""sum(cells at left positions) == sum(cells at right positions), positions within the row."""

Split = tuple[int | float | None, ...]

_MARKERS = ("/", "—", "无")
_TOKEN = re.compile(r"[-\d.]+|[/—无]")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
MAX_SPLITS = 2000
"""Past this many splits the row is called ambiguous in every cell (only rows with no usable
identity and many digits get there)."""


def _value(text: str) -> int | float | None:
    if not _NUMBER.fullmatch(text):
        return None
    return float(text) if "." in text else int(text)


def splits(text: str, n: int, constraints: Sequence[Constraint] = (),
           limit: int = MAX_SPLITS) -> list[Split]:
    """Every split of `text` into n cells satisfying the constraints (markers as None = 0)."""
    tokens = _TOKEN.findall(text)
    prune = "-" not in text  # with no negative number, a fully known side bounds the other side
    cells: list[int | float | None] = [None] * n
    filled = [False] * n
    out: list[Split] = []
    before = [sum(len(tok) for tok in tokens[:t]) for t in range(len(tokens))]
    touching = [[c for c in constraints if i in c[0] or i in c[1]] for i in range(n)]

    def side(positions: tuple[int, ...]) -> tuple[float, bool]:
        return (sum(cells[p] or 0 for p in positions if filled[p]),
                all(filled[p] for p in positions))

    def feasible(i: int) -> bool:
        for left, right in touching[i]:
            (ls, lfull), (rs, rfull) = side(left), side(right)
            if lfull and rfull and abs(ls - rs) > 1e-9:
                return False
            if prune and ((lfull and rs > ls + 1e-9) or (rfull and ls > rs + 1e-9)):
                return False
        return True

    def place(i: int, value: int | float | None, then: int, end: int) -> None:
        cells[i], filled[i] = value, True
        if feasible(i):
            walk(then, end, i - 1)
        filled[i] = False

    def walk(t: int, end: int, i: int) -> None:
        """Fill cells i, i-1, ... from token t (its first `end` characters still unused)."""
        if len(out) >= limit:
            return
        if t < 0:
            if i < 0:
                out.append(tuple(cells))
            return
        if not t + 1 <= i + 1 <= before[t] + end:  # a cell per token at least, a char at most
            return
        token = tokens[t]
        if token in _MARKERS:
            place(i, None, t - 1, len(tokens[t - 1]) if t else 0)
            return
        for start in range(end - 1, -1, -1):
            value = _value(token[start:end])
            if value is None:
                continue
            if start == 0:
                place(i, value, t - 1, len(tokens[t - 1]) if t else 0)
            else:
                place(i, value, t, start)

    if tokens:
        walk(len(tokens) - 1, len(tokens[-1]), n - 1)
    return out


def ambiguous_positions(text: str, n: int, constraints: Sequence[Constraint] = (),
                        truth: Split | None = None) -> set[int]:
    """Positions whose value differs between the splits that fit the row's identities.

    When the printed row itself breaks its identities (a broken report), the identities cannot
    decide anything: every split counts.
    """
    found = splits(text, n, constraints)
    if truth is not None and not _contains(found, truth):
        found = splits(text, n)
    if len(found) >= MAX_SPLITS:
        return set(range(n))
    return {i for i in range(n) if len({s[i] for s in found}) > 1}


def _contains(found: list[Split], truth: Split) -> bool:
    return any(all(_same(a, b) for a, b in zip(s, truth, strict=True)) for s in found)


def _same(a: int | float | None, b: int | float | None) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) < 1e-9)
