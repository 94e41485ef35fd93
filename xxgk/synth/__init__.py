"""Synthetic 政府信息公开工作年度报告 with gold values: for parser tests and the sample data.

- `generate_report(seed, *, version, layout, encoding, agency, year, broken)` -> SyntheticReport:
  one report, deterministic from the seed and arguments (no global random state). Its tables
  satisfy every identity of the template (I1-I4) exactly, unless broken=True: then exactly one
  rule fails (in the fewest instances the identities allow: one for I4, two for I1-I3).
  version "older" gives a pre-2019 report (no common template); `generate_invalid(seed, kind)`
  gives an empty, binary, unrelated or table-less file.
- `write_corpus(out_dir, n, seed=0, *, invalid=0, broken=None, **filters)`: n reports as flat
  files plus gold.csv and meta.csv in the format shared/tools/score.py reads.
- `write_samples(out_dir, seed=0, *, gold_dir=None)`: the bundled sample set for data/raw/:
  flat files `<agency>_<year><ext>` (ext .txt/.md/.csv/.tsv or none), 8 agencies over runs of
  consecutive years 2019-2024 (2019 template for 2019-2020, 2021 after), consistent across
  years (X1: carried_over = last year's carried_forward; X2: in_force = last year's + issued -
  repealed), one report with a broken I2, and two pre-2019 reports.

Layouts (`LAYOUTS`): pipe, markdown, tsv, csv, pdf, cell_per_line, runtogether.
Encodings (`ENCODINGS`): utf-8, utf-8-sig, gb18030, gbk, utf-16 (with BOM); LF or CRLF.
Modules: values (consistent tables), tables (layout-free blocks, cell printing), layouts
(renderers), text (agencies, prose, skeleton, bytes), ambiguity (the run-together oracle),
report, others (older and invalid inputs), corpus (writers), forms (printed forms the
template data lacks).
"""

from xxgk.synth.corpus import write_corpus, write_gold, write_samples
from xxgk.synth.layouts import LAYOUTS
from xxgk.synth.others import INVALID_KINDS, generate_invalid
from xxgk.synth.report import SyntheticReport, generate_report
from xxgk.synth.text import AGENCIES, ENCODINGS

__all__ = [
    "AGENCIES",
    "ENCODINGS",
    "INVALID_KINDS",
    "LAYOUTS",
    "SyntheticReport",
    "generate_invalid",
    "generate_report",
    "write_corpus",
    "write_gold",
    "write_samples",
]
