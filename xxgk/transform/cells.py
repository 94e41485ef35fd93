"""The printed cells in a row's text: numbers, not-a-number marks and, where delimiters keep
their place, blank cells. Label text around them is skipped.

A number token may hold several cells whose digits ran together; `split` divides those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["num", "mark", "blank"]


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
    empty fields before or after them are padding of a flattened header."""
    fields = [_line_tokens(f) if f.strip() else None for f in _DELIMITER.split(line)]
    filled = [i for i, f in enumerate(fields) if f]
    if not filled:
        return []
    out: list[Token] = []
    for f in fields[filled[0]: filled[-1] + 1]:
        if f is None:
            out.append(BLANK)
        else:
            out.extend(f)
    return out


def tokens(cell_text: str) -> list[Token]:
    """Tokens of a row's cell text, in print order."""
    out: list[Token] = []
    for line in cell_text.split("\n"):
        out.extend(_delimited_tokens(line) if _DELIMITER.search(line) else _line_tokens(line))
    return out
