"""The how-to "Build your own model with atrogame's solvers": its code runs and matches the example script."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOWTO = ROOT / "docs" / "how-to" / "build_your_own_model.md"
EXAMPLE = ROOT / "examples" / "build_your_own_model.py"


def _doc_blocks() -> list[str]:
    return [b.strip() for b in re.findall(r"```python\n(.*?)```", HOWTO.read_text(encoding="utf-8"), flags=re.S)]


def _example_cells() -> list[str]:
    text = EXAMPLE.read_text(encoding="utf-8")
    return [c.strip() for c in text.split("# %%\n")[1:]]


def test_example_cells_are_the_howto_code_blocks_in_order():
    blocks, cells = _doc_blocks(), _example_cells()
    assert len(blocks) >= 6
    assert cells == blocks


def test_example_script_runs_and_reproduces_the_threshold(capsys):
    ns = runpy.run_path(str(EXAMPLE), run_name="__main__")
    out = capsys.readouterr().out
    assert "the perpetrator's strategy changes at s = g" in out
    assert "smallest swept sanction that deters some attacks: 1.01" in out
    model = ns["model"]
    assert model.solve().regime == "mixed_deterrence"
    assert ns["cs"][("enforce_prob", "sanction")].value == -1.0 / 1.5**2
