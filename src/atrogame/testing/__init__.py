"""The conformance suite of the model contract, in the spirit of scikit-learn's ``check_estimator``.

:func:`check_model` runs every check of :func:`checks` on a model and raises
:class:`ModelCheckError` listing what is wrong; each check can also be run on its own (e.g. as
parametrised pytest cases). A researcher's model passes the same suite as atrogame's own.

The checks
----------
``declarations``
    the registry id, citation, outcome and parameter metadata (long names, symbols, domains,
    sweep ranges) and the regimes are declared;
``defaults_solve``
    the model solves at its defaults, bounded outcomes are finite and the regime is declared;
``parameter_errors``
    a value outside each parameter's domain, and a string, raise
    :class:`~atrogame.core.errors.ParameterError` naming the parameter, the domain and the value;
``vectorised_equals_scalar``
    the vectorised kernel at random points from the sweep ranges equals ``solve()`` point by
    point (outcomes and regimes);
``finite``
    no NaN (and no infinity in a bounded outcome) at random points from the sweep ranges and
    from the full domains; regime codes are valid;
``closed_form_equals_numeric``
    where the model has an independent numeric solver, it agrees with the closed form;
``symbolic_equals_numeric``
    where the model has a sympy derivation, the derivative's value equals a central finite
    difference away from regime boundaries, and a proven sign agrees with it;
``pickle``
    the model and its solution survive ``pickle``;
``chunked_sweep``
    a chunked (Dask) sweep equals the in-memory sweep (skipped without Dask);
``compiled_equals_numpy``
    with the optional compiled path (``atrogame[fast]``, numba), a large input gives the numpy
    kernel's outcomes to 1e-12 and the same regimes (skipped without numba).
``fused_validation``
    a model with a :meth:`~atrogame.model.Model.fused_kernel` refuses a large design holding a
    NaN, an infinity or an out-of-range value with the same
    :class:`~atrogame.core.errors.ParameterError` as validating first, and computes the same
    numbers as validating first (skipped when the model has no fused kernel or it does not run).

Examples
--------
>>> from atrogame.testing.models import Toy
>>> report = check_model(Toy)
>>> report.passed, sorted(report.ran)[:2]
(True, ['chunked_sweep', 'closed_form_equals_numeric'])
"""

from __future__ import annotations

import math
import pickle
import re
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from atrogame.core.contract import ModelLike

__all__ = ["CheckReport", "CheckSkipped", "ModelCheckError", "check_model", "checks", "random_points"]

#: Provenance values a model may declare.
PROVENANCES = ("reconstruction", "original", "published")


class ModelCheckError(AssertionError):
    """A model failed one or more conformance checks; the message lists each failure."""


@dataclass
class CheckReport:
    """What :func:`check_model` ran, skipped and found."""

    model: str
    ran: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.failures

    def __str__(self) -> str:
        lines = [f"check_model({self.model}): {len(self.ran)} checks ran, {len(self.failures)} failed"]
        for name, msgs in self.failures.items():
            lines += [f"  [{name}] {m}" for m in msgs[:5]]
            if len(msgs) > 5:
                lines.append(f"  [{name}] ... and {len(msgs) - 5} more")
        lines += [f"  (skipped {k}: {v})" for k, v in self.skipped.items()]
        return "\n".join(lines)


class CheckSkipped(Exception):
    """Raised by a check that does not apply to a model (e.g. no numeric solver); the reason is the message."""


def _instance(model: ModelLike | type[ModelLike]) -> ModelLike:
    return model() if isinstance(model, type) else model


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _sweep_range(m: ModelLike, name: str) -> tuple[float, float] | None:
    meta = m.parameter_meta(name)
    r = meta.get("sweep_range")
    if r is None:
        return None
    return float(r[0]), float(r[1])


def random_points(model: ModelLike | type[ModelLike], n: int, seed: int = 0, *, domain: str = "sweep",
                  names: Sequence[str] | None = None) -> list[dict[str, float]]:
    """Up to ``n`` valid parameter points of ``model`` drawn at random from its metadata.

    ``domain="sweep"`` draws uniformly on each parameter's ``sweep_range``; ``"full"`` draws on
    the whole domain (log-uniformly towards unbounded ends, up to 1e6). Points that break a joint
    rule are dropped (so fewer than ``n`` may return).

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> pts = random_points(Toy(), 3, seed=1)
    >>> len(pts), sorted(pts[0])
    (3, ['benefit', 'curvature', 'threshold'])
    """
    from atrogame.core.errors import ParameterError

    m = _instance(model)
    rng = _rng(seed)
    names = list(names or m.parameter_values())
    out: list[dict[str, float]] = []
    for _ in range(4 * n):
        pt: dict[str, float] = {}
        for k in names:
            pt[k] = _draw_one(m, k, rng, domain)
        try:
            m.with_params(**pt)
        except ParameterError:
            continue
        out.append(pt)
        if len(out) == n:
            break
    return out


def _draw_one(m: ModelLike, name: str, rng: np.random.Generator, domain: str) -> float:
    meta = m.parameter_meta(name)
    interval = meta["interval"]
    if meta.get("integer"):
        lo, hi = _sweep_range(m, name) or (interval.lo, interval.hi)
        return float(rng.integers(math.ceil(lo), math.floor(hi) + 1))
    if domain == "sweep" and _sweep_range(m, name) is not None:
        lo, hi = _sweep_range(m, name)  # type: ignore[misc]
        return float(rng.uniform(lo, hi))
    lo, hi = interval.lo, interval.hi
    lo_f = lo if math.isfinite(lo) else -1e6
    hi_f = hi if math.isfinite(hi) else 1e6
    eps = 1e-9 * max(1.0, abs(lo_f), abs(hi_f))
    lo_f, hi_f = lo_f + (0 if interval.left_closed else eps), hi_f - (0 if interval.right_closed else eps)
    if lo_f >= 0 and hi_f / max(lo_f, 1e-12) > 1e3:  # spans decades: log-uniform
        return float(np.exp(rng.uniform(math.log(max(lo_f, 1e-9)), math.log(hi_f))))
    return float(rng.uniform(lo_f, hi_f))


def _bounded(m: ModelLike, name: str) -> bool:
    return bool(m.outcome_info(name).bounded)


def _fmt(pt: dict[str, float]) -> str:
    return "{" + ", ".join(f"{k}={v:.6g}" for k, v in pt.items()) + "}"


# ---------------------------------------------------------------------- the checks
def check_declarations(model: ModelLike | type[ModelLike], **_: Any) -> list[str]:
    """The registry id, citation, provenance, outcome, parameter and regime metadata are declared."""
    from atrogame.core.contract import Outcome
    from atrogame.core.parameters import Parameters

    m = _instance(model)
    cls = type(m)
    bad: list[str] = []
    if not isinstance(getattr(cls, "name", None), str) or cls.name in ("", "model"):
        bad.append("the class attribute `name` (the registry id) is not set")
    if not getattr(cls, "citation", ""):
        bad.append("the class attribute `citation` is empty (e.g. 'after Author (year)')")
    if getattr(cls, "provenance", None) not in PROVENANCES:
        bad.append(f"`provenance` must be one of {PROVENANCES}; got {getattr(cls, 'provenance', None)!r}")
    if not (isinstance(m.Params, type) and issubclass(m.Params, Parameters)):
        bad.append("`Params` is not a Parameters subclass")
        return bad
    outs = getattr(cls, "outcomes", ())
    if not outs:
        bad.append("no outcomes declared (`outcomes = (outcome(...), ...)`)")
    for o in outs:
        if not isinstance(o, Outcome):
            bad.append(f"outcome {o!r} is not declared with outcome(...)")
        elif not o.long_name:
            bad.append(f"outcome {o.name!r} has no long_name")
    if not getattr(cls, "regimes", ()):
        bad.append("no regimes declared (`regimes = (...)`)")
    for k in m.parameter_values():
        meta = m.parameter_meta(k)
        for key in ("long_name", "symbol", "interval"):
            if not meta.get(key):
                bad.append(f"parameter {k!r} has no {key}")
        if meta.get("sweep_range") is None:
            bad.append(f"parameter {k!r} has no sweep_range")
        elif not all(float(x) in meta["interval"] for x in meta["sweep_range"]):
            bad.append(f"parameter {k!r}: sweep_range {tuple(meta['sweep_range'])} is not inside its domain "
                       f"{meta['interval']}")
    return bad


def check_defaults_solve(model: ModelLike | type[ModelLike], **_: Any) -> list[str]:
    """The model solves at its defaults; bounded outcomes are finite; the regime is declared."""
    m = _instance(model)
    try:
        eq = m.solve()
    except Exception as exc:  # a report, not a crash
        return [f"solve() at the defaults raised {type(exc).__name__}: {exc}"]
    bad = []
    for o in m.outcome_names:
        v = eq[o]
        if math.isnan(v) or (not math.isfinite(v) and _bounded(m, o)):
            bad.append(f"outcome {o!r} is {v} at the defaults")
    if eq.regime not in m.regime_names:
        bad.append(f"regime {eq.regime!r} is not one of the declared regimes {m.regime_names}")
    return bad


_ERR = re.compile(r"(?P<name>\w+) must be in (?P<domain>.+); got (?P<value>.+)")


def check_parameter_errors(model: ModelLike | type[ModelLike], **_: Any) -> list[str]:
    """Out-of-domain values and strings raise ParameterError naming parameter, domain and value."""
    from atrogame.core.errors import ParameterError

    m = _instance(model)
    bad: list[str] = []
    for k in m.parameter_values():
        interval = m.parameter_meta(k)["interval"]
        probes: list[Any] = ["not a number"]
        if math.isfinite(interval.hi):
            probes.append(interval.hi + 1.0 + abs(interval.hi))
        if math.isfinite(interval.lo):
            probes.append(interval.lo - 1.0 - abs(interval.lo))
        for v in probes:
            try:
                m.with_params(**{k: v})
            except ParameterError as exc:
                msg = str(exc)
                if k not in msg:
                    bad.append(f"the error for {k}={v!r} does not name the parameter: {msg!r}")
                elif not isinstance(v, str) and str(interval) not in msg and "must be in" not in msg:
                    bad.append(f"the error for {k}={v!r} does not state the domain {interval}: {msg!r}")
                elif not isinstance(v, str) and f"{v:g}" not in msg and repr(v) not in msg:
                    bad.append(f"the error for {k}={v!r} does not state the value: {msg!r}")
            except Exception as exc:
                bad.append(f"{k}={v!r} raised {type(exc).__name__} instead of ParameterError: {exc}")
            else:
                bad.append(f"{k}={v!r} (outside {interval}) was accepted")
    return bad


def _vector(m: ModelLike, pts: list[dict[str, float]]) -> dict[str, np.ndarray]:
    names = list(pts[0])
    X = np.array([[p[k] for k in names] for p in pts])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Y = m.evaluate(X, names, [*m.outcome_names, "regime"])
    return {o: Y[:, j] for j, o in enumerate([*m.outcome_names, "regime"])}


def check_vectorised_equals_scalar(model: ModelLike | type[ModelLike], n: int = 40, seed: int = 0,
                                   **_: Any) -> list[str]:
    """The kernel on arrays equals ``solve()`` point by point (outcomes to 1e-9, regimes exactly)."""
    m = _instance(model)
    if not m.vectorised:
        raise CheckSkipped("the model is solved point by point (vectorised = False)")
    pts = random_points(m, n, seed)
    if len(pts) < max(2, n // 4):
        return [f"only {len(pts)} of {4 * n} random points from the sweep ranges were valid"]
    Y = _vector(m, pts)
    bad = []
    for i, pt in enumerate(pts):
        eq = m.with_params(**pt).solve()
        if m.regime_names[int(Y["regime"][i])] != eq.regime:
            bad.append(f"regime {m.regime_names[int(Y['regime'][i])]} (vectorised) != {eq.regime} (scalar) at "
                       f"{_fmt(pt)}")
        for o in m.outcome_names:
            a, b = float(Y[o][i]), float(eq[o])
            if not (a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) or (math.isnan(a) and math.isnan(b))):
                bad.append(f"{o}: vectorised {a!r} != scalar {b!r} at {_fmt(pt)}")
    return bad


def check_finite(model: ModelLike | type[ModelLike], n: int = 200, seed: int = 1, **_: Any) -> list[str]:
    """No NaN (no inf in bounded outcomes) and valid regime codes at random valid points."""
    m = _instance(model)
    bad = []
    for domain in ("sweep", "full"):
        pts = random_points(m, n if m.vectorised else max(5, n // 20), seed, domain=domain)
        if not pts:
            continue
        if m.vectorised:
            Y = _vector(m, pts)
        else:
            Y = {o: np.array([m.with_params(**p).solve()[o] for p in pts]) for o in m.outcome_names}
            Y["regime"] = np.zeros(len(pts))
        codes = Y["regime"]
        ok = np.isfinite(codes) & (codes >= 0) & (codes < len(m.regime_names)) & (codes == np.round(codes))
        if not ok.all():
            i = int(np.flatnonzero(~ok)[0])
            bad.append(f"invalid regime code {codes[i]} at {_fmt(pts[i])} ({domain} domain)")
        for o in m.outcome_names:
            y = np.asarray(Y[o], dtype=float)
            wrong = np.isnan(y) | (np.isinf(y) & _bounded(m, o))
            if wrong.any():
                i = int(np.flatnonzero(wrong)[0])
                bad.append(f"outcome {o!r} is {y[i]} at {_fmt(pts[i])} ({int(wrong.sum())} of {len(y)} points, "
                           f"{domain} domain)")
    return bad


def check_closed_form_equals_numeric(model: ModelLike | type[ModelLike], n: int = 5, seed: int = 2, rtol: float = 1e-5,
                                     **_: Any) -> list[str]:
    """Where the model has an independent numeric solver, it agrees with the closed form."""
    m = _instance(model)
    if not (hasattr(m, "has_numeric") and m.has_numeric()):
        raise CheckSkipped("the model has no numeric solver")
    bad = []
    for pt in [m.parameter_values(), *random_points(m, n, seed)]:
        mm = m.with_params(**pt)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a, b = mm.solve(), mm.solve(method="numeric")
        for o in m.outcome_names:
            if not math.isclose(a[o], b[o], rel_tol=rtol, abs_tol=rtol) and a[o] != b[o]:
                bad.append(f"{o}: closed form {a[o]!r} != numeric {b[o]!r} at {_fmt(pt)}")
    return bad


def check_symbolic_equals_numeric(model: ModelLike | type[ModelLike], n: int = 2, seed: int = 3, **_: Any) -> list[str]:
    """Analytic derivatives equal central finite differences away from regime boundaries; signs agree."""
    from atrogame.core.errors import RegimeBoundaryWarning

    m = _instance(model)
    if not (hasattr(m, "has_symbolic") and m.has_symbolic()):
        raise CheckSkipped("the model has no sympy derivation")
    bad = []
    for pt in [m.parameter_values(), *random_points(m, n, seed)]:
        mm = m.with_params(**pt)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RegimeBoundaryWarning)
            cs = mm.comparative_statics()
            for e in cs.entries:
                if e.boundary:
                    continue
                fd, crosses = mm.finite_difference(e.outcome, e.wrt, rel_step=1e-6)
                if crosses or not math.isfinite(fd):
                    continue
                tol = 1e-4 * max(1.0, abs(fd), abs(e.value))
                if abs(fd - e.value) > tol:
                    bad.append(f"d{e.outcome}/d{e.wrt}: analytic {e.value:.8g} != finite difference {fd:.8g} "
                               f"at {_fmt(pt)}")
                up, down = e.sign in ("positive", "nonnegative"), e.sign in ("negative", "nonpositive")
                if (up and fd < -tol) or (down and fd > tol) or (e.sign == "zero" and abs(fd) > tol):
                    bad.append(f"d{e.outcome}/d{e.wrt}: sign {e.sign!r} contradicts the finite difference {fd:.8g} "
                               f"at {_fmt(pt)}")
    return bad


def check_pickle(model: ModelLike | type[ModelLike], **_: Any) -> list[str]:
    """The model and its solution round-trip through pickle."""
    m = _instance(model)
    bad = []
    try:
        m2 = pickle.loads(pickle.dumps(m))
        if m2.parameter_values() != m.parameter_values():
            bad.append("the unpickled model has different parameter values")
        eq = m.solve()
        eq2 = pickle.loads(pickle.dumps(eq))
        if eq2.regime != eq.regime or any(
                not (eq2[o] == eq[o] or (math.isnan(eq2[o]) and math.isnan(eq[o]))) for o in m.outcome_names):
            bad.append("the unpickled solution differs")
    except Exception as exc:
        bad.append(f"pickling failed: {type(exc).__name__}: {exc}")
    return bad


def check_chunked_sweep(model: ModelLike | type[ModelLike], **_: Any) -> list[str]:
    """A chunked (Dask) sweep equals the in-memory sweep."""
    m = _instance(model)
    try:
        import dask.array  # noqa: F401
    except ImportError:
        raise CheckSkipped("dask is not installed") from None
    names = [k for k in m.parameter_values() if not m.parameter_meta(k).get("integer")][:2]
    grid: dict[str, Any] = {}  # parameter name -> values (sweep's keyword arguments)
    for k in names:
        lo, hi = _sweep_range(m, k) or (m.parameter_values()[k],) * 2
        grid[k] = np.linspace(lo, hi, 5 if m.vectorised else 2)
    from atrogame.core.errors import ParameterError

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            eager = m.sweep(**grid)
        except ParameterError:
            grid = {names[0]: grid[names[0]]}
            eager = m.sweep(**grid)
        lazy = m.sweep(**grid, chunks={names[0]: 2}).compute()
    bad = []
    for v in [*m.outcome_names, "regime"]:
        a, b = np.asarray(eager[v]), np.asarray(lazy[v])
        if not np.array_equal(a, b, equal_nan=True) and not np.allclose(a, b, rtol=1e-12, equal_nan=True):
            bad.append(f"{v}: the chunked sweep differs from the in-memory sweep")
    return bad


def check_compiled_equals_numpy(model: ModelLike | type[ModelLike], n: int = 256, seed: int = 4, **_: Any) -> list[str]:
    """With the optional compiled path (numba), large inputs give the numpy kernel's numbers.

    Random valid points from the sweep ranges are repeated up to
    :data:`atrogame.accel.MIN_POINTS` rows, so ``evaluate`` takes the compiled path where the
    model has one; outcomes must agree with :func:`atrogame.accel.disabled` to 1e-12 (absolute
    and relative) and regimes exactly. Skipped without numba.
    """
    from atrogame import accel

    m = _instance(model)
    if not m.vectorised:
        raise CheckSkipped("the model is solved point by point (vectorised = False)")
    if not accel.available():
        raise CheckSkipped("numba is not installed (pip install atrogame[fast])")
    pts = random_points(m, n, seed)
    if not pts:
        return ["no valid random point from the sweep ranges"]
    names = list(pts[0])
    base = np.array([[p[k] for k in names] for p in pts])
    X = np.tile(base, (-(-accel.MIN_POINTS // len(pts)), 1))
    outs = [*m.outcome_names, "regime"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with accel.disabled():
            ref = m.evaluate(X, names, outs)
        got = m.evaluate(X, names, outs)
    bad = []
    for j, o in enumerate(outs):
        a, b = ref[:, j], got[:, j]
        ok = (a == b) | (np.isnan(a) & np.isnan(b))
        if o != "regime":
            with np.errstate(invalid="ignore"):  # inf − inf where both are infinite (equal above)
                ok |= np.abs(a - b) <= 1e-12 * np.maximum(1.0, np.abs(a))
        if not ok.all():
            i = int(np.flatnonzero(~ok)[0])
            bad.append(f"{o}: compiled {b[i]!r} != numpy {a[i]!r} at {_fmt(pts[i % len(pts)])}")
    return bad


def check_fused_validation(model: ModelLike | type[ModelLike], n: int = 64, seed: int = 5, **_: Any) -> list[str]:
    """The range check folded into a fused kernel refuses what validating first refuses.

    A design of :data:`atrogame.accel.MIN_POINTS` rows (random valid points from the sweep
    ranges, repeated) is evaluated through ``compute_validated``; it must equal validating
    then computing, and one bad entry (NaN, +inf, below the parameter's domain) in the middle
    of the design must raise the same ``ParameterError`` message on both paths.
    """
    from atrogame import accel
    from atrogame.core.errors import ParameterError
    from atrogame.model import Model

    m = _instance(model)
    if not isinstance(m, Model) or type(m).fused_kernel is Model.fused_kernel or not m.vectorised:
        raise CheckSkipped("the model has no fused kernel")
    pts = random_points(m, n, seed)
    if not pts:
        return ["no valid random point from the sweep ranges"]
    names = list(pts[0])
    base = np.array([[p[k] for k in names] for p in pts])
    X = np.tile(base, (-(-accel.MIN_POINTS // len(pts)), 1))
    cols = {k: X[:, j] for j, k in enumerate(names)}
    wanted = [*m.outcome_names, "regime"]
    if m.fused_kernel(m._full_values(m.Params.convert_arrays(cols)), wanted) is None:
        raise CheckSkipped("the fused kernel declines this input (numba missing or off, or a variant without one)")
    bad: list[str] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fused = m.compute_validated(cols, (X.shape[0],), wanted)[1]
        plain = m.compute(m.validate_arrays(cols), (X.shape[0],), wanted)[0]
    for w in wanted:
        a, b = np.asarray(fused[w], dtype=float), np.asarray(plain[w], dtype=float)
        if not np.array_equal(a, b, equal_nan=True):
            bad.append(f"{w}: the fused evaluation differs from validating first")
    row = X.shape[0] // 2
    for j, k in enumerate(names):
        interval = m.parameter_meta(k)["interval"]
        below = interval.lo - 1.0 if interval.lo is not None and math.isfinite(interval.lo) else None
        for value in (math.nan, math.inf, below):
            if value is None:
                continue
            Y = X.copy()
            Y[row, j] = value
            msgs: list[str | None] = []
            for use in (True, False):
                try:
                    if use:  # (a kernel that skips its check computes on the bad value: no numpy warnings)
                        with np.errstate(all="ignore"):
                            m.compute_validated({q: Y[:, i] for i, q in enumerate(names)}, (Y.shape[0],), wanted)
                    else:
                        m.validate_arrays({q: Y[:, i] for i, q in enumerate(names)})
                    msgs.append(None)
                except ParameterError as exc:
                    msgs.append(str(exc))
            if msgs[0] is None or msgs[0] != msgs[1]:
                bad.append(f"{k}={value}: fused check gave {msgs[0]!r}, validating first gave {msgs[1]!r}")
    return bad


_CHECKS: dict[str, Callable[..., list[str]]] = {
    "declarations": check_declarations,
    "defaults_solve": check_defaults_solve,
    "parameter_errors": check_parameter_errors,
    "vectorised_equals_scalar": check_vectorised_equals_scalar,
    "finite": check_finite,
    "closed_form_equals_numeric": check_closed_form_equals_numeric,
    "symbolic_equals_numeric": check_symbolic_equals_numeric,
    "pickle": check_pickle,
    "chunked_sweep": check_chunked_sweep,
    "compiled_equals_numpy": check_compiled_equals_numpy,
    "fused_validation": check_fused_validation,
}


def checks() -> Iterator[tuple[str, Callable[..., list[str]]]]:
    """The conformance checks as ``(name, function)``; each function returns a list of problems.

    Examples
    --------
    >>> [name for name, _ in checks()][:3]
    ['declarations', 'defaults_solve', 'parameter_errors']
    """
    yield from _CHECKS.items()


def check_model(model: ModelLike | type[ModelLike], *, skip: Sequence[str] = (), seed: int = 0,
                raise_on_failure: bool = True, **options: Any) -> CheckReport:
    """Run the conformance suite on a model class or instance.

    Parameters
    ----------
    model:
        A model class (constructed with its defaults) or an instance (for models whose
        constructor takes choices, e.g. ``AndertonBrauer(technology="ces")``).
    skip:
        Names of checks not to run (see :func:`checks`).
    seed:
        Seed of the random points (the suite is deterministic for a given seed).
    raise_on_failure:
        Raise :class:`ModelCheckError` listing every problem (default); else return the report.
    options:
        Passed to the checks (e.g. ``n=`` random points).

    Returns
    -------
    CheckReport
        What ran, what was skipped and why, and the problems found.
    """
    m = _instance(model)
    report = CheckReport(model=f"{type(m).__name__}" + (f" {m!r}" if not isinstance(model, type) else ""))
    decl = check_declarations(m)
    report.ran.append("declarations")
    if decl:
        report.failures["declarations"] = decl
    for i, (name, fn) in enumerate(_CHECKS.items()):
        if name == "declarations" or name in skip:
            continue
        if decl and name != "parameter_errors":
            report.skipped[name] = "the declarations are incomplete"
            continue
        try:
            problems = fn(m, seed=seed + i, **options)
        except CheckSkipped as why:
            report.skipped[name] = str(why)
            report.ran.append(name)
            continue
        except Exception as exc:  # a crash inside a check is a failure of the model
            problems = [f"raised {type(exc).__name__}: {exc}"]
        report.ran.append(name)
        if problems:
            report.failures[name] = problems
    if raise_on_failure and report.failures:
        raise ModelCheckError(str(report))
    return report
