"""The model contract: the base class every atrogame model (built-in or a researcher's) derives from.

A model is one module (see docs/how-to/writing_a_model.md). It declares:

* ``Params``: its :class:`~atrogame.core.parameters.Parameters` subclass (names, symbols,
  domains, sweep ranges; a property when the parameter set depends on a constructor choice);
* ``outcomes``: a tuple of :func:`~atrogame.core.contract.outcome` declarations (long name,
  symbol, units, role such as ``"probability"`` or ``"harm"``, ``headline``);
* ``regimes``: the labels that the integer codes of the outcome ``"regime"`` index;
* ``name`` (the registry id), ``citation``, ``reference``, ``provenance``; optionally
  ``priors`` (default sampling ranges; else each parameter's ``sweep_range``) and ``levers``
  (how catalogue tools move its parameters: ``{tool_id: (lever(...), ...)}``).

and implements a few public hooks:

* ``kernel(values)``: the closed form with numpy, taking a mapping from *every* parameter name
  to arrays that broadcast against each other and returning every outcome plus ``"regime"``.
  One kernel serves ``solve`` (0-d arrays), ``sweep`` (an open mesh) and ``evaluate``;
* ``symbolic(of, eq)`` (optional): the sympy expression of an outcome on the branch that holds
  at ``eq`` (and optionally a ``Piecewise`` over all branches); the base class differentiates
  it, decides the sign over the branch's domain and evaluates value and elasticity;
* ``branch(eq)`` (optional): what must stay fixed for a derivative to be smooth (the regime);
* ``sign(of, wrt, eq, derivative)`` (optional): a model-specific sign decision;
* ``solve_numeric()`` (optional): an independent numeric solver, ``solve(method="numeric")``;
* ``extra_attrs()`` (optional): more provenance attributes for Datasets.

A model without a closed form sets ``vectorised = False`` and overrides ``solve``; the engine
then solves point by point and records failures. Everything else (sweeps, samples,
sensitivity, statics, tools, figures, the CLI) comes from the base class and
:mod:`atrogame.engine`. :func:`atrogame.testing.check_model` checks a model against this
contract.
"""

from __future__ import annotations

import functools
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, Self, TypeVar, cast

import numpy as np
import sympy as sp

from atrogame.core.contract import Lever, Outcome
from atrogame.core.errors import ParameterError, RegimeBoundaryWarning
from atrogame.core.parameters import Parameters
from atrogame.core.results import ComparativeStatics, Equilibrium, StaticsEntry
from atrogame.core.symbolic import compile_expr, decide_sign, latex_names
from atrogame.display import RichDisplayMixin


@functools.lru_cache(maxsize=4096)
def _compiled(expr: sp.Expr, args: tuple[sp.Symbol, ...]) -> Any:
    return compile_expr(args, expr)


P = TypeVar("P", bound=Parameters)


class Model(RichDisplayMixin, Generic[P]):
    """Base class of atrogame's models (see the module docstring for the contract).

    Construct a model with keyword overrides of its default parameters (validated
    on construction), then ask it for an equilibrium, comparative statics or a sweep.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> m = Toy(benefit=3.0)
    >>> m
    Toy(benefit=3, curvature=1, threshold=1)
    >>> m.solve().x
    2.0
    >>> m.comparative_statics(of="x", wrt="threshold").sign
    'negative'
    >>> m.sweep(benefit=[0.5, 2.0, 3.0])["x"].values.tolist()
    [0.0, 1.0, 2.0]
    >>> m.with_params(threshold=4.0).solve().regime
    'corner'
    """

    #: Registry id (also the entry-point name and the CLI's model argument).
    name: ClassVar[str] = "model"
    #: Short attribution used in captions and docs, e.g. "after Kydd & Straus (2013)".
    citation: ClassVar[str] = ""
    #: Full reference with DOI.
    reference: ClassVar[str] = ""
    #: "reconstruction" (a published model re-derived by atrogame) or "original".
    provenance: ClassVar[str] = "original"
    #: The outcomes, in order (see :func:`atrogame.core.contract.outcome`).
    outcomes: ClassVar[tuple[Outcome, ...]] = ()
    #: Regime labels; the outcome ``"regime"`` holds integer codes into this tuple.
    regimes: ClassVar[tuple[str, ...]] = ()
    #: Default sampling ranges by parameter (others: their ``sweep_range``).
    priors: ClassVar[Mapping[str, tuple[float, float]]] = {}
    #: How catalogue tools move this model's parameters: ``{tool_id: (lever(...), ...)}``.
    levers: ClassVar[Mapping[str, tuple[Lever, ...]]] = {}
    #: Outcomes ``comparative_statics`` reports when ``of`` is not given (default: every outcome).
    default_statics_outcomes: ClassVar[tuple[str, ...]] = ()
    #: Whether the kernel evaluates whole arrays in one call (the default). With ``False``,
    #: sweeps solve point by point. An instance attribute, so one model may turn it off.
    vectorised: bool = True
    Params: Any = Parameters

    # derived from ``outcomes``/``regimes`` for every subclass
    outcome_names: ClassVar[tuple[str, ...]] = ()
    regime_names: ClassVar[tuple[str, ...]] = ()
    _outcome_index: ClassVar[dict[str, Outcome]] = {}

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        outs = tuple(cls.outcomes)
        for o in outs:
            if not isinstance(o, Outcome):
                raise TypeError(f"{cls.__name__}.outcomes must hold outcome(...) declarations; got {o!r}")
        names = [o.name for o in outs]
        if len(set(names)) != len(names) or "regime" in names:
            raise TypeError(f"{cls.__name__}.outcomes: names must be unique and not 'regime'; got {names}")
        cls.outcome_names = tuple(names)
        cls.regime_names = tuple(cls.regimes)
        cls._outcome_index = {o.name: o for o in outs}

    def __init__(self, params: Parameters | None = None, /, **overrides: float) -> None:
        cls_params = self.Params
        if params is None:
            try:
                params = cls_params(**overrides)
            except TypeError as exc:
                unknown = sorted(set(overrides) - set(cls_params.names()))
                if unknown:
                    raise TypeError(
                        f"unknown parameter(s) {unknown} for {type(self).__name__}; valid "
                        f"names: {', '.join(cls_params.names())}"
                    ) from None
                raise exc
            except ParameterError as exc:  # a joint rule: name a parameter the user set
                raise exc.blame(overrides) from None
        elif overrides:
            try:
                params = params.replace(**overrides)
            except ParameterError as exc:
                raise exc.blame(overrides) from None
        if not isinstance(params, cls_params):
            raise TypeError(f"params must be {cls_params.__name__}; got {type(params).__name__}")
        self._params = params

    # ------------------------------------------------------------ parameters
    @property
    def params(self) -> P:
        """The validated parameter set (typed by the subclass: ``class M(Model[MParams])``)."""
        return cast(P, self._params)

    def parameter_values(self) -> dict[str, float]:
        """Every numeric parameter as a float, by name."""
        return self._params.to_dict()

    def with_params(self, **changes: float) -> Self:
        """A new, validated model with some parameters changed (the original is untouched)."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new._params = self._params.replace(**changes)
        return new

    def __getattr__(self, name: str) -> Any:
        """Parameter values read as attributes, the same way for every model (``m.rebel_strength``)."""
        if name.startswith("_"):
            raise AttributeError(name)
        params = self.__dict__.get("_params")
        if params is not None and name in type(params).names():
            return getattr(params, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @classmethod
    def describe(cls) -> Any:
        """The parameter table (a ``pandas.DataFrame``) built from field metadata.

        Its ``sweep_range`` column is the default range that sampling, sensitivity analysis
        and the tools' backfire draws use for a parameter (the model's ``priors`` where it
        declares one, else the parameter's ``sweep_range``).
        """
        df = cls.Params.describe()
        for k, (lo, hi) in cls.priors.items():
            if k in df.index:
                df.loc[k, "sweep_range"] = f"[{float(lo):g}, {float(hi):g}]"
        return df

    def parameter_meta(self, name: str) -> Mapping[str, Any]:
        """The metadata of parameter ``name`` (symbol, domain, sweep range, long name, units, ...)."""
        return self.Params.meta(name)

    def validate_arrays(self, values: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Check arrays of parameter values (elementwise domains and joint rules); the engine's entry point."""
        return self.Params.validate_arrays(values, self.parameter_values())

    def cite(self, style: str = "bibtex") -> str:
        """References for this model and atrogame (``"bibtex"`` or ``"text"``); see :mod:`atrogame.cite`."""
        from atrogame.cite import cite

        return cite(self, style)

    def __repr__(self) -> str:
        vals = ", ".join(f"{k}={v:g}" for k, v in self.parameter_values().items())
        return f"{type(self).__name__}({vals})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), self._params))

    # ------------------------------------------------------------ metadata
    def outcome_info(self, name: str) -> Outcome:
        """The :class:`~atrogame.core.contract.Outcome` declaration of ``name``."""
        try:
            return self._outcome_index[name]
        except KeyError:
            raise KeyError(f"unknown outcome {name!r} for {self.name}; valid: {', '.join(self.outcome_names)}") \
                from None

    def headline_outcomes(self) -> tuple[str, ...]:
        """What tool assessments and the brief report by default (outcomes declared ``headline``)."""
        heads = tuple(o.name for o in self.outcomes if o.headline)
        return heads or tuple(self.default_statics_outcomes or self.outcome_names[:3])

    def harm_outcome(self) -> tuple[str, int]:
        """The outcome prevention aims to move, and +1 (a rise is harm) or -1 (a fall is)."""
        for o in self.outcomes:
            if o.role == "harm":
                return o.name, o.harm_direction
        return self.headline_outcomes()[0], 1

    def default_priors(self) -> dict[str, tuple[float, float]]:
        """Default sampling ranges: ``priors`` where declared, else each parameter's ``sweep_range``."""
        out: dict[str, tuple[float, float]] = {}
        for k in self.parameter_values():
            rng = self.priors.get(k) or self.parameter_meta(k).get("sweep_range")
            if rng is not None:
                out[k] = (float(rng[0]), float(rng[1]))
        return out

    def tool_levers(self) -> Mapping[str, tuple[Lever, ...]]:
        """The levers this model declares for catalogue tools (``{tool_id: levers}``)."""
        return self.levers

    def extra_attrs(self) -> dict[str, str]:
        """Hook: more provenance attributes for Datasets (e.g. a chosen technology)."""
        return {}

    # ------------------------------------------------------------ hooks
    def kernel(self, values: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Hook: the vectorised closed form (every outcome plus ``"regime"`` codes)."""
        raise NotImplementedError(f"{type(self).__name__} has no vectorised closed form")

    def fused_kernel(self, values: Mapping[str, np.ndarray], wanted: Sequence[str]
                     ) -> tuple[Mapping[str, Any], Mapping[str, tuple[float, float]]] | None:
        """Hook: the kernel and the range check of its inputs in one pass, or ``None``.

        ``values`` holds every parameter (arrays of one length, or scalars). A model whose
        kernel can reduce each input's minimum and maximum while it reads it (a compiled loop,
        see :mod:`atrogame.accel`) returns ``(outputs, {name: (low, high)})``, a range enclosing
        each input's values (its minimum and maximum, or a wider range such as that of several
        inputs with one domain), with NaN bounds for an input holding a NaN or ±inf. The range
        and joint checks then run on those bounds instead of a second pass over the arrays
        (:meth:`compute_validated`); bounds that do not prove an input valid send it to the exact
        elementwise check, so a wider range costs speed only when it leaves the domain.
        ``outputs`` holds ``wanted`` (which includes ``"regime"``). ``None`` (the default)
        means "not for this input": the arrays are validated first and :meth:`compute`
        evaluates them.
        """
        return None

    def solve_numeric(self) -> Equilibrium:
        """Hook: an independent numeric solution (``solve(method="numeric")``)."""
        raise NotImplementedError(f"{type(self).__name__} has no numeric solver")

    def symbolic(self, of: str, eq: Equilibrium) -> tuple[sp.Expr, sp.Expr | None]:
        """Hook: (sympy expression valid on ``eq``'s branch, optional Piecewise over all branches)."""
        raise NotImplementedError(f"{type(self).__name__} has no symbolic form for {of}")

    def branch(self, eq: Equilibrium) -> Any:
        """Hook: what must stay fixed for a derivative to be smooth (the regime by default)."""
        return eq.regime

    def sign(self, of: str, wrt: str, eq: Equilibrium, derivative: sp.Expr) -> str:
        """Hook: the sign of ``derivative`` over the branch's domain (sympy's decision by default)."""
        return decide_sign(derivative)

    def has_symbolic(self) -> bool:
        """Whether this model implements :meth:`symbolic`."""
        return type(self).symbolic is not Model.symbolic

    def has_numeric(self) -> bool:
        """Whether this model implements :meth:`solve_numeric`."""
        return type(self).solve_numeric is not Model.solve_numeric

    def _full_values(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = dict(self.parameter_values())
        values.update(changes)
        return values

    # ------------------------------------------------------------ solve
    def solve(self, method: str = "auto") -> Equilibrium:
        """Solve the model at its parameters.

        ``method``: ``"auto"``/``"closed_form"`` (the kernel on scalars) or ``"numeric"`` (the
        model's independent numeric solver, when it has one).
        """
        if method == "numeric" and self.has_numeric():
            return self.solve_numeric()
        allowed = ("auto", "closed_form", "numeric") if self.has_numeric() else ("auto", "closed_form")
        if method not in allowed:
            raise ValueError(f"method must be one of {', '.join(repr(a) for a in allowed)} for {self.name}; "
                             f"got {method!r}")
        values = {k: np.asarray(v, dtype=float) for k, v in self.parameter_values().items()}
        out = self.kernel(values)
        return self._equilibrium_from(out, method="closed_form")

    def _equilibrium_from(self, out: Mapping[str, Any], method: str, **info: Any) -> Equilibrium:
        outcomes = {k: float(np.asarray(out[k])) for k in self.outcome_names}
        code = int(np.asarray(out["regime"]))
        extra = {k: v for k, v in out.items() if k not in outcomes and k != "regime"}
        unique = bool(np.asarray(extra.pop("unique", True)))
        info = {**{k: _scalar(v) for k, v in extra.items()}, **info}
        return Equilibrium(
            model=self.name,
            parameters=self._result_parameters(),
            outcomes=outcomes,
            regime=self.regime_names[code],
            method=method,
            unique=unique,
            info=info,
        )

    def _result_parameters(self) -> dict[str, Any]:
        return self.parameter_values()

    # ------------------------------------------------------------ engine front ends
    def compute_validated(self, arrays: Mapping[str, Any], shape: tuple[int, ...], wanted: Sequence[str],
                          progress: bool = False) -> tuple[dict[str, np.ndarray], dict[str, Any], list[Any]]:
        """Validate ``arrays`` and compute ``wanted``: the engine's entry point for designs.

        Returns the validated float arrays, the outcomes (broadcast to ``shape``) and the
        failed points. When :meth:`fused_kernel` evaluates the input, the range check uses
        the minima and maxima it reduced in the same pass; a large flat design of a vectorised
        model is validated and computed slab by slab while each slab is in cache
        (:func:`atrogame.engine.validate_compute_blocked`); otherwise this is
        :meth:`validate_arrays` followed by :meth:`compute`. Either way an invalid value
        raises :class:`~atrogame.core.errors.ParameterError` naming the parameter.

        Examples
        --------
        >>> from atrogame.testing.models import Toy
        >>> cols, res, failures = Toy().compute_validated({"benefit": np.array([0.5, 3.0])}, (2,), ["x"])
        >>> res["x"].tolist(), failures
        ([0.0, 2.0], [])
        """
        fused = None
        if self.vectorised and type(self).fused_kernel is not Model.fused_kernel:
            cols = self.Params.convert_arrays(arrays)
            fused = self.fused_kernel(self._full_values(cols), wanted)
        if fused is None:
            from atrogame import engine

            if self.vectorised and type(self).validate_arrays is Model.validate_arrays:
                done = engine.validate_compute_blocked(self, arrays, shape, wanted)
                if done is not None:
                    return done
            cols = self.validate_arrays(arrays)
            res, failures = engine.compute(self, cols, shape, wanted, progress=progress)  # threads, if set
            return cols, res, failures
        out, rng = fused
        mn = np.array([rng[k][0] for k in cols], dtype=float)
        mx = np.array([rng[k][1] for k in cols], dtype=float)
        self.Params.check_arrays(cols, self.parameter_values(), bounds=(mn, mx))
        return cols, {w: np.broadcast_to(out[w], shape) for w in wanted}, []

    def compute(self, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...], wanted: Sequence[str],
                progress: bool = False) -> tuple[dict[str, np.ndarray], list[Any]]:
        """Outcomes where ``arrays`` broadcast to ``shape``, and the points that failed.

        A vectorised model makes one kernel call; otherwise each point is solved in turn
        (:func:`atrogame.engine.solve_points`). Failed points are NaN in every outcome and in
        ``regime`` and are returned as :class:`atrogame.engine.Failure` records.
        """
        from atrogame import engine

        if self.vectorised:
            out = self.kernel(self._full_values(arrays))
            return {w: np.broadcast_to(out[w], shape) for w in wanted}, []
        return engine.solve_points(self, arrays, shape, wanted, progress=progress)

    def evaluate(self, X: Any, names: Sequence[str], outcome: str | Sequence[str]) -> np.ndarray:
        """Evaluate outcome(s) at the rows of ``X`` (``N × len(names)``), SALib-style.

        Returns shape ``(N,)`` for one outcome, ``(N, k)`` for a list of ``k`` outcomes.
        The regime is available as the outcome ``"regime"`` (integer codes).

        Examples
        --------
        >>> from atrogame.testing.models import Toy
        >>> Toy().evaluate([[3.0], [0.5]], ["benefit"], ["x", "regime"]).tolist()
        [[2.0, 1.0], [0.0, 0.0]]
        """
        from atrogame import engine

        return engine.evaluate(self, X, names, outcome)

    def sweep(self, *, outcomes: Sequence[str] | None = None, chunks: Any = None, client: Any = None,
              progress: bool | None = None, **grid: Any) -> Any:
        """Solve on the full factorial grid of the given coordinates; returns ``xarray.Dataset``.

        Each keyword is a parameter name with a 1-D array of values; it becomes a
        dimension. Parameters not given keep the model's values. Every outcome is a data
        variable carrying ``long_name``/``units``/``symbol`` attrs, and ``regime`` holds
        integer codes with CF ``flag_values``/``flag_meanings``.

        A closed-form model is evaluated in one vectorised call. A model solved point by
        point (``vectorised = False``) shows a progress bar (when stderr is a terminal,
        or with ``progress=True``), and every point that fails is NaN *and* recorded: the
        int8 variable ``failed``, ``ds.attrs["failures"]`` (JSON: index, point, error) and
        one :class:`atrogame.engine.PointFailureWarning`.

        ``chunks`` (``"auto"``, an int, or a dict by swept parameter) returns a lazy,
        dask-backed Dataset evaluated block by block (memory bounded; nothing runs until
        it is computed or written); ``client`` (a ``dask.distributed.Client``) runs the
        blocks on that cluster and returns the Dataset persisted there. Results do not
        depend on chunking. Dask is imported only then.

        Examples
        --------
        >>> from atrogame.testing.models import Toy
        >>> ds = Toy().sweep(benefit=[1.0, 2.0, 3.0], threshold=[0.0, 1.0])
        >>> ds["x"].values.tolist()
        [[1.0, 0.0], [2.0, 1.0], [3.0, 2.0]]
        >>> lazy = Toy().sweep(benefit=[1.0, 2.0, 3.0], threshold=[0.0, 1.0], chunks={"benefit": 2})
        >>> lazy["x"].chunks
        ((2, 1), (2,))
        >>> bool((lazy["x"].compute() == ds["x"]).all())
        True
        """
        from atrogame import engine

        return engine.sweep(self, grid, outcomes=outcomes, chunks=chunks, client=client, progress=progress)

    def sample(self, priors: Any = None, n: int = 1024, seed: int | np.random.Generator | None = None,
               method: str = "random", *, outcomes: Sequence[str] | None = None, chunks: Any = None,
               client: Any = None, progress: bool | None = None) -> Any:
        """Solve at ``n`` points drawn from ``priors``; returns an ``xarray.Dataset``.

        Parameters
        ----------
        priors:
            Maps parameter names to ``(low, high)`` (uniform), to a scipy.stats frozen
            distribution (drawn through its ``ppf``), or to ``None`` (uniform on the model's
            default range, :meth:`default_priors`); a list of names means ``None`` for each;
            ``None`` samples every parameter on its default range.
            Parameters not named keep the model's values.
        n:
            Number of points.
        seed:
            Makes the design reproducible; ``None`` draws a fresh seed, which is recorded
            in ``ds.attrs["seed"]`` so the run can be repeated.
        method:
            ``"random"`` (independent draws), ``"latin"`` (Latin hypercube) or
            ``"sobol"`` (scrambled Sobol sequence; ``n`` should be a power of 2), via
            ``scipy.stats.qmc``.
        outcomes, chunks, client, progress:
            As in :meth:`sweep`.

        Returns
        -------
        xarray.Dataset
            Dimension ``sample``; the sampled parameters are coordinates along it;
            every outcome and ``regime`` are variables; attrs record the model, the fixed
            parameters, the atrogame version, the design, the seed and the priors.

        Examples
        --------
        >>> from atrogame.testing.models import Toy
        >>> ds = Toy().sample({"benefit": (1.0, 3.0), "threshold": (0.0, 2.0)}, n=4, seed=0)
        >>> list(ds.coords), ds.attrs["design"]
        (['sample', 'benefit', 'threshold'], 'random')
        >>> bool((ds["x"] == (ds["benefit"] - ds["threshold"]).clip(min=0)).all())
        True
        """
        from atrogame import engine

        if priors is None:
            priors = list(self.sensitivity_parameters())
        return engine.sample(self, priors, n, seed, method, outcomes=outcomes, chunks=chunks, client=client,
                             progress=progress)

    def sensitivity(self, outcome: str, method: str = "sobol", bounds: Any = None, n: int = 1024,
                    seed: int | None = None, regime: str | None = None, **kwargs: Any) -> Any:
        """Global sensitivity of ``outcome`` to the parameters (SALib); see :func:`atrogame.sensitivity.analyze`.

        Examples
        --------
        >>> from atrogame.testing.models import Toy
        >>> si = Toy().sensitivity("x", bounds={"benefit": (3, 5), "threshold": (0, 1)}, n=256, seed=0)
        >>> si.to_dataframe()["S1"].round(1).tolist()
        [0.8, 0.2]
        """
        from atrogame.sensitivity import analyze

        return analyze(self, outcome, method=method, bounds=bounds, n=n, seed=seed, regime=regime, **kwargs)

    def sensitivity_parameters(self) -> tuple[str, ...]:
        """Parameters a sensitivity analysis varies by default (all numeric parameters)."""
        return tuple(self.parameter_values())

    def regime_label(self, codes: Any) -> np.ndarray:
        """Map integer regime codes (as stored by ``sweep``) to their labels."""
        names = np.asarray((*self.regime_names, "undefined"), dtype=object)
        c = np.asarray(codes, dtype=int)
        return names[np.where(c < 0, len(self.regime_names), c)]

    # ------------------------------------------------------------ comparative statics
    def statics_parameters(self) -> tuple[str, ...]:
        """Parameters ``comparative_statics`` accepts (all numeric parameters by default)."""
        return tuple(self.parameter_values())

    def comparative_statics(self, wrt: str | Sequence[str] | None = None,
                            of: str | Sequence[str] | None = None) -> ComparativeStatics:
        """Derivatives of outcomes with respect to parameters at this parameter point.

        For each ``(of, wrt)`` pair: the sympy derivative, its sign over the branch's
        whole domain as far as sympy can decide (else ``"ambiguous"``), its value here,
        the elasticity (``None`` when the outcome is 0) and ``boundary=True`` when this
        point sits on a regime boundary (a central difference would mix two regimes).
        """
        from atrogame.engine import check_outcomes

        wrts = list(self.statics_parameters()) if wrt is None else ([wrt] if isinstance(wrt, str) else list(wrt))
        ofs = (list(self.default_statics_outcomes or self.outcome_names) if of is None
               else ([of] if isinstance(of, str) else list(of)))
        check_outcomes(self, ofs)
        valid = self.statics_parameters()
        for w in wrts:
            if w not in valid:
                raise KeyError(f"cannot differentiate with respect to {w!r}; valid: {', '.join(valid)}")
        eq = self.solve()
        entries = tuple(self._statics_entry(o, w, eq) for o in ofs for w in wrts)
        from atrogame.core.signs import with_numeric_verdicts  # "ambiguous" proofs get a numeric verdict

        return with_numeric_verdicts(self, ComparativeStatics(model=self.name, parameters=eq.parameters,
                                                              entries=entries, latex_names=self._latex_names()))

    def _latex_names(self) -> Mapping[Any, str]:
        return latex_names(self.Params)

    def _symbols(self) -> dict[str, sp.Symbol]:
        return self.Params.symbols()

    def _statics_entry(self, of: str, wrt: str, eq: Equilibrium) -> StaticsEntry:
        local, full = self.symbolic(of, eq)
        syms = self._symbols()
        sym = syms[wrt]
        d_local = sp.diff(local, sym)
        d_full = sp.diff(full, sym) if full is not None else d_local
        sign = self.sign(of, wrt, eq, d_local)
        args = tuple(sorted(d_local.free_symbols, key=lambda s: s.name))
        vals = self._symbol_values(eq)
        value = float(_compiled(d_local, args)(*(vals[a.name] for a in args))) if args else float(d_local)
        boundary = self.at_boundary(wrt)
        return StaticsEntry(outcome=of, wrt=wrt, derivative=d_full, sign=sign, value=value,
                            elasticity=elasticity(value, vals.get(wrt, math.nan), eq[of]),
                            regime=eq.regime, boundary=boundary)

    def _symbol_values(self, eq: Equilibrium) -> dict[str, float]:
        return dict(self.parameter_values())

    # ------------------------------------------------------------ finite differences
    def _step(self, wrt: str, rel_step: float) -> tuple[float, float]:
        x = self.parameter_values()[wrt]
        h = rel_step * max(abs(x), 1e-3)
        interval = self.parameter_meta(wrt)["interval"]
        lo = x - h if (x - h) in interval else x
        hi = x + h if (x + h) in interval else x
        return lo, hi

    def finite_difference(self, of: str, wrt: str, rel_step: float = 1e-6) -> tuple[float, bool]:
        """Central difference of ``of`` in ``wrt``; also whether it straddles a branch change.

        One-sided at the edge of the parameter's domain.
        """
        lo, hi = self._step(wrt, rel_step)
        e_lo = self.with_params(**{wrt: lo}).solve()
        e_hi = self.with_params(**{wrt: hi}).solve()
        crosses = self.branch(e_lo) != self.branch(e_hi)
        if crosses:
            warnings.warn(
                f"finite difference of {of} in {wrt} straddles a regime boundary "
                f"({self.branch(e_lo)} / {self.branch(e_hi)})",
                RegimeBoundaryWarning, stacklevel=2)
        return (e_hi[of] - e_lo[of]) / (hi - lo), crosses

    def at_boundary(self, wrt: str, rel_step: float = 1e-7) -> bool:
        """Whether a small move of ``wrt`` either way changes the branch."""
        lo, hi = self._step(wrt, rel_step)
        here = self.branch(self.solve())
        return any(self.branch(self.with_params(**{wrt: v}).solve()) != here for v in (lo, hi))

    # ------------------------------------------------------------ plotting
    def plot(self, x: str, y: str, *, values: Any = None, ax: Any = None, **kw: Any) -> Any:
        """Plot outcome ``y`` against parameter ``x`` (a one-line forward to ``atrogame.plot``)."""
        from atrogame.plot import sweep as plot_sweep

        if values is None:
            lo, hi = self.parameter_meta(x)["sweep_range"]
            values = np.linspace(lo, hi, 201)
        return plot_sweep(self.sweep(**{x: values}), x=x, y=y, ax=ax, **kw)


def elasticity(derivative: float, x: float, y: float) -> float | None:
    """The elasticity ``dy/dx · x / y`` from a derivative, or ``None`` where ``y`` is 0 or not finite.

    Examples
    --------
    >>> elasticity(2.0, 3.0, 4.0)
    1.5
    >>> elasticity(2.0, 3.0, 0.0) is None
    True
    """
    value = derivative
    if y == 0 or not math.isfinite(y) or not math.isfinite(value):
        return None
    return value * x / y


def _scalar(v: Any) -> Any:
    arr = np.asarray(v)
    if arr.ndim == 0:
        return arr.item()
    return v
