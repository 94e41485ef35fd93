"""Writing generated reports to disk with the gold the scorer reads (gold.csv and meta.csv).

gold.csv: file,code,applicant_type,value,unit,ambiguous — one row per template cell per report;
applicant_type empty for parts 二 and 四, value empty where the cell prints no number, unit only
where the printed unit differs from the template's, ambiguous "yes" or empty.
meta.csv: file,agency,year,template,layout,encoding,broken,kind,expected_status,broken_rule —
broken is "1" or EMPTY (the scorer takes any non-empty text, even "0", as broken).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from pathlib import Path

from xxgk.synth.others import generate_invalid
from xxgk.synth.renderers import render_report
from xxgk.synth.report import SyntheticReport, build_report
from xxgk.synth.tables import format_number
from xxgk.synth.text import AGENCIES, ENCODINGS
from xxgk.synth.values import Table

GOLD_COLUMNS = ("file", "code", "applicant_type", "value", "unit", "ambiguous")
META_COLUMNS = ("file", "agency", "year", "template", "layout", "encoding", "broken", "kind",
                "expected_status", "broken_rule")
BROKEN_SHARE = 0.05
"""Share of broken reports in write_corpus when `broken` is not given."""


def write_gold(reports: list[SyntheticReport], out_dir: str | Path) -> None:
    """gold.csv and meta.csv for these reports, in the format shared/tools/score.py reads."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    with open(out / "gold.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(GOLD_COLUMNS)
        for r in reports:
            for (code, applicant), value in r.gold.items():
                key = (code, applicant)
                writer.writerow((r.name, code, applicant or "",
                                 "" if value is None else format_number(value),
                                 r.units.get(key, ""), "yes" if key in r.ambiguous else ""))
    with open(out / "meta.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(META_COLUMNS)
        for r in reports:
            writer.writerow((r.name, r.agency or "", r.year or "", r.template, r.layout,
                             r.encoding, "1" if r.broken else "", r.kind, r.expected_status,
                             r.broken_rule or ""))


def _write_files(reports: list[SyntheticReport], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for r in reports:
        (out_dir / r.name).write_bytes(r.data)


def write_corpus(out_dir: str | Path, n: int, seed: int = 0, *, invalid: int = 0,
                 broken: bool | None = None, renderers: Sequence[str] = (),
                 **filters: object) -> list[SyntheticReport]:
    """n reports (plus `invalid` not-a-report files) as flat files in out_dir, with gold.csv and
    meta.csv beside them. filters are generate_report's (version, layout, encoding, agency,
    year); broken=None breaks about one report in twenty; `renderers`: the report's web page
    flattened by these tools in turn (renderers.py) instead of a text layout."""
    reports = []
    for i in range(n):
        rng = random.Random(seed * 1_000_003 + i)
        is_broken = rng.random() < BROKEN_SHARE if broken is None else broken
        if renderers:
            report = render_report(seed * 1_000_003 + i, renderers[i % len(renderers)],
                                   encoding=rng.choice(ENCODINGS), broken=is_broken, **filters)
            report.name = f"{i:05d}_{report.layout}.txt"
        else:
            report = build_report(rng, f"{i:05d}", broken=is_broken, **filters)
        reports.append(report)
    for j in range(invalid):
        bad = generate_invalid(seed * 1_000_003 + n + j)
        bad.name = f"{n + j:05d}_{bad.kind}.txt"
        reports.append(bad)
    _write_files(reports, Path(out_dir))
    write_gold(reports, out_dir)
    return reports


def write_samples(out_dir: str | Path, seed: int = 0, *,
                  gold_dir: str | Path | None = None) -> list[SyntheticReport]:
    """The bundled sample set: 8 agencies, each a run of consecutive years in 2019-2024, plus two
    pre-2019 reports. Flat files named `<agency>_<year><ext>`; numbers are consistent across an
    agency's years (X1, X2). gold.csv/meta.csv go to gold_dir only when given, so that a raw
    folder holds nothing but reports."""
    rng = random.Random(seed)
    reports = []
    agencies = rng.sample(AGENCIES, 8)
    for n, agency in enumerate(agencies):
        first, last = rng.choice((2019, 2019, 2020, 2021)), rng.choice((2022, 2023, 2024, 2024))
        layout = rng.choice(("pipe", "markdown", "tsv", "csv", "pdf", "cell_per_line",
                             "runtogether", "runtogether"))
        encoding = rng.choice(ENCODINGS)
        prev: Table | None = None
        for year in range(first, last + 1):
            if rng.random() < 0.2:  # a new website, a new layout
                layout = rng.choice(("pipe", "markdown", "runtogether", "pdf"))
            broken = "I2" if n == 0 and year == last else False
            report = build_report(random.Random(rng.getrandbits(64)), f"{agency}_{year}",
                                  agency=agency, year=year, layout=layout, encoding=encoding,
                                  broken=broken, prev=prev, year_in_name=False)
            prev = {k: v or 0 for k, v in report.gold.items()}
            reports.append(report)
    for agency, year in ((agencies[0], 2017), (agencies[1], 2018)):
        reports.append(build_report(random.Random(rng.getrandbits(64)), f"{agency}_{year}",
                                    agency=agency, year=year, version="older",
                                    year_in_name=False))
    _write_files(reports, Path(out_dir))
    if gold_dir is not None:
        write_gold(reports, gold_dir)
    return reports
