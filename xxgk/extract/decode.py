"""Bytes to text: BOMs and cheap strict decodes first, chardet only when those fail.

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


def _utf16_without_bom(data: bytes) -> str | None:
    """ASCII digits and punctuation are everywhere in a report table: in UTF-16 they leave a NUL
    on one side of every such character."""
    if len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if max(even, odd) < len(data) // 8 or min(even, odd) > max(even, odd) // 10:
        return None
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def decode(data: bytes) -> Decoded:
    """Decode a report file's bytes; raise NotText with a reason a person understands."""
    if not data.strip():
        raise NotText("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(_check_text(data[len(bom):].decode(encoding), data), encoding, "bom")
            except UnicodeDecodeError as e:
                raise NotText(f"has a {encoding} byte-order mark but does not decode: {e}") from e
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise NotText(f"binary content ({len(data)} bytes with NUL bytes), not a text report")
        return Decoded(_check_text(text, data), "utf-16", "nul pattern")
    for encoding in ("utf-8", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8" or _looks_chinese(text):
            return Decoded(_check_text(text, data), encoding, f"strict {encoding}")
    guess = chardet.detect(data)
    encoding, confidence = guess.get("encoding"), guess.get("confidence") or 0.0
    if not encoding or confidence < _MIN_CHARDET_CONFIDENCE:
        raise NotText(f"cannot tell the text encoding (chardet: {encoding}, {confidence:.2f})")
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as e:
        raise NotText(f"chardet guessed {encoding} ({confidence:.2f}), which fails: {e}") from e
    return Decoded(_check_text(text, data), encoding.lower(), f"chardet {confidence:.2f}")
