"""Bytes to text: BOMs and cheap strict decodes first, chardet only when those fail.

A UTF-8 or GB18030 file with a few bad bytes (a transfer glitch, a cut character) is decoded with
U+FFFD in their place and says where they were, rather than handed to chardet, whose guess on
such bytes is noise (cp737 for a Chinese report) and loses the whole report.

chardet costs ~8 ms on a 6 KB GBK file, forty times a parse, so it is the last resort: almost
every report is UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK, and a strict decode
settles those in microseconds.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import chardet


class NotText(ValueError):
    """The bytes are not text a report could be written in (empty, binary, undecodable)."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    method: str
    replaced: tuple[int, ...] = ()
    """Byte offsets of the bytes that did not decode (each span became one U+FFFD)."""


MAX_REPLACED_SHARE = 0.01
"""At most this share of a file's bytes may be replaced (7 bad bytes in a 4.8 kB report are
0.15 %); more, and the encoding is likely another one: chardet decides."""
MIN_REPLACED = 8
"""A short file may still have a handful of bad bytes replaced."""


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_IDEOGRAPH = re.compile(r"[\u4e00-\u9fff]")
_GB2312_COMMON = re.compile(rb"[\xb0-\xd7][\xa1-\xfe]")  # GB2312 level 1: the 3,755 common hanzi
_COMMON_SHARE = 0.7
# C0 controls other than tab, line feed, form feed and carriage return: text never has many.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MIN_CHARDET_CONFIDENCE = 0.25  # chardet 7 rates even clean Big5 prose 0.3–0.45


_FILE_KINDS = (
    (b"%PDF-", "a PDF file: extract its text first (pdftotext -layout, or pdfplumber)"),
    (b"PK\x03\x04", "a zip archive (or a .docx/.xlsx, which are zips): unpack it or save "
                     "the report as text"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc/.xls): save the report as text"),
    (b"\x89PNG", "a PNG image, not text"),
    (b"\xff\xd8\xff", "a JPEG image, not text"),
    (b"GIF8", "a GIF image, not text"),
    (b"\x1f\x8b", "gzip-compressed: unpack it first"),
)
"""Files often saved under a report's name, known by their first bytes."""


def _known_binary(data: bytes) -> None:
    for magic, what in _FILE_KINDS:
        if data.startswith(magic):
            raise NotText(f"{what} ({len(data)} bytes)")


def _looks_chinese(text: str) -> bool:
    """Other encodings' bytes (Big5, Latin-1…) often decode as GB18030 too, into rare
    ideographs; real Chinese prose is mostly the 3,755 common ones."""
    ideographs = len(_IDEOGRAPH.findall(text))
    common = len(_GB2312_COMMON.findall(text.encode("gb2312", "ignore")))
    return common >= _COMMON_SHARE * ideographs


def _check_text(text: str, data: bytes) -> str:
    if len(_CONTROL.findall(text)) > max(4, len(text) // 100):
        raise NotText(f"binary content ({len(data)} bytes, control characters): not a text report")
    return text


_MIN_UTF16_NULS = 8
"""A UTF-16 file without a byte-order mark shows itself by its NULs: beside each ASCII
character (a report prints at least its years and some digits in ASCII) and in common
ideographs."""


def _replace_limit(data: bytes) -> int:
    return max(MIN_REPLACED, int(len(data) * MAX_REPLACED_SHARE))


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 in either byte order, the one that reads as Chinese (or ASCII) text. Which side
    the NULs fall on does not tell the order: ASCII leaves them on one side, and common
    ideographs such as 开 (U+5F00) and 三 (U+4E09) on the other. A file cut mid-character keeps
    its report (the odd byte is replaced)."""
    if data.count(0) < _MIN_UTF16_NULS:
        return None
    readings = [d for d in (_with_replacements(data, e, _replace_limit(data))
                            for e in ("utf-16-le", "utf-16-be"))
                if d is not None and _looks_chinese(d.text)]
    if not readings:
        return None
    best = min(readings, key=lambda d: len(_CONTROL.findall(d.text)))
    method = "nul pattern" + (f", {len(best.replaced)} bytes replaced" if best.replaced else "")
    return Decoded(best.text, "utf-16", method, best.replaced)


def _after_bom(data: bytes) -> Decoded | None:
    """Text after a byte-order mark; a few bad bytes (a cut mid-character) are replaced."""
    for bom, encoding in _BOMS:
        if not data.startswith(bom):
            continue
        body = data[len(bom):]
        try:
            return Decoded(body.decode(encoding), encoding, "bom")
        except UnicodeDecodeError as e:
            nearly = _with_replacements(body, encoding, _replace_limit(data))
            if nearly is None:
                raise NotText(f"has a {encoding} byte-order mark but does not decode: {e}") from e
            return Decoded(nearly.text, encoding, f"bom, {len(nearly.replaced)} bytes replaced",
                           tuple(at + len(bom) for at in nearly.replaced))
    return None


def _with_replacements(data: bytes, encoding: str, limit: int) -> Decoded | None:
    """`data` in `encoding` with its bad bytes replaced, or None past `limit` bad bytes."""
    parts: list[str] = []
    bad: list[int] = []
    pos = 0
    while True:
        try:
            parts.append(data[pos:].decode(encoding))
        except UnicodeDecodeError as e:
            parts += [data[pos:pos + e.start].decode(encoding), "\ufffd"]
            bad += range(pos + e.start, pos + e.end)
            pos += e.end
            if len(bad) > limit:
                return None
            continue
        text = "".join(parts)
        return Decoded(text, encoding, f"{encoding} with {len(bad)} bytes replaced", tuple(bad))


def _nearly(data: bytes) -> Decoded | None:
    """UTF-8 or GB18030 but for a few bad bytes (UTF-8 first: its bytes pass as GB18030
    mojibake with few errors, which _looks_chinese then refuses)."""
    for encoding in ("utf-8", "gb18030"):
        decoded = _with_replacements(data, encoding, _replace_limit(data))
        if decoded and (encoding == "utf-8" or _looks_chinese(decoded.text)):
            return decoded
    return None


def _first_bad_byte(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        return f"; first byte that is not UTF-8 at offset {e.start} (0x{data[e.start]:02x})"
    return ""


def decode(data: bytes) -> Decoded:
    """Decode a report file's bytes; raise NotText with a reason a person understands."""
    if not data.strip():
        raise NotText("empty file" if not data else "empty file: only white space")
    _known_binary(data)
    if (marked := _after_bom(data)) is not None:
        _check_text(marked.text, data)
        return marked
    if b"\x00" in data:
        utf16 = _utf16_without_bom(data)
        if utf16 is None:
            raise NotText(f"binary content ({len(data)} bytes with NUL bytes), not a text report")
        _check_text(utf16.text, data)
        return utf16
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8" or _looks_chinese(text):
            return Decoded(_check_text(text, data), encoding, f"strict {encoding}")
    if nearly := _nearly(data):
        _check_text(nearly.text, data)
        return nearly
    guess = chardet.detect(data)
    encoding, confidence = guess.get("encoding"), guess.get("confidence") or 0.0
    if not encoding or confidence < _MIN_CHARDET_CONFIDENCE:
        raise NotText("cannot tell the text encoding: not UTF-8, not GB18030, and chardet's best "
                      f"guess ({encoding}, confidence {confidence:.2f}) is no better"
                      + _first_bad_byte(data) + "; save the report as UTF-8")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as e:
        raise NotText(f"chardet guessed {encoding} ({confidence:.2f}), which fails: {e}") from e
    return Decoded(_check_text(text, data), encoding.lower(), f"chardet {confidence:.2f}")
