"""The :class:`StrategicMassKilling` model class (after Esteban, Morelli & Rohner 2015).

Functional forms and numbers are atrogame's own reconstruction; see
docs/explanation/strategic_mass_killing.md.

Examples
--------
>>> eq = StrategicMassKilling().solve()
>>> eq.regime, eq.info["opposition_regime"], eq.info["onset_regime"]
('interior', 'deterred', 'contested')
>>> round(eq["killing_share_incumbent"], 10), round(eq["p_conflict"], 10)
(0.3528571429, 0.3030633042)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import sympy as sp

from atrogame.core.contract import outcome
from atrogame.core.results import Equilibrium
from atrogame.model import Model
from atrogame.models.strategic_mass_killing.kernel import (
    KILLING_REGIMES,
    ONSET_REGIMES,
    OUTCOMES,
    predicates,
)
from atrogame.models.strategic_mass_killing.params import StrategicMassKillingParams
from atrogame.models.strategic_mass_killing.symbolic import derivation

__all__ = ["StrategicMassKilling"]

_P, _Q, _H, _U = "probability", "quantity", "harm", "utility"
_OUT = {
    "killing_share_incumbent": ("share of the opposition killed if the incumbent wins", "k_I^*", "share", _H),
    "killing_share_opposition": ("share of the incumbent group killed if the opposition wins", "k_O^*", "share", _Q),
    "victims_if_incumbent_wins": ("victims if the incumbent wins", "v_I^*", "population share", _Q),
    "victims_if_opposition_wins": ("victims if the opposition wins", "v_O^*", "population share", _Q),
    "value_per_victim": ("net strategic value of a victim to the group in power", "m", "income units", _Q),
    "killing_gain_incumbent": ("incumbent's net gain from its campaign", "G_I^*", "income units", _U),
    "killing_gain_opposition": ("opposition's net gain from its campaign", "G_O^*", "income units", _U),
    "prize_of_power": ("prize of power", r"\Pi", "income units", _Q),
    "stake_incumbent": ("incumbent's stake in the conflict", "V_I", "income units", _U),
    "stake_opposition": ("opposition's stake in the conflict", "V_O", "income units", _U),
    "effort_incumbent": ("incumbent's fighting effort", "E_I", "labour units", _Q),
    "effort_opposition": ("opposition's fighting effort", "E_O", "labour units", _Q),
    "conflict_intensity": ("conflict intensity", "E_I + E_O", "labour units", _Q),
    "win_prob_incumbent": ("probability the incumbent wins", "P_I", "probability", _P),
    "challenge_gain": ("opposition's expected gain from challenging", "G", "income units", _U),
    "p_conflict": ("probability of conflict", "q", "probability", _P),
    "p_mass_killing_given_conflict": ("probability of mass killing given conflict", r"P(\mathrm{mk}|\mathrm{war})",
                                      "probability", _P),
    "p_mass_killing": ("probability of mass killing", r"P(\mathrm{mk})", "probability", _P),
    "deaths_given_conflict": ("expected victims given conflict", r"E[v|\mathrm{war}]", "population share", _Q),
    "expected_deaths": ("expected mass-killing victims", "E[v]", "population share", _Q),
    "welfare_loss": ("expected welfare loss (lives valued at lost income plus D)", "WL", "income units", _Q),
    "deterrent_cap": ("deterrent cap (the incumbent kills iff the cap exceeds it)", r"\hat{v}", "population share",
                      _Q),
    "deterrent_sanction": ("deterrent sanction (the incumbent kills iff the sanction is below it)", r"\hat{\tau}",
                           "income units", _Q),
}
_HEADLINE = {"killing_share_incumbent", "p_conflict", "expected_deaths"}


class StrategicMassKilling(Model[StrategicMassKillingParams]):
    """Strategic mass killing: conflict, then a winner's decision to kill (after Esteban, Morelli & Rohner 2015).

    An opposition O, with a private cost of challenging ε ~ U[0, ε̄], decides whether to challenge
    the incumbent group I; a challenge is a ratio contest in efforts; the winner chooses a death
    toll among the loser, because each victim frees per-capita rent entitlements and weakens a
    future challenger. Functional forms and numbers are atrogame's own reconstruction (the
    published model is dynamic); see docs/explanation/strategic_mass_killing.md.

    ``regime`` is the incumbent's killing regime; ``eq.info`` also holds ``opposition_regime``,
    ``onset_regime``, ``base_stake``, ``loss_per_victim``, ``effort_exceeds_population`` and the
    named predicates (``cap_backfire`` etc.).

    Parameters
    ----------
    params:
        A :class:`StrategicMassKillingParams` (or give the fields as keywords).
    forms:
        ``"default"`` (closed form) or ``"size_ratio"`` (entitlements and the future challenge
        over survivors; solved numerically, point by point).

    Examples
    --------
    >>> m = StrategicMassKilling(killing_cap=0.1)
    >>> eq = m.solve()
    >>> eq.regime, eq.info["cap_backfire"]
    ('capped', False)
    >>> m.comparative_statics(wrt="power_sharing", of="killing_share_incumbent").entries[0].sign
    'zero'
    >>> StrategicMassKilling().comparative_statics(wrt="power_sharing", of="killing_share_incumbent").entries[0].sign
    'negative'
    """

    name = "strategic_mass_killing"
    citation = "after Esteban, Morelli & Rohner (2015)"
    # No DOI: it could not be verified offline; journal, volume, issue and pages identify the article.
    reference = ("Esteban, J., Morelli, M., & Rohner, D. (2015). Strategic mass killings. Journal of Political "
                 "Economy 123(5), 1087-1132.")
    provenance = "reconstruction"
    Params = StrategicMassKillingParams
    outcomes = tuple(outcome(k, long_name=v[0], symbol=v[1], units=v[2], role=v[3], headline=k in _HEADLINE,
                             bounded=k not in ("challenge_gain",)) for k, v in _OUT.items())
    regimes = KILLING_REGIMES
    default_statics_outcomes = ("killing_share_incumbent", "p_conflict", "expected_deaths")
    #: the named sympy expressions of the model (payoffs, per-victim values, thresholds, contest, statics)
    derivation = staticmethod(derivation)

    def __init__(self, params: StrategicMassKillingParams | None = None, /, *, forms: str = "default",
                 **overrides: float) -> None:
        super().__init__(params, **overrides)
        if forms not in ("default", "size_ratio"):
            raise ValueError(f"forms must be 'default' or 'size_ratio'; got {forms!r}")
        self.forms = forms
        if forms != "default":
            self.vectorised = False

    def kernel(self, values: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """The closed form (see :func:`atrogame.models.strategic_mass_killing.kernel.closed_form`).

        Large flat inputs take the compiled loop when numba is installed
        (:func:`atrogame.models.strategic_mass_killing.fast.kernel`); the numbers are the same.
        """
        from atrogame.models.strategic_mass_killing.fast import kernel

        return kernel(values)

    def fused_kernel(self, values: Mapping[str, np.ndarray], wanted: Sequence[str]
                     ) -> tuple[Mapping[str, Any], Mapping[str, tuple[float, float]]] | None:
        # Large flat designs with the compiled path: the range check rides along the kernel's pass.
        if not self.vectorised:
            return None
        from atrogame.models.strategic_mass_killing.fast import kernel_checked

        return kernel_checked(values, wanted)

    def compute(self, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...], wanted: Any,
                progress: bool = False) -> tuple[dict[str, np.ndarray], list[Any]]:
        # Only the outputs asked for are written by the compiled loop; the arrays were validated by the caller.
        if not self.vectorised:
            return super().compute(arrays, shape, wanted, progress=progress)
        from atrogame.models.strategic_mass_killing.fast import kernel

        out = kernel(self._full_values(arrays), wanted)
        return {w: np.broadcast_to(out[w], shape) for w in wanted}, []

    def solve(self, method: str = "auto") -> Equilibrium:
        """Solve: the closed form (default forms) or the numeric solver (``method="numeric"`` or size-ratio forms)."""
        if self.forms != "default":
            if method == "closed_form":
                raise NotImplementedError("the size_ratio forms have no closed form; use method='numeric'")
            return self.solve_numeric()
        eq = super().solve(method)
        if eq.method == "numeric":
            return eq
        info = dict(eq.info)
        info["opposition_regime"] = KILLING_REGIMES[int(info["opposition_regime"])]
        info["onset_regime"] = ONSET_REGIMES[int(info["onset_regime"])]
        info["effort_exceeds_population"] = bool(info["effort_exceeds_population"])
        values = self.parameter_values()
        info.update({k: bool(v) for k, v in predicates(values).items()})
        return dataclasses.replace(eq, info=info)

    def solve_numeric(self) -> Equilibrium:
        """The independent numeric solution from the primitive payoffs (grid + Brent, contest root, quadrature)."""
        from atrogame.models.strategic_mass_killing.numeric import solve_numeric

        out = solve_numeric(self.params, self.forms)
        return Equilibrium(model=self.name, parameters=self.parameter_values(),
                           outcomes={k: float(out[k]) for k in OUTCOMES}, regime=out["regime"], method="numeric",
                           unique=True, info={"opposition_regime": out["opposition_regime"],
                                              "onset_regime": out["onset_regime"], "forms": self.forms})

    def extra_attrs(self) -> dict[str, str]:
        return {"forms": self.forms}

    def branch(self, eq: Equilibrium) -> Any:
        return (eq.regime, eq.info.get("opposition_regime"), eq.info.get("onset_regime"))

    def symbolic(self, of: str, eq: Equilibrium) -> tuple[sp.Expr, sp.Expr | None]:
        """The outcome on the branch (incumbent regime, opposition regime, onset regime) holding at ``eq``."""
        from atrogame.models.strategic_mass_killing.symbolic import branch_outcome

        if self.forms != "default":
            raise NotImplementedError("symbolic statics need the default forms; use finite_difference")
        if eq["stake_incumbent"] + eq["stake_opposition"] == 0.0:
            # no prize and no killing: the contest is degenerate and every outcome is locally constant
            return sp.Float(eq[of]), None
        return branch_outcome(of, self.branch(eq)), None

    #: derivatives with more sympy operations than this are reported "ambiguous" without a proof attempt:
    #: proving the sign of the contest and onset outcomes' derivatives takes sympy minutes and, in general,
    #: they are not signed (only the killing share is; see the docs page), while tools.assess needs them fast
    sign_max_ops = 60

    def sign(self, of: str, wrt: str, eq: Equilibrium, derivative: sp.Expr) -> str:
        from atrogame.models.strategic_mass_killing.symbolic import sign_on_domain

        if sp.count_ops(derivative) > self.sign_max_ops:
            return "ambiguous"
        return sign_on_domain(derivative)
