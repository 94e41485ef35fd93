"""The printed cells in a row's text: numbers, not-a-number marks and, where delimiters keep
their place, blank cells. Label text around them is skipped.

A number token may hold several cells whose digits ran together; `split` divides those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["num", "mark", "blank", "pad"]


@dataclass(frozen=True)
class Token:
    kind: Kind
    text: str  # digits as printed ("230", "-3", "12.5"), the mark ("/", "—", "无"), or ""
    unit: str | None = None


_TOKEN = re.compile(
    r"(?P<num>-?\d+(?:\.\d+)?)(?:[ \t]*(?P<unit>万元|元))?"
    # a mark stands alone between delimiters or numbers: "(四)无 1.本机关…" is label text
    r"|(?P<mark>(?<![^\s|,\d])(?:无|[/\\—–-]+)(?![^\s|,\d]))"
    r"|[^\W\d]+"  # label text
)
_DELIMITER = re.compile(r"[|\t,]")
BLANK = Token("blank", "")
PAD = Token("pad", "")


def _line_tokens(line: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(line):
        if m.group("num") is not None:
            out.append(Token("num", m.group("num"), m.group("unit")))
        elif m.group("mark") is not None:
            out.append(Token("mark", m.group("mark")))
    return out


def _delimited_tokens(line: str) -> list[Token]:
    """Cells of a pipe/tab/comma line: an empty field between two printed cells is a blank cell;
    empty fields after them may be blank cells or a flattened header's padding (PAD)."""
    fields = [_line_tokens(f) if f.strip() else None for f in _DELIMITER.split(line)]
    if len(fields) > 1 and fields[-1] is None and line.rstrip().endswith("|"):
        fields.pop()  # what follows a closing pipe is no field
    filled = [i for i, f in enumerate(fields) if f]
    last_text = max((i for i, f in enumerate(fields) if f is not None), default=-1)
    out: list[Token] = []
    for f in fields[filled[0]: filled[-1] + 1] if filled else ():
        if f is None:
            out.append(BLANK)
        else:
            out.extend(f)
    # with nothing printed, the first field is the rest of the label's own cell
    return out + [PAD] * (len(fields) - 1 - max(last_text, 0))


def tokens(cell_text: str) -> list[Token]:
    """Tokens of a row's cell text, in print order. Padding counts only after the row's last
    printed cell, on its line (or on the label's own line when nothing is printed)."""
    out: list[Token] = []
    pads: list[Token] = []
    for i, line in enumerate(cell_text.split("\n")):
        line_tokens = _delimited_tokens(line) if _DELIMITER.search(line) else _line_tokens(line)
        cells = [t for t in line_tokens if t.kind != "pad"]
        if cells or (i == 0 and not out):
            out.extend(cells)
            pads = [t for t in line_tokens if t.kind == "pad"]
    return out + pads
