"""Third-party tools: what a tool does to war risk and atrocities once perpetrators re-optimise.

Practitioners think in a toolbox (sanctions, mediation, peace operations …) grouped into four
strategies (dissuade, degrade, protect, transition: USHMM Simon-Skjodt Center, *A Strategic
Framework for Helping Prevent Mass Atrocities*, 2023). atrogame's catalogue maps each tool onto
the parameters of each model ("levers", with a direction and a default step), so a tool's
effect is a comparative-statics result:

* :func:`assess` — before/after, change and marginal effect (the directional derivative along
  the tool's lever vector, analytic where the model has one) of one tool;
* :func:`compare` — every tool (or a list) in one tidy table, with a tornado plot;
* :func:`backfire` — under uncertainty about the situation, the probability that the tool
  *raises* atrocities, its expected effect with an interval, and which parameters drive the sign;
* :func:`net_assessment` — atrocities averted per unit of third-party cost;
* :func:`atrogame.strategies.assess` — the tools of one strategy together.

A tool without a lever in a model is reported "not represented in this model", never as a zero
effect.

Examples
--------
>>> import atrogame as ag
>>> a = ag.tools.assess("naming_and_shaming", ag.KyddStraus(), outcomes=["atrocities_in_war", "p_war"])
>>> a.represented, a["atrocities_in_war"].change < 0
(True, True)
>>> ag.tools.assess("electoral_assistance", ag.KyddStraus()).represented
False
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from atrogame.core.contract import ModelLike
from atrogame.core.errors import ParameterError
from atrogame.display import TableMixin
from atrogame.tools._catalogue import Lever, Strategy, Tool, strategies_registry, tools_registry

__all__ = [
    "Assessment",
    "BackfireResult",
    "Comparison",
    "Lever",
    "NetAssessment",
    "Strategy",
    "Tool",
    "assess",
    "backfire",
    "catalogue",
    "compare",
    "get",
    "harm_outcome",
    "harm_sign",
    "headline_outcomes",
    "move_parameters",
    "net_assessment",
    "strategies_registry",
    "tools_registry",
]

NOT_REPRESENTED = "not represented in this model"

# ---------------------------------------------------------------------------- catalogue
def get(tool_id: str) -> Tool:
    """The catalogue entry ``tool_id`` (``KeyError`` lists close matches).

    Examples
    --------
    >>> get("mediation").strategies
    ('dissuade', 'transition')
    """
    return tools_registry()[tool_id]


def catalogue(models: Iterable[type[ModelLike] | str] | None = None) -> Any:
    """The catalogue as a ``pandas.DataFrame`` (one row per tool).

    Columns: name, definition, strategies, mechanisms, cost, and one column per model giving
    the levers as text ("atrocity_penalty +0.02", …) or "not represented". ``models`` chooses
    the model columns: ids, import paths ``package.module:Class`` or model classes (default:
    every registered model and every model the catalogue itself names). A model's column
    joins the catalogue's levers for it and the levers the model declares for catalogue tools.

    Examples
    --------
    >>> df = catalogue()
    >>> df.loc["arms_embargo", "strategies"]
    'degrade'
    >>> catalogue(["atrogame.testing.models:Toy"]).columns[-1]
    'toy'
    >>> catalogue(["kyd_straus"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "unknown model 'kyd_straus'; did you mean 'kydd_straus'?...
    """
    import pandas as pd

    from atrogame.core.registry import model_ids

    named = {m for t in tools_registry().values() for m in t.levers}  # models the catalogue has levers for
    if models is None:
        models = list(dict.fromkeys([*model_ids(), *sorted(named)]))
    classes = [(m, _model_class(m, named)) for m in models]
    columns = {(str(cls.name) if cls is not None else str(m)): cls for m, cls in classes}
    rows = []
    for t in tools_registry().values():
        row: dict[str, Any] = {
            "id": t.id,
            "name": t.name,
            "definition": t.definition,
            "strategies": ", ".join(t.strategies),
            "mechanisms": "; ".join(t.mechanisms),
            "cost": t.cost,
        }
        for m, cls in columns.items():
            declared = tuple(getattr(cls, "levers", {}).get(t.id, ())) if cls is not None else ()
            levers = (*t.levers.get(m, ()), *declared)
            row[m] = ", ".join(_lever_text(lv) for lv in levers) if levers else NOT_REPRESENTED
        rows.append(row)
    return pd.DataFrame(rows).set_index("id")


def _model_class(model: type[ModelLike] | str, named: set[str]) -> type[ModelLike] | None:
    """The class of a model given as a class, an id or an import path; ``None`` for an id the
    catalogue has levers for but no installed model provides. Anything else unknown raises
    the registry's ``KeyError`` (which lists close matches)."""
    from atrogame.core.registry import get_model

    if isinstance(model, type):
        return model
    try:
        return get_model(model)
    except KeyError:
        if model in named:
            return None
        raise


def _lever_text(lv: Lever) -> str:
    sign = "+" if lv.direction > 0 else "-"
    step = f"{lv.step * 100:g}%" if lv.scale == "relative" else f"{lv.step:g}"
    return f"{' or '.join(lv.parameter)} {sign}{step}"


def _tool(tool: str | Tool) -> Tool:
    return get(tool) if isinstance(tool, str) else tool


def headline_outcomes(model: ModelLike) -> tuple[str, ...]:
    """The outcomes tool assessments report for ``model``.

    Examples
    --------
    >>> import atrogame as ag
    >>> headline_outcomes(ag.AndertonBrauer(technology="cobb_douglas"))
    ('civilian_attacks', 'control', 'civilian_deaths')
    """
    return tuple(model.headline_outcomes())


def harm_outcome(model: ModelLike) -> str:
    """The outcome a prevention tool aims to move in ``model`` (its outcome declared with ``role="harm"``).

    Examples
    --------
    >>> import atrogame as ag
    >>> harm_outcome(ag.KyddStraus()), harm_outcome(ag.Mobilisation())
    ('expected_atrocities', 'tipping_threshold')
    """
    return model.harm_outcome()[0]


def harm_sign(model: ModelLike, outcome: str | None = None) -> int:
    """+1 when a rise in ``outcome`` is harm, -1 when a fall is (default: the model's harm outcome).

    Examples
    --------
    >>> import atrogame as ag
    >>> harm_sign(ag.KyddStraus()), harm_sign(ag.Mobilisation())
    (1, -1)
    """
    name, sign = model.harm_outcome()
    return sign if outcome in (None, name) else 1


# ---------------------------------------------------------------------------- lever maths
def _clip(model: ModelLike, name: str, values: Any) -> tuple[Any, Any]:
    """Clip moved values into the parameter's domain; also return where clipping happened."""
    interval = model.parameter_meta(name)["interval"]
    v = np.asarray(values, dtype=float)
    lo, hi = interval.lo, interval.hi
    eps_lo = 0.0 if interval.left_closed or not math.isfinite(lo) else 1e-9 * max(1.0, abs(lo))
    eps_hi = 0.0 if interval.right_closed or not math.isfinite(hi) else 1e-9 * max(1.0, abs(hi))
    clipped = np.clip(v, lo + eps_lo, hi - eps_hi)
    return clipped, clipped != v


def move_parameters(model: ModelLike, levers: Mapping[str, Lever], base: Mapping[str, Any],
                    intensity: float) -> tuple[dict, Any]:
    """Parameter values after ``levers`` act at ``intensity`` on ``base`` values (arrays allowed).

    Moved values are clipped into each parameter's domain; the second item says where a value
    was clipped (so callers can report that a tool hit a boundary).

    Examples
    --------
    >>> import atrogame as ag
    >>> m = ag.KyddStraus()
    >>> levers = get("mediation").levers_for(m)
    >>> moved, clipped = move_parameters(m, levers, m.parameter_values(), 1.0)
    >>> sorted(moved), bool(clipped)
    (['cost_uncertainty', 'inducement_government', 'inducement_minority'], False)
    """
    moved: dict[str, Any] = {}
    any_clipped: Any = False
    for p, lv in levers.items():
        moved[p], c = _clip(model, p, lv.moved(np.asarray(base[p], dtype=float), intensity))
        any_clipped = any_clipped | c
    joint = getattr(model.Params, "joint_bounds", None)
    for p in list(moved):
        bounds = joint(p, {**base, **moved}) if joint is not None else None
        if bounds is None:
            continue
        lo, hi = (np.asarray(b, dtype=float) for b in bounds)
        v = moved[p]
        gap_lo = np.where(np.isfinite(lo), 1e-9 * np.maximum(1.0, np.abs(lo)), 0.0)
        gap_hi = np.where(np.isfinite(hi), 1e-9 * np.maximum(1.0, np.abs(hi)), 0.0)
        kept = np.clip(v, lo + gap_lo, hi - gap_hi)  # a rule joining parameters (e.g. low < high)
        any_clipped = any_clipped | (kept != v)
        moved[p] = kept
    return moved, any_clipped


# ---------------------------------------------------------------------------- assess
@dataclass(frozen=True)
class OutcomeEffect:
    """A tool's effect on one outcome.

    ``change`` is ``after - before`` at the tool's default step times the intensity;
    ``marginal`` is the derivative with respect to intensity at 0; ``relative_change`` is
    ``None`` when ``before`` is 0.

    Examples
    --------
    >>> import atrogame as ag
    >>> e = assess("mediation", ag.KyddStraus(), outcomes=["p_war"])["p_war"]
    >>> e.outcome, round(e.before, 4), round(e.after, 4), round(e.marginal, 4)
    ('p_war', 0.3682, 0.3018, -0.0574)
    """

    outcome: str
    before: float
    after: float
    change: float
    marginal: float
    relative_change: float | None


@dataclass(frozen=True)
class Assessment(TableMixin):
    """The effect of one tool on one model at one parameter point (see :func:`assess`).

    Index by outcome for an :class:`OutcomeEffect`; ``summary()`` gives a readable report.

    Examples
    --------
    >>> import atrogame as ag
    >>> a = assess("mediation", ag.KyddStraus(), outcomes=["p_war"])
    >>> print(a.summary())
    Mediation (mediation) on kydd_straus, intensity 1
      levers: cost_uncertainty → 0.5, inducement_government → 0.02, inducement_minority → 0.02
      regime: interior → interior
      p_war: 0.368193 → 0.301831 (change -0.0663614, marginal -0.0573646)
    >>> a.to_dataframe().index.tolist(), a.marginal_method
    (['p_war'], 'analytic')
    """

    tool: Tool
    model: str
    represented: bool
    intensity: float
    levers: Mapping[str, float] = field(default_factory=dict)
    direction: Mapping[str, float] = field(default_factory=dict)
    effects: tuple[OutcomeEffect, ...] = ()
    regime_before: str | None = None
    regime_after: str | None = None
    clipped: bool = False
    boundary: bool = False
    marginal_method: str = "analytic"

    def __getitem__(self, outcome: str) -> OutcomeEffect:
        if not self.represented:
            raise KeyError(f"{self.tool.id} is {NOT_REPRESENTED} ({self.model})")
        for e in self.effects:
            if e.outcome == outcome:
                return e
        raise KeyError(f"{outcome!r} not assessed; have {[e.outcome for e in self.effects]}")

    def __repr__(self) -> str:
        if not self.represented:
            return f"<Assessment {self.tool.id} on {self.model}: {NOT_REPRESENTED}>"
        parts = ", ".join(f"Δ{e.outcome}={e.change:+.4g}" for e in self.effects[:3])
        return f"<Assessment {self.tool.id} on {self.model}: {parts}>"

    def summary(self) -> str:
        head = f"{self.tool.name} ({self.tool.id}) on {self.model}, intensity {self.intensity:g}"
        if not self.represented:
            return f"{head}: {NOT_REPRESENTED}"
        lines = [head, "  levers: " + ", ".join(f"{k} → {v:.6g}" for k, v in self.levers.items())]
        lines.append(f"  regime: {self.regime_before} → {self.regime_after}")
        for e in self.effects:
            lines.append(f"  {e.outcome}: {e.before:.6g} → {e.after:.6g} (change {e.change:+.6g}, "
                         f"marginal {e.marginal:+.6g})")
        if self.clipped:
            lines.append("  note: a lever hit the edge of its parameter's domain and was clipped")
        if self.boundary:
            lines.append("  note: the point is on a regime boundary; the marginal effect is one-sided")
        return "\n".join(lines)

    __str__ = summary

    def to_dataframe(self) -> Any:
        """One row per outcome: before, after, change, relative_change, marginal, regimes."""
        import pandas as pd

        if not self.represented:
            return pd.DataFrame([{"tool": self.tool.id, "represented": False, "status": NOT_REPRESENTED}])
        rows = [
            {"outcome": e.outcome, "before": e.before, "after": e.after, "change": e.change,
             "relative_change": e.relative_change, "marginal": e.marginal,
             "regime_before": self.regime_before, "regime_after": self.regime_after}
            for e in self.effects
        ]
        return pd.DataFrame(rows).set_index("outcome")



def assess(tool: str | Tool, model: ModelLike, *, intensity: float = 1.0,
           outcomes: Sequence[str] | None = None) -> Assessment:
    """Assess one tool on one model at the model's parameters.

    The tool moves its levers by its default step times ``intensity``; the perpetrator (and
    every other player) re-optimises. ``marginal`` is the derivative of each outcome with
    respect to intensity at intensity 0: the directional derivative along the lever vector,
    from the model's analytic comparative statics where it has them (else a central finite
    difference, reported in ``marginal_method``).

    Examples
    --------
    >>> import atrogame as ag
    >>> a = assess("military_intervention", ag.KyddStraus(intervention_commitment=0.5),
    ...            outcomes=["atrocities_in_war", "p_war"])
    >>> a["atrocities_in_war"].change < 0 < a["p_war"].change
    True
    """
    t = _tool(tool)
    if not math.isfinite(intensity) or intensity < 0:
        from atrogame.core.errors import ParameterError

        raise ParameterError("intensity", "[0, inf)", intensity)
    levers = t.levers_for(model)
    if not levers:
        return Assessment(tool=t, model=model.name, represented=False, intensity=intensity)
    wanted = list(outcomes) if outcomes is not None else list(headline_outcomes(model))
    base = model.parameter_values()
    moved, clipped = move_parameters(model, levers, base, intensity)
    after_model = model.with_params(**{k: float(v) for k, v in moved.items()})
    before, after = model.solve(), after_model.solve()
    direction = {p: float(lv.rate(base[p])) for p, lv in levers.items()}
    marginal, method, boundary = _marginal(model, direction, wanted)
    effects = tuple(
        OutcomeEffect(
            outcome=o, before=before[o], after=after[o], change=after[o] - before[o], marginal=marginal[o],
            relative_change=None if before[o] == 0 else (after[o] - before[o]) / abs(before[o]),
        )
        for o in wanted
    )
    return Assessment(tool=t, model=model.name, represented=True, intensity=intensity,
                      levers={k: float(v) for k, v in moved.items()}, direction=direction, effects=effects,
                      regime_before=before.regime, regime_after=after.regime, clipped=bool(np.any(clipped)),
                      boundary=boundary, marginal_method=method)


def _marginal(model: ModelLike, direction: Mapping[str, float], outcomes: Sequence[str]) -> tuple[dict, str, bool]:
    try:
        cs = model.comparative_statics(wrt=list(direction), of=list(outcomes))
    except (NotImplementedError, KeyError, TypeError):
        return _marginal_fd(model, direction, outcomes), "finite_difference", False
    out = dict.fromkeys(outcomes, 0.0)
    boundary = False
    for e in cs:
        out[e.outcome] += e.value * direction[e.wrt]
        boundary |= e.boundary
    return out, "analytic", boundary


def _fd(model: ModelLike, names: Sequence[str], x0: np.ndarray, lo: np.ndarray, hi: np.ndarray, h: float,
        outcomes: Sequence[str]) -> dict[str, float]:
    """Central difference between the points ``lo`` and ``hi`` (± h in intensity), one-sided at a domain edge."""
    intervals = [model.parameter_meta(n)["interval"] for n in names]
    lo_ok = all(v in iv for v, iv in zip(lo, intervals, strict=True))
    hi_ok = all(v in iv for v, iv in zip(hi, intervals, strict=True))
    a, b, width = (hi, lo, 2 * h) if lo_ok and hi_ok else ((hi, x0, h) if hi_ok else (x0, lo, h))
    Y = model.evaluate(np.stack([a, b]), list(names), list(outcomes))
    return {o: float((Y[0, j] - Y[1, j]) / width) for j, o in enumerate(outcomes)}


def _marginal_fd(model: ModelLike, direction: Mapping[str, float], outcomes: Sequence[str], h: float = 1e-6) -> dict:
    base = model.parameter_values()
    names = list(direction)
    x0 = np.array([base[n] for n in names])
    v = np.array([direction[n] for n in names])
    return _fd(model, names, x0, x0 - h * v, x0 + h * v, h, outcomes)


def directional_derivative(tool: str | Tool, model: ModelLike, outcome: str, h: float = 1e-6) -> float:
    """Central finite difference of ``outcome`` along the tool's lever vector (per unit intensity).

    An independent check of :func:`assess`'s marginal effect (one-sided at a domain edge).

    Examples
    --------
    >>> import atrogame as ag
    >>> m = ag.KyddStraus()
    >>> abs(directional_derivative("prosecutions", m, "p_war")
    ...     - assess("prosecutions", m)["p_war"].marginal) < 1e-6
    True
    """
    t = _tool(tool)
    levers = t.levers_for(model)
    if not levers:
        raise NotImplementedError(f"{t.id} is {NOT_REPRESENTED} ({model.name})")
    base = model.parameter_values()
    names = list(levers)
    x0 = np.array([base[n] for n in names])
    hi = np.array([levers[n].moved(base[n], h) for n in names])
    lo = np.array([levers[n].moved(base[n], -h) for n in names])
    return _fd(model, names, x0, lo, hi, h, [outcome])[outcome]


# ---------------------------------------------------------------------------- compare
@dataclass(frozen=True)
class Comparison(TableMixin):
    """Several tools assessed on one model: a tidy table (tool × outcome) and a tornado plot.

    Examples
    --------
    >>> import atrogame as ag
    >>> c = compare(ag.AndertonBrauer(technology="cobb_douglas"), ["arms_embargo", "electoral_assistance"],
    ...             outcomes=["civilian_attacks"])
    >>> c
    <Comparison of 2 tools on anderton_brauer: 1 represented>
    >>> c.to_dataframe()[["tool", "strategy", "change"]].values.tolist()
    [['arms_embargo', 'degrade', -10.0], ['electoral_assistance', 'transition', nan]]
    """

    model: str
    table: Any  # pandas.DataFrame
    assessments: tuple[Assessment, ...]

    def to_dataframe(self) -> Any:
        """Tidy rows: tool, name, strategy, outcome, before, after, change, marginal, represented."""
        return self.table.copy()


    def __repr__(self) -> str:
        n = len(self.assessments)
        k = sum(a.represented for a in self.assessments)
        return f"<Comparison of {n} tools on {self.model}: {k} represented>"

    def plot(self, outcome: str | None = None, *, ax: Any = None, value: str = "change") -> Any:
        """Tornado plot grouped by strategy (see :func:`atrogame.plot.tools.tornado`)."""
        from atrogame.plot.tools import tornado

        return tornado(self, outcome=outcome, ax=ax, value=value)


def compare(model: ModelLike, tools: Iterable[str | Tool] | None = None, *, intensity: float = 1.0,
            outcomes: Sequence[str] | None = None) -> Comparison:
    """Assess several tools (default: the whole catalogue) on one model.

    Examples
    --------
    >>> import atrogame as ag
    >>> c = compare(ag.KyddStraus(), ["mediation", "electoral_assistance"])
    >>> c.to_dataframe().query("outcome == 'p_war'")[["tool", "represented"]].values.tolist()
    [['mediation', True], ['electoral_assistance', False]]
    """
    import pandas as pd

    chosen = [_tool(t) for t in (tools if tools is not None else tools_registry().values())]
    wanted = list(outcomes) if outcomes is not None else list(headline_outcomes(model))
    assessments = tuple(assess(t, model, intensity=intensity, outcomes=wanted) for t in chosen)
    rows = []
    for a in assessments:
        for o in wanted:
            row: dict[str, Any] = {"tool": a.tool.id, "name": a.tool.name, "strategy": a.tool.strategies[0],
                                   "strategies": ", ".join(a.tool.strategies), "outcome": o,
                                   "represented": a.represented}
            if a.represented:
                e = a[o]
                row.update(before=e.before, after=e.after, change=e.change, marginal=e.marginal,
                           regime_before=a.regime_before, regime_after=a.regime_after)
            else:
                row.update(before=np.nan, after=np.nan, change=np.nan, marginal=np.nan,
                           regime_before=None, regime_after=None)
            rows.append(row)
    return Comparison(model=model.name, table=pd.DataFrame(rows), assessments=assessments)


# ---------------------------------------------------------------------------- backfire
def _draw(priors: Mapping[str, Any], n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for name, prior in priors.items():
        u = rng.random(n)
        if hasattr(prior, "ppf"):
            out[name] = np.asarray(prior.ppf(u), dtype=float)
        else:
            lo, hi = (float(v) for v in prior)
            if not hi >= lo:
                raise ValueError(f"prior for {name} must be (low, high) with low <= high; got {prior!r}")
            out[name] = lo + (hi - lo) * u
    return out


@dataclass(frozen=True)
class BackfireResult(TableMixin):
    """Probability that a tool backfires (moves the harm outcome the wrong way) over draws of the situation.

    Built by :func:`backfire`. ``drivers`` ranks the drawn parameters by their Spearman
    correlation with the effect; ``effects`` holds the per-draw effects.

    Examples
    --------
    >>> import atrogame as ag
    >>> r = backfire("peace_operations", ag.AndertonBrauer(technology="ces"),
    ...              {"substitution_elasticity": (0.2, 2.0)}, n=200, seed=1)
    >>> r
    <BackfireResult peace_operations on anderton_brauer: P(raises civilian_attacks)=0.445, mean effect -0.6372, n=200>
    >>> r.effects.shape, r.ci_low < r.expected_effect < r.ci_high
    ((200,), True)
    >>> r.drivers.index.tolist()
    ['substitution_elasticity']
    """

    tool: Tool
    model: str
    outcome: str
    represented: bool
    n: int
    seed: Any
    probability: float = math.nan
    expected_effect: float = math.nan
    ci_low: float = math.nan
    ci_high: float = math.nan
    quantiles: Mapping[str, float] = field(default_factory=dict)
    drivers: Any = None  # pandas.DataFrame: parameter, spearman_effect, spearman_backfire
    priors: Mapping[str, Any] = field(default_factory=dict)
    effects: Any = None  # numpy array of the per-draw effects
    harm_sign: int = 1  # +1: a rise in ``outcome`` is a backfire; -1: a fall is
    draws: Any = None  # mapping parameter -> numpy array of the drawn values
    backfired: Any = None  # boolean numpy array: the tool backfired at this draw

    def __repr__(self) -> str:
        if not self.represented:
            return f"<BackfireResult {self.tool.id} on {self.model}: {NOT_REPRESENTED}>"
        word = "raises" if self.harm_sign > 0 else "lowers"
        return (f"<BackfireResult {self.tool.id} on {self.model}: P({word} {self.outcome})="
                f"{self.probability:.3f}, mean effect {self.expected_effect:+.4g}, n={self.n}>")

    def to_dataframe(self) -> Any:
        """One summary row (probability, expected effect, 95% CI of the mean, quantiles)."""
        import pandas as pd

        row = {"tool": self.tool.id, "outcome": self.outcome, "represented": self.represented,
               "probability": self.probability, "expected_effect": self.expected_effect,
               "ci_low": self.ci_low, "ci_high": self.ci_high, "n": self.n, "seed": self.seed, **self.quantiles}
        return pd.DataFrame([row]).set_index("tool")


    def plot(self, *, ax: Any = None) -> Any:
        """Rank correlations of each drawn parameter with the effect (what drives the sign)."""
        from atrogame.plot.tools import drivers

        return drivers(self, ax=ax)

    def explain(self, **kwargs: Any) -> Any:
        """Where in the drawn situations the tool backfires: PRIM boxes and a plain-language rule.

        Keyword arguments go to :func:`atrogame.discovery.explain`; see
        docs/how-to/when_it_backfires.md.
        """
        from atrogame.discovery import explain

        return explain(self, **kwargs)


def backfire(tool: str | Tool, model: ModelLike, priors: Mapping[str, Any] | None = None, n: int = 10_000,
             seed: int | np.random.Generator | None = None, *, outcome: str | None = None,
             intensity: float = 1.0) -> BackfireResult:
    """Probability that ``tool`` backfires under uncertainty about the situation.

    A backfire is a rise in ``outcome`` (default: the model's harm outcome, e.g. expected
    atrocities), or a fall where a fall is harm (the mobilisation model's tipping threshold).

    ``priors`` maps parameter names to ``(low, high)`` uniform ranges or scipy.stats frozen
    distributions (default: the model's declared ``priors``, else
    :meth:`~atrogame.model.Model.default_priors`, restricted to parameters it has). Parameters
    without a prior keep the model's values. All ``n`` draws are evaluated in one vectorised
    call before and one after the tool. The drivers table gives each drawn parameter's Spearman
    rank correlation with the effect and with the backfire indicator.

    ``seed`` (an int, a ``numpy.random.Generator`` or ``None`` for a fresh one) is resolved to
    an integer recorded in ``result.seed`` and in ``to_dataframe()``; passing it back replays
    the draws exactly.

    Examples
    --------
    >>> import atrogame as ag
    >>> m = ag.AndertonBrauer(technology="ces")
    >>> r = backfire("peace_operations", m, {"substitution_elasticity": (0.2, 0.9)}, n=500, seed=1)
    >>> r.probability
    1.0
    """
    from atrogame.core.errors import ParameterError

    t = _tool(tool)
    out_name = outcome or harm_outcome(model)
    if n < 2:
        raise ParameterError("n", "[2, inf)", n)
    levers = t.levers_for(model)
    if not levers:
        return BackfireResult(tool=t, model=model.name, outcome=out_name, represented=False, n=n, seed=seed)
    base = model.parameter_values()
    if priors is None:
        declared = getattr(model, "priors", {}) or model.default_priors()
        priors = {k: v for k, v in declared.items() if k in base}
    unknown = [k for k in priors if k not in base]
    if unknown:
        raise TypeError(f"unknown parameter(s) {unknown} in priors for {model.name}; valid: {', '.join(base)}")
    from atrogame.sampling import resolve_seed

    seed = resolve_seed(seed)  # recorded in the result and its exports, so any run replays exactly
    rng = np.random.default_rng(seed)
    draws = _draw(priors, n, rng)
    names = list(dict.fromkeys([*draws, *levers]))
    before_cols = {k: draws[k] if k in draws else np.full(n, base[k]) for k in names}
    moved, _ = move_parameters(model, levers, before_cols, intensity)
    after_cols = {**before_cols, **moved}
    Xb = np.column_stack([before_cols[k] for k in names])
    Xa = np.column_stack([after_cols[k] for k in names])
    yb = model.evaluate(Xb, names, out_name)
    ya = model.evaluate(Xa, names, out_name)
    effect = ya - yb
    tol = 1e-9 * np.maximum(1.0, np.abs(yb))
    sign = harm_sign(model, out_name)
    raises = sign * effect > tol
    mean = float(effect.mean())
    se = float(effect.std(ddof=1) / math.sqrt(n))
    q = np.quantile(effect, [0.05, 0.5, 0.95])
    return BackfireResult(
        tool=t, model=model.name, outcome=out_name, represented=True, n=n, seed=seed,
        probability=float(raises.mean()), expected_effect=mean, ci_low=mean - 1.96 * se, ci_high=mean + 1.96 * se,
        quantiles={"q05": float(q[0]), "q50": float(q[1]), "q95": float(q[2])},
        drivers=_drivers(draws, effect, raises), priors=dict(priors), effects=effect, harm_sign=sign,
        draws=draws, backfired=raises,
    )


def _rank(x: np.ndarray) -> np.ndarray:
    order = np.argsort(x, kind="mergesort")
    r = np.empty(len(x))
    r[order] = np.arange(len(x))
    return r


def _spearman(x: np.ndarray, y: np.ndarray) -> float:
    rx, ry = _rank(x), _rank(y.astype(float))
    if rx.std() == 0 or ry.std() == 0:
        return 0.0
    return float(np.corrcoef(rx, ry)[0, 1])


def _drivers(draws: Mapping[str, np.ndarray], effect: np.ndarray, raises: np.ndarray) -> Any:
    import pandas as pd

    rows = [{"parameter": k, "spearman_effect": _spearman(v, effect), "spearman_backfire": _spearman(v, raises)}
            for k, v in draws.items()]
    df = pd.DataFrame(rows, columns=["parameter", "spearman_effect", "spearman_backfire"])
    return df.set_index("parameter").sort_values("spearman_effect", key=np.abs, ascending=False)


# ---------------------------------------------------------------------------- net assessment
@dataclass(frozen=True)
class NetAssessment(TableMixin):
    """Harm averted per unit of third-party cost, per tool (see :func:`net_assessment`).

    Examples
    --------
    >>> import atrogame as ag
    >>> net = net_assessment(["arms_embargo", "electoral_assistance"], ag.AndertonBrauer(technology="cobb_douglas"))
    >>> net
    <NetAssessment of 2 tools on anderton_brauer (civilian_deaths averted per unit cost)>
    >>> net.to_dataframe()[["tool", "status"]].values.tolist()
    [['arms_embargo', 'reduces harm'], ['electoral_assistance', 'not represented in this model']]
    """

    model: str
    outcome: str
    table: Any

    def to_dataframe(self) -> Any:
        return self.table.copy()


    def __repr__(self) -> str:
        return f"<NetAssessment of {len(self.table)} tools on {self.model} ({self.outcome} averted per unit cost)>"

    def plot(self, *, ax: Any = None) -> Any:
        from atrogame.plot.tools import net_bars

        return net_bars(self, ax=ax)


def _check_costs(cost: Mapping[str, float] | None, chosen: Sequence[str]) -> None:
    """User costs: one finite, nonnegative number per assessed tool id (misspellings are errors)."""
    import difflib

    for key, value in (cost or {}).items():
        if key not in chosen:
            close = difflib.get_close_matches(str(key), chosen, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ParameterError("cost", f"keys among the assessed tools ({', '.join(chosen)})", key,
                                 f"unknown tool{hint}")
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value) and value >= 0
        if not ok:
            raise ParameterError(f"cost[{key!r}]", "[0, inf)", value, "a finite, nonnegative cost")


def net_assessment(tools: Iterable[str | Tool] | None, model: ModelLike, *, cost: Mapping[str, float] | None = None,
                   intensity: float = 1.0, outcome: str | None = None) -> NetAssessment:
    """Harm averted per unit of third-party cost for each tool.

    ``averted`` is the fall in ``outcome`` (default: expected atrocities for Kydd–Straus,
    civilian deaths for Anderton–Brauer, the probability of war for Fearon; for the mobilisation
    model the *rise* of the tipping threshold) when the tool is applied at ``intensity``; the cost is
    the catalogue's illustrative cost per unit intensity (arbitrary units) unless ``cost`` gives
    yours. For Kydd–Straus the change in the model's own ``third_party_cost`` (inducements paid,
    interventions made) is added. A negative ``averted`` means the tool backfires at this point.

    Examples
    --------
    >>> import atrogame as ag
    >>> t = net_assessment(["naming_and_shaming", "mediation"], ag.KyddStraus()).to_dataframe()
    >>> list(t.columns)[:4]
    ['tool', 'represented', 'cost', 'averted']
    """
    import pandas as pd

    chosen = [_tool(t) for t in (tools if tools is not None else tools_registry().values())]
    _check_costs(cost, [t.id for t in chosen])
    if not (isinstance(intensity, numbers.Real) and not isinstance(intensity, bool) and math.isfinite(intensity)):
        raise ParameterError("intensity", "finite real numbers", intensity)
    default_name, default_sign = model.harm_outcome()
    net = getattr(model, "net_harm_outcome", None)
    if net:  # deaths rather than attacks where the model counts them
        default_name, default_sign = net, 1
    out_name = outcome or default_name
    sign = default_sign if out_name == default_name else 1
    extra = ["third_party_cost"] if "third_party_cost" in model.outcome_names else []
    rows = []
    for t in chosen:
        a = assess(t, model, intensity=intensity, outcomes=[out_name, *extra])
        unit = (cost or {}).get(t.id, t.cost) * intensity
        if not a.represented:
            rows.append({"tool": t.id, "represented": False, "cost": unit, "averted": np.nan,
                         "averted_per_cost": np.nan, "status": NOT_REPRESENTED})
            continue
        total = unit + (a["third_party_cost"].change if extra else 0.0)
        averted = -sign * a[out_name].change + 0.0  # + 0.0 turns -0.0 into 0.0
        rows.append({"tool": t.id, "represented": True, "cost": total, "averted": averted,
                     "averted_per_cost": averted / total if total > 0 else np.nan,
                     "status": "backfires" if averted < 0 else "reduces harm" if averted > 0 else "no effect"})
    df = pd.DataFrame(rows)
    return NetAssessment(model=model.name, outcome=out_name, table=df)
