"""Take-it-or-leave-it bargaining with a privately informed responder (the risk–return trade-off).

The game
--------
A proposer offers the responder ``x``. The responder's value of fighting is ``v − c``:
``v`` is common knowledge (its war lottery net of publicly known costs) and ``c`` is its
private cost of war, drawn from a continuous distribution ``F``. The responder accepts iff

.. math:: v - c \\le x \\quad\\Longleftrightarrow\\quad c \\ge v - x

(indifferent types accept), so it rejects with probability ``F(v − x)``. On acceptance the
proposer keeps ``pie − x``; on rejection it gets its war value ``w``. The proposer chooses
``x ≥ offer_min`` to maximise

.. math:: U(x) = [1 - F(v - x)]\\,(\\mathit{pie} - x) + F(v - x)\\, w .

A higher offer buys off more types (less risk of war) at a higher price (less return): the
risk–return trade-off of Fearon (1995), doi:10.1017/S0020818300033324. Write
``S = pie − v − w`` for the surplus that war destroys (net of the responder's private cost).

Closed form for uniform types, ``c ~ U[low, high]`` (:func:`uniform_offer`)
----------------------------------------------------------------------------
The unconstrained interior optimum is ``x_u = v − (high − S)/2``. Regimes, checked in
this order (the integer codes index :data:`REGIMES`, which lists them as peace, interior,
corner, no_war, war):

* ``peace`` — ``S ≥ high − 2·low`` (buying off every type pays): offer ``max(v − low, offer_min)``,
  ``q = 0``;
* ``no_war`` — ``v − low ≤ offer_min`` (no type has a credible threat): offer ``offer_min``, ``q = 0``;
* ``war`` — ``S ≤ −high`` and ``offer_min ≤ v − high``: offer ``offer_min``, ``q = 1``;
* ``interior`` — ``x_u ≥ offer_min``: offer ``x_u``, ``q = (high − S − 2·low) / (2(high − low))``;
* ``corner`` — ``x_u < offer_min < v − low``: offer ``offer_min``,
  ``q = (v − offer_min − low) / (high − low)``.

(``war`` — every type fights — needs a negative
surplus and never occurs when costs are non-negative.) The responder's ex-ante expected
utility is ``(1 − q)·x* + q·v − E[c; c < v − x*]``; the ``cutpoint`` is ``v − x*`` clipped to
the support (types below it fight).

Special cases
-------------
* **Fearon (1995), uniform costs** (after Fearon): A demands ``d`` (keeps ``d``) of a unit
  prize, wins a war with probability ``p`` at cost ``c_A``; B's cost ``c_B ~ U[a, b]``; B
  accepts iff ``c_B ≥ d − p``. Map: responder offer ``x = 1 − d``, ``v = 1 − p``,
  ``w = p − c_A``, ``pie = 1``, ``low = a``, ``high = b``, ``offer_min = -inf`` (so
  ``S = c_A``). Then ``d* = 1 − x* = p + (b − c_A)/2`` and
  ``P(war) = (b − c_A − 2a)/(2(b − a))`` when ``c_A ≤ b − 2a`` (``interior``), else
  ``d* = p + a`` and ``P(war) = 0`` (``peace``).
* **Kydd & Straus (2013) offer stage** (atrogame's reconstruction; see docs/explanation/kydd_straus.md,
  "M's choice and G's offer" and "The four regimes"): G offers
  ``x ∈ [0, 1]``, M's cost ``c ~ U[0, C̄]``. Map: ``v = V' = V* − w_M − s_M``,
  ``w = W_G*``, ``pie = 1 + s_G``, ``low = 0``, ``high = C̄``, ``offer_min = 0``; then
  ``S = S_e`` and the regimes ``peace``/``interior``/``corner``/``no_war`` are the model's
  ``peace``/``interior``/``corner``/``no_rebellion``, with the same offers and P(war).
  (With ``v ≤ 1`` the bound ``x ≤ 1`` never binds.)

Any continuous ``scipy.stats`` distribution (:func:`optimal_offer`)
-------------------------------------------------------------------
Numeric: the exact CDF is evaluated on a dense grid of offers over the relevant range
(between the offer that every type rejects and the one every type accepts), the best
grid point is refined by bounded scalar minimisation on its two neighbouring cells, and
the range ends compete as candidates, so corners are found exactly.

Examples
--------
>>> sol = uniform_offer(v=0.5, w=0.3, pie=1.0, low=0.0, high=0.6)
>>> round(float(sol.offer), 12), round(float(sol.p_war), 12), sol.regime_name
(0.3, 0.333333333333, 'interior')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp

from atrogame.core.errors import ConvergenceWarning, ParameterError

#: Regime names; :attr:`BargainingSolution.regime` holds integer codes into this tuple.
REGIMES: tuple[str, ...] = ("peace", "interior", "corner", "no_war", "war")
PEACE, INTERIOR, CORNER, NO_WAR, WAR = range(5)

__all__ = [
    "REGIMES",
    "BargainingSolution",
    "offer_payoff",
    "optimal_offer",
    "uniform_offer",
    "uniform_offer_symbolic",
]


@dataclass(frozen=True)
class BargainingSolution:
    """The proposer's optimal offer and its consequences, as arrays that broadcast.

    Attributes
    ----------
    offer:
        The optimal offer ``x*``.
    p_war:
        The probability ``q = F(v − x*)`` that the responder rejects (war).
    cutpoint:
        ``v − x*`` clipped to the support of ``c``: types with a lower cost fight.
    proposer_utility:
        ``U(x*) = (1 − q)(pie − x*) + q·w``.
    responder_utility:
        The responder's ex-ante expected utility ``(1 − q)x* + q·v − E[c; c < v − x*]``.
    regime:
        Integer codes into :data:`REGIMES`.
    method:
        ``"closed_form"`` or ``"numeric"``.

    Examples
    --------
    >>> sol = uniform_offer(v=[0.5, 0.05, -0.1, -0.1], w=[0.3, 0.6, 0.6, 0.3], high=0.6)
    >>> sol.regime_name.tolist()
    ['interior', 'corner', 'no_war', 'peace']
    >>> sorted(sol.as_dict())
    ['cutpoint', 'offer', 'p_war', 'proposer_utility', 'regime', 'responder_utility']
    """

    offer: np.ndarray
    p_war: np.ndarray
    cutpoint: np.ndarray
    proposer_utility: np.ndarray
    responder_utility: np.ndarray
    regime: np.ndarray
    method: str = "closed_form"

    @property
    def regime_name(self) -> Any:
        """Regime names (a ``str`` for a scalar solution, else an array of ``str``)."""
        names = np.asarray(REGIMES, dtype=object)[np.asarray(self.regime)]
        return str(names) if np.ndim(names) == 0 else names

    def as_dict(self) -> dict[str, np.ndarray]:
        """Every outcome plus ``"regime"`` (codes), e.g. for a model's ``_kernel``."""
        return {
            "offer": self.offer,
            "p_war": self.p_war,
            "cutpoint": self.cutpoint,
            "proposer_utility": self.proposer_utility,
            "responder_utility": self.responder_utility,
            "regime": self.regime,
        }

    def __repr__(self) -> str:
        if np.ndim(self.offer) == 0:
            return (
                f"<BargainingSolution regime={self.regime_name} offer={float(self.offer):.6g} "
                f"p_war={float(self.p_war):.6g}>"
            )
        return f"<BargainingSolution shape={np.shape(self.offer)} method={self.method}>"


def _arr(name: str, value: Any) -> np.ndarray:
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError(name, "the real numbers", value) from None
    if np.isnan(a).any():
        raise ParameterError(name, "the real numbers", value, "NaN given")
    return a


def _finite(name: str, value: Any) -> np.ndarray:
    a = _arr(name, value)
    if not np.isfinite(a).all():
        bad = a[~np.isfinite(a)].flat[0]
        raise ParameterError(name, "(-inf, inf) (finite)", float(bad))
    return a


def offer_payoff(x: Any, v: Any, w: Any, pie: Any = 1.0, cdf: Any = None) -> np.ndarray:
    """The proposer's expected utility ``U(x) = [1 − F(v − x)](pie − x) + F(v − x)·w``.

    Parameters
    ----------
    x, v, w, pie:
        Offer, responder's war value before its private cost, proposer's war value,
        what the proposer shares. Arrays broadcast.
    cdf:
        The CDF ``F`` of the responder's cost (a callable, e.g. ``dist.cdf`` of a frozen
        ``scipy.stats`` distribution). Default: uniform on [0, 1].

    Examples
    --------
    >>> float(offer_payoff(0.3, v=0.5, w=0.3, cdf=lambda u: np.clip(u / 0.6, 0, 1)))
    0.5666666666666667
    """
    x, v, w, pie = (np.asarray(t, dtype=float) for t in (x, v, w, pie))
    F = (lambda u: np.clip(u, 0.0, 1.0)) if cdf is None else cdf
    q = np.asarray(F(v - x), dtype=float)
    return (1.0 - q) * (pie - x) + q * w


def uniform_offer(
    v: Any,
    w: Any,
    pie: Any = 1.0,
    low: Any = 0.0,
    high: Any = 1.0,
    offer_min: Any = 0.0,
) -> BargainingSolution:
    """Closed-form optimal offer when the responder's cost is uniform on ``[low, high]``.

    Vectorised: every argument may be an array; they broadcast against each other, so
    orthogonal shapes (``v[:, None]``, ``high[None, :]``) give a whole grid with no loop.
    See the module docstring for the game, the regimes and the Fearon / Kydd–Straus
    mappings.

    Parameters
    ----------
    v:
        Responder's war value before its private cost.
    w:
        Proposer's war value.
    pie:
        What the proposer divides (it keeps ``pie − x`` on acceptance).
    low, high:
        Support of the responder's cost ``c``; ``high > low`` is required.
    offer_min:
        Lowest feasible offer (``-inf`` for none).

    Returns
    -------
    BargainingSolution

    Raises
    ------
    ParameterError
        If ``high ≤ low`` or an input is NaN / not a number.

    Examples
    --------
    Fearon (1995) with ``p = 0.5``, ``c_A = 0.1``, ``c_B ~ U[0, 0.5]``: the demand is
    ``p + (b − c_A)/2 = 0.7`` and war happens with probability ``(b − c_A)/(2b) = 0.4``:

    >>> s = uniform_offer(v=1 - 0.5, w=0.5 - 0.1, pie=1, low=0, high=0.5, offer_min=-np.inf)
    >>> round(1 - float(s.offer), 12), round(float(s.p_war), 12), s.regime_name
    (0.7, 0.4, 'interior')

    A grid by broadcasting:

    >>> uniform_offer(v=np.array([-0.1, 0.05, 0.5])[:, None], w=0.6, high=[0.2, 0.6]).regime_name
    array([['peace', 'no_war'],
           ['peace', 'corner'],
           ['interior', 'interior']], dtype=object)
    """
    v, w, pie, low, high = (
        _finite(n, t) for n, t in zip(("v", "w", "pie", "low", "high"), (v, w, pie, low, high), strict=False)
    )
    xmin = _arr("offer_min", offer_min)
    if (xmin == np.inf).any():
        raise ParameterError("offer_min", "[-inf, inf)", math.inf)
    v, w, pie, low, high, xmin = np.broadcast_arrays(v, w, pie, low, high, xmin)
    width = high - low
    if (width <= 0).any():
        i = np.flatnonzero(width.ravel() <= 0)[0]
        raise ParameterError("high", "(low, inf)", float(high.ravel()[i]), f"low = {float(low.ravel()[i])!r}")
    S = pie - v - w
    x_u = v - (high - S) / 2.0

    peace = high - 2.0 * low <= S
    no_war = ~peace & (v - low <= xmin)
    war = ~peace & ~no_war & (-high >= S) & (xmin <= v - high)
    interior = ~peace & ~no_war & ~war & (x_u >= xmin)
    regime = np.select([peace, interior, no_war, war], [PEACE, INTERIOR, NO_WAR, WAR], CORNER).astype(np.int8)

    with np.errstate(invalid="ignore", over="ignore"):
        offer = np.select(
            [peace, interior],
            [np.maximum(v - low, xmin), x_u],
            xmin,
        )
        u = np.clip(v - offer, low, high)  # cutpoint: types below fight
        q = (u - low) / width
        q = np.where(peace | no_war, 0.0, np.where(war, 1.0, q))
        Ec = (u * u - low * low) / (2.0 * width)  # E[c; c < u]
        big = ~np.isfinite(Ec)  # u² or low² overflowed (costs beyond 1e154): F(u)·(u + low)/2 is finite
        if big.any():
            Ec = np.where(big, (u - low) / width * (0.5 * u + 0.5 * low), Ec)
        prop = np.where(war, w, (1.0 - q) * (pie - offer) + q * w)
        resp = np.where(war, v - (low + high) / 2.0, (1.0 - q) * offer + q * v - Ec)
        offer = np.where(war & ~np.isfinite(offer), v - high, offer)
    return BargainingSolution(_out(offer), _out(q), _out(u), _out(prop), _out(resp), _out(regime), "closed_form")


def _out(a: np.ndarray) -> Any:
    a = np.asarray(a)
    return a[()] if a.ndim == 0 else a


def uniform_offer_symbolic(
    v: Any, w: Any, pie: Any = 1, low: Any = 0, high: Any = 1, offer_min: Any = 0
) -> dict[str, tuple[Any, Any, Any]]:
    """The uniform-type closed form as sympy: ``{regime: (condition, offer, p_war)}``.

    Arguments are sympy expressions or numbers (``offer_min`` may be ``-sp.oo``).
    Conditions are the regime conditions of the module table, made mutually exclusive
    (each excludes the ones checked before it), so exactly one holds at any point.

    Examples
    --------
    >>> p, cA, b = sp.symbols("p c_A b", positive=True)
    >>> sol = uniform_offer_symbolic(v=1 - p, w=p - cA, low=0, high=b, offer_min=-sp.oo)
    >>> sp.simplify(1 - sol["interior"][1] - (p + (b - cA) / 2))
    0
    >>> sp.factor(sol["interior"][2])
    (b - c_A)/(2*b)
    """
    v, w, pie, low, high, xmin = (sp.sympify(t) for t in (v, w, pie, low, high, offer_min))
    S = pie - v - w
    x_u = v - (high - S) / 2
    width = high - low
    c_peace = sp.Ge(S, high - 2 * low)
    c_nowar = sp.Le(v - low, xmin) if xmin != -sp.oo else sp.false
    c_war = sp.And(sp.Le(S, -high), sp.Le(xmin, v - high)) if xmin != -sp.oo else sp.Le(S, -high)
    c_int = sp.Ge(x_u, xmin) if xmin != -sp.oo else sp.true
    c_corner = sp.And(sp.Lt(x_u, xmin), sp.Gt(v - low, xmin)) if xmin != -sp.oo else sp.false
    out: dict[str, tuple[Any, Any, Any]] = {}
    before: list[Any] = []

    def _cond(c: Any) -> Any:
        return sp.And(c, *[sp.Not(b) for b in before])

    peace_offer = v - low if xmin == -sp.oo else sp.Max(v - low, xmin)
    out["peace"] = (c_peace, peace_offer, sp.Integer(0))
    before.append(c_peace)
    out["no_war"] = (_cond(c_nowar), xmin, sp.Integer(0))
    before.append(c_nowar)
    out["war"] = (_cond(c_war), xmin if xmin != -sp.oo else v - high, sp.Integer(1))
    before.append(c_war)
    out["interior"] = (_cond(c_int), x_u, (high - S - 2 * low) / (2 * width))
    before.append(c_int)
    out["corner"] = (_cond(c_corner), xmin, (v - xmin - low) / width)
    return {k: out[k] for k in REGIMES}


def _support_range(dist: Any, v: float, offer_min: float, offer_max: float, tail: float) -> tuple[float, float]:
    lb, ub = (float(t) for t in dist.support())
    lo_c = lb if np.isfinite(lb) else float(dist.ppf(tail))
    hi_c = ub if np.isfinite(ub) else float(dist.ppf(1.0 - tail))
    # offers between v - hi_c (every type rejects) and v - lo_c (every type accepts)
    return max(v - hi_c, offer_min), min(v - lo_c, offer_max)


def _snap(u: Any, lb: float, ub: float, v: float) -> Any:
    """Cut-points within rounding of a support end, put on that end.

    ``v − x`` for the offer ``x = v − lb`` that every type accepts need not equal ``lb`` in
    floating point (``0.65 − 0.6 = 0.05000000000000004``); with a density that is infinite
    at ``lb`` (e.g. a beta with first shape below 1) that rounding alone gave a war risk of
    1e-8 and a wrong regime.
    """
    tol = 8.0 * np.finfo(float).eps * max(1.0, abs(v), abs(lb) if np.isfinite(lb) else 0.0,
                                         abs(ub) if np.isfinite(ub) else 0.0)
    u = np.asarray(u, dtype=float)
    return np.where(np.abs(u - lb) <= tol, lb, np.where(np.abs(u - ub) <= tol, ub, u))


def _snapped_cdf(dist: Any, lb: float, ub: float, v: float) -> Any:
    return lambda u: dist.cdf(_snap(u, lb, ub, v))


def _partial_mean(dist: Any, lb: float, cut: float, tail: float) -> float:
    """``E[c; c < cut] = cut·F(cut) − lo·F(lo) − ∫_lo^cut F(c) dc`` (integration by parts).

    Uses only the CDF, which is bounded, so a density with an integrable singularity at a
    support end (a beta with a shape below 1) gives a finite answer; integrating
    ``c·f(c)`` directly returned ``-inf`` there.
    """
    from scipy.integrate import quad

    lo = lb if np.isfinite(lb) else float(dist.ppf(tail * 1e-3))
    if cut <= lo:
        return 0.0
    integral, _err = quad(lambda c: float(dist.cdf(c)), lo, cut, limit=200)
    return float(cut * dist.cdf(cut) - lo * dist.cdf(lo) - integral)


def _argmax_1d(fun: Any, lo: float, hi: float, n_grid: int, xtol: float) -> tuple[float, float]:
    from scipy.optimize import minimize_scalar

    if hi <= lo:
        return lo, float(fun(np.asarray(lo)))
    xs = np.linspace(lo, hi, n_grid)
    us = np.asarray(fun(xs), dtype=float)
    i = int(np.argmax(us))
    best_x, best_u = float(xs[i]), float(us[i])
    a, b = xs[max(i - 1, 0)], xs[min(i + 1, n_grid - 1)]
    if b > a:
        res = minimize_scalar(
            lambda t: -float(fun(np.asarray(t))), bounds=(a, b), method="bounded", options={"xatol": xtol}
        )
        if res.success and -res.fun > best_u:
            best_x, best_u = float(res.x), float(-res.fun)
    # range ends are exact candidates (corners); prefer them on (near-)ties
    scale = max(1.0, abs(best_u))
    for end in (hi, lo):
        ue = float(fun(np.asarray(end)))
        if (ue >= best_u - 1e-13 * scale and abs(end - best_x) <= 2 * (xs[1] - xs[0])) or ue > best_u:
            best_x, best_u = end, ue
    return best_x, best_u


def optimal_offer(
    v: Any,
    w: Any,
    pie: Any = 1.0,
    dist: Any = None,
    offer_min: Any = 0.0,
    offer_max: float = math.inf,
    *,
    n_grid: int = 2001,
    xtol: float = 1e-12,
    tail: float = 1e-12,
) -> BargainingSolution:
    """Numeric optimal offer for any continuous responder-cost distribution.

    Parameters
    ----------
    v, w, pie, offer_min:
        As in :func:`uniform_offer` (arrays broadcast; the solve loops over points).
    dist:
        A frozen continuous ``scipy.stats`` distribution of the responder's cost ``c``
        (its exact ``cdf`` is used). Default: uniform on [0, 1].
    offer_max:
        Highest feasible offer (default: none).
    n_grid:
        Grid points over the relevant offer range before refinement (an integer ≥ 2).
    xtol:
        Tolerance of the bounded refinement.
    tail:
        For an unbounded support, offers are searched where ``tail ≤ F(v − x) ≤ 1 − tail``.

    Returns
    -------
    BargainingSolution
        ``method="numeric"``. Regimes: ``q = 0`` is ``peace`` if the problem without the
        lower bound also buys off every type, else ``no_war``; ``q = 1`` is ``war``; an offer
        at ``offer_min`` (or at a binding ``offer_max``) is ``corner``; anything else
        ``interior`` — the same labels as the uniform closed form. A cut-point within
        rounding of a support end is put on that end, so an offer that buys off every type
        is ``peace`` even when the density is infinite there.

    Raises
    ------
    ParameterError
        For a NaN or infinite ``v``/``w``/``pie``, ``offer_max < offer_min``, ``n_grid < 2``,
        ``xtol ≤ 0``, ``tail`` outside ``(0, 0.5)`` or a ``dist`` without ``cdf``/``support``.

    Warns
    -----
    ConvergenceWarning
        At points where no finite solution was found; their outcomes are NaN (never ±inf).

    Examples
    --------
    >>> from scipy import stats
    >>> s = optimal_offer(v=0.5, w=0.3, dist=stats.uniform(0, 0.6))
    >>> round(float(s.offer), 8), round(float(s.p_war), 8), s.regime_name
    (0.3, 0.33333333, 'interior')
    >>> s = optimal_offer(v=0.5, w=0.3, dist=stats.beta(2, 5, scale=0.6))
    >>> s.regime_name, bool(0 < s.p_war < 1)
    ('interior', True)
    """
    import warnings

    from scipy import stats

    if isinstance(n_grid, bool) or not isinstance(n_grid, int | np.integer) or n_grid < 2:
        raise ParameterError("n_grid", "integers >= 2", n_grid)
    if isinstance(xtol, bool) or not (isinstance(xtol, int | float | np.floating) and 0 < xtol < math.inf):
        raise ParameterError("xtol", "(0, inf)", xtol)
    if isinstance(tail, bool) or not (isinstance(tail, int | float | np.floating) and 0 < tail < 0.5):
        raise ParameterError("tail", "(0, 0.5)", tail)
    if dist is None:
        dist = stats.uniform(0.0, 1.0)
    if not hasattr(dist, "cdf") or not hasattr(dist, "support"):
        raise ParameterError("dist", "frozen continuous scipy.stats distributions", dist)
    v, w, pie = (_finite(n, t) for n, t in zip(("v", "w", "pie"), (v, w, pie), strict=False))
    xmin = _arr("offer_min", offer_min)
    xmax = float(offer_max)
    if np.any(xmin > xmax):
        raise ParameterError("offer_max", "[offer_min, inf]", xmax)
    v, w, pie, xmin = np.broadcast_arrays(v, w, pie, xmin)
    shape = v.shape
    lb, ub = (float(t) for t in dist.support())
    out = {k: np.empty(shape) for k in ("offer", "p_war", "cutpoint", "prop", "resp")}
    regime = np.empty(shape, dtype=np.int8)

    def solve_one(vi: float, wi: float, pi: float, lo_b: float, cdf: Any) -> tuple[float, float]:
        def fun(x: np.ndarray) -> np.ndarray:
            return offer_payoff(x, vi, wi, pi, cdf)

        lo, hi = _support_range(dist, vi, lo_b, xmax, tail)
        if hi < lo:  # every feasible offer is accepted by everyone (or rejected by everyone)
            x = lo_b if np.isfinite(lo_b) else hi
            return x, float(fun(np.asarray(x)))
        return _argmax_1d(fun, lo, hi, n_grid, xtol)

    for idx in np.ndindex(shape):
        vi, wi, pi, lo_b = float(v[idx]), float(w[idx]), float(pie[idx]), float(xmin[idx])
        cdf = _snapped_cdf(dist, lb, ub, vi)
        x, _u = solve_one(vi, wi, pi, lo_b, cdf)
        q = float(cdf(vi - x))
        if q <= 1e-12:
            q = 0.0
            at_min = np.isfinite(lo_b) and x <= lo_b
            if at_min:
                # peace iff the problem without the lower bound also buys off every type
                xu, _ = solve_one(vi, wi, pi, -math.inf, cdf)
                reg = PEACE if float(cdf(vi - xu)) <= 1e-9 else NO_WAR
            else:
                reg = PEACE
        elif q >= 1.0 - 1e-12:  # every offer <= v - ub is optimal: report the lowest
            q, reg = 1.0, WAR
            x = lo_b if np.isfinite(lo_b) else vi - ub
        elif (np.isfinite(lo_b) and abs(x - lo_b) <= 1e-12 * max(1.0, abs(lo_b))) or (
            np.isfinite(xmax) and abs(x - xmax) <= 1e-12 * max(1.0, abs(xmax))
        ):
            reg = CORNER
        else:
            reg = INTERIOR
        cut = min(max(float(_snap(vi - x, lb, ub, vi)), lb), ub)
        Ec = _partial_mean(dist, lb, cut, tail) if q > 0 else 0.0
        out["offer"][idx], out["p_war"][idx], out["cutpoint"][idx] = x, q, cut
        out["prop"][idx] = (1 - q) * (pi - x) + q * wi
        out["resp"][idx] = (1 - q) * x + q * vi - Ec
        regime[idx] = reg
    bad = ~np.all([np.isfinite(a) for a in out.values()], axis=0)
    if bad.any():
        # reported, never silent: the points become NaN and the caller is warned
        for a in out.values():
            a[bad] = np.nan
        i = np.argwhere(bad)[0] if bad.ndim else ()
        warnings.warn(
            f"optimal_offer found no finite solution at {int(bad.sum())} of {bad.size} points "
            f"(first: v={float(v[tuple(i)])!r}, w={float(w[tuple(i)])!r}); they are NaN",
            ConvergenceWarning,
            stacklevel=2,
        )
    return BargainingSolution(
        _out(out["offer"]),
        _out(out["p_war"]),
        _out(out["cutpoint"]),
        _out(out["prop"]),
        _out(out["resp"]),
        _out(regime),
        "numeric",
    )
