"""Find report files under a raw folder, and tell cheaply which ones may have changed.

A nightly run sees tens of thousands of files of which a handful changed, so the scan only
stats files (size and mtime); bytes are read and hashed only for files whose size or mtime
differ from what the warehouse recorded, and parsed only when the hash differs too.
"""

from __future__ import annotations

import codecs
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

REPORT_SUFFIXES = frozenset({".txt", ".md", ".csv", ".tsv", ".html", ".htm"})
"""Suffixes taken as report text; files with no suffix are taken when they look like text."""

_SNIFF_BYTES = 8192
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE,
         codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


@dataclass(frozen=True, slots=True)
class FoundFile:
    """A file under the raw folder: `path` is relative to it, with forward slashes.

    Relative paths keep the warehouse independent of where the raw folder is mounted, so a
    rebuild from a copy of the folder gives the same rows.
    """

    path: str
    size: int
    mtime_ns: int


def looks_like_text(path: Path) -> bool:
    """An extension-less file is a report candidate unless its head has NUL bytes.

    UTF-16/32 text has NULs too, so a byte-order mark marks text first.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_BYTES)
    except OSError:
        return True  # unreadable: let the parser record why, never drop it silently
    if head.startswith(_BOMS):
        return True
    return b"\x00" not in head


def is_report_name(path: Path) -> bool:
    if path.name.startswith("."):
        return False
    suffix = path.suffix.lower()
    if suffix in REPORT_SUFFIXES:
        return True
    return suffix == "" and looks_like_text(path)


def scan(raw: str | os.PathLike[str]) -> list[FoundFile]:
    """Every report file under `raw` (recursive, hidden folders skipped), sorted by path.

    Sorted so that batches, logs and progress are the same from run to run.
    """
    root = Path(raw)
    if not root.is_dir():
        raise FileNotFoundError(f"raw folder {str(root)!r} does not exist or is not a folder")
    found: list[FoundFile] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            full = Path(dirpath, name)
            if not full.is_file() or not is_report_name(full):
                continue
            st = full.stat()
            rel = full.relative_to(root).as_posix()
            found.append(FoundFile(rel, st.st_size, st.st_mtime_ns))
    found.sort(key=lambda f: f.path)
    return found


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
