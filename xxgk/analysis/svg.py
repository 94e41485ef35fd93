"""Charts as inline SVG strings: no library, no script, no font or file to fetch, so the report
page renders the same offline in any browser. Two kinds: lines over years, stacked bars."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 640, 300
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 60, 170, 20, 40
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
           "#ff9da7", "#9c755f", "#bab0ac")

Series = dict[str, list[float | None]]


def _scale(top: float) -> float:
    """A round upper bound for the y axis."""
    if top <= 0:
        return 1.0
    step = 10 ** (len(str(int(top))) - 1)
    return float(((int(top) // step) + 1) * step)


def _frame(title: str, xs: list[str], top: float, body: list[str], names: list[str]) -> str:
    """Axes, x labels, y ticks and the legend around a chart's marks."""
    plot_w, plot_h = WIDTH - MARGIN_LEFT - MARGIN_RIGHT, HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    parts = [f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" '
             f'height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP + plot_h}" x2="{MARGIN_LEFT + plot_w}" '
             f'y2="{MARGIN_TOP + plot_h}" stroke="#333"/>']
    for i in range(5):
        value, y = top * i / 4, MARGIN_TOP + plot_h - plot_h * i / 4
        parts.append(f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'font-size="11">{value:,.0f}</text>')
    for i, x in enumerate(xs):
        parts.append(f'<text x="{_x(i, len(xs)):.1f}" y="{HEIGHT - 15}" text-anchor="middle" '
                     f'font-size="11">{escape(x)}</text>')
    for i, name in enumerate(names):
        y = MARGIN_TOP + 14 * i
        parts.append(f'<rect x="{WIDTH - MARGIN_RIGHT + 10}" y="{y}" width="10" height="10" '
                     f'fill="{PALETTE[i % len(PALETTE)]}"/><text x="{WIDTH - MARGIN_RIGHT + 24}" '
                     f'y="{y + 9}" font-size="11">{escape(name)}</text>')
    return "".join(parts + body) + "</svg>"


def _x(i: int, n: int) -> float:
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    return MARGIN_LEFT + plot_w * (i + 0.5) / max(n, 1)


def _y(value: float, top: float) -> float:
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    return MARGIN_TOP + plot_h - plot_h * value / top


def lines(title: str, xs: list[str], series: Series) -> str:
    """One line per series over xs; a missing value breaks the line."""
    top = _scale(max((v for s in series.values() for v in s if v is not None), default=0))
    body = []
    for i, values in enumerate(series.values()):
        colour = PALETTE[i % len(PALETTE)]
        points = [(j, v) for j, v in enumerate(values) if v is not None]
        path = " ".join(f"{'M' if k == 0 or points[k - 1][0] != j - 1 else 'L'}"
                        f"{_x(j, len(xs)):.1f},{_y(v, top):.1f}"
                        for k, (j, v) in enumerate(points))
        if path:
            body.append(f'<path class="mark" d="{path}" fill="none" stroke="{colour}" '
                        'stroke-width="2"/>')
        body += [f'<circle class="mark" cx="{_x(j, len(xs)):.1f}" cy="{_y(v, top):.1f}" r="3" '
                 f'fill="{colour}"/>' for j, v in points]
    return _frame(title, xs, top, body, list(series))


def stacked_bars(title: str, xs: list[str], series: Series) -> str:
    """One bar per x, stacked by series (missing values count as nothing drawn)."""
    totals = [sum(s[j] or 0 for s in series.values()) for j in range(len(xs))]
    top = _scale(max(totals, default=0))
    width = (WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / max(len(xs), 1) * 0.6
    body, base = [], [0.0] * len(xs)
    for i, values in enumerate(series.values()):
        colour = PALETTE[i % len(PALETTE)]
        for j, v in enumerate(values):
            if not v:
                continue
            y0, y1 = _y(base[j], top), _y(base[j] + v, top)
            body.append(f'<rect class="mark" x="{_x(j, len(xs)) - width / 2:.1f}" '
                        f'y="{y1:.1f}" width="{width:.1f}" height="{y0 - y1:.1f}" '
                        f'fill="{colour}"/>')
            base[j] += v
    return _frame(title, xs, top, body, list(series))
