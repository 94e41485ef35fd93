"""What the stages hand each other: a source file's identity and a parsed report.

`ParsedReport.to_dict()` is the `xxgk parse --format json` contract (one object per file):
fields may be added, never renamed or removed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from xxgk.vocabulary import DESCRIPTIVE_FLAGS

if TYPE_CHECKING:  # pandas only where frames are built: `xxgk parse` starts without it
    import pandas as pd

Status = Literal["ok", "checks_failed", "incomplete", "unsupported", "error"]
Number = int | float


@dataclass(frozen=True)
class Source:
    """A raw file as read: where it is, what its bytes hash to, how its text was decoded."""

    path: str
    sha256: str
    size: int
    encoding: str | None = None
    encoding_method: str | None = None  # "bom", "strict utf-8", "strict gb18030", "chardet 0.87"
    replaced: tuple[int, ...] = ()  # byte offsets that did not decode, each now U+FFFD


@dataclass
class Fact:
    """One template cell of one report. value is None when the text does not determine it."""

    section: str
    code: str
    category: str
    column: str
    applicant_type: str | None
    value: Number | None
    unit: str | None
    raw: str | None
    flag: str | None = None
    # Where the cell was read: [start, end) character offsets in the decoded text of the file
    # (after decoding, before any normalisation); None where no printed text holds the cell.
    span: tuple[int, int] | None = None

    @property
    def uncertain(self) -> bool:
        """The text did not determine this cell (no value), or its value rests on inference."""
        return self.flag is not None and not self.flag.startswith(DESCRIPTIVE_FLAGS)


@dataclass
class Check:
    """One identity instance evaluated on a report: passed is None when cells are undetermined."""

    rule: str
    scope: str
    passed: bool | None
    expected: Number | None
    found: Number | None
    detail: str


@dataclass
class ParsedReport:
    file: str
    source: Source
    status: Status
    error: str | None = None
    agency: str | None = None
    agency_source: str | None = None
    year: int | None = None
    year_source: str | None = None
    template: str | None = None
    facts: list[Fact] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    prose: dict[str, str] = field(default_factory=dict)
    parser_version: str = ""

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "agency": self.agency,
            "year": self.year,
            "template": self.template,
            "status": self.status,
            "error": self.error,
            "agency_source": self.agency_source,
            "year_source": self.year_source,
            "sha256": self.source.sha256,
            "size": self.source.size,
            "encoding": self.source.encoding,
            "encoding_method": self.source.encoding_method,
            "decode_replacements": ({"count": len(self.source.replaced),
                                     "positions": list(self.source.replaced)}
                                    if self.source.replaced else None),
            "parser_version": self.parser_version,
            "facts": [dict(vars(f)) for f in self.facts],  # asdict() deep-copies: 10x slower
            "checks": [dict(vars(c)) for c in self.checks],
            "prose": self.prose,
        }


@dataclass(slots=True)
class TidyBatch:
    """A batch of parsed files as the warehouse's long tables (transform -> load).

    Column names are the warehouse's (xxgk/sql/schema.sql); `files` has one row per parsed
    file; `reports` one per (agency, year) the batch claims, its best claimant by the conflict
    rule (the others lose whatever the warehouse holds); `facts` one per template cell of each
    of those reports (completed against the template), `checks` one per identity instance.
    `unchanged`: (path, size, mtime_ns) of files whose bytes the warehouse already has.
    """

    files: pd.DataFrame
    reports: pd.DataFrame
    facts: pd.DataFrame
    checks: pd.DataFrame
    unchanged: pd.DataFrame
