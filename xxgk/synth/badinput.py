"""A raw folder of bad inputs beside the bundled samples: what a careless crawler, a full disk
or a colleague drops into the folder the nightly run reads.

`write_bad_inputs(out_dir, samples_dir)` copies the sample reports (`data/raw`) and writes,
beside them, one file (or link) per kind of bad input, and returns what each path is, so a
test can hold the run to "every good report loaded, every bad one recorded with its reason".
Built at run time: the folder holds a 200 MB sparse file and symbolic links that no
repository should carry.
"""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

from xxgk.synth.others import generate_invalid
from xxgk.synth.report import SyntheticReport, generate_report

BIG_FILE_BYTES = 200 * 1024 * 1024
"""The big file: written sparse (a report's bytes, then a hole), so it costs no disk or time."""

PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06"


def _report(seed: int, agency: str, year: int, **kw: object) -> SyntheticReport:
    return generate_report(seed, agency=agency, year=year, layout="pipe", encoding="utf-8",
                           **kw)  # type: ignore[arg-type]


def _cut_before(text: str, marker: str) -> bytes:
    """The report's text up to `marker` (a row label inside a table): a file cut mid-table."""
    return text[:text.index(marker)].encode("utf-8")


def _without_part_four(text: str) -> bytes:
    """The report with part 四 (reviews and lawsuits: heading and table) left out, the prose
    after it kept."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("四、") and "复议" in line)
    end = next(i for i, line in enumerate(lines) if i > start and line.startswith("五、"))
    return "\n".join(lines[:start] + lines[end:]).encode("utf-8")


def _zip_of(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return out.getvalue()


def _scrambled(text: str) -> bytes:
    """GB18030 with every byte's top bit flipped (a 7-bit transfer gone wrong): no encoding
    decodes it into Chinese, and chardet can name none with any confidence."""
    return bytes(b ^ 0x80 for b in text.encode("gb18030"))


def _spoiled(data: bytes, count: int = 7) -> bytes:
    """`data` with `count` bytes 0xff (never UTF-8, never GB18030) put at line starts spread
    through it: a transfer glitch the decoder replaces, keeping the report."""
    starts = [i + 1 for i, b in enumerate(data) if b == 0x0A]
    out = bytearray(data)
    for at in reversed([starts[len(starts) * k // (count + 1)] for k in range(1, count + 1)]):
        out[at:at] = b"\xff"
    return bytes(out)


def _bad_files(copy_of: Path) -> dict[str, tuple[str, bytes]]:
    """path -> (kind, bytes) of each bad input written as a plain file; `copy_of` is a sample
    whose copy claims the same agency and year."""
    cut = _report(21, "青山县农业农村局", 2023)
    part_four = _report(22, "青山县水利局", 2023)
    good_a, good_b = _report(23, "青山县统计局", 2022), _report(24, "青山县审计局", 2022)
    return {
        "空文件.txt": ("empty", b""),
        "扫描件.txt": ("binary_png", PNG_HEAD + bytes(range(256)) * 4),
        "年报附件.md": ("binary_zip", _zip_of("report.txt", cut.data)),
        "青山县农业农村局_2023_截断.txt": ("cut_mid_table", _cut_before(cut.text, "无法提供")),
        "乱码.txt": ("unknown_encoding", _scrambled(cut.text)),
        "通知.txt": ("not_a_report", generate_invalid(5, "unrelated").data),
        "旧版_2016.txt": ("pre_2019", generate_report(6, version="older", year=2016).data),
        "青山县水利局_2023_缺表.txt": ("table_missing", _without_part_four(part_four.text)),
        f"副本/{copy_of.name}": ("same_agency_year", copy_of.read_bytes()),
        "青山县财政局_2021.txt": ("bad_bytes", _spoiled(_report(25, "青山县财政局", 2021).data)),
        "带 空格 的 报告.txt": ("name_with_spaces", good_a.data),
        "换行\n名字.txt": ("name_with_newline", good_b.data),
        "扫描件.png": ("not_report_by_name", PNG_HEAD + bytes(64)),
        "年报合集.zip": ("not_report_by_name", _zip_of("report.txt", good_a.data)),
        "附件": ("not_report_by_name", _zip_of("report.txt", good_b.data)),
    }


def _big_file(path: Path, head: bytes) -> None:
    """A report's bytes, then a hole up to BIG_FILE_BYTES: a sparse file, cheap to write."""
    with path.open("wb") as fh:
        fh.write(head)
        fh.truncate(BIG_FILE_BYTES)


def write_bad_inputs(out_dir: str | os.PathLike[str],
                     samples_dir: str | os.PathLike[str]) -> dict[str, str]:
    """Copy the sample reports of `samples_dir` to `out_dir` and write the bad inputs beside
    them; return {path: kind}, kind "sample" for each sample (paths relative to `out_dir`,
    forward slashes, as the warehouse keeps them)."""
    out, samples = Path(out_dir), sorted(Path(samples_dir).iterdir())
    shutil.copytree(samples_dir, out, dirs_exist_ok=True)
    kinds = {s.name: "sample" for s in samples}
    for name, (kind, data) in _bad_files(samples[-1]).items():
        (out / name).parent.mkdir(parents=True, exist_ok=True)
        (out / name).write_bytes(data)
        kinds[name] = kind
    _big_file(out / "巨大文件.txt", samples[0].read_bytes())
    kinds["巨大文件.txt"] = "too_large"
    os.symlink("环.txt", out / "环.txt")
    kinds["环.txt"] = "symlink_loop"
    (out / "子目录").mkdir()
    os.symlink("..", out / "子目录" / "上层")
    kinds["子目录/上层"] = "symlink_loop_folder"
    return kinds
