"""StrategicMassKilling on the public model contract: conformance, solve, numeric, sweeps."""

from __future__ import annotations

import numpy as np
import pytest
from smk_spec_values import CASES

from atrogame.models.strategic_mass_killing import StrategicMassKilling
from atrogame.testing import check_model


def test_check_model():
    report = check_model(StrategicMassKilling)
    assert report.passed, report


@pytest.mark.parametrize("case", ["T1", "T2", "T5", "T12", "T14", "T16"])
def test_solve_and_numeric(case):
    changes, values, regimes = CASES[case]
    m = StrategicMassKilling(**changes)
    eq, num = m.solve(), m.solve(method="numeric")
    assert (eq.regime, eq.info["opposition_regime"], eq.info["onset_regime"]) == regimes
    assert (num.regime, num.info["opposition_regime"], num.info["onset_regime"]) == regimes
    for k, v in values.items():
        assert eq[k] == pytest.approx(v, abs=1e-8) and num[k] == pytest.approx(v, abs=2e-7)


def test_sweep_and_attribution():
    m = StrategicMassKilling()
    ds = m.sweep(killing_cap=np.array([0.0, 0.04, 0.1, 1.0]))
    assert list(m.regime_label(ds["regime"].values)) == ["cap_deterred", "cap_deterred", "capped", "interior"]
    assert m.citation == "after Esteban, Morelli & Rohner (2015)"
    # the venue is the Journal of Political Economy; no DOI is given because none could be verified
    assert "Journal of Political Economy 123(5), 1087-1132" in m.reference and "doi" not in m.reference.lower()
    assert m.provenance == "reconstruction"


def test_size_ratio_forms():
    m = StrategicMassKilling(forms="size_ratio", killing_fixed_cost=0.005)
    assert m.solve()["killing_share_incumbent"] == pytest.approx(0.22757175, abs=2e-7)
    with pytest.raises(ValueError, match="forms"):
        StrategicMassKilling(forms="other")


def test_statics_signs_at_defaults():
    cs = StrategicMassKilling().comparative_statics(
        wrt=["resource_rents", "power_sharing", "productivity", "sanction_per_victim"], of="killing_share_incumbent")
    signs = {e.wrt: e.sign for e in cs.entries}
    assert signs == {"resource_rents": "positive", "power_sharing": "negative", "productivity": "negative",
                     "sanction_per_victim": "negative"}
    for e in cs.entries:
        fd, _ = StrategicMassKilling().finite_difference("killing_share_incumbent", e.wrt)
        assert e.value == pytest.approx(fd, rel=1e-5, abs=1e-9)

# The tools' lever table (every tool, at T1 and T2) is tested in tests/tools/test_smk_tools.py.
