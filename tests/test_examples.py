"""Every script in ``examples/`` runs to completion (exit status 0) with the Agg backend.

Parametrised over the folder, so examples added later are covered automatically. Scripts run
in a fresh interpreter without arguments (no figures are written) and must finish within
``TIMEOUT`` seconds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCRIPTS = sorted(EXAMPLES.glob("*.py"))
TIMEOUT = 120


def test_examples_exist():
    assert SCRIPTS, f"no example scripts in {EXAMPLES}"


@pytest.mark.parametrize("script", SCRIPTS, ids=[p.name for p in SCRIPTS])
def test_example_runs(script: Path, tmp_path: Path):
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONHASHSEED": "0"}
    try:
        proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"{script.name} did not finish within {TIMEOUT} s; output so far:\n{exc.stdout or ''}")
    assert proc.returncode == 0, f"{script.name} exited with {proc.returncode}:\n{proc.stdout[-3000:]}\n" \
                                 f"{proc.stderr[-3000:]}"
