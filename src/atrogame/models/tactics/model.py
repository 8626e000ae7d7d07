"""``AtrocityTactics``: a perpetrator that re-optimises across atrocity tactics.

After Anderton & Brauer; tactic substitution motivated by the USHMM roundtable. A perpetrator
with resources ``M`` produces control from attacks on armed opponents ``R`` and ``K`` tactics
against civilians ``T_k`` (a nested CES technology), paying ``q_k = w_k + e_k p_E + (1 − ι)s_k``
per unit of tactic ``k``. Third parties price one tactic (naming and shaming), all tactics,
the enablers or the resources, and the model says how the perpetrator re-allocates. The
functional forms and all numbers are atrogame's own reconstruction, not findings of the
authors or of the meetings; the maths is on docs/explanation/tactics.md.

Parameters are those of :class:`~atrogame.models.tactics.params.TacticsParams`. For sweeps,
samples and tools each per-tactic value is also a flat scalar parameter named
``<parameter>_<tactic>`` (``tactic_sanction_imprisonment``); per-tactic outcomes are flat too
(``tactic_levels_killing``). ``comparative_statics`` also accepts the bracket form
(``wrt="tactic_sanction[imprisonment]"``).

References
----------
Anderton, C. H., and J. Brauer (2021). Mass atrocities and their prevention. *Journal of
Economic Literature* 59(4), 1240–1292. doi:10.1257/jel.20201240

Sato, K. (1967). A two-level constant-elasticity-of-substitution production function.
*Review of Economic Studies* 34(2), 201–218. doi:10.2307/2296809

Examples
--------
>>> m = AtrocityTactics()
>>> eq = m.solve()
>>> [round(eq[k], 9) for k in ("tactic_levels_killing", "rebel_attacks", "control", "deaths")]
[12.5, 50.0, 25.0, 15.0]
>>> round(m.shame("imprisonment", 1.0).solve().deaths, 8)
16.07142857
>>> m.backfire("imprisonment"), m.backfire("killing")
(True, False)
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import make_dataclass
from typing import Any, ClassVar

import numpy as np
import sympy as sp

from atrogame.core.contract import Outcome, lever, outcome
from atrogame.core.errors import ParameterError
from atrogame.core.parameters import Parameters, param
from atrogame.core.results import ComparativeStatics, Equilibrium, StaticsEntry
from atrogame.model import Model, elasticity
from atrogame.models.tactics import symbolic as sym
from atrogame.models.tactics.closed_form import closed_form, elasticities, outcome_gradients
from atrogame.models.tactics.numeric import solve_numeric
from atrogame.models.tactics.overflow import Structure, box_ok, lost_digits, patch, reject_overflow
from atrogame.models.tactics.params import DEFAULT_TACTICS, PER_TACTIC, SCALARS, TacticsParams

__all__ = ["REGIMES", "AtrocityTactics"]

REGIMES = ("interior",)
CITATION = "after Anderton & Brauer; tactic substitution motivated by the USHMM roundtable"
REFERENCE = ("Anderton, C. H., and J. Brauer (2021). Mass atrocities and their prevention. Journal of "
             "Economic Literature 59(4), 1240-1292. doi:10.1257/jel.20201240; Sato, K. (1967). A two-level "
             "CES production function. Review of Economic Studies 34(2), 201-218. doi:10.2307/2296809")

_SCALAR_OUTCOMES: dict[str, tuple[str, str, str]] = {
    "civilian_violence": ("civilian-violence composite", "C^*", "composite units"),
    "civilian_price_index": ("price index of civilian violence", "P_C", "resources per unit"),
    "civilian_spending": ("resources spent on civilian violence", "E_C", "resource units"),
    "civilian_share": ("resource share of civilian violence", "s_C", ""),
    "rebel_share": ("resource share of attacks on rebels", "s_R", ""),
    "rebel_attacks": ("attacks on rebels", "R^*", "attacks per period"),
    "price_rebels": ("price of an attack on rebels", "p_R", "resources per attack"),
    "enabler_price": ("enabler price", "p_E", "resources per unit"),
    "enabler_net_price": ("enablers' net price", r"\nu", "resources per unit"),
    "enabler_input": ("enabler input bought", "X", "units"),
    "enabler_pass_through": ("pass-through of an enabler sanction", r"\chi_E", ""),
    "control": ("control", "Z^*", ""),
    "cost": ("resources spent", "e", "resource units"),
    "deaths": ("civilian deaths", "D", "deaths per period"),
    "harm_index": ("harm index (deaths-equivalents)", "H", "deaths-equivalents"),
    "acts": ("acts against civilians, all tactics", r"\sum_k T_k", "acts per period"),
}
_PER_TACTIC_OUTCOMES = {"tactic_levels": ("level of", "T"), "tactic_prices": ("price of", "q"),
                        "tactic_shares": ("spending share of", "S")}

_SWEEP = {"tactic_weights": (0.05, 1.0), "tactic_cost": (0.1, 5.0), "tactic_sanction": (0.0, 3.0),
          "tactic_productivity": (0.2, 3.0), "lethality": (0.0, 2.0), "enabler_intensity": (0.0, 1.0),
          "tactic_substitution": (0.1, 5.0), "ideology": (0.0, 1.0), "resources": (1.0, 500.0),
          "cost_rebels": (0.1, 5.0), "lethality_rebels": (0.0, 2.0), "tfp": (0.2, 3.0), "share_rebels": (0.05, 0.95),
          "substitution_elasticity": (0.1, 5.0), "productivity_rebels": (0.2, 3.0),
          "productivity_civilians": (0.2, 3.0), "enabler_cost": (0.2, 3.0), "enabler_sanction": (0.0, 2.0),
          "enabler_intensity_rebels": (0.0, 1.0)}
_TEX = {"tactic_weights": r"\omega", "tactic_cost": "w", "tactic_sanction": "s", "tactic_productivity": "b",
        "lethality": r"\lambda", "enabler_intensity": "e"}
_LONG = {"tactic_weights": "weight of", "tactic_cost": "own resource cost per unit of",
         "tactic_sanction": "leadership sanction per unit of", "tactic_productivity": "productivity of",
         "lethality": "deaths per unit of", "enabler_intensity": "enabler input per unit of"}


def flat(name: str, tactic: str) -> str:
    """The flat scalar name of a per-tactic parameter or outcome (``tactic_cost_killing``)."""
    return f"{name}_{tactic}"


def flat_params_class(tactics: tuple[str, ...], structure: Structure | None = None) -> type[Parameters]:
    """A scalar :class:`Parameters` class: one field per tactic and per-tactic parameter, except the
    tactic weights (tied by their sum, so they are structural, set with ``tactic_weights=``).

    ``structure`` (the weights, objective and harms, :class:`~atrogame.models.tactics.overflow.Structure`;
    by default those of ``TacticsParams(tactics=tactics)``) feeds the class's joint rule: a point
    where an outcome exceeds e^700 is refused (:mod:`atrogame.models.tactics.overflow`)."""
    if structure is None:
        base = TacticsParams(tactics=tactics, lethality=(1.0,) * len(tactics)) if tactics != DEFAULT_TACTICS \
            else TacticsParams()
        structure = Structure.of(base)
    return _flat_params_class(structure)


@functools.cache
def _flat_params_class(structure: Structure) -> type[Parameters]:
    tactics = structure.tactics
    fields_: list[tuple[str, Any, Any]] = []
    base = TacticsParams(tactics=tactics, lethality=(1.0,) * len(tactics)) if tactics != DEFAULT_TACTICS \
        else TacticsParams()
    for name, (interval, *_r) in PER_TACTIC.items():
        if name == "tactic_weights":
            continue
        for t, dflt in zip(tactics, getattr(base, name), strict=True):
            f = param(dflt, symbol=f"{name}[{t}]", latex=f"{_TEX[name]}_{{\\mathrm{{{t.replace('_', ' ')}}}}}",
                      interval=interval, long_name=f"{_LONG[name]} {t.replace('_', ' ')}",
                      sweep_range=_SWEEP[name])
            fields_.append((flat(name, t), float, f))
    for name, (interval, dflt, symbol, long) in SCALARS.items():
        fields_.append((name, float, param(dflt, symbol=name, latex=symbol, interval=interval, long_name=long,
                                           sweep_range=_SWEEP[name])))

    def check_joint(self: Any) -> None:
        point = self.to_dict()
        if not box_ok({k: (x, x) for k, x in point.items()}, structure):  # (the cheap proof first)
            reject_overflow(point, structure, type(self).defaults())

    def check_joint_arrays(cls: Any, values: Mapping[str, Any]) -> None:
        reject_overflow(values, structure, cls.defaults())

    def joint_holds_on_box(cls: Any, box: Mapping[str, tuple[float, float]]) -> bool:
        return box_ok(box, structure)

    def __reduce__(self: Any) -> tuple[Any, ...]:  # a class made at run time: rebuilt from its structure
        return _rebuild_flat, (structure, self.to_dict())

    ns = {"check_joint": check_joint, "check_joint_arrays": classmethod(check_joint_arrays),
          "joint_holds_on_box": classmethod(joint_holds_on_box), "structure": structure, "__reduce__": __reduce__}
    cls = make_dataclass(f"TacticsFlatParams_{len(tactics)}", fields_, bases=(Parameters,), frozen=True,
                         kw_only=True, namespace=ns)
    cls.__doc__ = ("Scalar view of the tactics model's parameters; the tactic weights, tied by their sum, are "
                   "structural (see docs/explanation/tactics.md). Points where an outcome exceeds e^700 are "
                   "refused.")
    return cls


def _outcome_decls(p: TacticsParams) -> tuple[Outcome, ...]:
    decls: list[Outcome] = []
    for n, (long, sy) in _PER_TACTIC_OUTCOMES.items():
        for t in p.tactics:
            decls.append(outcome(flat(n, t), long_name=f"{long} {t.replace('_', ' ')}", symbol=f"{sy}_{{{t}}}",
                                 units="victims per period" if n == "tactic_levels" else ""))
    for g in p.harm_categories:
        decls.append(outcome(flat("harms", g), long_name=f"harm: {g.replace('_', ' ')}", symbol=f"H_{{{g}}}",
                             units="people per period"))
    for n, (long, sy, u) in _SCALAR_OUTCOMES.items():
        role = {"deaths": "harm", "civilian_share": "quantity", "rebel_share": "quantity"}.get(n, "quantity")
        decls.append(outcome(n, long_name=long, symbol=sy, units=u, role=role, headline=n in ("deaths", "control")))
    return tuple(decls)


class AtrocityTactics(Model):
    """A perpetrator choosing among atrocity tactics (nested CES; ideology; enabler market).

    After Anderton & Brauer; tactic substitution motivated by the USHMM roundtable. Keyword
    arguments are those of :class:`~atrogame.models.tactics.params.TacticsParams` (per-tactic
    values as sequences or mappings by tactic), or the flat scalar names. Models are
    immutable: policy methods (:meth:`shame`, :meth:`shame_all`, :meth:`implementer_pressure`,
    :meth:`enabler_sanction`, :meth:`resource`, :meth:`protect`) return new models.
    See docs/explanation/tactics.md.
    """

    name = "tactics"
    citation = CITATION
    reference = REFERENCE
    provenance = "reconstruction"
    regimes = REGIMES
    outcomes = _outcome_decls(TacticsParams())
    default_statics_outcomes = ("deaths", "control")
    #: The flat parameter class of the default tactics (instances with other tactics carry their own).
    Params = flat_params_class(DEFAULT_TACTICS)
    #: Plausible situations for tool backfire analysis and the brief (wide ranges, not estimates);
    #: the tactic weights are tied by their sum and are not drawn.
    priors: ClassVar[Mapping[str, tuple[float, float]]] = {
              "tactic_substitution": (0.3, 4.0), "substitution_elasticity": (0.3, 3.0), "ideology": (0.0, 1.0),
              "resources": (50.0, 150.0), "share_rebels": (0.2, 0.8), "lethality_rebels": (0.0, 0.5),
              "enabler_cost": (0.5, 2.0)}
    #: How catalogue tools move this model (default tactics; see docs/explanation/tactics.md):
    #: naming and shaming prices political imprisonment (the roundtable's example), prosecutions
    #: every tactic, targeted sanctions the implementers of killing, an arms embargo the enablers,
    #: comprehensive sanctions the resources, refugee protection blunts displacement, an amnesty
    #: lowers every leadership sanction.
    levers: ClassVar[Mapping[str, tuple[Any, ...]]] = {
        "naming_and_shaming": (lever("tactic_sanction_imprisonment", +1, 0.5),),
        "prosecutions": tuple(lever(f"tactic_sanction_{t}", +1, 0.25) for t in DEFAULT_TACTICS),
        "official_amnesty": tuple(lever(f"tactic_sanction_{t}", -1, 0.25) for t in DEFAULT_TACTICS),
        "targeted_sanctions": (lever("tactic_cost_killing", +1, 0.25),),
        "arms_embargo": (lever("enabler_sanction", +1, 0.5),),
        "comprehensive_sanctions": (lever("resources", -1, 0.25, "relative"),),
        "refugee_protection": (lever("tactic_productivity_displacement", -1, 0.25, "relative"),),
    }

    def __init__(self, params: TacticsParams | None = None, /, **kwargs: Any) -> None:
        if params is None:
            rich_kw = {k: v for k, v in kwargs.items() if k in _RICH_NAMES}
            flat_kw = {k: v for k, v in kwargs.items() if k not in _RICH_NAMES}
            params = TacticsParams(**rich_kw)
            if flat_kw:
                params = _apply_flat(params, flat_kw)
        elif kwargs:
            params = params.replace(**kwargs)
        self.spec = params
        self._structure = Structure.of(params)
        self.Params = flat_params_class(params.tactics, self._structure)
        self._params = self.Params(**_flat_values(params))
        decls = _outcome_decls(params)
        if tuple(o.name for o in decls) != type(self).outcome_names:
            # per-instance declarations: the outcomes depend on the tactic names
            self.__dict__.update(outcomes=decls, outcome_names=tuple(o.name for o in decls),
                                 _outcome_index={o.name: o for o in decls})

    # ------------------------------------------------------------ parameters
    @property
    def tactics(self) -> tuple[str, ...]:
        return self.spec.tactics

    def with_params(self, **changes: Any) -> AtrocityTactics:
        """A new validated model with some values changed (flat or rich names)."""
        rich = {k: v for k, v in changes.items() if k in _RICH_NAMES}
        flat_kw = {k: v for k, v in changes.items() if k not in _RICH_NAMES}
        p = self.spec.replace(**rich) if rich else self.spec
        if flat_kw:
            p = _apply_flat(p, flat_kw)
        return AtrocityTactics(p)

    def apply(self, policy: Any = None, /, **changes: Any) -> AtrocityTactics:
        """A new model with an :mod:`atrogame.policies` object applied (``resource``,
        ``productivity`` with a flat name such as ``tactic_productivity_displacement``,
        ``combine``) or with parameter changes. ``policies.price`` belongs to the
        Anderton–Brauer model and raises :class:`ParameterError` here."""
        if policy is None:
            return self.with_params(**changes)
        if type(policy).__name__ in ("Price", "PriceScale"):  # price(civilians=...) and the deprecated levels
            raise ParameterError("policy", "shame, shame_all, implementer_pressure, enabler_sanction, resource, "
                                 "protect, policies.resource, policies.productivity, policies.combine", str(policy),
                                 "a price policy sets AndertonBrauer's price_civilians/price_rebels")
        if type(policy).__name__ == "Combined":
            model = self
            for p in policy.policies:
                model = model.apply(p)
            return model
        if not hasattr(policy, "apply_to"):
            raise TypeError(f"policy must be an atrogame.policies object; got {type(policy).__name__}")
        return policy.apply_to(self)

    def technology_parameters(self) -> tuple[str, ...]:
        """Parameters a productivity policy may scale (per-tactic ones by flat name)."""
        return ("tfp", "productivity_rebels", "productivity_civilians",
                *(flat("tactic_productivity", t) for t in self.tactics))

    def __repr__(self) -> str:
        return f"AtrocityTactics(tactics={self.tactics!r}, objective={self.spec.objective!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, AtrocityTactics) and self.spec == other.spec

    def __hash__(self) -> int:
        return hash(self.spec)

    def __reduce__(self) -> tuple[Any, ...]:
        return (AtrocityTactics, (self.spec,))

    def tool_levers(self) -> Mapping[str, tuple[Any, ...]]:
        """The class levers whose parameters this instance has (custom tactics may lack some)."""
        names = set(self.parameter_values())
        return {k: v for k, v in self.levers.items() if all(any(p in names for p in lv.parameter) for lv in v)}

    def extra_attrs(self) -> dict[str, str]:
        p = self.spec
        return {"tactics": " ".join(p.tactics), "objective": p.objective,
                "enabler_supply_elasticity": str(p.enabler_supply_elasticity)}

    # ------------------------------------------------------------ kernel
    def kernel_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Flat arrays (one per scalar parameter) → the closed form's arrays (tactic axis last)."""
        p = self.spec
        v: dict[str, Any] = {}
        for name in PER_TACTIC:
            if name == "tactic_weights":
                v[name] = np.asarray(p.tactic_weights, dtype=float)
                continue
            cols = [np.asarray(values[flat(name, t)], dtype=float) for t in p.tactics]
            v[name] = np.stack(np.broadcast_arrays(*cols), axis=-1)
        for name in SCALARS:
            v[name] = np.asarray(values[name], dtype=float)
        v["enabler_supply_elasticity"] = np.asarray(p.enabler_supply_elasticity)
        v["enabler_capacity"] = np.asarray(1.0 if p.enabler_capacity is None else p.enabler_capacity)
        v["control_target"] = np.asarray(1.0 if p.control_target is None else p.control_target)
        v["harm_matrix"] = p.harm_matrix
        v["harm_weights"] = p.harm_weight_vector
        return v

    def _compiled(self, values: Mapping[str, Any], wanted: Sequence[str], check: bool = False
                  ) -> tuple[dict[str, Any], dict[str, tuple[float, float]] | None] | None:
        """The compiled loop (:mod:`atrogame.models.tactics._compiled`) on large flat inputs, or
        ``None`` when it does not apply: numba missing or switched off, fewer than
        :data:`atrogame.accel.MIN_POINTS` points, arrays of different shapes, or a finite enabler
        supply elasticity (its per-point root stays with the numpy kernel)."""
        from atrogame import accel as _accel

        p = self.spec
        if math.isfinite(p.enabler_supply_elasticity) or not _accel.enabled():
            return None
        names = self.Params.names()
        P = [np.asarray(values[k], dtype=float) for k in names]
        shape = np.broadcast_shapes(*(a.shape for a in P))
        n = math.prod(shape)
        if shape == () or not _accel.use_for(n) or not all(a.size == 1 or a.shape == shape for a in P):
            return None
        from atrogame.models.tactics import _compiled

        om = np.asarray(p.tactic_weights, dtype=float)
        with np.errstate(divide="ignore"):
            lnw = np.log(om) - np.log(np.sum(om))
        want = tuple(dict.fromkeys(wanted))
        with _accel.LOCK:
            res, bounds = _compiled.run([a.reshape(-1) for a in P], names, want, p.K, lnw, p.harm_matrix,
                                        p.harm_weight_vector, p.objective,
                                        1.0 if p.control_target is None else p.control_target, check=check,
                                        outcome_names=self.outcome_names)
        lost = res.pop("_lost")
        out = {k: v.reshape(shape) for k, v in res.items()}
        if lost.any():  # shares or products below the normal range: those points from logs (as numpy)
            patch(values, self._structure, out, lost.reshape(shape))
        if bounds is None:
            return out, None
        mn, mx = bounds
        return out, {k: (float(mn[j]), float(mx[j])) for j, k in enumerate(names)}

    def fused_kernel(self, values: Mapping[str, np.ndarray], wanted: Sequence[str]
                     ) -> tuple[Mapping[str, Any], Mapping[str, tuple[float, float]]] | None:
        # Large flat designs with the compiled path: the range check rides along the kernel's pass.
        return self._compiled(values, wanted, check=True)  # type: ignore[return-value]

    def compute(self, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...], wanted: Any,
                progress: bool = False) -> tuple[dict[str, np.ndarray], list[Any]]:
        # The compiled loop writes only the outcomes asked for; otherwise the numpy kernel.
        fast = self._compiled(self._full_values(arrays), wanted)
        if fast is None:
            return super().compute(arrays, shape, wanted, progress=progress)
        out = fast[0]
        return {w: out[w] if out[w].shape == tuple(shape) else np.broadcast_to(out[w], shape) for w in wanted}, []

    def kernel(self, values: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Every outcome (flat names) and ``regime``, vectorised over broadcasting arrays.

        Large flat inputs go through one compiled loop when numba is installed (see
        :mod:`atrogame.accel`); it gives the numpy kernel's numbers to 1e-12.
        """
        fast = self._compiled(values, (*self.outcome_names, "regime"))
        if fast is not None:
            return fast[0]
        p = self.spec
        out = closed_form(self.kernel_values(values), p.objective, diagnostics=False)
        res: dict[str, np.ndarray] = {}
        for name in _PER_TACTIC_OUTCOMES:
            for i, t in enumerate(p.tactics):
                res[flat(name, t)] = out[name][..., i]
        for i, g in enumerate(p.harm_categories):
            res[flat("harms", g)] = out["harms"][..., i]
        for name in _SCALAR_OUTCOMES:
            if name == "enabler_pass_through":
                res[name] = out["chi_E"]
            elif name == "acts":
                res[name] = np.sum(out["tactic_levels"], axis=-1)
            else:
                res[name] = out[name]
        res["regime"] = out["regime"]
        if not math.isfinite(p.enabler_supply_elasticity):
            lost = lost_digits(out)
            if lost.any():  # shares or products below the normal range: those points from logs
                patch(values, self._structure, res, lost)
        return res

    def closed_form(self) -> dict[str, np.ndarray]:
        """The closed form at this model's parameters (per-tactic arrays, tactic axis last)."""
        return closed_form(self.spec.kernel_values(), self.spec.objective)

    def solve(self, method: str = "auto") -> Equilibrium:
        """The equilibrium: ``method`` ``"auto"``/``"closed_form"`` or ``"numeric"`` (the
        independent primal optimiser). ``info`` carries per-tactic mappings
        (``tactic_levels``, ``tactic_prices``, ``tactic_shares``, ``harms``)."""
        p = self.spec
        if method == "numeric":
            return self.solve_numeric()
        if method not in ("auto", "closed_form"):
            raise ValueError(f"method must be 'auto', 'closed_form' or 'numeric'; got {method!r}")
        res = self.kernel({k: np.asarray(v) for k, v in self.parameter_values().items()})
        outcomes = {k: float(np.asarray(res[k])) for k in self.outcome_names}
        # (from the kernel's flat outcomes: at extreme inputs some come from logs, see kernel)
        info: dict[str, Any] = {name: {t: outcomes[flat(name, t)] for t in p.tactics} for name in _PER_TACTIC_OUTCOMES}
        info["harms"] = {g: outcomes[flat("harms", g)] for g in p.harm_categories}
        info["objective"] = p.objective
        info["method_detail"] = "closed_form_root" if math.isfinite(p.enabler_supply_elasticity) else "closed_form"
        return Equilibrium(model=self.name, parameters=self._result_parameters(), outcomes=outcomes,
                           regime="interior", method="closed_form", unique=True, info=info)

    def solve_numeric(self) -> Equilibrium:
        """Every outcome from the independent primal optimiser (no dual formula is used; see
        :mod:`atrogame.models.tactics.numeric`); the pass-through is a difference quotient."""
        p = self.spec
        sol = solve_numeric(p, pass_through=True)
        T, q, R = np.asarray(sol["tactic_levels"]), np.asarray(sol["tactic_prices"]), float(sol["rebel_attacks"])
        EC = float(np.sum(q * T))
        cost = float(sol["cost"])
        harms = p.harm_matrix @ T
        vals: dict[str, Any] = {"tactic_levels": T, "tactic_prices": q, "tactic_shares": q * T / EC}
        outcomes = {flat(n, t): float(vals[n][i]) for n in _PER_TACTIC_OUTCOMES for i, t in enumerate(p.tactics)}
        outcomes.update({flat("harms", g): float(h) for g, h in zip(p.harm_categories, harms, strict=True)})
        C = float(sol["civilian_violence"])
        deaths = float(sol["deaths"])
        outcomes.update({
            "civilian_violence": C, "civilian_price_index": EC / C, "civilian_spending": EC,
            "civilian_share": EC / cost, "rebel_share": float(sol["price_rebels"]) * R / cost, "rebel_attacks": R,
            "price_rebels": float(sol["price_rebels"]), "enabler_price": float(sol["enabler_price"]),
            "enabler_net_price": float(sol["enabler_net_price"]), "enabler_input": float(sol["enabler_input"]),
            "enabler_pass_through": float(sol["chi_E"]), "control": float(sol["control"]), "cost": cost,
            "deaths": deaths, "harm_index": deaths + float(p.harm_weight_vector @ harms), "acts": float(np.sum(T)),
        })
        return Equilibrium(model=self.name, parameters=self._result_parameters(),
                           outcomes={k: outcomes[k] for k in self.outcome_names}, regime="interior",
                           method="numeric", unique=True, info={})

    # ------------------------------------------------------------ policies (each returns a new model)
    def shame(self, tactic: str | Mapping[str, float], amount: float | None = None) -> AtrocityTactics:
        """Raise the leadership sanction on one tactic (or several: a mapping) by ``amount``.
        A negative amount models an amnesty; the sanction must stay ≥ 0."""
        moves = {tactic: float(amount)} if isinstance(tactic, str) else dict(tactic)  # type: ignore[arg-type]
        s = dict(zip(self.tactics, self.spec.tactic_sanction, strict=True))
        for t, a in moves.items():
            if t not in s:
                raise ParameterError("tactic", f"one of {list(self.tactics)}", t)
            s[t] += a
        return self.with_params(tactic_sanction=s)

    def shame_all(self, amount: float) -> AtrocityTactics:
        """The same per-unit sanction added to every tactic."""
        return self.with_params(tactic_sanction=tuple(x + amount for x in self.spec.tactic_sanction))

    def implementer_pressure(self, tactic: str, amount: float, pass_through: float = 1.0) -> AtrocityTactics:
        """Raise the own resource cost of one tactic by ``pass_through·amount`` (not discounted
        by ideology); ``pass_through`` ∈ [0, 1] (one minus replaceability of implementers)."""
        if not 0.0 <= pass_through <= 1.0:
            raise ParameterError("pass_through", "[0, 1]", float(pass_through))
        w = dict(zip(self.tactics, self.spec.tactic_cost, strict=True))
        if tactic not in w:
            raise ParameterError("tactic", f"one of {list(self.tactics)}", tactic)
        w[tactic] += pass_through * amount
        return self.with_params(tactic_cost=w)

    def enabler_sanction(self, amount: float) -> AtrocityTactics:
        """Raise the sanction per unit of enabler input by ``amount``."""
        return self.with_params(enabler_sanction=self.spec.enabler_sanction + amount)

    def resource(self, factor: float) -> AtrocityTactics:
        """Multiply the perpetrator's resources by ``factor`` (asset freezes: factor < 1)."""
        return self.with_params(resources=self.spec.resources * factor)

    def protect(self, tactic: str, factor: float) -> AtrocityTactics:
        """Multiply one tactic's productivity by ``factor`` (protection: factor < 1)."""
        b = dict(zip(self.tactics, self.spec.tactic_productivity, strict=True))
        if tactic not in b:
            raise ParameterError("tactic", f"one of {list(self.tactics)}", tactic)
        b[tactic] *= factor
        return self.with_params(tactic_productivity=b)

    # ------------------------------------------------------------ analysis
    def elasticities(self, kind: str = "marshall") -> Any:
        """The (K+1)×(K+1) matrix ∂ln x_i/∂ln p_j (``xarray.DataArray``; activity × price)."""
        import xarray as xr

        p = self.spec
        E = elasticities(self.closed_form(), p.tactic_substitution, p.substitution_elasticity, kind)
        labels = ["rebel_attacks", *p.tactics]
        return xr.DataArray(E, dims=("activity", "price"), coords={"activity": labels, "price": labels},
                            attrs={"kind": kind})

    def relation(self, kind: str = "marshall") -> dict[tuple[str, str], str]:
        """"substitutes"/"complements"/"independent" for every ordered pair of tactics."""
        E = np.asarray(self.elasticities(kind))[1:, 1:]
        out = {}
        for i, k in enumerate(self.tactics):
            for j, t in enumerate(self.tactics):
                if i != j:
                    e = E[i, j]
                    out[(k, t)] = "independent" if abs(e) <= 1e-12 else ("substitutes" if e > 0 else "complements")
        return out

    def _gradients(self, of: str = "deaths") -> dict[str, np.ndarray]:
        p = self.spec
        if p.objective != "max_control":
            raise ParameterError("objective", "'max_control' for marginal effects and backfire", p.objective)
        out = self.closed_form()
        v = p.kernel_values()
        if of == "deaths":
            return outcome_gradients(out, v)
        if of == "harm_index":
            eta = np.asarray(p.lethality) + p.harm_weight_vector @ p.harm_matrix
            return outcome_gradients(out, v, weights=eta)
        if of == "acts":
            return outcome_gradients(out, v, weights=np.ones(p.K), weight_rebels=0.0)
        if of.startswith("harms"):
            g = of[len("harms["):-1] if "[" in of else of[len("harms_"):]
            row = p.harm_matrix[p.harm_categories.index(g)]
            return outcome_gradients(out, v, weights=row, weight_rebels=0.0)
        raise KeyError(f"of must be deaths, harm_index, acts or harms[<category>]; got {of!r}")

    def backfire_margin(self, tactic: str, of: str = "deaths") -> float:
        """σ_T(d̄ − d_j) − κ: a marginal sanction on ``tactic`` raises ``of`` iff this is > 0."""
        return float(self._gradients(of)["bracket"][self.tactics.index(tactic)])

    def backfire(self, tactic: str, of: str = "deaths") -> bool:
        """Whether a marginal sanction on ``tactic`` raises ``of`` (deaths by default)."""
        if self.spec.ideology == 1.0:
            return False
        return self.backfire_margin(tactic, of) > 0

    def marginal_effects(self, of: str = "deaths") -> Any:
        """∂(of)/∂ each lever in its instrument's units (pandas Series), enabler market included."""
        import pandas as pd

        g = self._gradients(of)
        rows: dict[str, float] = {}
        for i, t in enumerate(self.tactics):
            rows[f"tactic_sanction[{t}]"] = float(g["dY_ds_total"][i])
        rows["uniform_sanction"] = float(g["dY_duniform"]) if not math.isfinite(
            self.spec.enabler_supply_elasticity) else float(np.sum(g["dY_ds_total"]))
        for i, t in enumerate(self.tactics):
            rows[f"tactic_cost[{t}]"] = float(g["dY_dw_total"][i])
        rows["enabler_sanction"] = float(g["dY_dsE"])
        rows["resources"] = float(g["dY_dM_total"])
        rows["ideology"] = float(g["dY_dideology_total"])
        return pd.Series(rows, name=f"d{of}")

    @staticmethod
    def implied_tactic_substitution(cross_price_elasticity: float, target_share: float, civilian_share: float,
                                    substitution_elasticity: float = 1.0) -> float:
        """σ_T implied by an observed Marshallian cross-price elasticity between two tactics:
        σ_T = σ̄ + ε/S_j with σ̄ = 1 + (σ − 1)(1 − s_C)."""
        if not 0 < target_share <= 1:
            raise ParameterError("target_share", "(0, 1]", float(target_share))
        if not 0 < civilian_share < 1:
            raise ParameterError("civilian_share", "(0, 1)", float(civilian_share))
        sbar = 1.0 + (substitution_elasticity - 1.0) * (1.0 - civilian_share)
        out = sbar + cross_price_elasticity / target_share
        if out <= 0:
            raise ParameterError("cross_price_elasticity", "values implying tactic_substitution > 0",
                                 float(cross_price_elasticity), f"implied tactic_substitution = {out:g}")
        return float(out)

    def _resolve(self, policy: Any) -> AtrocityTactics:
        return policy if isinstance(policy, AtrocityTactics) else self.apply(policy)

    def policy_effect(self, policy: Any) -> Any:
        """before/after/change/relative_change (None when before is 0) of every outcome, for a
        policy object or an already changed model (a pandas DataFrame)."""
        import pandas as pd

        other = self._resolve(policy)
        a, b = self.solve(), other.solve()
        rows = []
        for k in self.outcome_names:
            x, y = a[k], b[k]
            rows.append({"outcome": k, "before": x, "after": y, "change": y - x,
                         "relative_change": None if x == 0 else (y - x) / x})
        return pd.DataFrame(rows).set_index("outcome")

    def decompose(self, policy: Any, method: str = "hicks") -> dict[str, Any]:
        """Substitution and income effects of a price-type policy on every tactic and on deaths.

        ``method="hicks"`` holds control at its level before the policy (the compensated bundle
        is the min-cost bundle at the new prices); ``"slutsky"`` gives the perpetrator the
        resources to buy the old bundle at the new prices, ``M' = M + Σ Δq_j T_j + Δp_R R``.
        Under min_cost the income effect is 0. Returns per-tactic mappings ``substitution``,
        ``income``, ``total``, the same for ``deaths``, and ``compensated_cost`` (Hicks) or
        ``compensated_resources`` (Slutsky).
        """
        p0 = self.spec
        new = self._resolve(policy)
        o0, o1 = self.closed_form(), new.closed_form()
        if method == "hicks":
            target = float(o0["control"])
            comp = new.with_params(objective="min_cost", control_target=target).closed_form()
            extra = {"compensated_cost": float(comp["cost"])}
        elif method == "slutsky":
            if p0.objective != "max_control":
                raise ParameterError("method", "'hicks' under objective = 'min_cost'", method)
            dq = o1["tactic_prices"] - o0["tactic_prices"]
            dpr = float(o1["price_rebels"] - o0["price_rebels"])
            Mp = p0.resources + float(np.sum(dq * o0["tactic_levels"])) + dpr * float(o0["rebel_attacks"])
            comp = new.with_params(resources=Mp).closed_form()
            extra = {"compensated_resources": Mp}
        else:
            raise ParameterError("method", "{'hicks', 'slutsky'}", method)
        T0, T1, Tc = o0["tactic_levels"], o1["tactic_levels"], comp["tactic_levels"]

        def per(x: np.ndarray) -> dict[str, float]:
            return {t: float(v) for t, v in zip(self.tactics, x, strict=True)}

        sub, inc = Tc - T0, T1 - Tc
        if p0.objective == "min_cost":
            sub, inc = T1 - T0, np.zeros_like(T0)
        return {"substitution": per(sub), "income": per(inc), "total": per(T1 - T0),
                "deaths": {"substitution": float(comp["deaths"] - o0["deaths"]) if p0.objective == "max_control"
                           else float(o1["deaths"] - o0["deaths"]),
                           "income": float(o1["deaths"] - comp["deaths"]) if p0.objective == "max_control" else 0.0,
                           "total": float(o1["deaths"] - o0["deaths"])},
                "compensated_bundle": per(Tc), **extra}

    # ------------------------------------------------------------ comparative statics
    def sensitivity_parameters(self) -> tuple[str, ...]:
        """Every scalar parameter except the tactic weights (tied by their sum = 1)."""
        return tuple(self.parameter_values())

    def statics_parameters(self) -> tuple[str, ...]:
        return tuple(self.parameter_values())

    def _to_bracket(self, name: str) -> str:
        for base in (*PER_TACTIC, *_PER_TACTIC_OUTCOMES, "harms"):
            for t in (*self.tactics, *self.spec.harm_categories):
                if name == flat(base, t):
                    return f"{base}[{t}]"
        return name

    def _to_flat(self, name: str) -> str:
        if "[" in name and name.endswith("]"):
            base, t = name[:-1].split("[", 1)
            return flat(base, t)
        return name

    def comparative_statics(self, wrt: str | Sequence[str] | None = None,
                            of: str | Sequence[str] | None = None) -> ComparativeStatics:
        """Derivatives (sympy, with the enabler market's response when supply is finite), the
        built-in sign (docs/explanation/tactics.md), value and elasticity. Names may be flat
        (``tactic_sanction_killing``) or bracketed (``tactic_sanction[killing]``)."""
        wrts = list(self.statics_parameters()) if wrt is None else ([wrt] if isinstance(wrt, str) else list(wrt))
        if of is None:
            ofs = list(self.default_statics_outcomes)
        elif isinstance(of, str):
            ofs = [flat("tactic_levels", t) for t in self.tactics] if of == "tactic_levels" else [of]
        else:
            ofs = list(of)
        wrts = [self._to_flat(w) for w in wrts]
        ofs = [self._to_flat(o) for o in ofs]
        for w in wrts:
            if w.startswith("tactic_weights"):
                raise ParameterError(w, "not a statics parameter (the weights are tied by their sum = 1)", w)
        bad = [o for o in ofs if o not in self.outcome_names]
        if bad:
            raise KeyError(f"unknown outcome(s) {bad} for {self.name}; valid: {', '.join(self.outcome_names)}")
        valid = self.statics_parameters()
        for w in wrts:
            if w not in valid:
                raise KeyError(f"cannot differentiate with respect to {w!r}; valid: {', '.join(valid)}")
        eq = self.solve()
        entries = tuple(self._statics_entry(o, w, eq) for o in ofs for w in wrts)
        return ComparativeStatics(model=self.name, parameters=eq.parameters, entries=entries,
                                  latex_names=sym.latex_names(self.tactics))

    def _statics_entry(self, of: str, wrt: str, eq: Equilibrium) -> StaticsEntry:
        o, w = self._to_bracket(of), self._to_bracket(wrt)
        expr, value = sym.statics_value(self.spec, o, w, enabler_price=eq["enabler_price"])
        x = self.parameter_values()[wrt]
        return StaticsEntry(outcome=of, wrt=wrt, derivative=expr, sign=sym.sign_of(self.spec, o, w), value=value,
                            elasticity=elasticity(value, x, eq[of]), regime=eq.regime, boundary=False)

    def symbolic(self, of: str, eq: Equilibrium) -> tuple[sp.Expr, sp.Expr | None]:
        finite, ci, co = sym._branch(self.spec)
        return sym.derive(self.tactics, self.spec.objective, finite, ci, co)[self._to_bracket(of)], None

    def at_boundary(self, wrt: str, rel_step: float = 1e-7) -> bool:
        return False


_RICH_NAMES = frozenset(f.name for f in dataclasses.fields(TacticsParams) if not f.name.startswith("_"))


def _rebuild_flat(structure: Structure, values: Mapping[str, float]) -> Parameters:
    """Unpickle a flat parameter object: the class of its structure, then the values."""
    return _flat_params_class(structure)(**values)


def _flat_values(p: TacticsParams) -> dict[str, float]:
    out: dict[str, float] = {}
    for name in PER_TACTIC:
        if name == "tactic_weights":
            continue
        for t, x in zip(p.tactics, getattr(p, name), strict=True):
            out[flat(name, t)] = x
    for name in SCALARS:
        out[name] = getattr(p, name)
    return out


def _apply_flat(p: TacticsParams, changes: Mapping[str, Any]) -> TacticsParams:
    cls = flat_params_class(p.tactics, Structure.of(p))
    unknown = sorted(set(changes) - set(cls.names()))
    if unknown:
        valid = sorted(_RICH_NAMES | set(cls.names()))
        raise TypeError(f"unknown parameter(s) {unknown} for AtrocityTactics; valid names: {', '.join(valid)}")
    checked = cls(**{**_flat_values(p), **changes})  # errors name the flat parameter
    changes = {k: getattr(checked, k) for k in changes}
    per: dict[str, dict[str, float]] = {}
    scal: dict[str, float] = {}
    names = {flat(n, t): (n, t) for n in PER_TACTIC for t in p.tactics}
    for k, v in changes.items():
        if k in names:
            n, t = names[k]
            per.setdefault(n, {})[t] = v
        elif k in SCALARS:
            scal[k] = v
        else:
            valid = sorted(_RICH_NAMES | set(names))
            raise TypeError(f"unknown parameter(s) [{k!r}] for AtrocityTactics; valid names: {', '.join(valid)}")
    return p.replace(**per, **scal)
