"""Dividing a row's printed tokens into its cells when digits of neighbouring cells ran together.

`230 000023` must be the seven cells 23,0,0,0,0,0,23: every way to cut the digits into the row's
cells is tried (a space always separates cells; no cell has a leading zero), keeping the ways
that satisfy the row's own identities (I3: 总计 = the six applicant columns; I4 per group).
All surviving ways are returned: choosing among them is for the table-wide identities, and
where they still disagree the cell stays undetermined, never guessed.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from xxgk.transform.cells import BLANK, Token

Number = int | float
CellValue = tuple[str, Number | None, str | None]  # (raw text, value, printed unit)
Candidate = tuple[CellValue, ...]
Constraint = tuple[tuple[int, ...], tuple[int, ...]]  # sum(left) == sum(right), row positions

_CELL = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?")
MAX_CANDIDATES = 64
_NODE_BUDGET = 20_000  # real rows take tens of nodes; fuzzed ones must not take seconds
_TOLERANCE = 1e-6


def number(text: str) -> Number:
    text = text.replace(",", "")
    return float(text) if "." in text else int(text)


def total(values: list[Number | None]) -> Number:
    """Blank and not-a-number cells count as 0 in an identity."""
    return sum(filter(None, values))


def holds(left: list[Number | None], right: list[Number | None]) -> bool:
    return abs(total(left) - total(right)) < _TOLERANCE


@dataclass(frozen=True)
class RowSplit:
    """The ways a row's tokens can be its cells.

    satisfied: the candidates satisfy the row's identities (False: no way to cut the digits does,
    so the printed row breaks them whichever way it is read).
    complete: the candidates are all the ways there are (not cut short by MAX_CANDIDATES).
    problem: why there is no candidate at all.
    by_identity: the text allows other readings, which the identities ruled out: the values
    hold only if the report's own arithmetic does (a report that breaks it may have been cut
    wrong), so its cells say so.
    fixed: where the candidates are not all the readings, the cells every way of cutting the
    digits agrees on (a leading 0 can only be a 0), which are known all the same.
    """

    candidates: tuple[Candidate, ...]
    satisfied: bool
    complete: bool
    problem: str | None = None
    by_identity: bool = False
    fixed: tuple[tuple[int, CellValue], ...] = ()  # when incomplete: cells every reading shares


def _forcing(constraints: tuple[Constraint, ...]) -> dict[int, Constraint]:
    """For a cell that is the last of an identity and alone on its side (a 总计 after its
    parts), the cells whose sums fix its value: value = sum(plus) - sum(minus)."""
    out = {}
    for left, right in constraints:
        k = max(left + right)
        for same, other in ((left, right), (right, left)):
            if k in same and k not in other:
                out[k] = (other, tuple(p for p in same if p != k))
                break
    return out


def _bounding(forced: dict[int, Constraint]) -> dict[int, tuple[int, ...]]:
    """For a part of a 总计 = sum(parts) identity (no minus side), the parts cut so far: the
    total is at least their sum, so it prints at least as many digits."""
    out: dict[int, tuple[int, ...]] = {}
    for f, (plus, minus) in forced.items():
        if not minus:
            for k in plus:
                if k < f:
                    out[k] = tuple(p for p in plus if p <= k)
    return out


@dataclass
class _Search:
    """One depth-first search over the ways to cut a row's tokens into its n cells: what is
    known before it starts, the cells cut so far on the current path, and what it found.

    At each cell it takes the named pruning steps below (`_cells_fit`, `_forced_ends`,
    `_total_unprintable`, `_consistent`); it stops when the node budget is spent or `limit`
    candidates are found — `walk` returns False then, all the way up."""

    tokens: tuple[Token, ...]
    n: int
    limit: int
    completing: dict[int, list[Constraint]]  # the identities whose last cell is cell k
    forced: dict[int, Constraint]  # `_forcing`
    bounded: dict[int, tuple[int, ...]]  # `_bounding`
    room: list[int]  # after token i, at most this many cells can still be cut (one per digit)
    chars: list[int]  # and this many characters are left to print them in
    cells: list[CellValue]
    found: list[Candidate] = field(default_factory=list)
    nodes: int = 0

    @classmethod
    def of(cls, tokens: tuple[Token, ...], n: int, constraints: tuple[Constraint, ...],
           limit: int) -> _Search:
        completing: dict[int, list[Constraint]] = {}
        for left, right in constraints:
            completing.setdefault(max(left + right), []).append((left, right))
        forced = _forcing(constraints)
        room = [0] * (len(tokens) + 1)
        chars = [0] * (len(tokens) + 1)
        for i in range(len(tokens) - 1, -1, -1):
            splittable = tokens[i].kind == "num" and not tokens[i].whole
            room[i] = room[i + 1] + (len(tokens[i].text) if splittable else 1)
            chars[i] = chars[i + 1] + max(1, len(tokens[i].text))
        return cls(tokens, n, limit, completing, forced, _bounding(forced), room, chars,
                   [("", None, None)] * n)

    def walk(self, ti: int, offset: int, k: int) -> bool:
        """Cut cells k… from token ti at `offset`; False when the search must stop."""
        self.nodes += 1
        if self.nodes > _NODE_BUDGET:
            return False
        if k == self.n or ti == len(self.tokens):
            return self._finish(ti, k)
        if not _cells_fit(self, ti, offset, k):
            return True
        tok = self.tokens[ti]
        if tok.kind != "num":
            self.cells[k] = (tok.text, None, None)
            return not _consistent(self, k) or self.walk(ti + 1, 0, k + 1)
        return self._cut_number(tok, ti, offset, k)

    def _finish(self, ti: int, k: int) -> bool:
        """A path that has cut every cell, or used every token: a candidate when both."""
        if k == self.n and ti == len(self.tokens):
            self.found.append(tuple(self.cells))
            return len(self.found) < self.limit
        return True

    def _cut_number(self, tok: Token, ti: int, offset: int, k: int) -> bool:
        """Cell k as each piece of a number's digits from `offset` on, shortest first."""
        s = tok.text
        every = range(len(s), len(s) + 1) if tok.whole else range(offset + 1, len(s) + 1)
        ends = _forced_ends(self, k, s, offset, every) if k in self.forced else every
        for end in ends or ():
            piece = s[offset:end]
            if not _CELL.fullmatch(piece):
                continue
            last = end == len(s)
            self.cells[k] = (piece, number(piece), tok.unit if last else None)
            if k in self.bounded and _total_unprintable(self, ti, k, len(s) - end):
                break
            if _consistent(self, k) and not self.walk(ti + (1 if last else 0),
                                                      0 if last else end, k + 1):
                return False
        return True


# ---- the pruning steps -------------------------------------------------------------------------

def _cells_fit(search: _Search, ti: int, offset: int, k: int) -> bool:
    """Room: the cells still to cut are at least one per token left (a token is never
    skipped) and at most one per digit left."""
    left = search.n - k
    return len(search.tokens) - ti <= left <= search.room[ti] - offset


def _forced_ends(search: _Search, k: int, text: str, offset: int, ends: range) -> range | None:
    """A total its parts fix (`_forcing`): only the piece that prints sum(plus) − sum(minus)
    can be cell k; None when the digits at `offset` do not print it. Decimals: every end."""
    plus, minus = search.forced[k]
    want = (total([search.cells[p][1] for p in plus])
            - total([search.cells[p][1] for p in minus]))
    if not isinstance(want, int):
        return ends
    printed = str(want)
    if not text.startswith(printed, offset):
        return None
    return range(offset + len(printed), offset + len(printed) + 1)


def _total_unprintable(search: _Search, ti: int, k: int, digits_left: int) -> bool:
    """A part of a total (`_bounding`), cut: the total is at least the sum of the parts so far,
    so it prints at least as many digits; True when the characters left cannot hold it and
    the cells between — a longer cut of this part only leaves less room, so stop cutting it."""
    partial = total([search.cells[p][1] for p in search.bounded[k]])
    if not isinstance(partial, int) or partial < 0:
        return False
    chars_left = digits_left + search.chars[ti + 1]
    return chars_left < search.n - k - 2 + len(str(partial))


def _consistent(search: _Search, k: int) -> bool:
    """The identities whose last cell is cell k hold for the cells cut so far."""
    if k not in search.completing:  # most cells complete no identity
        return True
    cells = search.cells
    return all(
        holds([cells[p][1] for p in left], [cells[p][1] for p in right])
        for left, right in search.completing[k]
    )


def _search(
    tokens: tuple[Token, ...], n: int, constraints: tuple[Constraint, ...], limit: int
) -> tuple[list[Candidate], bool]:
    """Depth-first over every cut; returns (candidates, within_budget): False when the node
    budget ran out before every cut was tried (a full `limit` of candidates also stops it)."""
    search = _Search.of(tokens, n, constraints, limit)
    search.walk(0, 0, 0)
    return search.found, search.nodes <= _NODE_BUDGET


Position = tuple[int, int]  # (token, offset in its digits)


def _cuts(tokens: tuple[Token, ...], pos: Position) -> Iterator[tuple[CellValue, Position]]:
    """Every cell that can start at `pos`, with the position after it."""
    ti, offset = pos
    tok = tokens[ti]
    if tok.kind != "num":
        yield (tok.text, None, None), (ti + 1, 0)
        return
    s = tok.text
    for end in range(len(s), len(s) + 1) if tok.whole else range(offset + 1, len(s) + 1):
        piece = s[offset:end]
        if tok.whole or _CELL.fullmatch(piece):
            last = end == len(s)
            after = (ti + 1, 0) if last else (ti, end)
            yield (piece, number(piece), tok.unit if last else None), after


def fixed_cells(tokens: tuple[Token, ...], n: int) -> tuple[tuple[int, CellValue], ...]:
    """The cells that every way of cutting `tokens` into n cells agrees on, found without
    listing the ways: backwards, the positions from which the remaining cells can be cut;
    forwards, the cells each position can start."""
    end: Position = (len(tokens), 0)
    positions = [(ti, o) for ti, t in enumerate(tokens)
                 for o in (range(len(t.text)) if t.kind == "num" and not t.whole else (0,))]
    finishing: list[set[Position]] = [set() for _ in range(n)] + [{end}]
    for k in range(n - 1, -1, -1):
        finishing[k] = {p for p in positions
                        if any(q in finishing[k + 1] for _, q in _cuts(tokens, p))}
    if (0, 0) not in finishing[0]:
        return ()
    out, frontier = [], {(0, 0)}
    for k in range(n):
        options = {(cell, q) for p in frontier for cell, q in _cuts(tokens, p)
                   if q in finishing[k + 1]}
        cells = {cell for cell, _ in options}
        if len(cells) == 1:
            out.append((k, cells.pop()))
        frontier = {q for _, q in options}
    return tuple(out)


def _as_printed(tokens: tuple[Token, ...]) -> Candidate:
    return tuple(
        (t.text, number(t.text) if t.kind == "num" else None, t.unit) for t in tokens
    )


def _settled(tokens: tuple[Token, ...], n: int) -> list[tuple[Token, ...]]:
    """The ways a row's possible empty cells (MAYBE) make it n cells: none of them where the
    rest are n, else the likely ones (a no-break space line) where that is n, else every
    choice of as many as are missing; the tokens as they are when no choice fits."""
    maybes = [i for i, t in enumerate(tokens) if t.kind == "maybe"]
    if not maybes:
        return [tokens]
    strong = [i for i in maybes if tokens[i].text]
    need = n - (len(tokens) - len(maybes))
    if need <= 0 or need > len(maybes):
        chosen: list[tuple[int, ...]] = [()]
    elif need == len(strong):
        chosen = [tuple(strong)]
    else:
        chosen = list(itertools.combinations(maybes, need))
    return list(dict.fromkeys(
        tuple(BLANK if i in pick else t for i, t in enumerate(tokens)
              if t.kind != "maybe" or i in pick) for pick in chosen))


def _blank_placements(cells: tuple[Token, ...], n: int) -> list[tuple[Token, ...]]:
    """Fewer cells than n in a table that separates its cells: the empty cells they left out
    may stand anywhere."""
    if len(cells) >= n:
        return []
    out = []
    for blanks in itertools.combinations(range(n), n - len(cells)):
        it = iter(cells)
        out.append(tuple(BLANK if p in blanks else next(it) for p in range(n)))
        if len(out) > MAX_CANDIDATES:
            break
    return out


@lru_cache(maxsize=4096)
def split_row(tokens: tuple[Token, ...], n: int, constraints: tuple[Constraint, ...],
              separated: bool = False) -> RowSplit:
    """The readings of a row's tokens as its n cells (cached: rows such as 0000000 recur).
    `separated`: the row's table prints each cell as a token of its own, so a token is never
    cut, and a row printing fewer tokens than cells left empty cells out."""
    ways = _settled(tokens, n)
    if len(ways) > 1:
        return _direct(ways, constraints)
    placements = _placements(ways[0], n)
    if placements:
        return _direct(placements, constraints)
    return _cut(tuple(t for t in ways[0] if t.kind not in ("lead", "pad")), n, constraints,
                separated)


def _placements(tokens: tuple[Token, ...], n: int) -> list[tuple[Token, ...]]:
    """Readings fixed by where the row's empty fields stand: nothing printed after the label
    (every cell blank), or empty fields around the cells that may be blank cells (LEAD, PAD:
    cells.py's docstring, "Blank, lead and pad")."""
    lead = sum(t.kind == "lead" for t in tokens)
    pads = sum(t.kind == "pad" for t in tokens)
    cells = tuple(t for t in tokens if t.kind not in ("lead", "pad"))
    if not cells and not lead + pads:
        return [(BLANK,) * n]
    return [
        (BLANK,) * before + cells + (BLANK,) * (n - len(cells) - before)
        for before in range(lead + 1) if 0 <= n - len(cells) - before <= pads
    ]


def _zero_led(token: Token) -> bool:
    """Digits no cell prints as one number (000, 01): cells run together, whatever the table
    separates elsewhere."""
    text = token.text
    return token.kind == "num" and len(text) > 1 and text[0] == "0" and "." not in text


def _cut(cells: tuple[Token, ...], n: int, constraints: tuple[Constraint, ...],
         separated: bool) -> RowSplit:
    """The readings of printed cells that do not stand one per field: whole tokens placed
    among empty cells, or digits run together cut every way."""
    printed = tuple(t for t in cells if t.kind != "blank")
    separated = separated and not any(_zero_led(t) for t in printed)
    if separated:
        printed = tuple(t._replace(whole=True) if t.kind == "num" else t for t in printed)
        cells = tuple(t._replace(whole=True) if t.kind == "num" else t for t in cells)
    if len(printed) == n:
        return _direct([printed], constraints)
    if len(printed) > n:
        return RowSplit((), False, True, f"{len(printed)} numbers printed for {n} cells")
    if separated and (placed := _blank_placements(cells, n)):
        return _direct(placed, constraints, complete=len(placed) <= MAX_CANDIDATES)
    found, exhausted = _search(printed, n, constraints, MAX_CANDIDATES)
    if found:
        others = len(found) > 1 or len(_search(printed, n, (), 2)[0]) > 1
        complete = exhausted and len(found) < MAX_CANDIDATES
        return RowSplit(tuple(found), True, complete, by_identity=others,
                        fixed=() if complete else fixed_cells(printed, n))
    if not exhausted:
        return RowSplit((), False, False, "too many ways to cut the digits to try them all")
    anyway, exhausted = _search(printed, n, (), MAX_CANDIDATES)
    if not anyway:
        return RowSplit((), False, exhausted, f"the digits cannot be cut into {n} cells")
    complete = exhausted and len(anyway) < MAX_CANDIDATES
    return RowSplit(tuple(anyway), False, complete,
                    fixed=() if complete else fixed_cells(printed, n))


def _direct(readings: list[tuple[Token, ...]], constraints: tuple[Constraint, ...],
            complete: bool = True) -> RowSplit:
    """Readings with one token per cell: those satisfying the row's identities, if any do."""
    candidates = [_as_printed(r) for r in readings]
    fitting = tuple(
        c for c in candidates
        if all(holds([c[p][1] for p in lt], [c[p][1] for p in rt]) for lt, rt in constraints)
    )
    if not fitting:
        return RowSplit(tuple(candidates), False, complete)
    return RowSplit(fitting, True, complete, by_identity=len(candidates) > 1)
