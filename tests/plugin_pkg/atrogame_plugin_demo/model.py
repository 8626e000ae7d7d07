"""A monitored perpetrator: violence pays ``g`` a unit, costs ``a²·c/2`` and is sanctioned when seen.

The perpetrator chooses the intensity ``a ≥ 0`` of violence to maximise
``g·a − c·a²/2 − d·s·a``, where ``d`` is the probability that a monitor detects the violence
and ``s`` the sanction per unit when it does. The best reply is ``a* = max((g − d·s)/c, 0)``:
detection and sanctions substitute for each other, and the perpetrator is deterred outright
when ``d·s ≥ g``. Written only against atrogame's public names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from atrogame import Model, Parameters, lever, outcome, param
from atrogame.core.parameters import POSITIVE, UNIT_OPEN


@dataclass(frozen=True, kw_only=True)
class MonitoredViolenceParams(Parameters):
    """Parameters of the monitored-violence model."""

    detection: float = param(0.3, symbol="d", interval=UNIT_OPEN, sweep_range=(0.05, 0.95),
                             long_name="probability that the monitor detects violence")
    sanction: float = param(1.0, symbol="s", interval=POSITIVE, sweep_range=(0.1, 5.0),
                            long_name="sanction per unit of detected violence", units="utility")
    gain: float = param(1.0, symbol="g", interval=POSITIVE, sweep_range=(0.1, 3.0),
                        long_name="perpetrator's gain per unit of violence", units="utility")
    cost: float = param(0.5, symbol="c", interval=POSITIVE, sweep_range=(0.1, 2.0),
                        long_name="curvature of the perpetrator's cost of violence", units="utility")


class MonitoredViolence(Model):
    """The perpetrator's violence a* = max((g − d·s)/c, 0) and payoff (g − d·s)²/(2c)."""

    name = "monitored_violence"
    citation = "atrogame plug-in demonstration model"
    reference = "A test fixture of the atrogame test suite (tests/plugin_pkg)."
    provenance = "original"
    Params = MonitoredViolenceParams
    outcomes = (
        outcome("violence", long_name="intensity of violence against civilians", symbol="a^*",
                role="harm", headline=True),
        outcome("perpetrator_payoff", long_name="perpetrator's payoff", symbol="U", role="utility",
                units="utility"),
    )
    regimes = ("deterred", "violent")
    levers = {  # noqa: RUF012 (a plain dict, as a model author writes it)
        "fact_finding": (lever("detection", direction=+1, step=0.1),),
        "naming_and_shaming": (lever("sanction", direction=+1, step=0.25),),
    }

    def kernel(self, v):
        d, s, g, c = (np.asarray(v[n], dtype=float) for n in ("detection", "sanction", "gain", "cost"))
        net = g - d * s
        a = np.maximum(net / c, 0.0)
        return {
            "violence": a,
            "perpetrator_payoff": np.where(net > 0, net**2 / (2 * c), 0.0),
            "regime": (net > 0).astype(np.int8),
        }

    def symbolic(self, of, eq):
        sym = MonitoredViolenceParams.symbols()
        d, s, g, c = sym["detection"], sym["sanction"], sym["gain"], sym["cost"]
        if eq.regime == "deterred":
            return 0 * g, None
        net = g - d * s
        return {"violence": net / c, "perpetrator_payoff": net**2 / (2 * c)}[of], None
