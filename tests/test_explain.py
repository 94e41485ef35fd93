"""`xxgk explain FILE CODE [APPLICANT]`: the cell marked in its source lines, the readings the
text allowed, the identities that chose; on generated reports and on every real one."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from xxgk.cli import main
from xxgk.synth import generate_report
from xxgk.transform.explain import NoSuchCell, explain, render
from xxgk.transform.parse import parse_file

REALSCALE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "realscale" / "reports"


def _write(tmp_path: Path, seed: int, layout: str) -> tuple[Path, object]:
    synthetic = generate_report(seed, layout=layout, encoding="utf-8")
    path = tmp_path / synthetic.name
    path.write_bytes(synthetic.data)
    return path, synthetic


def test_a_cell_chosen_by_the_identities_shows_every_reading_and_the_identity(
        tmp_path: Path) -> None:
    for seed in range(20):
        path, _ = _write(tmp_path, seed, "runtogether")
        chosen = [f for f in parse_file(str(path)).facts
                  if (f.flag or "").startswith("split_by_identity") and f.applicant_type]
        if chosen:
            break
    else:
        pytest.fail("no generated run-together report with a cell chosen by its identities")
    fact = chosen[0]
    e = explain(str(path), fact.code, fact.applicant_type)
    assert len(e.trace.every_reading) > len(e.trace.table_readings) >= 1
    text = render(e)
    assert f"【{fact.raw}】" in text
    assert "identities through this cell:" in text and " holds: " in text


def test_the_cli_marks_the_cell_in_its_line(tmp_path: Path) -> None:
    path, synthetic = _write(tmp_path, 2, "pipe")
    result = CliRunner().invoke(main, ["explain", str(path), "s3.new_received", "自然人"])
    assert result.exit_code == 0, result.output
    want = synthetic.gold[("s3.new_received", "自然人")]
    assert f"value {want}" in result.output
    marked = next(line for line in result.output.splitlines() if "【" in line and " | " in line)
    assert "本年新收" in marked or "新收" in result.output


def test_an_unknown_cell_is_one_clear_error(tmp_path: Path) -> None:
    path, _ = _write(tmp_path, 1, "tsv")
    with pytest.raises(NoSuchCell):
        explain(str(path), "s9.nothing")
    result = CliRunner().invoke(main, ["explain", str(path), "s9.nothing"])
    assert result.exit_code == 1 and "no cell s9.nothing" in result.output


@pytest.mark.skipif(not REALSCALE.is_dir(), reason="../shared/corpus/realscale is not here")
def test_explain_works_on_real_reports() -> None:
    for path in sorted(REALSCALE.glob("*.txt")):
        facts = parse_file(str(path)).facts
        undecided = [f for f in facts if f.value is None and f.flag and f.span]
        for fact in [facts[0], facts[-1], *undecided[:1]]:
            text = render(explain(str(path), fact.code, fact.applicant_type))
            assert fact.code in text
            assert ("the cell in 【】" in text) == (fact.span is not None)
