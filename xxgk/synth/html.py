"""A generated report as the HTML page real sites publish: tables with the spans real pages
use (group labels spanning their rows, headers spanning their columns), cells wrapped in
`<p>`, empty cells as `&nbsp;` or nothing, `<br>` inside header cells, narrow columns so that
a browser printing the page wraps long labels.

It is a layout like the others (`html`): crawlers keep pages as they are. The converters of
`renderers.py` turn it into the text that people's tools make of it.
"""

from __future__ import annotations

import html
import random

from xxgk.synth.layouts import Context, Part, Rendered
from xxgk.synth.tables import Block, TableRow

_PAGE_HEAD = ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
              "body{{font-family:'WenQuanYi Zen Hei',sans-serif;font-size:12px;width:{w}px}}"
              "table{{border-collapse:collapse;width:{w}px}}"
              "td{{border:1px solid #000;padding:2px;vertical-align:middle}}"
              "</style></head><body>")
_WIDTHS = (520, 600, 680)


def _text(text: str, rng: random.Random, header: bool) -> str:
    """A cell's text: escaped, in a paragraph, a long header broken by <br>."""
    escaped = html.escape(text)
    if header and len(text) > 4 and rng.random() < 0.5:
        cut = len(text) // 2
        escaped = f"{html.escape(text[:cut])}<br>{html.escape(text[cut:])}"
    return f"<p>{escaped}</p>" if rng.random() < 0.7 else escaped


def _spans(rows: tuple[TableRow, ...], i: int, level: int) -> int:
    """How many rows the group label at `level` opened by row i spans."""
    label, n = rows[i].labels[level], 1
    for row in rows[i + 1:]:
        if len(row.labels) <= level + 1 or row.starts[level] or row.labels[level] != label:
            break
        n += 1
    return n


def _row(block: Block, i: int, rng: random.Random, empty: str) -> str:
    row = block.rows[i]
    cells = [f'<td rowspan="{_spans(block.rows, i, g)}">{_text(label, rng, False)}</td>'
             for g, label in enumerate(row.labels[:-1]) if row.starts[g]]
    if row.labels:
        own_cols = block.label_cols - (len(row.labels) - 1)
        span = f' colspan="{own_cols}"' if own_cols > 1 else ""
        cells.append(f"<td{span}>{_text(row.labels[-1], rng, False)}</td>")
    cells += [f"<td>{_text(c, rng, False) if c else empty}</td>" for c in row.cells]
    return "<tr>" + "".join(cells) + "</tr>"


def _table(block: Block, rng: random.Random) -> list[str]:
    empty = rng.choice(("<p>&nbsp;</p>", "&nbsp;", ""))
    out = ["<table>"]
    if block.caption:
        out.append(f'<tr><td colspan="{block.width}">{html.escape(block.caption)}</td></tr>')
    for hrow in block.header:
        out.append("<tr>" + "".join(
            f'<td colspan="{h.span}">{_text(h.text, rng, True)}</td>' if h.span > 1
            else f"<td>{_text(h.text, rng, True)}</td>" for h in hrow) + "</tr>")
    out += [_row(block, i, rng, empty) for i in range(len(block.rows))]
    out.append("</table>")
    return out


def html_page(parts: list[Part], rng: random.Random, ctx: Context) -> Rendered:
    """The report as an HTML page (a layout: see the module's docstring)."""
    lines = [_PAGE_HEAD.format(w=rng.choice(_WIDTHS))]
    for part in parts:
        if part.block:
            lines += _table(part.block, rng)
        elif part.kind in ("title", "heading"):
            tag = "h2" if part.kind == "title" else "h3"
            lines += [f"<{tag}>{html.escape(t)}</{tag}>" for t in part.text.split("\n")]
        else:
            lines += [f"<p>{html.escape(t)}</p>" for t in part.text.split("\n") if t]
    lines.append("</body></html>")
    return Rendered(lines)
