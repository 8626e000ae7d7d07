"""Crisis bargaining with a privately informed responder, after Fearon (1995).

Two states, A and B, dispute a good of size 1. A **demands** a settlement ``x ∈ [0, 1]``
(A keeps ``x``, B receives ``1 − x``) in a take-it-or-leave-it proposal. If B rejects, they
fight: A wins with probability ``p``, so a war gives A the lottery ``p − c_A`` and B
``1 − p − c_B``. A's cost of war ``c_A`` is common knowledge; B's cost ``c_B`` is B's private
information, distributed with CDF ``F`` on ``[a, b]`` (uniform by default). B accepts iff

.. math:: 1 - x \\ge 1 - p - c_B \\iff c_B \\ge x - p ,

so A chooses its **demand premium** ``y = x − p`` in the trade-off between a better deal and a
higher risk of war. With uniform types the optimum is

* ``risky_offer``: ``x* = p + (b − c_A)/2`` and ``P(war) = (b − c_A − 2a)/(2(b − a))`` when
  ``c_A < b − 2a`` (A risks war against the most resolved types);
* ``safe_offer``: ``x* = p + a`` and ``P(war) = 0`` when ``c_A ≥ b − 2a`` (A buys off every
  type);

plus two corners atrogame adds so that the demand stays a division of the good (``x* ≤ 1``):

* ``capped_risky``: the risky demand would exceed 1 (``p + (b − c_A)/2 > 1 > p + a``), so A
  demands everything, ``x* = 1``, and B's low-cost types fight: ``P(war) = (1 − p − a)/(b − a)``;
* ``capped_safe``: ``p + a ≥ 1``, so even B's least resolved type prefers nothing to war:
  ``x* = 1`` and ``P(war) = 0``.

(``x* ≥ 0`` always holds because ``p ≥ 0`` and ``a ≥ 0``.) The closed form is evaluated by
:func:`atrogame.solvers.bargaining.uniform_offer`; any other type distribution (a frozen
``scipy.stats`` distribution with support inside ``[a, b]``) is solved numerically by
:func:`atrogame.solvers.bargaining.optimal_offer`.

This is atrogame's reconstruction: the notation follows Fearon (1995), the corner regimes,
defaults and numbers are atrogame's own.

References
----------
Fearon, J. D. (1995). Rationalist explanations for war. *International Organization* 49(3),
379–414. doi:10.1017/S0020818300033324

Examples
--------
>>> eq = Fearon(win_prob_a=0.5, cost_a=0.1, cost_b_low=0.05, cost_b_high=0.45).solve()
>>> eq.regime, round(eq.offer, 6), round(eq.p_war, 6)
('risky_offer', 0.675, 0.3125)
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import sympy as sp

from atrogame.core.contract import outcome
from atrogame.core.errors import ParameterError
from atrogame.core.parameters import NONNEGATIVE, POSITIVE, UNIT_CLOSED, Parameters, param
from atrogame.core.results import Equilibrium
from atrogame.core.symbolic import Derivation, decide_sign
from atrogame.model import Model

__all__ = ["REGIMES", "Fearon", "FearonParams"]

#: Regime labels; ``regime`` codes index this tuple.
REGIMES: tuple[str, ...] = ("safe_offer", "risky_offer", "capped_risky", "capped_safe")
SAFE, RISKY, CAPPED_RISKY, CAPPED_SAFE = range(4)


@dataclass(frozen=True, kw_only=True)
class FearonParams(Parameters):
    """Parameters of :class:`Fearon` (after Fearon 1995).

    ``cost_b_low < cost_b_high`` is required (a joint check naming ``cost_b_high``).

    Examples
    --------
    >>> FearonParams(cost_b_low=0.3, cost_b_high=0.2)
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: cost_b_high must be in (cost_b_low, inf) = (0.3, inf); got 0.2
    """

    model_name: ClassVar[str] = "fearon"

    win_prob_a: float = param(
        0.5, symbol="p", latex="p", interval=UNIT_CLOSED,
        long_name="probability that A wins a war (A's expected share)", sweep_range=(0.0, 1.0),
        doc="A's war lottery is p − c_A, B's is 1 − p − c_B.")
    cost_a: float = param(
        0.1, symbol="c_A", latex="c_A", interval=POSITIVE, long_name="A's cost of war",
        sweep_range=(0.005, 0.5), doc="Common knowledge; positive, as in Fearon (1995).")
    cost_b_low: float = param(
        0.05, symbol="a", latex="a", interval=NONNEGATIVE, long_name="lowest possible cost of war for B",
        sweep_range=(0.0, 0.3), doc="Lower end of the support of B's private cost c_B.")
    cost_b_high: float = param(
        0.45, symbol="b", latex="b", interval=POSITIVE, long_name="highest possible cost of war for B",
        sweep_range=(0.3, 1.0), doc="Upper end of the support of B's private cost c_B; must exceed a "
        "(its sweep range starts where a's ends, so default samples respect a < b).")

    def check_joint(self) -> None:
        if not self.cost_b_high > self.cost_b_low:
            raise ParameterError("cost_b_high", f"(cost_b_low, inf) = ({self.cost_b_low:g}, inf)", self.cost_b_high)

    @classmethod
    def joint_bounds(cls, name: str, values: Mapping[str, Any]) -> tuple[Any, Any] | None:
        if name == "cost_b_high":
            return np.asarray(values["cost_b_low"], dtype=float), math.inf
        if name == "cost_b_low":
            return -math.inf, np.asarray(values["cost_b_high"], dtype=float)
        return None

    @classmethod
    def joint_holds_on_box(cls, box: Mapping[str, tuple[float, float]]) -> bool:
        # a < b at every point when the largest a is below the smallest b
        lo, hi = box.get("cost_b_low"), box.get("cost_b_high")
        return lo is not None and hi is not None and bool(hi[0] > lo[1])

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, Any]) -> None:
        lo = np.asarray(values["cost_b_low"], dtype=float)
        hi = np.asarray(values["cost_b_high"], dtype=float)
        bad = ~(hi > lo)
        if bad.any():
            lo_b, hi_b = np.broadcast_arrays(lo, hi)
            i = np.flatnonzero(bad.ravel())[0]
            detail = f"{int(bad.sum())} of {bad.size} combinations invalid" if bad.size > 1 else None
            raise ParameterError("cost_b_high", f"(cost_b_low, inf) = ({float(lo_b.ravel()[i]):g}, inf)",
                                 float(hi_b.ravel()[i]), detail)


# ---------------------------------------------------------------------- symbolic derivation
@functools.cache
def _derive() -> dict[str, Any]:
    """Sympy closed forms per regime (derived once per process)."""
    s = FearonParams.symbols()
    p, cA, a, b = s["win_prob_a"], s["cost_a"], s["cost_b_low"], s["cost_b_high"]
    premia = {"safe_offer": a, "risky_offer": (b - cA) / 2, "capped_risky": 1 - p, "capped_safe": 1 - p}
    out: dict[str, dict[str, sp.Expr]] = {}
    for reg, y in premia.items():
        war = reg in ("risky_offer", "capped_risky")
        q = (y - a) / (b - a) if war else sp.Integer(0)
        x = p + y
        ec = (y**2 - a**2) / (2 * (b - a)) if war else sp.Integer(0)  # E[c_B; c_B < y]
        out[reg] = {
            "offer": sp.simplify(x),
            "p_war": sp.simplify(q),
            "utility_a": sp.expand((1 - q) * x + q * (p - cA)),
            "utility_b": sp.expand((1 - q) * (1 - x) + q * (1 - p) - ec),
        }
    return out


@functools.cache
def derivation() -> Derivation:
    """Fearon's named sympy expressions for the docs (acceptance rule, closed forms, statics).

    Examples
    --------
    >>> d = derivation()
    >>> d["dp_war_dcost_a"]
    -1/(2*(cost_b_high - cost_b_low))
    >>> d.latex("risky_condition")
    'c_A < b - 2 a'
    """
    s = FearonParams.symbols()
    p, cA, a, b = s["win_prob_a"], s["cost_a"], s["cost_b_low"], s["cost_b_high"]
    x, cB = sp.Symbol("x", real=True), sp.Symbol("c_B", nonnegative=True)
    y = x - p
    F = (y - a) / (b - a)
    br = _derive()
    risky = br["risky_offer"]
    expressions = {
        "acceptance": sp.Ge(cB, x - p),
        "proposer_payoff": sp.Eq(sp.Function("U_A")(x), (1 - F) * x + F * (p - cA)),
        "first_order_condition": sp.Eq(sp.expand(sp.simplify(sp.diff((1 - F) * x + F * (p - cA), x) * (b - a))), 0),
        "offer_risky": risky["offer"],
        "p_war_risky": sp.factor(risky["p_war"]),
        "offer_safe": br["safe_offer"]["offer"],
        "risky_condition": sp.Lt(cA, b - 2 * a),
        "dp_war_dcost_a": sp.factor(sp.diff(risky["p_war"], cA)),
        "dp_war_dcost_b_high": sp.factor(sp.diff(risky["p_war"], b)),
        "dp_war_dwin_prob_a": sp.diff(risky["p_war"], p),
        "p_war_capped": sp.factor(br["capped_risky"]["p_war"]),
    }
    descriptions = {
        "acceptance": "B accepts the demand x iff its cost of war is at least x − p",
        "proposer_payoff": "A's expected utility of demand x, uniform types (a ≤ x − p ≤ b)",
        "first_order_condition": "A's first-order condition (times b − a)",
        "offer_risky": "A's demand in the risky_offer regime",
        "p_war_risky": "probability of war in the risky_offer regime",
        "offer_safe": "A's demand in the safe_offer regime",
        "risky_condition": "condition for the risky_offer regime",
        "dp_war_dcost_a": "∂P(war)/∂c_A in the risky_offer regime",
        "dp_war_dcost_b_high": "∂P(war)/∂b in the risky_offer regime",
        "dp_war_dwin_prob_a": "∂P(war)/∂p in the risky_offer regime (zero)",
        "p_war_capped": "probability of war in the capped_risky regime",
    }
    names = {s[k]: FearonParams.meta(k)["latex"] for k in s}
    names.update({x: "x", cB: "c_B"})
    return Derivation("fearon", expressions, descriptions, names)


# ---------------------------------------------------------------------- the model
class Fearon(Model[FearonParams]):
    """Crisis bargaining with private information about B's cost of war, after Fearon (1995).

    A demands ``x`` (its share of a unit good); B, whose cost of war ``c_B`` is private,
    accepts iff ``c_B ≥ x − p``. See :mod:`atrogame.models.fearon` for the regimes.

    Parameters
    ----------
    params:
        A :class:`FearonParams` (or give the fields as keywords).
    type_distribution:
        Optional frozen continuous ``scipy.stats`` distribution of ``c_B`` whose support lies
        in ``[cost_b_low, cost_b_high]``. Default ``None``: uniform on that interval, solved
        in closed form. With a distribution the model is solved numerically
        (``method="numeric"``), point by point in sweeps, and symbolic comparative statics
        are not available (use :meth:`finite_difference`).
    **overrides:
        Parameter values.

    Notes
    -----
    Outcomes: ``offer`` (A's demand x*, its share; B receives 1 − x*), ``p_war``, ``utility_a`` and
    ``utility_b`` (ex-ante expected utilities, B's before it learns its type).

    Examples
    --------
    >>> m = Fearon()
    >>> eq = m.solve()
    >>> eq.regime, round(eq.offer, 4), round(eq.p_war, 4)
    ('risky_offer', 0.675, 0.3125)
    >>> m.comparative_statics(wrt="cost_a", of="p_war").value   # −1/(2(b − a))
    -1.25
    >>> Fearon(cost_a=0.5).solve().regime
    'safe_offer'
    >>> from scipy import stats
    >>> eq = Fearon(type_distribution=stats.beta(2, 2, loc=0.05, scale=0.4)).solve()
    >>> eq.method, eq.regime, bool(0 < eq.p_war < 1)
    ('numeric', 'risky_offer', True)
    """

    name = "fearon"
    citation = "after Fearon (1995)"
    reference = ("Fearon, J. D. (1995). Rationalist explanations for war. International Organization "
                 "49(3), 379-414. doi:10.1017/S0020818300033324")
    Params = FearonParams
    outcomes = (
        outcome("offer", long_name="A's demand (share of the good)", symbol="x^*", headline=True),
        outcome("p_war", long_name="probability of war", symbol=r"P(\mathrm{war})", role="harm", headline=True),
        outcome("utility_a", long_name="A's expected utility", symbol="U_A", role="utility"),
        outcome("utility_b", long_name="B's ex-ante expected utility", symbol="U_B", role="utility"),
    )
    regimes = REGIMES
    provenance = "reconstruction"
    default_statics_outcomes = ("offer", "p_war")

    def __init__(self, params: FearonParams | None = None, /, *, type_distribution: Any = None,
                 **overrides: float) -> None:
        super().__init__(params, **overrides)
        self.type_distribution = type_distribution
        if type_distribution is not None:
            self.vectorised = False  # instance attribute: sweeps solve point by point
            self._check_distribution()

    def _check_distribution(self) -> None:
        dist = self.type_distribution
        if not (hasattr(dist, "cdf") and hasattr(dist, "support")):
            raise ParameterError("type_distribution", "frozen continuous scipy.stats distributions", dist)
        lo, hi = (float(t) for t in dist.support())
        a, b = self.params.cost_b_low, self.params.cost_b_high
        tol = 1e-12 * max(1.0, abs(b))
        if not (lo >= a - tol and hi <= b + tol):
            raise ParameterError("type_distribution", f"distributions supported in [cost_b_low, cost_b_high] = "
                                 f"[{a:g}, {b:g}]", f"support [{lo:g}, {hi:g}]")

    def with_params(self, **changes: float) -> Fearon:
        new = super().with_params(**changes)
        if new.type_distribution is not None:
            new._check_distribution()
        return new

    # ------------------------------------------------------------------ kernel
    def fused_kernel(self, values: Mapping[str, np.ndarray], wanted: Sequence[str]
                     ) -> tuple[Mapping[str, Any], Mapping[str, tuple[float, float]]] | None:
        # Large flat designs with the compiled path: the range check rides along the kernel's pass.
        from atrogame.models.fearon.fast import kernel_checked

        names = ("win_prob_a", "cost_a", "cost_b_low", "cost_b_high")
        done = kernel_checked([values[k] for k in names])
        if done is None:
            return None
        out, (mn, mx) = done
        return out, {k: (float(mn[j]), float(mx[j])) for j, k in enumerate(names)}

    def kernel(self, v: Mapping[str, Any]) -> dict[str, np.ndarray]:
        from atrogame.models.fearon.fast import kernel

        # uniform_offer(v=1 − p, w=p − c_A, pie=1, low=a, high=b, offer_min=0) then _from_solution,
        # fused, without validating the (already validated) parameters again
        return kernel(v["win_prob_a"], v["cost_a"], v["cost_b_low"], v["cost_b_high"])

    @staticmethod
    def _from_solution(sol: Any, p: Any, a: Any) -> dict[str, np.ndarray]:
        # Regimes from the solution itself (war risk, demand at the cap), so the closed-form and
        # numeric paths label alike whatever the solver's own labels.
        offer = 1.0 - np.asarray(sol.offer, dtype=float)
        q = np.asarray(sol.p_war, dtype=float)
        war = q > 0.0
        at_cap = offer >= 1.0 - 1e-12
        capped = np.asarray(p + a, dtype=float) >= 1.0
        regime = np.select([war & at_cap, war, capped], [CAPPED_RISKY, RISKY, CAPPED_SAFE], SAFE).astype(np.int8)
        return {"offer": offer, "p_war": q, "utility_a": np.asarray(sol.proposer_utility, dtype=float),
                "utility_b": np.asarray(sol.responder_utility, dtype=float), "regime": regime}

    # ------------------------------------------------------------------ solve
    def solve(self, method: str = "auto") -> Equilibrium:
        """Solve: the closed form for uniform types, the numeric bargaining solver otherwise.

        Parameters
        ----------
        method:
            ``"auto"`` (closed form if uniform, else numeric), ``"closed_form"`` (uniform
            only) or ``"numeric"`` (the numeric solver, also for uniform types, e.g. to
            cross-check the closed form).

        Examples
        --------
        >>> eq = Fearon().solve(method="numeric")
        >>> eq.method, round(eq.offer, 6), round(eq.p_war, 6)
        ('numeric', 0.675, 0.3125)
        """
        if method not in ("auto", "closed_form", "numeric"):
            raise ValueError(f"method must be 'auto', 'closed_form' or 'numeric' for fearon; got {method!r}")
        if method == "closed_form" and self.type_distribution is not None:
            raise NotImplementedError("fearon has a closed form only for uniform types; "
                                      "use method='numeric' (or 'auto') with type_distribution")
        if method == "numeric" or self.type_distribution is not None:
            return self.solve_numeric()
        return super().solve(method="auto")

    def solve_numeric(self) -> Equilibrium:
        from scipy import stats

        from atrogame.solvers.bargaining import optimal_offer

        pr = self.params
        dist = self.type_distribution
        if dist is None:
            dist = stats.uniform(pr.cost_b_low, pr.cost_b_high - pr.cost_b_low)
        sol = optimal_offer(v=1.0 - pr.win_prob_a, w=pr.win_prob_a - pr.cost_a, pie=1.0, dist=dist,
                            offer_min=0.0, offer_max=1.0)
        out = self._from_solution(sol, pr.win_prob_a, pr.cost_b_low)
        bad = {k: float(out[k]) for k in self.outcome_names if not np.isfinite(out[k])}
        if bad:  # a failure, never a silent inf/NaN: sweeps record it as a failed point
            raise FloatingPointError(
                f"fearon's numeric solver found no finite {', '.join(bad)} ({bad}) with type distribution "
                f"{_dist_name(self.type_distribution)}; see docs/explanation/fearon_and_mobilisation.md")
        return self._equilibrium_from(out, method="numeric", distribution=_dist_name(self.type_distribution))

    # ------------------------------------------------------------------ statics
    def symbolic(self, of: str, eq: Equilibrium) -> tuple[sp.Expr, sp.Expr | None]:
        if self.type_distribution is not None:
            raise NotImplementedError("symbolic comparative statics of fearon need uniform types; "
                                      "use finite_difference with type_distribution")
        return _derive()[eq.regime][of], None

    def sign(self, of: str, wrt: str, eq: Equilibrium, derivative: sp.Expr) -> str:
        # Conditions sympy cannot see: b > a always (write b = a + w, w > 0), and the regime's
        # own condition (risky_offer: c_A < b − 2a; capped_risky: p + a < 1). Each substitution
        # is valid throughout the branch, so any sign proven under one of them holds there.
        s = self._symbols()
        p, cA, a, b = (s[k] for k in ("win_prob_a", "cost_a", "cost_b_low", "cost_b_high"))
        w, k = sp.Symbol("w", positive=True), sp.Symbol("k", positive=True)
        subs: list[dict[Any, Any]] = [{b: a + w}]
        if eq.regime == "risky_offer":
            subs.append({b: cA + 2 * a + k})
        elif eq.regime == "capped_risky":
            subs.append({b: a + w, p: 1 - a - k})
        sign = "ambiguous"
        for sub in subs:
            sign = decide_sign(sp.simplify(derivative.subs(sub)))
            if sign != "ambiguous":
                break
        return sign

    def extra_attrs(self) -> dict[str, str]:
        return {"type_distribution": _dist_name(self.type_distribution)}

    def bargaining_range(self) -> dict[str, float]:
        """The points of Fearon's bargaining-range diagram, on A's share of the good.

        Returns ``p``, A's reservation ``p − c_A``, the demands every type of B accepts
        (up to ``p + a``) and that only the most resolved type accepts (up to ``p + b``),
        clipped to [0, 1], and A's equilibrium demand ``offer``.

        Examples
        --------
        >>> r = Fearon().bargaining_range()
        >>> round(r["a_reservation"], 6), round(r["b_accepts_all_types"], 6), round(r["offer"], 6)
        (0.4, 0.55, 0.675)
        """
        pr = self.params
        eq = self.solve()
        return {
            "p": pr.win_prob_a,
            "a_reservation": max(0.0, pr.win_prob_a - pr.cost_a),
            "b_accepts_all_types": min(1.0, pr.win_prob_a + pr.cost_b_low),
            "b_accepts_highest_type": min(1.0, pr.win_prob_a + pr.cost_b_high),
            "offer": eq.offer,
            "p_war": eq.p_war,
        }

    derivation = staticmethod(derivation)


def _dist_name(dist: Any) -> str:
    if dist is None:
        return "uniform"
    name = getattr(getattr(dist, "dist", None), "name", type(dist).__name__)
    args = ", ".join(f"{a:g}" if isinstance(a, int | float) else str(a) for a in getattr(dist, "args", ()))
    kwds = ", ".join(f"{k}={v:g}" if isinstance(v, int | float) else f"{k}={v}"
                     for k, v in getattr(dist, "kwds", {}).items())
    return f"{name}({', '.join(t for t in (args, kwds) if t)})"

