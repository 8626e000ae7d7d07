"""The model base class: ``solve``, ``comparative_statics``, ``sweep`` and ``evaluate``.

A model supplies three things:

* ``Params``: its :class:`~atrogame.core.parameters.Parameters` subclass (a class
  attribute, or a property when the parameter set depends on a constructor choice such
  as Anderton–Brauer's technology);
* ``_kernel(values)``: the closed-form solution written with numpy, taking a mapping
  from *every* parameter name to arrays that broadcast against each other and returning
  every outcome plus ``"regime"`` (integer codes into ``regime_names``). One kernel
  serves ``solve`` (0-d arrays), ``sweep`` (one axis per swept parameter, no meshgrid)
  and ``evaluate`` (one column per parameter), so a sweep is one vectorised call;
* ``_symbolic(of, eq)``: the sympy expression of an outcome in the branch that holds
  at ``eq`` (and optionally a ``Piecewise`` over all branches), from a derivation cached
  once per process. The base class differentiates it, decides the sign with sympy, and
  evaluates value and elasticity.

Models without a closed form set ``vectorised = False`` and implement ``solve``; the
base class then loops over points (see :meth:`Model.sweep`).
"""

from __future__ import annotations

import functools
import json
import math
import warnings
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, Generic, Self, TypeVar, cast

import numpy as np
import sympy as sp

from atrogame.core.errors import RegimeBoundaryWarning
from atrogame.core.parameters import Parameters
from atrogame.core.results import ComparativeStatics, Equilibrium, StaticsEntry
from atrogame.core.symbolic import compile_expr, decide_sign, latex_names


@functools.lru_cache(maxsize=4096)
def _compiled(expr: sp.Expr, args: tuple[sp.Symbol, ...]) -> Any:
    return compile_expr(args, expr)


P = TypeVar("P", bound=Parameters)


class Model(Generic[P]):
    """Base class of atrogame's models (see the module docstring for the contract).

    Construct a model with keyword overrides of its default parameters (validated
    on construction), then ask it for an equilibrium, comparative statics or a sweep.

    Examples
    --------
    >>> from atrogame.models.toy import Toy
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

    name: ClassVar[str] = "model"
    #: Short attribution used in captions and docs, e.g. "after Kydd & Straus (2013)".
    citation: ClassVar[str] = ""
    #: Full reference with DOI.
    reference: ClassVar[str] = ""
    provenance: ClassVar[str] = "reconstruction"
    outcome_names: ClassVar[tuple[str, ...]] = ()
    regime_names: ClassVar[tuple[str, ...]] = ()
    #: Per-outcome metadata: long_name, symbol (LaTeX), units.
    outcome_meta: ClassVar[Mapping[str, Mapping[str, str]]] = {}
    #: Outcomes ``comparative_statics`` reports when ``of`` is not given.
    default_statics_outcomes: ClassVar[tuple[str, ...]] = ()
    #: False: sweeps solve point by point. Not a ClassVar: a model may turn it off per instance.
    vectorised: bool = True
    Params: Any = Parameters

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
        elif overrides:
            params = params.replace(**overrides)
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

    @classmethod
    def describe(cls) -> Any:
        """The parameter table (a ``pandas.DataFrame``) built from field metadata."""
        return cls.Params.describe()

    def parameter_meta(self, name: str) -> Mapping[str, Any]:
        return self.Params.meta(name)

    def __repr__(self) -> str:
        vals = ", ".join(f"{k}={v:g}" for k, v in self.parameter_values().items())
        return f"{type(self).__name__}({vals})"

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), self._params))

    # ------------------------------------------------------------ kernel
    def _kernel(self, values: Mapping[str, Any]) -> dict[str, np.ndarray]:
        raise NotImplementedError(f"{type(self).__name__} has no vectorised closed form")

    def _validate_arrays(self, values: Mapping[str, Any]) -> dict[str, np.ndarray]:
        return self.Params.validate_arrays(values, self.parameter_values())

    def _full_values(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = dict(self.parameter_values())
        values.update(changes)
        return values

    # ------------------------------------------------------------ solve
    def solve(self, method: str = "auto") -> Equilibrium:
        """Solve the model at its parameters (closed form, vectorised kernel on scalars)."""
        if method not in ("auto", "closed_form"):
            raise ValueError(f"method must be 'auto' or 'closed_form' for {self.name}; got {method!r}")
        values = {k: np.asarray(v, dtype=float) for k, v in self.parameter_values().items()}
        out = self._kernel(values)
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

    # ------------------------------------------------------------ evaluate / sweep
    def evaluate(self, X: Any, names: Sequence[str], outcome: str | Sequence[str]) -> np.ndarray:
        """Evaluate outcome(s) at the rows of ``X`` (``N × len(names)``), SALib-style.

        Returns shape ``(N,)`` for one outcome, ``(N, k)`` for a list of ``k`` outcomes.
        The regime is available as the outcome ``"regime"`` (integer codes).
        """
        X = np.asarray(X, dtype=float)
        if X.ndim != 2 or X.shape[1] != len(names):
            raise ValueError(f"X must have shape (N, {len(names)}); got {X.shape}")
        single = isinstance(outcome, str)
        wanted: list[str] = [outcome] if isinstance(outcome, str) else list(outcome)
        self._check_outcomes(wanted)
        cols = self._validate_arrays({n: X[:, j] for j, n in enumerate(names)})
        res = self._run(cols, (X.shape[0],), wanted)
        from atrogame.core.arrays import stack_columns

        stacked = stack_columns([np.broadcast_to(res[w], (X.shape[0],)) for w in wanted])
        return stacked[:, 0] if single else stacked

    def _check_outcomes(self, wanted: Sequence[str]) -> None:
        valid = (*self.outcome_names, "regime")
        bad = [w for w in wanted if w not in valid]
        if bad:
            raise KeyError(f"unknown outcome(s) {bad} for {self.name}; valid: {', '.join(valid)}")

    def _run(self, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...],
             wanted: Sequence[str]) -> dict[str, np.ndarray]:
        """Evaluate the model where ``arrays`` broadcast to ``shape`` (warns if points fail)."""
        res, failures = self._compute(arrays, shape, wanted)
        if failures:
            from atrogame.sampling import warn_failures

            warn_failures(failures, math.prod(shape), where="the NaN entries of the result", stacklevel=4)
        return res

    def _compute(self, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...], wanted: Sequence[str],
                 progress: bool = False) -> tuple[dict[str, np.ndarray], list[Any]]:
        """Outcomes where ``arrays`` broadcast to ``shape``, and the points that failed.

        A vectorised model makes one kernel call; otherwise each point is solved in turn
        (see :meth:`_solve_points`). Failed points are NaN in every outcome and in
        ``regime``, and are returned as :class:`atrogame.sampling.Failure` records.
        """
        if self.vectorised:
            out = self._kernel(self._full_values(arrays))
            return {w: np.broadcast_to(out[w], shape) for w in wanted}, []
        return self._solve_points(arrays, shape, wanted, progress=progress)

    def _solve_points(self, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...], wanted: Sequence[str],
                      progress: bool = False) -> tuple[dict[str, np.ndarray], list[Any]]:
        """Solve point by point (``vectorised = False``), recording every failure and why."""
        from atrogame.sampling import Failure

        bcast = {k: np.broadcast_to(v, shape) for k, v in arrays.items()}
        res = {w: np.full(shape, np.nan) for w in wanted}
        failures: list[Failure] = []
        points: Any = np.ndindex(*shape)
        if progress:
            from tqdm.auto import tqdm

            points = tqdm(points, total=math.prod(shape), desc=f"{self.name}: solving", unit="pt")
        for idx in points:
            point = {k: float(v[idx]) for k, v in bcast.items()}
            try:
                eq = self.with_params(**point).solve()
                vals = [self.regime_names.index(eq.regime) if w == "regime" else eq[w] for w in wanted]
            except Exception as exc:  # recorded and reported, never silent
                failures.append(Failure(idx, point, f"{type(exc).__name__}: {exc}"))
                continue
            for w, v in zip(wanted, vals, strict=True):
                res[w][idx] = v
        return res, failures

    def _run_pointwise(self, arrays: Mapping[str, np.ndarray], shape: tuple[int, ...],
                       wanted: Sequence[str]) -> dict[str, np.ndarray]:
        res, failures = self._solve_points(arrays, shape, wanted)
        self._last_failures = [(f.point, f.error) for f in failures]
        return res

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
        one :class:`atrogame.sampling.PointFailureWarning`.

        ``chunks`` (``"auto"``, an int, or a dict by swept parameter) returns a lazy,
        dask-backed Dataset evaluated block by block (memory bounded; nothing runs until
        it is computed or written); ``client`` (a ``dask.distributed.Client``) runs the
        blocks on that cluster and returns the Dataset persisted there. Results do not
        depend on chunking. Dask is imported only then.

        Examples
        --------
        >>> from atrogame.models.toy import Toy
        >>> ds = Toy().sweep(benefit=[1.0, 2.0, 3.0], threshold=[0.0, 1.0])
        >>> ds["x"].values.tolist()
        [[1.0, 0.0], [2.0, 1.0], [3.0, 2.0]]
        >>> lazy = Toy().sweep(benefit=[1.0, 2.0, 3.0], threshold=[0.0, 1.0], chunks={"benefit": 2})
        >>> lazy["x"].chunks
        ((2, 1), (2,))
        >>> bool((lazy["x"].compute() == ds["x"]).all())
        True
        """
        import xarray as xr

        if not grid:
            raise TypeError("sweep needs at least one parameter grid, e.g. sweep(resources=[50, 100])")
        wanted = list(outcomes) if outcomes is not None else list(self.outcome_names)
        self._check_outcomes(wanted)
        coords = {k: np.atleast_1d(np.asarray(v, dtype=float)) for k, v in grid.items()}
        for k, v in coords.items():
            if v.ndim != 1:
                raise ValueError(f"grid for {k} must be one-dimensional; got shape {v.shape}")
        dims = list(coords)
        shape = tuple(coords[d].size for d in dims)
        arrays = {}  # the open mesh: one axis per swept parameter, broadcasting, never a meshgrid
        for i, d in enumerate(dims):
            s = [1] * len(dims)
            s[i] = shape[i]
            arrays[d] = coords[d].reshape(s)
        self._validate_arrays(arrays)  # joint rules (e.g. a < b) then hold at every grid point
        fixed = [k for k in self.parameter_values() if k not in coords]
        if chunks is not None or client is not None:
            from atrogame.sampling import chunked_grid

            return chunked_grid(self, coords, wanted, "auto" if chunks is None else chunks, client, fixed)
        from atrogame.sampling import compute, progress_enabled

        res, failures = compute(self, arrays, shape, [*wanted, "regime"], progress=progress_enabled(progress))
        data_vars = self._data_vars(dims, shape, wanted, res, failures)
        ds = xr.Dataset(data_vars, coords={d: (d, coords[d], self._param_attrs(d)) for d in dims})
        ds.attrs.update(self._dataset_attrs(fixed=fixed))
        self._attach_failures(ds, failures, math.prod(shape))
        return ds

    def sample(self, priors: Any, n: int, seed: int | np.random.Generator | None = None,
               method: str = "random", *, outcomes: Sequence[str] | None = None, chunks: Any = None,
               client: Any = None, progress: bool | None = None) -> Any:
        """Solve at ``n`` points drawn from ``priors``; returns an ``xarray.Dataset``.

        Parameters
        ----------
        priors:
            Maps parameter names to ``(low, high)`` (uniform), to a scipy.stats frozen
            distribution (drawn through its ``ppf``), or to ``None`` (uniform on the
            parameter's ``sweep_range``); a list of names means ``None`` for each.
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
        >>> from atrogame.models.toy import Toy
        >>> ds = Toy().sample({"benefit": (1.0, 3.0), "threshold": (0.0, 2.0)}, n=4, seed=0)
        >>> list(ds.coords), ds.attrs["design"]
        (['sample', 'benefit', 'threshold'], 'random')
        >>> bool((ds["x"] == (ds["benefit"] - ds["threshold"]).clip(min=0)).all())
        True
        """
        import xarray as xr

        from atrogame import sampling as S

        if method not in S.SAMPLE_METHODS:
            raise ValueError(f"method must be one of {', '.join(S.SAMPLE_METHODS)}; got {method!r}")
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
            raise ValueError(f"n must be a positive integer; got {n!r}")
        n = int(n)
        wanted = list(outcomes) if outcomes is not None else list(self.outcome_names)
        self._check_outcomes(wanted)
        pri = S.resolve_priors(self, priors)
        seed_ = S.resolve_seed(seed)
        if method == "sobol" and n & (n - 1):
            warnings.warn(f"a Sobol design keeps its balance properties only when n is a power of 2; got n={n}",
                          UserWarning, stacklevel=2)
        fixed = [k for k in self.parameter_values() if k not in pri]
        attrs = {**self._dataset_attrs(fixed=fixed), "design": method, "seed": seed_, "n": n,
                 "priors": json.dumps({k: p.describe() for k, p in pri.items()})}
        if chunks is not None or client is not None:
            return S.chunked_sample(self, tuple(pri.values()), n, seed_, method, wanted,
                                    "auto" if chunks is None else chunks, client, attrs)
        X = S._transform(S.unit_design(method, len(pri), n, seed_), tuple(pri.values()))
        cols = self._validate_arrays({k: X[:, j] for j, k in enumerate(pri)})
        res, failures = S.compute(self, cols, (n,), [*wanted, "regime"], progress=S.progress_enabled(progress))
        data_vars = self._data_vars(["sample"], (n,), wanted, res, failures)
        coords: dict[str, Any] = {"sample": ("sample", np.arange(n), {"long_name": "sample index"})}
        coords.update({k: ("sample", cols[k], self._param_attrs(k)) for k in pri})
        ds = xr.Dataset(data_vars, coords=coords)
        ds.attrs.update(attrs)
        self._attach_failures(ds, failures, n)
        return ds

    def sensitivity(self, outcome: str, method: str = "sobol", bounds: Any = None, n: int = 1024,
                    seed: int | None = None, regime: str | None = None, **kwargs: Any) -> Any:
        """Global sensitivity of ``outcome`` to the parameters (SALib); see :func:`atrogame.sensitivity.analyze`.

        Examples
        --------
        >>> from atrogame.models.toy import Toy
        >>> si = Toy().sensitivity("x", bounds={"benefit": (3, 5), "threshold": (0, 1)}, n=256, seed=0)
        >>> si.to_dataframe()["S1"].round(1).tolist()
        [0.8, 0.2]
        """
        from atrogame.sensitivity import analyze

        return analyze(self, outcome, method=method, bounds=bounds, n=n, seed=seed, regime=regime, **kwargs)

    def sensitivity_parameters(self) -> tuple[str, ...]:
        """Parameters a sensitivity analysis varies by default (all numeric parameters)."""
        return tuple(self.parameter_values())

    # ------------------------------------------------------------ Dataset building
    def _data_vars(self, dims: Sequence[str], shape: tuple[int, ...], wanted: Sequence[str],
                   res: Mapping[str, Any], failures: Sequence[Any]) -> dict[str, Any]:
        dims = list(dims)
        data_vars: dict[str, Any] = {}
        for w in wanted:
            data_vars[w] = (dims, _materialise(res[w], shape, float), self._outcome_attrs(w))
        data_vars["regime"] = (dims, _regime_codes(res["regime"], shape), self._regime_attrs())
        if not self.vectorised:
            flag = np.zeros(shape, dtype=np.int8)
            for f in failures:
                flag[f.index] = 1
            data_vars["failed"] = (dims, flag, _FAILED_ATTRS)
        return data_vars

    def _attach_failures(self, ds: Any, failures: Sequence[Any], total: int) -> None:
        if self.vectorised:
            return
        from atrogame.sampling import failures_json, warn_failures

        ds.attrs["n_failed"] = len(failures)
        ds.attrs["failures"] = failures_json(failures)
        warn_failures(failures, total, stacklevel=4)

    def _outcome_attrs(self, name: str) -> dict[str, str]:
        meta = dict(self.outcome_meta.get(name, {}))
        return {"long_name": meta.get("long_name", name.replace("_", " ")),
                "units": meta.get("units", ""), "symbol": meta.get("symbol", name)}

    def _param_attrs(self, name: str) -> dict[str, str]:
        m = self.parameter_meta(name)
        return {"long_name": m["long_name"], "units": m["units"], "symbol": m["latex"]}

    def _regime_attrs(self) -> dict[str, Any]:
        return {"long_name": "regime", "flag_values": list(range(len(self.regime_names))),
                "flag_meanings": " ".join(self.regime_names)}

    def _dataset_attrs(self, fixed: Sequence[str]) -> dict[str, Any]:
        from atrogame import __version__

        vals = self.parameter_values()
        return {
            "model": self.name,
            "citation": self.citation,
            "reference": self.reference,
            "provenance": self.provenance,
            "atrogame_version": __version__,
            "parameters": json.dumps({k: vals[k] for k in fixed}),
            **self._extra_attrs(),
        }

    def _extra_attrs(self) -> dict[str, str]:
        return {}

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
        wrts = list(self.statics_parameters()) if wrt is None else ([wrt] if isinstance(wrt, str) else list(wrt))
        ofs = (list(self.default_statics_outcomes or self.outcome_names) if of is None
               else ([of] if isinstance(of, str) else list(of)))
        self._check_outcomes(ofs)
        valid = self.statics_parameters()
        for w in wrts:
            if w not in valid:
                raise KeyError(f"cannot differentiate with respect to {w!r}; valid: {', '.join(valid)}")
        eq = self.solve()
        entries = tuple(self._statics_entry(o, w, eq) for o in ofs for w in wrts)
        return ComparativeStatics(model=self.name, parameters=eq.parameters, entries=entries,
                                  latex_names=self._latex_names())

    def _latex_names(self) -> Mapping[Any, str]:
        return latex_names(self.Params)

    def _symbolic(self, of: str, eq: Equilibrium) -> tuple[sp.Expr, sp.Expr | None]:
        """(expression valid in ``eq``'s branch, optional Piecewise over all branches)."""
        raise NotImplementedError(f"{type(self).__name__} has no symbolic form for {of}")

    def _symbols(self) -> dict[str, sp.Symbol]:
        return self.Params.symbols()

    def _statics_entry(self, of: str, wrt: str, eq: Equilibrium) -> StaticsEntry:
        local, full = self._symbolic(of, eq)
        syms = self._symbols()
        sym = syms[wrt]
        d_local = sp.diff(local, sym)
        d_full = sp.diff(full, sym) if full is not None else d_local
        sign = self._sign(of, wrt, eq, d_local)
        args = tuple(sorted(d_local.free_symbols, key=lambda s: s.name))
        vals = self._symbol_values(eq)
        value = float(_compiled(d_local, args)(*(vals[a.name] for a in args))) if args else float(d_local)
        boundary = self.at_boundary(wrt)
        return StaticsEntry(outcome=of, wrt=wrt, derivative=d_full, sign=sign, value=value,
                            elasticity=_elasticity(value, vals.get(wrt, math.nan), eq[of]),
                            regime=eq.regime, boundary=boundary)

    def _symbol_values(self, eq: Equilibrium) -> dict[str, float]:
        return dict(self.parameter_values())

    def _sign(self, of: str, wrt: str, eq: Equilibrium, derivative: sp.Expr) -> str:
        return decide_sign(derivative)

    # ------------------------------------------------------------ finite differences
    def _branch(self, eq: Equilibrium) -> Any:
        """What must stay fixed for a derivative to be smooth (the regime by default)."""
        return eq.regime

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
        crosses = self._branch(e_lo) != self._branch(e_hi)
        if crosses:
            warnings.warn(
                f"finite difference of {of} in {wrt} straddles a regime boundary "
                f"({self._branch(e_lo)} / {self._branch(e_hi)})",
                RegimeBoundaryWarning, stacklevel=2)
        return (e_hi[of] - e_lo[of]) / (hi - lo), crosses

    def at_boundary(self, wrt: str, rel_step: float = 1e-7) -> bool:
        """Whether a small move of ``wrt`` either way changes the branch."""
        lo, hi = self._step(wrt, rel_step)
        here = self._branch(self.solve())
        return any(self._branch(self.with_params(**{wrt: v}).solve()) != here for v in (lo, hi))

    # ------------------------------------------------------------ plotting
    def plot(self, x: str, y: str, *, values: Any = None, ax: Any = None, **kw: Any) -> Any:
        """Plot outcome ``y`` against parameter ``x`` (a one-line forward to ``atrogame.plot``)."""
        from atrogame.plot import sweep as plot_sweep

        if values is None:
            lo, hi = self.parameter_meta(x)["sweep_range"]
            values = np.linspace(lo, hi, 201)
        return plot_sweep(self.sweep(**{x: values}), x=x, y=y, ax=ax, **kw)


def _elasticity(value: float, x: float, y: float) -> float | None:
    if y == 0 or not math.isfinite(y) or not math.isfinite(value):
        return None
    return value * x / y


_FAILED_ATTRS = {"long_name": "point failed to solve", "flag_values": [0, 1], "flag_meanings": "solved failed"}


def _regime_codes(a: Any, shape: tuple[int, ...]) -> np.ndarray:
    """Integer regime codes as int8; NaN (a failed or undefined point) becomes -1."""
    arr = np.asarray(a)
    if arr.dtype.kind == "f":
        arr = np.where(np.isfinite(arr), arr, -1)
    return _materialise(arr, shape, np.int8)


def _materialise(a: Any, shape: tuple[int, ...], dtype: Any) -> np.ndarray:
    arr = np.asarray(a)
    if arr.shape == shape and arr.flags.writeable:
        return arr.astype(dtype, copy=False)
    return np.array(np.broadcast_to(arr, shape), dtype=dtype)


def _scalar(v: Any) -> Any:
    arr = np.asarray(v)
    if arr.ndim == 0:
        return arr.item()
    return v
