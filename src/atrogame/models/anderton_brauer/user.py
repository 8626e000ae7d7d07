"""User-supplied sympy technologies for the perpetrator's choice model.

See docs/explanation/anderton_brauer.md, "The technology families" (a sympy expression in ``R`` and ``C``).

After Anderton & Brauer (2016; JEL 2021, doi:10.1257/jel.20201240): a perpetrator splits a
budget M between attacks on rebels R (price p_R) and attacks on civilians C (price p_C) to
produce control Z = F(R, C). The built-in technology families of
:class:`atrogame.AndertonBrauer` are solved in closed form; this module solves *any*
technology a researcher writes as a sympy expression in the symbols ``R`` and ``C``. The
numeric methods, tolerances and test values are atrogame's own.

* :class:`UserTechnology` parses the expression once, derives F_R and F_C with sympy and
  compiles F, F_R, F_C to vectorised numpy functions (cached per expression).
* ``solve_max_control``: global search along the budget line g(C) = F((M − p_C C)/p_R, C)
  on [0, M/p_C]: a 2001-point grid, bounded Brent refinement of the best cells, a Brent
  root polish of the tangency condition, comparison with both endpoints, snapping of
  near-zero inputs to exact corners, and a KKT check.
* ``solve_min_cost``: the isoquant F(R, C) = Z̄ parametrised by C, with R(C) found by
  bracketing root-finding, minimised the same way and compared with both corners.
* ``choke_price``: p̂_C = p_R F_C(M/p_R, 0)/F_R(M/p_R, 0), ∞ when civilian attacks are
  essential or their marginal product is infinite at C = 0.
* ``symbolic_solution``: sympy's solution of the tangency and budget equations, tried in a
  worker process under a time limit, cached, and checked against the numeric solution.
* ``implicit_derivative``: comparative statics at an interior optimum by the implicit
  function theorem, dC*/dx = −φ_x/φ_C (docs/explanation/anderton_brauer.md, "General comparative statics"),
  symbolic in R, C and the parameters.

Examples
--------
>>> tech = UserTechnology("R*(1 + k*C)")
>>> tech.parameter_names
('k',)
>>> sol = tech.solve_max_control({"k": 0.05}, price_rebels=1.0, price_civilians=1.0, resources=100.0)
>>> round(sol.civilian_attacks, 9), round(sol.rebel_attacks, 9), round(sol.control, 9), sol.regime
(40.0, 60.0, 180.0, 'interior')
>>> tech.choke_price({"k": 0.05}, price_rebels=1.0, resources=100.0)
5.0
"""

from __future__ import annotations

import functools
import math
import multiprocessing
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from scipy import optimize

from atrogame.core.errors import ConvergenceWarning, MultipleOptimaWarning, ParameterError
from atrogame.core.symbolic import Compiled, compile_expr

__all__ = [
    "COMMON_NAMES",
    "GRID_POINTS",
    "UserSolution",
    "UserTechnology",
    "attack_symbols",
    "common_symbols",
]

#: Names of the model's common parameters (prices, resources, control target); a technology's
#: own symbols may not reuse them.
COMMON_NAMES: tuple[str, ...] = (
    "resources",
    "price_rebels",
    "price_civilians",
    "objective",
    "control_target",
    "lethality_civilians",
    "lethality_rebels",
    "technology",
)

#: Grid points of the global search along the budget line or the isoquant.
GRID_POINTS = 2001
_SNAP = 1e-10  # inputs at most this share of their maximum are snapped to 0 (a corner)
_KKT_TOL = 1e-8  # relative tolerance of the tangency condition
_TIE_TOL = 1e-9  # two optima closer than this (relative) are reported as non-unique
_PEAKS = 4  # grid peaks refined (the best, plus runners-up in case the grid misranks them)
_POW2 = np.ldexp(1.0, np.arange(-60, 181))  # bracketing ladder for the isoquant roots
_LADDER = _POW2[::4]  # its coarse version for the vectorised isoquant

_DOMAIN = "sympy expressions in R and C"
_POSITIVE = {"real": True, "positive": True}

_R = sp.Symbol("R", **_POSITIVE)
_C = sp.Symbol("C", **_POSITIVE)


def attack_symbols() -> tuple[sp.Symbol, sp.Symbol]:
    """The canonical attack symbols ``(R, C)`` (declared positive) used in every expression.

    Examples
    --------
    >>> R, C = attack_symbols()
    >>> R.name, C.name, bool(R.is_positive)
    ('R', 'C', True)
    """
    return _R, _C


@functools.cache
def common_symbols() -> dict[str, sp.Symbol]:
    """Positive sympy symbols for ``price_rebels``, ``price_civilians``, ``resources``, ``control_target``.

    They carry the assumptions the core layer gives a parameter with domain (0, inf), so they
    compare equal to the model's own symbols of the same names.

    Examples
    --------
    >>> sorted(common_symbols())
    ['control_target', 'price_civilians', 'price_rebels', 'resources']
    """
    names = ("price_rebels", "price_civilians", "resources", "control_target")
    return {n: sp.Symbol(n, **_POSITIVE) for n in names}


@dataclass(frozen=True)
class UserSolution:
    """The perpetrator's choice for a user technology (one objective, one parameter point).

    Attributes
    ----------
    civilian_attacks, rebel_attacks:
        C and R chosen.
    control:
        F(R, C) under max_control; the target Z̄ under min_cost.
    cost:
        p_R R + p_C C (equal to M under max_control).
    regime:
        ``"interior"``, ``"no_civilian_attacks"`` (C = 0) or ``"no_rebel_attacks"`` (R = 0).
    unique:
        False when the search found two separate optima whose values differ by less than
        1e-9 relative (a :class:`~atrogame.MultipleOptimaWarning` is emitted too).

    Examples
    --------
    >>> UserSolution(40.0, 60.0, 180.0, 100.0, "interior").unique
    True
    """

    civilian_attacks: float
    rebel_attacks: float
    control: float
    cost: float
    regime: str
    unique: bool = True


# --------------------------------------------------------------------------------------
# parsing and derivation (once per expression and process)


def _technology_error(expr: Any, detail: str) -> ParameterError:
    return ParameterError("technology", _DOMAIN, expr, detail)


def _parse(expr: sp.Expr | str) -> tuple[sp.Expr, tuple[sp.Symbol, ...]]:
    """Canonical expression (R, C replaced by the positive attack symbols) and its parameters."""
    if isinstance(expr, str):
        try:
            parsed = sp.sympify(expr)
        except (sp.SympifyError, SyntaxError, TypeError) as exc:
            raise _technology_error(expr, f"cannot parse: {exc}") from None
    else:
        try:
            parsed = sp.sympify(expr, strict=True)
        except sp.SympifyError:
            raise _technology_error(expr, "not a sympy expression") from None
    if not isinstance(parsed, sp.Expr) or isinstance(parsed, sp.logic.boolalg.Boolean):
        raise _technology_error(expr, "not a sympy expression")
    if parsed.atoms(sp.core.function.AppliedUndef):
        raise _technology_error(expr, "undefined functions cannot be evaluated")
    by_name: dict[str, sp.Symbol] = {}
    for s in parsed.free_symbols:
        if s.name in by_name:
            raise _technology_error(expr, f"two different symbols are named {s.name!r}")
        by_name[s.name] = s
    missing = [n for n in ("R", "C") if n not in by_name]
    if missing:
        raise _technology_error(expr, f"the attack symbol(s) {' and '.join(missing)} do not occur")
    clash = sorted(n for n in by_name if n in COMMON_NAMES)
    if clash:
        raise _technology_error(expr, f"symbol(s) {', '.join(clash)} clash with the model's common parameter names")
    canonical = parsed.xreplace({by_name["R"]: _R, by_name["C"]: _C})
    params = tuple(sorted((s for n, s in by_name.items() if n not in ("R", "C")), key=lambda s: s.name))
    return canonical, params


@dataclass(frozen=True)
class _Derived:
    expr: sp.Expr
    params: tuple[sp.Symbol, ...]
    F_R: sp.Expr
    F_C: sp.Expr
    f: Compiled
    f_r: Compiled
    f_c: Compiled


@functools.lru_cache(maxsize=256)
def _derive(expr: sp.Expr, params: tuple[sp.Symbol, ...]) -> _Derived:
    args = (_R, _C, *params)
    F_R = sp.diff(expr, _R)
    F_C = sp.diff(expr, _C)
    try:
        compiled = tuple(compile_expr(args, e) for e in (expr, F_R, F_C))
    except Exception as exc:  # lambdify cannot print some objects
        raise _technology_error(expr, f"cannot be compiled to numpy: {exc}") from None
    return _Derived(expr, params, F_R, F_C, *compiled)


# --------------------------------------------------------------------------------------
# the technology


class UserTechnology:
    """A control technology Z = F(R, C; τ) written as a sympy expression.

    See docs/explanation/anderton_brauer.md, "The technology families".

    Parameters
    ----------
    expr:
        A sympy expression, or a string that :func:`sympy.sympify` parses, in the attack
        symbols named ``R`` and ``C`` (both must occur). Every other free symbol is a
        technology parameter whose value is passed by name. Strings are parsed by sympy, so
        single letters such as ``E``, ``I``, ``N``, ``S``, ``O``, ``Q`` mean sympy objects;
        build an expression from :class:`sympy.Symbol` objects to use those names.

    Raises
    ------
    ParameterError
        Naming ``technology``: not an expression, ``R`` or ``C`` missing, a symbol named
        like a common model parameter, or an expression numpy cannot evaluate.

    Examples
    --------
    >>> tech = UserTechnology("A*R**a*C**(1 - a)")
    >>> tech.parameter_names
    ('A', 'a')
    >>> sol = tech.solve_max_control({"A": 1.0, "a": 0.3}, 1.0, 2.0, 100.0)
    >>> round(sol.civilian_attacks, 9), round(sol.rebel_attacks, 9)
    (35.0, 30.0)
    >>> try:
    ...     UserTechnology("R + resources*C")
    ... except ParameterError as err:
    ...     print(err.name, "|", err.detail)
    technology | symbol(s) resources clash with the model's common parameter names
    """

    def __init__(self, expr: sp.Expr | str) -> None:
        canonical, params = _parse(expr)
        self._d = _derive(canonical, params)
        self.expr: sp.Expr = canonical
        self.R: sp.Symbol = _R
        self.C: sp.Symbol = _C
        self.parameter_names: tuple[str, ...] = tuple(s.name for s in params)
        self.parameter_symbols: tuple[sp.Symbol, ...] = params

    def __repr__(self) -> str:
        return f"UserTechnology({str(self.expr)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UserTechnology) and other.expr == self.expr

    def __hash__(self) -> int:
        return hash(("UserTechnology", self.expr))

    # -- values -------------------------------------------------------------------------

    def check_values(self, values: Mapping[str, float]) -> None:
        """Validate the technology parameter values.

        Raises
        ------
        TypeError
            A name that is not a parameter of the expression (the message lists the valid ones).
        ParameterError
            Naming ``technology`` and listing the names whose values are missing, or naming a
            parameter whose value is not a finite number.

        Examples
        --------
        >>> tech = UserTechnology("R*(1 + k*C)")
        >>> tech.check_values({"k": 0.05})
        >>> try:
        ...     tech.check_values({})
        ... except ParameterError as err:
        ...     print(err)
        technology must be in sympy expressions in R and C; got R*(C*k + 1) (missing value(s) for: k)
        """
        unknown = sorted(set(values) - set(self.parameter_names))
        if unknown:
            valid = ", ".join(self.parameter_names) or "(none)"
            raise TypeError(
                f"unknown technology parameter(s) {', '.join(unknown)} for technology {self.expr}; valid names: {valid}"
            )
        missing = [n for n in self.parameter_names if n not in values]
        if missing:
            raise _technology_error(self.expr, f"missing value(s) for: {', '.join(missing)}")
        for n in self.parameter_names:
            v = values[n]
            try:
                x = float(v)
            except (TypeError, ValueError):
                raise ParameterError(n, "(-inf, inf)", v, "a technology parameter must be a finite number") from None
            if not math.isfinite(x):
                raise ParameterError(n, "(-inf, inf)", x, "a technology parameter must be a finite number")

    def _vals(self, values: Mapping[str, float]) -> tuple[float, ...]:
        self.check_values(values)
        return tuple(float(values[n]) for n in self.parameter_names)

    # -- scalar and vector evaluation ------------------------------------------------------

    def _eval(self, fn: Compiled, R: Any, C: Any, p: tuple[float, ...]) -> np.ndarray:
        return fn(R, C, *p)

    def _scalar(self, fn: Compiled, R: float, C: float, p: tuple[float, ...]) -> float:
        with np.errstate(all="ignore"):  # numpy scalars: 0.0**-1 is inf, not ZeroDivisionError
            return float(fn.fn(np.float64(R), np.float64(C), *map(np.float64, p)))

    def _point(self, R: float, C: float, p: tuple[float, ...]) -> tuple[float, float, float]:
        d = self._d
        return self._scalar(d.f, R, C, p), self._scalar(d.f_r, R, C, p), self._scalar(d.f_c, R, C, p)

    # -- max_control ------------------------------------------------------------------------

    def solve_max_control(
        self, values: Mapping[str, float], price_rebels: float, price_civilians: float, resources: float
    ) -> UserSolution:
        """Maximise F(R, C) subject to p_R R + p_C C ≤ M, numerically (control maximisation).

        See docs/explanation/anderton_brauer.md, "The perpetrator's problem".

        Returns
        -------
        UserSolution
            The chosen bundle; ``cost`` is M (the budget binds).

        Raises
        ------
        ParameterError
            Naming ``technology`` when F or its gradient is not finite at the solution, or F
            falls in both attacks there.

        Warns
        -----
        MultipleOptimaWarning
            Two separate optima within 1e-9 relative (``unique=False``; the one with the
            fewest civilian attacks is reported).
        ConvergenceWarning
            The KKT conditions fail at the reported point (a kink or a non-smooth F).

        Examples
        --------
        >>> tech = UserTechnology("R + b*log(1 + C)")
        >>> sol = tech.solve_max_control({"b": 30.0}, 1.0, 1.0, 20.0)
        >>> sol.civilian_attacks, sol.rebel_attacks, sol.regime
        (20.0, 0.0, 'no_rebel_attacks')
        """
        p = self._vals(values)
        pR, pC, M = _prices(price_rebels=price_rebels, price_civilians=price_civilians, resources=resources)
        d = self._d
        cmax = M / pC

        def rebels(c: Any) -> Any:
            return np.maximum((M - pC * np.asarray(c, dtype=float)) / pR, 0.0)

        def g(c: float) -> float:
            return self._scalar(d.f, float(rebels(c)), c, p)

        def phi(c: float) -> float:  # g'(C)·p_R
            r = float(rebels(c))
            return pR * self._scalar(d.f_c, r, c, p) - pC * self._scalar(d.f_r, r, c, p)

        grid = np.linspace(0.0, cmax, GRID_POINTS)
        grid[-1] = cmax
        with np.errstate(all="ignore"):
            values_grid = np.asarray(self._eval(d.f, rebels(grid), grid, p), dtype=float)
        if np.any(values_grid == np.inf):
            i = int(np.argmax(values_grid == np.inf))
            raise _technology_error(
                self.expr, f"control is infinite at C={grid[i]!r}, R={float(rebels(grid[i]))!r} on the budget line"
            )
        score = np.where(np.isfinite(values_grid), values_grid, -np.inf)
        if not np.any(np.isfinite(score)):
            raise _technology_error(self.expr, "control is not finite anywhere on the budget line")

        candidates = []
        for i in _peaks(score):
            lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, GRID_POINTS - 1)]
            c = _refine(lambda x: -g(x), lambda x: -phi(x), lo, hi, xatol=1e-12 * cmax)
            candidates.append((c, g(c)))
        for c in (0.0, cmax):
            v = g(c)
            if math.isfinite(v):
                candidates.append((c, v))
        c, unique = _select(candidates, maximise=True, spacing=2.0 * cmax / (GRID_POINTS - 1))
        if not unique:
            warnings.warn(
                f"technology {self.expr}: several control-maximising mixes within 1e-9 relative; "
                f"reporting the one with the fewest civilian attacks (C={c!r})",
                MultipleOptimaWarning,
                stacklevel=2,
            )

        if c <= _SNAP * cmax:
            c = 0.0
        r = float(rebels(c))
        if r <= _SNAP * M / pR:
            r, c = 0.0, cmax
        z, fr, fc = self._point(r, c, p)
        self._check_point(z, fr, fc, r, c)
        regime = _regime(r, c)
        lhs, rhs = pR * fc, pC * fr
        ok = {
            "interior": abs(lhs - rhs) <= _KKT_TOL * (abs(lhs) + abs(rhs)),
            "no_civilian_attacks": lhs <= rhs + _KKT_TOL * (abs(lhs) + abs(rhs)),
            "no_rebel_attacks": lhs >= rhs - _KKT_TOL * (abs(lhs) + abs(rhs)),
        }[regime]
        if not ok:
            warnings.warn(
                f"technology {self.expr}: KKT conditions fail at the best mix found (C={c!r}, R={r!r}, "
                f"p_R F_C={lhs!r}, p_C F_R={rhs!r}); F may be non-smooth there",
                ConvergenceWarning,
                stacklevel=2,
            )
        return UserSolution(c, r, z, float(M), regime, unique)

    # -- min_cost ---------------------------------------------------------------------------

    def _isoquant(self, C: np.ndarray, p: tuple[float, ...], target: float) -> np.ndarray:
        """Smallest R ≥ 0 with F(R, C) ≥ target for every C (vectorised); inf where none exists.

        A coarse ladder R = 2^(4j) brackets the root, then the Illinois variant of regula
        falsi (bisection where a step leaves the bracket or a value is not finite) narrows
        every bracket at once, keeping F(lo) < target ≤ F(hi).
        """
        d = self._d
        C = np.asarray(C, dtype=float)
        with np.errstate(all="ignore"):
            at_zero = np.asarray(self._eval(d.f, 0.0, C, p), dtype=float) >= target
            ladder = np.asarray(self._eval(d.f, _LADDER[None, :], C[:, None], p), dtype=float) >= target
        found = ladder.any(axis=1)
        first = np.argmax(ladder, axis=1)
        out = np.where(at_zero, 0.0, np.where(found, _LADDER[first], np.inf))
        idx = np.flatnonzero(found & ~at_zero)
        if idx.size == 0:
            return out
        hi = _LADDER[first[idx]]
        lo = np.where(first[idx] > 0, _LADDER[np.maximum(first[idx] - 1, 0)], 0.0)
        c = C[idx]
        with np.errstate(all="ignore"):
            flo = np.asarray(self._eval(d.f, lo, c, p), dtype=float) - target
            fhi = np.asarray(self._eval(d.f, hi, c, p), dtype=float) - target
            fhi_true = fhi.copy()
            side = np.zeros(idx.size, dtype=np.int8)
            for _ in range(300):
                x = hi - fhi * (hi - lo) / (fhi - flo)
                bisect = ~np.isfinite(x) | (x <= lo) | (x >= hi) | ~np.isfinite(flo) | ~np.isfinite(fhi)
                x = np.where(bisect, 0.5 * (lo + hi), x)
                fx = np.asarray(self._eval(d.f, x, c, p), dtype=float) - target
                up = fx >= 0.0
                flo = np.where(~up, fx, np.where(side == 1, 0.5 * flo, flo))  # Illinois: halve a stale end
                fhi = np.where(up, fx, np.where(side == -1, 0.5 * fhi, fhi))
                fhi_true = np.where(up, fx, fhi_true)
                lo = np.where(up, lo, x)
                hi = np.where(up, x, hi)
                side = np.where(up, 1, -1).astype(np.int8)
                done = (hi - lo <= 4e-16 * hi) | (fhi_true <= 4e-16 * abs(target))
                if done.any():
                    out[idx[done]] = hi[done]
                    keep = ~done
                    idx, lo, hi, c = idx[keep], lo[keep], hi[keep], c[keep]
                    flo, fhi, fhi_true, side = flo[keep], fhi[keep], fhi_true[keep], side[keep]
                    if idx.size == 0:
                        break
            out[idx] = hi
        return out

    def _isoquant_scalar(self, c: float, p: tuple[float, ...], target: float) -> float:
        """R(c) on the isoquant F(R, c) = target (Brent root in the ladder bracket)."""
        d = self._d
        if self._scalar(d.f, 0.0, c, p) >= target:
            return 0.0
        with np.errstate(all="ignore"):
            ladder = np.asarray(self._eval(d.f, _LADDER, c, p), dtype=float) >= target
        if not ladder.any():
            return math.inf
        k = int(np.argmax(ladder))
        hi = float(_LADDER[k])
        lo = float(_LADDER[k - 1]) if k > 0 else 0.0
        return _root(lambda r: self._scalar(d.f, r, c, p) - target, lo, hi)

    def _pure_civilian(self, p: tuple[float, ...], target: float) -> float:
        """Smallest C with F(0, C) ≥ target (the "no_rebel_attacks" corner); inf if none."""
        d = self._d
        with np.errstate(all="ignore"):
            ladder = np.asarray(self._eval(d.f, 0.0, _POW2, p), dtype=float) >= target
        if not ladder.any():
            return math.inf
        k = int(np.argmax(ladder))
        hi = float(_POW2[k])
        lo = float(_POW2[k - 1]) if k > 0 else 0.0
        return _root(lambda c: self._scalar(d.f, 0.0, c, p) - target, lo, hi)

    def solve_min_cost(
        self, values: Mapping[str, float], price_rebels: float, price_civilians: float, control_target: float
    ) -> UserSolution:
        """Minimise p_R R + p_C C subject to F(R, C) ≥ Z̄, numerically (cost minimisation).

        See docs/explanation/anderton_brauer.md, "The perpetrator's problem".

        The isoquant is parametrised by C. A bound on the civilian attacks worth considering
        comes from the cheapest of a ladder of trial points C = 2^k (spending more than that
        on C alone cannot pay), so the search interval [0, C_hi] always holds the optimum.

        Raises
        ------
        ParameterError
            Naming ``control_target`` when no bundle reaches it; naming ``technology`` when F
            or its gradient is not finite at the solution, or F falls in both attacks there.

        Examples
        --------
        >>> tech = UserTechnology("R + b*log(1 + C)")
        >>> sol = tech.solve_min_cost({"b": 30.0}, 1.0, 2.0, 50.0)
        >>> round(sol.civilian_attacks, 9), sol.rebel_attacks, sol.regime
        (4.29449005, 0.0, 'no_rebel_attacks')
        """
        p = self._vals(values)
        pR, pC, target = _prices(
            price_rebels=price_rebels, price_civilians=price_civilians, control_target=control_target
        )
        d = self._d
        if self._scalar(d.f, 0.0, 0.0, p) >= target:  # the target needs no attacks at all
            return UserSolution(0.0, 0.0, target, 0.0, "no_civilian_attacks", True)

        ladder_c = np.concatenate(([0.0], _POW2))
        ladder_cost = pR * self._isoquant(ladder_c, p, target) + pC * ladder_c
        c_pure = self._pure_civilian(p, target)
        best = min(float(np.min(ladder_cost)), pC * c_pure)
        if not math.isfinite(best):
            raise ParameterError("control_target", "values the technology can reach", target, f"technology {self.expr}")
        c_hi = min(best / pC, c_pure)

        def cost(c: float) -> float:
            return pR * self._isoquant_scalar(c, p, target) + pC * c

        def chi(c: float) -> float:  # sign of cost'(C) when F_R > 0
            r = self._isoquant_scalar(c, p, target)
            return pC * self._scalar(d.f_r, r, c, p) - pR * self._scalar(d.f_c, r, c, p)

        grid = np.linspace(0.0, c_hi, GRID_POINTS)
        grid[-1] = c_hi
        costs = pR * self._isoquant(grid, p, target) + pC * grid
        score = np.where(np.isfinite(costs), -costs, -np.inf)
        candidates = []
        for i in _peaks(score):
            lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, GRID_POINTS - 1)]
            c = _refine(cost, chi, lo, hi, xatol=1e-12 * max(c_hi, 1e-300))
            candidates.append((c, cost(c)))
        j = int(np.argmin(ladder_cost))  # the cheapest trial point, in case the grid misses a narrow region
        if math.isfinite(ladder_cost[j]) and ladder_c[j] <= c_hi:
            candidates.append((float(ladder_c[j]), cost(float(ladder_c[j]))))
        r0 = self._isoquant_scalar(0.0, p, target)
        if math.isfinite(r0):
            candidates.append((0.0, pR * r0))
        if math.isfinite(c_pure):
            candidates.append((c_pure, pC * c_pure))
        candidates = [(c, v) for c, v in candidates if math.isfinite(v)]
        c, unique = _select(candidates, maximise=False, spacing=2.0 * c_hi / (GRID_POINTS - 1))
        if not unique:
            warnings.warn(
                f"technology {self.expr}: several cost-minimising mixes within 1e-9 relative; "
                f"reporting the one with the fewest civilian attacks (C={c!r})",
                MultipleOptimaWarning,
                stacklevel=2,
            )
        r = 0.0 if c >= c_pure else self._isoquant_scalar(c, p, target)
        spend = pR * r + pC * c
        if c <= _SNAP * spend / pC and math.isfinite(r0):
            c, r = 0.0, r0
        elif r <= _SNAP * spend / pR and math.isfinite(c_pure):
            c, r = c_pure, 0.0
        z, fr, fc = self._point(r, c, p)
        self._check_point(z, fr, fc, r, c)
        regime = _regime(r, c)
        lhs, rhs = pR * fc, pC * fr
        scale = _KKT_TOL * (abs(lhs) + abs(rhs))
        ok = {
            "interior": abs(lhs - rhs) <= scale,
            "no_civilian_attacks": lhs <= rhs + scale,
            "no_rebel_attacks": lhs >= rhs - scale,
        }[regime]
        if not ok:
            warnings.warn(
                f"technology {self.expr}: KKT conditions fail at the cheapest mix found (C={c!r}, R={r!r}, "
                f"p_R F_C={lhs!r}, p_C F_R={rhs!r}); F may be non-smooth there",
                ConvergenceWarning,
                stacklevel=2,
            )
        return UserSolution(c, r, target, pR * r + pC * c, regime, unique)

    def _check_point(self, z: float, fr: float, fc: float, r: float, c: float) -> None:
        if not (math.isfinite(z) and math.isfinite(fr) and math.isfinite(fc)):
            raise _technology_error(
                self.expr,
                f"value or gradient not finite at the solution R={r!r}, C={c!r}: F={z!r}, F_R={fr!r}, F_C={fc!r}",
            )
        if fr < 0 and fc < 0:
            raise _technology_error(
                self.expr, f"decreasing in both attacks at the solution R={r!r}, C={c!r}: F_R={fr!r}, F_C={fc!r}"
            )

    # -- choke prices ------------------------------------------------------------------------

    def _choke_at(self, r_bar: float, p: tuple[float, ...], pR: float) -> float:
        """max(0, p_R F_C(r̄, 0)/F_R(r̄, 0)); ∞ if C is essential or F_C is infinite at C = 0."""
        d = self._d
        if not math.isfinite(r_bar):
            return math.inf
        if _essential_civilians(self.expr, p, self._d.params):
            return math.inf
        fc = self._scalar(d.f_c, r_bar, 0.0, p)
        fr = self._scalar(d.f_r, r_bar, 0.0, p)
        if not math.isfinite(fc) or not math.isfinite(fr):
            fc = _limit_at_zero(d.F_C, r_bar, p, d.params)
            fr = _limit_at_zero(d.F_R, r_bar, p, d.params)
        if math.isnan(fc) or math.isnan(fr) or fc == math.inf:
            return math.inf
        if fr == math.inf:
            return 0.0
        if fr <= 0.0:
            return math.inf if fc > 0 else 0.0
        return max(0.0, pR * fc / fr)

    def choke_price(self, values: Mapping[str, float], price_rebels: float, resources: float) -> float:
        """The choke price p̂_C = p_R·F_C(M/p_R, 0)/F_R(M/p_R, 0) under max_control.

        See docs/explanation/anderton_brauer.md, "Kuhn–Tucker conditions, corners and the choke price".

        Returns ``max(0, p̂_C)``, or ``math.inf`` when civilian attacks are essential
        (F(R, 0) ≡ 0) or their marginal product is infinite at C = 0.

        Examples
        --------
        >>> UserTechnology("R + b*log(1 + C)").choke_price({"b": 30.0}, 1.0, 100.0)
        30.0
        >>> UserTechnology("R**0.5*C**0.5").choke_price({}, 1.0, 100.0)
        inf
        """
        p = self._vals(values)
        pR, M = _prices(price_rebels=price_rebels, resources=resources)
        return self._choke_at(M / pR, p, pR)

    def choke_price_min_cost(self, values: Mapping[str, float], price_rebels: float, control_target: float) -> float:
        """The min_cost choke price p_R·F_C(R̄₀, 0)/F_R(R̄₀, 0) with F(R̄₀, 0) = Z̄.

        See docs/explanation/anderton_brauer.md, "Kuhn–Tucker conditions, corners and the choke price".

        ``math.inf`` when no R alone reaches Z̄ or civilian attacks are essential.

        Examples
        --------
        >>> UserTechnology("R*(1 + k*C)").choke_price_min_cost({"k": 0.05}, 1.0, 180.0)
        9.0
        """
        p = self._vals(values)
        pR, target = _prices(price_rebels=price_rebels, control_target=control_target)
        r_bar = float(self._isoquant(np.array([0.0]), p, target)[0])
        return self._choke_at(r_bar, p, pR)

    # -- symbolic solution ---------------------------------------------------------------------

    def symbolic_solution(
        self, timeout: float = 5.0, *, at: Mapping[str, float] | None = None
    ) -> dict[str, sp.Expr] | None:
        """Sympy's explicit solution of the tangency and budget equations, or ``None``.

        Solves {p_R F_C − p_C F_R = 0, p_R R + p_C C = M} for (R, C) in a worker process that
        is stopped after ``timeout`` seconds (under ``signal.alarm`` where no process can be
        started; skipped where neither works). Returns ``None`` on failure, on an implicit
        answer, on several solutions, or on time-out. The attempt is cached per expression
        (a time-out is retried only with a longer ``timeout``); ``solve`` never waits on it.

        Parameters
        ----------
        timeout:
            Seconds to give sympy.
        at:
            Optional point (every technology parameter plus ``price_rebels``,
            ``price_civilians`` and ``resources``). The solution is returned only if it agrees
            with :meth:`solve_max_control` there to 1e-6 relative (so ``None`` at a corner).

        Returns
        -------
        dict or None
            ``{"R": ..., "C": ...}`` in symbols named ``price_rebels``, ``price_civilians``,
            ``resources`` (:func:`common_symbols`) and the technology parameters (as they occur
            in :attr:`expr`). The solution was derived with every symbol taken positive.

        Examples
        --------
        >>> sol = UserTechnology("R*(1 + k*C)").symbolic_solution()
        >>> s = common_symbols()
        >>> sp.simplify(sol["C"] - (s["resources"] / s["price_civilians"] - 1 / sp.Symbol("k")) / 2)
        0
        """
        sol = _symbolic_cached(self.expr, self._d.params, float(timeout))
        if sol is None or at is None:
            return sol
        return sol if self._agrees(sol, at) else None

    def _agrees(self, sol: dict[str, sp.Expr], at: Mapping[str, float]) -> bool:
        common = ("price_rebels", "price_civilians", "resources")
        missing = [n for n in common if n not in at]
        if missing:
            raise TypeError(f"symbolic_solution(at=...) needs {', '.join(missing)}")
        values = {n: at[n] for n in self.parameter_names if n in at}
        numeric = self.solve_max_control(values, at["price_rebels"], at["price_civilians"], at["resources"])
        subs = {s: float(at[s.name]) for s in self._d.params}
        subs.update({common_symbols()[n]: float(at[n]) for n in common})
        scale = {
            "C": float(at["resources"]) / float(at["price_civilians"]),
            "R": float(at["resources"]) / float(at["price_rebels"]),
        }
        for key, num in (("C", numeric.civilian_attacks), ("R", numeric.rebel_attacks)):
            try:
                val = complex(sol[key].xreplace(subs).evalf())
            except (TypeError, ValueError):
                return False
            if abs(val.imag) > 1e-9 * scale[key] or not math.isfinite(val.real):
                return False
            if abs(val.real - num) > 1e-6 * max(abs(num), 1e-3 * scale[key]):
                return False
        return True

    # -- comparative statics --------------------------------------------------------------------

    def implicit_derivative(self, of: str, wrt: str, objective: str = "max_control") -> sp.Expr:
        """d(of)/d(wrt) at an interior optimum by the implicit function theorem.

        See docs/explanation/anderton_brauer.md, "General comparative statics".

        Under max_control, with R(C) = (M − p_C C)/p_R and φ(C) = p_R F_C(R(C), C) −
        p_C F_R(R(C), C): dC*/dx = −φ_x/φ_C and dR*/dx = ∂R(C)/∂x − (p_C/p_R)·dC*/dx, where
        φ_x includes x's effect through R(C). Under ``objective="min_cost"`` the system
        {p_R F_C − p_C F_R = 0, F(R, C) = Z̄} is differentiated instead (``wrt`` may then be
        ``control_target`` but not ``resources``). ``of="control"`` gives the total change
        of F (max_control only).

        Parameters
        ----------
        of:
            ``"civilian_attacks"``, ``"rebel_attacks"`` or ``"control"``.
        wrt:
            A technology parameter name, ``price_rebels``, ``price_civilians``, ``resources``
            (max_control) or ``control_target`` (min_cost).

        Returns
        -------
        sympy.Expr
            An expression in R, C (:func:`attack_symbols`), the prices and resources
            (:func:`common_symbols`) and the technology parameters; evaluate it at the optimum.

        Examples
        --------
        >>> tech = UserTechnology("R*(1 + k*C)")
        >>> d = tech.implicit_derivative("civilian_attacks", "k")
        >>> s = common_symbols()
        >>> float(d.subs({tech.R: 60, tech.C: 40, sp.Symbol("k"): 0.05, s["price_rebels"]: 1,
        ...               s["price_civilians"]: 1, s["resources"]: 100}))
        200.0
        """
        return _implicit(self.expr, self._d.params, of, wrt, objective)


# --------------------------------------------------------------------------------------
# numeric helpers


def _prices(**kw: float) -> tuple[float, ...]:
    out = []
    for name, v in kw.items():
        try:
            x = float(v)
        except (TypeError, ValueError):
            raise ParameterError(name, "(0, inf)", v) from None
        if not (math.isfinite(x) and x > 0):
            raise ParameterError(name, "(0, inf)", x)
        out.append(x)
    return tuple(out)


def _regime(r: float, c: float) -> str:
    if c == 0.0:
        return "no_civilian_attacks"
    if r == 0.0:
        return "no_rebel_attacks"
    return "interior"


def _peaks(score: np.ndarray) -> list[int]:
    """Indices of the best few grid maxima (plateau runs counted once)."""
    left = np.concatenate(([-np.inf], score[:-1]))
    right = np.concatenate((score[1:], [-np.inf]))
    idx = np.flatnonzero((score >= left) & (score >= right) & np.isfinite(score))
    if idx.size == 0:
        return []
    idx = idx[np.concatenate(([True], np.diff(idx) > 1))]
    order = np.argsort(-score[idx], kind="stable")
    return [int(i) for i in idx[order[:_PEAKS]]]


def _root(f: Callable[[float], float], lo: float, hi: float) -> float:
    """Brent root of f on [lo, hi] where f(lo) < 0 ≤ f(hi); hi when the bracket is degenerate."""
    flo, fhi = f(lo), f(hi)
    if fhi == 0.0 or not math.isfinite(fhi):
        return hi if fhi == 0.0 else _bisect(f, lo, hi)
    if not (math.isfinite(flo) and flo < 0.0 < fhi):
        return _bisect(f, lo, hi)
    return float(optimize.brentq(f, lo, hi, xtol=1e-15 * hi + 1e-300, rtol=8.9e-16, maxiter=200))


def _bisect(f: Callable[[float], float], lo: float, hi: float) -> float:
    """Bisection keeping f(hi) ≥ 0 (robust to non-finite values below the root)."""
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if mid <= lo or mid >= hi:
            break
        v = f(mid)
        if v >= 0.0 or v == math.inf:
            hi = mid
        else:
            lo = mid
    return hi


def _refine(
    objective: Callable[[float], float], slope_sign: Callable[[float], float], lo: float, hi: float, xatol: float
) -> float:
    """Bounded Brent minimisation of ``objective`` on [lo, hi], then a Brent root polish of the
    first-order condition ``slope_sign`` (< 0 left of the minimum, > 0 right of it) near it."""
    if hi <= lo:
        return lo

    def safe(x: float) -> float:
        v = objective(x)
        return v if math.isfinite(v) else math.inf

    res = optimize.minimize_scalar(safe, bounds=(lo, hi), method="bounded", options={"xatol": xatol})
    x = float(res.x)
    fx = safe(x)
    width = 1e-7 * (hi - lo) + 1e-7 * abs(x)
    for a, b in ((max(lo, x - width), min(hi, x + width)), (lo, hi)):
        if b <= a:
            continue
        sa, sb = slope_sign(a), slope_sign(b)
        if math.isfinite(sa) and math.isfinite(sb) and sa < 0.0 < sb:
            try:
                xp = float(optimize.brentq(slope_sign, a, b, xtol=1e-15 * max(abs(b), 1e-300), rtol=8.9e-16))
            except (ValueError, RuntimeError):  # pragma: no cover - guarded by the sign check
                break
            if safe(xp) <= fx + 1e-12 * abs(fx):
                return xp
            break
    return x


def _select(candidates: list[tuple[float, float]], maximise: bool, spacing: float) -> tuple[float, bool]:
    """The best candidate point, and whether it is unique (no separate candidate within 1e-9)."""
    if not candidates:
        raise ValueError("no candidate optimum")  # pragma: no cover - callers guarantee one
    sign = 1.0 if maximise else -1.0
    best = max(sign * v for _, v in candidates)
    tol = _TIE_TOL * abs(best) + 1e-300
    near = sorted((c, sign * v) for c, v in candidates if sign * v >= best - tol)
    clusters: list[list[tuple[float, float]]] = []
    for c, v in near:
        if clusters and c - clusters[-1][-1][0] <= spacing:
            clusters[-1].append((c, v))
        else:
            clusters.append([(c, v)])
    if len(clusters) == 1:
        return max(clusters[0], key=lambda cv: cv[1])[0], True
    first = clusters[0]
    return max(first, key=lambda cv: cv[1])[0], False


# --------------------------------------------------------------------------------------
# sympy helpers for the choke price


def _subs_values(expr: sp.Expr, p: tuple[float, ...], params: tuple[sp.Symbol, ...]) -> sp.Expr:
    return expr.xreplace({s: sp.Float(v) for s, v in zip(params, p, strict=True)})


@functools.lru_cache(maxsize=1024)
def _essential_cached(expr: sp.Expr, p: tuple[float, ...], params: tuple[sp.Symbol, ...]) -> bool:
    f0 = _subs_values(expr, p, params).subs(_C, 0)
    try:
        return bool(sp.simplify(f0) == 0)
    except Exception:  # pragma: no cover - sympy internals
        return False


def _essential_civilians(expr: sp.Expr, p: tuple[float, ...], params: tuple[sp.Symbol, ...]) -> bool:
    """Whether F(R, 0) ≡ 0 (checked numerically first, confirmed with sympy)."""
    d = _derive(expr, params)
    with np.errstate(all="ignore"):
        vals = np.asarray(d.f(np.array([0.5, 1.0, 3.0, 17.0, 250.0]), 0.0, *p), dtype=float)
    if np.any(vals != 0.0):
        return False
    return _essential_cached(expr, p, params)


def _limit_at_zero(deriv: sp.Expr, r_bar: float, p: tuple[float, ...], params: tuple[sp.Symbol, ...]) -> float:
    """lim_{C→0+} of a partial derivative at R = r̄ (inf, a number, or nan if sympy cannot tell)."""
    e = _subs_values(deriv, p, params).subs(_R, sp.Float(r_bar))
    try:
        lim = sp.limit(e, _C, 0, "+")
    except Exception:  # pragma: no cover - sympy internals
        return math.nan
    if lim in (sp.oo,):
        return math.inf
    if lim in (-sp.oo,):
        return -math.inf
    try:
        return float(lim)
    except (TypeError, ValueError):
        return math.nan


# --------------------------------------------------------------------------------------
# implicit comparative statics


@functools.lru_cache(maxsize=512)
def _implicit(expr: sp.Expr, params: tuple[sp.Symbol, ...], of: str, wrt: str, objective: str) -> sp.Expr:
    outcomes = ("civilian_attacks", "rebel_attacks", "control")
    if of not in outcomes:
        raise ParameterError("of", "{" + ", ".join(outcomes) + "}", of)
    if objective not in ("max_control", "min_cost"):
        raise ParameterError("objective", "{max_control, min_cost}", objective)
    s = common_symbols()
    pR, pC, M, Zb = s["price_rebels"], s["price_civilians"], s["resources"], s["control_target"]
    by_name = {p.name: p for p in params}
    common = (
        ("price_rebels", "price_civilians", "resources")
        if objective == "max_control"
        else ("price_rebels", "price_civilians", "control_target")
    )
    valid = (*sorted(by_name), *common)
    if wrt not in valid:
        raise ParameterError("wrt", "{" + ", ".join(valid) + "}", wrt)
    x = by_name[wrt] if wrt in by_name else s[wrt]
    F_R, F_C = sp.diff(expr, _R), sp.diff(expr, _C)
    phi = pR * F_C - pC * F_R  # tangency, as a function of (R, C, x)
    if objective == "max_control":
        # R(C) = (M − p_C C)/p_R; ∂R(C)/∂x holding C fixed, written at the budget line
        dRx = {M: 1 / pR, pC: -_C / pR, pR: -_R / pR}.get(x, sp.Integer(0))
        phi_total_C = sp.diff(phi, _C) - (pC / pR) * sp.diff(phi, _R)
        phi_total_x = sp.diff(phi, x) + sp.diff(phi, _R) * dRx
        dC = -phi_total_x / phi_total_C
        dR = dRx - (pC / pR) * dC
        if of == "control":
            return F_R * dR + F_C * dC + sp.diff(expr, x)
    else:
        if of == "control":
            raise ParameterError("of", "{civilian_attacks, rebel_attacks} under min_cost", of)
        # d/dx of {φ(R, C, x) = 0, F(R, C, x) − Z̄ = 0}
        G = sp.Matrix([phi, expr - Zb])
        J = G.jacobian([_R, _C])
        sol = -J.LUsolve(G.diff(x))
        dR, dC = sol[0], sol[1]
    out = dC if of == "civilian_attacks" else dR
    return out


# --------------------------------------------------------------------------------------
# symbolic solution in a worker process


_SYMBOLIC_CACHE: dict[sp.Expr, tuple[str, Any]] = {}
_SYMBOLIC_LOCK = threading.Lock()


def _positive_version(params: tuple[sp.Symbol, ...]) -> dict[sp.Symbol, sp.Symbol]:
    return {p: sp.Symbol(p.name, **_POSITIVE) for p in params}


def _solve_system(expr: sp.Expr, params: tuple[sp.Symbol, ...]) -> Any:
    """sympy.solve of the tangency and budget equations, every symbol positive (worker side)."""
    pos = _positive_version(params)
    e = expr.xreplace(pos)
    s = common_symbols()
    pR, pC, M = s["price_rebels"], s["price_civilians"], s["resources"]
    eqs = [pR * sp.diff(e, _C) - pC * sp.diff(e, _R), pR * _R + pC * _C - M]
    return sp.solve(eqs, [_R, _C], dict=True)


def _worker(conn: Any, expr: sp.Expr, params: tuple[sp.Symbol, ...]) -> None:  # pragma: no cover - child
    try:
        result: Any = ("ok", _solve_system(expr, params))
    except Exception as exc:
        result = ("error", repr(exc))
    try:
        conn.send(result)
    except Exception as exc:
        conn.send(("error", repr(exc)))
    finally:
        conn.close()


class _Timeout(Exception):
    pass


def _context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and (sys.version_info < (3, 12) or threading.active_count() == 1):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context()


def _attempt(expr: sp.Expr, params: tuple[sp.Symbol, ...], timeout: float) -> tuple[str, Any]:
    """("ok", solutions) | ("error", text) | ("timeout", None) | ("skipped", None)."""
    try:
        ctx = _context()
        recv, send = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_worker, args=(send, expr, params), daemon=True)
        proc.start()
    except (AssertionError, OSError, RuntimeError, ValueError):  # e.g. inside a daemonic worker
        return _attempt_alarm(expr, params, timeout)
    send.close()
    try:
        if recv.poll(timeout):
            try:
                return recv.recv()
            except (EOFError, OSError):
                return ("error", "worker ended without an answer")
        return ("timeout", None)
    finally:
        recv.close()
        if proc.is_alive():
            proc.kill()
        proc.join(5.0)


def _attempt_alarm(expr: sp.Expr, params: tuple[sp.Symbol, ...], timeout: float) -> tuple[str, Any]:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        return ("skipped", None)

    def handler(signum: int, frame: Any) -> None:
        raise _Timeout

    old = signal.signal(signal.SIGALRM, handler)
    try:
        signal.setitimer(signal.ITIMER_REAL, timeout)
        try:
            return ("ok", _solve_system(expr, params))
        except _Timeout:
            return ("timeout", None)
        except Exception as exc:
            return ("error", repr(exc))
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, old)


def _explicit(solutions: Any, params: tuple[sp.Symbol, ...]) -> dict[str, sp.Expr] | None:
    """The unique explicit solution in the caller's parameter symbols, else None."""
    if not isinstance(solutions, list):
        return None
    back = {v: k for k, v in _positive_version(params).items()}
    keep = []
    for sol in solutions:
        if not isinstance(sol, dict) or _R not in sol or _C not in sol:
            continue
        r, c = sol[_R].xreplace(back), sol[_C].xreplace(back)
        bad = (sp.RootOf, sp.ConditionSet, sp.Integral, sp.Subs, sp.Derivative)
        if any(e.has(_R, _C) or e.has(*bad) for e in (r, c)):
            continue
        if r.is_extended_real is False or c.is_extended_real is False or r.is_negative or c.is_negative:
            continue
        keep.append({"R": r, "C": c})
    return keep[0] if len(keep) == 1 else None


def _symbolic_cached(expr: sp.Expr, params: tuple[sp.Symbol, ...], timeout: float) -> dict[str, sp.Expr] | None:
    with _SYMBOLIC_LOCK:
        hit = _SYMBOLIC_CACHE.get(expr)
    if hit is not None:
        status, payload = hit
        if status == "done":
            return payload
        if status == "timeout" and payload >= timeout:
            return None
    status, payload = _attempt(expr, params, timeout)
    if status == "skipped":
        return None
    if status == "timeout":
        with _SYMBOLIC_LOCK:
            _SYMBOLIC_CACHE[expr] = ("timeout", timeout)
        return None
    result = _explicit(payload, params) if status == "ok" else None
    with _SYMBOLIC_LOCK:
        _SYMBOLIC_CACHE[expr] = ("done", result)
    return result
