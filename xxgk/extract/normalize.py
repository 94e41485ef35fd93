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
_LINE_END = re.compile(r"<br\s*/?>|</(?:tr|p|div|li|h\d|table)\s*>", re.I)
_MARKUP = re.compile(r"<!--.*?-->|<!\[[^\]]*\]>|</?[a-zA-Z][^<>\n]{0,200}>", re.S)
_PAGE_FOOTER = re.compile(
    r"(?m)^[ \t]*(?:[-—–]+[ \t]*\d{1,3}[ \t]*[-—–]+"
    r"|第[ \t]*\d{1,3}[ \t]*页(?:[ \t]*[,/]?[ \t]*共[ \t]*\d{1,3}[ \t]*页)?"
    r"|\d{1,3}[ \t]*/[ \t]*\d{1,3}|[Pp]age[ \t]*\d{1,3}(?:[ \t]*of[ \t]*\d{1,3})?)[ \t]*$"
)
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


def normalize_tracked(text: str) -> Tracked:
    """The canonical form of `text`, with the way back to the decoded text's offsets."""
    out = Tracked(text)
    if "<" in text:
        out.sub(_CELL_END, " | ")
        out.sub(_LINE_END, "\n")
        out.sub(_MARKUP, "")
    if "&" in out.text:
        out.sub(_ENTITY, lambda m: html.unescape(m[0]))
    if not unicodedata.is_normalized("NFKC", out.text) or _MAPPED.search(out.text):
        out.sub(_RESIZING, lambda m: _MAP[m[0]])
        out.text = out.text.translate(_ONE_FOR_ONE).replace(_FULL_WIDTH_COMMA, _SHELTERED)
        if not unicodedata.is_normalized("NFKC", out.text):
            out.sub(_changed_by_nfkc(), _nfkc)
        out.text = out.text.replace(_SHELTERED, _FULL_WIDTH_COMMA)
    if "\r" in out.text:
        out.sub(_LINE_BREAK, "\n")
    out.sub(_PAGE_FOOTER, "")
    if "|" in out.text:
        out.sub(_MARKDOWN_RULE, "")
    return out


def normalize(text: str) -> str:
    return normalize_tracked(text).text
