"""Every user error on the command line: one line on stderr, exit status 2, no traceback.

Before the fix a read-only output folder or a path under a file gave a Python traceback,
a duplicate ``--set``/``--grid`` silently kept the last value, ``--num-resamples 0``
printed numpy's internal message and ``--num-resamples 1`` exited 0 with NaN intervals.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from atrogame.cli import main

TOY = "atrogame.testing.models:Toy"  # the CLI takes an unregistered model by its import path


def _readonly_dir(tmp_path):
    if os.geteuid() == 0:  # root writes through permission bits; /sys refuses everyone
        return "/sys"
    d = tmp_path / "ro"
    d.mkdir()
    d.chmod(0o555)
    return str(d)


def _cases(tmp_path):
    ro = _readonly_dir(tmp_path)
    afile = tmp_path / "a_file.txt"
    afile.write_text("x")
    under = str(afile / "sub")
    sweep = ["sweep", TOY, "--grid", "benefit=0.5:2:3"]
    sens = ["sensitivity", TOY, "--outcome", "x", "--method", "morris", "--n", "4", "--seed", "0"]
    compare = ["tools", "compare", "kydd_straus"]
    brief = ["brief", "kydd_straus", "--tools", "mediation", "--n", "20"]
    return {
        "sweep-readonly": [*sweep, "--out", f"{ro}/s.csv"],
        "sweep-under-file": [*sweep, "--out", f"{under}/s.nc"],
        "sensitivity-readonly": [*sens, "--out", f"{ro}/si.csv"],
        "sensitivity-under-file": [*sens, "--out", f"{under}/si.csv"],
        "compare-readonly": [*compare, "--out", f"{ro}/c.csv"],
        "compare-under-file": [*compare, "--out", f"{under}/c.csv"],
        "brief-readonly": [*brief, "--out", f"{ro}/b.html"],
        "brief-under-file": [*brief, "--out", f"{under}/b.html"],
        "duplicate-set": ["solve", "kydd_straus", "--set", "rebel_strength=0.3", "--set", "rebel_strength=0.4"],
        "duplicate-set-sweep": [*sweep, "--set", "threshold=0.5", "--set", "threshold = 0.6"],
        "duplicate-set-tools": ["tools", "assess", "mediation", "kydd_straus",
                                "--set", "rebel_strength=0.3", "--set", "rebel_strength=0.3"],
        "duplicate-grid": ["sweep", TOY, "--grid", "benefit=0.5:2:3", "--grid", "benefit=2,3"],
        "num-resamples-0": [*sens, "--num-resamples", "0"],
        "num-resamples-1": [*sens, "--num-resamples", "1"],
        "num-resamples-negative": [*sens, "--num-resamples", "-5"],
    }


NAMES = ["sweep-readonly", "sweep-under-file", "sensitivity-readonly", "sensitivity-under-file",
         "compare-readonly", "compare-under-file", "brief-readonly", "brief-under-file", "duplicate-set",
         "duplicate-set-sweep", "duplicate-set-tools", "duplicate-grid", "num-resamples-0", "num-resamples-1",
         "num-resamples-negative"]


@pytest.mark.parametrize("name", NAMES)
def test_user_error_is_one_line_and_exit_2(tmp_path, capsys, name):
    argv = _cases(tmp_path)[name]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2, (name, code, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("atrogame: "), err
    assert "Traceback" not in err
    assert not list(tmp_path.rglob("*.part"))


@pytest.mark.parametrize("name", ["sweep-under-file", "duplicate-grid", "num-resamples-1"])
def test_user_error_from_a_real_process(tmp_path, name):
    """The installed entry point (``python -m atrogame``) behaves the same: exit 2, one line, no traceback."""
    argv = _cases(tmp_path)[name]
    proc = subprocess.run([sys.executable, "-m", "atrogame", *argv], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 2, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr


def test_messages_name_the_problem(tmp_path, capsys):
    cases = _cases(tmp_path)
    main(cases["duplicate-set"])
    assert "--set rebel_strength given twice" in capsys.readouterr().err
    main(cases["num-resamples-1"])
    assert "--num-resamples must be at least 2" in capsys.readouterr().err
    main(cases["sweep-under-file"])
    assert "a_file.txt" in capsys.readouterr().err
