"""The template's data files as typed, validated models: what each TOML table may hold.

The shape of every entry is checked here (pydantic: required keys, types, no unknown keys); what
depends on other entries (codes unique, identity terms naming cells, parts known) is checked
where the template is built (xxgk.template). Every error names the file and the entry it is in
(`v2021.toml row '(三)不予公开…'`), never only a position.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator


class TemplateError(ValueError):
    """A template data file that cannot be the template: names the file and the entry."""


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Text = Annotated[str, Field(min_length=1)]
S = TypeVar("S", bound=_Spec)

# ---- common.toml --------------------------------------------------------------------------------


TableRole = Literal["proactive", "requests", "appeals"]


class PartSpec(_Spec):
    """One [[part]] of common.toml: a numbered part of a report (一、总体情况 … 六、其他需要报告的
    事项) and its role."""

    ordinal: Text
    heading: Text
    prose: Text | None = None  # a prose part: the key its text is kept under
    table: TableRole | None = None  # a table part: how the parser finds its table
    ends_tables: bool = False  # its heading, after the tables, ends them
    grouped: bool = False  # its table is printed as one table per row parent
    optional_rows: bool = False  # its table may leave a row out


class CellTextSpec(_Spec):
    """common.toml's [cell_text]: what a cell prints besides a number."""

    marks: tuple[Text, ...]  # each one cell
    dash_marks: tuple[Text, ...]  # a run of these is one cell
    # one character each, also found in words (无法提供)
    word_marks: tuple[Annotated[str, Field(min_length=1, max_length=1)], ...]
    empty: tuple[Text, ...]  # a converter's word for an empty cell (NaN)
    units: tuple[Text, ...]  # unit words printed after an amount
    # one character each: after a number, a quantity of prose (2025年, 61条), never a cell
    prose_units: tuple[Annotated[str, Field(min_length=1, max_length=1)], ...]


class CommonSpec(_Spec):
    part: tuple[PartSpec, ...]
    cell_text: CellTextSpec

    @field_validator("part")
    @classmethod
    def _one_part_per_ordinal_and_role(cls, parts: tuple[PartSpec, ...]) -> tuple[PartSpec, ...]:
        for what in ("ordinal", "table"):
            seen = [getattr(p, what) for p in parts if getattr(p, what)]
            if twice := sorted({s for s in seen if seen.count(s) > 1}):
                raise ValueError(f"more than one part with {what} {', '.join(twice)}")
        if missing := [r for r in get_args(TableRole) if r not in {p.table for p in parts}]:
            raise ValueError(f"no part with table {', '.join(missing)}")
        return parts


# ---- v2019.toml, v2021.toml ---------------------------------------------------------------------

CellSpec = (tuple[Text, Text, str] | tuple[Text, Text, str, Text])
"""[code, column header, unit] or [code, column header, unit, category]; unit "" = as printed."""


class RowSpec(_Spec):
    """One [[row]]: a printed table row. A part 三 row has a `code` (one cell per applicant
    column); any other row lists its `cells`."""

    section: Text
    label: Text
    aliases: tuple[Text, ...] = ()
    number: str = ""
    require_number: bool = False
    parent: str = ""
    code: Text | None = None
    cells: tuple[CellSpec, ...] = ()
    header_label: bool = False

    @model_validator(mode="after")
    def _code_or_cells(self) -> RowSpec:
        if (self.code is None) == (not self.cells):
            raise ValueError("a row has either a code (part 三) or cells, not both or neither")
        return self

    @property
    def name(self) -> str:
        return f"row {self.number + self.label!r}"


class IdentitySpec(_Spec):
    """One [[identity]]: sum(left) = sum(right), repeated per `for_each` binding."""

    rule: Text
    text: Text
    for_each: Literal["applicant"] | Annotated[str, Field(pattern=r"^row:.+")] | tuple[Text, ...]
    left: tuple[Text, ...] = Field(min_length=1)
    right: tuple[Text, ...] = Field(min_length=1)

    @property
    def name(self) -> str:
        return f"identity {self.rule!r} ({self.text})"


class CrossYearSpec(_Spec):
    """One [[cross_year]], 跨年度: this year's `target` = last year's `source` (+ this year's
    `plus` − `minus`); per applicant column where the codes are part 三 rows. A warning when
    broken, not an error."""

    rule: Text
    text: Text
    target: Text
    source: Text
    plus: Text | None = None
    minus: Text | None = None

    @property
    def name(self) -> str:
        return f"cross_year {self.rule!r} ({self.target})"


class VariantSpec(_Spec):
    name: Text
    replaces: Text
    row: tuple[RowSpec, ...] = Field(min_length=1)


class VersionSpec(_Spec):
    """A version's file: its rows, identities and what surrounds them."""

    version: Text
    first_year: int = Field(ge=1990, le=2100)
    title: Text
    markers: tuple[Text, ...] = Field(min_length=1)
    applicants: tuple[Text, ...] = Field(min_length=2)
    applicant_unit: Text
    total_applicant: Text
    signed: tuple[Text, ...] = ()
    printed: dict[str, str]
    row: tuple[RowSpec, ...] = Field(min_length=1)
    identity: tuple[IdentitySpec, ...] = ()
    cross_year: tuple[CrossYearSpec, ...] = ()
    variant: tuple[VariantSpec, ...] = ()


def _entry(raw: dict[str, Any], table: str, index: int) -> str:
    """An entry of an array of tables ([[row]], [[identity]]…), by its name where it has one."""
    entry = raw[table][index]
    if isinstance(entry, dict):
        if table == "row":
            return f"row {str(entry.get('number', '')) + str(entry.get('label', '?'))!r}"
        key = next((k for k in ("rule", "name", "ordinal") if k in entry), None)
        if key:
            return f"{table} {entry[key]!r}"
    return f"{table} #{index + 1}"


def _problem(raw: dict[str, Any], file: str, loc: tuple[int | str, ...], msg: str) -> str:
    """One validation error as a line: the file, the entry it is in, the field, the message."""
    where = ""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(raw.get(str(loc[0])), list):
        where, loc = " " + _entry(raw, str(loc[0]), loc[1]), loc[2:]
    field = ".".join(str(p) for p in loc if not isinstance(p, int))
    return f"{file}{where}: {field + ': ' if field else ''}{msg}"


def validated(model: type[S], raw: dict[str, Any], file: str) -> S:
    """`raw` (a parsed TOML file) as `model`; a TemplateError naming each bad entry if not."""
    try:
        return model.model_validate(raw)
    except ValidationError as e:
        problems = dict.fromkeys(_problem(raw, file, err["loc"], err["msg"]) for err in e.errors())
        raise TemplateError("\n".join(problems)) from None
