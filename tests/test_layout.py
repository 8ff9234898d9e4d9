"""The package's layout rules that a reader relies on: the library never imports click (the CLI
lives in armstrace.cli alone), benchmarks are not installed, and `import armstrace` is light."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import armstrace

PACKAGE = Path(armstrace.__file__).resolve().parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_only_the_cli_imports_click() -> None:
    importers = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "click" in imported_modules(path)
    )
    assert importers and all(name.startswith("cli/") for name in importers), importers


def test_benchmarks_are_outside_the_package() -> None:
    assert not [p.name for p in PACKAGE.rglob("*bench*.py")]


def test_import_armstrace_loads_neither_click_nor_spacy() -> None:
    code = "import sys, armstrace; print(sorted({'click', 'spacy', 'fastapi'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
