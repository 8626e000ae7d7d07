"""Replaceable forms, the per-battle cost variant and the numeric solver (after Kydd 2022).

The closed form (:mod:`.closed_form`) covers atrogame's default forms with costs charged
once per war. This module solves the game without it, by backward induction:

* **war stage**: a global search for the campaign intensity a* over [0, a_max] (a grid of
  20,001 points, bounded Brent around the best grid point, then a root of W_G′ when the
  maximum is interior), compared with a = 0 (ties are reported);
* **war**: victory odds and expected duration from the absorbing Markov chain of the
  battle lead (2n − 1 transient states, exact linear solves), or from a replaced
  ``duration`` form;
* **offer**: a global search over x ∈ [0, 1] with the exact cdf of the type distribution,
  polished with a root of U_G′.

Forms are sympy expressions (or strings) in the parameter names and:

* ``strength``: in ``a`` (default ``government_strength + atrocity_effectiveness*a``);
* ``win_prob``: in ``G`` (the government's strength) and ``m`` (the rebels' total strength
  r + σ) (default ``G/(G + m)``);
* ``atrocity_cost``: in ``a`` (default ``(atrocity_cost + atrocity_penalty)*a``);
* ``harm_per_battle``: in ``a`` (default ``atrocity_harm*a``);
* ``duration``: in ``Pi`` and ``n`` (default: the absorbing chain, equal to eq. D);
* ``type_distribution``: a frozen continuous scipy.stats distribution, truncated to
  [0, C̄] (F(u) = [H(u) − H(0)]/[H(C̄) − H(0)] with H its cdf). Default uniform.

The forms and numbers are atrogame's own reconstruction; see
docs/explanation/penalizing_atrocities.md.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from scipy import integrate, optimize

from atrogame.models.penalizing_atrocities.closed_form import OUTCOMES
from atrogame.models.penalizing_atrocities.duration import absorbing_chain, battle_prob
from atrogame.models.penalizing_atrocities.params import ORDER, PenalizingAtrocitiesParams

__all__ = ["COST_TIMINGS", "FORM_NAMES", "Forms", "default_forms", "solve_numeric", "war_stage_numeric"]

FORM_NAMES: tuple[str, ...] = ("strength", "win_prob", "atrocity_cost", "harm_per_battle", "duration")
COST_TIMINGS: tuple[str, ...] = ("per_war", "per_battle")
_N_GRID = 20_001
_TIE_TOL = 1e-12

A = sp.Symbol("a", real=True)
G_SYM = sp.Symbol("G", positive=True)
M_SYM = sp.Symbol("m", positive=True)
PI_SYM = sp.Symbol("Pi", positive=True)
N_SYM = sp.Symbol("n", positive=True, integer=True)
_EXTRA = {"strength": {"a": A}, "win_prob": {"G": G_SYM, "m": M_SYM}, "atrocity_cost": {"a": A},
          "harm_per_battle": {"a": A}, "duration": {"Pi": PI_SYM, "n": N_SYM}}


@functools.cache
def _psyms() -> dict[str, sp.Symbol]:
    return PenalizingAtrocitiesParams.symbols()


@functools.cache
def default_forms() -> dict[str, sp.Expr]:
    """The default sympy forms (``duration`` has no finite default expression: the chain is used).

    Examples
    --------
    >>> default_forms()["strength"]
    a*atrocity_effectiveness + government_strength
    """
    s = _psyms()
    return {
        "strength": s["government_strength"] + s["atrocity_effectiveness"] * A,
        "win_prob": G_SYM / (G_SYM + M_SYM),
        "atrocity_cost": (s["atrocity_cost"] + s["atrocity_penalty"]) * A,
        "harm_per_battle": s["atrocity_harm"] * A,
    }


def _canonical(name: str, value: Any) -> sp.Expr:
    if isinstance(value, str):
        try:
            expr = sp.sympify(value)
        except (sp.SympifyError, SyntaxError, TypeError) as exc:
            raise TypeError(f"form {name} must be a sympy expression or a string sympy can parse; "
                            f"got {value!r}") from exc
    elif isinstance(value, sp.Basic | int | float) and not isinstance(value, bool):
        expr = sp.sympify(value)
    else:
        raise TypeError(f"form {name} must be a sympy expression or a string; got {type(value).__name__}")
    valid = {**_EXTRA[name], **_psyms()}
    unknown = sorted(s.name for s in expr.free_symbols if s.name not in valid)
    if unknown:
        raise TypeError(f"form {name} uses unknown symbol(s) {unknown}; valid: {', '.join(valid)}")
    return expr.xreplace({s: valid[s.name] for s in expr.free_symbols})


@dataclass(frozen=True, eq=False)
class Forms:
    """Replaceable forms of the game (``None`` keeps the default).

    Examples
    --------
    >>> Forms().is_default()
    True
    >>> f = Forms.from_mapping({"atrocity_cost": "(atrocity_cost + atrocity_penalty)*a**2"})
    >>> f.is_default(), f.atrocity_cost
    (False, a**2*(atrocity_cost + atrocity_penalty))
    """

    strength: sp.Expr | None = None
    win_prob: sp.Expr | None = None
    atrocity_cost: sp.Expr | None = None
    harm_per_battle: sp.Expr | None = None
    duration: sp.Expr | None = None
    type_distribution: Any = None

    def __post_init__(self) -> None:
        for name in FORM_NAMES:
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _canonical(name, value))
        dist = self.type_distribution
        if dist is not None and not (hasattr(dist, "cdf") and hasattr(dist, "pdf")):
            raise TypeError("type_distribution must be a frozen continuous scipy.stats distribution; "
                            f"got {type(dist).__name__}")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any]) -> Forms:
        valid = (*FORM_NAMES, "type_distribution")
        bad = sorted(set(mapping) - set(valid))
        if bad:
            raise TypeError(f"unknown form(s) {bad}; valid: {', '.join(valid)}")
        return cls(**dict(mapping))

    def is_default(self) -> bool:
        d = default_forms()
        for name in FORM_NAMES:
            value = getattr(self, name)
            if value is not None and (name not in d or sp.simplify(value - d[name]) != 0):
                return False
        return self.type_distribution is None

    def expr(self, name: str) -> sp.Expr | None:
        value = getattr(self, name)
        return value if value is not None else default_forms().get(name)

    @property
    def compiled(self) -> _Compiled:
        return _build_compiled(tuple(self.expr(n) for n in FORM_NAMES))


@dataclass(frozen=True)
class _Compiled:
    """numpy functions of (a, *parameters) for the war stage, built once per Forms."""

    win: Any  # Π(a)
    dwin: Any  # Π′(a)
    cost: Any
    dcost: Any
    harm: Any
    duration: Any  # E(Π, n) or None (the chain)



@functools.lru_cache(maxsize=64)
def _build_compiled(exprs: tuple[sp.Expr | None, ...]) -> _Compiled:
    """Compile the forms once per distinct set of expressions."""
    strength, win_prob, cost, harm, duration = exprs
    assert strength is not None and win_prob is not None and cost is not None and harm is not None
    s = _psyms()
    m = s["rebel_strength"] + s["aid_to_rebels"]
    win = win_prob.xreplace({G_SYM: strength, M_SYM: m})
    args = (A, *(s[n] for n in ORDER))
    lam = functools.partial(sp.lambdify, args, modules="numpy")
    dur = None if duration is None else sp.lambdify((PI_SYM, N_SYM), duration, modules="numpy")
    return _Compiled(win=lam(win), dwin=lam(sp.diff(win, A)), cost=lam(cost), dcost=lam(sp.diff(cost, A)),
                     harm=lam(harm), duration=dur)


def _vec(fn: Any, a: Any, p: tuple[float, ...]) -> np.ndarray:
    return np.broadcast_to(np.asarray(fn(a, *p), dtype=float), np.shape(a)).astype(float)


def _duration(c: _Compiled, pi: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(expected battles, the chain's P(government wins)) at war odds Π."""
    pi = np.asarray(pi, dtype=float)
    if c.duration is not None:
        return np.broadcast_to(np.asarray(c.duration(pi, n), dtype=float), pi.shape).astype(float), pi
    win, dur = absorbing_chain(battle_prob(pi, n), n)
    return dur, win


def _war_payoff(c: _Compiled, a: Any, p: tuple[float, ...], n: int, timing: str) -> np.ndarray:
    a = np.asarray(a, dtype=float)
    d = p[ORDER.index("government_war_cost")]
    pi = _vec(c.win, a, p)
    cost = _vec(c.cost, a, p)
    if timing == "per_battle":
        cost = cost * _duration(c, pi, n)[0]
    return pi - d - cost


def war_stage_numeric(params: Mapping[str, float], forms: Forms | None = None,
                      cost_timing: str = "per_war") -> dict[str, Any]:
    """The campaign intensity a* by global search (grid, bounded Brent, root of W_G′).

    Returns ``a``, ``W`` (the war payoff at a*), ``tie`` (a = 0 is equally good) and
    ``foc_residual``.

    Examples
    --------
    >>> out = war_stage_numeric(PenalizingAtrocitiesParams().to_dict())
    >>> round(out["a"], 9), out["tie"]
    (0.736067977, False)
    """
    forms = forms or Forms()
    c = forms.compiled
    p = tuple(float(params[n]) for n in ORDER)
    n = int(params["decisive_lead"])
    T = params["atrocity_cost"] + params["atrocity_penalty"]
    a_max = 1.0 / T if cost_timing == "per_war" else 1.0 / (n * T)
    grid = np.linspace(0.0, a_max, _N_GRID)
    vals = _war_payoff(c, grid, p, n, cost_timing)
    i = int(np.argmax(vals))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, _N_GRID - 1)]

    def neg(x: float) -> float:
        return -float(_war_payoff(c, x, p, n, cost_timing))

    res = optimize.minimize_scalar(neg, bounds=(lo, hi), method="bounded",
                                   options={"xatol": 1e-14 * max(1.0, a_max)})
    a_best, w_best = float(res.x), -float(res.fun)
    if vals[i] > w_best:
        a_best, w_best = float(grid[i]), float(vals[i])
    residual = 0.0
    if cost_timing == "per_war":  # polish: W_G′(a) = Π′(a) − cost′(a) = 0
        def foc(x: float) -> float:
            return float(_vec(c.dwin, x, p) - _vec(c.dcost, x, p))
    else:  # W_G′ by central differences of the exact chain payoff
        step = 1e-6 * max(1.0, a_max)

        def foc(x: float) -> float:
            return float((_war_payoff(c, x + step, p, n, cost_timing)
                          - _war_payoff(c, x - step, p, n, cost_timing)) / (2 * step))
    if a_best > 0.0 and foc(lo) > 0.0 > foc(hi):
        root = optimize.brentq(foc, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=200)
        w_root = float(_war_payoff(c, root, p, n, cost_timing))
        if w_root >= w_best - 1e-15:
            a_best, w_best = float(root), w_root
        residual = foc(a_best)
    w0 = float(_war_payoff(c, 0.0, p, n, cost_timing))
    tie = bool(a_best > 0 and abs(w0 - w_best) <= _TIE_TOL * max(1.0, abs(w0)))
    if w0 >= w_best:
        a_best, w_best = 0.0, w0
    return {"a": a_best, "W": w_best, "tie": tie, "foc_residual": residual}


class _Types:
    """The rebels' cost distribution truncated to [0, C̄] (uniform by default)."""

    def __init__(self, dist: Any, cb: float) -> None:
        self.dist, self.cb = dist, cb
        if dist is not None:
            self.h0, self.h1 = float(dist.cdf(0.0)), float(dist.cdf(cb))
            if not self.h1 > self.h0:
                raise ValueError(f"type_distribution puts no mass on [0, {cb}] (cost_uncertainty)")

    def cdf(self, u: Any) -> np.ndarray:
        u = np.clip(np.asarray(u, dtype=float), 0.0, self.cb)
        if self.dist is None:
            return u / self.cb
        return np.clip((self.dist.cdf(u) - self.h0) / (self.h1 - self.h0), 0.0, 1.0)

    def pdf(self, u: Any) -> np.ndarray:
        u = np.asarray(u, dtype=float)
        inside = (u >= 0.0) & (u <= self.cb)
        if self.dist is None:
            return np.where(inside, 1.0 / self.cb, 0.0)
        return np.where(inside, self.dist.pdf(np.clip(u, 0.0, self.cb)) / (self.h1 - self.h0), 0.0)

    def partial_mean(self, cut: float) -> float:
        """∫_0^cut c dF(c)."""
        if cut <= 0.0:
            return 0.0
        if self.dist is None:
            return 0.5 * cut**2 / self.cb
        return float(integrate.quad(lambda t: t * float(self.pdf(t)), 0.0, cut, limit=200)[0])


def _offer(types: _Types, V: float, W: float) -> tuple[float, float]:
    """G's optimal offer x* ∈ [0, 1] and P(war) = F(V − x*)."""
    def U(x: Any) -> np.ndarray:
        F = types.cdf(V - np.asarray(x, dtype=float))
        return (1.0 - F) * (1.0 - x) + F * W

    grid = np.linspace(0.0, 1.0, _N_GRID)
    exact = [float(v) for v in (0.0, 1.0, V, V - types.cb) if 0.0 <= v <= 1.0]  # kinks of U
    vals = U(grid)
    i = int(np.argmax(vals))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, _N_GRID - 1)]
    res = optimize.minimize_scalar(lambda x: -float(U(x)), bounds=(lo, hi), method="bounded",
                                   options={"xatol": 1e-14})
    rough = [float(res.x), float(grid[i])]

    def dU(x: float) -> float:  # U′(x) = f(V − x)(1 − x − W) − (1 − F(V − x))
        return float(types.pdf(V - x) * (1.0 - x - W) - (1.0 - types.cdf(V - x)))

    for a_, b_ in ((lo, hi), (max(lo - 2e-4, 0.0), min(hi + 2e-4, 1.0))):
        if dU(a_) > 0.0 > dU(b_):
            exact.append(float(optimize.brentq(dU, a_, b_, xtol=1e-15, rtol=4 * np.finfo(float).eps)))
            break
    top = max(float(U(x)) for x in exact + rough)
    # an exact candidate (a kink or the root of U′) within rounding of the best is the optimum
    close = [x for x in exact if float(U(x)) >= top - 1e-12]
    best = max(close, key=lambda x: float(U(x))) if close else max(rough, key=lambda x: float(U(x)))
    return best, float(types.cdf(V - best))


def _balance_aid(params: Mapping[str, float], forms: Forms, timing: str) -> float:
    """The aid σ at which the government's war odds are ½ (0 if already at or below)."""
    c = forms.compiled

    def pi_at(sig: float) -> float:
        q = dict(params, aid_to_rebels=sig)
        a = war_stage_numeric(q, forms, timing)["a"]
        return float(_vec(c.win, a, tuple(float(q[n]) for n in ORDER))) - 0.5

    if pi_at(0.0) <= 0.0:
        return 0.0
    hi = 1.0
    while pi_at(hi) > 0.0:
        hi *= 2.0
        if hi > 1e12:  # pragma: no cover - a win_prob form that never reaches ½
            return math.inf
    return float(optimize.brentq(pi_at, 0.0, hi, xtol=1e-13, rtol=4 * np.finfo(float).eps))


def _deterrent_penalty(params: Mapping[str, float], forms: Forms, timing: str) -> float:
    """The smallest penalty at which the first unit of intensity stops paying: W_G′(0) = 0."""
    c = forms.compiled
    q = dict(params, atrocity_penalty=0.0)
    p = tuple(float(q[n]) for n in ORDER)
    n = int(q["decisive_lead"])
    gain = float(_vec(c.dwin, 0.0, p))
    if timing == "per_battle":
        pi0 = np.asarray(float(_vec(c.win, 0.0, p)))
        gain /= float(_duration(c, pi0, n)[0])
    # marginal cost at a = 0 per unit of penalty: the default cost is linear in k + τ
    return max(0.0, gain - params["atrocity_cost"])


def solve_numeric(params: Mapping[str, float] | PenalizingAtrocitiesParams, forms: Forms | None = None,
                  cost_timing: str = "per_war", thresholds: bool = True) -> dict[str, Any]:
    """Solve the game numerically; every outcome, ``regime``/``war_regime`` labels and diagnostics.

    ``thresholds=False`` skips ``balance_aid`` (a nested root search) and returns NaN for it.

    Examples
    --------
    >>> out = solve_numeric(PenalizingAtrocitiesParams())
    >>> round(out["p_war"], 6), round(out["expected_atrocities"], 6), out["regime"]
    (0.349404, 0.943007, 'interior')
    """
    if isinstance(params, PenalizingAtrocitiesParams):
        params = params.to_dict()
    if cost_timing not in COST_TIMINGS:
        raise ValueError(f"cost_timing must be one of {', '.join(COST_TIMINGS)}; got {cost_timing!r}")
    forms = forms or Forms()
    c = forms.compiled
    p = tuple(float(params[k]) for k in ORDER)
    n = int(params["decisive_lead"])
    d, cb, tau = params["government_war_cost"], params["cost_uncertainty"], params["atrocity_penalty"]
    ws = war_stage_numeric(params, forms, cost_timing)
    a = ws["a"]
    pi = float(_vec(c.win, a, p))
    E_arr, win_chain = _duration(c, np.asarray([pi]), n)
    E = float(E_arr[0])
    cost = float(_vec(c.cost, a, p))
    harm = float(_vec(c.harm, a, p))
    W = pi - d - (cost * E if cost_timing == "per_battle" else cost)
    A_war = a * E
    V = 1.0 - pi - harm * E
    S = 1.0 - V - W
    types = _Types(forms.type_distribution, cb)
    x, q = _offer(types, V, W)
    cut = min(max(V - x, 0.0), cb)
    if V <= 0.0:
        regime = "peace" if cb <= S else "no_rebellion"
    elif cut <= 1e-12:
        regime = "peace"
    elif x > 1e-12:
        regime = "interior"
    else:
        regime = "corner"
    out: dict[str, Any] = {
        "atrocity_intensity": a,
        "government_win_prob": pi,
        "battle_win_prob": float(battle_prob(pi, n)),
        "expected_war_duration": E,
        "atrocities_in_war": A_war,
        "government_war_value": W,
        "rebel_war_value": V,
        "war_surplus_loss": S,
        "offer": x,
        "cutpoint": cut,
        "p_war": q,
        "expected_atrocities": q * A_war,
        "expected_battles": q * E,
        "expected_penalty": q * tau * a,
        "p_government_victory": q * pi,
        "p_rebel_victory": q * (1.0 - pi),
        "government_utility": (1.0 - q) * (1.0 - x) + q * W,
        "rebel_utility": (1.0 - q) * x + q * V - types.partial_mean(cut),
        "balance_aid": _balance_aid(params, forms, cost_timing) if thresholds else math.nan,
        "deterrent_penalty": _deterrent_penalty(params, forms, cost_timing),
        "regime": regime,
        "war_regime": "atrocities" if a > 0 else "no_atrocities",
        "ties": ws["tie"],
        "foc_residual": ws["foc_residual"],
        "chain_win_residual": float(win_chain[0] - pi),
    }
    assert set(OUTCOMES) <= set(out)
    return out
