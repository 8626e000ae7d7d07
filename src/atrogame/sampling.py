"""Designs and priors: where ``sample`` and sensitivity analysis draw their parameter points.

A design is an ``n × d`` array in the unit cube (random, Latin hypercube or scrambled Sobol,
via ``scipy.stats.qmc``), generated so that any block of rows can be produced on its own, and
mapped to parameter values through each parameter's :class:`Prior`. The engine
(:mod:`atrogame.engine`) evaluates models at those points.

Examples
--------
>>> from atrogame.testing.models import Toy
>>> pr = resolve_priors(Toy(), {"benefit": (0.5, 3.0)})
>>> transform(unit_design("sobol", 1, 4, seed=1), tuple(pr.values())).shape
(4, 1)
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from atrogame.core.contract import ModelLike

__all__ = ["SAMPLE_METHODS", "Prior", "resolve_priors", "resolve_seed", "transform", "unit_design"]

SAMPLE_METHODS = ("random", "latin", "sobol")


# ---------------------------------------------------------------------- seeds and designs
def resolve_seed(seed: int | np.random.Generator | None) -> int:
    """A non-negative integer seed (drawn fresh when ``None``) that is recorded in attrs.

    Examples
    --------
    >>> resolve_seed(3)
    3
    >>> resolve_seed(np.random.default_rng(0)) == resolve_seed(np.random.default_rng(0))
    True
    """
    if seed is None:
        state = np.random.SeedSequence().generate_state(2, dtype=np.uint32)
        return int(state[0]) << 31 | int(state[1] >> 1)
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(0, 2**63 - 1))
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise TypeError(f"seed must be a non-negative int, a numpy Generator or None; got {seed!r}")
    return int(seed)


def unit_design(method: str, d: int, n: int, seed: int, start: int = 0, stop: int | None = None) -> np.ndarray:
    """Rows ``start:stop`` of an ``n × d`` design in the unit cube.

    Any block of rows equals the same rows of the whole design, so chunked and
    in-memory samples agree exactly: random rows jump the PCG64 stream ahead, Sobol
    rows fast-forward the scrambled sequence. (A Latin hypercube is a property of all
    ``n`` rows together, so its blocks are cut from the whole design.)

    Examples
    --------
    >>> whole = unit_design("random", 2, 10, seed=0)
    >>> bool((unit_design("random", 2, 10, seed=0, start=4, stop=7) == whole[4:7]).all())
    True
    """
    stop = n if stop is None else stop
    m = stop - start
    if method == "random":
        bg = np.random.PCG64(seed)
        if start:
            bg.advance(start * d)  # one 64-bit draw per double
        return np.random.Generator(bg).random((m, d))
    from scipy.stats import qmc

    if method == "sobol":
        eng = qmc.Sobol(d, scramble=True, rng=seed)
        if start:
            eng.fast_forward(start)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # balance warning: issued once by sample()
            return eng.random(m)
    if method == "latin":
        return qmc.LatinHypercube(d, rng=seed).random(n)[start:stop]
    raise ValueError(f"method must be one of {', '.join(SAMPLE_METHODS)}; got {method!r}")


# ---------------------------------------------------------------------- priors
@dataclass(frozen=True)
class Prior:
    """A parameter's sampling distribution: uniform on ``(low, high)`` or a frozen scipy one.

    Examples
    --------
    >>> p = Prior("benefit", 0.5, 3.0)
    >>> p.ppf(np.array([0.0, 0.5, 1.0])).tolist(), p.describe()
    ([0.5, 1.75, 3.0], 'uniform(0.5, 3)')
    >>> from scipy import stats
    >>> Prior("benefit", dist=stats.lognorm(0.5)).describe()
    'lognorm(0.5)'
    """

    name: str
    low: float = math.nan
    high: float = math.nan
    dist: Any = None

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Map unit-cube values to parameter values (inverse CDF)."""
        if self.dist is not None:
            return np.asarray(self.dist.ppf(u), dtype=float)
        return self.low + (self.high - self.low) * np.asarray(u, dtype=float)

    def describe(self) -> str:
        if self.dist is not None:
            d = self.dist
            args = ", ".join([*(f"{a:g}" if isinstance(a, float) else str(a) for a in d.args),
                              *(f"{k}={v}" for k, v in d.kwds.items())])
            return f"{d.dist.name}({args})"
        return f"uniform({self.low:g}, {self.high:g})"


def resolve_priors(model: ModelLike, priors: Any) -> dict[str, Prior]:
    """Turn ``priors`` into :class:`Prior` objects, checked against the model's parameters.

    ``priors`` maps parameter names to ``(low, high)`` or a scipy.stats frozen
    distribution (``None`` means the parameter's ``sweep_range``); a sequence of names
    samples each uniformly on its ``sweep_range``.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> pr = resolve_priors(Toy(), {"benefit": (0.5, 3.0), "threshold": None})
    >>> [p.describe() for p in pr.values()]
    ['uniform(0.5, 3)', 'uniform(0, 5)']
    >>> resolve_priors(Toy(), {"curvature": (-1.0, 1.0)})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: curvature must be in (0, inf); got -0.99... (2 of 3 values invalid)
    """
    if isinstance(priors, str):
        priors = [priors]
    if not isinstance(priors, Mapping):
        try:
            priors = dict.fromkeys(priors)
        except TypeError:
            raise TypeError("priors must map parameter names to (low, high) or a scipy.stats "
                            f"frozen distribution; got {priors!r}") from None
    if not priors:
        raise ValueError("priors is empty: give at least one parameter to sample")
    valid = model.parameter_values()
    out: dict[str, Prior] = {}
    for name, spec in priors.items():
        if name not in valid:
            raise TypeError(f"unknown parameter {name!r} for {type(model).__name__}; valid names: "
                            f"{', '.join(valid)}")
        if spec is None:
            spec = tuple(model.parameter_meta(name)["sweep_range"])
        if hasattr(spec, "ppf") and hasattr(spec, "dist"):
            out[name] = Prior(name, dist=spec)
            continue
        try:
            lo, hi = (float(v) for v in spec)
        except (TypeError, ValueError):
            raise TypeError(f"prior for {name} must be (low, high) or a scipy.stats frozen distribution; "
                            f"got {spec!r}") from None
        if not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi):
            raise ValueError(f"prior for {name} must be a finite range with low <= high; got ({lo}, {hi})")
        out[name] = Prior(name, lo, hi)
    # Check the priors' reach against the domains now, not halfway through a long run.
    probe = np.array([1e-12, 0.5, 1 - 1e-12])
    model.validate_arrays({k: p.ppf(probe) for k, p in out.items()})
    return out


def transform(u: np.ndarray, priors: tuple[Prior, ...]) -> np.ndarray:
    """Map a unit-cube design (rows) to parameter values through each prior's inverse CDF.

    Examples
    --------
    >>> transform(np.array([[0.0], [0.5]]), (Prior("benefit", 1.0, 3.0),)).ravel().tolist()
    [1.0, 2.0]
    """
    return np.column_stack([p.ppf(u[:, j]) for j, p in enumerate(priors)])
