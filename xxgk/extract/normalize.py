"""One canonical form of report text, so that parsing sees one spelling of each thing.

Full-width digits and punctuation, Kangxi radicals from PDF text and circled numbers all map to
their plain forms (NFKC); line endings become \\n; markup and page footers go. Nothing here moves
a digit from one place to another.
"""

from __future__ import annotations

import html
import re
import unicodedata

# Mapped before NFKC (which would turn ① into a bare "1" that runs into the numbers beside it),
# and the full-width forms that make up nearly all of NFKC's work on a report, mapped by a regex
# because NFKC on a whole report costs several times a parse.
_FULL_WIDTH_COMMA = "\uff0c"  # punctuation inside labels, never a CSV delimiter: kept as it is
_SHELTERED = "\ue000"  # where it waits while NFKC runs
_MAP = {
    **{chr(0x2460 + i): f"({i + 1})" for i in range(20)},
    **{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F) if chr(c) != _FULL_WIDTH_COMMA},
    "\u3000": " ", "\u00a0": " ", "\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": "",
    "\u2028": "\n", "\u2029": "\n", "\u2212": "-",  # the minus sign of 本年增/减
}
_MAPPED = re.compile("[" + "".join(re.escape(c) for c in _MAP) + "]")
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


def normalize(text: str) -> str:
    if "<" in text:
        text = _MARKUP.sub("", _LINE_END.sub("\n", _CELL_END.sub(" | ", text)))
    if "&" in text:
        text = html.unescape(text)
    if not unicodedata.is_normalized("NFKC", text) or _MAPPED.search(text):
        text = _MAPPED.sub(lambda m: _MAP[m[0]], text).replace(_FULL_WIDTH_COMMA, _SHELTERED)
        if not unicodedata.is_normalized("NFKC", text):
            text = unicodedata.normalize("NFKC", text)
        text = text.replace(_SHELTERED, _FULL_WIDTH_COMMA)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _PAGE_FOOTER.sub("", text)
    if "|" in text:
        text = _MARKDOWN_RULE.sub("", text)
    return text
