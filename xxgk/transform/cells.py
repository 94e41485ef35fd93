"""The printed cells in a row's text: numbers, not-a-number marks and, where delimiters keep
their place, blank cells. Label text around them is skipped.

Two readings. Free text (PDF text, one cell per line, run-together digits): the tokens in
order, a number token possibly holding several cells whose digits ran together (`split` divides
those). Delimited lines (pipes, tabs, CSV): a field is one cell, never cut; where the table's
rows keep their columns (`LabelLine.read`), a row is read by position, blanks included.

Blank, lead and pad: the empty fields of delimited rows. An empty field is a blank cell, or the
padding of merged label columns and flattened headers; where that is not known, it is read as
a token saying where it stands, and decided later:
  BLANK  a blank cell: an empty field between two printed cells, or before them on a line of
         cells only; a converter's NaN. (`_delimited_tokens`, `_line_tokens`)
  LEAD   an empty field between the label and the first printed cell on the label's line: a
         blank cell or a merged label column. (`_delimited_tokens`)
  PAD    an empty field after the last printed cell (every field of a line of empty fields;
         on the label's line, those after the label when nothing is printed): a blank cell or
         padding. The PADs of a line the row goes on from become BLANKs, unless the line is
         the header a label heads (part 四); only the last line's stay PADs. (`tokens`)
They are decided in one of two ways. Where the table keeps its columns, the column layout says
how many leading empty fields are cells (`LabelLine.blanks_from`): `settle_leads` makes the
LEADs nearest the values blank cells and drops the others (table.py `_row_tokens`). Elsewhere
split.py `_placements` places the printed cells among the LEADs and PADs every way that gives
the row its cells, each a reading for the identities to choose among (no LEAD or PAD, nothing
printed: every cell blank); where none gives it, they are dropped and the printed digits cut
(split.py `_cut`). MAYBE (one cell per line: a blank cell or spacing) is the free-text kin,
decided by the row's count of cells (split.py `_settled`).

The marks a cell prints for "no number", the words converters print for an empty cell and the
unit words after an amount are the template's data (common.toml `[cell_text]`).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, NamedTuple

from xxgk.extract.normalize import EMPTY_CELL_LINE
from xxgk.template import all_templates, cell_text

Kind = Literal["num", "mark", "blank", "lead", "pad", "maybe"]


class Token(NamedTuple):  # a tuple: millions are made in a night
    kind: Kind
    text: str  # digits as printed ("230", "-3", "12.5"), the mark ("/", "—", "无"), or ""
    unit: str | None = None
    whole: bool = False  # a delimited field: exactly one cell, whatever its digits


def _one_of(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _chars(chars: tuple[str, ...]) -> str:
    return "".join(re.escape(c) for c in chars)


_TEXT = cell_text()
_WORD_MARKS = _TEXT.word_marks
_UNIT = _one_of(_TEXT.units)
# A not-a-number mark is one cell: 无, /, \, -, or a run of long dashes (—— is one cell).
_MARK = rf"(?:{_one_of(_WORD_MARKS)}|[{_chars(_TEXT.marks)}]|[{_chars(_TEXT.dash_marks)}]+)"
# What pandas prints for an empty cell (read_html, then to_string): a blank cell.
_EMPTY = rf"(?<![A-Za-z])(?:{_one_of(_TEXT.empty)})(?![A-Za-z])"
_ONE_CELL_LINE = re.compile(
    rf"[ \t]*(?:-?\d+(?:\.\d+)?(?:[ \t]*(?:{_UNIT}))?|{_MARK}|{EMPTY_CELL_LINE})[ \t]*")
# 3,119 (a PDF's thousands separator) is one number; in a CSV row the comma splits fields first.
_VALUE = re.compile(
    rf"(-?\d{{1,3}}(?:,\d{{3}})+(?![\d,])(?:\.\d+)?|-?\d+(?:\.\d+)?)(?:[ \t]*({_UNIT}))?|({_MARK})"
    rf"|{_EMPTY}|({EMPTY_CELL_LINE})"
)
_WORD = re.compile(rf"[^\W\d{_chars(_WORD_MARKS)}]")  # label text
_YEAR_END = re.compile(r"(?:19|20)\d\d$")  # digits before 年 end in a year: prose, not a cell
# What follows a word mark where the template's labels use it in a word (无法提供, 无正当理由…).
_WORDS_AFTER = {
    mark: frozenset(label[i + 1] for t in all_templates() for r in t.rows
                    for label in (*r.labels, r.parent)
                    for i in range(len(label) - 1) if label[i] == mark)
    for mark in _WORD_MARKS
}
_IDEOGRAPH = re.compile(rf"(?![{_chars(_WORD_MARKS)}])[\u4e00-\u9fff]")  # any but 无
# Regular-expression pieces for the other readers (locate.py, table.py), from the same data:
MARK_SYMBOLS = _chars(_TEXT.marks + _TEXT.dash_marks)
"""The marks that are symbols, for a character class: / \\ - — –."""
WORD_MARK = _one_of(_WORD_MARKS)
"""The marks that are also characters of words (无), as an alternation."""
WORD_MARK_CELL = "|".join(rf"{re.escape(m)}(?![{_chars(tuple(sorted(_WORDS_AFTER[m])))}])"
                          for m in _WORD_MARKS)
"""A word mark that is not the start of one of the template's words (无, not 无法…)."""
PROSE_QUANTITY = re.compile(rf"\s*[{_chars(_TEXT.prose_units)}]")
"""What follows a number of the prose (2025年, 61条, 15.4%): not a cell."""


def prose_number(text: str, start: int, end: int) -> bool:
    """Whether the number text[start:end] is a quantity of prose (2025年, 61条), not cells;
    before 年 only a year is: cells may run into it (20000022025年)."""
    if not PROSE_QUANTITY.match(text, end):
        return False
    return not text.startswith("年", end) or bool(_YEAR_END.fullmatch(text, start, end))
_VALUE_CHAR = re.compile(
    rf"[\d{_chars(_TEXT.marks + _TEXT.dash_marks + _WORD_MARKS)}]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_VALUE_FIELD = re.compile(rf"\s*(?:-?\d+(?:\.\d+)?\s*(?:{_UNIT})?|{_MARK})?\s*")
BLANK = Token("blank", "")
MAYBE = Token("maybe", "")  # a blank cell or spacing: the row's count of cells decides
STRONG_MAYBE = Token("maybe", EMPTY_CELL_LINE)  # a line holding only a no-break space
LEAD = Token("lead", "")  # an empty field between a label and its values: blank cell or padding
PAD = Token("pad", "")  # an empty field after the values: blank cell or padding


def _is_mark(text: str, start: int, end: int) -> bool:
    """Whether a mark is a cell and not label text: it is a cell where a number or another mark
    touches it (run-together rows print them against labels: 合法权益无000000, 000/三、本年度),
    or where no word does (| 无 |); label text where only words and spaces do (本年增/减 and
    its PDF wrap ` /减`; (四)无 of a wrapped 无法提供). 无 is text only in the template's own
    words (无法提供, 无正当理由) or after a word; before one it is a cell (19无 无第二十条…)."""
    before, after = text[start - 1: start], text[end: end + 1]
    if after in _WORDS_AFTER.get(text[start], ()):
        return False
    # a cell before it, even past a stray space (5无 /第二十条…), makes it a cell too
    if _VALUE_CHAR.match(text[:start].rstrip(" \t")[-1:]) or _VALUE_CHAR.match(after):
        return True
    word_before = bool(_IDEOGRAPH.match(before)) or before == ")"
    return not (word_before or (text[start] not in _WORD_MARKS and _IDEOGRAPH.match(after)))


def _delimiter(line: str) -> str | None:
    """One delimiter kind per line (a pipe line's labels may hold commas). Commas delimit only
    a CSV row, one with at least two fields empty or holding a single value: labels are full of
    commas too, and so are numbers with thousands separators (3,119)."""
    for delimiter in ("|", "\t"):
        if delimiter in line:
            return delimiter
    commas = line.count(",")
    if commas and len(_THOUSANDS.findall(line)) < commas and sum(
        _VALUE_FIELD.fullmatch(f) is not None for f in next(csv.reader([line]))
    ) >= 2:
        return ","
    return None


def _split(line: str, delimiter: str, leading: bool = True) -> list[str]:
    """A line's fields. Outside a pipe line's first and last pipe (`| a | b |`) nothing is a
    field, but a space is (` |  | 0`: flattened pages print a blank first or last cell so)."""
    if delimiter == ",":
        return next(csv.reader([line]))
    fields = line.split(delimiter)
    if delimiter == "|":
        if leading and len(fields) > 1 and fields[0] == "":
            fields = fields[1:]
        if len(fields) > 1 and fields[-1] == "":
            fields = fields[:-1]
    return fields


def _line_tokens(text: str, whole: bool = False, after_label: bool = False) -> list[Token]:
    """Numbers and marks of a line; `after_label`: the line starts where a label ended, so a
    mark first on it is the row's first cell whatever follows (收费/三、收到…)."""
    out = []
    for m in _VALUE.finditer(text):
        num, unit, mark, empty_line = m.groups()
        if num is None and mark is None:  # printed empty: pandas' NaN, a no-break space line
            out.append(STRONG_MAYBE if empty_line else BLANK)
            continue
        if num is not None and not unit and text.startswith("年", m.end()):
            num = _YEAR_END.sub("", num)  # prose after the cells: 0 2025年 / 02025年
            if not num:
                continue
        if num is not None:  # a number with thousands separators is never cut
            out.append(Token("num", num, unit, whole or "," in num))
        elif (after_label and not out and not _WORD.search(text[: m.start()])) or _is_mark(
            text, *m.span()
        ):
            out.append(Token("mark", mark))
    return out


def _field_cell(field: str) -> Token | None:
    """The one cell a field holds (BLANK when empty), or None when it holds label text or more
    than one value."""
    text = field.strip()
    if not text:
        return BLANK
    m = _VALUE.fullmatch(text)
    if m is None:
        return None
    num, unit, mark, _ = m.groups()
    if num is None and mark is None:
        return BLANK
    return Token("num", num, unit, True) if num is not None else Token("mark", mark)


@dataclass(frozen=True)
class LabelLine:
    """The delimited line a row's label is printed on, split into fields."""

    fields: tuple[str, ...]
    label: int  # the field holding the label

    @classmethod
    def of(cls, before: str, after: str) -> LabelLine | None:
        """`before`: the line up to the end of the label's match; `after`: the rest of it."""
        before = before.rsplit("\n", 1)[-1]  # a label may wrap: its line is where it ends
        line = before + after.split("\n", 1)[0]
        delimiter = _delimiter(line)
        if delimiter is None:
            return None
        head = _split(before + "x", delimiter)  # "x": the label's field is not empty
        return cls(tuple(_split(line, delimiter)), len(head) - 1)

    @cached_property
    def cells(self) -> tuple[Token | None, ...]:
        """Each field's one cell (None: label text, or more than one number)."""
        return tuple(_field_cell(f) for f in self.fields)

    def full_row_start(self, n: int) -> int | None:
        """Where the values start, when the n fields after the label are all printed cells
        (the rows a table's column layout is learnt from)."""
        values = [i for i, c in enumerate(self.cells)
                  if i > self.label and c is not None and c.kind != "blank"]
        if len(values) != n or values[-1] - values[0] != n - 1:
            return None
        return values[0]

    def blanks_from(self, start: int) -> int:
        """How many empty fields lie from `start` to the first printed cell on the line: the
        blank cells a row whose values start at `start` begins with."""
        first = next((i for i, c in enumerate(self.cells)
                      if i > self.label and c is not None and c.kind != "blank"), len(self.cells))
        return max(0, first - start)

    def below(self, rest: str, start: int, n: int) -> tuple[Token, ...] | None:
        """A row whose label's line prints none of its n cells: its cells on the one line of
        `rest` (the row's text after its label's line) that prints any, standing in the same
        fields — w3m prints a row's cells on the middle line of a label wrapped over three.
        None when no line or more than one does."""
        found = []
        for line in rest.split("\n"):
            fields = _split(line, d) if (d := _delimiter(line)) else []
            if len(fields) != len(self.fields):
                continue
            cells = tuple(_field_cell(f) for f in fields[start:start + n])
            if any(c is None or c.kind != "blank" for c in cells):
                found.append(cells)
        if len(found) != 1 or None in found[0]:
            return None
        return found[0]  # type: ignore[return-value]

    def read(self, start: int, n: int) -> tuple[Token, ...] | None:
        """The row's n cells from field `start` on, blanks included; None where a field holds
        no single cell or the line is too short."""
        if start <= self.label or start + n > len(self.fields):
            return None
        cells = self.cells[start:start + n]
        return None if None in cells else cells  # type: ignore[return-value]


def _delimited_tokens(fields: list[str], label_line: bool) -> list[Token]:
    """Cells of a delimited line, empty fields as BLANK, LEAD or PAD (the module's "Blank,
    lead and pad")."""
    cells = [_line_tokens(f, whole=True) if f.strip() else None for f in fields]
    filled = [i for i, c in enumerate(cells) if c]
    texted = [i for i, c in enumerate(cells) if c is not None]
    last_text = max(texted, default=-1)
    if not filled:  # on the label's line, the first field is the rest of the label's cell
        return [PAD] * (len(cells) - (1 if label_line else 0) - max(last_text, 0))
    if label_line:  # its first field is the rest of the label's own cell
        start = 0 if cells[0] else 1
        lead = [LEAD] * (filled[0] - start)
    else:
        only_cells = all(cells[i] for i in texted)
        start, lead = (0 if only_cells else filled[0]), []
    out = lead
    for c in cells[start + len(lead): filled[-1] + 1]:
        out.extend(c if c is not None else [BLANK])
    return out + [PAD] * (len(cells) - 1 - last_text)


def settle_leads(toks: tuple[Token, ...], blanks: int) -> tuple[Token, ...]:
    """The LEAD fields of a row whose table says how many of them are cells: those nearest
    the values become blank cells, the rest (merged label columns) go (the module's "Blank,
    lead and pad")."""
    leads = [i for i, t in enumerate(toks) if t.kind == "lead"]
    cells = set(leads[len(leads) - blanks:]) if blanks else set()
    return tuple(BLANK if i in cells else t for i, t in enumerate(toks)
                 if t.kind != "lead" or i in cells)


def _one_cell_lines(lines: list[str]) -> list[Token] | None:
    """Tokens of text printing one cell per line (after the label's own line), or None when
    it does not. A line holding only a no-break space is a likely empty cell; where cells are
    spaced by empty lines (lynx prints a paragraph per cell), an empty line more than the
    spacing is a possible empty cell. Whether they are cells, the row's count decides."""
    body = lines[1:]
    if body and not _VALUE.search(body[-1]):
        body = body[:-1]  # where the next row's label begins: not a line of this row
    filled = [i for i, line in enumerate(body) if line.strip()]
    if lines[0].strip() or len(filled) < 2 or not all(
            _ONE_CELL_LINE.fullmatch(body[i]) for i in filled):
        return None
    gaps = [b - a - 1 for a, b in zip([-1, *filled], [*filled, len(body)], strict=True)]
    inner = gaps[1:-1]
    # the spacing between cells, where at least two gaps show it
    spacing = min(inner) if len(inner) >= 2 and inner.count(min(inner)) >= 2 else 0
    out: list[Token] = []
    for gap, i in zip(gaps, [*filled, None], strict=True):
        if spacing:
            out.extend([MAYBE] * max(0, gap - spacing))
        if i is not None:
            line = body[i].strip()
            out.extend([STRONG_MAYBE] if line == EMPTY_CELL_LINE else _line_tokens(line, True))
    return out


def tokens(cell_text: str, label_heads_table: bool = False) -> list[Token]:
    """Tokens of a row's cell text, in print order. Padding counts only after the row's last
    printed cell, on its line (or on the label's own line when nothing is printed); an empty
    field that ends a line the row goes on from is a blank cell, and so are empty fields on the
    label's line when the cells go on below it — unless the label heads a table (part 四) and
    its line is a header."""
    out: list[Token] = []
    pads: list[Token] = []
    lines = cell_text.split("\n")
    if (one_per_line := _one_cell_lines(lines)) is not None:
        return one_per_line
    for i, line in enumerate(lines):
        delimiter = _delimiter(line)
        line_tokens = (_line_tokens(line, after_label=i == 0) if delimiter is None
                       else _delimited_tokens(_split(line, delimiter, i > 0), i == 0))
        cells = [t for t in line_tokens if t.kind != "pad"]
        # a whole line of empty fields is a row of blank cells (the last line is where the
        # next row's line begins)
        empty_row = (delimiter is not None and i < len(lines) - 1 and not pads
                     and not line.replace(delimiter, "").strip())
        if cells or (not out and (i == 0 or empty_row)):
            if cells and pads and (out or not label_heads_table):
                out.extend([BLANK] * len(pads))
            out.extend(cells)
            pads = [t for t in line_tokens if t.kind == "pad"]
    return out + pads
