"""Static checks as tests: ``ruff`` and ``mypy`` must pass on the repository (run from its root).

Both tools are in the ``test`` extra, so CI runs them; where one is not installed its test is skipped.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          check=False)


def test_ruff_is_clean():
    pytest.importorskip("ruff")
    proc = _run("ruff", "check", "src", "tests", "benchmarks", "examples", "docs/_ext")
    assert proc.returncode == 0, f"ruff check failed:\n{proc.stdout}\n{proc.stderr}"


def test_mypy_is_clean():
    pytest.importorskip("mypy")
    proc = _run("mypy")  # files and options from [tool.mypy] in pyproject.toml
    assert proc.returncode == 0, f"mypy failed:\n{proc.stdout}\n{proc.stderr}"
    assert "Success" in proc.stdout, proc.stdout
