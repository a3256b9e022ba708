"""The core stays free of Qt: only newsdedup.gui may import PySide6 (as napari enforces for its core)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "newsdedup"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_outside_gui_imports_pyside6():
    offenders = [p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py")
                 if "gui" not in p.relative_to(SRC).parts and {"PySide6", "shiboken6"} & _imports(p)]
    assert offenders == []


def test_the_check_sees_gui_imports():
    """Guard against a check that cannot fail: the GUI package does import PySide6."""
    assert any("PySide6" in _imports(p) for p in (SRC / "gui").rglob("*.py"))


def test_the_layers_contract_holds():
    """Stages below the pipeline, the pipeline below the workspace, the GUI and CLI on top (pyproject.toml's
    [tool.importlinter]; docs/architecture.md draws them)."""
    import subprocess
    import sys

    lint = Path(sys.executable).with_name("lint-imports")
    if not lint.exists():
        import pytest

        pytest.skip("import-linter is not installed (pip install -e '.[test]')")
    done = subprocess.run([str(lint), "--no-cache"], cwd=SRC.parents[1], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-3000:]


def test_no_source_file_passes_400_lines():
    """Modules hold one idea (docs/architecture.md): a file past 400 lines is two ideas in one."""
    long = {p.relative_to(SRC).as_posix(): n for p in SRC.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
