"""STUB (being written): parse one report file into a ParsedReport. Never raises."""

from __future__ import annotations

import hashlib
from pathlib import Path

from xxgk import PARSER_VERSION
from xxgk.model import ParsedReport, Source


def parse_bytes(data: bytes, path: str) -> ParsedReport:
    src = Source(path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    return ParsedReport(file=path, source=src, status="error", error="parser not written yet",
                        parser_version=PARSER_VERSION)


def parse_file(path: str) -> ParsedReport:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        src = Source(path=path, sha256="", size=0)
        return ParsedReport(file=path, source=src, status="error", error=f"cannot read: {e}",
                            parser_version=PARSER_VERSION)
    return parse_bytes(data, path)
