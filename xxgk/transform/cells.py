"""The printed cells in a row's text: numbers, not-a-number marks and, where delimiters keep
their place, blank cells. Label text around them is skipped.

Two readings. Free text (PDF text, one cell per line, run-together digits): the tokens in
order, a number token possibly holding several cells whose digits ran together (`split` divides
those). Delimited lines (pipes, tabs, CSV): a field is one cell, never cut; where the table's
rows keep their columns (`LabelLine.read`), a row is read by position, blanks included.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["num", "mark", "blank", "lead", "pad"]


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str  # digits as printed ("230", "-3", "12.5"), the mark ("/", "—", "无"), or ""
    unit: str | None = None
    whole: bool = False  # a delimited field: exactly one cell, whatever its digits


# A not-a-number mark is one cell: 无, /, \, -, or a run of long dashes (—— is one cell). It
# stands between delimiters, numbers or other marks: "(四)无 1.本机关…" is label text.
_MARK = r"(?:无|[/\\-]|[—–]+)"
_BESIDE_MARK = r"\s|,\d/\\—–无-"
_TOKEN = re.compile(
    r"(?P<num>-?\d+(?:\.\d+)?)(?:[ \t]*(?P<unit>万元|元))?"
    rf"|(?P<mark>(?<![^{_BESIDE_MARK}]){_MARK}(?![^{_BESIDE_MARK}]))"
    r"|(?P<text>[^\W\d]+)"  # label text
)
_VALUE_FIELD = re.compile(rf"\s*(?:-?\d+(?:\.\d+)?\s*(?:万元|元)?|{_MARK})?\s*")
BLANK = Token("blank", "")
LEAD = Token("lead", "")  # an empty field between a label and its values: blank cell or padding
PAD = Token("pad", "")  # an empty field after the values: blank cell or padding


def split_fields(line: str) -> list[str] | None:
    """The fields of a delimited line, one delimiter kind per line (a pipe line's labels may
    hold commas); None for a line that is not delimited. Commas delimit only a CSV row, one
    with at least two fields empty or holding a single value: labels are full of commas too."""
    for delimiter in ("|", "\t"):
        if delimiter in line:
            return line.split(delimiter)
    if "," in line:
        fields = next(csv.reader([line]))
        if sum(_VALUE_FIELD.fullmatch(f) is not None for f in fields) >= 2:
            return fields
    return None


def _line_tokens(text: str, whole: bool = False) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(text):
        if m.group("num") is not None:
            out.append(Token("num", m.group("num"), m.group("unit"), whole))
        elif m.group("mark") is not None:
            out.append(Token("mark", m.group("mark")))
    return out


def _field_cell(field: str) -> Token | None:
    """The one cell a field holds (BLANK when empty), or None when it holds label text or more
    than one number."""
    if not field.strip():
        return BLANK
    toks = [m for m in _TOKEN.finditer(field)]
    if len(toks) != 1 or toks[0].group("text") is not None:
        return None
    return _line_tokens(field, whole=True)[0]


def _trimmed(fields: list[str], line: str, leading: bool = True) -> list[str]:
    """Without what stands outside a leading and a closing pipe."""
    if leading and line.lstrip().startswith("|") and fields and not fields[0].strip():
        fields = fields[1:]
    if line.rstrip().endswith("|") and fields and not fields[-1].strip():
        fields = fields[:-1]
    return fields


@dataclass(frozen=True)
class LabelLine:
    """The delimited line a row's label is printed on, split into fields."""

    fields: tuple[str, ...]
    label: int  # the field holding the label

    @classmethod
    def of(cls, before: str, after: str) -> LabelLine | None:
        """`before`: the line up to the end of the label's match; `after`: the rest of it."""
        fields = split_fields(before + after)
        if fields is None:
            return None
        fields = _trimmed(fields, before + after)
        head = split_fields(before) or [before]
        offset = 1 if before.lstrip().startswith("|") else 0
        return cls(tuple(fields), len(head) - 1 - offset)

    def full_row_start(self, n: int) -> int | None:
        """Where the values start, when the n fields after the label are all printed cells
        (the rows a table's column layout is learnt from)."""
        cells = [(i, _field_cell(f)) for i, f in enumerate(self.fields) if i > self.label]
        values = [i for i, c in cells if c is not None and c.kind != "blank"]
        if len(values) != n or values[-1] - values[0] != n - 1:
            return None
        return values[0]

    def read(self, start: int, n: int) -> tuple[Token, ...] | None:
        """The row's n cells from field `start` on, blanks included; None where a field holds
        no single cell or the line is too short."""
        if start <= self.label or start + n > len(self.fields):
            return None
        cells = tuple(_field_cell(f) for f in self.fields[start:start + n])
        return None if None in cells else cells  # type: ignore[return-value]


def _delimited_tokens(fields: list[str], label_line: bool) -> list[Token]:
    """Cells of a delimited line: an empty field between two printed cells is a blank cell,
    and so is one before them on a line of cells only. Empty fields between the label and the
    cells on the label's line (LEAD) and after the cells (PAD) may be blank cells or the
    padding of merged label columns and flattened headers."""
    cells = [_line_tokens(f, whole=True) if f.strip() else None for f in fields]
    filled = [i for i, c in enumerate(cells) if c]
    texted = [i for i, c in enumerate(cells) if c is not None]
    last_text = max(texted, default=-1)
    if not filled:  # on the label's line, the first field is the rest of the label's cell
        return [PAD] * (len(cells) - 1 - max(last_text, 0))
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


def tokens(cell_text: str) -> list[Token]:
    """Tokens of a row's cell text, in print order. Padding counts only after the row's last
    printed cell, on its line (or on the label's own line when nothing is printed)."""
    out: list[Token] = []
    pads: list[Token] = []
    for i, line in enumerate(cell_text.split("\n")):
        fields = split_fields(line)
        line_tokens = (_line_tokens(line) if fields is None
                       else _delimited_tokens(_trimmed(fields, line, i > 0), i == 0))
        cells = [t for t in line_tokens if t.kind != "pad"]
        if cells or (i == 0 and not out):
            out.extend(cells)
            pads = [t for t in line_tokens if t.kind == "pad"]
    return out + pads
