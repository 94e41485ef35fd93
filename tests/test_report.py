"""`xxgk report`: one self-contained page; headless Chromium renders every chart and fetches
nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from analyst_corpus import sample_warehouse
from click.testing import CliRunner

from xxgk.cli import main

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                        else None)
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report")
    db = sample_warehouse(folder / "wh")
    out = {}
    for name, args in (("all", []), ("one", ["--agency", "东湖区教育局"])):
        out[name] = folder / f"{name}.html"
        result = CliRunner().invoke(main, ["report", "--db", str(db), "--out", str(out[name]),
                                           *args])
        assert result.exit_code == 0, result.output
    return out


def test_the_page_names_no_outside_resource(pages: dict[str, Path]) -> None:
    html = pages["all"].read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "url(" not in html and "@import" not in html
    assert "default-src 'none'" in html  # and the browser is told to refuse any load
    assert html.count('<svg class="chart"') == 5 and html.count("<table>") >= 5


def test_an_agency_page_holds_that_agency_only(pages: dict[str, Path]) -> None:
    html = pages["one"].read_text(encoding="utf-8")
    assert "东湖区教育局" in html and "3 reports" in html and "石门街道办事处" not in html


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (CI installs it)")
def test_chromium_renders_every_chart_and_fetches_nothing(pages: dict[str, Path],
                                                          tmp_path: Path) -> None:
    dom = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom",
         pages["all"].resolve().as_uri()],
        capture_output=True, text=True, timeout=120, check=True).stdout
    body = re.search(r"<body([^>]*)>", dom)
    assert body, dom[:500]
    attrs = dict(re.findall(r'data-([\w-]+)="([^"]*)"', body[1]))
    assert attrs == {"charts-rendered": "5", "charts": "5", "resources": "0"}
