"""Smoke test of benchmarks/run.py at its tiny size (the real numbers are in benchmarks/README.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # two fresh interpreters: ~10 s idle, > 20 s on a loaded machine
def test_benchmark_script_tiny(tmp_path):
    pytest.importorskip("atrogame.models.kydd_straus").KyddStraus  # noqa: B018
    out_json = tmp_path / "bench.json"
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--size", "tiny",
                          "--json", str(out_json)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    for label in ("KyddStraus", "AndertonBrauer ces", "AndertonBrauer contest", "Sobol KyddStraus",
                  "chunked sweep of"):
        assert label in res.stdout
    data = json.loads(out_json.read_text())
    assert [r["model"] for r in data["models"]] == ["KyddStraus", "AndertonBrauer ces", "AndertonBrauer contest"]
    for r in data["models"]:
        assert r["points_per_s"] > 0 and r["speedup_vs_solve"] > 1
        assert r["sweep_vs_solve_max_abs_diff"] < 1e-9  # the sweep's numbers are solve()'s numbers
        assert r["numeric_max_abs_diff"] < 1e-3          # and close to an independent numeric solution
    assert data["sobol_evaluations"] == data["sobol_N"] * (2 * data["sobol_parameters"] + 2)
    assert 0 < data["chunked_peak_rss_MiB"] < 1024
    for r in data["all_varying"]:  # with numba: the validation share lies between its quartiles
        if "accel_validation_quartiles" in r:
            lo, hi = r["accel_validation_quartiles"]
            assert 0.0 <= lo <= r["accel_validation_share"] <= hi <= 1.0
