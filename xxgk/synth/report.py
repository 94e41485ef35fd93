"""One synthetic report: numbers, printing choices, skeleton, layout and bytes, with its gold."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from xxgk.synth import text as txt
from xxgk.synth.layouts import (
    BLANK_CELLS_OK,
    EMPTY_MARKS,
    LAYOUTS,
    RUN_TOGETHER_MARKS,
    Context,
)
from xxgk.synth.tables import build_blocks, print_cells, random_style
from xxgk.synth.values import Table, Value, break_sheet, random_sheet
from xxgk.template import CellKey, all_templates

_EXTENSIONS = {"markdown": (".md", ".md", ".txt"), "csv": (".csv", ".csv", ".txt"),
               "tsv": (".tsv", ".tsv", ".txt")}
_DEFAULT_EXTENSIONS = (".txt", ".txt", ".txt", "")
_PRESENTATIONS = {"pdf": ("title",), "runtogether": ("meta", "meta", "title", "sentence")}
_DEFAULT_PRESENTATIONS = ("meta", "title", "title", "sentence")


@dataclass
class SyntheticReport:
    """A generated file and what a correct parser reads from it.

    gold maps every template cell (code, applicant type) to its printed number, or None where the
    cell prints no number (/ - — 无 or blank). ambiguous: cells whose text allows more than one
    value (run-together digits). units: cells printing a unit other than the template's.
    kind: "report", "older" (pre-2019, no common template) or a not-a-report kind ("empty",
    "binary", "unrelated", "no_tables").
    """

    name: str
    data: bytes
    text: str
    version: str | None
    layout: str
    encoding: str
    agency: str | None
    year: int | None
    broken: bool
    gold: dict[CellKey, Value | None]
    ambiguous: set[CellKey] = field(default_factory=set)
    units: dict[CellKey, str] = field(default_factory=dict)
    broken_rule: str | None = None
    kind: str = "report"

    @property
    def template(self) -> str:
        """meta.csv's template column: "2019", "2021", "older", or "" for a non-report."""
        return self.version or ""

    @property
    def expected_status(self) -> str:
        """The parse status the generator intends (the parser's contract has the last word)."""
        if self.kind == "report":
            return "checks_failed" if self.broken else "ok"
        return "unsupported" if self.kind == "older" else "error"


def version_for(year: int) -> str:
    """The template a report of that year uses (the 2019 one for 2019 and 2020): the latest
    version whose first year it is past, "older" before the first."""
    begun = [t.version for t in all_templates() if t.first_year <= year]
    return begun[-1] if begun else "older"


def pick_year_version(rng: random.Random, year: int | None, version: str | None
                      ) -> tuple[int, str]:
    if year is None:
        if version == "older":
            year = rng.randint(2009, 2018)
        elif version == "2019":
            year = rng.choice((2019, 2020, 2020, 2019, 2021))  # some agencies kept the old form
        elif version == "2021":
            year = rng.randint(2021, 2025)
        else:
            year = rng.choice((2019, 2020, 2021, 2022, 2023, 2024, 2025))
    return year, version or version_for(year)


def file_name(rng: random.Random, stem: str, year: int | None, layout: str,
              with_year: bool | None = None) -> str:
    """stem, sometimes _year, and an extension that fits the layout (or none)."""
    ext = rng.choice(_EXTENSIONS.get(layout, _DEFAULT_EXTENSIONS))
    if with_year is None:
        with_year = year is not None and rng.random() < 0.4
    return f"{stem}_{year}{ext}" if with_year else f"{stem}{ext}"


def generate_report(seed: int, *, version: str | None = None, layout: str | None = None,
                    encoding: str | None = None, agency: str | None = None,
                    year: int | None = None, broken: bool = False) -> SyntheticReport:
    """A random report from `seed` (same seed and arguments, same bytes).

    version "older" gives a pre-2019 report (see `others.generate_older`).
    """
    return build_report(random.Random(seed), f"r{seed}", version=version, layout=layout,
                        encoding=encoding, agency=agency, year=year, broken=broken)


def build_report(rng: random.Random, stem: str, *, version: str | None = None,
                 layout: str | None = None, encoding: str | None = None,
                 agency: str | None = None, year: int | None = None,
                 broken: bool | str = False, prev: Table | None = None,
                 year_in_name: bool | None = None) -> SyntheticReport:
    """generate_report's body; `broken` may name the rule to break, `prev` is last year's gold
    of the same agency (for the cross-year rules).

    Separate random streams for identity, numbers and printing: the same seed gives the same
    numbers whatever layout or encoding is asked for.
    """
    meta, numbers, printing = (random.Random(rng.getrandbits(64)) for _ in range(3))
    year, version = pick_year_version(meta, year, version)
    agency = agency or meta.choice(txt.AGENCIES)
    layout = layout or meta.choice(tuple(LAYOUTS))
    encoding = encoding or txt.random_encoding(meta)
    if version == "older":
        from xxgk.synth.others import generate_older

        return generate_older(printing, stem, agency=agency, year=year, layout=layout,
                              encoding=encoding, year_in_name=year_in_name)
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; known: {', '.join(LAYOUTS)}")
    sheet = random_sheet(numbers, version, prev)
    if broken:
        break_sheet(numbers, sheet, broken if isinstance(broken, str) else None)
    rng = printing
    marks = RUN_TOGETHER_MARKS if layout == "runtogether" else EMPTY_MARKS
    style = random_style(rng, (*marks, "", "") if layout in BLANK_CELLS_OK else marks)
    printed, gold, units = print_cells(rng, sheet, style)
    blocks = build_blocks(rng, version, printed, style)
    presentation = rng.choice(_PRESENTATIONS.get(layout, _DEFAULT_PRESENTATIONS))
    parts = txt.skeleton(rng, agency=agency, year=year, version=version, blocks=blocks,
                         gold=gold, presentation=presentation)
    rendered = LAYOUTS[layout](parts, rng, Context(version, gold))
    text, data = txt.to_bytes(rendered.lines, encoding, crlf=rng.random() < 0.25)
    return SyntheticReport(
        name=file_name(rng, stem, year, layout, year_in_name), data=data, text=text,
        version=version, layout=layout, encoding=encoding, agency=agency, year=year,
        broken=bool(broken), gold=gold, ambiguous=rendered.ambiguous, units=units,
        broken_rule=sheet.broken_rule,
    )
