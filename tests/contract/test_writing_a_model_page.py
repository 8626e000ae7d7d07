"""The reference page of the model contract: its Python blocks run, in order, as one script."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

PAGE = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "writing_a_model.md"


def test_code_blocks_run_in_order(tmp_path, capsys):
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)
    assert len(blocks) >= 3
    script = tmp_path / "writing_a_model.py"
    script.write_text("\n".join(blocks), encoding="utf-8")
    runpy.run_path(str(script), run_name="__main__")
    out = capsys.readouterr().out
    assert "negative" in out and "11 checks ran, 0 failed" in out
