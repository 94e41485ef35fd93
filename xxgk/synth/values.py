"""Random tables that satisfy the template's identities exactly, and tables that break one rule.

Nothing here names a row: the plan is read off the identities. A cell that is the single left
side of an identity (a total) is derived; so is the first left cell of a balance identity (I1's
本年新收). Every other cell in an identity is drawn at random, the derived ones are solved in
order, and a balance that would go negative is topped up through one of its free cells. Cells in
no identity (part 二) are drawn on their own.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from xxgk.template import Cell, CellKey, Identity, load

Value = int | float
Table = dict[CellKey, Value]


@dataclass
class Sheet:
    """One report's numbers: a value for every template cell, and units printed in a cell."""

    version: str
    values: Table
    units: dict[CellKey, str] = field(default_factory=dict)
    broken_rule: str | None = None
    broken_keys: tuple[CellKey, ...] = ()


@dataclass(frozen=True)
class _Plan:
    free: tuple[CellKey, ...]
    solve: tuple[tuple[Identity, CellKey], ...]
    topups: tuple[tuple[CellKey, CellKey], ...]  # a balance's solved cell, a free cell of it
    balance_codes: tuple[str, ...]  # in template order: random draws follow it
    loose: tuple[Cell, ...]
    signed: frozenset[CellKey]  # cells that may be negative (本年增/减)


@cache
def _plan(version: str) -> _Plan:
    tpl = load(version)
    derived = {ident.left[0] for ident in tpl.identities}
    in_identity = {k for ident in tpl.identities for k in ident.keys}
    free = tuple(c.key for c in tpl.cells if c.key in in_identity and c.key not in derived)
    known, order, pending = set(free), [], list(tpl.identities)
    while pending:
        for ident in pending:
            unknown = [k for k in ident.keys if k not in known]
            if len(unknown) <= 1:
                break
        else:
            raise ValueError(f"template {version}: identities do not determine every total")
        pending.remove(ident)
        if unknown:
            order.append((ident, unknown[0]))
            known.add(unknown[0])
    balances = [i for i in tpl.identities if len(i.left) > 1]
    spares = {i: [k for k in i.right if k in free] for i in balances}
    topups = [(i.left[0], ks[0]) for i, ks in spares.items() if ks]
    balance_codes = tuple(dict.fromkeys(k[0] for i in balances for k in i.keys if k in free))
    loose = tuple(c for c in tpl.cells if c.key not in in_identity)
    signed = frozenset(c.key for c in tpl.cells if tpl.is_signed(c.code))
    return _Plan(free, tuple(order), tuple(topups), balance_codes, loose, signed)


def failing(version: str, values: dict[CellKey, Value | None]) -> list[Identity]:
    """The identity instances a table breaks (blank/None counting as 0)."""

    def total(keys: tuple[CellKey, ...]) -> float:
        return sum(values.get(k) or 0 for k in keys)

    return [i for i in load(version).identities if abs(total(i.left) - total(i.right)) > 1e-9]


def _solve(plan: _Plan, values: Table) -> None:
    for ident, target in plan.solve:
        same_left = target in ident.left
        side, other = (ident.left, ident.right) if same_left else (ident.right, ident.left)
        values[target] = sum(values[k] for k in other) - sum(values[k] for k in side if k != target)


def _count(rng: random.Random, mean: float) -> int:
    """A count with the given mean: mostly 0 when the mean is small, a long tail when large."""
    return int(rng.expovariate(1.0 / mean)) if mean > 0 else 0


def _weights(rng: random.Random, n: int, first: float, sparsity: float) -> list[float]:
    """n weights summing to 1: the first gets `first`, the rest share what is left, many zero."""
    rest = [0.0 if rng.random() < sparsity else rng.random() ** 2 for _ in range(n - 1)]
    total = sum(rest)
    if not total:
        return [1.0, *rest]
    return [first] + [(1 - first) * w / total for w in rest]


_SCALES = ((0.08, (0, 0)), (0.45, (1, 10)), (0.8, (10, 80)), (0.95, (80, 600)), (1.01, (600, 4000)))
"""(cumulative probability, range of the expected number of applications) of a report's scale."""


def _draw_identity_cells(rng: random.Random, version: str, values: Table) -> None:
    """Free cells of parts 三 and 四 with realistic magnitudes (one report's scale)."""
    plan, tpl = _plan(version), load(version)
    r = rng.random()
    low, high = next(band for p, band in _SCALES if r < p)
    scale = rng.uniform(low, high)
    applicants = [a for a in tpl.applicants if any(k[1] == a for k in plan.free)]
    columns = dict(zip(applicants, _weights(rng, len(applicants), rng.uniform(0.5, 0.95), 0.5),
                       strict=True))
    codes = list(dict.fromkeys(k[0] for k in plan.free if k[1] is not None))
    outcomes = [c for c in codes if c not in plan.balance_codes]
    rows = dict(zip(outcomes, _weights(rng, len(outcomes), rng.uniform(0.3, 0.9), 0.6),
                    strict=True))
    for code in plan.balance_codes:
        rows[code] = 0.0 if rng.random() < 0.6 else rng.uniform(0.01, 0.15)
    appeals = 0.0 if rng.random() < 0.6 else rng.choice((0.3, 1, 3, 20))
    for key in plan.free:
        code, applicant = key
        if applicant is None:
            values[key] = _count(rng, appeals * rng.random())
        else:
            values[key] = _count(rng, scale * rows[code] * columns[applicant])


def _magnitude(rng: random.Random) -> int:
    """A part 二 count: often 0, mostly small, sometimes thousands."""
    if rng.random() < 0.35:
        return 0
    return int(10 ** rng.uniform(0, rng.choice((1, 1.5, 1.5, 2, 3, 4.5))))


def _amount(rng: random.Random, lo: float, hi: float, max_decimals: int) -> Value:
    if rng.random() < 0.4:
        return 0
    decimals = rng.randint(0, max_decimals)
    value = round(10 ** rng.uniform(lo, hi), decimals)
    return int(value) if decimals == 0 or value == int(value) else value


def _draw_loose(rng: random.Random, plan: _Plan, values: Table, units: dict[CellKey, str]) -> None:
    """Part 二: free values; signed cells around 0; amounts decimal, with a unit if unprinted."""
    for cell in plan.loose:
        if cell.key in plan.signed:
            values[cell.key] = 0 if rng.random() < 0.6 else rng.randint(-15, 25)
        elif cell.unit == "万元":
            values[cell.key] = _amount(rng, -1, 4.5, 6)
        elif cell.unit == "":
            unit = rng.choice(("元", "元", "万元"))
            units[cell.key] = unit
            values[cell.key] = (_amount(rng, 3, 8.5, 2) if unit == "元"
                                else _amount(rng, 0, 4.5, 4))
        else:
            values[cell.key] = _magnitude(rng)


def _cross_year(rng: random.Random, version: str, values: Table, prev: Table | None) -> None:
    """Apply X1/X2 from last year's printed table (or an invented last year when there is none)."""
    tpl = load(version)
    free = set(_plan(version).free)
    for rule in tpl.cross_year:
        for key in [c.key for c in tpl.cells if c.code == rule.target]:  # in template order
            source = (rule.source, key[1])
            if rule.plus is None:  # a carried balance: only free cells; totals follow
                if prev is not None and key in free and source in prev:
                    values[key] = int(prev[source] or 0)
                continue
            last = prev.get(source) if prev else None
            if last is None:
                last = _magnitude(rng)
            plus = int(values[(rule.plus, key[1])])
            minus_key = (rule.minus, key[1])
            values[minus_key] = min(int(values[minus_key]), int(last) + plus)
            values[key] = int(last) + plus - values[minus_key]


def random_sheet(rng: random.Random, version: str, prev: Table | None = None) -> Sheet:
    """A table that satisfies every identity of `version`; X1/X2 hold against `prev` if given."""
    plan = _plan(version)
    values: Table = {}
    units: dict[CellKey, str] = {}
    _draw_identity_cells(rng, version, values)
    _draw_loose(rng, plan, values, units)
    _cross_year(rng, version, values, prev)
    _solve(plan, values)
    for solved, spare in plan.topups:
        if values[solved] < 0:
            values[spare] += -values[solved]
            _solve(plan, values)
    ordered = {c.key: values[c.key] for c in load(version).cells}
    return Sheet(version, ordered, units)


# ---- breaking one rule -------------------------------------------------------------------------

Recipe = tuple[tuple[CellKey, int], ...]


@cache
def _recipes(version: str) -> dict[str, tuple[Recipe, ...]]:
    """Per rule, the one- or two-cell changes that break that rule and no other.

    The identities are dependent (the I1 instances of all columns sum to I3 instances, and so on),
    so a single instance can be broken alone only for I4; I1, I2 and I3 break in two instances.
    """
    identities = load(version).identities
    coef: dict[CellKey, dict[int, int]] = defaultdict(dict)
    for n, ident in enumerate(identities):
        for k in ident.left:
            coef[k][n] = coef[k].get(n, 0) + 1
        for k in ident.right:
            coef[k][n] = coef[k].get(n, 0) - 1

    def rules(recipe: Recipe) -> set[str]:
        net: dict[int, int] = defaultdict(int)
        for key, sign in recipe:
            for n, c in coef[key].items():
                net[n] += sign * c
        return {identities[n].rule for n, v in net.items() if v}

    found: dict[str, list[Recipe]] = defaultdict(list)
    keys = list(coef)
    for key in keys:
        if len(r := rules(((key, 1),))) == 1:
            found[r.pop()].append(((key, 1),))
    for i, k1 in enumerate(keys):
        near = {k for n in coef[k1] for k in identities[n].keys}
        for k2 in keys[i + 1:]:
            if k2 not in near:
                continue
            for sign in (1, -1):
                recipe = ((k1, 1), (k2, sign))
                if len(r := rules(recipe)) == 1:
                    found[r.pop()].append(recipe)
    return {rule: tuple(rs) for rule, rs in found.items()}


def break_sheet(rng: random.Random, sheet: Sheet, rule: str | None = None) -> None:
    """Change one or two cells so that exactly one rule (I1..I4) fails; values stay >= 0."""
    recipes = _recipes(sheet.version)
    rules = [rule] if rule else sorted(recipes)
    for _ in range(50):
        chosen = rng.choice(rules)
        recipe = rng.choice(recipes[chosen])
        delta = rng.choice((1, 1, 2, 3, 10, rng.randint(1, 99)))
        for d in (delta, -delta):
            new = {k: sheet.values[k] + s * d for k, s in recipe}
            if all(v >= 0 for v in new.values()):
                sheet.values.update(new)
                sheet.broken_rule, sheet.broken_keys = chosen, tuple(new)
                return
    raise RuntimeError("no way to break the table")  # pragma: no cover - I4 always works
