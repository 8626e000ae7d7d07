"""StrategicMassKilling end to end: top-level export, CLI, sweeps, sensitivity, brief, reproduce, docs page."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

import atrogame as ag
from atrogame.cli import main
from atrogame.models.strategic_mass_killing import StrategicMassKilling

DOCS_PAGE = Path(__file__).resolve().parents[3] / "docs" / "explanation" / "strategic_mass_killing.md"


def test_public_name_and_registry():
    assert ag.StrategicMassKilling is StrategicMassKilling
    assert "StrategicMassKilling" in ag.__all__
    assert ag.get_model("strategic_mass_killing") is StrategicMassKilling
    assert "strategic_mass_killing" in ag.model_ids()
    d = ag.StrategicMassKilling.derivation()
    assert "value_per_victim" in d.expressions and "d_k_d_resource_rents" in d.expressions


@pytest.mark.parametrize(("name", "value"), [("killing_cap", 1.5), ("incumbent_share", 1.0), ("productivity", -2.0)])
def test_parameter_error_names_parameter_domain_and_value(name, value):
    with pytest.raises(ag.ParameterError) as err:
        ag.StrategicMassKilling(**{name: value})
    assert err.value.name == name and err.value.value == value
    assert name in str(err.value) and err.value.domain in str(err.value) and repr(value) in str(err.value)


def test_cli_solve_statics_sweep_and_tools(capsys, tmp_path):
    assert main(["solve", "strategic_mass_killing", "--set", "killing_cap=0.1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["regime"] == "capped"
    assert out["outcomes"]["killing_share_incumbent"] == pytest.approx(0.2857142857, abs=1e-9)

    assert main(["statics", "strategic_mass_killing", "--wrt", "power_sharing", "--of", "killing_share_incumbent"]) == 0
    assert "negative" in capsys.readouterr().out

    csv = tmp_path / "sweep.csv"
    assert main(["sweep", "strategic_mass_killing", "--grid", "killing_cap=0:0.2:5",
                 "--outcome", "killing_share_incumbent", "--out", str(csv)]) == 0
    capsys.readouterr()
    assert csv.exists() and "killing_share_incumbent" in csv.read_text()

    assert main(["tools", "assess", "minimum_standards", "strategic_mass_killing",
                 "--set", "headcount_claims=0.5", "--intensity", "5"]) == 0
    text = capsys.readouterr().out
    assert "deterred → interior" in text and "killing_share_incumbent" in text

    assert main(["tools", "assess", "humanitarian_assistance", "strategic_mass_killing"]) == 0
    assert "not represented in this model" in capsys.readouterr().out


def test_sweep_dataset_carries_all_three_regimes():
    m = StrategicMassKilling()
    ds = m.sweep(incumbent_share=np.array([0.3, 0.5, 0.85]), resource_rents=np.array([1.0, 2.0]))
    assert ds["killing_share_incumbent"].shape == (3, 2)
    assert np.isfinite(ds["expected_deaths"].values).all()
    labels = set(m.regime_label(ds["regime"].values.ravel()))
    assert {"deterred", "interior", "extermination"} <= labels


def test_sensitivity_of_the_killing_share():
    si = StrategicMassKilling().sensitivity("killing_share_incumbent", n=256, seed=1, second_order=False,
                                            bounds={"resource_rents": (0.5, 2.0), "productivity": (0.5, 2.0),
                                                    "killing_fixed_cost": (0.0, 0.05)})
    st = si["ST"]
    assert set(st) == {"resource_rents", "productivity", "killing_fixed_cost"}
    assert all(math.isfinite(v) for v in st.values())
    assert st["resource_rents"] > st["killing_fixed_cost"]  # rents drive the killing share


def test_brief_on_the_model(tmp_path):
    from atrogame.brief import write_brief

    path = write_brief(StrategicMassKilling(killing_cap=0.1, death_loss=2.0),
                       ["military_intervention", "minimum_standards", "humanitarian_assistance"],
                       tmp_path / "brief.html", n=200, seed=0)
    page = path.read_text()
    assert "Esteban, Morelli &amp; Rohner (2015)" in page or "Esteban, Morelli & Rohner (2015)" in page
    assert "Minimum standards for defeated minorities" in page and "not represented in this model" in page


def test_reproduce_lists_the_smk_figures(tmp_path):
    from atrogame import figures

    summary = figures.reproduce(tmp_path, formats=("png",), ids=["smk-cap"])
    text = summary.read_text()
    assert "## smk-cap" in text and "After Esteban, Morelli & Rohner (2015)" in text
    assert {"smk-drivers", "smk-cap", "smk-polarisation", "smk-institutions"} <= set(figures.registry())


def test_docs_page_attributes_and_reconstructs():
    text = DOCS_PAGE.read_text()
    flat = " ".join(text.split())
    assert "after Esteban, Morelli & Rohner (2015)" in flat
    assert "Journal of Political Economy* 123(5): 1087–1132" in flat
    assert "It is a reconstruction, not a reproduction" in flat
    assert "none of them is the authors' published result" in flat
    for fid in ("smk-drivers", "smk-cap", "smk-polarisation", "smk-institutions"):
        assert f"{{atrogame-figure}} {fid}" in text
    assert "## What the model does not say" in text and "## What the model leaves out" in text
    # maths is rendered from the code, and no spec section or unverified DOI is cited
    assert text.count("{atrogame-math}") >= 15 and "StrategicMassKilling.derivation()" in text
    assert not re.search(r"spec\s*§|doi:10\.1086", text)


def test_numbers_quoted_on_the_docs_page():
    """The docs page's example that unconditional risk is not monotone in rents (default values)."""
    p = {R: ag.StrategicMassKilling(resource_rents=R).solve()["p_mass_killing"] for R in (0.86, 0.87, 1.2, 2.0)}
    assert p[0.86] == 0.0
    assert (round(p[0.87], 6), round(p[1.2], 6), round(p[2.0], 6)) == (0.131757, 0.23818, 0.131544)
    assert ag.StrategicMassKilling(proportional_sharing=0.5).solve()["p_conflict"] == 0.0
