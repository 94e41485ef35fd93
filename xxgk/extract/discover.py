"""Find report files under a raw folder, and tell cheaply which ones may have changed.

A nightly run sees tens of thousands of files of which a handful changed, so the scan only
stats files (size and mtime); bytes are read and hashed only for files whose size or mtime
differ from what the warehouse recorded, and parsed only when the hash differs too.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import stat
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPORT_SUFFIXES = frozenset({".txt", ".md", ".csv", ".tsv", ".html", ".htm"})
"""Suffixes taken as report text; files with no suffix are taken when they look like text."""

MAX_REPORT_BYTES = 8 * 1024 * 1024
"""Bigger files are no report and are never opened. The largest real report seen is 17 KB
(a crawler's page with its header; a 6-page PDF's text is 11 KB), and a web page with its
markup stays well under 1 MB, so 8 MiB is hundreds of reports: a dump, an archive, a log or a
disk image saved under a report's name. A file is read whole and decoded in a parser process
(about ten bytes of memory per byte: an 8 MiB file parses in under a second in about 90 MB),
so the limit also bounds what one bad file can cost a night: a 200 MB file read whole took
the run to 1.6 GB and 20 s; refused by its size, it is never opened."""

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
    problem: str | None = None
    """Why this entry cannot be read as a file (a dangling or looping symbolic link, a FIFO, a
    folder that cannot be listed): it is recorded as an error, never opened, never dropped."""


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


def too_large(size: int) -> str | None:
    """Why a file of `size` bytes is not read as a report, or None."""
    if size <= MAX_REPORT_BYTES:
        return None
    return (f"too large for a report: {size / 2**20:,.0f} MiB, over the {MAX_REPORT_BYTES >> 20} "
            "MiB limit (reports are a few KB); not opened")


def _special(mode: int) -> str:
    kinds = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
    return next((what for test, what in kinds if test(mode)), "not a regular file")


def _report_named(path: Path) -> bool:
    """A name a report may have, judged without opening the entry (it may be a FIFO)."""
    return not path.name.startswith(".") and path.suffix.lower() in REPORT_SUFFIXES | {""}


def _unstatable(full: Path, e: OSError) -> str:
    if e.errno == errno.ELOOP:
        return f"symbolic link loop ({os.readlink(full)!r})"
    if full.is_symlink():
        return f"dangling symbolic link (to {os.readlink(full)!r})"
    return f"cannot read: {e.strerror}"


def _entry(root: Path, full: Path) -> FoundFile | None:
    """A report file, a report-named entry that cannot be read as one (with the reason), or
    None for what is no report (hidden, another suffix, binary)."""
    rel = full.relative_to(root).as_posix()
    link = full.lstat()
    try:
        st = full.stat()
    except OSError as e:
        return FoundFile(rel, link.st_size, link.st_mtime_ns, _unstatable(full, e)) \
            if _report_named(full) else None
    if stat.S_ISDIR(st.st_mode):
        return FoundFile(rel, link.st_size, link.st_mtime_ns, _linked_folder(full))
    if not stat.S_ISREG(st.st_mode):
        return FoundFile(rel, 0, st.st_mtime_ns, f"{_special(st.st_mode)}, not a regular file") \
            if _report_named(full) else None
    if not is_report_name(full):
        return None
    return FoundFile(rel, st.st_size, st.st_mtime_ns, too_large(st.st_size))


def _linked_folder(link: Path) -> str:
    """Why a symbolic link to a folder is not followed (a loop, or files seen twice)."""
    target, above = link.resolve(), link.parent.resolve()
    if target == above or target in above.parents:
        return f"symbolic link loop: points back to the folder above it ({os.readlink(link)!r})"
    return (f"symbolic link to a folder ({os.readlink(link)!r}), not followed: "
            "put the reports in the raw folder or link the files themselves")


def scan(raw: str | os.PathLike[str]) -> list[FoundFile]:
    """Every report file under `raw` (recursive, hidden folders skipped), sorted by path;
    report-named entries that cannot be read (dangling or looping links, FIFOs, folders that
    cannot be listed, links to folders) come with their `problem`.

    Sorted so that batches, logs and progress are the same from run to run.
    """
    root = Path(raw)
    if not root.is_dir():
        raise FileNotFoundError(f"raw folder {str(root)!r} does not exist or is not a folder")
    found: list[FoundFile] = []

    def unlisted(e: OSError) -> None:
        folder = Path(e.filename)
        found.append(FoundFile(folder.relative_to(root).as_posix() + "/", 0, 0,
                               f"cannot list folder: {e.strerror}"))

    for dirpath, dirnames, filenames in os.walk(root, onerror=unlisted):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        links = [d for d in dirnames if Path(dirpath, d).is_symlink()]
        for name in [*filenames, *links]:
            if (entry := _entry(root, Path(dirpath, name))) is not None:
                found.append(entry)
    found.sort(key=lambda f: f.path)
    return found


def not_read(raw: str | os.PathLike[str]) -> Counter[str]:
    """Files under `raw` that are no report by their name (another suffix, or none and binary
    content), by suffix: never read, but counted in the run's summary, so that PDFs or a zip
    of reports dropped into the folder are not missed."""
    counts: Counter[str] = Counter()
    for dirpath, dirnames, filenames in os.walk(raw):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or Path(name).suffix.lower() in REPORT_SUFFIXES:
                continue  # a report's name: scan took it, opening nothing here
            path = Path(dirpath, name)
            if path.is_file() and not is_report_name(path):
                counts[path.suffix.lower() or "binary, no suffix"] += 1
    return counts


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
