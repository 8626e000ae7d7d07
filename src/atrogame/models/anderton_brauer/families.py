"""Parameter sets and vectorised closed forms of the built-in Anderton–Brauer technologies.

Private to :mod:`atrogame.models.anderton_brauer`. Each family has a frozen parameter
class (the common parameters plus its own) and, for each objective, a numpy kernel that
takes every parameter as arrays broadcasting against each other. The kernels return the raw
closed-form choice ``(C, R)``; snapping, regime labels and derived outcomes are added by
:func:`finish` so every family follows the same conventions (docs/explanation/anderton_brauer.md, "Modelling choices"
and "The technology families").

The functional forms and numbers are atrogame's own (after Anderton & Brauer).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from atrogame.core.errors import ParameterError
from atrogame.core.parameters import NONNEGATIVE, POSITIVE, UNIT_OPEN, Parameters, param
from atrogame.core.validation import farthest_from_default

INTERIOR, NO_CIVILIAN, NO_REBEL = 0, 1, 2
REGIMES: tuple[str, ...] = ("interior", "no_civilian_attacks", "no_rebel_attacks")
OBJECTIVES: tuple[str, ...] = ("max_control", "min_cost")
TECHNOLOGIES: tuple[str, ...] = ("cobb_douglas", "ces", "contest", "linear", "quasi_linear", "quadratic")

#: Relative threshold of the regime-snapping rule for closed forms (docs/explanation/anderton_brauer.md,
#: "Modelling choices": corners are results).
SNAP = 1e-12
#: Below this |σ − 1| the CES control and cost use the Cobb–Douglas limit (the CES section of
#: the Anderton–Brauer explanation page).
SIGMA_ONE = 1e-9

_PRICE = (0.2, 5.0)
_PROD = (0.2, 3.0)


# ----------------------------------------------------------------------------- parameters
@dataclass(frozen=True, kw_only=True)
class CommonParams(Parameters):
    """Parameters every technology shares (resources, prices, lethalities, ...)."""

    model_name = "anderton_brauer"

    resources: float = param(100.0, symbol="M", latex="M", interval=POSITIVE, sweep_range=(1.0, 500.0),
                             long_name="perpetrator's resources for violence", units="resource units")
    price_rebels: float = param(1.0, symbol="p_R", latex="p_R", interval=POSITIVE, sweep_range=_PRICE,
                                long_name="price of an attack on rebels", units="resources per attack")
    price_civilians: float = param(1.0, symbol="p_C", latex="p_C", interval=POSITIVE, sweep_range=_PRICE,
                                   long_name="price of an attack on civilians", units="resources per attack")
    lethality_civilians: float = param(1.0, symbol="lambda", latex=r"\lambda", interval=NONNEGATIVE,
                                       sweep_range=(0.0, 5.0), long_name="civilian deaths per civilian attack",
                                       units="deaths per attack")
    lethality_rebels: float = param(0.0, symbol="psi", latex=r"\psi", interval=NONNEGATIVE,
                                    sweep_range=(0.0, 1.0), long_name="collateral civilian deaths per attack on rebels",
                                    units="deaths per attack")


@dataclass(frozen=True, kw_only=True)
class CobbDouglasParams(CommonParams):
    """Parameters of the Cobb–Douglas technology Z = A·R^α_R·C^α_C."""

    tfp: float = param(1.0, symbol="A", latex="A", interval=POSITIVE, sweep_range=_PROD,
                       long_name="total factor productivity of violence")
    weight_rebels: float = param(0.5, symbol="alpha_R", latex=r"\alpha_R", interval=POSITIVE, sweep_range=(0.1, 2.0),
                                 long_name="output elasticity of attacks on rebels")
    weight_civilians: float = param(0.5, symbol="alpha_C", latex=r"\alpha_C", interval=POSITIVE,
                                    sweep_range=(0.1, 2.0), long_name="output elasticity of attacks on civilians")

    def check_joint(self) -> None:
        _cd_representable(self.to_dict(), type(self).defaults())

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, np.ndarray | float]) -> None:
        _cd_representable(values, cls.defaults())

    @classmethod
    def joint_holds_on_box(cls, box: Mapping[str, tuple[float, float]]) -> bool:
        return _cd_box_ok(box)


#: Largest natural log of an outcome the closed forms accept (Cobb–Douglas, CES, linear,
#: quasi-linear, contest): e^700 ≈ 1e304, so the
#: outcomes (and products such as p·R) stay finite float64 numbers.
_LOG_LIMIT = 700.0


def _cd_representable(values: Mapping[str, Any], defaults: Mapping[str, float]) -> None:
    """Reject Cobb–Douglas points whose optimum is not a finite float64 (vectorised).

    Control A·R^α_R·C^α_C (max_control) or the cost e = h·(Z/A)^{1/h}·Π(p/α)^{α/h} (min_cost,
    h = α_R + α_C) grows like a power of the inputs, so extreme but valid parameters (exponents
    in the thousands, or a tiny h) make it exceed the largest float. The model's domain excludes
    those points (docs/explanation/anderton_brauer.md); the error names the parameter set
    farthest from its default, in log terms.
    """
    v = {k: np.asarray(values[k], dtype=float) for k in values}
    M, pR, pC = v["resources"], v["price_rebels"], v["price_civilians"]
    A, ar, ac = v["tfp"], v["weight_rebels"], v["weight_civilians"]
    h = ar + ac
    with np.errstate(all="ignore"):
        if "control_target" in v:
            le = np.log(h) + (np.log(v["control_target"]) - np.log(A)) / h + ar / h * np.log(pR / ar) \
                + ac / h * np.log(pC / ac)
            logs = [le, le + np.log(ac / h) - np.log(pC), le + np.log(ar / h) - np.log(pR)]
        else:
            lr, lc = np.log(ar / h * M / pR), np.log(ac / h * M / pC)
            logs = [np.log(A) + ar * lr + ac * lc, lr, lc]
    names = ("weight_rebels", "weight_civilians", "tfp", "resources", "control_target", "price_rebels",
             "price_civilians")
    _reject_overflow(logs, v, defaults, names, "Cobb–Douglas")
    _reject_deaths(v, defaults, names, "Cobb–Douglas", logs[1 if "control_target" in v else 2],
                   logs[2 if "control_target" in v else 1])


def _cd_box_ok(box: Mapping[str, tuple[float, float]]) -> bool:
    """Whether interval bounds prove every log of :func:`_cd_representable` small on a box.

    ``box`` maps each parameter to its (minimum, maximum) over a sample. For large samples
    (every parameter varying) the elementwise check costs more than the kernel, so ``|ln outcome|``
    is bounded by interval arithmetic on the ranges, with a margin of 10 for rounding. ``False``
    means "not proven", and the elementwise check decides.

    Examples
    --------
    >>> box = {k: (0.5, 2.0) for k in ("resources", "price_rebels", "price_civilians", "tfp",
    ...                                "weight_rebels", "weight_civilians")}
    >>> _cd_box_ok(box), _cd_box_ok({**box, "weight_rebels": (0.5, 1e4)})
    (True, False)
    """
    keys = ["resources", "price_rebels", "price_civilians", "tfp", "weight_rebels", "weight_civilians",
            *(["control_target"] if "control_target" in box else [])]
    if any(k not in box for k in keys):
        return False
    rng = {k: (float(box[k][0]), float(box[k][1])) for k in keys}
    if not all(0.0 < lo <= hi < math.inf for lo, hi in rng.values()):
        return False

    def big(k: str) -> float:  # max |ln x| over the range of x
        lo, hi = rng[k]
        return max(abs(math.log(lo)), abs(math.log(hi)))

    (ar_lo, ar_hi), (ac_lo, ac_hi) = rng["weight_rebels"], rng["weight_civilians"]
    h_lo = ar_lo + ac_lo
    # ln(α/h) lies in [ln(α_lo/(α_lo + other_hi)), 0]
    share_r, share_c = abs(math.log(ar_lo / (ar_lo + ac_hi))), abs(math.log(ac_lo / (ac_lo + ar_hi)))
    if "control_target" in rng:
        le = (max(abs(math.log(h_lo)), abs(math.log(ar_hi + ac_hi))) + (big("control_target") + big("tfp")) / h_lo
              + big("price_rebels") + big("weight_rebels") + big("price_civilians") + big("weight_civilians"))
        lc, lr = le + share_c + big("price_civilians"), le + share_r + big("price_rebels")
        worst = max(lc, lr)
    else:
        lr = share_r + big("resources") + big("price_rebels")
        lc = share_c + big("resources") + big("price_civilians")
        worst = max(big("tfp") + ar_hi * lr + ac_hi * lc, lr, lc)
    return worst <= _LOG_LIMIT - 10.0 and _deaths_box_ok(box, lc, lr)


def _contest_representable(values: Mapping[str, Any], defaults: Mapping[str, float]) -> None:
    """Reject contest points whose optimum is not a finite float64 (vectorised).

    Under min_cost the target value V̄ = (G₀/a_R)·(Z̄/(1 − Z̄))^{1/m} grows without bound as the
    decisiveness m falls, so a tiny m makes the cheapest attacks overflow (``|ln|`` of V̄, p_R·V̄
    and p_C·u/κ at most 700, with u = √(κ p_R V̄/p_C)); and attacks on civilians
    C* = (u − 1)/κ < u/κ exceed the largest float when p_C or κ is tiny. Under max_control
    C* = (M/p_C − 1/κ)/2 < M/(2 p_C) and R* ≤ M/p_R overflow at a tiny price. Only overflow of
    the attacks is refused (a tiny number of attacks is a result).
    """
    v = {k: np.asarray(values[k], dtype=float) for k in values}
    lk, lpR, lpC = np.log(v["support_erosion"]), np.log(v["price_rebels"]), np.log(v["price_civilians"])
    names = ("decisiveness", "control_target", "rebel_base_strength", "productivity_rebels", "support_erosion",
             "price_rebels", "price_civilians", "resources")
    with np.errstate(all="ignore"):
        if "control_target" not in v:
            lM = np.log(v["resources"])
            lC = np.where(lM - lpC > -lk, lM - lpC - math.log(2.0), -np.inf)  # C* > 0 iff M/p_C > 1/κ
            _reject_overflow([lC, lM - lpR], v, defaults, names, "contest", upper_only=True)
            _reject_deaths(v, defaults, names, "contest", lC, lM - lpR)
            return
        Z, m = v["control_target"], v["decisiveness"]
        lV = np.log(v["rebel_base_strength"]) - np.log(v["productivity_rebels"]) + (np.log(Z) - np.log1p(-Z)) / m
        lu = 0.5 * (lk + lpR + lV - lpC)
        logs = [lV, lV + lpR, lu - lk + lpC]
        lC = np.where(lu > 0, lu - lk, -np.inf)  # C* > 0 iff u > 1
    _reject_overflow(logs, v, defaults, names, "contest")
    _reject_overflow([lC], v, defaults, names, "contest", upper_only=True)
    _reject_deaths(v, defaults, names, "contest", lC, lV)  # R* = V̄/(1 + κC*) ≤ V̄


def _span(*terms: tuple[float, float, float]) -> tuple[float, float]:
    """Interval of ``Σ c·x`` for terms ``(c, x_lo, x_hi)``."""
    lo = sum(min(c * a, c * b) for c, a, b in terms)
    hi = sum(max(c * a, c * b) for c, a, b in terms)
    return lo, hi


def _log_box(box: Mapping[str, tuple[float, float]], keys: list[str]) -> dict[str, tuple[float, float]] | None:
    """``{k: (ln min, ln max)}`` for positive finite ranges, else ``None`` (nothing proven)."""
    if any(k not in box for k in keys):
        return None
    rng = {k: (float(box[k][0]), float(box[k][1])) for k in keys}
    if not all(0.0 < lo <= hi < math.inf for lo, hi in rng.values()):
        return None
    return {k: (math.log(a), math.log(b)) for k, (a, b) in rng.items()}


def _contest_box_ok(box: Mapping[str, tuple[float, float]]) -> bool:
    """Whether interval bounds prove :func:`_contest_representable` on a box (margin 10).

    Examples
    --------
    >>> box = {"resources": (1.0, 500.0), "price_rebels": (0.2, 5.0), "price_civilians": (0.2, 5.0)}
    >>> _contest_box_ok(box), _contest_box_ok({**box, "price_civilians": (5e-324, 5.0)})
    (True, False)
    """
    lim = _LOG_LIMIT - 10.0
    if "control_target" not in box:
        r = _log_box(box, ["resources", "price_rebels", "price_civilians"])
        if r is None:
            return False
        lc, lr = r["resources"][1] - r["price_civilians"][0], r["resources"][1] - r["price_rebels"][0]
        return max(lc, lr) <= lim and _deaths_box_ok(box, lc, lr)
    r = _log_box(box, ["rebel_base_strength", "productivity_rebels", "support_erosion", "price_rebels",
                       "price_civilians", "decisiveness"])
    if r is None:
        return False
    z_lo, z_hi = (float(x) for x in box["control_target"])
    if not 0.0 < z_lo <= z_hi < 1.0:
        return False
    t = (math.log(z_lo) - math.log1p(-z_lo), math.log(z_hi) - math.log1p(-z_hi))  # logit, increasing
    if r["decisiveness"][0] < -_LOG_LIMIT:
        return False
    inv_m = (math.exp(-r["decisiveness"][1]), math.exp(-r["decisiveness"][0]))
    tm = [a * b for a in t for b in inv_m]
    lV = _span((1.0, *r["rebel_base_strength"]), (-1.0, *r["productivity_rebels"]))
    lV = (lV[0] + min(tm), lV[1] + max(tm))
    k, pR, pC = r["support_erosion"], r["price_rebels"], r["price_civilians"]
    spans = [lV, _span((1.0, *lV), (1.0, *pR)),
             _span((-0.5, *k), (0.5, *pR), (0.5, *lV), (0.5, *pC))]  # ln(p_C·u/κ)
    c_hi = _span((-0.5, *k), (0.5, *pR), (0.5, *lV), (-0.5, *pC))[1]  # ln(u/κ)
    return (all(abs(a) <= lim and abs(b) <= lim for a, b in spans) and c_hi <= lim
            and _deaths_box_ok(box, c_hi, lV[1]))


def _linear_logs(values: Mapping[str, Any]) -> list[np.ndarray]:
    """Logs of the linear optimum's attacks, control (max_control) or cost (min_cost), computed from
    logs of the inputs (no overflow). An attack type counts where it is chosen, or within 1e-9 (in
    log terms) of being chosen, so that rounding in the kernel's comparison cannot hide an overflow."""
    v = {k: np.asarray(values[k], dtype=float) for k in values}
    lpR, lpC = np.log(v["price_rebels"]), np.log(v["price_civilians"])
    lbR, lbC = np.log(v["productivity_rebels"]), np.log(v["productivity_civilians"])
    with np.errstate(all="ignore"):
        gR, gC = lbR - lpR, lbC - lpC  # ln control per unit of resources
        civ, reb = gC >= gR - 1e-9, gR >= gC - 1e-9
        if "control_target" in v:
            lZ = np.log(v["control_target"])
            lC, lR = np.where(civ, lZ - lbC, -np.inf), np.where(reb, lZ - lbR, -np.inf)
            return [lC, lR, np.maximum(np.where(civ, lC + lpC, -np.inf), np.where(reb, lR + lpR, -np.inf))]
        lM = np.log(v["resources"])
        lC, lR = np.where(civ, lM - lpC, -np.inf), np.where(reb, lM - lpR, -np.inf)
        return [lC, lR, lM + np.maximum(gR, gC)]


def _linear_representable(values: Mapping[str, Any], defaults: Mapping[str, float]) -> None:
    """Reject linear points whose optimum exceeds the float64 range (vectorised).

    All resources go to one attack type: C* = M/p_C (max_control) or Z̄/b_C (min_cost), so a
    tiny price or productivity, or a huge budget or target, makes the attacks, control
    M·max(b_R/p_R, b_C/p_C) or cost exceed the largest float. The attacks chosen must also be at
    least e^-700 (below the float range they would round to 0, and be snapped to the other
    corner); other tiny outcomes are results.
    """
    logs = _linear_logs(values)
    v = {k: np.asarray(x, dtype=float) for k, x in values.items()}
    names = ("price_civilians", "price_rebels", "resources", "productivity_civilians", "productivity_rebels",
             "control_target")
    _reject_overflow(logs, v, defaults, names, "linear", upper_only=True)
    # the attacks chosen must not underflow either: a C* = Z̄/b_C that rounds to 0 is snapped to
    # the other corner, whose cost may be inf (as for Cobb–Douglas, |ln| ≤ 700 for them)
    _reject_overflow([np.maximum(logs[0], logs[1])], v, defaults, names, "linear")
    _reject_deaths(v, defaults, names, "linear", logs[0], logs[1])


def _linear_box_ok(box: Mapping[str, tuple[float, float]]) -> bool:
    """Whether interval bounds prove :func:`_linear_representable` on a box (margin 10).

    Examples
    --------
    >>> box = {k: (0.2, 5.0) for k in ("resources", "price_rebels", "price_civilians",
    ...                                "productivity_rebels", "productivity_civilians")}
    >>> _linear_box_ok(box), _linear_box_ok({**box, "price_civilians": (5e-324, 5.0)})
    (True, False)
    """
    first = "control_target" if "control_target" in box else "resources"
    r = _log_box(box, [first, "price_rebels", "price_civilians", "productivity_rebels", "productivity_civilians"])
    if r is None:
        return False
    x = r[first][1]
    low = r[first][0] - max(r["productivity_civilians" if first == "control_target" else "price_civilians"][1],
                            r["productivity_rebels" if first == "control_target" else "price_rebels"][1])
    if low < -(_LOG_LIMIT - 10.0):  # the attacks chosen could underflow
        return False
    if first == "control_target":
        c, rr = x - r["productivity_civilians"][0], x - r["productivity_rebels"][0]
        worst = max(c, rr, c + r["price_civilians"][1], rr + r["price_rebels"][1])
    else:
        c, rr = x - r["price_civilians"][0], x - r["price_rebels"][0]
        worst = max(c, rr, x + max(r["productivity_rebels"][1] - r["price_rebels"][0],
                                   r["productivity_civilians"][1] - r["price_civilians"][0]))
    return worst <= _LOG_LIMIT - 10.0 and _deaths_box_ok(box, c, rr)


def _ql_logs(values: Mapping[str, Any]) -> list[np.ndarray]:
    """Upper bounds of the logs of the quasi-linear optimum, from logs of the inputs (no overflow).

    With ``ln r = ln(β p_R/p_C)``: under max_control C* = min(max(0, r − 1), M/p_C) < min(r, M/p_C),
    R* ≤ M/p_R where C* is below the corner M/p_C (R* = 0 there), control R* + β·ln(1 + C*);
    under min_cost C* ≤ min(r, e^{Z̄/β}) where r > 1, R* ≤ Z̄ (0 where β ln r ≥ Z̄), cost
    p_R R* + p_C C*.
    """
    v = {k: np.asarray(values[k], dtype=float) for k in values}
    lpR, lpC, lb = np.log(v["price_rebels"]), np.log(v["price_civilians"]), np.log(v["civilian_value"])
    with np.errstate(all="ignore"):
        lr = lb + lpR - lpC
        if "control_target" in v:
            Z = v["control_target"]
            lC = np.where(lr > 0, np.minimum(lr, Z / v["civilian_value"]), -np.inf)
            corner = (lr > 0) & (v["civilian_value"] * lr >= Z)  # all on civilians: R* = 0
            lR = np.where(corner, -np.inf, np.log(Z))
            return [lC, lR, np.logaddexp(lpR + lR, lpC + lC)]
        lM = np.log(v["resources"])
        lC = np.where(lr > 0, np.minimum(lr, lM - lpC), -np.inf)
        corner = lb + lpR >= np.logaddexp(lM, lpC)  # r − 1 ≥ M/p_C: all on civilians
        lR = np.where(corner, -np.inf, lM - lpR)
        lZ = np.logaddexp(lR, lb + np.log(np.log1p(np.exp(np.minimum(lC, 709.0)))))
        return [lC, lR, lZ]


def _ql_representable(values: Mapping[str, Any], defaults: Mapping[str, float]) -> None:
    """Reject quasi-linear points whose optimum exceeds the float64 range (vectorised); see
    :func:`_ql_logs`. A tiny p_C asks for about β p_R/p_C or M/p_C attacks on civilians, a tiny
    p_R for M/p_R attacks on rebels, a huge β for a huge control. Only overflow is refused."""
    logs = _ql_logs(values)
    v = {k: np.asarray(x, dtype=float) for k, x in values.items()}
    names = ("price_civilians", "price_rebels", "resources", "civilian_value", "control_target")
    _reject_overflow(logs, v, defaults, names, "quasi-linear", upper_only=True)
    _reject_deaths(v, defaults, names, "quasi-linear", logs[0], logs[1])


def _ql_box_ok(box: Mapping[str, tuple[float, float]]) -> bool:
    """Whether interval bounds prove :func:`_ql_representable` on a box (margin 10).

    Examples
    --------
    >>> box = {"resources": (1.0, 500.0), "price_rebels": (0.2, 5.0), "price_civilians": (0.2, 5.0),
    ...        "civilian_value": (1.0, 50.0)}
    >>> _ql_box_ok(box), _ql_box_ok({**box, "price_civilians": (5e-324, 5.0)})
    (True, False)
    """
    first = "control_target" if "control_target" in box else "resources"
    r = _log_box(box, [first, "price_rebels", "price_civilians", "civilian_value"])
    if r is None:
        return False
    lim = _LOG_LIMIT - 10.0
    lc = r["civilian_value"][1] + r["price_rebels"][1] - r["price_civilians"][0]
    if first == "control_target":
        lR = r[first][1]
        worst = max(lc, lR, max(r["price_rebels"][1] + lR, r["price_civilians"][1] + lc) + math.log(2.0))
        return worst <= lim and _deaths_box_ok(box, lc, lR)
    lc = min(lc, r["resources"][1] - r["price_civilians"][0])
    lR = r["resources"][1] - r["price_rebels"][0]
    if max(lc, lR) > lim:
        return False
    ll = lc if lc < -30.0 else math.log(math.log1p(math.exp(lc)))  # ln ln(1 + C), ≈ ln C for tiny C
    lZ = max(lR, r["civilian_value"][1] + ll) + math.log(2.0)
    return lZ <= lim and _deaths_box_ok(box, lc, lR)


_LETHALITY = ("lethality_civilians", "lethality_rebels")


def _reject_deaths(v: Mapping[str, Any], defaults: Mapping[str, float], names: tuple[str, ...], label: str,
                   lC: Any, lR: Any) -> None:
    """Reject points where civilian deaths λC* + ψR* exceed e^700 (each term at most e^700 keeps
    the sum finite), ``lC`` and ``lR`` being upper bounds of ln C* and ln R*. A lethality near
    1e308 times a few attacks is beyond the float range; the error names the input farthest
    from its default, lethalities included."""
    w = {k: np.asarray(x, dtype=float) for k, x in v.items()}
    w = {**{k: np.asarray(defaults[k], dtype=float) for k in _LETHALITY if k not in w}, **w}
    with np.errstate(all="ignore"):
        logs = [np.log(w["lethality_civilians"]) + lC, np.log(w["lethality_rebels"]) + lR]
    _reject_overflow(logs, w, defaults, (*_LETHALITY, *names), label, upper_only=True)


def _deaths_box_ok(box: Mapping[str, tuple[float, float]], lC: float, lR: float) -> bool:
    """Whether :func:`_reject_deaths` holds on a box, given upper bounds ``lC``, ``lR`` of ln C*, ln R*
    there (margin 10). A lethality missing from the box is at its default (λ = 1, ψ = 0)."""
    lam = float(box.get("lethality_civilians", (1.0, 1.0))[1])
    psi = float(box.get("lethality_rebels", (0.0, 0.0))[1])
    if not (0.0 <= lam < math.inf and 0.0 <= psi < math.inf):
        return False
    terms = [(math.log(lam) if lam > 0 else -math.inf) + lC, (math.log(psi) if psi > 0 else -math.inf) + lR]
    return max(terms) <= _LOG_LIMIT - 10.0


def _reject_overflow(logs: list[Any], v: Mapping[str, np.ndarray], defaults: Mapping[str, float],
                     names: tuple[str, ...], label: str, *, upper_only: bool = False) -> None:
    """Raise where a log of an outcome exceeds :data:`_LOG_LIMIT` in absolute value (or, with
    ``upper_only``, exceeds it: tiny outcomes are then accepted), blaming the parameter
    farthest from its default in log terms."""
    bad = np.zeros(np.broadcast_shapes(*(np.shape(x) for x in logs)), dtype=bool)
    for x in logs:
        bad |= ~((x if upper_only else np.abs(x)) <= _LOG_LIMIT)
    if not bad.any():
        return
    names = tuple(k for k in names if k in v)
    i = np.flatnonzero(bad.ravel())[0]
    point = {k: float(np.broadcast_to(v[k], bad.shape).ravel()[i]) for k in names}
    blame = farthest_from_default(point, defaults, names)  # (no default, as the control target: from 1)
    n = f"; {int(bad.sum())} of {bad.size} points invalid" if bad.ndim else ""
    bound = "ln outcome ≤ 700" if upper_only else "|ln outcome| ≤ 700"
    raise ParameterError(
        blame, f"values at which the optimum is a finite float64 ({bound})", point[blame],
        f"at {', '.join(f'{k}={x:g}' for k, x in point.items())} the {label} optimum overflows{n}")


@dataclass(frozen=True, kw_only=True)
class CESParams(CommonParams):
    """Parameters of the CES technology Z = A·[θ(a_R R)^ρ + (1 − θ)(a_C C)^ρ]^{1/ρ}, ρ = (σ − 1)/σ."""

    tfp: float = param(1.0, symbol="A", latex="A", interval=POSITIVE, sweep_range=_PROD,
                       long_name="total factor productivity of violence")
    share_rebels: float = param(0.5, symbol="theta", latex=r"\theta", interval=UNIT_OPEN, sweep_range=(0.05, 0.95),
                                long_name="distribution (bias) weight of attacks on rebels")
    substitution_elasticity: float = param(2.0, symbol="sigma", latex=r"\sigma", interval=POSITIVE,
                                           sweep_range=(0.1, 5.0),
                                           long_name="elasticity of substitution between attack types")
    productivity_rebels: float = param(1.0, symbol="a_R", latex="a_R", interval=POSITIVE, sweep_range=_PROD,
                                       long_name="productivity of attacks on rebels")
    productivity_civilians: float = param(1.0, symbol="a_C", latex="a_C", interval=POSITIVE, sweep_range=_PROD,
                                          long_name="productivity of attacks on civilians")

    def check_joint(self) -> None:
        _ces_representable(self.to_dict(), type(self).defaults())

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, np.ndarray | float]) -> None:
        _ces_representable(values, cls.defaults())

    @classmethod
    def joint_holds_on_box(cls, box: Mapping[str, tuple[float, float]]) -> bool:
        return _ces_box_ok(box)


def _ces_log_optimum(values: Mapping[str, Any]) -> list[np.ndarray]:
    """Natural logs of the CES optimum: ``[ln Z*, ln R*, ln C*]`` (max_control) or
    ``[ln e*, ln R*, ln C*]`` (min_cost, with a ``control_target``), before snapping.

    With ``u_R = ln(θ a_R/p_R)``, ``u_C = ln((1 − θ) a_C/p_C)`` and ``ε = σ − 1``, the unit cost
    is ``ln P = −m − L/ε`` and the resource shares ``ln s_i = ln w_i + ε(u_i − m) − L``, where
    ``m`` is the larger ``u`` for ``ε > 0`` (the smaller for ``ε < 0``) and
    ``L = ln(θ e^{ε(u_R − m)} + (1 − θ) e^{ε(u_C − m)})``: every exponent is ≤ 0, so nothing
    overflows whatever the inputs (the kernel's forms can, and would hide an overflow). Within
    :data:`SIGMA_ONE` of σ = 1, the Cobb–Douglas limit ``ln P = −(θ u_R + (1 − θ) u_C)``. Then
    ``Z* = A M/P``, ``e* = Z̄ P/A``, ``R* = s_R·(M or e*)/p_R``, ``C* = s_C·(M or e*)/p_C``.

    Examples
    --------
    >>> v = CESParams().to_dict()  # θ = 1/2, σ = 2, unit prices and productivities, M = 100
    >>> [round(float(np.exp(x)), 9) for x in _ces_log_optimum(v)]
    [50.0, 50.0, 50.0]
    """
    v = {k: np.asarray(values[k], dtype=float) for k in values}
    pR, pC = v["price_rebels"], v["price_civilians"]
    th, eps = v["share_rebels"], v["substitution_elasticity"] - 1.0
    with np.errstate(all="ignore"):
        lw_r, lw_c = np.log(th), np.log1p(-th)
        uR = lw_r + np.log(v["productivity_rebels"]) - np.log(pR)
        uC = lw_c + np.log(v["productivity_civilians"]) - np.log(pC)
        near = np.abs(eps) < SIGMA_ONE
        m = np.where(eps > 0, np.maximum(uR, uC), np.minimum(uR, uC))
        dR, dC = eps * (uR - m), eps * (uC - m)  # ≤ 0 (or NaN only if an input is)
        L = np.log(th * np.exp(dR) + (1.0 - th) * np.exp(dC))
        lP = np.where(near, -(th * uR + (1.0 - th) * uC), -m - L / np.where(near, 1.0, eps))
        lsR = np.where(near, lw_r, lw_r + dR - L)
        lsC = np.where(near, lw_c, lw_c + dC - L)
        if "control_target" in v:
            lspend = np.log(v["control_target"]) - np.log(v["tfp"]) + lP
            first = lspend
        else:
            lspend = np.log(v["resources"]) + 0.0 * lP
            first = np.log(v["tfp"]) + lspend - lP
        return [first, lspend + lsR - np.log(pR), lspend + lsC - np.log(pC)]


def _ces_representable(values: Mapping[str, Any], defaults: Mapping[str, float]) -> None:
    """Reject CES points whose optimum exceeds the float64 range (vectorised).

    Attacks on civilians are ``C* = s_C·M/p_C`` under max_control: a tiny but valid price
    (5e-324, the smallest positive float64, say) makes them exceed the largest float whenever
    ``s_C`` is not itself tiny (σ ≥ 1, or complements with a moderate price ratio), and so does
    control ``Z* = A·M/P`` with an extreme productivity. As for Cobb–Douglas
    (:func:`_cd_representable`), such points are outside the model's domain
    (docs/explanation/anderton_brauer.md, "Modelling choices"). Only overflow is refused: a
    tiny optimum is a result (the kernel snaps it to a corner, or it underflows towards 0).
    """
    v = {k: np.asarray(values[k], dtype=float) for k in values}
    logs = _ces_log_optimum(v)
    names = ("price_civilians", "price_rebels", "resources", "tfp", "productivity_civilians", "productivity_rebels",
             "control_target", "share_rebels", "substitution_elasticity")
    _reject_overflow(logs, v, defaults, names, "CES", upper_only=True)
    _reject_deaths(v, defaults, names, "CES", logs[2], logs[1])


def _ces_box_ok(box: Mapping[str, tuple[float, float]]) -> bool:
    """Whether interval bounds prove every log of :func:`_ces_representable` below the limit on a box.

    The optimum is bounded by spending everything on one input: ``R* ≤ M/p_R``, ``C* ≤ M/p_C``,
    and (the CES aggregate is a weighted power mean of ``a_R R`` and ``a_C C``, at most their
    maximum) ``Z* ≤ A·max(a_R M/p_R, a_C M/p_C)``; under min_cost the bundle
    ``(Z̄/A)(1/a_R, 1/a_C)`` reaches the target, so ``e* ≤ (Z̄/A)(p_R/a_R + p_C/a_C)``. A margin
    of 10 covers rounding. ``False`` means "not proven".

    Examples
    --------
    >>> box = {k: (0.5, 2.0) for k in ("resources", "price_rebels", "price_civilians", "tfp",
    ...                                "productivity_rebels", "productivity_civilians")}
    >>> _ces_box_ok(box), _ces_box_ok({**box, "price_civilians": (5e-324, 2.0)})
    (True, False)
    """
    keys = ["resources", "price_rebels", "price_civilians", "tfp", "productivity_rebels", "productivity_civilians",
            *(["control_target"] if "control_target" in box else [])]
    if any(k not in box for k in keys):
        return False
    rng = {k: (float(box[k][0]), float(box[k][1])) for k in keys}
    if not all(0.0 < lo <= hi < math.inf for lo, hi in rng.values()):
        return False
    lo = {k: math.log(a) for k, (a, _) in rng.items()}
    hi = {k: math.log(b) for k, (_, b) in rng.items()}
    if "control_target" in rng:
        ra, ca = hi["price_rebels"] - lo["productivity_rebels"], hi["price_civilians"] - lo["productivity_civilians"]
        spend = hi["control_target"] - lo["tfp"] + max(ra, ca) + math.log1p(math.exp(-abs(ra - ca)))
        dtfp = 0.0
    else:
        spend = hi["resources"]
        dtfp = hi["tfp"] + max(hi["productivity_rebels"] - lo["price_rebels"],
                               hi["productivity_civilians"] - lo["price_civilians"])
    first = spend if "control_target" in rng else spend + dtfp
    worst = max(first, spend - lo["price_rebels"], spend - lo["price_civilians"])
    return worst <= _LOG_LIMIT - 10.0 and _deaths_box_ok(box, spend - lo["price_civilians"], spend - lo["price_rebels"])


@dataclass(frozen=True, kw_only=True)
class ContestParams(CommonParams):
    """Parameters of the contest technology Z = x^m/(x^m + G0^m), x = a_R·R·(1 + κC)."""

    productivity_rebels: float = param(1.0, symbol="a_R", latex="a_R", interval=POSITIVE, sweep_range=_PROD,
                                       long_name="productivity of attacks on rebels")
    support_erosion: float = param(0.05, symbol="kappa", latex=r"\kappa", interval=POSITIVE,
                                   sweep_range=(math.exp(-5.0), 1.0),
                                   long_name="erosion of the rebels' support per attack on civilians")
    rebel_base_strength: float = param(60.0, symbol="G_0", latex="G_0", interval=POSITIVE, sweep_range=(1.0, 200.0),
                                       long_name="rebels' base strength")
    decisiveness: float = param(1.0, symbol="m", latex="m", interval=POSITIVE, sweep_range=(0.3, 3.0),
                                long_name="decisiveness of the contest")

    def check_joint(self) -> None:
        _contest_representable(self.to_dict(), type(self).defaults())

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, np.ndarray | float]) -> None:
        _contest_representable(values, cls.defaults())

    @classmethod
    def joint_holds_on_box(cls, box: Mapping[str, tuple[float, float]]) -> bool:
        return _contest_box_ok(box)


@dataclass(frozen=True, kw_only=True)
class LinearParams(CommonParams):
    """Parameters of the linear technology Z = b_R R + b_C C (perfect substitutes)."""

    productivity_rebels: float = param(1.0, symbol="b_R", latex="b_R", interval=POSITIVE, sweep_range=_PROD,
                                       long_name="control per attack on rebels")
    productivity_civilians: float = param(1.25, symbol="b_C", latex="b_C", interval=POSITIVE, sweep_range=_PROD,
                                          long_name="control per attack on civilians")

    def check_joint(self) -> None:
        _linear_representable(self.to_dict(), type(self).defaults())

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, np.ndarray | float]) -> None:
        _linear_representable(values, cls.defaults())

    @classmethod
    def joint_holds_on_box(cls, box: Mapping[str, tuple[float, float]]) -> bool:
        return _linear_box_ok(box)


@dataclass(frozen=True, kw_only=True)
class QuasiLinearParams(CommonParams):
    """Parameters of the quasi-linear technology Z = R + β·ln(1 + C)."""

    civilian_value: float = param(30.0, symbol="beta", latex=r"\beta", interval=POSITIVE, sweep_range=(1.0, 50.0),
                                  long_name="control value of attacks on civilians")

    def check_joint(self) -> None:
        _ql_representable(self.to_dict(), type(self).defaults())

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, np.ndarray | float]) -> None:
        _ql_representable(values, cls.defaults())

    @classmethod
    def joint_holds_on_box(cls, box: Mapping[str, tuple[float, float]]) -> bool:
        return _ql_box_ok(box)


def _quadratic_joint(beta: Any, gamma: Any, delta: Any, M: Any, pR: Any, pC: Any, *, budget: bool,
                     values: Mapping[str, Any] | None = None, defaults: Mapping[str, float] | None = None) -> None:
    """Validity region of the quadratic technology (see its section of the Anderton–Brauer explanation
    page), vectorised; raises on the first violation."""
    beta, gamma, delta, M, pR, pC = np.broadcast_arrays(*(np.asarray(a, dtype=float)
                                                          for a in (beta, gamma, delta, M, pR, pC)))
    with np.errstate(all="ignore"):
        k = gamma * pR - 2.0 * delta * pC
        bad = ~(k > 0)
        # where a product overflows (inf − inf is NaN) or underflows, compare γ p_R with 2 δ p_C in logs
        odd = _outside_normal(gamma * pR) | _outside_normal(2.0 * delta * pC, delta > 0)
        if odd.any():
            bad = np.where(odd, ~(np.log(gamma) + np.log(pR) > np.log(2.0 * delta) + np.log(pC)), bad)
    if bad.any():
        i = np.flatnonzero(bad.ravel())[0]
        b, g, d, r, c = (a.ravel()[i] for a in (beta, gamma, delta, pR, pC))
        n = f"; {int(bad.sum())} of {bad.size} points invalid" if bad.ndim else ""
        with np.errstate(all="ignore"):  # (a bound beyond the float range reads inf: no bound there)
            others = {"interaction": (f"[0, {g * r / (2 * c):g})", float(d)),
                      "price_rebels": (f"({2 * d * c / g:g}, inf)", float(r)),
                      "price_civilians": (f"(0, {g * r / (2 * d):g})" if d > 0 else "(0, inf)", float(c))}
            why = f"k = γ·p_R − 2·δ·p_C = {g:g}·{r:g} − 2·{d:g}·{c:g} = {g * r - 2 * d * c:g} must be > 0{n}"
            low_g = f"({2 * d * c / r:g}, inf)"
        raise ParameterError("civilian_saturation", low_g, float(g), why, alternatives=others)
    if values is not None:  # attacks and control beyond e^700 are refused first (they name the extreme input)
        _quad_representable(values, defaults or {}, budget=budget)
    if not budget:
        return
    zb, _, _ = _quadratic_budget_optimum(beta, gamma, delta, M, pR, pC)
    with np.errstate(all="ignore"):
        idle = beta**2 / (2.0 * gamma)
        # β² may overflow where β²/(2γ) does not
        idle = np.where(idle <= _HUGE, idle, np.exp(2.0 * np.log(beta) - np.log(2.0 * gamma)))
        applies = beta / gamma < M / pC
    bad = applies & (zb < idle * (1.0 - 1e-12))
    if bad.any():
        i = np.flatnonzero(bad.ravel())[0]
        b, g, m, z, zi = (a.ravel()[i] for a in (beta, gamma, M, zb, idle))
        n = f"; {int(bad.sum())} of {bad.size} points invalid" if bad.ndim else ""
        with np.errstate(all="ignore"):
            at = f"{b / g:.10g}"
        raise ParameterError(
            "resources", "budgets at which spending everything is optimal (the quadratic technology's validity region)",
            float(m),
            f"the best budget-exhausting mix gives Z = {z:.10g} < β²/(2γ) = {zi:.10g}, attained at "
            f"(R, C) = (0, β/γ) = (0, {at}) which leaves resources unspent{n}")


def _quadratic_box_ok(box: Mapping[str, tuple[float, float]], *, budget: bool) -> bool:
    """Whether the quadratic technology's validity region contains a whole box of parameters.

    Interval arithmetic on each parameter's (minimum, maximum): k = γ·p_R − 2·δ·p_C is smallest
    at (γ_min, p_R,min, δ_max, p_C,max); and spending the whole budget on attacks on rebels gives
    Z = M/p_R, so the best budget-exhausting mix gives at least M_min/p_R,max, which beats the
    idle optimum β²/(2γ) ≤ β_max²/(2γ_min) when larger (with a relative margin of 1e-9). ``False``
    means "not proven"; the elementwise check then decides.

    Examples
    --------
    >>> box = {"civilian_value": (1.0, 10.0), "civilian_saturation": (0.5, 5.0), "interaction": (0.0, 0.15),
    ...        "resources": (150.0, 500.0), "price_rebels": (0.8, 1.25), "price_civilians": (0.8, 1.25)}
    >>> _quadratic_box_ok(box, budget=True), _quadratic_box_ok({**box, "interaction": (0.0, 0.5)}, budget=True)
    (True, False)
    """
    keys = ("civilian_value", "civilian_saturation", "interaction", "resources", "price_rebels", "price_civilians")
    if any(k not in box for k in keys):
        return False
    (b_lo, b_hi), (g_lo, g_hi), (d_lo, d_hi), (m_lo, m_hi), (r_lo, r_hi), (c_lo, c_hi) = (
        (float(box[k][0]), float(box[k][1])) for k in keys)
    if not all(math.isfinite(x) for x in (b_lo, b_hi, g_lo, g_hi, d_lo, d_hi, m_lo, m_hi, r_lo, r_hi, c_lo, c_hi)):
        return False
    if not (g_lo > 0 and r_lo > 0 and c_lo > 0 and d_lo >= 0 and m_lo > 0 and b_lo > 0):
        return False
    k_lo = g_lo * r_lo - 2.0 * d_hi * c_hi
    if not (k_lo > 0 or (d_hi > 0 and math.log(g_lo) + math.log(r_lo) > math.log(2.0 * d_hi) + math.log(c_hi) + 1e-9)):
        return False
    # (the overflow bound needs Z̄ under min_cost; a box without it asks about the region only)
    if (budget or "control_target" in box) and not _quad_overflow_box_ok(box, budget=budget):
        return False
    if not budget:
        return True
    if m_lo / r_hi > (b_hi * b_hi / (2.0 * g_lo)) * (1.0 + 1e-9):
        return True
    # (in logs, where a quotient or β² left the float range)
    return math.log(m_lo) - math.log(r_hi) > 2.0 * math.log(b_hi) - math.log(2.0 * g_lo) + 1e-9


def _quad_overflow_box_ok(box: Mapping[str, tuple[float, float]], *, budget: bool) -> bool:
    """Whether interval bounds prove :func:`_quad_representable` on a box (margin 10).

    Under max_control C* ≤ M/p_C and R* ≤ M/p_R bound the attacks and the terms of control.
    Under min_cost the chosen cost is at most that of Z̄ attacks on rebels (p_R Z̄), so
    R* ≤ Z̄ and C* ≤ p_R Z̄/p_C (up to the 1e-12 tie tolerance); the products and quotients the
    closed form forms on the way (k, q = p_C + δ p_R Z̄ − β p_R, C_i ≤ 2|q|/k, C₀ ≤ β/γ, ...)
    are bounded too, so that none overflows into a NaN.

    Examples
    --------
    >>> box = {"civilian_value": (1.0, 10.0), "civilian_saturation": (0.5, 5.0), "interaction": (0.0, 0.15),
    ...        "resources": (150.0, 500.0), "price_rebels": (0.8, 1.25), "price_civilians": (0.8, 1.25)}
    >>> _quad_overflow_box_ok(box, budget=True), _quad_overflow_box_ok({**box, "resources": (1.0, 1e306)}, budget=True)
    (True, False)
    """
    first = "resources" if budget else "control_target"
    r = _log_box(box, [first, "price_rebels", "price_civilians", "civilian_value", "civilian_saturation"])
    if r is None:
        return False
    d_lo, d_hi = (float(x) for x in box["interaction"])
    if not 0.0 <= d_lo <= d_hi < math.inf:
        return False
    ld = math.log(d_hi) if d_hi > 0 else -math.inf
    lpR, lpC, lb, lg = r["price_rebels"], r["price_civilians"], r["civilian_value"], r["civilian_saturation"]
    if budget:
        lM = r["resources"][1]
        lC, lR = lM - lpC[0], lM - lpR[0]
        deaths = _deaths_box_ok(box, lC, lR)
        logs = [lC, lR, *([] if deaths else [math.inf]), lb[1] + lC, lg[1] + 2.0 * lC, ld + lR + lC,
                lg[1] + lpR[1], math.log(2.0) + ld + lpC[1], lb[1] + lpR[1], ld + lM]
    else:
        lZ = r["control_target"][1]
        kmin = math.exp(lg[0] + lpR[0]) - 2.0 * d_hi * math.exp(lpC[1]) if max(lg[0] + lpR[0], lpC[1]) < 700 else 0.0
        if not kmin > 0:
            return False
        lq = max(lpC[1], ld + lpR[1] + lZ, lb[1] + lpR[1]) + math.log(3.0)
        lci = math.log(2.0) + lq - math.log(kmin)
        deaths = _deaths_box_ok(box, lpR[1] + lZ - lpC[0], lZ)
        logs = [lZ, lpR[1] + lZ, lpR[1] + lZ - lpC[0], *([] if deaths else [math.inf]), lg[1] + lpR[1],
                math.log(2.0) + ld + lpC[1], lq, math.log(2.0) + ld + lq - math.log(kmin), lci, 2.0 * lci,
                lb[1] + lci, lg[1] + 2.0 * lci, ld + lci, ld + lpR[1], 2.0 * lb[1], math.log(2.0) + lg[1] + lZ,
                lb[1] - lg[0], lpC[1] + lb[1] - lg[0]]
    return max(logs) <= _LOG_LIMIT - 10.0


def _outside_normal(x: Any, nonzero: Any = True) -> np.ndarray:
    """Where a product of positive factors (and ``nonzero``) is beyond the largest float (or
    NaN), or below the smallest normal one (subnormal or rounded to 0)."""
    return ~(x <= _HUGE) | ((x < _TINY) & nonzero)


def _quad_c_int(beta: Any, gamma: Any, delta: Any, M: Any, pR: Any, pC: Any) -> np.ndarray:
    """The unclipped interior C = (β p_R − p_C − δM)/k, k = γ p_R − 2δ p_C.

    Where one of the four products leaves the normal range (γ p_R overflowing while C is
    tiny, say: inf/inf is NaN), numerator and k are each scaled by their largest term in logs.
    """
    with np.errstate(all="ignore"):
        k = gamma * pR - 2.0 * delta * pC
        c_int = (beta * pR - pC - delta * M) / k
        odd = (_outside_normal(gamma * pR) | _outside_normal(2.0 * delta * pC, delta > 0)
               | _outside_normal(beta * pR) | _outside_normal(delta * M, delta > 0))
        if np.any(odd):
            lpR, ld = np.log(pR), np.log(delta)
            a1, a2 = np.log(gamma) + lpR, np.log(2.0) + ld + np.log(pC)
            n1, n2, n3 = np.log(beta) + lpR, np.log(pC), ld + np.log(M)
            sk, sn = np.maximum(a1, a2), np.maximum(np.maximum(n1, n2), n3)
            ks = np.exp(a1 - sk) - np.exp(a2 - sk)
            ns = np.exp(n1 - sn) - np.exp(n2 - sn) - np.exp(n3 - sn)
            mag = np.exp(np.log(np.abs(ns)) - np.log(ks) + (sn - sk))
            c_int = np.where(odd, np.where(ns > 0, mag, np.where(ns < 0, -mag, 0.0)), c_int)
    return np.asarray(c_int)


def _quad_value(beta: Any, gamma: Any, delta: Any, R: Any, C: Any) -> np.ndarray:
    """Z = R + βC − (γ/2)C² − δRC; where C² or δRC overflows (the term itself need not), the
    term is computed as (γC/2)·C or from logs."""
    with np.errstate(all="ignore"):
        c2 = C**2
        t2 = 0.5 * gamma * c2
        t3 = delta * R * C
        if not (np.all(c2 <= _HUGE) and np.all(t3 <= _HUGE)):
            t2 = np.where(c2 <= _HUGE, t2, 0.5 * gamma * C * C)
            t3 = np.where(t3 <= _HUGE, t3, np.exp(np.log(delta) + np.log(R) + np.log(C)))
    return np.asarray(R + beta * C - t2 - t3)


def _quadratic_budget_optimum(beta: Any, gamma: Any, delta: Any, M: Any, pR: Any, pC: Any) -> tuple[Any, Any, Any]:
    c_int = _quad_c_int(beta, gamma, delta, M, pR, pC)
    with np.errstate(all="ignore"):
        C = np.clip(c_int, 0.0, M / pC)
        R = np.maximum((M - pC * C) / pR, 0.0)
        R = np.where(M / pC <= C, 0.0, R)
    return _quad_value(beta, gamma, delta, R, C), C, R


def _quad_representable(values: Mapping[str, Any], defaults: Mapping[str, float], *, budget: bool) -> None:
    """Reject quadratic points whose optimum exceeds the float64 range (vectorised).

    The closed form is evaluated (before snapping) and ``ln`` of the attacks (and under
    max_control each term βC*, γC*²/2, δR*C* of control; under min_cost the cost) must be at
    most 700: a tiny p_R with no interaction asks for M/p_R attacks on rebels, a huge
    control target for Z̄ of them. A NaN (an intermediate of the closed form that overflowed)
    is refused too. Only overflow is refused.
    """
    v = {k: np.asarray(x, dtype=float) for k, x in values.items()}
    # (the raw choice: snapping could move an overflowed R* = inf to the other corner)
    with np.errstate(all="ignore"):
        raw = (quad_max if budget else quad_min)(v)
    C, R = np.asarray(raw["C"], dtype=float), np.asarray(raw["R"], dtype=float)
    with np.errstate(all="ignore"):
        lC, lR = np.log(C), np.log(R)
        if budget:
            logs = [lC, lR, np.log(v["civilian_value"]) + lC, np.log(0.5 * v["civilian_saturation"]) + 2.0 * lC,
                    np.log(v["interaction"]) + lR + lC]
        else:
            logs = [lC, lR, np.log(v["price_rebels"] * R + v["price_civilians"] * C)]
    names = ("price_rebels", "price_civilians", "resources", "civilian_value", "civilian_saturation", "interaction",
             "control_target")
    _reject_overflow(logs, v, defaults, names, "quadratic", upper_only=True)
    _reject_deaths(v, defaults, names, "quadratic", lC, lR)


@dataclass(frozen=True, kw_only=True)
class QuadraticParams(CommonParams):
    """Parameters of the quadratic technology Z = R + βC − (γ/2)C² − δRC (inferior / Giffen case).

    Valid only in a joint region (k = γ·p_R − 2·δ·p_C > 0, and spending the whole budget
    optimal; see the Anderton–Brauer explanation page), checked on construction and in sweeps.
    The sweep ranges (the default box of sensitivity analysis and sampling) are narrower than
    for the other technologies so that every point of the box lies in that region:
    k ≥ 0.5·0.8 − 2·0.15·1.25 > 0, and spending everything on attacks on rebels already gives
    Z ≥ M/p_R ≥ 150/1.25 = 120 > β²/(2γ) ≤ 10²/(2·0.5) = 100 (a test checks the box).
    """

    resources: float = param(100.0, symbol="M", latex="M", interval=POSITIVE, sweep_range=(150.0, 500.0),
                             long_name="perpetrator's resources for violence", units="resource units")
    price_rebels: float = param(1.0, symbol="p_R", latex="p_R", interval=POSITIVE, sweep_range=(0.8, 1.25),
                                long_name="price of an attack on rebels", units="resources per attack")
    price_civilians: float = param(1.0, symbol="p_C", latex="p_C", interval=POSITIVE, sweep_range=(0.8, 1.25),
                                   long_name="price of an attack on civilians", units="resources per attack")
    civilian_value: float = param(9.0, symbol="beta", latex=r"\beta", interval=POSITIVE, sweep_range=(1.0, 10.0),
                                  long_name="control value of the first attacks on civilians")
    civilian_saturation: float = param(1.0, symbol="gamma", latex=r"\gamma", interval=POSITIVE,
                                       sweep_range=(0.5, 5.0), long_name="saturation of attacks on civilians")
    interaction: float = param(0.1, symbol="delta", latex=r"\delta", interval=NONNEGATIVE, sweep_range=(0.0, 0.15),
                               long_name="crowding out of civilian attacks by attacks on rebels")

    _budget_check = True

    def check_joint(self) -> None:
        values = self.to_dict()
        # (a single point: the interval bound of the overflow rule usually proves it, cheaper
        # than evaluating the closed form)
        proven = _quad_overflow_box_ok({k: (x, x) for k, x in values.items()}, budget=self._budget_check)
        _quadratic_joint(self.civilian_value, self.civilian_saturation, self.interaction, self.resources,
                         self.price_rebels, self.price_civilians, budget=self._budget_check,
                         values=None if proven else values, defaults=type(self).defaults())

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, np.ndarray | float]) -> None:
        _quadratic_joint(values["civilian_value"], values["civilian_saturation"], values["interaction"],
                         values["resources"], values["price_rebels"], values["price_civilians"],
                         budget=cls._budget_check, values=values, defaults=cls.defaults())

    @classmethod
    def joint_holds_on_box(cls, box: Mapping[str, tuple[float, float]]) -> bool:
        return _quadratic_box_ok(box, budget=cls._budget_check)


FAMILY_PARAMS: dict[str, type[CommonParams]] = {
    "cobb_douglas": CobbDouglasParams,
    "ces": CESParams,
    "contest": ContestParams,
    "linear": LinearParams,
    "quasi_linear": QuasiLinearParams,
    "quadratic": QuadraticParams,
}

COMMON_NAMES: tuple[str, ...] = CommonParams.names()


def control_target_field(technology: str) -> Any:
    """The ``control_target`` field (Z̄) added to the parameter set under ``min_cost``."""
    if technology == "contest":
        return param(math.nan, symbol="Zbar", latex=r"\bar{Z}", interval=UNIT_OPEN, sweep_range=(0.05, 0.95),
                     long_name="control target (share of control)")
    return param(math.nan, symbol="Zbar", latex=r"\bar{Z}", interval=POSITIVE, sweep_range=(1.0, 200.0),
                 long_name="control target")


def _min_cost_class(technology: str) -> type[CommonParams]:
    base = FAMILY_PARAMS[technology]
    if base.__doc__ is None:  # every family class is documented (and @dataclass synthesises a docstring)
        raise AttributeError(f"{base.__name__} has no docstring")
    ns: dict[str, Any] = {"__doc__": f"{base.__doc__.splitlines()[0]} With a control target (objective "
                                      f"min_cost).", "__module__": __name__}
    if technology == "quadratic":
        ns["_budget_check"] = False
    cls = dataclasses.make_dataclass(f"{base.__name__[:-6]}MinCostParams",
                                     [("control_target", float, control_target_field(technology))],
                                     bases=(base,), frozen=True, kw_only=True, namespace=ns)
    return cls


MIN_COST_PARAMS: dict[str, type[CommonParams]] = {t: _min_cost_class(t) for t in TECHNOLOGIES}
globals().update({cls.__name__: cls for cls in MIN_COST_PARAMS.values()})  # importable by name (pickle)


def params_class(technology: str, objective: str) -> type[CommonParams]:
    return MIN_COST_PARAMS[technology] if objective == "min_cost" else FAMILY_PARAMS[technology]


# ----------------------------------------------------------------------------- helpers
def _a(v: Mapping[str, Any], name: str) -> np.ndarray:
    return np.asarray(v[name], dtype=float)


def _common(v: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _a(v, "resources"), _a(v, "price_rebels"), _a(v, "price_civilians")


_INF = np.inf
_TINY = float(np.finfo(float).tiny)  # the smallest normal float64
_HUGE = float(np.finfo(float).max)


# ----------------------------------------------------------------------------- cobb_douglas
def cd_control(v: Mapping[str, Any], R: Any, C: Any) -> np.ndarray:
    A, ar, ac = _a(v, "tfp"), _a(v, "weight_rebels"), _a(v, "weight_civilians")
    return np.exp(np.log(A) + ar * np.log(R) + ac * np.log(C))


def cd_max(v: Mapping[str, Any]) -> dict[str, Any]:
    M, pR, pC = _common(v)
    ar, ac = _a(v, "weight_rebels"), _a(v, "weight_civilians")
    h = ar + ac
    return {"C": ac / h * M / pC, "R": ar / h * M / pR, "choke": np.full_like(M * ar, _INF)}


def cd_log_cost(v: Mapping[str, Any], Z: Any, A: Any, ar: Any, ac: Any) -> np.ndarray:
    _, pR, pC = _common(v)
    h = ar + ac
    return np.log(h) + (np.log(Z) - np.log(A)) / h + ar / h * np.log(pR / ar) + ac / h * np.log(pC / ac)


def cd_min(v: Mapping[str, Any]) -> dict[str, Any]:
    _, pR, pC = _common(v)
    ar, ac = _a(v, "weight_rebels"), _a(v, "weight_civilians")
    h = ar + ac
    e = np.exp(cd_log_cost(v, _a(v, "control_target"), _a(v, "tfp"), ar, ac))
    return {"C": ac / h * e / pC, "R": ar / h * e / pR, "choke": np.full_like(e, _INF)}


# ----------------------------------------------------------------------------- ces
def _log_mean(w: Any, x: Any, y: Any, eps: Any) -> np.ndarray:
    """ln(w·e^{εx} + (1 − w)·e^{εy}), accurate when ε = σ − 1 (or ρ) is small.

    For |ε| ≤ 1/2 it is log1p(w·expm1(εx) + (1 − w)·expm1(εy)), which keeps full relative
    precision as ε → 0 (so that dividing by ε is harmless), unless that sum is below −0.999 or
    overflows (extreme price or productivity ratios); elsewhere a logaddexp.
    """
    with np.errstate(all="ignore"):
        small = np.abs(eps) <= 0.5
        e_s = np.where(small, eps, 0.0)
        t = w * np.expm1(e_s * x) + (1.0 - w) * np.expm1(e_s * y)
        near = np.log1p(t)
        far = np.logaddexp(np.log(w) + eps * x, np.log1p(-w) + eps * y)
        # where both εx and εy are very negative the sum t nears −1 and log1p(t) cancels (ln C
        # was off by up to 0.45 at p_C = 6e-44, a_C = 4e38), and where one is beyond 709 t is
        # inf: there |ln Σ| is not small and the logaddexp is accurate
        small = small & (t >= -0.999) & (t <= _HUGE)  # (not in place: t may broadcast wider than eps)
    return np.where(small, near, far)


def _ces_terms(v: Mapping[str, Any]) -> tuple[Any, ...]:
    """Resource shares s_C, s_R and ln Σ, with Σ = θ^σ a_R^{σ−1} p_R^{1−σ} + (1 − θ)^σ a_C^{σ−1} p_C^{1−σ}.

    Σ = θ·e^{(σ−1)u_R} + (1 − θ)·e^{(σ−1)u_C} with u_R = ln(θ a_R/p_R), u_C = ln((1 − θ) a_C/p_C),
    so ln Σ is evaluated by :func:`_log_mean`, accurate near σ = 1 where it is divided by σ − 1.
    Also returned: the log shares, and ``None`` or, where ε·u overflowed, ``(mask, ln Σ/ε)``
    from the shifted form.
    """
    _, pR, pC = _common(v)
    th, s = _a(v, "share_rebels"), _a(v, "substitution_elasticity")
    aR, aC = _a(v, "productivity_rebels"), _a(v, "productivity_civilians")
    uR = np.log(th) + np.log(aR) - np.log(pR)
    uC = np.log1p(-th) + np.log(aC) - np.log(pC)
    eps = s - 1.0
    lS = _log_mean(th, uR, uC, eps)
    ltR = np.log(th) + eps * uR
    ltC = np.log1p(-th) + eps * uC
    lsC, lsR = ltC - lS, ltR - lS
    alt = None
    bad = ~(np.isfinite(lsC) & np.isfinite(lsR) & np.isfinite(lS))
    if np.any(bad):
        # ε·u beyond the float range (σ near 1e306, say: inf − inf): shift by the larger εu as
        # _ces_log_optimum does, ln s_i = ln w_i + ε(u_i − m) − L, and ln Σ/ε = m + L/ε
        m = np.where(eps > 0, np.maximum(uR, uC), np.minimum(uR, uC))
        dR, dC = eps * (uR - m), eps * (uC - m)
        L = np.log(th * np.exp(dR) + (1.0 - th) * np.exp(dC))
        lsR = np.where(bad, np.log(th) + dR - L, lsR)
        lsC = np.where(bad, np.log1p(-th) + dC - L, lsC)
        alt = (bad, m + L / eps)
    return np.exp(lsC), np.exp(lsR), lS, lsC, lsR, alt


def _spend_on(spend: Any, share: Any, lshare: Any, p: Any, lspend: Any = None) -> np.ndarray:
    """Attacks ``spend·share/p``; from logs (``lspend`` = ln spend) where the share or
    ``spend·share`` is outside the normal range (digits lost, or rounded to 0 or inf, while the
    attacks need not be)."""
    with np.errstate(all="ignore"):
        x = spend * share
        out = x / p
        odd = ~((share >= _TINY) & (x >= _TINY) & (x <= _HUGE))
        if np.any(odd):
            ls = np.log(spend) if lspend is None else lspend
            out = np.where(odd, np.exp(lshare + ls - np.log(p)), out)
    return np.asarray(out)


def ces_control(v: Mapping[str, Any], R: Any, C: Any) -> np.ndarray:
    """F(R, C) evaluated in log space, with the Cobb–Douglas limit at σ ≈ 1 and zero inputs handled."""
    A, th, s = _a(v, "tfp"), _a(v, "share_rebels"), _a(v, "substitution_elasticity")
    aR, aC = _a(v, "productivity_rebels"), _a(v, "productivity_civilians")
    with np.errstate(all="ignore"):
        R, C = np.asarray(R, dtype=float), np.asarray(C, dtype=float)
        xR, xC = aR * R, aC * C
        lR, lC = np.log(xR), np.log(xC)
        # where a_R R (a_C C) overflows or is subnormal (R, C > 0), its log from the logs
        oR, oC = ~(xR <= _HUGE) | ((xR < _TINY) & (R > 0)), ~(xC <= _HUGE) | ((xC < _TINY) & (C > 0))
        if np.any(oR) or np.any(oC):
            lR = np.where(oR, np.log(aR) + np.log(R), lR)
            lC = np.where(oC, np.log(aC) + np.log(C), lC)
        rho = (s - 1.0) / s
        near = np.abs(s - 1.0) < SIGMA_ONE
        rho_safe = np.where(near, 1.0, rho)
        lse = _log_mean(th, lR, lC, rho_safe) / rho_safe
        # σ below 1e-15 (ρ = (σ − 1)/σ below −1e15, or −inf): the Leontief limit min(ln a_R R,
        # ln a_C C), exact to ~ln θ/ρ; the power mean gave NaN
        leon = rho < -1e15
        if np.any(leon):
            lse = np.where(leon, np.minimum(lR, lC), lse)
        cd = th * lR + (1.0 - th) * lC
        lz = np.log(A) + np.where(near, cd, lse)
    return np.exp(lz)


def ces_max(v: Mapping[str, Any]) -> dict[str, Any]:
    M, pR, pC = _common(v)
    sC, sR, _, lsC, lsR, _ = _ces_terms(v)
    return {"C": _spend_on(M, sC, lsC, pC), "R": _spend_on(M, sR, lsR, pR), "choke": np.full_like(sC * M, _INF)}


def ces_min(v: Mapping[str, Any]) -> dict[str, Any]:
    _, pR, pC = _common(v)
    A, th, s = _a(v, "tfp"), _a(v, "share_rebels"), _a(v, "substitution_elasticity")
    aR, aC, Z = _a(v, "productivity_rebels"), _a(v, "productivity_civilians"), _a(v, "control_target")
    sC, sR, lS, lsC, lsR, alt = _ces_terms(v)
    near = np.abs(s - 1.0) < SIGMA_ONE
    with np.errstate(all="ignore"):
        le = np.log(Z) - np.log(A) + lS / np.where(near, 1.0, 1.0 - s)
        lcd = (np.log(Z) - np.log(A) - th * np.log(aR) - (1.0 - th) * np.log(aC)
               + th * np.log(pR / th) + (1.0 - th) * np.log(pC / (1.0 - th)))
    if alt is not None:  # (ln Σ/(1 − σ) = −ln Σ/ε)
        le = np.where(alt[0], np.log(Z) - np.log(A) - alt[1], le)
    lspend = np.where(near, lcd, le)
    e = np.exp(lspend)
    return {"C": _spend_on(e, sC, lsC, pC, lspend), "R": _spend_on(e, sR, lsR, pR, lspend),
            "choke": np.full_like(e, _INF)}


def ces_axes(v: Mapping[str, Any], Z: Any) -> tuple[np.ndarray, np.ndarray]:
    """Isoquant intercepts (R at C = 0, C at R = 0); infinite where an input is essential (σ ≤ 1)."""
    A, th, s = _a(v, "tfp"), _a(v, "share_rebels"), _a(v, "substitution_elasticity")
    aR, aC = _a(v, "productivity_rebels"), _a(v, "productivity_civilians")
    with np.errstate(all="ignore"):
        rho = np.where(s > 1.0 + SIGMA_ONE, (s - 1.0) / s, 1.0)
        r0 = Z / (A * aR * th ** (1.0 / rho))
        c0 = Z / (A * aC * (1.0 - th) ** (1.0 / rho))
    ok = s > 1.0 + SIGMA_ONE
    return np.where(ok, r0, _INF), np.where(ok, c0, _INF)


# ----------------------------------------------------------------------------- contest
def contest_control(v: Mapping[str, Any], R: Any, C: Any) -> np.ndarray:
    aR, k, G0, m = (_a(v, n) for n in ("productivity_rebels", "support_erosion", "rebel_base_strength",
                                       "decisiveness"))
    with np.errstate(all="ignore"):
        R, C = np.asarray(R, dtype=float), np.asarray(C, dtype=float)
        kC = k * C
        x = aR * R * (1.0 + kC)
        # where the product leaves the normal range (a_R R underflowing to 0 times κC = inf is
        # NaN), ln x from logs
        lx = np.where((x >= _TINY) & (x <= _HUGE), np.log(x),
                      np.log(aR) + np.log(R) + np.where(kC <= _HUGE, np.log1p(kC), np.log(k) + np.log(C)))
        return 1.0 / (1.0 + np.exp(m * (np.log(G0) - lx)))


def contest_max(v: Mapping[str, Any]) -> dict[str, Any]:
    M, pR, pC = _common(v)
    k = _a(v, "support_erosion")
    with np.errstate(all="ignore"):
        d = (M / pC - 1.0 / k) / 2.0
        C = np.where(d > 0, d, 0.0)  # inf − inf (M/p_C and 1/κ both overflowing) is C* = 0 (or refused)
        s, t = M + pC / k, 2.0 * pR
        # (M + p_C/κ)/(2 p_R), halved first where the sum or 2 p_R overflows (R* is finite there)
        R_int = np.where((s <= _HUGE) & (t <= _HUGE), s / t, (0.5 * M + 0.5 * (pC / k)) / pR)
    R = np.where(C > 0, R_int, M / pR)
    return {"C": C, "R": R, "choke": k * M}


def contest_target(v: Mapping[str, Any], Z: Any) -> np.ndarray:
    """V̄: the value of R(1 + κC) that attains control Z."""
    aR, G0, m = _a(v, "productivity_rebels"), _a(v, "rebel_base_strength"), _a(v, "decisiveness")
    with np.errstate(all="ignore"):
        t = (np.log(Z) - np.log1p(-np.asarray(Z, dtype=float))) / m
        V = G0 / aR * np.exp(t)
        # where G₀/a_R or e^t leaves the normal range (V̄ itself may not), V̄ from logs
        return np.where((V >= _TINY) & (V <= _HUGE), V, np.exp(np.log(G0) - np.log(aR) + t))


def contest_min(v: Mapping[str, Any]) -> dict[str, Any]:
    _, pR, pC = _common(v)
    k = _a(v, "support_erosion")
    V = contest_target(v, _a(v, "control_target"))
    with np.errstate(all="ignore"):
        kv = k * pR * V
        w = kv / pC
        # where a product or quotient leaves the normal range, u = √w from logs (w = κ p_R V̄/p_C
        # may be e^±1400 while u and C* are finite)
        odd = ~((kv >= _TINY) & (kv <= _HUGE) & (w >= _TINY) & (w <= _HUGE))
        lu = 0.5 * (np.log(k) + np.log(pR) + np.log(V) - np.log(pC))
        u = np.where(odd, np.exp(lu), np.sqrt(w))
        big = ~(u <= _HUGE)  # u overflows while C* ≈ u/κ and R* ≈ V̄/u may be finite
        C = np.where(big, np.exp(lu - np.log(k)), np.maximum(0.0, (u - 1.0) / k))
        R = np.where(big, np.exp(np.log(V) - lu), V / (1.0 + k * C))
    return {"C": C, "R": R, "choke": k * pR * V}


def contest_axes(v: Mapping[str, Any], Z: Any) -> tuple[np.ndarray, np.ndarray]:
    V = contest_target(v, Z)
    return V, np.full_like(V, _INF)


# ----------------------------------------------------------------------------- linear
def linear_control(v: Mapping[str, Any], R: Any, C: Any) -> np.ndarray:
    return _a(v, "productivity_rebels") * R + _a(v, "productivity_civilians") * C


def _linear_choice(v: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    _, pR, pC = _common(v)
    bR, bC = _a(v, "productivity_rebels"), _a(v, "productivity_civilians")
    a, b = bC * pR, bR * pC
    tie = np.abs(a - b) <= SNAP * np.maximum(a, b)
    civ = (a > b) & ~tie
    # a product that overflows (or underflows below the normal range) would compare wrongly
    # (inf against inf is a "tie"): compare the logs there
    odd = ~((a >= _TINY) & (a <= _HUGE) & (b >= _TINY) & (b <= _HUGE))
    if np.any(odd):
        with np.errstate(all="ignore"):
            la, lb = np.log(bC) + np.log(pR), np.log(bR) + np.log(pC)
        ltie = np.abs(la - lb) <= SNAP
        tie = np.where(odd, ltie, tie)
        civ = np.where(odd, (la > lb) & ~ltie, civ)
    return civ, tie


def _linear_choke(pR: Any, bC: Any, bR: Any) -> np.ndarray:
    """p̂_C = p_R b_C/b_R; from logs where the product p_R b_C leaves the normal range (it
    overflowed to inf, or lost digits as a subnormal, while the quotient need not)."""
    with np.errstate(all="ignore"):
        x = pR * bC
        out = x / bR
        odd = ~((x >= _TINY) & (x <= _HUGE))
        if np.any(odd):
            out = np.where(odd, np.exp(np.log(pR) + np.log(bC) - np.log(bR)), out)
    return np.asarray(out)


def linear_max(v: Mapping[str, Any]) -> dict[str, Any]:
    M, pR, pC = _common(v)
    civ, tie = _linear_choice(v)
    bR, bC = _a(v, "productivity_rebels"), _a(v, "productivity_civilians")
    return {"C": np.where(civ, M / pC, 0.0), "R": np.where(civ, 0.0, M / pR), "choke": _linear_choke(pR, bC, bR),
            "unique": ~tie}


def linear_min(v: Mapping[str, Any]) -> dict[str, Any]:
    _, pR, _ = _common(v)
    Z = _a(v, "control_target")
    civ, tie = _linear_choice(v)
    bR, bC = _a(v, "productivity_rebels"), _a(v, "productivity_civilians")
    return {"C": np.where(civ, Z / bC, 0.0), "R": np.where(civ, 0.0, Z / bR), "choke": _linear_choke(pR, bC, bR),
            "unique": ~tie}


def linear_axes(v: Mapping[str, Any], Z: Any) -> tuple[np.ndarray, np.ndarray]:
    return Z / _a(v, "productivity_rebels"), Z / _a(v, "productivity_civilians")


# ----------------------------------------------------------------------------- quasi_linear
def ql_control(v: Mapping[str, Any], R: Any, C: Any) -> np.ndarray:
    return np.asarray(R, dtype=float) + _a(v, "civilian_value") * np.log1p(np.asarray(C, dtype=float))


def ql_max(v: Mapping[str, Any]) -> dict[str, Any]:
    M, pR, pC = _common(v)
    b = _a(v, "civilian_value")
    C = np.minimum(np.maximum(0.0, b * pR / pC - 1.0), M / pC)
    R = np.where(M / pC <= C, 0.0, (M - pC * C) / pR)
    return {"C": C, "R": R, "choke": b * pR}


def ql_min(v: Mapping[str, Any]) -> dict[str, Any]:
    _, pR, pC = _common(v)
    b, Z = _a(v, "civilian_value"), _a(v, "control_target")
    ratio = b * pR / pC
    with np.errstate(all="ignore"):
        lr = np.log(ratio)
        interior = (ratio > 1.0) & (b * lr < Z)
        C = np.where(ratio <= 1.0, 0.0, np.where(interior, ratio - 1.0, np.expm1(Z / b)))
        R = np.where(ratio <= 1.0, Z, np.where(interior, Z - b * lr, 0.0))
    return {"C": C, "R": R, "choke": b * pR}


def ql_axes(v: Mapping[str, Any], Z: Any) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(Z, dtype=float) + 0.0, np.expm1(Z / _a(v, "civilian_value"))


# ----------------------------------------------------------------------------- quadratic
def quad_control(v: Mapping[str, Any], R: Any, C: Any) -> np.ndarray:
    b, g, d = _a(v, "civilian_value"), _a(v, "civilian_saturation"), _a(v, "interaction")
    return _quad_value(b, g, d, np.asarray(R, dtype=float), np.asarray(C, dtype=float))


def quad_max(v: Mapping[str, Any]) -> dict[str, Any]:
    M, pR, pC = _common(v)
    b, g, d = _a(v, "civilian_value"), _a(v, "civilian_saturation"), _a(v, "interaction")
    _, C, R = _quadratic_budget_optimum(b, g, d, M, pR, pC)
    return {"C": C, "R": R, "choke": _quad_choke(b, pR, d, M)}


def _quad_choke(b: Any, pR: Any, d: Any, M: Any) -> np.ndarray:
    """max(0, β p_R − δM); from logs where a product overflowed (inf − inf is NaN)."""
    with np.errstate(all="ignore"):
        x, y = b * pR, d * M
        out = np.maximum(0.0, x - y)
        odd = ~((x <= _HUGE) & (y <= _HUGE))
        if np.any(odd):
            lx, ly = np.log(b) + np.log(pR), np.log(d) + np.log(M)
            out = np.where(odd, np.where(lx > ly, np.exp(lx + np.log1p(-np.exp(ly - lx))), 0.0), out)
    return np.asarray(out)


#: Relative rounding allowance for the discriminant β² − 2γZ of the C-only isoquant. At the
#: saturation point Z = β²/(2γ) the discriminant is zero in exact arithmetic, and the target Z
#: itself usually comes out of a floating-point computation (e.g. the control of a max_control
#: solution), so rounding can make it a few ulp negative. Treating that as "no C-only mix
#: reaches Z" loses the cheapest branch (a nineteen-fold cost error at the saturation point).
_DISC_RTOL = 64 * np.finfo(float).eps


def quad_isoquant_c0(b: Any, g: Any, Z: Any) -> np.ndarray:
    """C on the R = 0 axis of the isoquant F = Z (smaller root), inf where it does not exist.

    Targets within rounding of the saturation point β²/(2γ) (relative ``_DISC_RTOL`` of β²)
    are reached at the peak C = β/γ.
    """
    b, g, Z = (np.asarray(a, dtype=float) for a in (b, g, Z))
    with np.errstate(all="ignore"):
        b2, gz = b**2, 2.0 * g * Z
        disc = b2 - gz
        exists = disc >= -_DISC_RTOL * b2
        c0 = (b - np.sqrt(np.maximum(disc, 0.0))) / g
        # where β² or 2γZ leaves the normal range, or 2γZ < β²/1000 (β − √disc cancels), the
        # rationalised C₀ = (2Z/β)/(1 + √(1 − x)), x = 2γZ/β²
        alt = ~((b2 >= _TINY) & (b2 <= _HUGE) & (gz >= _TINY) & (gz <= _HUGE)) | (gz < 1e-3 * b2)
        if np.any(alt):
            x = np.where((b2 >= _TINY) & (b2 <= _HUGE) & (gz >= _TINY) & (gz <= _HUGE), gz / b2,
                         np.exp(np.log(2.0 * g) + np.log(Z) - 2.0 * np.log(b)))
            zb = 2.0 * Z / b
            zb = np.where((zb >= _TINY) & (zb <= _HUGE), zb, np.exp(np.log(2.0) + np.log(Z) - np.log(b)))
            c0 = np.where(alt, zb / (1.0 + np.sqrt(np.maximum(1.0 - x, 0.0))), c0)
            exists = np.where(alt, x <= 1.0 + _DISC_RTOL, exists)
    return np.where(exists, c0, _INF)


def quad_min_candidates(v: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The three min_cost candidates of the quadratic technology (costs are inf where one is inadmissible)."""
    _, pR, pC = _common(v)
    b, g, d, Z = _a(v, "civilian_value"), _a(v, "civilian_saturation"), _a(v, "interaction"), _a(v, "control_target")
    k = g * pR - 2.0 * d * pC
    c0 = quad_isoquant_c0(b, g, Z)
    with np.errstate(all="ignore"):
        q = pC + d * pR * Z - b * pR
        rad = 1.0 + 2.0 * d * q / k
        # C_i = [1 − √(1 + 2δq/k)]/δ, rationalised so that it is exact as δ → 0 (and equals
        # (β p_R − p_C)/(γ p_R) at δ = 0): C_i = −2q / (k·(1 + √(1 + 2δq/k)))
        ci = -2.0 * q / (k * (1.0 + np.sqrt(np.maximum(rad, 0.0))))
        real = rad >= 0
        ri = (Z - b * ci + 0.5 * g * ci**2) / (1.0 - d * ci)
        ok = real & (ci > 0) & (ci < c0) & np.isfinite(ri) & (ri >= 0)
    cost1 = pR * Z
    cost2 = np.where(np.isfinite(c0), pC * c0, _INF)
    cost3 = np.where(ok, pR * ri + pC * ci, _INF)
    return {"c0": c0, "ci": ci, "ri": ri, "cost_corner_c": cost1 + np.zeros_like(cost2), "cost_corner_r": cost2,
            "cost_interior": cost3}


def quad_min(v: Mapping[str, Any]) -> dict[str, Any]:
    _, pR, _ = _common(v)
    b, d, Z = _a(v, "civilian_value"), _a(v, "interaction"), _a(v, "control_target")
    cand = quad_min_candidates(v)
    c1, c2, c3 = cand["cost_corner_c"], cand["cost_corner_r"], cand["cost_interior"]
    tol = 1.0 + 1e-12
    # ties go to the smaller C: candidate (i) C = 0, then the interior (C_i < C0), then (ii) C = C0
    pick1 = (c1 <= c2 * tol) & (c1 <= c3 * tol)
    pick3 = ~pick1 & (c3 <= c2 * tol)
    C = np.where(pick1, 0.0, np.where(pick3, cand["ci"], cand["c0"]))
    R = np.where(pick1, Z + 0.0 * C, np.where(pick3, cand["ri"], 0.0))
    return {"C": C, "R": R, "choke": np.maximum(0.0, pR * (b - d * Z))}


def quad_axes(v: Mapping[str, Any], Z: Any) -> tuple[np.ndarray, np.ndarray]:
    return np.asarray(Z, dtype=float) + 0.0, quad_isoquant_c0(_a(v, "civilian_value"), _a(v, "civilian_saturation"), Z)


# ----------------------------------------------------------------------------- registry
@dataclass(frozen=True)
class Family:
    name: str
    control: Callable[..., np.ndarray]
    max_control: Callable[..., dict[str, Any]]
    min_cost: Callable[..., dict[str, Any]]
    axes: Callable[..., tuple[np.ndarray, np.ndarray]]  # isoquant intercepts (inf where an input is essential)


def _cd_axes(v: Mapping[str, Any], Z: Any) -> tuple[np.ndarray, np.ndarray]:
    z = np.asarray(Z, dtype=float)
    return np.full_like(z, _INF), np.full_like(z, _INF)


FAMILIES: dict[str, Family] = {
    "cobb_douglas": Family("cobb_douglas", cd_control, cd_max, cd_min, _cd_axes),
    "ces": Family("ces", ces_control, ces_max, ces_min, ces_axes),
    "contest": Family("contest", contest_control, contest_max, contest_min, contest_axes),
    "linear": Family("linear", linear_control, linear_max, linear_min, linear_axes),
    "quasi_linear": Family("quasi_linear", ql_control, ql_max, ql_min, ql_axes),
    "quadratic": Family("quadratic", quad_control, quad_max, quad_min, quad_axes),
}


def kernel(technology: str, objective: str, v: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Every outcome of the model (plus ``regime`` codes and ``unique``) for arrays of parameters."""
    fam = FAMILIES[technology]
    with np.errstate(all="ignore"):
        raw = (fam.max_control if objective == "max_control" else fam.min_cost)(v)
        M, pR, pC = _common(v)
        C, R = np.asarray(raw["C"], dtype=float), np.asarray(raw["R"], dtype=float)
        C, R = np.broadcast_arrays(C, R)
        if objective == "max_control":
            budget = M + 0.0 * C
            r_axis, c_axis = M / pR + 0.0 * C, M / pC + 0.0 * C
            if technology in ("cobb_douglas", "ces"):
                # snapping applies only where the other input alone still produces control
                r_fin, c_fin = fam.axes(v, np.ones_like(C))
                r_axis = np.where(np.isfinite(r_fin), r_axis, np.nan)
                c_axis = np.where(np.isfinite(c_fin), c_axis, np.nan)
        else:
            Zt = _a(v, "control_target") + 0.0 * C
            r_axis, c_axis = fam.axes(v, Zt)
            r_axis = np.where(np.isfinite(r_axis), r_axis, np.nan)
            c_axis = np.where(np.isfinite(c_axis), c_axis, np.nan)
            budget = pR * R + pC * C
        snap_c = (SNAP * budget / pC >= C) & np.isfinite(r_axis)
        C = np.where(snap_c, 0.0, C)
        R = np.where(snap_c, r_axis, R)
        snap_r = (SNAP * budget / pR >= R) & np.isfinite(c_axis) & ~snap_c
        R = np.where(snap_r, 0.0, R)
        C = np.where(snap_r, c_axis, C)
        if objective == "max_control":
            Z = fam.control(v, R, C)
            cost = budget
        else:
            Z = Zt
            cost = pR * R + pC * C
        regime = np.where(C == 0, NO_CIVILIAN, np.where(R == 0, NO_REBEL, INTERIOR)).astype(np.int8)
        lam, psi = _a(v, "lethality_civilians"), _a(v, "lethality_rebels")
        share = np.where(R == 0, 1.0, np.where(C == 0, 0.0, np.clip(pC * C / cost, 0.0, 1.0)))
        tiny = (cost == 0) & (C > 0) & (R > 0)  # (min_cost) p_R R + p_C C underflowed: 0/0
        if np.any(tiny):
            share = np.where(tiny, 1.0 / (1.0 + np.exp(np.log(pR) + np.log(R) - np.log(pC) - np.log(C))), share)
        unique = np.asarray(raw.get("unique", True), dtype=bool)
        out = {
            "civilian_attacks": C,
            "rebel_attacks": R,
            "control": Z,
            "cost": cost,
            "civilian_share": share,
            "civilian_deaths": lam * C + psi * R,
            "choke_price": np.maximum(0.0, np.asarray(raw["choke"], dtype=float)),
            "regime": regime,
            "unique": unique,
        }
    return out
