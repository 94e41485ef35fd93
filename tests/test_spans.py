"""Every fact read from printed text points at it: its span, in the decoded text, holds the
cell as printed (full-width digits, HTML, CRLF and page footers included)."""

from __future__ import annotations

import itertools
import unicodedata

import pytest

from xxgk.extract.decode import decode
from xxgk.extract.normalize import normalize_tracked
from xxgk.synth import ENCODINGS, LAYOUTS, generate_report
from xxgk.transform.parse import parse_bytes


def _canonical(text: str) -> str:
    return unicodedata.normalize("NFKC", text).replace(" ", "")


@pytest.mark.parametrize(("layout", "encoding"), list(itertools.product(LAYOUTS, ENCODINGS[:3])))
def test_a_read_cell_points_at_its_printed_text(layout: str, encoding: str) -> None:
    for seed in range(2):
        synthetic = generate_report(seed, layout=layout, encoding=encoding)
        report = parse_bytes(synthetic.data, synthetic.name)
        text = decode(synthetic.data).text
        read = [f for f in report.facts if f.raw and f.value is not None and f.flag is None]
        assert read
        for f in read:
            assert f.span is not None, f
            assert _canonical(text[f.span[0]:f.span[1]]) == _canonical(f.raw), (f, f.span)


def test_a_blank_or_absent_cell_has_no_span_and_an_undecided_one_spans_its_row() -> None:
    synthetic = generate_report(3, layout="runtogether")
    report = parse_bytes(synthetic.data, synthetic.name)
    for f in report.facts:
        if f.flag == "blank":
            assert f.span is None
        elif f.flag and f.flag.startswith("ambiguous_split"):
            assert f.span is not None and f.span[1] - f.span[0] >= len(f.raw.replace(" ", ""))


def test_offsets_lead_back_through_markup_entities_crlf_and_footers() -> None:
    raw = "<td>规章</td><td>&nbsp;１２</td>\r\n- 3 -\r\n①\u3000７"
    tracked = normalize_tracked(raw)
    for i, c in enumerate(tracked.text):
        if c.isdigit():
            assert unicodedata.normalize("NFKC", raw[tracked.back(i)])[0] in (c, "(")
