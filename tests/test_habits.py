"""The habits that keep the code readable, as tests: lint (complexity included), types, and the
stages' rooms (load talks to DuckDB only, never to the parser)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN_IN_LOAD = ("xxgk.transform", "xxgk.extract")


def imported_modules(path: Path) -> set[str]:
    """Every module a Python file imports, at any depth (function-local imports too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return found


def test_imported_modules_sees_nested_imports(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from xxgk.transform import tidy\n", encoding="utf-8")
    assert "xxgk.transform" in imported_modules(probe)


def test_load_imports_nothing_from_transform_or_extract() -> None:
    offenders = {
        f"{path.relative_to(ROOT)} imports {module}"
        for path in (ROOT / "xxgk" / "load").rglob("*.py")
        for module in imported_modules(path)
        if module.startswith(FORBIDDEN_IN_LOAD)
    }
    assert not offenders


def _tool(name: str) -> str:
    exe = Path(sys.executable).with_name(name)
    if exe.exists():
        return str(exe)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def test_ruff_with_complexity_limit_passes() -> None:
    """pyproject.toml selects C90 (max 10); only the files it lists may exceed it."""
    done = subprocess.run([_tool("ruff"), "check", "xxgk", "tests"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_passes_on_the_package() -> None:
    done = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_prefect_yaml_deploys_the_ingest_flow() -> None:
    import importlib

    import yaml

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    (deployment,) = spec["deployments"]
    path, name = deployment["entrypoint"].split(":")
    module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
    assert getattr(module, name).name == "xxgk-ingest"
