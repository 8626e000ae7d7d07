"""The perpetrator's choice between attacking rebels and attacking civilians, after Anderton & Brauer.

A perpetrator with resources ``M`` produces control ``Z = F(R, C; τ)`` with attacks on armed
opponents ``R`` (price ``p_R`` each) and attacks on civilians ``C`` (price ``p_C`` each). It either
maximises control on its budget (``objective="max_control"``) or reaches a control target ``Z̄``
at least cost (``objective="min_cost"``). The central output is the demand for attacks on
civilians ``C*(p_C, p_R, M; τ)``; third-party policies act on resources, on the technology
(isoquant policies) or on prices, and :meth:`AndertonBrauer.policy_effect` reports what they do.

Six technologies are built in (``"cobb_douglas"``, ``"ces"``, ``"contest"``, ``"linear"``,
``"quasi_linear"``, ``"quadratic"``), each solved in closed form and vectorised; a sympy
expression in ``R`` and ``C`` is solved numerically (see :class:`AndertonBrauer`).

This is atrogame's reconstruction of the choice-theoretic framework described by Anderton &
Brauer. The functional forms, parameter values and numbers are atrogame's own, not the
authors' published numbers.

References
----------
Anderton, C. H., and J. Brauer, eds. (2016). *Economic Aspects of Genocides, Other Mass
Atrocities, and Their Prevention*. Oxford University Press.

Anderton, C. H., and J. Brauer (2021). Mass atrocities and their prevention. *Journal of
Economic Literature* 59(4), 1240–1292. doi:10.1257/jel.20201240

Examples
--------
>>> eq = AndertonBrauer(technology="contest").solve()
>>> eq.regime, round(eq.civilian_attacks, 6), round(eq.choke_price, 6)
('interior', 40.0, 5.0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import sympy as sp

from atrogame.core.contract import outcome
from atrogame.core.errors import ParameterError
from atrogame.core.results import ComparativeStatics, Equilibrium, StaticsEntry
from atrogame.core.symbolic import Derivation
from atrogame.model import Model, elasticity
from atrogame.models.anderton_brauer import families as fam
from atrogame.models.anderton_brauer import symbolic as sym

if TYPE_CHECKING:
    from atrogame.models.anderton_brauer.user import UserTechnology

__all__ = ["REGIMES", "TECHNOLOGIES", "AndertonBrauer", "Decomposition", "OutcomeChange", "PolicyEffect"]

REGIMES = fam.REGIMES
TECHNOLOGIES = fam.TECHNOLOGIES
OBJECTIVES = fam.OBJECTIVES
OUTCOMES: tuple[str, ...] = ("civilian_attacks", "rebel_attacks", "control", "cost", "civilian_share",
                             "civilian_deaths", "choke_price")
STATICS_OUTCOMES: tuple[str, ...] = sym.OUTCOMES



def _user_module() -> Any:
    try:
        from atrogame.models.anderton_brauer import user as _ab_user
    except ImportError:  # pragma: no cover - the user-technology module is optional
        return None
    return _ab_user


class _instance_or_class:
    """A method that receives the instance when called on one, else the class."""

    def __init__(self, fn: Any) -> None:
        self.fn = fn
        self.__doc__ = fn.__doc__

    def __get__(self, obj: Any, cls: Any) -> Any:
        import functools

        return functools.partial(self.fn, cls if obj is None else obj)


class AndertonBrauer(Model):
    """The perpetrator's choice of attacks on rebels and on civilians (after Anderton & Brauer (2016)).

    Parameters
    ----------
    technology:
        ``"cobb_douglas"``, ``"ces"`` (default), ``"contest"``, ``"linear"``, ``"quasi_linear"``,
        ``"quadratic"``, or a sympy expression (or string) in the symbols ``R`` and ``C`` whose
        other free symbols are technology parameters given as keywords.
    objective:
        ``"max_control"`` (maximise control on the budget, default) or ``"min_cost"`` (reach
        ``control_target`` at least cost).
    control_target:
        Z̄, required with ``"min_cost"`` and refused with ``"max_control"``; in (0, 1) for
        the contest technology, in (0, inf) otherwise.
    **params:
        ``resources`` (M), ``price_rebels`` (p_R), ``price_civilians`` (p_C),
        ``lethality_civilians`` (λ), ``lethality_rebels`` (ψ) and the chosen technology's
        parameters (see :meth:`describe`); omitted ones take their defaults. An unknown name
        raises ``TypeError`` listing the valid names; a value outside its domain raises
        :class:`atrogame.ParameterError`.

    Notes
    -----
    Outcomes of :meth:`solve`: ``civilian_attacks`` (C* or C^h), ``rebel_attacks``,
    ``control``, ``cost``, ``civilian_share``, ``civilian_deaths`` (λC + ψR) and
    ``choke_price`` (the lowest p_C at which no civilian attacks are chosen; ``inf`` when no
    finite price does it, as for Cobb–Douglas and CES, where civilian attacks are always
    used); regimes ``"interior"``, ``"no_civilian_attacks"``, ``"no_rebel_attacks"``. Corners
    are results, never errors.

    The framework (a perpetrator choosing a mix of violence under a budget; resource,
    productivity and price policies) follows Anderton & Brauer (2016, 2021). The functional
    forms, defaults and every number atrogame reports are atrogame's own, not the authors'.

    References
    ----------
    Anderton, C. H., and J. Brauer, eds. (2016). *Economic Aspects of Genocides, Other Mass
    Atrocities, and Their Prevention*. Oxford University Press.
    Anderton, C. H., and J. Brauer (2021). Mass atrocities and their prevention. *Journal of
    Economic Literature* 59(4). doi:10.1257/jel.20201240

    Examples
    --------
    >>> m = AndertonBrauer()                       # CES, σ = 2, everything symmetric
    >>> round(m.solve().civilian_attacks, 6)
    50.0
    >>> m2 = AndertonBrauer(technology="ces", substitution_elasticity=0.5, productivity_civilians=0.5)
    >>> round(m2.solve().civilian_attacks, 4)      # protecting civilians backfires when σ < 1
    58.5786
    >>> h = AndertonBrauer(technology="cobb_douglas", objective="min_cost", control_target=50,
    ...                    price_civilians=2.0).solve()
    >>> round(h.civilian_attacks, 6), round(h.cost, 6)
    (35.355339, 141.421356)
    """

    name = "anderton_brauer"
    citation = "after Anderton & Brauer (2016, 2021)"
    reference = ("Anderton, C. H., and J. Brauer (2021). Mass atrocities and their prevention. Journal of "
                 "Economic Literature 59(4). doi:10.1257/jel.20201240; Anderton & Brauer, eds. (2016), "
                 "Economic Aspects of Genocides, Other Mass Atrocities, and Their Prevention, Oxford University Press")
    outcomes = (
        outcome("civilian_attacks", long_name="attacks on civilians", symbol="C^*", units="attacks per period",
                role="harm", headline=True),
        outcome("rebel_attacks", long_name="attacks on rebels", symbol="R^*", units="attacks per period"),
        outcome("control", long_name="control attained", symbol="Z^*", headline=True),
        outcome("cost", long_name="resources spent", symbol="p_R R + p_C C", units="resource units"),
        outcome("civilian_share", long_name="resource share of civilian attacks", symbol="s_C"),
        outcome("civilian_deaths", long_name="civilian deaths", symbol="D", units="deaths per period", headline=True),
        outcome("choke_price", long_name="choke price of civilian attacks", symbol=r"\hat{p}_C",
                units="resources per attack", bounded=False),
    )
    regimes = REGIMES
    provenance = "reconstruction"
    #: What net_assessment counts as averted harm (docs/explanation/anderton_brauer.md, "Deaths versus attacks").
    net_harm_outcome = "civilian_deaths"
    #: Plausible situations for tool backfire analysis and the brief (uniform ranges; wide,
    #: not estimates). Parameters a technology lacks are ignored.
    priors: ClassVar[Mapping[str, tuple[float, float]]] = {
        "resources": (50.0, 150.0),
        "price_rebels": (0.5, 2.0),
        "price_civilians": (0.5, 2.0),
        "substitution_elasticity": (0.2, 4.0),
        "share_rebels": (0.2, 0.8),
        "productivity_rebels": (0.5, 2.0),
        "productivity_civilians": (0.5, 2.0),
        "support_erosion": (0.01, 0.2),
        "rebel_base_strength": (20.0, 150.0),
        "weight_rebels": (0.2, 1.0),
        "weight_civilians": (0.2, 1.0),
    }
    default_statics_outcomes = ("civilian_attacks",)
    Params: Any = fam.CESParams

    def __init__(self, technology: Any = "ces", *, objective: str = "max_control",
                 control_target: float | None = None, **params: Any) -> None:
        if objective not in OBJECTIVES:
            raise ParameterError("objective", "{max_control, min_cost}", objective)
        if objective == "max_control" and control_target is not None:
            raise ParameterError("control_target", "None (a control target is used only with objective='min_cost')",
                                 control_target)
        if objective == "min_cost" and control_target is None:
            dom = "(0, 1)" if technology == "contest" else "(0, inf)"
            raise ParameterError("control_target", dom, None, "required when objective='min_cost'")
        self.objective = objective
        self._user: UserTechnology | None = None
        if isinstance(technology, str) and technology in TECHNOLOGIES:
            self.technology: Any = technology
            cls = fam.params_class(technology, objective)
        else:
            self._user = self._make_user(technology)
            self.technology = self._user.expr
            cls = self._user_params_class(self._user, objective)
            self.vectorised = False
            missing = [n for n in self._user.parameter_names if n not in params]
            given = {k: v for k, v in params.items() if k in self._user.parameter_names}
            if missing:
                self._user.check_values(given)
        self.Params = cls
        kwargs = dict(params)
        if objective == "min_cost":
            kwargs["control_target"] = control_target
        unknown = sorted(set(kwargs) - set(cls.names()))
        if unknown:
            raise TypeError(
                f"unknown parameter(s) {unknown} for AndertonBrauer(technology={self._tech_label()!r}); "
                f"valid names: {', '.join(n for n in cls.names() if n != 'control_target')}")
        try:
            self._params = cls(**kwargs)
        except ParameterError as exc:  # a joint rule: name a parameter the user set
            raise exc.blame(params) from None

    # ------------------------------------------------------------------ construction helpers
    @staticmethod
    def _make_user(technology: Any) -> Any:
        domain = "{" + ", ".join(TECHNOLOGIES) + "} or a sympy expression in R and C"
        if not isinstance(technology, str | sp.Basic):
            raise ParameterError("technology", domain, technology)
        mod = _user_module()
        if mod is None:  # pragma: no cover
            raise NotImplementedError("user-supplied sympy technologies are not available in this build")
        try:
            return mod.UserTechnology(technology)
        except ParameterError as exc:
            if isinstance(technology, str):
                raise ParameterError("technology", domain, technology, exc.detail) from None
            raise

    @staticmethod
    def _user_params_class(user: Any, objective: str) -> Any:
        return _user_params_class(tuple(user.parameter_names), objective)

    def _tech_label(self) -> str:
        return self.technology if isinstance(self.technology, str) else str(self.technology)

    # ------------------------------------------------------------------ parameters
    @property
    def control_target(self) -> float | None:
        """Z̄ under ``min_cost``; ``None`` under ``max_control``."""
        return getattr(self._params, "control_target", None) if self.objective == "min_cost" else None

    @_instance_or_class
    def describe(self_or_cls: Any) -> Any:
        """The parameter table of this technology (a ``pandas.DataFrame``).

        On the class (``AndertonBrauer.describe()``) it describes the default technology, CES.

        Examples
        --------
        >>> list(AndertonBrauer(technology="contest").describe().index)[-4:]
        ['productivity_rebels', 'support_erosion', 'rebel_base_strength', 'decisiveness']
        >>> "substitution_elasticity" in AndertonBrauer.describe().index
        True
        """
        return self_or_cls.Params.describe()

    def parameter_meta(self, name: str) -> Mapping[str, Any]:
        return self.Params.meta(name)

    def technology_parameters(self) -> tuple[str, ...]:
        """Names of the technology's own parameters (those a productivity policy may change)."""
        return tuple(n for n in self.Params.names() if n not in fam.COMMON_NAMES and n != "control_target")

    def __repr__(self) -> str:
        vals = ", ".join(f"{k}={v:g}" for k, v in self.parameter_values().items())
        return f"AndertonBrauer(technology={self._tech_label()!r}, objective={self.objective!r}, {vals})"

    def __hash__(self) -> int:
        return hash((type(self), self._tech_label(), self.objective, self._params))

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from its description, so models pickle (dask workers) whatever their parameter class
        vals = {k: v for k, v in self.parameter_values().items() if k != "control_target"}
        return (_rebuild, (self.technology, self.objective, self.control_target, vals))

    def _result_parameters(self) -> dict[str, Any]:
        return {"technology": self._tech_label(), "objective": self.objective, **self.parameter_values()}

    def extra_attrs(self) -> dict[str, str]:
        return {"technology": self._tech_label(), "objective": self.objective}

    # ------------------------------------------------------------------ kernel and solve
    def sweep(self, *, outcomes: Sequence[str] | None = None, chunks: Any = None, client: Any = None,
              progress: bool | None = None, **grid: Any) -> Any:
        """Solve on the full factorial grid of the given parameters (an ``xarray.Dataset``).

        Built-in technologies are evaluated in one vectorised kernel call; the quadratic
        technology's joint validity region is checked on the whole grid first (vectorised).
        Under ``min_cost`` the control target can be swept too.

        Examples
        --------
        >>> ds = AndertonBrauer(technology="contest").sweep(price_civilians=[1.0, 2.0, 6.0])
        >>> ds["civilian_attacks"].values.tolist(), ds.attrs["technology"]
        ([40.0, 15.0, 0.0], 'contest')
        """
        return super().sweep(outcomes=outcomes, chunks=chunks, client=client, progress=progress, **grid)

    def fused_kernel(self, values: Mapping[str, np.ndarray], wanted: Sequence[str]
                     ) -> tuple[Mapping[str, Any], Mapping[str, tuple[float, float]]] | None:
        # Large flat designs with the compiled path: the range check rides along the kernel's pass.
        if self._user is not None:
            return None
        from atrogame.models.anderton_brauer.fast import kernel_checked

        return kernel_checked(self.technology, self.objective, values)

    def kernel(self, values: Mapping[str, Any]) -> dict[str, np.ndarray]:
        if self._user is not None:
            raise NotImplementedError("a user technology has no vectorised closed form")
        from atrogame.models.anderton_brauer.fast import kernel

        return kernel(self.technology, self.objective, values)

    def solve(self, method: str = "auto") -> Equilibrium:
        """Solve the perpetrator's problem at this model's parameters.

        Parameters
        ----------
        method:
            ``"auto"`` (closed form for built-in technologies; numeric, or symbolic where sympy
            found a solution, for a user technology), ``"closed_form"``, ``"numeric"``.

        Returns
        -------
        Equilibrium
            Outcomes ``civilian_attacks``, ``rebel_attacks``, ``control``, ``cost``,
            ``civilian_share``, ``civilian_deaths``, ``choke_price``; ``regime``; ``method``;
            ``unique`` (False only at an exact tie of the linear technology). The parameters
            include ``technology`` and ``objective``.

        Examples
        --------
        >>> eq = AndertonBrauer(technology="linear", price_civilians=1.25).solve()
        >>> eq.regime, eq.unique, eq.civilian_attacks
        ('no_civilian_attacks', False, 0.0)
        """
        if self._user is not None:
            return self._solve_user(method)
        if method not in ("auto", "closed_form"):
            raise ValueError(f"method must be 'auto' or 'closed_form' for technology {self.technology!r}; "
                             f"got {method!r}")
        values = {k: np.asarray(v, dtype=float) for k, v in self.parameter_values().items()}
        return self._equilibrium_from(self.kernel(values), method="closed_form")

    # ------------------------------------------------------------------ user technology
    def _user_tech(self) -> UserTechnology:
        """The user-supplied technology (only called on code paths where one was given)."""
        if self._user is None:
            raise AttributeError(f"technology {self.technology!r} is built in, not a user technology")
        return self._user

    def _user_values(self) -> dict[str, float]:
        vals = self.parameter_values()
        return {n: vals[n] for n in self._user_tech().parameter_names}

    def _solve_user(self, method: str) -> Equilibrium:
        if method not in ("auto", "numeric", "symbolic"):
            raise ValueError(f"method must be 'auto', 'numeric' or 'symbolic' for a user technology; got {method!r}")
        v = self.parameter_values()
        tv = self._user_values()
        pR, pC, M = v["price_rebels"], v["price_civilians"], v["resources"]
        user = self._user_tech()
        if self.objective == "max_control":
            sol = user.solve_max_control(tv, pR, pC, M)
            choke = user.choke_price(tv, pR, M)
        else:
            sol = user.solve_min_cost(tv, pR, pC, v["control_target"])
            choke = user.choke_price_min_cost(tv, pR, v["control_target"])
        C, R = float(sol.civilian_attacks), float(sol.rebel_attacks)
        used = "numeric"
        if method == "symbolic":
            # waits for sympy (up to 5 s, cached); used only where it agrees with the numeric optimum
            if self.objective == "max_control" and sol.regime == "interior" and self._symbolic_here() is not None:
                used = "symbolic"
            else:
                import warnings

                from atrogame.core.errors import NumericalFallbackWarning

                warnings.warn("no symbolic solution applies here; the numeric solution is reported",
                              NumericalFallbackWarning, stacklevel=3)
        cost = M if self.objective == "max_control" else float(sol.cost)
        outcomes = {
            "civilian_attacks": C, "rebel_attacks": R,
            "control": float(sol.control) if self.objective == "max_control" else v["control_target"],
            "cost": cost, "civilian_share": pC * C / cost,
            "civilian_deaths": v["lethality_civilians"] * C + v["lethality_rebels"] * R,
            "choke_price": max(0.0, float(choke)),
        }
        return Equilibrium(model=self.name, parameters=self._result_parameters(), outcomes=outcomes,
                           regime=sol.regime, method=used, unique=bool(getattr(sol, "unique", True)))

    def _symbolic_here(self, timeout: float = 5.0) -> dict[str, sp.Expr] | None:
        """The user technology's symbolic solution if it agrees with the numeric optimum at this point."""
        v = self.parameter_values()
        at = {**self._user_values(), **{k: v[k] for k in ("price_rebels", "price_civilians", "resources")}}
        return self._user_tech().symbolic_solution(timeout=timeout, at=at)

    def symbolic_solution(self, timeout: float = 5.0) -> dict[str, sp.Expr] | None:
        """The sympy solution {"R": ..., "C": ...} of a user technology's interior optimum, or None.

        Built-in technologies return their closed forms (C*, R*) in the interior regime.

        Examples
        --------
        >>> sorted(AndertonBrauer(technology="cobb_douglas").symbolic_solution())
        ['C', 'R']
        """
        if self._user is not None:
            return self._user.symbolic_solution(timeout=timeout)
        br = sym.branches(self.technology, "max_control")
        for regime, _, ex in br:
            if regime in ("interior", "no_rebel_attacks") or len(br) == 1:
                return {"R": ex["rebel_attacks"], "C": ex["civilian_attacks"]}
        return None  # pragma: no cover

    # ------------------------------------------------------------------ comparative statics
    def _latex_names(self) -> Mapping[Any, str]:
        if self._user is not None:
            return {}
        return sym.latex_names(self.technology)

    def statics_parameters(self) -> tuple[str, ...]:
        return tuple(self.parameter_values())

    def comparative_statics(self, wrt: str | Sequence[str] | None = None,
                            of: str | Sequence[str] | None = None) -> ComparativeStatics:
        """Derivatives of outcomes with respect to parameters, with signs, values and elasticities.

        Parameters
        ----------
        wrt:
            A parameter name or a list of them (common numeric parameters, technology
            parameters, and ``control_target`` under ``min_cost``); all by default.
        of:
            ``civilian_attacks`` (default), ``rebel_attacks``, ``control``, ``cost`` or
            ``civilian_deaths`` (or a list).

        Returns
        -------
        ComparativeStatics
            Per (of, wrt): ``derivative`` (sympy; a ``Piecewise`` over the regimes where the
            family has several), ``sign`` over the whole current regime ("positive",
            "negative", "zero" or "ambiguous"), ``value`` here, ``elasticity`` (``None`` when
            the outcome is 0) and ``boundary`` (True at a regime boundary, where the labelled
            regime's derivative is reported).

        Examples
        --------
        >>> cs = AndertonBrauer(technology="ces").comparative_statics("share_rebels")
        >>> cs.sign, round(cs.value, 6), round(cs.elasticity, 6)
        ('negative', -200.0, -2.0)
        """
        if of is not None:
            ofs = [of] if isinstance(of, str) else list(of)
            bad = [o for o in ofs if o not in STATICS_OUTCOMES]
            if bad:
                raise KeyError(f"cannot differentiate {bad}; valid outcomes: {', '.join(STATICS_OUTCOMES)}")
        return super().comparative_statics(wrt=wrt, of=of)

    def has_symbolic(self) -> bool:
        """Every technology has a sympy derivation (a user technology an implicit one)."""
        return True

    def _statics_entry(self, of: str, wrt: str, eq: Equilibrium) -> StaticsEntry:
        if self._user is not None:
            return self._user_statics_entry(of, wrt, eq)
        vals = self.parameter_values()
        tech, obj, regime = self.technology, self.objective, eq.regime
        compiled = sym.compiled_derivative(tech, obj, regime, of, wrt)
        value = float(compiled.from_mapping(vals)) if compiled.args else float(compiled.expr)
        near_one = tech == "ces" and abs(vals["substitution_elasticity"] - 1.0) < 1e-6 and of in ("control", "cost")
        if near_one or not math.isfinite(value):
            # Σ^{1/(σ−1)} in the symbolic Z*, e loses precision as σ → 1 (0/0 at σ = 1): the kernel
            # evaluates that limit stably, so difference it instead
            value = self._fd(of, wrt)
        sign = sym.decided_sign(tech, obj, regime, of, wrt)
        return StaticsEntry(outcome=of, wrt=wrt, derivative=sym.piecewise_derivative(tech, obj, of, wrt),
                            sign=sign, value=value, elasticity=elasticity(value, vals[wrt], eq[of]),
                            regime=regime, boundary=self.at_boundary(wrt))

    def _fd(self, of: str, wrt: str) -> float:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return float(self.finite_difference(of, wrt, rel_step=1e-6)[0])

    def _user_statics_entry(self, of: str, wrt: str, eq: Equilibrium) -> StaticsEntry:
        from atrogame.core.symbolic import decide_sign

        vals = self.parameter_values()
        user, regime, obj = self._user_tech(), eq.regime, self.objective
        pR, pC, M = (sp.Symbol(n, positive=True) for n in ("price_rebels", "price_civilians", "resources"))
        lam, psi = sp.symbols("lethality_civilians lethality_rebels", nonnegative=True)
        point = {**vals, "R": eq.rebel_attacks, "C": eq.civilian_attacks}
        base = {"civilian_attacks": None, "rebel_attacks": None}
        if obj == "max_control" and regime == "no_civilian_attacks":
            base = {"civilian_attacks": sp.Integer(0), "rebel_attacks": M / pR}
        elif obj == "max_control" and regime == "no_rebel_attacks":
            base = {"civilian_attacks": M / pC, "rebel_attacks": sp.Integer(0)}
        elif obj == "max_control":
            sol = self._symbolic_here()
            if sol is not None:
                base = {"civilian_attacks": sol["C"], "rebel_attacks": sol["R"]}
        d: sp.Expr | None = None
        if base["civilian_attacks"] is not None:
            dC, dR = (_diff_by_name(base[k], wrt) for k in ("civilian_attacks", "rebel_attacks"))
            Cx, Rx = base["civilian_attacks"], base["rebel_attacks"]
        elif regime == "interior" and wrt not in ("lethality_civilians", "lethality_rebels"):
            dC = user.implicit_derivative("civilian_attacks", wrt, obj)
            dR = user.implicit_derivative("rebel_attacks", wrt, obj)
            Cx, Rx = sp.Symbol("C", positive=True), sp.Symbol("R", positive=True)
        elif wrt in ("lethality_civilians", "lethality_rebels"):
            dC = dR = sp.Integer(0)
            Cx, Rx = sp.Symbol("C", positive=True), sp.Symbol("R", positive=True)
        else:
            dC = dR = None
        if dC is not None:
            if of == "civilian_attacks":
                d = dC
            elif of == "rebel_attacks":
                d = dR
            elif of == "civilian_deaths":
                d = lam * dC + psi * dR + (Cx if wrt == "lethality_civilians" else 0) + (
                    Rx if wrt == "lethality_rebels" else 0)
            elif of == "cost":
                d = (sp.Integer(1 if wrt == "resources" else 0) if obj == "max_control" else
                     pR * dR + pC * dC + (Rx if wrt == "price_rebels" else 0) + (Cx if wrt == "price_civilians" else 0))
            elif of == "control":
                if obj == "min_cost":
                    d = sp.Integer(1 if wrt == "control_target" else 0)
                elif base["civilian_attacks"] is not None:  # dZ/dx = F_R dR/dx + F_C dC/dx + F_x at (R*, C*)
                    d = sp.diff(user.expr, user.R) * dR + sp.diff(user.expr, user.C) * dC + (
                        _diff_by_name(user.expr, wrt) if wrt in user.parameter_names else 0)
                else:
                    d = user.implicit_derivative("control", wrt, obj)
        if d is None:
            d = sp.Symbol(f"d{of}/d{wrt}")
            value, sign = self._fd(of, wrt), "ambiguous"
        else:
            d = sp.sympify(d)
            value = float(d.xreplace(_user_subs(d, point))) if d.free_symbols else float(d)
            signed = _signed(d, point)
            sign = decide_sign(signed, effort=2 if sp.count_ops(signed) <= 60 else 1)
        return StaticsEntry(outcome=of, wrt=wrt, derivative=d, sign=sign, value=value,
                            elasticity=elasticity(value, vals[wrt], eq[of]), regime=regime,
                            boundary=self.at_boundary(wrt))

    # ------------------------------------------------------------------ derivation
    def derivation(self) -> Derivation:
        """The family's named sympy expressions for the docs (built-in technologies).

        Names: ``control_function``, ``mrts``, ``civilian_attacks`` (C*), ``rebel_attacks``
        (R*), ``control`` (Z*), ``cost_function`` (e), ``compensated_civilian_attacks`` (C^h),
        ``compensated_rebel_attacks`` (R^h), ``choke_price`` and ``choke_price_min_cost``;
        LaTeX printing uses the symbols of the explanation page.

        Examples
        --------
        >>> d = AndertonBrauer(technology="cobb_douglas").derivation()
        >>> d.latex("mrts")
        '\\\\frac{R \\\\alpha_C}{C \\\\alpha_R}'
        """
        if self._user is not None:
            C, R = self._user.C, self._user.R
            F = self._user.expr
            exprs = {"control_function": sp.Eq(sp.Symbol("Z"), F),
                     "mrts": sp.simplify(sp.diff(F, C) / sp.diff(F, R))}
            sol = self._user.symbolic_solution()
            if sol is not None:
                exprs["civilian_attacks"], exprs["rebel_attacks"] = sol["C"], sol["R"]
            return Derivation(self.name, exprs, {k: k.replace("_", " ") for k in exprs}, {})
        exprs, desc = sym.derivation_expressions(self.technology, self.objective)
        return Derivation(self.name, dict(exprs), dict(desc), sym.latex_names(self.technology))

    # ------------------------------------------------------------------ policies
    def apply(self, policy: Any) -> AndertonBrauer:
        """A new, validated model with ``policy`` applied (this model is never changed).

        Examples
        --------
        >>> from atrogame import policies
        >>> m = AndertonBrauer(technology="cobb_douglas")
        >>> round(m.apply(policies.resource(0.6)).solve().civilian_attacks, 6), m.resources
        (30.0, 100.0)
        """
        if not hasattr(policy, "apply_to"):
            raise TypeError(f"policy must be an atrogame.policies object; got {type(policy).__name__}")
        return policy.apply_to(self)

    def policy_effect(self, policy: Any) -> PolicyEffect:
        """Before/after/change of every outcome when ``policy`` is applied.

        Examples
        --------
        >>> from atrogame import policies
        >>> pe = AndertonBrauer(technology="contest").policy_effect(policies.productivity("support_erosion", 0.2))
        >>> pe["civilian_attacks"].change, pe.regime_after
        (-40.0, 'no_civilian_attacks')
        """
        after_model = self.apply(policy)
        return PolicyEffect.between(self.solve(), after_model.solve(), policy=policy)

    # ------------------------------------------------------------------ decompositions
    def decompose(self, price_civilians: float | None = None, price_rebels: float | None = None,
                  method: str = "hicks") -> Decomposition:
        """Substitution and income effects of a discrete price change on ``civilian_attacks``.

        Hicks holds control at Z⁰ = Z*(p⁰, M): substitution = C^h(p¹, Z⁰) − C*(p⁰, M), income
        = C*(p¹, M) − C^h(p¹, Z⁰), with ``compensated_cost`` e(p¹, Z⁰). Slutsky keeps the old
        bundle affordable: M′ = M + Δp_C·C*(p⁰, M) + Δp_R·R*(p⁰, M); substitution =
        C*(p¹, M′) − C*(p⁰, M), income = C*(p¹, M) − C*(p¹, M′). Under ``min_cost`` the
        target is already fixed: substitution = total, income = 0.

        Examples
        --------
        >>> d = AndertonBrauer(technology="cobb_douglas").decompose(price_civilians=2.0)
        >>> round(d.substitution, 6), round(d.income, 6), round(d.total, 6)
        (-14.644661, -10.355339, -25.0)
        >>> AndertonBrauer(technology="cobb_douglas").decompose(price_civilians=2.0, method="slutsky").income
        -12.5
        """
        if method not in ("hicks", "slutsky"):
            raise ValueError(f"method must be 'hicks' or 'slutsky'; got {method!r}")
        if price_civilians is None and price_rebels is None:
            raise TypeError("decompose needs a new price_civilians and/or price_rebels")
        new: dict[str, float] = {}
        if price_civilians is not None:
            new["price_civilians"] = float(price_civilians)
        if price_rebels is not None:
            new["price_rebels"] = float(price_rebels)
        before = self.solve()
        after_model = self.with_params(**new)
        after = after_model.solve()
        if self.objective == "min_cost":
            total = after.civilian_attacks - before.civilian_attacks
            return Decomposition(method=method, substitution=total, income=0.0, total=total, before=before,
                                 after=after, compensated=after,
                                 compensated_cost=after.cost if method == "hicks" else None,
                                 compensated_resources=None)
        if method == "hicks":
            comp_model = self._retarget(after_model, "min_cost", before.control)
            comp = comp_model.solve()
            extra = {"compensated_cost": comp.cost, "compensated_resources": None}
        else:
            v = self.parameter_values()
            m_new = (v["resources"] + (new.get("price_civilians", v["price_civilians"]) - v["price_civilians"])
                     * before.civilian_attacks
                     + (new.get("price_rebels", v["price_rebels"]) - v["price_rebels"]) * before.rebel_attacks)
            comp = after_model.with_params(resources=m_new).solve()
            extra = {"compensated_cost": None, "compensated_resources": m_new}
        sub = comp.civilian_attacks - before.civilian_attacks
        inc = after.civilian_attacks - comp.civilian_attacks
        return Decomposition(method=method, substitution=sub, income=inc,
                             total=after.civilian_attacks - before.civilian_attacks, before=before, after=after,
                             compensated=comp, **extra)

    def with_objective(self, objective: str, control_target: float | None = None) -> AndertonBrauer:
        """The same technology and parameters under another objective.

        Examples
        --------
        >>> m = AndertonBrauer(technology="cobb_douglas")
        >>> round(m.with_objective("min_cost", control_target=50.0).solve().cost, 6)
        100.0
        """
        return self._retarget(self, objective, control_target)

    @staticmethod
    def _retarget(model: AndertonBrauer, objective: str, control_target: float | None) -> AndertonBrauer:
        vals = {k: v for k, v in model.parameter_values().items() if k != "control_target"}
        tech = model.technology
        return AndertonBrauer(tech, objective=objective,
                              control_target=control_target if objective == "min_cost" else None, **vals)


def _rebuild(technology: Any, objective: str, control_target: float | None, values: dict[str, float]) -> Any:
    return AndertonBrauer(technology, objective=objective, control_target=control_target, **values)


# ----------------------------------------------------------------------------- user params
_USER_CLASSES: dict[tuple[tuple[str, ...], str], Any] = {}


def _user_params_class(names: tuple[str, ...], objective: str) -> Any:
    import dataclasses

    from atrogame.core.parameters import Interval, param

    key = (names, objective)
    if key not in _USER_CLASSES:
        fields_: list[tuple[str, type, Any]] = [
            (n, float, param(math.nan, symbol=n, latex=sp.latex(sp.Symbol(n)), interval=Interval(None, None),
                             sweep_range=(0.0, 1.0), long_name=f"technology parameter {n}"))
            for n in names]
        if objective == "min_cost":
            fields_.append(("control_target", float, fam.control_target_field("user")))
        _USER_CLASSES[key] = dataclasses.make_dataclass(
            "UserTechnologyParams", fields_, bases=(fam.CommonParams,), frozen=True, kw_only=True,
            namespace={"__doc__": "Parameters of a user-supplied technology (common + its free symbols).",
                       "__module__": __name__})
    return _USER_CLASSES[key]


def _diff_by_name(expr: sp.Expr, name: str) -> sp.Expr:
    """Derivative of ``expr`` with respect to its free symbol called ``name`` (0 if absent)."""
    expr = sp.sympify(expr)
    for s in expr.free_symbols:
        if s.name == name:
            return sp.diff(expr, s)
    return sp.Integer(0)


def _user_subs(expr: sp.Expr, values: Mapping[str, float]) -> dict[sp.Symbol, float]:
    return {s: values[s.name] for s in expr.free_symbols if s.name in values}


_POSITIVE_NAMES = {"R", "C", "price_rebels", "price_civilians", "resources"}


def _signed(expr: sp.Expr, values: Mapping[str, float]) -> sp.Expr:
    """Replace each free symbol by one carrying the sign assumption of its value (R, C, prices, M positive)."""
    rep = {}
    for s in expr.free_symbols:
        v = values.get(s.name)
        if s.name in _POSITIVE_NAMES or (v is not None and v > 0):
            rep[s] = sp.Symbol(s.name, positive=True)
        elif v is not None and v < 0:
            rep[s] = sp.Symbol(s.name, negative=True)
        elif v == 0:
            rep[s] = sp.Integer(0)
    return expr.xreplace(rep)


# ----------------------------------------------------------------------------- result objects
def _fmt(x: Any) -> str:
    if x is None:
        return "None"
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


@dataclass(frozen=True)
class Decomposition:
    """Substitution and income effects of a price change on ``civilian_attacks`` (see ``decompose``).

    ``compensated`` is the intermediate equilibrium: the compensated bundle is
    ``(compensated.civilian_attacks, compensated.rebel_attacks)``; ``compensated_cost`` (Hicks)
    or ``compensated_resources`` (Slutsky) says how it was compensated.

    Examples
    --------
    >>> d = AndertonBrauer(technology="cobb_douglas").decompose(price_civilians=2.0)
    >>> [round(x, 6) for x in d.compensated_bundle], round(d.compensated_cost, 6)
    ([35.355339, 70.710678], 141.421356)
    """

    method: str
    substitution: float
    income: float
    total: float
    before: Equilibrium
    after: Equilibrium
    compensated: Equilibrium
    compensated_cost: float | None = None
    compensated_resources: float | None = None
    outcome: str = "civilian_attacks"

    @property
    def compensated_bundle(self) -> tuple[float, float]:
        """(C, R) of the compensated choice."""
        return (self.compensated.civilian_attacks, self.compensated.rebel_attacks)

    @property
    def compensated_civilian_attacks(self) -> float:
        return self.compensated.civilian_attacks

    @property
    def compensated_rebel_attacks(self) -> float:
        return self.compensated.rebel_attacks

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "method": self.method, "substitution": self.substitution,
                "income": self.income, "total": self.total, "before": self.before.civilian_attacks,
                "after": self.after.civilian_attacks,
                "compensated_civilian_attacks": self.compensated.civilian_attacks,
                "compensated_rebel_attacks": self.compensated.rebel_attacks,
                "compensated_cost": self.compensated_cost, "compensated_resources": self.compensated_resources,
                "regime_before": self.before.regime, "regime_after": self.after.regime}

    def to_series(self) -> Any:
        import pandas as pd

        return pd.Series(self.to_dict(), name=f"{self.method} decomposition", dtype=object)

    def __repr__(self) -> str:
        comp = (f"compensated_cost={_fmt(self.compensated_cost)}" if self.method == "hicks" and
                self.compensated_cost is not None else f"compensated_resources={_fmt(self.compensated_resources)}")
        return (f"<Decomposition {self.method} of {self.outcome}: substitution={_fmt(self.substitution)} "
                f"income={_fmt(self.income)} total={_fmt(self.total)} {comp}>")


@dataclass(frozen=True)
class OutcomeChange:
    """One outcome before and after a policy; ``relative_change`` is ``None`` when ``before`` is 0.

    Examples
    --------
    >>> OutcomeChange.of(50.0, 25.0)
    OutcomeChange(before=50.0, after=25.0, change=-25.0, relative_change=-0.5)
    >>> OutcomeChange.of(0.0, 1.0).relative_change is None
    True
    """

    before: float
    after: float
    change: float
    relative_change: float | None

    @classmethod
    def of(cls, before: float, after: float) -> OutcomeChange:
        change = 0.0 if before == after else after - before
        rel = None if before == 0 or not math.isfinite(before) or not math.isfinite(change) else change / before
        return cls(before, after, change, rel)


@dataclass(frozen=True)
class PolicyEffect:
    """The effect of a policy: per outcome before/after/change/relative_change, and the regimes.

    Examples
    --------
    >>> from atrogame import policies
    >>> pe = AndertonBrauer(technology="cobb_douglas").policy_effect(policies.price(civilians=2.0))
    >>> pe["civilian_attacks"]
    OutcomeChange(before=50.0, after=25.0, change=-25.0, relative_change=-0.5)
    >>> float(pe.to_dataframe().loc["rebel_attacks", "change"])
    0.0
    """

    changes: Mapping[str, OutcomeChange]
    regime_before: str
    regime_after: str
    equilibrium_before: Equilibrium
    equilibrium_after: Equilibrium
    policy: Any = None
    _order: tuple[str, ...] = field(default=OUTCOMES, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "changes", MappingProxyType(dict(self.changes)))

    @classmethod
    def between(cls, before: Equilibrium, after: Equilibrium, policy: Any = None) -> PolicyEffect:
        changes = {k: OutcomeChange.of(before[k], after[k]) for k in OUTCOMES}
        return cls(changes, before.regime, after.regime, before, after, policy)

    def __getitem__(self, outcome: str) -> OutcomeChange:
        try:
            return self.changes[outcome]
        except KeyError:
            raise KeyError(f"no outcome {outcome!r}; have {', '.join(self.changes)}") from None

    def __iter__(self) -> Any:
        return iter(self.changes)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: vars(v).copy() for k, v in self.changes.items()}
        out["regime_before"], out["regime_after"] = self.regime_before, self.regime_after
        return out

    def to_dataframe(self) -> Any:
        """Rows: outcomes; columns before, after, change, relative_change (regimes in ``attrs``)."""
        import pandas as pd

        df = pd.DataFrame([{"outcome": k, **vars(v)} for k, v in self.changes.items()]).set_index("outcome")
        df.attrs["regime_before"], df.attrs["regime_after"] = self.regime_before, self.regime_after
        return df

    def __repr__(self) -> str:
        c = self.changes["civilian_attacks"]
        return (f"<PolicyEffect civilian_attacks {_fmt(c.before)} -> {_fmt(c.after)} (change {_fmt(c.change)}), "
                f"regime {self.regime_before} -> {self.regime_after}>")
