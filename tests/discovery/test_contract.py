"""Scenario discovery works on every model through the public contract (issue 15).

Only public names are used: ``Model.sample``, ``Model.default_priors``, ``Model.harm_outcome``,
``Model.parameter_meta``, ``Model.evaluate``, the registry and ``atrogame.testing.models``.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

import atrogame as ag
from atrogame.discovery import explain
from atrogame.testing.models import Toy

#: A tool that backfires in some but not all drawn situations of each registered model.
BACKFIRING_TOOL = {
    "anderton_brauer": "peace_operations",
    "fearon": "support_to_armed_groups",
    "kydd_straus": "naming_and_shaming",
    "mobilisation": "official_amnesty",
    "tactics": "naming_and_shaming",
    "penalizing_atrocities": "arms_embargo",
    "strategic_mass_killing": "minimum_standards",
}


def _recount(box, cols: dict, y: np.ndarray) -> tuple[float, float, float]:
    inside = np.ones(len(y), dtype=bool)
    for p in box.restricted:
        lo, hi = box.limits[p]
        inside &= (cols[p] >= lo) & (cols[p] <= hi)
    return y[inside].sum() / y.sum(), y[inside].mean(), inside.mean()


def test_every_registered_model_has_a_backfiring_tool_listed():
    """A new model must be added above, so the tests below cover it."""
    assert set(BACKFIRING_TOOL) == set(ag.model_ids())


@pytest.mark.parametrize("model_id", sorted(BACKFIRING_TOOL))
def test_explain_a_sample_of_every_model(model_id):
    """A sample from Model.sample with the model's default priors; the event: harm above its median."""
    m = ag.get_model(model_id)()
    harm, _ = m.harm_outcome()
    ds = m.sample(n=1500, seed=0)
    values = np.asarray(ds[harm].values)
    cut = float(np.nanmedian(values))
    d = explain(ds, f"{harm} > {cut!r}")
    # the inputs are the sampled parameters, named by their metadata
    assert d.inputs == tuple(json.loads(ds.attrs["priors"]))
    assert set(d.inputs) == set(m.default_priors())
    for p in d.inputs:
        assert d.parameter_label(p) == m.parameter_meta(p)["long_name"]
    y = values > cut
    assert d.n_events == int(y.sum()) and d.n == len(y)
    assert d.boxes, f"no box for {harm} above its median on {model_id}"
    b = d.boxes[0]
    cols = {p: np.asarray(ds[p].values) for p in d.inputs}
    assert (b.coverage, b.density, b.mass) == pytest.approx(_recount(b, cols, y), abs=1e-12)
    assert b.density > y.mean()  # the box is denser than the sample
    for p in b.restricted:
        assert m.parameter_meta(p)["long_name"] in d.rule(0)


@pytest.mark.parametrize(("model_id", "tool"), sorted(BACKFIRING_TOOL.items()))
def test_explain_a_backfire_on_every_model(model_id, tool):
    m = ag.get_model(model_id)()
    r = ag.tools.backfire(tool, m, n=3000, seed=0)
    assert 0 < r.probability < 1
    harm, direction = m.harm_outcome()
    assert r.outcome == harm
    # a backfire is a move of the harm outcome in its harmful direction
    assert np.all(direction * r.effects[r.backfired] > 0)
    assert np.all(direction * r.effects[~r.backfired] <= 1e-6)
    d = r.explain()
    assert d.event_name == "backfires" and d.n_events == int(r.backfired.sum())
    b = d.boxes[0]
    cov, dens, mass = _recount(b, r.draws, r.backfired)
    assert (b.coverage, b.density, b.mass) == pytest.approx((cov, dens, mass), abs=1e-12)
    long_harm = m.outcome_info(harm).long_name
    word = "raises" if direction > 0 else "lowers"
    assert d.rule(0).startswith(f"{ag.tools.get(tool).name} {word} {long_harm} mostly when ")
    # the same seed gives the same boxes
    again = ag.tools.backfire(tool, m, n=3000, seed=0).explain()
    assert again.boxes == d.boxes and again.selected == d.selected


def test_an_unregistered_model_takes_its_labels_from_the_instance():
    """testing.models.Toy is not in the registry: pass the instance (or its class) as ``model``."""
    m = Toy()
    assert "toy" not in ag.model_ids()
    ds = m.sample(n=2000, seed=1)
    with_model = explain(ds, "regime == corner", model=m)
    assert with_model.labels["benefit"]["long_name"] == m.parameter_meta("benefit")["long_name"] == "marginal benefit"
    assert "marginal benefit" in with_model.rule()
    assert explain(ds, "regime == corner", model=Toy).labels == with_model.labels
    # without it the labels come from the sample's own variable attributes
    bare = explain(ds, "regime == corner")
    assert bare.labels == with_model.labels and bare.boxes == with_model.boxes
    corner = np.asarray(ds["regime"].values) == Toy.regime_names.index("corner")
    assert with_model.n_events == int(corner.sum())
    # a plain table has no metadata: the model instance supplies it, else the ids are used
    table = {p: np.asarray(ds[p].values) for p in ("benefit", "curvature", "threshold")}
    assert explain(table, corner, model=m).labels == with_model.labels
    plain = explain(table, corner)
    assert plain.labels == {} and plain.boxes == with_model.boxes
    assert plain.parameter_label("benefit") == "benefit"
