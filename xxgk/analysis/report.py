"""`xxgk report`: one self-contained HTML page from the analyst views (trends, outcome mix,
reviews and lawsuits, applicants, cross-year and data-quality findings), every chart an inline
SVG followed by its numbers. Nothing is fetched: the page's Content-Security-Policy forbids any
load, and a small inline script records what rendered (the test reads it back from Chromium).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

import duckdb

from xxgk.analysis import svg

SCOPE = "($agencies IS NULL OR list_contains($agencies, canonical_agency))"

TREND = ("received_new", "decided", "carried_forward")
REVIEWS = ("reviews_upheld", "reviews_corrected", "reviews_other", "reviews_pending")
LAWSUITS = ("lawsuits_upheld", "lawsuits_corrected", "lawsuits_other", "lawsuits_pending")

CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:")
STYLE = """body{font-family:sans-serif;margin:2em;max-width:60em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:13px}
td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}
th:first-child,td:first-child{text-align:left}figure{margin:1em 0}
.empty{color:#777}"""
PROBE = """<script>
// What rendered, for tests and the curious: charts drawn with marks, resources fetched.
const charts = [...document.querySelectorAll('svg.chart')];
document.body.dataset.chartsRendered = charts.filter(
  c => c.getBBox().width > 0 && c.querySelector('.mark')).length;
document.body.dataset.charts = charts.length;
document.body.dataset.resources = performance.getEntriesByType('resource').length;
</script>"""


def _rows(con: duckdb.DuckDBPyConnection, sql: str, agencies: list[str] | None) -> list[tuple]:
    return con.execute(sql, {"agencies": agencies}).fetchall()


def _table(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    if not rows:
        return '<p class="empty">None.</p>'
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_fmt(v)}</td>" for v in r) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.3f}"
    return escape(str(value))


def _figure(title: str, chart: str, xs: list[str], series: svg.Series) -> str:
    rows = [[x, *(s[i] for s in series.values())] for i, x in enumerate(xs)]
    return (f"<figure><figcaption><b>{escape(title)}</b></figcaption>{chart}"
            f"{_table(['year', *series], rows)}</figure>")


def _by_year(con: duckdb.DuckDBPyConnection, figures: tuple[str, ...],
             agencies: list[str] | None) -> tuple[list[str], svg.Series]:
    """Sums of report_headline figures per year (undetermined figures left out of the sum)."""
    sums = ", ".join(f"sum({f})::BIGINT" for f in figures)
    rows = _rows(con, f"SELECT year, {sums} FROM report_headline WHERE {SCOPE} "
                      "AND template IS NOT NULL GROUP BY year ORDER BY year", agencies)
    return _pivot([(r[0], f, r[i + 1]) for r in rows for i, f in enumerate(figures)])


def _pivot(rows: list[tuple]) -> tuple[list[str], svg.Series]:
    """(year, series, value) rows as every year from the first to the last (a year without a
    report stays empty: a gap shows, it is not skipped) and one list per series."""
    years = [r[0] for r in rows]
    xs = [str(y) for y in range(min(years), max(years) + 1)] if years else []
    series: svg.Series = {}
    for year, name, value in rows:
        series.setdefault(name, [None] * len(xs))[xs.index(str(year))] = value
    return xs, series


def _charts(con: duckdb.DuckDBPyConnection, agencies: list[str] | None) -> list[str]:
    xs, trend = _by_year(con, TREND, agencies)
    out = ["<h2>Requests</h2>",
           _figure("Requests received, decided, carried forward",
                   svg.lines("Requests per year", xs, trend), xs, trend)]
    xs, mix = _pivot(_rows(con, "SELECT year, outcome_group, sum(requests)::BIGINT "
                                f"FROM outcome_mix WHERE {SCOPE} GROUP BY ALL ORDER BY ALL",
                           agencies))
    out += ["<h2>Outcome mix</h2>",
            _figure("Requests decided per outcome", svg.stacked_bars("Outcome mix", xs, mix),
                    xs, mix)]
    xs, who = _pivot(_rows(con, "SELECT year, applicant_type, sum(received_new)::BIGINT "
                                f"FROM applicant_mix WHERE {SCOPE} GROUP BY ALL "
                                "ORDER BY year, min(position)", agencies))
    out += [_figure("New requests per applicant", svg.stacked_bars("Applicants", xs, who),
                    xs, who)]
    out.append("<h2>Administrative reviews and lawsuits</h2>")
    for title, figures in (("Reviews by outcome", REVIEWS), ("Lawsuits by outcome", LAWSUITS)):
        xs, series = _by_year(con, figures, agencies)
        out.append(_figure(title, svg.stacked_bars(title, xs, series), xs, series))
    return out


FINDINGS = (
    ("Cross-year checks broken (X1, X2)",
     "SELECT rule, canonical_agency, year, code, applicant_type, expected, found, difference "
     "FROM cross_year_breaks"),
    ("Years missing in a series",
     "SELECT canonical_agency, missing_year, first_year, last_year FROM series_gaps"),
    ("Prose numbers that differ from the table",
     "SELECT canonical_agency, year, name, printed, table_value FROM prose_vs_table"),
    ("Reports with failed checks or flagged cells",
     "SELECT canonical_agency, year, status, failed_checks, failed_rules, flagged_cells, path "
     "FROM report_quality WHERE failed_checks > 0 OR flagged_cells > 0"),
)


def _findings(con: duckdb.DuckDBPyConnection, agencies: list[str] | None) -> list[str]:
    out = ["<h2>Findings</h2>"]
    for title, sql in FINDINGS:
        cur = con.execute(f"{sql} WHERE {SCOPE}" if " WHERE " not in sql
                          else f"{sql} AND {SCOPE}", {"agencies": agencies})
        header = [d[0] for d in cur.description]
        out += [f"<h3>{escape(title)}</h3>", _table(header, [list(r) for r in cur.fetchall()])]
    unmapped = con.execute("SELECT agency, first_year, last_year, reports FROM unmapped_agencies "
                           "WHERE $agencies IS NULL OR list_contains($agencies, agency)",
                           {"agencies": agencies}).fetchall()
    out += ["<h3>Agencies not in agency_aliases.csv</h3>",
            _table(["agency", "first_year", "last_year", "reports"], [list(r) for r in unmapped])]
    return out


def html(con: duckdb.DuckDBPyConnection, agencies: list[str] | None = None) -> str:
    """The whole page; `agencies` (canonical names) narrows it, None is every agency."""
    scope = ", ".join(agencies) if agencies else "all agencies"
    n = _rows(con, f"SELECT count(*) FROM report_headline WHERE {SCOPE}", agencies)[0][0]
    body = [f"<h1>政府信息公开工作年度报告: {escape(scope)}</h1>",
            f"<p>{n} reports. Sums per year leave out figures a report does not determine "
            "(see the findings). Every chart is followed by its numbers.</p>",
            *_charts(con, agencies), *_findings(con, agencies)]
    return ("<!DOCTYPE html><html lang=\"zh\"><head><meta charset=\"utf-8\">"
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f"<title>xxgk report: {escape(scope)}</title><style>{STYLE}</style></head><body>"
            + "\n".join(body) + PROBE + "</body></html>\n")


def write(con: duckdb.DuckDBPyConnection, out: str | Path,
          agencies: list[str] | None = None) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html(con, agencies), encoding="utf-8")
    return out
