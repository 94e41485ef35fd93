"""One canonical form of report text, so that parsing sees one spelling of each thing.

Full-width digits and punctuation, Kangxi radicals from PDF text and circled numbers all map to
their plain forms (NFKC); line endings become \\n; markup and page footers go. Nothing here moves
a digit from one place to another.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache

from xxgk.extract.offsets import Tracked

# Mapped before NFKC (which would turn ① into a bare "1" that runs into the numbers beside it),
# and the full-width forms that make up nearly all of NFKC's work on a report, mapped by a regex
# because NFKC on a whole report costs several times a parse.
_FULL_WIDTH_COMMA = "\uff0c"  # punctuation inside labels, never a CSV delimiter: kept as it is
_SHELTERED = "\ue000"  # where it waits while NFKC runs
_MAP = {
    **{chr(0x2460 + i): f"({i + 1})" for i in range(20)},
    **{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if chr(c) != _FULL_WIDTH_COMMA},
    "\u3000": " ", "\u00a0": " ", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
    "\u2028": "\n", "\u2029": "\n", "\f": "\n", "\v": "\n",  # pdftotext ends pages with \f
    "\u2212": "-",  # the minus sign of 本年增/减
}
_MAPPED = re.compile("[" + "".join(re.escape(c) for c in _MAP) + "]")
_ONE_FOR_ONE = str.maketrans({k: v for k, v in _MAP.items() if len(v) == 1})  # moves nothing
_RESIZING = re.compile("[" + "".join(re.escape(k) for k, v in _MAP.items() if len(v) != 1) + "]")
# A page's HTML, if the text still has it: a table cell's end separates cells as a pipe would
# (dropping it would run the digits of neighbouring cells together), a row's or a block's end
# is a line break, any other tag goes.
_CELL_END = re.compile(r"</t[dh]\s*>", re.I)
# A table row is one line: paragraphs and line breaks inside its cells do not end it (a
# break before the row's end, with no row starting in between).
_BREAK_IN_ROW = re.compile(r"(?:<br\s*/?>|</p\s*>|\n)(?=(?:(?!<tr\b|</tr\s*>).)*</tr\s*>)",
                           re.I | re.S)
_LINE_END = re.compile(r"<br\s*/?>|</(?:tr|p|div|li|h\d|table)\s*>", re.I)
_MARKUP = re.compile(r"<!--.*?-->|<!\[[^\]]*\]>|</?[a-zA-Z][^<>]{0,200}>", re.S)  # tags wrap
_PAGE_FOOTER = re.compile(
    r"(?m)^[ \t]*(?:[-—–]+[ \t]*\d{1,3}[ \t]*[-—–]+"
    r"|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[,/]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?"
    r"|\d{1,3}[ \t]*/[ \t]*\d{1,3}|[Pp]age[ \t]*\d{1,3}(?:[ \t]*of[ \t]*\d{1,3})?)[ \t]*$"
)
# A text browser's table (w3m, lynx): a line of its borders goes (a group label printed on
# it stays); its vertical bars separate cells as pipes do.
_BOX_BORDER_LINE = re.compile(r"(?m)^.*[─━═├┼┤┬┴┌┐└┘┝┥┯┷┿╋╔╗╚╝╠╣╦╩╬].*$")
_BOX_CHARS = re.compile(r"[─━═│┃║├┼┤┬┴┌┐└┘┝┥┯┷┿╋╔╗╚╝╠╣╦╩╬]")
_BOX_BAR = re.compile(r"[│┃║]")
# A grid table's border (pandoc, `+----+----+`, also `|    +----+` beside a spanned cell):
# never a row of cells, which has no `+`.
_GRID_BORDER = re.compile(r"(?m)^[ \t|]*\+(?:[-=:]{3,}\+|[ \t]*\|?[ \t]*\+)*[ \t|]*$")
# A line holding only a no-break space: an empty cell, one per line (BeautifulSoup's
# get_text("\n"), python-docx), kept as a mark of its own since spaces are not kept.
EMPTY_CELL_LINE = "\u2400"
_NBSP_LINE = re.compile(r"(?m)^[ \t]*\u00a0[ \t\u00a0]*$")
# The same written in an encoding without a no-break space (GBK): a line of one space, in a
# text printing one value per line (a line just before or after it holds one number); a page
# joined by spaces (get_text(" ")) has such lines around rows of many values, not cells.
_ONE_SPACE_LINE = re.compile(r"(?m)^ (?=\r?$)")
_ONE_VALUE_LINE = re.compile(r"[ \t]*-?\d+(?:\.\d+)?[ \t]*\r?")


def _one_value_beside(m: re.Match[str]) -> str:
    """The empty-cell mark for a line of one space whose nearest lines with text, before or
    after it (empty lines between, as docx2txt prints them), hold one value."""
    text = m.string
    before = text[: max(0, m.start() - 1)].rstrip("\r\n").rsplit("\n", 1)[-1]
    after = text[m.end() + 1:].lstrip("\r\n").split("\n", 1)[0]
    lone = _ONE_VALUE_LINE.fullmatch(before) or _ONE_VALUE_LINE.fullmatch(after)
    return EMPTY_CELL_LINE if lone else m.group(0)


# pandas' column numbers over a table read without a header (read_html, then to_csv or
# to_string): 0,1,2,3 — a CSV line of numbers alone is never a row's cells; spaced, only from
# 0 to 3 and beyond (a row of a PDF may print 0 1 2 on a line of its own), or over a line
# repeating one caption in every column (pandas' copy of a spanned cell).
_COLUMN_NUMBERS = re.compile(
    r"(?m)^(?:0(?:,\d+)+|[ \t]*0(?:[ \t]{2,}\d+){3,}"
    r"|[ \t]*0(?:[ \t]{2,}\d+)+(?=[ \t]*\n[ \t]*(\S+)(?:[ \t]+\1)+[ \t]*$))[ \t]*$")


def _unless_cells(m: re.Match[str]) -> str:
    """Drop a line of column numbers only when they count 0, 1, 2, … in order."""
    numbers = re.findall(r"\d+", m[0])
    return "" if numbers == [str(i) for i in range(len(numbers))] else m[0]


_MARKDOWN_BOLD = re.compile(r"\*\*|__(?=\S)|(?<=\S)__")  # a converter's **标题**
# a converter's "## 标题", and the ===== under a title (never cells: no cell prints "=")
_MARKDOWN_HEADING = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]+|^[ \t]*={3,}[ \t]*$")
_MARKDOWN_RULE = re.compile(
    r"(?m)^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+(?:[ \t]*:?-{3,}:?[ \t]*)?$"
)


# An HTML character reference, as html.unescape reads them (with or without its semicolon).
_ENTITY = re.compile(r"&(?:#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
_LINE_BREAK = re.compile(r"\r\n?")


@cache
def _changed_by_nfkc() -> re.Pattern[str]:
    """The characters NFKC changes (built once, when a text first needs it)."""
    chars = (chr(c) for c in range(0x80, 0x10000) if not 0xD800 <= c < 0xE000)
    return re.compile("[" + "".join(re.escape(c) for c in chars
                                     if unicodedata.normalize("NFKC", c) != c) + "]")


def _nfkc(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", m[0])


def _markup(out: Tracked) -> None:
    """A page's HTML: table rows on one line, cells apart as pipes, tags and entities gone."""
    if "<" in out.text:
        out.sub(_BREAK_IN_ROW, " ")
        out.sub(_CELL_END, " | ")
        out.sub(_LINE_END, "\n")
        out.sub(_MARKUP, "")
    if "&" in out.text:
        out.sub(_ENTITY, lambda m: html.unescape(m[0]))


def _characters(out: Tracked) -> None:
    """One form of every character: full-width forms, NFKC, line endings."""
    if not unicodedata.is_normalized("NFKC", out.text) or _MAPPED.search(out.text):
        out.sub(_RESIZING, lambda m: _MAP[m[0]])
        out.text = out.text.translate(_ONE_FOR_ONE).replace(_FULL_WIDTH_COMMA, _SHELTERED)
        if not unicodedata.is_normalized("NFKC", out.text):
            out.sub(_changed_by_nfkc(), _nfkc)
        out.text = out.text.replace(_SHELTERED, _FULL_WIDTH_COMMA)
    if "\r" in out.text:
        out.sub(_LINE_BREAK, "\n")


# What converters print around a table that is neither label nor cell, and what shows it.
_DECORATION = ((None, _PAGE_FOOTER), ("|", _MARKDOWN_RULE), ("#", _MARKDOWN_HEADING),
               ("===", _MARKDOWN_HEADING), ("**", _MARKDOWN_BOLD), ("+-", _GRID_BORDER))


def _decoration(out: Tracked) -> None:
    """Page footers, markdown rules and headings, grid and box borders, pandas' numbers."""
    for sign, pattern in _DECORATION:
        if sign is None or sign in out.text:
            out.sub(pattern, "")
    if _BOX_CHARS.search(out.text):
        out.sub(_BOX_BORDER_LINE, lambda m: _BOX_CHARS.sub(" ", m[0]))
        out.text = _BOX_BAR.sub("|", out.text)  # one for one: untracked
    out.sub(_COLUMN_NUMBERS, _unless_cells)


def normalize_tracked(text: str) -> Tracked:
    """The canonical form of `text`, with the way back to the decoded text's offsets."""
    out = Tracked(text)
    if "\u00a0" in text:
        out.sub(_NBSP_LINE, EMPTY_CELL_LINE)
    if "\n \n" in text or "\n \r\n" in text:
        out.sub(_ONE_SPACE_LINE, _one_value_beside)
    _markup(out)
    _characters(out)
    _decoration(out)
    return out


def normalize(text: str) -> str:
    return normalize_tracked(text).text
