"""The national report template, loaded from its per-version data files (v2019.toml, v2021.toml)
and what the versions share (common.toml: the parts of a report, the marks and units of cells).

Everything that knows a row, a label, a code or an identity reads it from here: the parser, the
identity checks, the synthetic-report generator, the warehouse's column comments and the docs.
The files are validated on loading (`spec`: each entry's shape; here: what entries name); an
error names the file and the entry (`v2021.toml identity 'I2' …`).
"""

from __future__ import annotations

import fnmatch
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from xxgk.template.spec import (
    CellTextSpec,
    CommonSpec,
    CrossYearSpec,
    IdentitySpec,
    PartSpec,
    RowSpec,
    TemplateError,
    VariantSpec,
    VersionSpec,
    validated,
)

VERSIONS: tuple[str, ...] = ("2019", "2021")

CellKey = tuple[str, str | None]
"""A cell's identity within a report: (code, applicant type or None)."""


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


@dataclass(frozen=True, eq=False)  # one object per version (load is cached): hash by identity
class Template:
    version: str
    title: str
    first_year: int  # the first report year this version is for
    markers: tuple[str, ...]
    applicants: tuple[str, ...]
    total_applicant: str  # the applicant column that sums the others
    parts: tuple[PartSpec, ...]  # the parts of a report (common.toml), in print order
    rows: tuple[Row, ...]
    identities: tuple[Identity, ...]
    cross_year: tuple[CrossYearSpec, ...]  # 跨年度 rules, as the file states them
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

    def is_signed(self, code: str) -> bool:
        """Whether the cell of this code may hold a negative number (`signed`)."""
        return any(fnmatch.fnmatchcase(code, p) for p in self.signed)

    def section_rows(self, section: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.section == section)


def _row(spec: RowSpec, applicants: tuple[str, ...], applicant_unit: str) -> Row:
    section, label, parent, code = spec.section, spec.label, spec.parent, spec.code
    if code:  # a part 三 row: one cell per applicant column
        category = f"{parent} / {label}" if parent else label
        cells = tuple(
            Cell(code, section, category, a, a, applicant_unit) for a in applicants
        )
    else:
        cells = tuple(
            Cell(c[0], section, c[3] if len(c) > 3 else label, c[1], None, c[2])
            for c in spec.cells
        )
    return Row(section=section, label=label, aliases=spec.aliases, number=spec.number,
               require_number=spec.require_number, parent=parent, code=code, cells=cells,
               header_label=spec.header_label)


def _rows(specs: tuple[RowSpec, ...], raw: VersionSpec, file: str,
          tables: tuple[str, ...]) -> tuple[Row, ...]:
    """The rows of a version (or a variant's own rows): each in a table part, no cell twice."""
    seen: set[CellKey] = set()
    rows = []
    for spec in specs:
        if spec.section not in tables:
            raise TemplateError(f"{file} {spec.name}: section {spec.section!r} is not a table "
                                f"part of common.toml ({', '.join(tables)})")
        row = _row(spec, raw.applicants, raw.applicant_unit)
        if twice := [c.key for c in row.cells if c.key in seen]:
            raise TemplateError(f"{file} {spec.name}: cell {twice[0]} is also in an earlier row")
        seen.update(c.key for c in row.cells)
        rows.append(row)
    return tuple(rows)


def _expand_term(term: str, codes: list[str], keys: set[CellKey]) -> list[CellKey]:
    """The cells a term names: "code@applicant", "code" (no applicant column); "*" expands
    over the template's codes. Raises ValueError when it names no cell."""
    code, _, applicant = term.partition("@")
    matched = fnmatch.filter(codes, code) if "*" in code else [code]
    found = [(c, applicant or None) for c in matched]
    if not found or any(k not in keys for k in found):
        raise ValueError(f"identity term {term!r} does not resolve to a cell of this template")
    return found


def _bindings(spec: IdentitySpec, rows: tuple[Row, ...],
              applicants: tuple[str, ...]) -> list[tuple[str, str]]:
    """(placeholder, value) per instance of an identity: per applicant, per row of a part,
    or per listed group."""
    if spec.for_each == "applicant":
        return [("applicant", a) for a in applicants]
    if isinstance(spec.for_each, str):  # "row:三"
        return [("row", r.code) for r in rows if r.section == spec.for_each[4:] and r.code]
    return [("group", g) for g in spec.for_each]


def _identities(spec: IdentitySpec, rows: tuple[Row, ...], applicants: tuple[str, ...],
                file: str) -> list[Identity]:
    codes = list(dict.fromkeys(c.code for r in rows for c in r.cells))
    cells = {c.key for r in rows for c in r.cells}

    def keys(terms: tuple[str, ...], name: str, value: str) -> tuple[CellKey, ...]:
        return tuple(k for t in terms
                     for k in _expand_term(t.replace("{" + name + "}", value), codes, cells))

    bindings = _bindings(spec, rows, applicants)
    if not bindings:
        raise TemplateError(f"{file} {spec.name}: for_each {spec.for_each!r} binds nothing")
    try:
        return [Identity(spec.rule, value, spec.text, keys(spec.left, name, value),
                         keys(spec.right, name, value)) for name, value in bindings]
    except ValueError as e:
        raise TemplateError(f"{file} {spec.name}: {e}") from None


def _with_variant(rows: tuple[Row, ...], variant: VariantSpec, raw: VersionSpec, file: str,
                  tables: tuple[str, ...]) -> tuple[Row, ...]:
    """The rows with those a variant replaces swapped for its own, where the first stood."""
    replaced = [i for i, r in enumerate(rows)
                if r.code and fnmatch.fnmatchcase(r.code, variant.replaces)]
    if not replaced:
        raise TemplateError(f"{file} variant {variant.name!r}: replaces no row "
                            f"({variant.replaces!r})")
    own = _rows(variant.row, raw, file, tables)
    kept = tuple(r for i, r in enumerate(rows) if i not in replaced)
    kept_keys = {c.key for r in kept for c in r.cells}
    if clash := [c.key for r in own for c in r.cells if c.key in kept_keys]:
        raise TemplateError(f"{file} variant {variant.name!r}: cell {clash[0]} is also in a "
                            "row it keeps")
    at = replaced[0]
    return kept[:at] + own + kept[at:]


def _check_names(raw: VersionSpec, rows: tuple[Row, ...], file: str) -> None:
    """What the version's fields name exists: the total applicant, a cell for each `signed`
    pattern, the cross-year rules' codes."""
    if raw.total_applicant not in raw.applicants:
        raise TemplateError(f"{file} total_applicant: {raw.total_applicant!r} is not one of "
                            f"the applicants")
    codes = {c.code for r in rows for c in r.cells}
    for pattern in raw.signed:
        if not fnmatch.filter(codes, pattern):
            raise TemplateError(f"{file} signed: pattern {pattern!r} matches no cell")
    for rule in raw.cross_year:
        unknown = [c for c in (rule.target, rule.source, rule.plus, rule.minus)
                   if c is not None and c not in codes]
        if unknown:
            raise TemplateError(f"{file} {rule.name}: code {unknown[0]!r} names no cell")


def _template(raw: VersionSpec, rows: tuple[Row, ...], file: str, variant: str | None = None,
              variants: tuple[Template, ...] = ()) -> Template:
    return Template(
        version=raw.version,
        title=raw.title,
        first_year=raw.first_year,
        markers=raw.markers,
        applicants=raw.applicants,
        total_applicant=raw.total_applicant,
        parts=parts(),
        rows=rows,
        identities=tuple(i for spec in raw.identity
                         for i in _identities(spec, rows, raw.applicants, file)),
        cross_year=raw.cross_year,
        printed=dict(raw.printed),
        signed=raw.signed,
        variant=variant,
        variants=variants,
    )


def _read(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@cache
def _common() -> CommonSpec:
    return validated(CommonSpec, _read("common.toml"), "common.toml")


def parts() -> tuple[PartSpec, ...]:
    """The parts of a report, in print order (common to every version)."""
    return _common().part


def cell_text() -> CellTextSpec:
    """What a cell prints besides a number (common to every version)."""
    return _common().cell_text


def parse_version(raw: dict[str, Any], file: str) -> Template:
    """A version's template from its parsed data file (with its variants); a TemplateError
    naming the file and the entry where the data cannot be a template."""
    spec = validated(VersionSpec, raw, file)
    tables = tuple(p.ordinal for p in parts() if p.table)
    rows = _rows(spec.row, spec, file, tables)
    _check_names(spec, rows, file)
    variants = tuple(_template(spec, _with_variant(rows, v, spec, file, tables), file, v.name)
                     for v in spec.variant)
    return _template(spec, rows, file, None, variants)


@cache
def load(version: str) -> Template:
    """The template of one version, read from its data file (cached), with its variants."""
    if version not in VERSIONS:
        raise KeyError(f"unknown template version {version!r}; known: {', '.join(VERSIONS)}")
    file = f"v{version}.toml"
    return parse_version(_read(file), file)


def all_templates() -> tuple[Template, ...]:
    return tuple(load(v) for v in VERSIONS)


def first_template_year() -> int:
    """The first report year a national template is for: older reports follow none."""
    return min(t.first_year for t in all_templates())
