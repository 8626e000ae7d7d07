"""The README's promises: CI runs its test command, and its library example runs."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _bash_blocks() -> list[str]:
    return re.findall(r"```bash\n(.*?)```", README, flags=re.S)


def test_ci_runs_the_readme_test_command():
    blocks = _bash_blocks()
    test_cmd = next(b.strip() for b in blocks if "pytest" in b)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_cmd in ci


def test_readme_has_the_reproduce_command():
    assert any("atrogame reproduce --out figures" in b for b in _bash_blocks())


def test_readme_library_example_runs(capsys):
    code = re.search(r"```python\n(.*?)```", README, flags=re.S).group(1)
    assert len([ln for ln in code.splitlines() if ln.strip()]) <= 12
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "civilian_attacks" in out or "after" in out
