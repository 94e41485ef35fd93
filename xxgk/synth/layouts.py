"""Layouts: each renders a report's parts (metadata, title, headings, prose, table blocks) as lines.

A layout is a small function over the shared blocks of `tables.py`; the differences between
layouts are separators, spans, line breaks and wrapping, as seen in real collected reports:
pipe (a web table flattened with " | "), markdown, tsv, csv, pdf (text of a PDF: wrapped labels,
a vertical header, page footers), cell_per_line, runtogether (a crawler's text: cells' digits
concatenated with no separator). Only runtogether can leave a cell undecided by its text, so
only it reports ambiguous cells (by the independent oracle in `ambiguity.py`).
"""

from __future__ import annotations

import csv
import io
import random
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from xxgk.synth.ambiguity import Constraint, ambiguous_positions
from xxgk.synth.forms import ascii_digits
from xxgk.synth.tables import Block, TableRow
from xxgk.synth.values import Value
from xxgk.template import CellKey, load

EMPTY_MARKS = ("/", "-", "—", "无")
"""What a cell with no number prints, besides a blank."""
BLANK_CELLS_OK = frozenset({"pipe", "markdown", "tsv", "csv", "html"})
"""Layouts whose delimiters keep an empty cell's place."""
RUN_TOGETHER_MARKS = ("/", "无")
"""With no separators a "-" would glue to the next number as a minus sign, and two "—" cells
would print "——", which reads as one dash: run-together text prints only these."""


@dataclass(frozen=True)
class Part:
    kind: str  # "meta" | "title" | "heading" | "para" | "table"
    text: str = ""
    block: Block | None = None


@dataclass
class Rendered:
    lines: list[str]
    ambiguous: set[CellKey] = field(default_factory=set)


@dataclass(frozen=True)
class Context:
    version: str
    gold: dict[CellKey, Value | None]


Renderer = Callable[[list[Part], random.Random, Context], Rendered]
_CJK4 = re.compile(r"[\u4e00-\u9fff]{4}")


def _spaced(rng: random.Random, text: str, p: float) -> str:
    """A web header cell's text with a space in it ("商业 企业"), as narrow columns print it."""
    return f"{text[:2]} {text[2:]}" if _CJK4.fullmatch(text) and rng.random() < p else text


def _grid(block: Block, repeat: bool) -> list[list[str]]:
    """The block as a rectangle: spans become empty cells (or repeated text), caption excluded."""
    grid = []
    for hrow in block.header:
        line = [""] * block.width
        for h in hrow:
            for c in range(h.col, h.col + h.span):
                line[c] = h.text if c == h.col or repeat else ""
        grid.append(line)
    for row in block.rows:
        labels = [""] * block.label_cols
        for i, label in enumerate(row.labels):
            own = i == len(row.labels) - 1
            labels[i] = label if own or repeat or row.starts[i] else ""
        grid.append(labels + list(row.cells)
                    + [""] * (block.width - block.label_cols - len(row.cells)))
    return grid


def _lines(parts: list[Part], table: Callable[[Block], list[str]],
           heading: Callable[[str], str] = str, gap: bool = False) -> list[str]:
    """The line-based layouts: one line per title line, heading and paragraph."""
    out: list[str] = []
    for part in parts:
        chunk = table(part.block) if part.block else (
            [heading(part.text)] if part.kind == "heading" else part.text.split("\n"))
        out.extend(chunk)
        if gap:
            out.append("")
    return out


# ---- pipe, markdown, tsv, csv, cell_per_line ----------------------------------------------------

def _pipe(parts: list[Part], rng: random.Random, ctx: Context) -> Rendered:
    wrap = rng.choice((0.0, 0.0, 0.06))
    spaces = rng.choice((0.0, 0.5, 0.9))

    def padded(texts: list[str], width: int) -> str:
        pad = width - len(texts)
        return " | ".join(texts) + " |" + (" " + "|" * pad if pad > 0 else "")

    def table(block: Block) -> list[str]:
        out = [padded([block.caption], block.width)] if block.caption else []
        out += [padded([_spaced(rng, h.text, spaces) for h in hrow], block.width)
                for hrow in block.header]
        for row in block.rows:
            texts = row.shown_labels + list(row.cells)
            if len(row.cells) > 1 and row.cells[-1] and rng.random() < wrap:
                out += [" | ".join(texts[:-1]) + " |", texts[-1] + " | |"]
            else:
                out.append(" | ".join(texts) + rng.choice((" |", " |", " | ||", "")))
        return out

    return Rendered(_lines(parts, table))


def _markdown(parts: list[Part], rng: random.Random, ctx: Context) -> Rendered:
    repeat = rng.random() < 0.3
    hashes = rng.random() < 0.6

    def row(cells: list[str]) -> str:
        return "| " + " | ".join(cells) + " |"

    def table(block: Block) -> list[str]:
        grid = _grid(block, repeat)
        out = [block.caption, ""] if block.caption else []
        return [*out, row(grid[0]), "|" + "---|" * len(grid[0]), *map(row, grid[1:])]

    def heading(text: str) -> str:
        return "## " + text if hashes else text

    return Rendered(_lines(parts, table, heading, gap=True))


def _tsv(parts: list[Part], rng: random.Random, ctx: Context) -> Rendered:
    repeat = rng.random() < 0.3

    def table(block: Block) -> list[str]:
        head = [block.caption] if block.caption else []
        return head + ["\t".join(r) for r in _grid(block, repeat)]

    return Rendered(_lines(parts, table))


def _csv(parts: list[Part], rng: random.Random, ctx: Context) -> Rendered:
    repeat = rng.random() < 0.3

    def table(block: Block) -> list[str]:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        if block.caption:
            writer.writerow([block.caption] + [""] * (block.width - 1))
        writer.writerows(_grid(block, repeat))
        return buf.getvalue().rstrip("\n").split("\n")

    return Rendered(_lines(parts, table))


def _cell_per_line(parts: list[Part], rng: random.Random, ctx: Context) -> Rendered:
    def table(block: Block) -> list[str]:
        out = [block.caption] if block.caption else []
        out += [h.text for hrow in block.header for h in hrow]
        for row in block.rows:
            out += row.shown_labels + list(row.cells)
        return out

    return Rendered(_lines(parts, table))


# ---- runtogether --------------------------------------------------------------------------------

@cache
def _row_constraints(version: str, keys: tuple[CellKey, ...]) -> tuple[Constraint, ...]:
    """The identities that live inside one printed row, as positions in that row."""
    where = {k: i for i, k in enumerate(keys)}
    return tuple((tuple(where[k] for k in i.left), tuple(where[k] for k in i.right))
                 for i in load(version).identities if all(k in where for k in i.keys))


def _runtogether(parts: list[Part], rng: random.Random, ctx: Context) -> Rendered:
    stray = rng.choice((0.0, 0.03, 0.1))
    ambiguous: set[CellKey] = set()

    def sep() -> str:
        return " " if rng.random() < stray else ""

    def cells_text(row: TableRow) -> str:
        text = "".join((sep() if i else "") + c for i, c in enumerate(row.cells))
        if row.keys and len(row.keys) == len(row.cells):
            truth = tuple(ctx.gold[k] for k in row.keys)
            found = ambiguous_positions(ascii_digits(text), len(row.keys),
                                        _row_constraints(ctx.version, row.keys), truth)
            ambiguous.update(row.keys[i] for i in found)
        return text

    def table(block: Block) -> str:
        pieces = [block.caption] if block.caption else []
        pieces += [sep().join(h.text for h in hrow) for hrow in block.header]
        pieces += ["".join(row.shown_labels) + sep() + cells_text(row) for row in block.rows]
        return "".join(p + sep() for p in pieces)

    head: list[str] = []
    body: list[str] = []
    for part in parts:
        if part.kind == "meta":
            head.extend(part.text.split("\n"))
        else:
            body.append(table(part.block) if part.block else part.text.replace("\n", " "))
    lines, current = [], ""
    for piece in body:
        current += piece + (" " if rng.random() < 0.3 else "")
        if rng.random() < 0.12:
            lines.append(current)
            current = ""
    if current:
        lines.append(current)
    return Rendered(head + lines, ambiguous)


# ---- pdf ---------------------------------------------------------------------------------------

_NO_LINE_START = frozenset("，。、；：）”,.;:)")
_ORDINAL = re.compile(r"[（(][^）)]*[）)]")
_ASCII_RUN = re.compile(r"[\x21-\x7e]+|.")
_NUMBER_EDGE = re.compile(r"(?<=[^\x00-\x7f])(?=[0-9])|(?<=[0-9])(?=[^\x00-\x7f])")


def _pdf_spaces(text: str) -> str:
    """PDF text puts a space between a number and the characters around it ("2024 年")."""
    return _NUMBER_EDGE.sub(" ", text)


def _wrap(text: str, width: int) -> list[str]:
    """Greedy wrap that never breaks inside a run of ASCII (a number or a code), nor before
    closing punctuation."""
    lines, current = [], ""
    for token in _ASCII_RUN.findall(text):
        if current and len(current) + len(token) > width and token not in _NO_LINE_START:
            lines.append(current.strip())
            current = ""
        current += token
    return [*lines, current.strip()] if current.strip() else lines


def _pdf_header(rng: random.Random, texts: list[str]) -> list[str]:
    """Narrow header cells print their words broken over lines, column by column."""
    if sum(map(len, texts)) < 30 and rng.random() < 0.5:
        return [" ".join(texts)]
    pieces = []
    for text in texts:
        n = max(2, -(-len(text) // rng.choice((2, 3))))
        pieces.append([text[k:k + n] for k in range(0, len(text), n)])
    return [" ".join(p[k] for p in pieces if len(p) > k)
            for k in range(max(map(len, pieces)))]


def _extents(rows: tuple[TableRow, ...]) -> dict[tuple[int, int], tuple[int, int]]:
    """(group level, row index) -> (row's position in that group, group size)."""
    begin: dict[tuple[int, int], int] = {}
    opened: dict[int, int] = {}
    for i, row in enumerate(rows):
        for level, start in enumerate(row.starts):
            if start:
                opened[level] = i
            begin[(level, i)] = opened[level]
    sizes = Counter((k[0], v) for k, v in begin.items())
    return {k: (k[1] - v, sizes[(k[0], v)]) for k, v in begin.items()}


def _pdf_rows(rng: random.Random, block: Block) -> list[str]:
    """Rows with wrapped labels; the outer group label printed one character per line down the
    rows, inner group labels split in two around a middle row."""
    out: list[str] = []
    extents = _extents(block.rows)
    vertical: list[str] = []
    width = rng.randint(13, 18)
    for i, row in enumerate(block.rows):
        prefix: list[str] = []
        after: list[str] = []
        for level, label in enumerate(row.labels[:-1]):
            pos, size = extents[(level, i)]
            if level == 0:
                if pos == 0:
                    head = re.match(r".*?、", label)
                    cut = head.end() if head else 1
                    vertical = [label[:cut], *label[cut:]]
                    out.append(vertical.pop(0))
                if vertical:
                    (prefix if rng.random() < 0.5 else out).append(vertical.pop(0))
                if pos == size - 1:
                    out.extend(vertical)
                    vertical = []
            elif pos == size // 2:  # split after the ordinal: "（三）不" / "予公开"
                ordinal = _ORDINAL.match(label)
                low = ordinal.end() + 1 if ordinal else 2
                cut = rng.randint(low, max(low, len(label) - 1))
                prefix.append(label[:cut])
                after.append(label[cut:])
        numbers = " ".join(row.cells)
        pieces = _wrap(row.labels[-1], width) if row.labels else []
        if len(pieces) <= 1:
            body = [" ".join([*pieces, numbers])]
        else:
            at = rng.choice(("first", "own", "middle"))
            if at == "first":
                body = [f"{pieces[0]} {numbers}", *pieces[1:]]
            elif at == "own":
                body = [pieces[0], numbers, *pieces[1:]]
            else:
                body = [pieces[0], f"{pieces[1]} {numbers}", *pieces[2:]]
        body[0] = " ".join([*prefix, body[0]])
        out += body + after
    return out


def _pdf(parts: list[Part], rng: random.Random, ctx: Context) -> Rendered:
    width = rng.randint(26, 34)
    lines: list[str] = []
    for part in parts:
        if part.block:
            block = part.block
            lines += [block.caption] if block.caption else []
            for hrow in block.header:
                lines += _pdf_header(rng, [h.text for h in hrow])
            lines += _pdf_rows(rng, block)
        elif part.kind == "para":
            lines += _wrap(_pdf_spaces(part.text), width)
        else:
            lines += [_pdf_spaces(t) for t in part.text.split("\n")]
    every, page, out = rng.randint(28, 42), 1, []
    for n, line in enumerate(lines, 1):
        out.append(line)
        if n % every == 0:
            out.append(f"- {page} -")
            page += 1
    return Rendered([*out, f"- {page} -"])


LAYOUTS: dict[str, Renderer] = {
    "pipe": _pipe,
    "markdown": _markdown,
    "tsv": _tsv,
    "csv": _csv,
    "pdf": _pdf,
    "cell_per_line": _cell_per_line,
    "runtogether": _runtogether,
}

from xxgk.synth.html import html_page  # noqa: E402  (it builds on the types above)

LAYOUTS["html"] = html_page
