"""The identity checks (勾稽关系) of a read table: for each instance of an identity, whether the
report's numbers satisfy it — passed True, False or None (undetermined) — with the sums found.

Where an identity's cells sit (`IdentityLayout`) says which identities a row checks alone (they
choose the row's cuts: split.py) and which span rows (they narrow the readings of ambiguous rows:
table.py `_narrow`, then are checked here).

The verdict is one small table of cases, VERDICTS: the first case whose situation holds decides.
A check passes or fails only where the text decides it — every row read one way, or every way to
read the ambiguous rows tried and all agreeing, or an identity within one row whose cut it chose.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, Protocol

from xxgk.model import Check
from xxgk.template import CellKey, Identity, Row, Template
from xxgk.transform.split import Candidate, Constraint, RowSplit, holds, total

_MAX_COMBINATIONS = 20_000


class RowReading(Protocol):
    """What a check needs of a read row (table.py `_Reading`)."""

    row: Row
    split: RowSplit | None
    candidates: tuple[Candidate, ...]


@dataclass(frozen=True)
class IdentityLayout:
    """Where each cell of a template sits (row index, position) and which identities a row
    can check alone."""

    where: dict[CellKey, tuple[int, int]]
    row_constraints: dict[int, tuple[Constraint, ...]]
    rows_of: dict[Identity, tuple[int, ...]]
    sides: dict[Identity, tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]]


@cache
def identity_layout(template: Template) -> IdentityLayout:
    where = {c.key: (i, p) for i, r in enumerate(template.rows) for p, c in enumerate(r.cells)}
    row_constraints: dict[int, tuple[Constraint, ...]] = {}
    rows_of = {}
    for idn in template.identities:
        rows = tuple(sorted({where[k][0] for k in idn.keys}))
        rows_of[idn] = rows
        if len(rows) == 1:
            left = tuple(where[k][1] for k in idn.left)
            right = tuple(where[k][1] for k in idn.right)
            row_constraints[rows[0]] = (*row_constraints.get(rows[0], ()), (left, right))
    sides = {idn: (tuple(where[k] for k in idn.left), tuple(where[k] for k in idn.right))
             for idn in template.identities}
    return IdentityLayout(where, row_constraints, rows_of, sides)


def sides(idn: Identity, choice: dict[int, Candidate],
          layout: IdentityLayout) -> tuple[float, float]:
    left, right = layout.sides[idn]
    return (total([choice[i][p][1] for i, p in left]),
            total([choice[i][p][1] for i, p in right]))


def holds_in(idn: Identity, choice: dict[int, Candidate], layout: IdentityLayout) -> bool:
    left, right = sides(idn, choice, layout)
    return holds([left], [right])


def combinations(
    readings: Sequence[RowReading], rows: tuple[int, ...]
) -> Iterator[dict[int, Candidate]] | None:
    """Every combination of the rows' candidates (each a {row: candidate} dict), or None when
    there are too many to try."""
    lists = [readings[i].candidates for i in rows]
    if math.prod(len(c) for c in lists) > _MAX_COMBINATIONS:
        return None
    return (dict(zip(rows, combo, strict=True)) for combo in itertools.product(*lists))


# ---- the verdict ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class Situation:
    """What is known of an identity's rows when it is checked."""

    one_way: bool = False  # every row of it is read one way
    unread: bool = False  # a row of it has no reading at all
    own_row: bool = False  # it lies within one row, whose cuts were chosen to satisfy it
    row_satisfied: bool | None = None  # own_row: whether that row's cuts satisfy it
    complete: bool = False  # every combination of the rows' readings was tried, each complete
    verdicts: frozenset[bool] = field(default_factory=frozenset)  # holds? over the combinations


Decision = Literal["sums", "row", "undetermined"]


@dataclass(frozen=True)
class Verdict:
    case: str
    when: Mapping[str, bool]  # the Situation fields this case needs; {}: any situation
    passed: Decision  # sums: what the sums say (they agree); row: the row's cut; else None


VERDICTS: tuple[Verdict, ...] = (
    Verdict("every row read one way", {"one_way": True}, "sums"),
    Verdict("a row not read", {"unread": True}, "undetermined"),
    Verdict("within one row, whose cut it chose", {"own_row": True}, "row"),
    Verdict("every reading tried, all agree", {"complete": True, "unanimous": True}, "sums"),
    Verdict("readings not all tried, or disagreeing", {}, "undetermined"),
)


def verdict(situation: Situation) -> Verdict:
    """The first case of VERDICTS the situation is in."""
    facts = {"unanimous": len(situation.verdicts) == 1, **vars(situation)}
    return next(v for v in VERDICTS if all(facts[k] == want for k, want in v.when.items()))


def passed(situation: Situation) -> bool | None:
    """The check's `passed`: True, False, or None where the text does not decide it."""
    decision = verdict(situation).passed
    if decision == "row":
        return situation.row_satisfied
    return next(iter(situation.verdicts)) if decision == "sums" else None


def _fmt(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def situation_of(idn: Identity, readings: Sequence[RowReading], layout: IdentityLayout,
                 single: dict[int, Candidate]) -> tuple[Situation, set[tuple[float, float]]]:
    """The situation of an identity's rows and the sums its readings give (left, right)."""
    rows = layout.rows_of[idn]
    if all(i in single for i in rows):  # the common case, directly
        left, right = sides(idn, single, layout)
        one_way = Situation(one_way=True, verdicts=frozenset({holds([left], [right])}))
        return one_way, {(left, right)}
    if any(not readings[i].candidates for i in rows):
        return Situation(unread=True), set()
    split = readings[rows[0]].split if len(rows) == 1 else None
    choices = combinations(readings, rows)
    outcomes = set() if choices is None else {sides(idn, c, layout) for c in choices}
    complete = choices is not None and all(readings[i].split.complete  # type: ignore[union-attr]
                                           for i in rows)
    return Situation(own_row=split is not None,
                     row_satisfied=split.satisfied if split is not None else None,
                     complete=complete,
                     verdicts=frozenset(holds([a], [b]) for a, b in outcomes)), outcomes


def check(idn: Identity, readings: Sequence[RowReading], layout: IdentityLayout,
          single: dict[int, Candidate]) -> Check:
    """`single`: the reading of every row read one way (most rows of most reports)."""
    situation, outcomes = situation_of(idn, readings, layout, single)
    result = passed(situation)
    if situation.unread:
        unread = [readings[i].row.label for i in layout.rows_of[idn]
                  if not readings[i].candidates]
        return Check(idn.rule, idn.scope, None, None, None,
                     f"undetermined: row {'、'.join(unread)} could not be read")
    if len(outcomes) == 1:
        left, right = next(iter(outcomes))
        ok = holds([left], [right])
        return Check(idn.rule, idn.scope, result, left, right,
                     f"{idn.text}: {_fmt(left)} {'=' if ok else '≠'} {_fmt(right)}")
    if result is None:
        return Check(idn.rule, idn.scope, None, None, None,
                     f"{idn.text}: undetermined, cells are ambiguous")
    return Check(idn.rule, idn.scope, result, None, None,
                 f"{idn.text}: {'holds' if result else 'fails'} for every reading of the "
                 "ambiguous cells")


def table_wide_failures(template: Template, rules: set[str], checks: list[Check]) -> list[Check]:
    """A failed check for each rule that every reading of the ambiguous cells breaks in some
    instance (which one depends on the reading), unless one of its checks fails already; in
    the scope of the requests table, where the table-wide identities lie."""
    return [
        Check(rule, template.table_part("requests"), False, None, None,
              f"{rule} fails in some instance for every reading of the ambiguous cells "
              "(which instance depends on the reading)")
        for rule in sorted(rules)
        if not any(c.rule == rule and c.passed is False for c in checks)
    ]
