"""Supporters, bystanders and resisters: a population game of mobilisation, after Anderton (2010).

A population chooses among three roles in a campaign of mass violence: **supporters** (S,
who join the perpetrators), **bystanders** (B) and **resisters** (R, who hide, rescue or
oppose). With population shares ``(s, b, r)`` (``s + b + r = 1``) the payoffs are

.. math::

    \\pi_S = v - c + \\gamma s, \\qquad \\pi_B = -\\varphi_B s, \\qquad
    \\pi_R = m - \\varphi_R s + \\mu r ,

i.e. the symmetric 3×3 game with row payoffs (columns S, B, R)
``S = [v − c + γ, v − c, v − c]``, ``B = [−φ_B, 0, 0]``, ``R = [m − φ_R, m, m + μ]``.
``v`` is what a supporter gains from the campaign (loot, status, land), ``c`` the cost of
taking part, ``γ`` the bandwagon gain from many supporters, ``φ_B`` and ``φ_R`` the risk the
perpetrators pose to bystanders and resisters, ``m`` the private value of resisting and
``μ`` the solidarity gain from many resisters.

Shares evolve by the replicator dynamics ``ẋ_i = x_i (π_i − π̄)``. Every vertex is a rest
point; a vertex is asymptotically stable iff no other role earns more there (the eigenvalues
at vertex ``i`` are ``π_j(e_i) − π_i(e_i)``). On the supporter–resister edge (no bystanders)
supporters earn more iff ``s > s̄``, the **tipping threshold**

.. math:: \\bar s = \\frac{m + \\mu - (v - c)}{\\gamma + \\varphi_R + \\mu} ,

so when ``0 < s̄ < 1`` both pure outcomes are stable (``bistable``): a campaign that
mobilises more than ``s̄`` of the population tips into mass participation, one that
mobilises less collapses into general resistance. The regime label names the set of stable
vertices (see :data:`REGIMES`). Prevention levers (:data:`PREVENTION_LEVERS`) move ``s̄``:
lowering ``v``, raising ``c``, protecting resisters (lower ``φ_R``) and supporting
resistance (raise ``m``) all raise it.

The payoffs and numbers are atrogame's own, built after the economic perspective on the
"rationality" of participation in genocide in Anderton (2010); they are not the author's.

References
----------
Anderton, C. H. (2010). Choosing genocide: economic perspectives on the disturbing
rationality of race murder. *Defence and Peace Economics* 21(5–6), 459–486.
doi:10.1080/10242694.2010.491700

Examples
--------
>>> m = Mobilisation()
>>> eq = m.solve()
>>> eq.regime, round(eq.tipping_threshold, 6)
('bistable', 0.318182)
>>> m.basin_of([[0.25, 0.25, 0.5], [0.35, 0.15, 0.5]]).tolist()
['resisters', 'supporters']
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
from atrogame.core.parameters import NONNEGATIVE, POSITIVE, Interval, Parameters, param
from atrogame.core.results import Equilibrium
from atrogame.core.symbolic import Derivation, compile_expr, decide_sign
from atrogame.core.validation import farthest_from_default
from atrogame.model import Model

__all__ = [
    "PREVENTION_LEVERS",
    "REGIMES",
    "ROLES",
    "Basins",
    "Mobilisation",
    "MobilisationParams",
    "classify_endpoints",
    "integrate_replicator",
    "simplex_lattice",
]

#: The three roles, in the order of the payoff matrix's rows and columns.
ROLES: tuple[str, ...] = ("supporters", "bystanders", "resisters")

#: Regime labels: code = 1·[S stable] + 2·[B stable] + 4·[R stable] (strict stability of the vertices).
REGIMES: tuple[str, ...] = (
    "degenerate",             # no vertex strictly stable (knife-edge ties only)
    "genocide_dominant",      # only all-supporters is stable
    "bystander_dominant",     # only all-bystanders is stable
    "genocide_or_passive",    # supporters or bystanders
    "resistance_dominant",    # only all-resisters is stable
    "bistable",               # supporters or resisters: a tipping threshold on the S–R edge
    "resistance_or_passive",  # bystanders or resisters
    "tristable",              # all three vertices stable
)

#: Prevention levers: id -> (parameter, direction of the lever, what it means).
PREVENTION_LEVERS: dict[str, tuple[str, int, str]] = {
    "lower_perpetrator_value": ("perpetrator_value", -1,
                                "deny the gains of participation (freeze looted assets, void land seizures)"),
    "raise_participation_cost": ("participation_cost", +1,
                                 "raise the cost of joining (prosecution, sanctions on individuals, naming)"),
    "protect_resisters": ("resister_risk", -1,
                          "lower the danger to rescuers and resisters (protection, safe havens, evacuation)"),
    "support_resistance": ("resistance_value", +1,
                           "raise the value of resisting (material support, recognition, networks)"),
    "build_solidarity": ("solidarity", +1, "strengthen the networks that make resistance pay when shared"),
}


@dataclass(frozen=True, kw_only=True)
class MobilisationParams(Parameters):
    """Parameters of :class:`Mobilisation` (atrogame's payoffs, after Anderton 2010).

    Examples
    --------
    >>> MobilisationParams(bandwagon=0)
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: bandwagon must be in (0, inf); got 0.0
    """

    model_name: ClassVar[str] = "mobilisation"

    perpetrator_value: float = param(
        0.3, symbol="v", latex="v", interval=NONNEGATIVE, sweep_range=(0.0, 2.0),
        long_name="supporters' gain from the campaign")
    participation_cost: float = param(
        0.5, symbol="c", latex="c", interval=NONNEGATIVE, sweep_range=(0.0, 2.0),
        long_name="cost of taking part")
    bandwagon: float = param(
        1.0, symbol="gamma", latex=r"\gamma", interval=POSITIVE, sweep_range=(0.1, 3.0),
        long_name="bandwagon gain per supporter share")
    bystander_risk: float = param(
        0.5, symbol="phi_B", latex=r"\varphi_B", interval=NONNEGATIVE, sweep_range=(0.0, 2.0),
        long_name="risk to bystanders per supporter share")
    resister_risk: float = param(
        1.0, symbol="phi_R", latex=r"\varphi_R", interval=NONNEGATIVE, sweep_range=(0.0, 3.0),
        long_name="risk to resisters per supporter share")
    resistance_value: float = param(
        0.3, symbol="m", latex="m", interval=Interval(None, None), sweep_range=(-0.5, 1.0),
        long_name="private value of resisting")
    solidarity: float = param(
        0.2, symbol="mu", latex=r"\mu", interval=NONNEGATIVE, sweep_range=(0.0, 2.0),
        long_name="solidarity gain per resister share")

    def check_joint(self) -> None:
        values = self.to_dict()
        if max(abs(x) for x in values.values()) > 4e307:  # (below, nothing can overflow)
            _eigenvalues_representable(values, type(self).defaults())

    @classmethod
    def check_joint_arrays(cls, values: Mapping[str, Any]) -> None:
        _eigenvalues_representable(values, cls.defaults())

    @classmethod
    def joint_holds_on_box(cls, box: Mapping[str, tuple[float, float]]) -> bool:
        # each vertex eigenvalue is a signed sum of at most four inputs: no overflow when the
        # inputs' largest magnitudes add up to at most half the largest float
        total = 0.0
        for k in _NAMES:
            lo, hi = box.get(k, (math.nan, math.nan))
            total += max(abs(lo), abs(hi))
        return bool(total <= 8e307)  # (False for a NaN bound)


_NAMES = MobilisationParams.names()


def _eigenvalues_representable(values: Mapping[str, Any], defaults: Mapping[str, float]) -> None:
    """Refuse points whose vertex eigenvalue −φ_B − (v − c + γ), m − φ_R − (v − c + γ) or
    max(v − c, 0) − (m + μ) lies beyond the largest float (inputs near 1.8e308); the error names
    the input farthest from its default (in log terms), as Anderton–Brauer's overflow rule does."""
    from atrogame.models.mobilisation.fast import kernel

    v = {k: np.asarray(values[k], dtype=float) for k in _NAMES}
    P = [v[k] for k in _NAMES]
    shape = np.broadcast_shapes(*(x.shape for x in P))
    if all(float(np.max(np.abs(x), initial=0.0)) <= 4e307 for x in P):  # (no overflow possible)
        return
    out = kernel(P, accel=False)
    bad = np.broadcast_to(~(np.isfinite(out["eig_supporters"]) & np.isfinite(out["eig_resisters"])), shape)
    if not bad.any():
        return
    i = np.flatnonzero(bad.ravel())[0]
    point = {k: float(np.broadcast_to(v[k], shape).ravel()[i]) for k in _NAMES}
    blame = farthest_from_default(point, defaults, _NAMES)
    n = f"; {int(bad.sum())} of {bad.size} points invalid" if bad.ndim else ""
    raise ParameterError(
        blame, "values at which the vertex eigenvalues are finite float64 numbers", point[blame],
        f"at {', '.join(f'{k}={x:g}' for k, x in point.items())} an eigenvalue overflows{n}")


# ---------------------------------------------------------------------- symbolic layer
@functools.cache
def _derive() -> dict[str, Any]:
    """Payoffs, replicator field, Jacobian, thresholds and invasion rates (derived once)."""
    S = MobilisationParams.symbols()
    v, c, g, fB, fR, m, mu = (S[k] for k in _NAMES)
    s, r = sp.symbols("s r", nonnegative=True)
    b = 1 - s - r
    pi_s, pi_b, pi_r = v - c + g * s, -fB * s, m - fR * s + mu * r
    mean = s * pi_s + b * pi_b + r * pi_r
    field = sp.Matrix([s * (pi_s - mean), r * (pi_r - mean)])
    jac = field.jacobian([s, r])
    args = (s, r, *(S[k] for k in _NAMES))
    tip = (m + mu - (v - c)) / (g + fR + mu)
    sb = -(v - c) / (g + fB)
    return {
        "s": s, "r": r, "payoffs": (pi_s, pi_b, pi_r), "mean": mean, "field": field, "jacobian": jac,
        "field_fn": compile_expr(args, field), "jacobian_fn": sp.lambdify(args, jac, modules="numpy"),
        "tipping_threshold": tip, "bystander_threshold": sb,
        # eigenvalue branches at each vertex: the invasion rate of each other role
        "eig_supporters": (-fB - (v - c + g), m - fR - (v - c + g)),
        "eig_bystanders": (v - c, m),
        "eig_resisters": (v - c - (m + mu), -(m + mu)),
    }


@functools.cache
def derivation() -> Derivation:
    """The named sympy expressions of the mobilisation game, for the docs.

    Examples
    --------
    >>> d = derivation()
    >>> d.latex("tipping_threshold")
    '\\\\frac{c - v + m + \\\\mu}{\\\\gamma + \\\\varphi_R + \\\\mu}'
    """
    S = MobilisationParams.symbols()
    d = _derive()
    s, r = d["s"], d["r"]
    pi_s, pi_b, pi_r = d["payoffs"]
    bb = sp.Symbol("b_share", nonnegative=True)
    sym = {k: S[k] for k in _NAMES}
    tip = d["tipping_threshold"]
    mat = sp.Matrix([[pi.subs({s: 1, r: 0}), pi.subs({s: 0, r: 0}), pi.subs({s: 0, r: 1})]
                     for pi in (pi_s, pi_b, pi_r)])
    x = sp.Symbol("x_i")
    expressions = {
        "payoff_supporters": sp.Eq(sp.Symbol("pi_S"), pi_s),
        "payoff_bystanders": sp.Eq(sp.Symbol("pi_B"), pi_b),
        "payoff_resisters": sp.Eq(sp.Symbol("pi_R"), pi_r),
        "payoff_matrix": mat,
        "replicator": sp.Eq(sp.Derivative(x, sp.Symbol("t")), x * (sp.Symbol("pi_i") - sp.Symbol(r"\bar{\pi}"))),
        "tipping_threshold": sp.factor(tip),
        "bystander_threshold": d["bystander_threshold"],
        **{f"dtipping_d{k}": sp.factor(sp.diff(tip, sym[k])) for k in
           ("perpetrator_value", "participation_cost", "resister_risk", "resistance_value", "bandwagon",
            "solidarity")},
    }
    descriptions = {
        "payoff_supporters": "payoff of a supporter",
        "payoff_bystanders": "payoff of a bystander",
        "payoff_resisters": "payoff of a resister",
        "payoff_matrix": "symmetric payoff matrix (rows: own role; columns: S, B, R)",
        "replicator": "replicator dynamics",
        "tipping_threshold": "supporter share at which supporters and resisters earn the same (S–R edge)",
        "bystander_threshold": "supporter share at which supporters and bystanders earn the same (S–B edge)",
    }
    names = {S[k]: MobilisationParams.meta(k)["latex"] for k in _NAMES}
    names.update({s: "s", r: "r", bb: "b"})
    return Derivation("mobilisation", expressions, descriptions, names)


@functools.lru_cache(maxsize=512)
def _threshold_sign(interior_of: str, derivative: sp.Expr) -> str:
    """Sign of a derivative; inside a threshold's interior branch, with the branch condition used.

    There the threshold's numerator lies strictly between 0 and its denominator; writing it as
    ``denominator/(1 + u)`` with ``u > 0`` lets sympy use that. Cached: the same derivative recurs
    at every point of a branch.
    """
    S = MobilisationParams.symbols()
    v, c, g, fB, fR, m, mu = (S[k] for k in _NAMES)
    u = sp.Symbol("u", positive=True)
    expr = derivative
    if interior_of == "tipping_threshold":
        expr = expr.subs(m, v - c - mu + (g + fR + mu) / (1 + u))
    elif interior_of == "bystander_threshold":
        expr = expr.subs(v, c - (g + fB) / (1 + u))
    return decide_sign(sp.simplify(expr))


# ---------------------------------------------------------------------- numerics
def integrate_replicator(payoff_matrix: Any, starts: Any, t_max: float = 200.0, dt: float = 0.05, *,
                         record_every: int | None = None, tol: float | None = 1e-6) -> Any:
    """Integrate the replicator dynamics of a symmetric game from many starts at once (RK4).

    Vectorised over starts; stops early once every start is within ``tol`` of a vertex
    (``tol=None`` integrates to ``t_max``).

    Parameters
    ----------
    payoff_matrix:
        ``k × k`` payoff matrix ``A`` (row player's payoffs); the payoff of role ``i`` is ``(A x)_i``.
    starts:
        ``(..., k)`` array of points on the simplex.
    t_max, dt:
        Final time and RK4 step.
    record_every:
        If given, also return the trajectory sampled every ``record_every`` steps as an array
        ``(n_times, ..., k)`` together with the times.

    Returns
    -------
    numpy.ndarray, or (final states, times, trajectory) when ``record_every`` is given.

    Examples
    --------
    >>> A = np.array([[1.0, 0.0], [0.0, 1.0]])      # coordination: the larger share wins
    >>> integrate_replicator(A, [[0.6, 0.4], [0.3, 0.7]]).round(6).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    A = np.asarray(payoff_matrix, dtype=float)
    _check_step("t_max", t_max)
    _check_step("dt", dt)
    if record_every is not None and (isinstance(record_every, bool) or not isinstance(record_every, int | np.integer)
                                     or record_every < 1):
        raise ParameterError("record_every", "integers >= 1", record_every)
    x = _check_starts(starts, A.shape[0])

    def f(y: np.ndarray) -> np.ndarray:
        pay = y @ A.T
        return y * (pay - np.sum(y * pay, axis=-1, keepdims=True))

    def step(y: np.ndarray) -> np.ndarray:
        k1 = f(y)
        k2 = f(y + 0.5 * dt * k1)
        k3 = f(y + 0.5 * dt * k2)
        k4 = f(y + dt * k3)
        y = np.clip(y + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4), 0.0, None)
        return y / y.sum(axis=-1, keepdims=True)

    n_steps = int(np.ceil(t_max / dt))
    if record_every is not None:
        times, traj = [0.0], [x.copy()]
        for i in range(1, n_steps + 1):
            x = step(x)
            if i % record_every == 0:
                times.append(i * dt)
                traj.append(x.copy())
        return x, np.array(times), np.stack(traj)
    # integrate only the starts that have not yet reached a vertex (checked every 100 steps)
    shape = x.shape
    flat = x.reshape(-1, shape[-1])
    active = np.arange(len(flat))
    for i in range(1, n_steps + 1):
        flat[active] = step(flat[active])
        if tol is not None and i % 100 == 0:
            active = active[flat[active].max(axis=-1) <= 1 - tol]
            if active.size == 0:
                break
    return flat.reshape(shape)


def _check_step(name: str, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating) or not (
        0 < float(value) < np.inf
    ):
        raise ParameterError(name, "(0, inf)", value)


def _check_starts(starts: Any, k: int) -> np.ndarray:
    """Starting shares: finite, non-negative, with a positive total (then normalised to sum 1)."""
    try:
        x = np.array(starts, dtype=float)
    except (TypeError, ValueError):
        raise ParameterError("starts", f"arrays (..., {k}) of non-negative shares", starts) from None
    if x.ndim == 0 or x.shape[-1] != k:
        raise ParameterError("starts", f"arrays (..., {k}) of non-negative shares", starts)
    if not np.isfinite(x).all():
        raise ParameterError("starts", "finite non-negative shares", starts, "NaN or inf given")
    if (x < 0).any():
        raise ParameterError("starts", "non-negative shares", float(x.min()))
    total = x.sum(axis=-1, keepdims=True)
    if (total <= 0).any():
        raise ParameterError("starts", "shares with a positive total", starts)
    return x / total


def classify_endpoints(x: Any, tol: float = 1e-3) -> np.ndarray:
    """Index of the vertex each point is within ``tol`` of (max-norm), or −1.

    Examples
    --------
    >>> classify_endpoints([[0.9999, 0.0001, 0.0], [0.5, 0.5, 0.0]]).tolist()
    [0, -1]
    """
    x = np.asarray(x, dtype=float)
    idx = np.argmax(x, axis=-1)
    return np.where(x.max(axis=-1) > 1.0 - tol, idx, -1)


@dataclass(frozen=True)
class Basins:
    """Basins of attraction on a triangular lattice of the simplex.

    Attributes
    ----------
    points:
        ``(N, 3)`` starting points ``(s, b, r)``.
    labels:
        ``(N,)`` vertex each start converges to: 0 supporters, 1 bystanders, 2 resisters, −1
        not at a vertex by ``t_max`` (on or near a separatrix, or a non-vertex attractor).

    Usually built by :meth:`Mobilisation.basins`.

    Examples
    --------
    >>> b = Basins(np.array([[0.9, 0.1, 0.0], [0.1, 0.1, 0.8], [0.2, 0.2, 0.6], [0.4, 0.3, 0.3]]),
    ...            np.array([0, 2, 2, -1]))
    >>> b.shares
    {'supporters': 0.25, 'bystanders': 0.0, 'resisters': 0.5, 'unresolved': 0.25}
    """

    points: np.ndarray
    labels: np.ndarray

    @property
    def shares(self) -> dict[str, float]:
        """Share of lattice points converging to each vertex (and ``"unresolved"``)."""
        n = len(self.labels)
        out = {role: float(np.sum(self.labels == i)) / n for i, role in enumerate(ROLES)}
        out["unresolved"] = float(np.sum(self.labels < 0)) / n
        return out


# ---------------------------------------------------------------------- the model
class Mobilisation(Model[MobilisationParams]):
    """Supporters–bystanders–resisters population game with replicator dynamics, after Anderton (2010).

    Notes
    -----
    The outcomes (closed form, vectorised over parameter grids):

    ``tipping_threshold``
        ``s̄`` clipped to [0, 1]: on the supporter–resister edge supporters take over iff
        their share exceeds it (0: supporters win from any share; 1: resisters always win).
    ``bystander_threshold``
        ``−(v − c)/(γ + φ_B)`` clipped to [0, 1]: the same on the supporter–bystander edge.
    ``eig_supporters``, ``eig_bystanders``, ``eig_resisters``
        The largest eigenvalue of the replicator dynamics at each vertex (the best invader's
        payoff advantage); the vertex is asymptotically stable iff it is negative.

    ``solve()`` also reports every rest point (vertices, edge and interior points) with its
    Jacobian eigenvalues and type in ``eq.info["rest_points"]``; :meth:`basins` and
    :meth:`basin_of` integrate the dynamics.

    Examples
    --------
    >>> m = Mobilisation()
    >>> [rp["name"] for rp in m.rest_points() if rp["kind"] == "sink"]
    ['supporters', 'resisters']
    >>> m.comparative_statics(wrt="resister_risk", of="tipping_threshold").sign
    'negative'
    >>> Mobilisation(perpetrator_value=1.2).solve().regime
    'genocide_dominant'
    """

    name = "mobilisation"
    citation = "after Anderton (2010)"
    reference = ("Anderton, C. H. (2010). Choosing genocide: economic perspectives on the disturbing "
                 "rationality of race murder. Defence and Peace Economics 21(5-6), 459-486. "
                 "doi:10.1080/10242694.2010.491700")
    Params = MobilisationParams
    outcomes = (
        outcome("tipping_threshold", long_name="tipping threshold (supporter share, S–R edge)", symbol=r"\bar s",
                role="harm", headline=True, harm_direction=-1),
        outcome("bystander_threshold", long_name="supporter share beating bystanders (S–B edge)", symbol=r"\bar s_B"),
        outcome("eig_supporters", long_name="largest eigenvalue at all-supporters", symbol=r"\lambda_S"),
        outcome("eig_bystanders", long_name="largest eigenvalue at all-bystanders", symbol=r"\lambda_B"),
        outcome("eig_resisters", long_name="largest eigenvalue at all-resisters", symbol=r"\lambda_R"),
    )
    regimes = REGIMES
    provenance = "reconstruction"
    default_statics_outcomes = ("tipping_threshold",)
    derivation = staticmethod(derivation)

    # ------------------------------------------------------------------ kernel
    def fused_kernel(self, values: Mapping[str, np.ndarray], wanted: Sequence[str]
                     ) -> tuple[Mapping[str, Any], Mapping[str, tuple[float, float]]] | None:
        # Large flat designs with the compiled path: the range check rides along the kernel's pass.
        from atrogame.models.mobilisation.fast import kernel_checked

        done = kernel_checked([values[k] for k in _NAMES])
        if done is None:
            return None
        out, (mn, mx) = done
        return out, {k: (float(mn[j]), float(mx[j])) for j, k in enumerate(_NAMES)}

    def kernel(self, vals: Mapping[str, Any]) -> dict[str, np.ndarray]:
        from atrogame.models.mobilisation.fast import kernel

        return kernel([vals[k] for k in _NAMES])

    # ------------------------------------------------------------------ payoffs and dynamics
    def payoff_matrix(self) -> np.ndarray:
        """The symmetric game's 3×3 payoff matrix (rows: own role; columns: S, B, R).

        Examples
        --------
        >>> Mobilisation().payoff_matrix().round(3).tolist()
        [[0.8, -0.2, -0.2], [-0.5, 0.0, 0.0], [-0.7, 0.3, 0.5]]
        """
        p = self.params
        net = p.perpetrator_value - p.participation_cost
        m, mu = p.resistance_value, p.solidarity
        return np.array([
            [net + p.bandwagon, net, net],
            [-p.bystander_risk, 0.0, 0.0],
            [m - p.resister_risk, m, m + mu],
        ])

    def game(self) -> Any:
        """The symmetric game as a ``nashpy.Game`` (``Game(A, Aᵀ)``).

        Examples
        --------
        >>> g = Mobilisation().game()
        >>> bool((g.payoff_matrices[1] == g.payoff_matrices[0].T).all())
        True
        """
        import nashpy

        A = self.payoff_matrix()
        return nashpy.Game(A, A.T)

    def replicator_field(self, x: Any) -> np.ndarray:
        """``ẋ`` of the replicator dynamics at points ``x`` (shape ``(..., 3)``).

        Examples
        --------
        >>> Mobilisation().replicator_field([1/3, 1/3, 1/3]).round(4).tolist()
        [0.0444, -0.0556, 0.0111]
        """
        A = self.payoff_matrix()
        x = np.asarray(x, dtype=float)
        pay = x @ A.T
        return x * (pay - np.sum(x * pay, axis=-1, keepdims=True))

    def jacobian(self, s: float, r: float) -> np.ndarray:
        """Jacobian of the dynamics in the chart ``(s, r)`` (``b = 1 − s − r``) at one point."""
        d = _derive()
        return np.asarray(d["jacobian_fn"](s, r, *self.parameter_values().values()), dtype=float)

    def trajectory(self, start: Sequence[float], t_max: float = 60.0, dt: float = 0.05,
                   record_every: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """Times and states ``(n, 3)`` of the replicator dynamics from ``start``.

        Examples
        --------
        >>> t, x = Mobilisation().trajectory([0.25, 0.25, 0.5])
        >>> bool(x[-1, 2] > 0.999)
        True
        """
        _, times, traj = integrate_replicator(self.payoff_matrix(), [start], t_max, dt, record_every=record_every)
        return times, traj[:, 0, :]

    def basin_of(self, starts: Any, t_max: float = 400.0, dt: float = 0.05) -> np.ndarray:
        """The role (``"supporters"``, ``"bystanders"``, ``"resisters"`` or ``"unresolved"``) each start reaches.

        Examples
        --------
        >>> Mobilisation().basin_of([0.35, 0.15, 0.5]).tolist()
        ['supporters']
        """
        x = np.atleast_2d(_check_starts(starts, 3))
        lab = classify_endpoints(integrate_replicator(self.payoff_matrix(), x, t_max, dt))
        names = np.asarray((*ROLES, "unresolved"), dtype=object)
        return names[np.where(lab < 0, 3, lab)]

    def basins(self, n: int = 60, t_max: float = 400.0, dt: float = 0.05, interior: bool = True) -> Basins:
        """Classify a triangular lattice of starts ``(i, j, k)/n`` by the vertex they converge to.

        Parameters
        ----------
        n:
            Lattice resolution (``(n+1)(n+2)/2`` points; ``interior=True`` keeps only points with
            every share positive).

        Examples
        --------
        >>> sh = Mobilisation().basins(n=20).shares
        >>> sorted(k for k, v in sh.items() if v > 0)
        ['resisters', 'supporters']
        """
        pts = simplex_lattice(n, interior=interior)
        lab = classify_endpoints(integrate_replicator(self.payoff_matrix(), pts, t_max, dt))
        return Basins(pts, lab)

    # ------------------------------------------------------------------ rest points
    def rest_points(self, tol: float = 1e-9) -> list[dict[str, Any]]:
        """Every isolated rest point with its Jacobian eigenvalues and type.

        Vertices always; edge points where two roles earn the same; an interior point where all
        three do. ``kind`` is ``"sink"`` (asymptotically stable), ``"source"``, ``"saddle"`` or
        ``"non-hyperbolic"`` (an eigenvalue within ``tol`` of 0).

        Examples
        --------
        >>> [(rp["name"], rp["kind"]) for rp in Mobilisation().rest_points()]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('supporters', 'sink'), ('bystanders', 'saddle'), ('resisters', 'sink'),
         ('supporters-bystanders', 'source'), ('supporters-resisters', 'saddle')]
        """
        # Rest points and eigenvalue signs do not change when every payoff is divided by one
        # positive number (time is rescaled), so work with payoffs of order 1: with
        # resistance_value = 1e308 the unscaled determinant overflowed and numpy raised LinAlgError.
        A_raw = self.payoff_matrix()
        pre = 1.0
        if not np.isfinite(A_raw).all():  # a payoff such as v − c + γ beyond the largest float
            pre = 4.0  # (the same game at a quarter of the scale; exact for normal numbers)
            A_raw = self.with_params(**{k: x * 0.25 for k, x in self.parameter_values().items()}).payoff_matrix()
        scale = float(np.abs(A_raw).max()) or 1.0
        A = A_raw / scale
        pts: list[tuple[str, np.ndarray]] = [(role, np.eye(3)[i]) for i, role in enumerate(ROLES)]
        for i, j in ((0, 1), (0, 2), (1, 2)):
            # x_i share t on edge i–j: (A x)_i = (A x)_j with x = t e_i + (1 − t) e_j
            di = A[i, i] - A[j, i] - (A[i, j] - A[j, j])
            c0 = A[i, j] - A[j, j]
            if abs(di) > tol:
                t = -c0 / di
                if tol < t < 1 - tol:
                    x = np.zeros(3)
                    x[i], x[j] = t, 1 - t
                    pts.append((f"{ROLES[i]}-{ROLES[j]}", x))
        # interior: A x = λ 1, sum x = 1
        M = np.zeros((4, 4))
        M[:3, :3], M[:3, 3], M[3, :3] = A, -1.0, 1.0
        if abs(np.linalg.det(M)) > tol:
            sol = np.linalg.solve(M, np.array([0.0, 0.0, 0.0, 1.0]))
            if np.all(sol[:3] > tol):
                pts.append(("interior", sol[:3]))
        out = []
        d = _derive()
        # the field is linear in the parameters
        scaled = [v * (0.25 if pre > 1.0 else 1.0) / scale for v in self.parameter_values().values()]
        for name, x in pts:
            eig = np.linalg.eigvals(np.asarray(d["jacobian_fn"](x[0], x[2], *scaled), dtype=float))
            re = np.real(eig)
            if np.any(np.abs(re) <= tol):
                kind = "non-hyperbolic"
            elif np.all(re < 0):
                kind = "sink"
            elif np.all(re > 0):
                kind = "source"
            else:
                kind = "saddle"
            with np.errstate(over="ignore", invalid="ignore"):
                eig = eig * scale * pre  # back to the model's time scale
            out.append({"name": name, "point": tuple(float(t) for t in x),
                        "eigenvalues": tuple(complex(e) if abs(e.imag) > 1e-12 * scale * pre else float(e.real)
                                             for e in eig),
                        "kind": kind})
        return out

    def solve(self, method: str = "auto") -> Equilibrium:
        """Closed-form thresholds and vertex stability, plus the rest points summary in ``info``.

        Examples
        --------
        >>> eq = Mobilisation().solve()
        >>> eq.info["stable_vertices"]
        ('supporters', 'resisters')
        """
        if method not in ("auto", "closed_form"):
            raise ValueError(f"method must be 'auto' or 'closed_form' for mobilisation; got {method!r}")
        values = {k: np.asarray(v, dtype=float) for k, v in self.parameter_values().items()}
        out = self.kernel(values)
        rps = self.rest_points()
        stable = tuple(rp["name"] for rp in rps if rp["kind"] == "sink" and rp["name"] in ROLES)
        summary = "; ".join(f"{rp['name']} {tuple(round(t, 4) for t in rp['point'])}: {rp['kind']}" for rp in rps)
        return self._equilibrium_from(out, method="closed_form", rest_points=rps, stable_vertices=stable,
                                      rest_points_summary=summary)

    # ------------------------------------------------------------------ statics
    def symbolic(self, of: str, eq: Equilibrium) -> tuple[sp.Expr, sp.Expr | None]:
        d = _derive()
        if of in ("tipping_threshold", "bystander_threshold"):
            side = int(eq.info["tipping_side" if of == "tipping_threshold" else "bystander_side"])
            if side < 0:
                return sp.Integer(0), None
            if side > 0:
                return sp.Integer(1), None
            return d[of], None
        branch = int(eq.info[f"{of}_branch"])
        return d[of][branch], None

    def sign(self, of: str, wrt: str, eq: Equilibrium, derivative: sp.Expr) -> str:
        # Inside a threshold's interior branch its numerator is known to lie strictly between 0
        # and its denominator: substitute that (u > 0) so sympy can use it.
        interior = (of == "tipping_threshold" and int(eq.info["tipping_side"]) == 0) or (
            of == "bystander_threshold" and int(eq.info["bystander_side"]) == 0)
        return _threshold_sign(of if interior else "", derivative)

    def branch(self, eq: Equilibrium) -> Any:
        keys = ("tipping_side", "bystander_side", "eig_supporters_branch", "eig_bystanders_branch",
                "eig_resisters_branch")
        return (eq.regime, *(int(eq.info[k]) for k in keys))

    # ------------------------------------------------------------------ prevention levers
    def lever_effects(self) -> Any:
        """Effect of each prevention lever on the tipping threshold (``pandas.DataFrame``).

        For each lever of :data:`PREVENTION_LEVERS`: the parameter it moves, its direction,
        ``∂s̄/∂parameter`` (value and sympy-proved sign in the current branch) and the
        lever's effect ``direction × ∂s̄/∂parameter`` (positive: the campaign needs a larger
        supporter share to tip, i.e. prevention works).

        Examples
        --------
        >>> df = Mobilisation().lever_effects()
        >>> df["effect_sign"].tolist()
        ['positive', 'positive', 'positive', 'positive', 'positive']
        """
        import pandas as pd

        cs = self.comparative_statics(wrt=[p for p, _, _ in PREVENTION_LEVERS.values()], of="tipping_threshold")
        flip = {"positive": "negative", "negative": "positive"}
        rows = []
        for lever, (par, direction, text) in PREVENTION_LEVERS.items():
            e = cs[("tipping_threshold", par)]
            eff_sign = e.sign if direction > 0 else flip.get(e.sign, e.sign)
            rows.append({"lever": lever, "parameter": par, "direction": direction, "derivative": e.value,
                         "derivative_sign": e.sign, "effect": direction * e.value, "effect_sign": eff_sign,
                         "description": text})
        return pd.DataFrame(rows).set_index("lever")


def simplex_lattice(n: int, interior: bool = False) -> np.ndarray:
    """Points ``(i, j, k)/n`` with ``i + j + k = n`` (``interior``: every entry ≥ 1).

    Examples
    --------
    >>> simplex_lattice(2).tolist()
    [[0.0, 0.0, 1.0], [0.0, 0.5, 0.5], [0.0, 1.0, 0.0], [0.5, 0.0, 0.5], [0.5, 0.5, 0.0], [1.0, 0.0, 0.0]]
    """
    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < (3 if interior else 1):
        raise ParameterError("n", f"integers >= {3 if interior else 1}", n)
    i, j = np.meshgrid(np.arange(n + 1), np.arange(n + 1), indexing="ij")
    keep = i + j <= n
    i, j = i[keep], j[keep]
    k = n - i - j
    pts = np.stack([i, j, k], axis=-1).astype(float)
    if interior:
        pts = pts[(pts >= 1).all(axis=-1)]
    return pts / n
