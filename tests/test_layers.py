"""The layers of DESIGN.md hold: model/ uses only the standard library; formats/, rules/,
layout/ and modeling/ import no Qt; the command line's subcommands run without Qt."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "smo_designer"
STANDARD_LIBRARY = set(sys.stdlib_module_names) | {"__future__"}
QT_LAYERS = tuple(f"smo_designer.{layer}" for layer in ("app", "canvas", "editors", "commands"))


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Top-level module names imported by a file; relative imports are named 'smo_designer…'."""
    package_parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_parts[: len(package_parts) - node.level]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.append((module, node.lineno))
    return found


def layer_files(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def test_model_imports_only_the_standard_library_and_itself() -> None:
    assert layer_files("model"), "the model package is missing"
    offending = [
        f"{path.name}:{line}: {module}"
        for path in layer_files("model")
        for module, line in imports_of(path)
        if module.split(".")[0] not in STANDARD_LIBRARY and not module.startswith("smo_designer.model")
    ]
    assert offending == []


@pytest.mark.parametrize("layer", ["formats", "rules", "layout", "modeling"])
def test_headless_layers_import_no_qt(layer: str) -> None:
    offending = [
        f"{path.name}:{line}: {module}"
        for path in layer_files(layer)
        for module, line in imports_of(path)
        if module.split(".")[0] in {"PySide6", "shiboken6", "PyQt5", "PyQt6"} or module.startswith(QT_LAYERS)
    ]
    assert offending == []


def test_the_import_checker_sees_relative_and_absolute_imports(tmp_path: Path) -> None:
    # guards the guard: a Qt import written either way must be caught
    sample = PACKAGE / "formats" / "_layer_probe.py"
    sample.write_text("from PySide6 import QtCore\nfrom ..app import main\n", encoding="utf-8")
    try:
        modules = [module for module, _ in imports_of(sample)]
    finally:
        sample.unlink()
    assert modules == ["PySide6", "smo_designer.app"]


def test_headless_commands_load_no_qt(tmp_path: Path) -> None:
    probe = (
        "import sys\n"
        "from smo_designer.cli import main\n"
        f"main(['check', {str(Path(__file__).parents[2] / 'shared' / 'miwg-reference' / 'A.1.0.bpmn')!r}])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))))\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]"
