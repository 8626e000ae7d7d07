"""Hypothesis strategies built from a model's parameter metadata.

For property tests of a model written on the public contract: draw valid parameter points (or
models at them) from each parameter's ``sweep_range`` or from its whole domain, with joint rules
respected (points a rule refuses are filtered out). Requires ``hypothesis`` (in the ``test`` extra).

Examples
--------
>>> from hypothesis import given, settings
>>> import atrogame as ag
>>> from atrogame.testing.strategies import models
>>> @settings(max_examples=5, derandomize=True, database=None)
... @given(m=models(ag.Fearon))
... def test_p_war_is_a_probability(m):
...     assert 0.0 <= m.solve()["p_war"] <= 1.0
>>> test_p_war_is_a_probability()
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

__all__ = ["models", "parameter_values", "parameters"]


def _instance(model: Any) -> Any:
    return model() if isinstance(model, type) else model


def parameter_values(model: Any, name: str, *, domain: str = "sweep") -> Any:
    """A strategy for one parameter's values: its ``sweep_range`` (``domain="sweep"``) or its
    whole interval (``domain="full"``, unbounded ends capped at ±1e6), integers where the
    metadata says so.

    Examples
    --------
    >>> import atrogame as ag
    >>> from hypothesis import find
    >>> v = find(parameter_values(ag.KyddStraus, "rebel_strength"), lambda v: v > 0.5)
    >>> 0.5 < v < 1
    True
    """
    from hypothesis import strategies as st

    m = _instance(model)
    meta = m.parameter_meta(name)
    interval = meta["interval"]
    rng = meta.get("sweep_range") if domain == "sweep" else None
    if domain not in ("sweep", "full"):
        raise ValueError(f"domain must be 'sweep' or 'full'; got {domain!r}")
    if rng is not None and rng[0] < rng[1]:
        lo, hi = float(rng[0]), float(rng[1])
    else:
        lo = interval.lo if math.isfinite(interval.lo) else -1e6
        hi = interval.hi if math.isfinite(interval.hi) else 1e6
    if meta.get("integer"):
        return st.integers(math.ceil(lo), math.floor(hi)).map(float)
    # open ends (and ends outside an open domain) are excluded; the value must lie in the interval
    exclude_lo = lo not in interval
    exclude_hi = hi not in interval
    return st.floats(lo, hi, exclude_min=exclude_lo, exclude_max=exclude_hi, allow_nan=False,
                     allow_infinity=False).filter(lambda v: v in interval)


def parameters(model: Any, names: Sequence[str] | None = None, *, domain: str = "sweep") -> Any:
    """A strategy for valid parameter points ``{name: value}`` of ``model`` (all its numeric
    parameters, or ``names``; the others keep the model's values). Points that break a joint
    rule are filtered out.

    Examples
    --------
    >>> import atrogame as ag
    >>> from hypothesis import find
    >>> pt = find(parameters(ag.Fearon, ["cost_a", "win_prob_a"]), lambda pt: pt["cost_a"] > 0.1)
    >>> sorted(pt), pt["cost_a"] > 0.1
    (['cost_a', 'win_prob_a'], True)
    """
    from hypothesis import strategies as st

    from atrogame.core.errors import ParameterError

    m = _instance(model)
    chosen = list(names) if names is not None else list(m.parameter_values())
    unknown = [n for n in chosen if n not in m.parameter_values()]
    if unknown:
        raise TypeError(f"unknown parameter(s) {unknown} for {type(m).__name__}; valid: "
                        f"{', '.join(m.parameter_values())}")

    def valid(pt: dict[str, float]) -> bool:
        try:
            m.with_params(**pt)
        except ParameterError:
            return False
        return True

    return st.fixed_dictionaries({n: parameter_values(m, n, domain=domain) for n in chosen}).filter(valid)


def models(model: Any, names: Sequence[str] | None = None, *, domain: str = "sweep") -> Any:
    """A strategy for instances of ``model`` (a class or an instance, whose choices such as an
    Anderton–Brauer technology are kept) at valid parameter points; see :func:`parameters`.

    Examples
    --------
    >>> import atrogame as ag
    >>> from hypothesis import find
    >>> m = find(models(ag.AndertonBrauer(technology="ces")), lambda m: m.resources > 200)
    >>> m.technology, m.resources > 200
    ('ces', True)
    """
    m = _instance(model)
    return parameters(m, names, domain=domain).map(lambda pt: m.with_params(**pt))
