"""The :class:`PenalizingAtrocities` model: penalizing atrocities versus fostering a balance of power.

After Kydd (2022), "Penalizing Atrocities", *International Organization*,
doi:10.1017/S0020818322000078. The game, its functional forms, the battle-sequence war and
every number are atrogame's own reconstruction from the published summaries, not the
author's model; see docs/explanation/penalizing_atrocities.md.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import numpy as np
import sympy as sp

from atrogame.core.contract import Lever, lever, outcome
from atrogame.core.errors import RegimeBoundaryWarning
from atrogame.core.results import Equilibrium, StaticsEntry
from atrogame.model import Model
from atrogame.models.penalizing_atrocities.closed_form import OUTCOMES, REGIMES, WAR_REGIMES, closed_form
from atrogame.models.penalizing_atrocities.numeric import COST_TIMINGS, Forms, solve_numeric
from atrogame.models.penalizing_atrocities.params import PenalizingAtrocitiesParams

__all__ = ["LEVERS", "NOT_REPRESENTED", "PenalizingAtrocities"]

#: Catalogue tool -> the parameters it moves in this model and the direction (+1 / -1).
LEVERS: Mapping[str, tuple[tuple[str, int], ...]] = {
    "support_to_armed_groups": (("aid_to_rebels", 1),),
    "security_assistance": (("government_strength", 1),),
    "targeted_sanctions": (("atrocity_penalty", 1),),
    "prosecutions": (("atrocity_penalty", 1),),
    "naming_and_shaming": (("atrocity_penalty", 1),),
    "diplomatic_sanctions": (("atrocity_penalty", 1),),
    "public_diplomacy": (("atrocity_penalty", 1),),
    "bilateral_diplomacy": (("atrocity_penalty", 1), ("cost_uncertainty", -1)),
    "multilateral_diplomacy": (("atrocity_penalty", 1), ("cost_uncertainty", -1)),
    "official_amnesty": (("atrocity_penalty", -1),),
    "military_intervention": (("atrocity_penalty", 1), ("atrocity_effectiveness", -1)),
    "arms_embargo": (("atrocity_effectiveness", -1),),
    "cyber_disruption": (("atrocity_effectiveness", -1),),
    "military_presence": (("atrocity_effectiveness", -1),),
    "peace_operations": (("atrocity_effectiveness", -1), ("atrocity_harm", -1)),
    "civilian_self_protection": (("atrocity_effectiveness", -1), ("atrocity_harm", -1)),
    "humanitarian_assistance": (("atrocity_harm", -1),),
    "refugee_protection": (("atrocity_harm", -1),),
    "comprehensive_sanctions": (("government_war_cost", 1),),
    "fact_finding": (("cost_uncertainty", -1), ("atrocity_penalty", 1)),
    "mediation": (("cost_uncertainty", -1),),
}
#: Catalogue tools this model does not represent (reported so, never as a zero effect).
NOT_REPRESENTED: tuple[str, ...] = ("development_assistance", "trade_incentives", "security_guarantees",
                                    "electoral_assistance")

_OUTCOMES = (
    outcome("atrocity_intensity", long_name="atrocity intensity per battle", symbol="a^*", units="intensity"),
    outcome("government_win_prob", long_name="government's probability of winning the war", symbol=r"\Pi^*",
            units="probability", role="probability"),
    outcome("battle_win_prob", long_name="government's probability of winning a battle", symbol="p_b^*",
            units="probability", role="probability"),
    outcome("expected_war_duration", long_name="expected number of battles, given war", symbol="E^*",
            units="battles", headline=True),
    outcome("atrocities_in_war", long_name="expected atrocities of a war", symbol="A^*",
            units="intensity x battles"),
    outcome("government_war_value", long_name="government's war value", symbol="W_G^*", role="utility",
            bounded=False),
    outcome("rebel_war_value", long_name="rebels' war value (excluding their cost)", symbol="V^*", role="utility",
            bounded=False),
    outcome("war_surplus_loss", long_name="surplus lost in war", symbol="S^*", bounded=False),
    outcome("offer", long_name="government's offer", symbol="x^*", units="share"),
    outcome("cutpoint", long_name="highest cost type that rebels", symbol=r"q\bar{C}", units="cost"),
    outcome("p_war", long_name="probability of war", symbol="q", units="probability", role="probability",
            headline=True),
    outcome("expected_atrocities", long_name="expected atrocities", symbol="q A^*", units="intensity x battles",
            role="harm", headline=True),
    outcome("expected_battles", long_name="expected number of battles", symbol="q E^*", units="battles"),
    outcome("expected_penalty", long_name="expected penalty paid", symbol=r"q \tau a^*", role="intervention_cost"),
    outcome("p_government_victory", long_name="probability of a government victory", symbol=r"q \Pi^*",
            role="probability"),
    outcome("p_rebel_victory", long_name="probability of a rebel victory", symbol=r"q (1 - \Pi^*)",
            role="probability"),
    outcome("government_utility", long_name="government's expected utility", symbol="U_G", role="utility",
            bounded=False),
    outcome("rebel_utility", long_name="rebels' ex-ante expected utility", symbol="U_R", role="utility",
            bounded=False),
    outcome("balance_aid", long_name="aid that brings the war to balance", symbol=r"\sigma_b", units="strength",
            bounded=False),
    outcome("deterrent_penalty", long_name="penalty that deters atrocities", symbol=r"\bar{\tau}",
            units="penalty", bounded=False),
)
assert tuple(o.name for o in _OUTCOMES) == OUTCOMES
#: Default step of each lever (per unit of tool intensity) and its scale.
_STEP: dict[str, tuple[float, str]] = {
    "aid_to_rebels": (0.5, "absolute"), "government_strength": (0.1, "relative"),
    "atrocity_penalty": (0.02, "absolute"), "cost_uncertainty": (0.1, "relative"),
    "atrocity_effectiveness": (0.1, "relative"), "atrocity_harm": (0.2, "relative"),
    "government_war_cost": (0.05, "absolute"),
}
_TOOL_LEVERS: dict[str, tuple[Lever, ...]] = {
    tool: tuple(lever(name, d, *_STEP[name]) for name, d in moves) for tool, moves in LEVERS.items()
}


def _coerce_forms(forms: Any) -> Forms | None:
    if forms is None or isinstance(forms, Forms):
        return forms
    if isinstance(forms, Mapping):
        return Forms.from_mapping(forms)
    raise TypeError(f"forms must be a Forms or a mapping of form names to expressions; got {type(forms).__name__}")


class PenalizingAtrocities(Model[PenalizingAtrocitiesParams]):
    """Penalizing atrocities versus fostering a balance of power in a civil war, after Kydd (2022).

    The government G offers the rebels R a share x of a unit prize; R, with a private cost
    of war c ~ U[0, C̄], accepts or fights; in war G picks an atrocity intensity a per
    battle for the whole campaign, and battles follow one another until one side leads by
    n. An intervener acts by rule: aid σ to the rebels (fostering a balance of power), a
    penalty τ per unit of intensity (penalizing atrocities), or a lower military benefit β
    of atrocities. Solved in closed form; see docs/explanation/penalizing_atrocities.md.
    The forms and numbers are atrogame's own reconstruction, not the author's.

    Parameters
    ----------
    params:
        A :class:`PenalizingAtrocitiesParams` (or give the fields as keywords).
    forms:
        Optional replaced forms (``strength``, ``win_prob``, ``atrocity_cost``,
        ``harm_per_battle``, ``duration``, ``type_distribution``); a ``Forms`` or a mapping.
        Replaced forms are solved numerically, point by point.
    cost_timing:
        ``"per_war"`` (default: intensity costs charged once per war; closed form) or
        ``"per_battle"`` (charged every battle; numeric only).

    Examples
    --------
    >>> eq = PenalizingAtrocities().solve()
    >>> eq.regime, eq.info["war_regime"], round(eq.p_war, 6), round(eq.expected_atrocities, 6)
    ('interior', 'atrocities', 0.349404, 0.943007)
    >>> round(PenalizingAtrocities(aid_to_rebels=2.0).solve().expected_war_duration, 6)
    4.0
    >>> cs = PenalizingAtrocities().comparative_statics(wrt="atrocity_penalty", of="p_war")
    >>> round(cs.value, 6)
    0.770073
    """

    name = "penalizing_atrocities"
    citation = "after Kydd (2022)"
    reference = ("Kydd, A. H. (2022). Penalizing atrocities. International Organization. "
                 "doi:10.1017/S0020818322000078")
    doi = "10.1017/S0020818322000078"
    Params = PenalizingAtrocitiesParams
    provenance = "reconstruction"
    outcomes = _OUTCOMES
    regimes = REGIMES
    war_regime_names = WAR_REGIMES
    #: The first is the harm outcome tool assessments use (expected atrocities; a rise is harm).
    default_statics_outcomes = ("expected_atrocities", "p_war", "expected_war_duration", "atrocity_intensity")
    #: Catalogue tool -> levers (parameter, direction, default step); see :data:`LEVERS`.
    levers: ClassVar[Mapping[str, tuple[Lever, ...]]] = _TOOL_LEVERS
    not_represented: ClassVar[tuple[str, ...]] = NOT_REPRESENTED
    #: Plausible situations for tool backfire analysis (wide uniform ranges, not estimates).
    priors: ClassVar[Mapping[str, tuple[float, float]]] = {
        "government_strength": (0.3, 3.0), "rebel_strength": (0.1, 2.0), "aid_to_rebels": (0.0, 2.0),
        "atrocity_effectiveness": (0.2, 2.0), "atrocity_cost": (0.05, 0.3), "atrocity_penalty": (0.0, 0.1),
        "atrocity_harm": (0.0, 0.05), "government_war_cost": (0.0, 0.2), "cost_uncertainty": (0.2, 1.0),
    }

    def __init__(self, params: PenalizingAtrocitiesParams | None = None, /, *, forms: Any = None,
                 cost_timing: str = "per_war", **overrides: float) -> None:
        super().__init__(params, **overrides)
        if cost_timing not in COST_TIMINGS:
            raise ValueError(f"cost_timing must be one of {', '.join(COST_TIMINGS)}; got {cost_timing!r}")
        self.forms = _coerce_forms(forms)
        self.cost_timing = cost_timing
        self._closed = (self.forms is None or self.forms.is_default()) and cost_timing == "per_war"
        if not self._closed:
            self.vectorised = False

    @property
    def has_closed_form(self) -> bool:
        """Whether the closed form applies (default forms, costs per war)."""
        return self._closed

    # ------------------------------------------------------------------ kernel / solve
    def kernel(self, values: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """The closed form (see :func:`.closed_form.closed_form`; large flat inputs: :mod:`.fast`)."""
        from atrogame.models.penalizing_atrocities.fast import kernel

        return kernel(values)

    def fused_kernel(self, values: Mapping[str, np.ndarray], wanted: Sequence[str]
                     ) -> tuple[Mapping[str, Any], Mapping[str, tuple[float, float]]] | None:
        # Large flat designs with the compiled path: the range check rides along the kernel's pass.
        if not self.vectorised:
            return None
        from atrogame.models.penalizing_atrocities.fast import kernel_checked

        return kernel_checked(values, wanted)

    def compute(self, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...], wanted: Any,
                progress: bool = False) -> tuple[dict[str, np.ndarray], list[Any]]:
        # Only the outputs asked for (the compiled path computes nothing else). The arrays were
        # validated by the caller (engine).
        if not self.vectorised:
            return super().compute(arrays, shape, wanted, progress=progress)
        from atrogame.models.penalizing_atrocities.fast import kernel

        out = kernel(self._full_values(arrays), wanted)
        return {w: np.broadcast_to(out[w], shape) for w in wanted}, []

    def solve(self, method: str = "auto") -> Equilibrium:
        """Solve: the closed form when it applies, the numeric solver otherwise.

        ``method`` is ``"auto"``, ``"closed_form"`` or ``"numeric"`` (an independent global
        search, also for the default forms, to cross-check the closed form).

        Examples
        --------
        >>> eq = PenalizingAtrocities(decisive_lead=3).solve(method="numeric")
        >>> eq.method, round(eq.expected_war_duration, 6)   # the battle war, from the absorbing chain
        ('numeric', 8.107924)
        """
        if method not in ("auto", "closed_form", "numeric"):
            raise ValueError(f"method must be 'auto', 'closed_form' or 'numeric' for {self.name}; got {method!r}")
        if method == "closed_form" and not self._closed:
            raise NotImplementedError(f"{self.name} has a closed form only for the default forms with costs per "
                                      "war; use method='numeric'")
        if method == "numeric" or not self._closed:
            return self.solve_numeric()
        values = {k: np.asarray(v, dtype=float) for k, v in self.parameter_values().items()}
        out = closed_form(values)
        return self._equilibrium_from(out, method="closed_form", war_regime=WAR_REGIMES[int(out["war_regime"])])

    def solve_numeric(self) -> Equilibrium:
        """The independent numeric solution (global search, absorbing chain, exact cdf)."""
        out = solve_numeric(self.params, self.forms, self.cost_timing)
        return Equilibrium(model=self.name, parameters=self._result_parameters(),
                           outcomes={k: float(out[k]) for k in OUTCOMES}, regime=out["regime"],
                           method="numeric", unique=not out["ties"],
                           info={"war_regime": out["war_regime"], "foc_residual": out["foc_residual"],
                                 "cost_timing": self.cost_timing})

    def predicates(self) -> dict[str, bool]:
        """The named sign conditions at this point (see :data:`.symbolic.PREDICATES`).

        Examples
        --------
        >>> PenalizingAtrocities(cost_uncertainty=0.8, atrocity_harm=0.04).predicates()["corner_penalty_backfire"]
        True
        """
        from atrogame.models.penalizing_atrocities.symbolic import predicates

        return {k: bool(v) for k, v in predicates(self.parameter_values()).items()}

    def default_priors(self) -> dict[str, tuple[float, float]]:
        """Default sampling ranges of the continuous parameters (``decisive_lead`` keeps its value)."""
        return {k: v for k, v in super().default_priors().items() if k != "decisive_lead"}

    def sensitivity_parameters(self) -> tuple[str, ...]:
        """Every continuous parameter (``decisive_lead`` is an integer; study it with a sweep)."""
        return tuple(k for k in self.parameter_values() if k != "decisive_lead")

    def compare_strategies(self) -> Any:
        """The two intervention strategies side by side at this point (a ``pandas.DataFrame``).

        See :func:`atrogame.models.penalizing_atrocities.compare.compare_strategies`.

        Examples
        --------
        >>> df = PenalizingAtrocities().compare_strategies()
        >>> list(df.columns)
        ['none', 'balance (half)', 'balance', 'penalty (half)', 'penalty']
        """
        from atrogame.models.penalizing_atrocities.compare import compare_strategies

        return compare_strategies(**self.parameter_values())

    def extra_attrs(self) -> dict[str, str]:
        return {"cost_timing": self.cost_timing, "doi": self.doi}

    # ------------------------------------------------------------------ statics
    def branch(self, eq: Equilibrium) -> Any:
        return (eq.info.get("war_regime"), eq.regime)

    def _step(self, wrt: str, rel_step: float) -> tuple[float, float]:
        if wrt == "decisive_lead":  # discrete: a forward difference n -> n + 1
            n = self.parameter_values()[wrt]
            return n, n + 1.0
        return super()._step(wrt, rel_step)

    def at_boundary(self, wrt: str, rel_step: float = 1e-7) -> bool:
        if wrt == "decisive_lead":
            return False  # n never changes the regime of the war stage; the difference is reported as is
        return super().at_boundary(wrt, rel_step)

    def _statics_entry(self, of: str, wrt: str, eq: Equilibrium) -> StaticsEntry:
        vals = self.parameter_values()
        y = eq[of]
        if wrt == "decisive_lead":  # forward difference: value at n + 1 minus value at n
            up = self.with_params(decisive_lead=vals[wrt] + 1.0).solve()[of]
            value = up - y
            sign = "zero" if value == 0 else ("positive" if value > 0 else "negative")
            return StaticsEntry(outcome=of, wrt=wrt, derivative=sp.Symbol(f"Delta_n_{of}"), sign=sign, value=value,
                                elasticity=None if y == 0 else value * vals[wrt] / y, regime=eq.regime)
        if not self._closed:
            raise NotImplementedError(f"symbolic comparative statics of {self.name} need the default forms with "
                                      "costs per war; use finite_difference")
        from atrogame.models.penalizing_atrocities.symbolic import CONTINUOUS, statics

        form = statics(of, wrt, int(vals["decisive_lead"]), eq.info["war_regime"], eq.regime)
        value = float(form.fn(*(vals[k] for k in CONTINUOUS)))
        elasticity = None if (y == 0 or not math.isfinite(value)) else value * vals[wrt] / y
        return StaticsEntry(outcome=of, wrt=wrt, derivative=form.derivative, sign=form.sign, value=value,
                            elasticity=elasticity, regime=eq.regime, boundary=self.at_boundary(wrt))

    def finite_difference(self, of: str, wrt: str, rel_step: float = 1e-6) -> tuple[float, bool]:
        if wrt != "decisive_lead":
            return super().finite_difference(of, wrt, rel_step)
        _, hi = self._step(wrt, rel_step)
        e_lo, e_hi = self.solve(), self.with_params(**{wrt: hi}).solve()
        crosses = self.branch(e_lo) != self.branch(e_hi)
        if crosses:
            warnings.warn(f"forward difference of {of} in {wrt} crosses a regime boundary", RegimeBoundaryWarning,
                          stacklevel=2)
        return e_hi[of] - e_lo[of], crosses

    @staticmethod
    def derivation() -> Any:
        """The game's named sympy expressions (see :func:`.symbolic.derivation`)."""
        from atrogame.models.penalizing_atrocities.symbolic import derivation

        return derivation()
