"""Report bytes in every encoding seen in the wild decode to the same text; what is not text
is refused with a reason."""

from __future__ import annotations

import codecs

import pytest

from xxgk.extract.decode import NotText, decode
from xxgk.synth import generate_report
from xxgk.transform.parse import parse_bytes

TEXT = "二、主动公开政府信息情况\n规章 | 0 | 1 | 12 |\n行政事业性收费 | 96171.6 |\n" * 20


@pytest.mark.parametrize(
    ("data", "method"),
    [
        (TEXT.encode("utf-8"), "strict utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "bom"),
        (TEXT.encode("gb18030"), "strict gb18030"),
        (TEXT.encode("gbk"), "strict gb18030"),
        (TEXT.encode("utf-16"), "bom"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "bom"),
        (TEXT.encode("utf-16-le"), "nul pattern"),
        (TEXT.replace("\n", "\r\n").encode("utf-8"), "strict utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "utf-16", "utf-16-be", "utf-16-le-no-bom", "crlf"],
)
def test_encodings_decode_to_the_same_text(data: bytes, method: str) -> None:
    decoded = decode(data)
    assert decoded.text.replace("\r\n", "\n") == TEXT
    assert decoded.method == method


def test_chardet_is_the_fallback_for_other_encodings() -> None:
    text = ("政府資訊公開工作年度報告，本機關依法辦理申請。"
            "二、主動公開政府資訊情況，本年度新收申請數量為二十三件。") * 10
    decoded = decode(text.encode("big5"))
    assert decoded.method.startswith("chardet")
    assert decoded.text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t ", "empty"),
        (bytes(range(256)) * 8, "binary"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "a PNG image"),
        (b"PK\x03\x04" + bytes(200), "a zip archive"),
        (b"%PDF-1.7\n" + bytes(200), "a PDF file: extract its text first"),
    ],
)
def test_what_is_not_text_is_refused_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(NotText, match=reason):
        decode(data)


def _spoiled(data: bytes, count: int = 7) -> tuple[bytes, list[int]]:
    """`data` with `count` bytes 0xff (never UTF-8, never GB18030) inserted at line starts
    spread through the file; returns the new bytes and where the bad bytes now stand."""
    starts = [i + 1 for i, b in enumerate(data) if b == 0x0A]
    picks = [starts[len(starts) * k // (count + 1)] for k in range(1, count + 1)]
    out = bytearray(data)
    for at in reversed(picks):
        out[at:at] = b"\xff"
    return bytes(out), [at + k for k, at in enumerate(picks)]


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_a_few_bad_bytes_are_replaced_and_the_report_kept(encoding: str) -> None:
    synthetic = generate_report(3, encoding=encoding)
    spoiled, where = _spoiled(synthetic.data)
    clean, kept = parse_bytes(synthetic.data, "a.txt"), parse_bytes(spoiled, "a.txt")
    assert kept.status == clean.status != "error"
    assert [(f.code, f.applicant_type, f.value) for f in kept.facts] == [
        (f.code, f.applicant_type, f.value) for f in clean.facts]
    assert kept.to_dict()["decode_replacements"] == {"count": 7, "positions": where}
    assert clean.to_dict()["decode_replacements"] is None
    assert kept.source.encoding == encoding


def test_too_many_bad_bytes_go_to_chardet_and_say_where_the_first_one_is() -> None:
    data = ("申请" * 40).encode("utf-8")
    spoiled = data[:30] + b"\xff" * 60 + data[30:]
    with pytest.raises(NotText, match=r"first byte that is not UTF-8 at offset 30 \(0xff\)"):
        decode(spoiled + bytes(range(0x80, 0xa0)) * 4)


CHINESE = ("二、主动公开政府信息情况。本年度本机关主动公开政府信息，规章制发件数为零，"
           "行政规范性文件现行有效件数见下表。三、收到和处理政府信息公开申请情况，予以公开，部分公开，不予公开。"
           * 12 + "2023年 12 3 45\n")
"""A report text almost all Chinese: in UTF-16 few of its characters leave a NUL byte."""


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_of_a_mostly_chinese_text(encoding: str) -> None:
    data = CHINESE.encode(encoding)
    assert data.count(0) < len(data) // 8  # what the NUL pattern once required
    assert data[0::2].count(0) and data[1::2].count(0)  # ASCII on one side, 开 and 三 on the other
    decoded = decode(data)
    assert decoded.text == CHINESE and (decoded.encoding, decoded.method) == ("utf-16",
                                                                            "nul pattern")
    cut = decode(data[:-1])  # cut mid-character: the odd byte is replaced, the text kept
    assert cut.text == CHINESE[:-1] + "\ufffd" and cut.replaced == (len(data) - 2,)


@pytest.mark.parametrize(("bom", "encoding"), [(codecs.BOM_UTF8, "utf-8"),
                                               (codecs.BOM_UTF16_LE, "utf-16-le")])
def test_a_file_with_a_byte_order_mark_cut_mid_character_keeps_its_text(
        bom: bytes, encoding: str) -> None:
    data = bom + (CHINESE + "完").encode(encoding)
    decoded = decode(data[:-1])
    assert decoded.text == CHINESE + "\ufffd" and decoded.method.startswith("bom, ")
    assert decoded.replaced and decoded.replaced[0] == len(bom + CHINESE.encode(encoding))
