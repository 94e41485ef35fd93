"""The report's tables as layout-free blocks (caption, header cells with spans, labelled rows of
printed cells), built from the template data; and how one report prints its cells.

Every layout renders these same blocks, so a layout only decides separators and line breaks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import groupby

from xxgk.synth import forms
from xxgk.synth.values import Sheet, Value
from xxgk.template import CellKey, Row, load


@dataclass(frozen=True)
class Style:
    """The printing choices of one report, shared by all its tables."""

    fullwidth_punct: bool
    fullwidth_digits: bool
    level3: str  # format of a level-3 ordinal: "{}." "{}、" "({})"
    aliases: bool
    empty_marks: tuple[str, ...]  # what this report prints in a cell with no number

    def punct(self, text: str) -> str:
        return forms.fullwidth_punct(text) if self.fullwidth_punct else text


def random_style(rng: random.Random, marks: tuple[str, ...]) -> Style:
    """marks: what an empty cell may print in this layout ("" for a blank)."""
    return Style(
        fullwidth_punct=rng.random() < 0.7,
        fullwidth_digits=rng.random() < 0.08,
        level3=rng.choice(("{}.", "{}.", "{}、", "({})")),
        aliases=rng.random() < 0.3,
        empty_marks=tuple(rng.sample(marks, k=min(len(marks), rng.choice((1, 1, 2))))),
    )


@dataclass(frozen=True)
class HeaderCell:
    text: str
    col: int
    span: int = 1


@dataclass(frozen=True)
class TableRow:
    labels: tuple[str, ...]  # printed group labels outer to inner, then the row's own label
    starts: tuple[bool, ...]  # per group label: does this row open the group
    keys: tuple[CellKey, ...]
    cells: tuple[str, ...]

    @property
    def shown_labels(self) -> list[str]:
        """The labels an HTML table shows on this row (a group's label only on its first row)."""
        groups = [lab for lab, start in zip(self.labels, self.starts, strict=False) if start]
        return [*groups, self.labels[-1]] if self.labels else []


@dataclass(frozen=True)
class Block:
    section: str
    caption: str
    header: tuple[tuple[HeaderCell, ...], ...]
    label_cols: int
    width: int
    rows: tuple[TableRow, ...]


# ---- cells -------------------------------------------------------------------------------------

def format_number(value: Value) -> str:
    return str(value) if isinstance(value, int) else repr(value)


def print_cells(rng: random.Random, sheet: Sheet, style: Style
                ) -> tuple[dict[CellKey, str], dict[CellKey, Value | None], dict[CellKey, str]]:
    """Printed text, gold value and printed unit of every cell.

    Only cells whose value is 0 may be printed empty (a blank counts as 0 in the identities), and
    never a cell a broken table changed.
    """
    empty: set[CellKey] = set()
    if rng.random() < 0.2:
        zeros = [k for k, v in sheet.values.items() if v == 0 and k not in sheet.broken_keys]
        section = rng.choice(("s2.", "s3.", "s4."))
        whole = [k for k in zeros if k[0].startswith(section)]
        empty = set(whole) if rng.random() < 0.4 else set(
            rng.sample(zeros, k=min(len(zeros), rng.randint(1, 10))))
    printed, gold, units = {}, {}, {}
    for key, value in sheet.values.items():
        if key in empty:
            printed[key], gold[key] = rng.choice(style.empty_marks), None
            continue
        text = format_number(value)
        if key in sheet.units:
            units[key] = sheet.units[key]
            text += units[key]
        printed[key] = forms.fullwidth_digits(text) if style.fullwidth_digits else text
        gold[key] = value
    return printed, gold, units


# ---- blocks ------------------------------------------------------------------------------------

def _label(rng: random.Random, row: Row, style: Style) -> str:
    return style.punct(rng.choice(row.labels) if style.aliases else row.label)


def _part2(rng: random.Random, version: str, printed: dict[CellKey, str],
           style: Style) -> list[Block]:
    blocks = []
    tpl = load(version)
    part = tpl.table_part("proactive")
    for parent, group in groupby(tpl.section_rows(part), key=lambda r: r.parent):
        rows = list(group)
        columns = [c.column for c in rows[0].cells]
        header = (HeaderCell(tpl.printed["s2_item_header"], 0),
                  *(HeaderCell(style.punct(c), 1 + i) for i, c in enumerate(columns)))
        body = tuple(TableRow((_label(rng, r, style),), (), tuple(c.key for c in r.cells),
                              tuple(printed[c.key] for c in r.cells)) for r in rows)
        blocks.append(Block(part, style.punct(parent), (header,), 1,
                            1 + max(len(r.cells) for r in rows), body))
    return blocks


def _part3(rng: random.Random, version: str, printed: dict[CellKey, str], style: Style) -> Block:
    tpl = load(version)
    part = tpl.table_part("requests")
    paths = forms.s3_paths(version)
    depth = max(len(p) for p in paths.values())
    apps = tpl.applicants
    header = (
        (HeaderCell(style.punct(tpl.printed["s3_rule_note"]), 0, depth),
         HeaderCell(tpl.printed["s3_applicant_header"], depth, len(apps))),
        (HeaderCell(apps[0], depth),
         HeaderCell(tpl.printed["s3_legal_persons"], depth + 1, len(apps) - 2),
         HeaderCell(apps[-1], depth + len(apps) - 1)),
        tuple(HeaderCell(a, depth + 1 + i) for i, a in enumerate(apps[1:-1])),
    )
    rows, previous = [], ()
    for row in tpl.section_rows(part):
        path = paths[row.code or ""]
        groups = tuple(style.punct(forms.ordinal_text(o, style.level3) + lab)
                       for o, lab in path[:-1])
        own = style.punct(forms.ordinal_text(path[-1][0], style.level3)) + _label(rng, row, style)
        starts = tuple(previous[: i + 1] != groups[: i + 1] for i in range(len(groups)))
        keys = tuple(c.key for c in row.cells)
        rows.append(TableRow((*groups, own), starts, keys, tuple(printed[k] for k in keys)))
        previous = groups
    return Block(part, "", header, depth, depth + len(apps), tuple(rows))


def _part4(version: str, printed: dict[CellKey, str]) -> Block:
    """One row of numbers under a header built from each cell's category path and column."""
    part = load(version).table_part("appeals")
    cells = [c for r in load(version).section_rows(part) for c in r.cells]
    paths = [(*c.category.split(" / "), c.column) for c in cells]
    header = []
    for level in range(max(len(p) for p in paths)):
        row: list[HeaderCell] = []
        for col, path in enumerate(paths):
            if level >= len(path):
                continue
            last = row[-1] if row else None
            if last and last.col + last.span == col and paths[last.col][: level + 1] == path[
                    : level + 1]:
                row[-1] = HeaderCell(last.text, last.col, last.span + 1)
            else:
                row.append(HeaderCell(path[level], col))
        header.append(tuple(row))
    keys = tuple(c.key for c in cells)
    body = (TableRow((), (), keys, tuple(printed[k] for k in keys)),)
    return Block(part, "", tuple(header), 0, len(cells), body)


def build_blocks(rng: random.Random, version: str, printed: dict[CellKey, str],
                 style: Style) -> dict[str, list[Block]]:
    """The tables of parts 二, 三 and 四, keyed by part."""
    tpl = load(version)
    return {tpl.table_part("proactive"): _part2(rng, version, printed, style),
            tpl.table_part("requests"): [_part3(rng, version, printed, style)],
            tpl.table_part("appeals"): [_part4(version, printed)]}
