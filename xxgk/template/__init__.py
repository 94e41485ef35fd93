"""The national report template, loaded from its per-version data files (v2019.toml, v2021.toml)
and what the versions share (common.toml: the parts of a report, the marks and units of cells).

Everything that knows a row, a label, a code or an identity reads it from here: the parser, the
identity checks, the synthetic-report generator, the warehouse's column comments and the docs.
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

VERSIONS: tuple[str, ...] = ("2019", "2021")

CellKey = tuple[str, str | None]
"""A cell's identity within a report: (code, applicant type or None)."""


@dataclass(frozen=True)
class Part:
    """One numbered part of a report (一、总体情况 … 六、其他需要报告的事项) and its role."""

    ordinal: str
    heading: str
    prose: str | None = None  # a prose part: the key its text is kept under
    table: str | None = None  # a table part: its role (proactive, requests, appeals)
    ends_tables: bool = False  # its heading, after the tables, ends them
    grouped: bool = False  # its table is printed as one table per row parent
    optional_rows: bool = False  # its table may leave a row out


@dataclass(frozen=True)
class CellText:
    """What a cell prints besides a number: no-number marks, empty-cell words, unit words."""

    marks: tuple[str, ...]  # each one cell
    dash_marks: tuple[str, ...]  # a run of these is one cell
    word_marks: tuple[str, ...]  # one character each, also found in words (无法提供)
    empty: tuple[str, ...]  # a converter's word for an empty cell (NaN)
    units: tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    code: str
    section: str
    category: str
    column: str
    applicant_type: str | None
    unit: str  # "" means the unit is whatever the report prints

    @property
    def key(self) -> CellKey:
        return (self.code, self.applicant_type)


@dataclass(frozen=True)
class Row:
    """One printed row: its label (and printings of it) and its cells in print order."""

    section: str
    label: str
    aliases: tuple[str, ...]
    number: str
    require_number: bool
    parent: str
    code: str | None
    cells: tuple[Cell, ...]
    header_label: bool  # the label heads the table, the cells are on a line of their own

    @property
    def labels(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


@dataclass(frozen=True)
class Identity:
    """One instance of a 勾稽关系: sum(left) == sum(right), blank counting as 0."""

    rule: str
    scope: str
    text: str
    left: tuple[CellKey, ...]
    right: tuple[CellKey, ...]

    @property
    def keys(self) -> tuple[CellKey, ...]:
        return self.left + self.right


@dataclass(frozen=True)
class CrossYear:
    """跨年度: this year's `target` = last year's `source` (+ this year's `plus` − `minus`);
    per applicant column where the codes are part 三 rows. A warning when broken, not an error."""

    rule: str
    text: str
    target: str
    source: str
    plus: str | None = None
    minus: str | None = None


@dataclass(frozen=True, eq=False)  # one object per version (load is cached): hash by identity
class Template:
    version: str
    title: str
    first_year: int  # the first report year this version is for
    markers: tuple[str, ...]
    applicants: tuple[str, ...]
    total_applicant: str  # the applicant column that sums the others
    parts: tuple[Part, ...]
    rows: tuple[Row, ...]
    identities: tuple[Identity, ...]
    cross_year: tuple[CrossYear, ...]
    printed: dict[str, str]  # text around the tables that belongs to no row
    signed: tuple[str, ...]  # fnmatch patterns of codes whose value may be negative
    variant: str | None = None  # the name of the variant this template is, None for the base
    variants: tuple[Template, ...] = ()  # the same version with a variant's rows in place

    @property
    def sections(self) -> dict[str, str]:
        """Each part's heading by its ordinal, in print order."""
        return {p.ordinal: p.heading for p in self.parts}

    @property
    def optional_rows(self) -> tuple[str, ...]:
        """The parts whose table may leave a row out."""
        return tuple(p.ordinal for p in self.parts if p.optional_rows)

    @property
    def prose_parts(self) -> dict[str, str]:
        """Each prose part's key by its ordinal, in print order."""
        return {p.ordinal: p.prose for p in self.parts if p.prose}

    @property
    def table_end_parts(self) -> tuple[str, ...]:
        """The parts whose heading, after the tables, ends them."""
        return tuple(p.ordinal for p in self.parts if p.ends_tables)

    @property
    def grouped_parts(self) -> tuple[str, ...]:
        """The parts whose table is printed as one table per row parent."""
        return tuple(p.ordinal for p in self.parts if p.grouped)

    def table_part(self, role: str) -> str:
        """The ordinal of the part whose table has this role (proactive, requests, appeals)."""
        return next(p.ordinal for p in self.parts if p.table == role)

    @property
    def cells(self) -> tuple[Cell, ...]:
        return tuple(c for r in self.rows for c in r.cells)

    @property
    def printable_cells(self) -> tuple[Cell, ...]:
        """Every cell a report of this version may hold: its own, then those only a variant
        prints (s3.other of a 2021 report printing the 2019 其他处理 row)."""
        own = {c.key for c in self.cells}
        extra = {c.key: c for v in self.variants for c in v.cells if c.key not in own}
        return self.cells + tuple(extra.values())

    def is_signed(self, cell: Cell) -> bool:
        return any(fnmatch.fnmatchcase(cell.code, p) for p in self.signed)

    def section_rows(self, section: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.section == section)


def _row(raw: dict, applicants: tuple[str, ...], applicant_unit: str) -> Row:
    section, label, parent = raw["section"], raw["label"], raw.get("parent", "")
    code = raw.get("code")
    if code:  # a part 三 row: one cell per applicant column
        category = f"{parent} / {label}" if parent else label
        cells = tuple(
            Cell(code, section, category, a, a, applicant_unit) for a in applicants
        )
    else:
        cells = tuple(
            Cell(c[0], section, c[3] if len(c) > 3 else label, c[1], None, c[2])
            for c in raw["cells"]
        )
    return Row(
        section=section,
        label=label,
        aliases=tuple(raw.get("aliases", ())),
        number=raw.get("number", ""),
        require_number=raw.get("require_number", False),
        parent=parent,
        code=code,
        cells=cells,
        header_label=raw.get("header_label", False),
    )


def _expand_term(term: str, codes: list[str]) -> list[CellKey]:
    code, _, applicant = term.partition("@")
    matched = fnmatch.filter(codes, code) if "*" in code else [code]
    if not matched or any(c not in codes for c in matched):
        raise ValueError(f"identity term {term!r} names no cell of this template")
    return [(c, applicant or None) for c in matched]


def _identities(raw: dict, rows: tuple[Row, ...], applicants: tuple[str, ...]) -> list[Identity]:
    codes = list(dict.fromkeys(c.code for r in rows for c in r.cells))
    spec = raw["for_each"]
    if spec == "applicant":
        bindings = [("applicant", a) for a in applicants]
    elif isinstance(spec, str) and spec.startswith("row:"):
        bindings = [("row", r.code) for r in rows if r.section == spec[4:] and r.code]
    else:
        bindings = [("group", g) for g in spec]
    def keys(terms: list[str], name: str, value: str) -> tuple[CellKey, ...]:
        return tuple(
            k for t in terms for k in _expand_term(t.replace("{" + name + "}", value), codes)
        )

    return [
        Identity(raw["rule"], value, raw["text"], keys(raw["left"], name, value),
                 keys(raw["right"], name, value))
        for name, value in bindings
    ]


def _with_variant(rows: tuple[Row, ...], variant: dict, applicants: tuple[str, ...],
                  applicant_unit: str) -> tuple[Row, ...]:
    """The rows with those a variant replaces swapped for its own, where the first stood."""
    replaced = [i for i, r in enumerate(rows)
                if r.code and fnmatch.fnmatchcase(r.code, variant["replaces"])]
    if not replaced:
        raise ValueError(f"variant {variant['name']!r} replaces no row")
    own = tuple(_row(r, applicants, applicant_unit) for r in variant["row"])
    kept = tuple(r for i, r in enumerate(rows) if i not in replaced)
    at = replaced[0]
    return kept[:at] + own + kept[at:]


def _template(raw: dict, rows: tuple[Row, ...], variant: str | None = None,
              variants: tuple[Template, ...] = ()) -> Template:
    applicants = tuple(raw["applicants"])
    return Template(
        version=raw["version"],
        title=raw["title"],
        first_year=raw["first_year"],
        markers=tuple(raw["markers"]),
        applicants=applicants,
        total_applicant=raw["total_applicant"],
        parts=parts(),
        rows=rows,
        identities=tuple(i for spec in raw["identity"]
                         for i in _identities(spec, rows, applicants)),
        cross_year=tuple(CrossYear(**c) for c in raw.get("cross_year", ())),
        printed=dict(raw["printed"]),
        signed=tuple(raw["signed"]),
        variant=variant,
        variants=variants,
    )


def _read(name: str) -> dict:
    return tomllib.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@cache
def _common() -> dict:
    return _read("common.toml")


@cache
def parts() -> tuple[Part, ...]:
    """The parts of a report, in print order (common to every version)."""
    return tuple(Part(**p) for p in _common()["part"])


@cache
def cell_text() -> CellText:
    """What a cell prints besides a number (common to every version)."""
    return CellText(**{k: tuple(v) for k, v in _common()["cell_text"].items()})


@cache
def load(version: str) -> Template:
    """The template of one version, read from its data file (cached), with its variants."""
    if version not in VERSIONS:
        raise KeyError(f"unknown template version {version!r}; known: {', '.join(VERSIONS)}")
    raw = _read(f"v{version}.toml")
    applicants, unit = tuple(raw["applicants"]), raw["applicant_unit"]
    rows = tuple(_row(r, applicants, unit) for r in raw["row"])
    variants = tuple(_template(raw, _with_variant(rows, v, applicants, unit), v["name"])
                     for v in raw.get("variant", ()))
    return _template(raw, rows, None, variants)


def all_templates() -> tuple[Template, ...]:
    return tuple(load(v) for v in VERSIONS)


def first_template_year() -> int:
    """The first report year a national template is for: older reports follow none."""
    return min(t.first_year for t in all_templates())
