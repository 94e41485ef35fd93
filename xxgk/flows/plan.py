"""Decide, from a scan and what the warehouse knows, which files a run must read.

Cheap first: a known file whose size and mtime are unchanged (and was read by this parser
version) is not opened at all. Only the rest are read and hashed; of those, only the ones
whose hash differs are parsed (xxgk.transform.batch).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

from xxgk import PARSER_VERSION
from xxgk.extract.discover import FoundFile
from xxgk.load.warehouse import Known
from xxgk.transform.tidy import stat_frame


@dataclass(slots=True)
class Plan:
    found: int = 0
    new: list[FoundFile] = field(default_factory=list)
    check: list[FoundFile] = field(default_factory=list)
    """Known files to hash: stat changed, seen missing before, or read by another parser."""
    unchanged: list[FoundFile] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    known_sha: dict[str, str | None] = field(default_factory=dict)
    """For files in `check`: the hash that means "unchanged" (None: parse whatever the hash)."""

    @property
    def to_read(self) -> list[FoundFile]:
        return sorted(self.new + self.check, key=lambda f: f.path)

    @property
    def changes_nothing(self) -> bool:
        """Nothing to read and nothing gone: the warehouse would stay as it is."""
        return not (self.new or self.check or self.missing)

    def unchanged_frame(self) -> pd.DataFrame:
        """The unchanged files as the warehouse records a sighting: path, size, mtime_ns."""
        return stat_frame(self.unchanged)


def plan(found: Sequence[FoundFile], known: Mapping[str, Known]) -> Plan:
    p = Plan(found=len(found))
    present = set()
    for f in found:
        present.add(f.path)
        k = known.get(f.path)
        if k is None:
            p.new.append(f)
            continue
        current = k.parser_version == PARSER_VERSION and k.sha256 is not None
        if current and not k.missing and (k.size, k.mtime_ns) == (f.size, f.mtime_ns):
            p.unchanged.append(f)
        else:
            p.check.append(f)
            p.known_sha[f.path] = k.sha256 if current else None
    p.missing = sorted(path for path, k in known.items() if not k.missing and path not in present)
    return p
