"""Scenario discovery wired into tools.backfire, the CLI, the HTML brief, the plots and the docs."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import atrogame as ag
from atrogame.brief import render_brief, write_brief
from atrogame.cli import main
from atrogame.discovery import explain
from atrogame.plot import discovery as dplot

ROOT = Path(__file__).resolve().parents[2]
HOWTO = ROOT / "docs" / "how-to" / "when_it_backfires.md"
KS_PRIORS = {"rebel_strength": (0.01, 0.99), "imposed_settlement": (0.0, 1.0),
             "intervention_commitment": (0.0, 1.0), "atrocity_penalty": (0.0, 0.3)}


@pytest.fixture(scope="module")
def ks_result():
    return ag.tools.backfire("support_to_armed_groups", ag.KyddStraus(), KS_PRIORS, n=4000, seed=1, outcome="p_war")


def test_backfire_result_keeps_draws_and_explains_itself(ks_result):
    r = ks_result
    assert set(r.draws) == set(KS_PRIORS) and r.backfired.mean() == r.probability
    d = r.explain()
    assert d.boxes == explain(r).boxes
    # a result without stored draws cannot be explained: a clear error, not a silent redraw
    bare = dataclasses.replace(r, draws=None, backfired=None)
    with pytest.raises(ValueError, match="keeps no draws"):
        explain(bare)
    assert ag.discovery.explain is explain


def test_cli_backfire_explain(capsys):
    argv = ["tools", "backfire", "support_to_armed_groups", "kydd_straus", "--outcome", "p_war", "--n", "3000",
            "--seed", "1", "--explain"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("<BackfireResult support_to_armed_groups on kydd_straus")
    assert "raises probability of war mostly when rebel strength" in out
    assert re.search(r"rebel_strength .* upper", out)
    assert main(["tools", "backfire", "naming_and_shaming", "kydd_straus", "--n", "500"]) == 0
    assert "mostly when" not in capsys.readouterr().out


def test_brief_has_a_when_it_backfires_section():
    page = render_brief(ag.KyddStraus(), ["naming_and_shaming", "support_to_armed_groups"], n=800, seed=0)
    sec = page[page.index("<h2>When it backfires</h2>"):page.index("<h2>Cost per unit")]
    r = ag.tools.backfire("naming_and_shaming", ag.KyddStraus(), n=800, seed=0)
    d = r.explain()
    from html import escape

    assert escape(d.rule(0)) in sec
    assert f"{d.boxes[0].coverage:.0%}" in sec and f"{d.boxes[0].density:.0%}" in sec
    assert sec.count("data:image/png;base64,") >= 1


def test_plots_show_the_discovery_data(ks_result):
    d = ks_result.explain()
    ax = dplot.trajectory(d)
    traj = d.trajectories[0]
    pts = ax.collections[0].get_offsets()
    assert np.allclose(pts[:, 0], traj["coverage"]) and np.allclose(pts[:, 1], traj["density"])
    ring = ax.collections[1].get_offsets()[0]
    assert tuple(ring) == (traj["coverage"].iloc[d.selected[0]], traj["density"].iloc[d.selected[0]])
    # any step can be selected instead of the chosen one
    k = d.selected[0] // 2
    ring = dplot.trajectory(d, step=k).collections[1].get_offsets()[0]
    assert tuple(ring) == (traj["coverage"].iloc[k], traj["density"].iloc[k])
    ax = dplot.box_map(d, "rebel_strength", "imposed_settlement")
    rect = ax.patches[0]
    lo, hi = d.boxes[0].limits["rebel_strength"]
    assert rect.get_x() == lo and rect.get_x() + rect.get_width() == pytest.approx(hi)
    assert ax.get_xlabel().startswith("rebel strength")
    ax = dplot.box_limits(d)
    assert len(ax.get_yticklabels()) == len(d.boxes[0].restricted)
    assert d.plot("map", x="rebel_strength", y="atrocity_penalty") is not None
    with pytest.raises(KeyError):
        dplot.box_map(d, "rebel_strength", "nope")


def test_howto_code_runs(tmp_path, monkeypatch):
    """Every python block of docs/how-to/when_it_backfires.md runs, in order, in one namespace."""
    monkeypatch.chdir(tmp_path)
    text = HOWTO.read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) >= 4
    ns: dict = {}
    for block in blocks:
        exec(compile(block, str(HOWTO), "exec"), ns)
    # the rule quoted in the page is the one the code prints
    quoted = " ".join(re.search(r"```text\n(.*?)```", text, flags=re.S).group(1).split())
    assert quoted == ns["d"].rule()
    assert ns["corner"].boxes and "rebel_strength" in ns["corner"].boxes[0].restricted


def _browser() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.browser
@pytest.mark.skipif(_browser() is None, reason="no headless Chromium installed (apt-get install -y chromium)")
def test_when_it_backfires_section_renders_in_headless_chromium(tmp_path):
    page = write_brief(ag.KyddStraus(), ["naming_and_shaming", "support_to_armed_groups"], tmp_path / "b.html",
                       n=1000, seed=0)
    common = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    dom = subprocess.run([*common, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=120, check=True)
    assert "When it backfires" in dom.stdout
    from html import escape

    d = ag.tools.backfire("naming_and_shaming", ag.KyddStraus(), n=1000, seed=0).explain()
    assert escape(d.rule(0), quote=False) in dom.stdout
    assert "no region of the parameters stands out" in dom.stdout  # support to armed groups: diffuse
    assert re.search(r"<td class=\"num\">\d+%</td>", dom.stdout)
    assert re.search(r'<img alt="where Naming and shaming backfires"[^>]+data:image/png', dom.stdout)
    shot = tmp_path / "shot.png"
    subprocess.run([*common, f"--user-data-dir={tmp_path / 'profile2'}", f"--screenshot={shot}",
                    "--window-size=1000,3000", page.as_uri()], capture_output=True, timeout=120, check=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
