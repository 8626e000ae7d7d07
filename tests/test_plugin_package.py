"""A model from another package joins every part of atrogame with no edit to atrogame.

``tests/plugin_pkg`` is a small third-party package (its own ``pyproject.toml``, a model module
written only against atrogame's public names and one figure module). The tests put it on the
path of a subprocess together with a ``.dist-info`` folder holding the entry points that its
``pyproject.toml`` declares, which is what ``pip install`` would leave behind, and run the real
command line (``python -m atrogame ...``) on it. Nothing is installed into the test venv.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parent / "plugin_pkg"
MODEL = "monitored_violence"
IMPORT_PATH = "atrogame_plugin_demo.model:MonitoredViolence"


def _dist_info(target: Path) -> Path:
    """Write ``<name>-<version>.dist-info`` with the entry points of the plug-in's pyproject.toml."""
    project = tomllib.loads((PKG / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dist = target / f"{project['name'].replace('-', '_')}-{project['version']}.dist-info"
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {project['name']}\nVersion: {project['version']}\n", encoding="utf-8"
    )
    lines = []
    for group, eps in project["entry-points"].items():
        lines += [f"[{group}]", *(f"{name} = {value}" for name, value in eps.items()), ""]
    (dist / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")
    return dist


def _env(*paths: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in paths)
    env["MPLBACKEND"] = "Agg"
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, str]:
    """The environment of a Python in which the plug-in package is installed."""
    site = tmp_path_factory.mktemp("site")
    _dist_info(site)
    return _env(site, PKG)


@pytest.fixture(scope="module")
def on_path_only() -> dict[str, str]:
    """The plug-in importable but not installed: no entry points, so not registered."""
    return _env(PKG)


def atrogame(env: dict[str, str], *args: str, cwd: Path | None = None, status: int = 0) -> str:
    proc = subprocess.run([sys.executable, "-m", "atrogame", *args], env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == status, f"atrogame {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.stdout if status == 0 else proc.stderr


# ---------------------------------------------------------------------- the package itself
def test_the_plugin_uses_only_public_names_of_atrogame():
    for path in sorted((PKG / "atrogame_plugin_demo").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("atrogame."):
                assert not any(part.startswith("_") for part in node.module.split(".")), (path.name, node.module)
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "atrogame":
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, (path.name, node.module, private)


def test_the_plugin_declares_a_model_and_a_figure_module(installed):
    project = tomllib.loads((PKG / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["entry-points"]["atrogame.models"] == {MODEL: IMPORT_PATH}
    assert project["entry-points"]["atrogame.figures"] == {"atrogame_plugin_demo": "atrogame_plugin_demo.figures"}
    code = ("from importlib.metadata import entry_points as e; "
            "print(sorted(x.value for g in ('atrogame.models', 'atrogame.figures') for x in e(group=g)))")
    proc = subprocess.run([sys.executable, "-c", code], env=installed, capture_output=True, text=True, check=True)
    assert IMPORT_PATH in proc.stdout and "'atrogame_plugin_demo.figures'" in proc.stdout


def test_the_plugin_model_passes_check_model(monkeypatch):
    monkeypatch.syspath_prepend(str(PKG))
    from atrogame_plugin_demo.model import MonitoredViolence

    from atrogame.testing import check_model

    assert check_model(MonitoredViolence).passed


# ---------------------------------------------------------------------- every subcommand
def test_models_lists_the_plugin_with_class_provenance_and_citation(installed):
    out = atrogame(installed, "models")
    lines = out.splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith(MODEL))
    assert lines[i].split() == [MODEL, IMPORT_PATH, "[original]"]
    assert lines[i + 1].strip() == "atrogame plug-in demonstration model"
    assert "tests/plugin_pkg" in lines[i + 2]
    assert lines[0].startswith("anderton_brauer ")  # atrogame's own models are still listed


def test_without_the_entry_point_the_model_is_not_registered(on_path_only):
    assert MODEL not in atrogame(on_path_only, "models")
    err = atrogame(on_path_only, "solve", MODEL, status=1)
    assert f"unknown model {MODEL!r}" in err


def test_describe(installed):
    out = atrogame(installed, "describe", MODEL)
    assert out.startswith(f"{MODEL}: atrogame plug-in demonstration model")
    for name in ("detection", "sanction", "gain", "cost", "probability that the monitor detects violence"):
        assert name in out
    assert "Outcomes: violence, perpetrator_payoff" in out
    assert "Regimes:  deterred, violent" in out


def test_solve(installed):
    eq = json.loads(atrogame(installed, "solve", MODEL, "--set", "sanction=2", "--json"))
    assert eq["regime"] == "violent"
    assert eq["outcomes"]["violence"] == pytest.approx((1.0 - 0.3 * 2.0) / 0.5)  # (g - d·s)/c
    eq = json.loads(atrogame(installed, "solve", MODEL, "--set", "sanction=4", "--json"))
    assert (eq["regime"], eq["outcomes"]["violence"]) == ("deterred", 0.0)


def test_statics(installed):
    cs = json.loads(atrogame(installed, "statics", MODEL, "--wrt", "sanction", "--of", "violence", "--json"))
    text = json.dumps(cs)
    assert '"negative"' in text and "-0.6" in text  # ∂a*/∂s = -d/c = -0.3/0.5


def test_sweep(installed, tmp_path):
    out = atrogame(installed, "sweep", MODEL, "--grid", "sanction=0.5:4:3", "--out", str(tmp_path / "s.csv"))
    assert "wrote" in out and "(3 points)" in out
    with open(tmp_path / "s.csv", newline="") as fh:
        rows = list(csv.DictReader(r for r in fh if not r.startswith("#")))
    assert [float(r["violence"]) for r in rows] == pytest.approx([1.7, 0.65, 0.0])


def test_sensitivity(installed):
    out = atrogame(installed, "sensitivity", MODEL, "--outcome", "violence", "--method", "morris",
                   "--n", "4", "--seed", "0")
    assert out.startswith(f"Sensitivity of violence ({MODEL}), method morris")
    for name in ("detection", "sanction", "gain", "cost"):
        assert name in out


def test_tools_use_the_levers_the_model_declares(installed):
    out = atrogame(installed, "tools", "assess", "naming_and_shaming", MODEL)
    assert f"on {MODEL}" in out
    assert "sanction → 1.25" in out
    assert "violence: 1.4 → 1.25" in out
    listing = atrogame(installed, "tools", "list", MODEL)
    rows = {line.split()[0]: line for line in listing.splitlines()[2:]}
    assert rows["fact_finding"].endswith("detection +0.1")
    assert rows["naming_and_shaming"].endswith("sanction +0.25")
    assert rows["arms_embargo"].endswith("not represented in this model")
    assert MODEL in atrogame(installed, "tools", "list").splitlines()[0]
    table = atrogame(installed, "tools", "compare", MODEL)
    rows = {line.split()[0]: line.split() for line in table.splitlines()[1:]}
    assert rows["fact_finding"][2:7] == ["violence", "True", "1.4", "1.20", "-0.20"]
    assert rows["mediation"][3] == "False"


def test_brief(installed, tmp_path):
    out = atrogame(installed, "brief", MODEL, "--tools", "naming_and_shaming,fact_finding",
                   "--n", "100", "--out", str(tmp_path / "brief.html"))
    assert "wrote" in out
    page = (tmp_path / "brief.html").read_text(encoding="utf-8")
    assert f"Model: {MODEL} (atrogame plug-in demonstration model)" in page
    assert "Naming and shaming" in page and "Fact-finding" in page
    assert "not represented in this model" not in page  # both tools act through the declared levers


def test_figures_and_reproduce_make_the_plugin_figure(installed, tmp_path):
    assert "mv-violence" in atrogame(installed, "figures", "list")
    out = atrogame(installed, "figures", "make", "mv-violence", "--out", str(tmp_path / "one"), "--format", "png")
    assert (tmp_path / "one" / "mv-violence.png").stat().st_size > 1000, out
    out = atrogame(installed, "reproduce", MODEL, "--out", str(tmp_path / "rep"), "--format", "png")
    assert out.startswith("wrote 1 figures")
    summary = (tmp_path / "rep" / "summary.md").read_text(encoding="utf-8")
    assert "## mv-violence" in summary and f"Model: `{MODEL}`." in summary
    assert "| deterring sanction g/d | 3.333333333 |" in summary
    assert sorted(p.name for p in (tmp_path / "rep").iterdir()) == ["mv-violence.png", "summary.md"]


def test_a_plugin_that_cannot_be_imported_is_reported_in_one_line(tmp_path):
    dist = _dist_info(tmp_path)
    (dist / "entry_points.txt").write_text("[atrogame.models]\nbroken = no_such_package.mod:Model\n")
    env = _env(tmp_path, PKG)
    proc = subprocess.run([sys.executable, "-m", "atrogame", "models"], env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1
    assert "kydd_straus" in proc.stdout  # the others are still listed
    assert "cannot load model 'broken'" in proc.stderr and "no_such_package" in proc.stderr
    assert "Traceback" not in proc.stderr
    err = atrogame(env, "solve", "broken", status=1)
    assert err.count("\n") == 1 and "ModuleNotFoundError" in err


# ---------------------------------------------------------------------- import paths
def test_an_import_path_names_an_unregistered_model_in_solve_tools_and_brief(on_path_only, tmp_path):
    eq = json.loads(atrogame(on_path_only, "solve", IMPORT_PATH, "--json"))
    assert eq["outcomes"]["violence"] == pytest.approx(1.4)
    out = atrogame(on_path_only, "tools", "assess", "fact_finding", IMPORT_PATH)
    assert "detection → 0.4" in out and "violence: 1.4 → 1.2" in out
    atrogame(on_path_only, "brief", IMPORT_PATH, "--tools", "fact_finding", "--n", "50",
             "--out", str(tmp_path / "b.html"))
    assert f"Model: {MODEL}" in (tmp_path / "b.html").read_text(encoding="utf-8")


def test_a_figure_module_that_cannot_be_imported_leaves_the_other_figures(tmp_path):
    dist = _dist_info(tmp_path)
    (dist / "entry_points.txt").write_text("[atrogame.figures]\nbroken_figs = no_such_package.figures\n")
    proc = subprocess.run([sys.executable, "-m", "atrogame", "figures", "list"], env=_env(tmp_path, PKG),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "ks-tree" in proc.stdout and "mv-violence" not in proc.stdout
    assert "figures of entry point 'broken_figs'" in proc.stderr and "no_such_package" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_plugin_cannot_take_the_id_of_an_atrogame_model(tmp_path):
    dist = _dist_info(tmp_path)
    (dist / "entry_points.txt").write_text(
        f"[atrogame.models]\nkydd_straus = {IMPORT_PATH}\naaa_first = {IMPORT_PATH}\n")
    proc = subprocess.run([sys.executable, "-m", "atrogame", "models"], env=_env(tmp_path, PKG),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    ids = [line.split()[0] for line in proc.stdout.splitlines() if not line.startswith(" ")]
    assert ids[-1] == "aaa_first"  # after atrogame's own models, whatever its name
    assert ids.count("kydd_straus") == 1 and {"anderton_brauer", "fearon", "mobilisation"} <= set(ids)
    assert "atrogame.models.kydd_straus:KyddStraus" in proc.stdout
    assert f"model id 'kydd_straus' of entry point {IMPORT_PATH!r} is already taken; ignored" in proc.stderr
