"""Replaceable functional forms and the numeric solver of the Kydd–Straus game.

The forms and how to replace them: docs/explanation/kydd_straus.md, "Replaceable forms".

The intervention bargaining game after Kydd & Straus (2013), doi:10.1111/ajps.12009, is
solved in closed form for atrogame's default forms. This module lets a researcher replace
any of them:

* ``intervention_hazard`` π(a), the probability that the third party intervenes;
* ``win_prob`` p(a), the minority's probability of winning a war without intervention;
* ``atrocity_cost`` G's cost of an atrocity level a (default k·a + κa²/2);
* ``harm`` the harm atrocities do to the minority (default h·a);
* ``type_distribution`` the distribution of the minority's private cost of war c
  (default uniform on [0, C̄]).

Forms are sympy expressions (or strings) in the symbol ``a`` and in symbols named by the
fields of :class:`~atrogame.models.kydd_straus.KyddStrausParams` (``rebel_strength``,
``intervention_commitment``, ...). The type distribution is a frozen continuous
``scipy.stats`` distribution; it is **truncated to [0, C̄]**: with G its cdf, the cdf used is
F(u) = [G(u) − G(0)] / [G(C̄) − G(0)] for u in [0, C̄] (0 below, 1 above), so a distribution
whose support already lies in [0, C̄] is used as it is, and one reaching beyond is
conditioned on [0, C̄]. The distribution is fixed when ``Forms`` is built; it does not
rescale when ``cost_uncertainty`` changes (build it with ``scale=C̄`` for the value used).

:func:`solve_numeric` solves the game by backward induction without a closed form: a
global search over a ∈ [0, 1] (a dense grid, then a root of W_G'(a) or a bounded
minimisation around every grid maximum, compared with the endpoints), then the same for
the offer x ∈ [0, 1] with the exact cdf of the type distribution.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import sympy as sp

from atrogame.core.errors import ParameterError
from atrogame.core.symbolic import compile_expr

if TYPE_CHECKING:
    from atrogame.models.kydd_straus import KyddStrausParams

__all__ = ["FORM_NAMES", "Forms", "atrocity_symbol", "default_forms", "solve_numeric"]

#: The replaceable sympy forms, in the order of docs/explanation/kydd_straus.md, "Replaceable forms".
FORM_NAMES: tuple[str, ...] = ("intervention_hazard", "win_prob", "atrocity_cost", "harm")
_VALID_KEYS: tuple[str, ...] = (*FORM_NAMES, "type_distribution")

#: The outcomes of the game, in order (``KyddStraus.outcome_names``).
OUTCOME_NAMES: tuple[str, ...] = (
    "atrocities_in_war",
    "intervention_prob_in_war",
    "minority_win_prob_in_war",
    "minority_war_value",
    "government_war_value",
    "war_surplus_loss",
    "offer",
    "cutpoint",
    "p_war",
    "expected_atrocities",
    "expected_realized_atrocities",
    "p_intervention",
    "p_minority_victory",
    "government_utility",
    "minority_utility",
    "third_party_cost",
)

_N_GRID = 2001  # dense grid for the global searches over a and over x
_TIE_RTOL = 1e-12  # two maxima within this relative distance are a tie
_SAME_POINT = 1.0 / (_N_GRID - 1)  # candidates closer than one grid cell are one maximum
_SAME_POINT_ABS = 1e-10  # ... and so are candidates closer than this, however short the interval


def atrocity_symbol() -> sp.Symbol:
    """The symbol ``a`` (atrocity level in war, a real number in [0, 1]) used by every form.

    Examples
    --------
    >>> atrocity_symbol()
    a
    """
    return _A


_A = sp.Symbol("a", real=True)


def _params_cls() -> type[KyddStrausParams]:
    from atrogame.models.kydd_straus import KyddStrausParams

    return KyddStrausParams


@functools.cache
def _param_symbols() -> dict[str, sp.Symbol]:
    return _params_cls().symbols()


@functools.cache
def default_forms() -> dict[str, sp.Expr]:
    """The default forms (docs/explanation/kydd_straus.md, "Payoffs" and "The war stage") as sympy expressions in ``a``
    and the parameters.

    Examples
    --------
    >>> default_forms()["harm"]
    a*atrocity_harm
    """
    s = _param_symbols()
    i, w = s["intervention_commitment"], s["war_trigger_share"]
    return {
        "intervention_hazard": i * (w + (1 - w) * _A),
        "win_prob": s["rebel_strength"] * (1 - s["atrocity_effectiveness"] * _A),
        "atrocity_cost": s["atrocity_penalty"] * _A + s["atrocity_cost_curvature"] * _A**2 / 2,
        "harm": s["atrocity_harm"] * _A,
    }


def _canonical(name: str, value: Any) -> sp.Expr:
    """Sympify a form and replace its symbols by atrogame's (matched by name)."""
    if isinstance(value, str):
        try:
            expr = sp.sympify(value)
        except (sp.SympifyError, SyntaxError, TypeError) as exc:
            raise TypeError(f"{name} must be a sympy expression or a string sympy can parse; got {value!r}") from exc
    elif isinstance(value, sp.Basic):
        expr = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        expr = sp.sympify(value)
    else:
        raise TypeError(f"{name} must be a sympy expression, a string or a number; got {type(value).__name__}")
    if not isinstance(expr, sp.Expr):
        raise TypeError(f"{name} must be a scalar sympy expression; got {type(expr).__name__} {expr!r}")
    params = _param_symbols()
    valid = {"a": _A, **params}
    unknown = sorted(s.name for s in expr.free_symbols if s.name not in valid)
    if unknown:
        raise ParameterError(
            name,
            "expressions in a and the KyddStrausParams field names",
            str(expr),
            f"unknown symbol(s) {', '.join(unknown)}; valid: a, {', '.join(params)}",
        )
    return expr.xreplace({s: valid[s.name] for s in expr.free_symbols})


def _check_distribution(dist: Any) -> None:
    if not (callable(getattr(dist, "cdf", None)) and callable(getattr(dist, "pdf", None))):
        raise TypeError(
            "type_distribution must be a frozen continuous scipy.stats distribution (with cdf and pdf), "
            f"e.g. scipy.stats.beta(2, 3, scale=0.6); got {type(dist).__name__}"
        )


@dataclass(frozen=True)
class Forms:
    """Functional forms of the Kydd–Straus game; ``None`` keeps the default form.

    The defaults and what each form means: docs/explanation/kydd_straus.md, "Payoffs", "The war stage" and
    "Replaceable forms".

    Parameters
    ----------
    intervention_hazard:
        π(a), the intervention probability, in ``a`` and parameter names. Default
        ``intervention_commitment*(war_trigger_share + (1 - war_trigger_share)*a)``.
    win_prob:
        p(a), the minority's win probability without intervention. Default
        ``rebel_strength*(1 - atrocity_effectiveness*a)``.
    atrocity_cost:
        G's cost of atrocities outside intervention. Default
        ``atrocity_penalty*a + atrocity_cost_curvature*a**2/2``.
    harm:
        Harm of atrocities to the minority. Default ``atrocity_harm*a``.
    type_distribution:
        A frozen continuous ``scipy.stats`` distribution of M's cost of war, truncated to
        [0, C̄] (see the module docstring). Default: uniform on [0, C̄].

    Strings are sympified. Symbols are matched by name, so ``sympy.Symbol("a")`` and
    ``"a"`` both mean the atrocity level.

    Examples
    --------
    >>> f = Forms(intervention_hazard="intervention_commitment*a**2")
    >>> f.is_default(), Forms().is_default()
    (False, True)
    >>> f.resolved()["intervention_hazard"]
    a**2*intervention_commitment
    >>> Forms.from_mapping({"hazard": "a"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: unknown form(s) ['hazard']; valid keys: intervention_hazard, win_prob, atrocity_cost, harm, ...
    """

    intervention_hazard: sp.Expr | None = None
    win_prob: sp.Expr | None = None
    atrocity_cost: sp.Expr | None = None
    harm: sp.Expr | None = None
    type_distribution: Any | None = None

    def __post_init__(self) -> None:
        for name in FORM_NAMES:
            value = getattr(self, name)
            if value is not None:
                object.__setattr__(self, name, _canonical(name, value))
        if self.type_distribution is not None:
            _check_distribution(self.type_distribution)

    def is_default(self) -> bool:
        """Whether every form is the default one (so the closed form applies).

        A form given explicitly counts as default when it expands to the default expression.

        Examples
        --------
        >>> Forms(harm="atrocity_harm*a").is_default()
        True
        """
        if self.type_distribution is not None:
            return False
        defaults = default_forms()
        for name in FORM_NAMES:
            value = getattr(self, name)
            if value is not None and sp.expand(value - defaults[name]) != 0:
                return False
        return True

    def resolved(self) -> dict[str, sp.Expr]:
        """The four sympy forms in use, with defaults filled in.

        Examples
        --------
        >>> Forms().resolved()["win_prob"]
        rebel_strength*(-a*atrocity_effectiveness + 1)
        """
        defaults = default_forms()
        return {n: (getattr(self, n) if getattr(self, n) is not None else defaults[n]) for n in FORM_NAMES}

    @classmethod
    def from_mapping(cls, m: Mapping[str, Any]) -> Forms:
        """Build from a mapping (e.g. parsed from the command line or a config file).

        Examples
        --------
        >>> Forms.from_mapping({"harm": "atrocity_harm*a**2"}).harm
        a**2*atrocity_harm
        """
        if isinstance(m, Forms):
            return m
        unknown = sorted(set(m) - set(_VALID_KEYS))
        if unknown:
            raise TypeError(f"unknown form(s) {unknown}; valid keys: {', '.join(_VALID_KEYS)}")
        return cls(**dict(m))

    def __getstate__(self) -> dict[str, Any]:
        # the compiled (lambdified) forms do not pickle; they are rebuilt on first use
        return {k: v for k, v in self.__dict__.items() if k != "_compiled"}

    @functools.cached_property
    def _compiled(self) -> _CompiledForms:
        return _compile(tuple(self.resolved()[n] for n in FORM_NAMES))


# ---------------------------------------------------------------------------- compiled forms


@dataclass(frozen=True)
class _CompiledForms:
    names: tuple[str, ...]  # parameter names, the arguments after a
    pi: Callable[..., np.ndarray]
    p: Callable[..., np.ndarray]
    cost: Callable[..., np.ndarray]
    harm: Callable[..., np.ndarray]
    wg: Callable[..., np.ndarray]
    dwg: Callable[..., np.ndarray] | None
    v: Callable[..., np.ndarray]


@functools.lru_cache(maxsize=64)
def _compile(exprs: tuple[sp.Expr, ...]) -> _CompiledForms:
    """Lambdify π, p, cost, harm, W_G, W_G' and V over (a, *parameters), once per set of forms."""
    pi, p, cost, harm = exprs
    s = _param_symbols()
    names = tuple(s)
    args = (_A, *(s[n] for n in names))
    z, d = s["imposed_settlement"], s["government_war_cost"]
    wg = (1 - pi) * (1 - p) + pi * (1 - z) - d - cost
    v = (1 - pi) * p + pi * z - harm
    dwg_expr = sp.diff(wg, _A)
    dwg: Callable[..., np.ndarray] | None
    if dwg_expr.has(sp.Derivative, sp.Subs):  # a form sympy cannot differentiate: search without W_G'
        dwg = None
    else:
        try:
            dwg = compile_expr(args, dwg_expr)
        except Exception:  # pragma: no cover - exotic functions lambdify cannot print
            dwg = None
    return _CompiledForms(
        names=names,
        pi=compile_expr(args, pi),
        p=compile_expr(args, p),
        cost=compile_expr(args, cost),
        harm=compile_expr(args, harm),
        wg=compile_expr(args, wg),
        dwg=dwg,
        v=compile_expr(args, v),
    )


# ---------------------------------------------------------------------------- distributions


class _Uniform:
    """The default type distribution, uniform on [0, C̄], with exact formulas."""

    def __init__(self, cbar: float) -> None:
        self.cbar = cbar
        self.lo, self.hi = 0.0, cbar

    def cdf(self, u: Any) -> Any:
        return np.clip(np.asarray(u, dtype=float) / self.cbar, 0.0, 1.0)

    def pdf(self, u: Any) -> Any:
        u = np.asarray(u, dtype=float)
        return np.where((u >= 0) & (u <= self.cbar), 1.0 / self.cbar, 0.0)

    def partial_mean(self, u: float) -> float:
        """∫_0^u c dF(c)."""
        u = min(max(u, 0.0), self.cbar)
        return u * u / (2 * self.cbar)


class _Truncated:
    """A scipy distribution truncated to [0, C̄] (see the module docstring)."""

    def __init__(self, dist: Any, cbar: float) -> None:
        self.dist, self.cbar = dist, cbar
        with np.errstate(all="ignore"):
            g0, g1 = (float(x) for x in np.asarray(dist.cdf([0.0, cbar]), dtype=float))
        mass = g1 - g0
        if not (math.isfinite(g0) and math.isfinite(g1)) or not mass > 0:
            raise ParameterError(
                "type_distribution",
                f"continuous distributions with positive probability on [0, C̄] = [0, {cbar:g}]",
                _describe(dist),
                f"its probability there is {mass:g}",
            )
        self.g0, self.mass = g0, mass
        try:
            lo, hi = (float(x) for x in dist.support())
        except Exception:  # not every duck-typed distribution has support()
            lo, hi = 0.0, cbar
        self.lo, self.hi = max(0.0, lo), min(cbar, hi)
        if not self.lo < self.hi:
            raise ParameterError(
                "type_distribution",
                f"continuous distributions with support meeting [0, C̄] = [0, {cbar:g}]",
                _describe(dist),
                f"its support is [{lo:g}, {hi:g}]",
            )

    def cdf(self, u: Any) -> Any:
        u = np.clip(np.asarray(u, dtype=float), 0.0, self.cbar)
        with np.errstate(all="ignore"):
            out = (np.asarray(self.dist.cdf(u), dtype=float) - self.g0) / self.mass
        return np.clip(out, 0.0, 1.0)

    def pdf(self, u: Any) -> Any:
        u = np.asarray(u, dtype=float)
        inside = (u >= 0) & (u <= self.cbar)
        with np.errstate(all="ignore"):
            g = np.asarray(self.dist.pdf(np.clip(u, 0.0, self.cbar)), dtype=float) / self.mass
        return np.where(inside, g, 0.0)

    def partial_mean(self, u: float) -> float:
        """∫_0^u c dF(c), by adaptive quadrature."""
        from scipy.integrate import quad

        u = min(max(u, 0.0), self.cbar)
        if u <= self.lo:
            return 0.0
        val, _ = quad(lambda c: c * float(self.pdf(c)), self.lo, min(u, self.hi), epsabs=1e-14, epsrel=1e-12,
                      limit=200)
        return float(val)


def _describe(dist: Any) -> str:
    try:
        name = dist.dist.name
        return f"{name}(args={dist.args}, kwds={dist.kwds})"
    except AttributeError:
        return repr(dist)


def _distribution(forms: Forms, cbar: float) -> _Uniform | _Truncated:
    if forms.type_distribution is None:
        return _Uniform(cbar)
    return _Truncated(forms.type_distribution, cbar)


# ---------------------------------------------------------------------------- 1-D global maximiser


@dataclass(frozen=True)
class _Max:
    x: float
    value: float
    ties: bool


def _maximise(
    f: Callable[[np.ndarray], np.ndarray],
    df: Callable[[np.ndarray], np.ndarray] | None,
    lo: float,
    hi: float,
    specials: tuple[float, ...] = (),
    n: int = _N_GRID,
) -> _Max:
    """Global maximum of ``f`` on [lo, hi]: dense grid, refinement, endpoints, ties.

    Every grid point that is a local maximum (endpoints included) is refined, by a root of
    ``df`` when it changes sign across the neighbouring cells, else by a bounded
    minimisation. Candidates closer than one grid cell are one maximum: among those whose
    values agree to ``_TIE_RTOL``, the one that best satisfies the first-order or bound
    conditions (``df`` = 0 inside, ≤ 0 at ``lo``, ≥ 0 at ``hi``) wins, which matters when
    the interval is so short that ``f`` cannot tell its points apart. Two distinct maxima
    whose values agree to ``_TIE_RTOL`` relative are a tie, resolved towards the smaller ``x``.
    """
    from scipy.optimize import brentq, minimize_scalar

    def fs(x: float) -> float:
        return float(f(np.asarray(x)))

    def dfs(x: float) -> float:
        return float(df(np.asarray(x))) if df is not None else math.nan

    # (x, priority): 0 an exact root of f', 1 an endpoint or a kink, 2 a bounded minimisation
    cands: list[tuple[float, int]] = [(lo, 1), (hi, 1)] + [(min(max(s, lo), hi), 1) for s in specials]
    if hi > lo:
        xs = np.linspace(lo, hi, n)
        ys = f(xs)
        left = np.concatenate(([-np.inf], ys[:-1]))
        right = np.concatenate((ys[1:], [-np.inf]))
        peaks = np.flatnonzero((ys >= left) & (ys >= right) & ((ys > left) | (ys > right)))
        if peaks.size > 50:  # keep the highest ones
            peaks = peaks[np.argsort(ys[peaks])[-50:]]
        for j in peaks.tolist():
            a, b = float(xs[max(j - 1, 0)]), float(xs[min(j + 1, n - 1)])
            da, db = dfs(a), dfs(b)
            if math.isfinite(da) and math.isfinite(db) and da > 0 > db:
                cands.append((float(brentq(lambda t: dfs(t), a, b, xtol=1e-15, rtol=4 * np.finfo(float).eps)), 0))
            else:
                res = minimize_scalar(lambda t: -fs(t), bounds=(a, b), method="bounded",
                                      options={"xatol": 1e-12})
                cands.append((float(res.x), 2))
    values = [(x, fs(x), pr) for x, pr in cands]
    values = [t for t in values if math.isfinite(t[1])]
    if not values:
        raise ArithmeticError("the objective is not finite at any candidate point")
    best = max(v for _, v, _ in values)
    tol = _TIE_RTOL * max(1.0, abs(best))
    # cluster candidates in x; each cluster is one maximum
    values.sort(key=lambda t: t[0])
    same = max(_SAME_POINT * (hi - lo) * 1.01, _SAME_POINT_ABS)
    clusters: list[list[tuple[float, float, int]]] = []
    for t in values:
        if clusters and t[0] - clusters[-1][-1][0] <= same:
            clusters[-1].append(t)
        else:
            clusters.append([t])

    def kkt(x: float) -> float:
        if df is None:
            return 0.0
        g = dfs(x)
        r = max(0.0, g) if x <= lo else (max(0.0, -g) if x >= hi else abs(g))
        return r if math.isfinite(r) else math.inf

    reps = []
    for c in clusters:
        top = max(v for _, v, _ in c)
        near = [t for t in c if t[1] >= top - tol]
        reps.append(min(near, key=lambda t: (kkt(t[0]), t[2], -t[1])))
    winners = [r for r in reps if r[1] >= best - tol]
    choice = min(winners, key=lambda t: t[0])
    return _Max(choice[0], choice[1], len(winners) > 1)


# ---------------------------------------------------------------------------- the solver


def solve_numeric(params: KyddStrausParams, forms: Forms | None = None) -> dict[str, float | str | bool]:
    """Solve the game numerically for any forms, by backward induction.

    Parameters
    ----------
    params:
        A :class:`~atrogame.models.kydd_straus.KyddStrausParams`.
    forms:
        The functional forms (``None`` or ``Forms()``: the defaults).

    Returns
    -------
    dict
        Every outcome of the game under its name (floats), ``"regime"`` (``"peace"``,
        ``"interior"``, ``"corner"`` or ``"no_rebellion"``), ``"ties"`` (whether G's war-stage
        or offer problem had two equally good maxima; the smaller choice is reported) and
        ``"foc_residual"`` (the largest violation of the first-order or corner conditions
        of both stages at the solution; an interior condition counts as met when the
        derivative changes sign within a few ulps of the solution).

    Raises
    ------
    ParameterError
        A form that is not finite on a ∈ [0, 1], a π or p outside [0, 1], or a type
        distribution without probability on [0, C̄].

    Notes
    -----
    Regimes for any type distribution, with V' = V* − w_M − s_M: ``"peace"`` when the
    optimal offer leaves P(war) = 0 while some type would fight at x = 0, or when V' ≤ 0
    but G would buy off every type even if offers could fall below 0 (the regime conditions
    check peace first; for uniform types this is S_e ≥ C̄); ``"no_rebellion"`` for the other
    V' ≤ 0 cases; ``"corner"`` when the offer is 0 and P(war) > 0; ``"interior"`` otherwise.
    For uniform types these are the closed-form regimes (docs/explanation/kydd_straus.md, "The
    four regimes"; at the boundary V' = (C̄ − S_e)/2 the offer is 0 and the label may be
    ``"corner"``).

    Examples
    --------
    >>> from atrogame.models.kydd_straus import KyddStrausParams
    >>> out = solve_numeric(KyddStrausParams())
    >>> round(out["atrocities_in_war"], 6), round(out["p_war"], 6), out["regime"]
    (0.290323, 0.368193, 'interior')
    >>> sq = Forms(intervention_hazard="intervention_commitment*a**2")
    >>> solve_numeric(KyddStrausParams(), sq)["atrocities_in_war"] > 0.29
    True
    """
    if forms is None:
        forms = Forms()
    if not isinstance(forms, Forms):
        raise TypeError(f"forms must be a Forms instance; got {type(forms).__name__}")
    comp = forms._compiled
    pv = tuple(float(getattr(params, n)) for n in comp.names)
    P = dict(zip(comp.names, pv, strict=True))

    def call(fn: Callable[..., np.ndarray], a: Any) -> np.ndarray:
        return np.asarray(fn(a, *pv), dtype=float)

    grid = np.linspace(0.0, 1.0, _N_GRID)
    _validate_forms(comp, call, grid)

    # ---- war stage: G maximises W_G(a) on [0, 1]
    dwg = comp.dwg
    war = _maximise(lambda a: call(comp.wg, a), (lambda a: call(dwg, a)) if dwg is not None else None, 0.0, 1.0)
    a_star = war.x
    _validate_forms(comp, call, np.array([a_star]))
    pi_s, p_s = float(call(comp.pi, a_star)), float(call(comp.p, a_star))
    wg_s, v_s = float(call(comp.wg, a_star)), float(call(comp.v, a_star))
    war_res = _war_residual(comp, call, a_star)

    # ---- M's choice and G's offer
    cbar = P["cost_uncertainty"]
    s_g, s_m, w_m = P["inducement_government"], P["inducement_minority"], P["war_penalty_minority"]
    dist = _distribution(forms, cbar)
    vp = v_s - w_m - s_m  # V'

    def u_g(x: Any) -> np.ndarray:
        q = dist.cdf(vp - np.asarray(x, dtype=float))
        return (1 - q) * (1 - np.asarray(x, dtype=float) + s_g) + q * wg_s

    def du_g(x: Any) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        u = vp - x
        return dist.pdf(u) * (1 - x + s_g - wg_s) - (1 - dist.cdf(u))

    ties = war.ties
    if vp <= 0:
        # No type fights at x = 0, so G offers nothing. The regimes are checked "peace" first: the label
        # is "peace" when G would buy off every type even if offers could go below 0 (for
        # uniform types, S_e ≥ C̄), else "no_rebellion".
        x_star, q, offer_res = 0.0, 0.0, 0.0
        relaxed = _maximise(u_g, du_g, vp - dist.hi, vp - dist.lo)
        regime = "peace" if float(dist.cdf(vp - relaxed.x)) == 0.0 else "no_rebellion"
    else:
        x_lo = min(max(vp - dist.hi, 0.0), 1.0)  # below: every type fights, U_G = W_G*
        x_hi = min(max(vp - dist.lo, 0.0), 1.0)  # above: no type fights, U_G = 1 - x + s_G
        best = _maximise(u_g, du_g, x_lo, x_hi)
        ties = ties or best.ties
        x_star = best.x
        if x_lo > 0 and float(u_g(0.0)) >= best.value - _TIE_RTOL * max(1.0, abs(best.value)):
            # U_G is flat (= W_G*, every type fights) on [0, x_lo]: the smallest offer wins the tie
            x_star, ties = 0.0, True
        q = 0.0 if (x_star == x_hi and x_hi == vp - dist.lo) else float(dist.cdf(vp - x_star))
        if q == 0.0:
            regime = "peace"
        elif x_star == 0.0:
            regime = "corner"
        else:
            regime = "interior"
        offer_res = _offer_residual(du_g, x_star, x_hi)

    cut = min(max(vp - x_star, 0.0), cbar) if q > 0 else 0.0
    partial = dist.partial_mean(cut) if q > 0 else 0.0
    out: dict[str, float | str | bool] = {
        "atrocities_in_war": a_star,
        "intervention_prob_in_war": pi_s,
        "minority_win_prob_in_war": p_s,
        "minority_war_value": v_s,
        "government_war_value": wg_s,
        "war_surplus_loss": 1.0 - v_s - wg_s,
        "offer": x_star,
        "cutpoint": cut,
        "p_war": q,
        "expected_atrocities": q * a_star,
        "expected_realized_atrocities": q * a_star * (1 - P["stopping_power"] * pi_s),
        "p_intervention": q * pi_s,
        "p_minority_victory": q * (1 - pi_s) * p_s,
        "government_utility": (1 - q) * (1 - x_star + s_g) + q * wg_s,
        "minority_utility": (1 - q) * (x_star + s_m) + q * (v_s - w_m) - partial,
        "third_party_cost": (1 - q) * (s_g + s_m) + q * pi_s * P["intervention_cost"],
        "regime": regime,
        "ties": bool(ties),
        "foc_residual": max(war_res, offer_res),
    }
    return out


def _validate_forms(comp: _CompiledForms, call: Callable[..., np.ndarray], a: np.ndarray) -> None:
    checks = (
        ("intervention_hazard", comp.pi, True),
        ("win_prob", comp.p, True),
        ("atrocity_cost", comp.cost, False),
        ("harm", comp.harm, False),
    )
    for name, fn, prob in checks:
        vals = np.broadcast_to(call(fn, a), a.shape)
        bad = ~np.isfinite(vals)
        if prob:
            bad |= (vals < 0) | (vals > 1)
        if bad.any():
            j = int(np.flatnonzero(bad)[0])
            domain = "[0, 1] on a ∈ [0, 1]" if prob else "(-inf, inf) on a ∈ [0, 1]"
            raise ParameterError(name, domain, f"{float(vals[j])!r} at a={a[j]:g}",
                                 f"{int(bad.sum())} of {a.size} grid points")


def _war_residual(comp: _CompiledForms, call: Callable[..., np.ndarray], a: float) -> float:
    """Largest violation of G's war-stage condition: W_G'(a*) = 0 inside, ≤ 0 at 0, ≥ 0 at 1.

    W_G' comes from sympy; where it is not finite (a √a form at 0) a one-sided difference
    stands in.
    """

    def dw(t: float) -> float:
        return float(call(comp.dwg, t)) if comp.dwg is not None else math.nan

    g = dw(a)
    if not math.isfinite(g):
        h = 1e-7
        lo, hi = max(a - h, 0.0), min(a + h, 1.0)
        g = float((call(comp.wg, hi) - call(comp.wg, lo)) / (hi - lo))
    if a == 0.0:
        return max(0.0, g)
    if a == 1.0:
        return max(0.0, -g)
    return _interior_residual(dw, a, g)


def _offer_residual(du_g: Callable[[Any], np.ndarray], x: float, x_hi: float) -> float:
    """Largest violation of G's offer condition: U_G'(x*) = 0 inside, ≤ 0 at 0, ≥ 0 (from the left) at the top."""
    if x == 0.0:
        return max(0.0, float(du_g(0.0)))
    g = float(du_g(x))
    if x >= x_hi:
        return max(0.0, -g)
    return _interior_residual(lambda t: float(du_g(t)), x, g)


def _interior_residual(deriv: Callable[[float], float], x: float, g: float) -> float:
    """|f'(x)| at an interior solution; 0 when f' changes sign within a few ulps of x.

    Where f' is extremely steep (a type density like c^0.2 near 0), the closest
    floating-point x to the root cannot make |f'| small; the condition then holds to the
    precision x can be represented with.
    """
    if abs(g) <= 1e-12:
        return abs(g)
    step = 8 * np.finfo(float).eps * max(1.0, abs(x))
    lo, hi = deriv(x - step), deriv(x + step)
    if math.isfinite(lo) and math.isfinite(hi) and lo >= 0 >= hi:
        return 0.0
    return abs(g)
