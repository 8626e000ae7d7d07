"""Sign vocabulary, and the numeric sign check used where sympy cannot prove a sign.

Two kinds of statement about the sign of a derivative are kept apart (see
docs/explanation/signs.md):

* a **proof** (``StaticsEntry.sign``), decided by sympy from the parameters' domains on
  the branch of the equilibrium that holds: ``"positive"``, ``"negative"`` (strict),
  ``"nonnegative"``, ``"nonpositive"`` (weak: the derivative may vanish somewhere on the
  branch), ``"zero"`` (identically), or ``"ambiguous"`` when sympy proves none of these;
* a **numeric verdict** (``StaticsEntry.numeric_sign`` with ``numeric_points``), computed
  only when the proof is ``"ambiguous"``: the sign of central differences at random points
  of the parameter box (the sweep ranges) that lie in the same regime. It is evidence over
  a finite sample, never a proof, and its vocabulary says so (``"mixed"``, ``"unchecked"``).

Examples
--------
>>> from atrogame.testing.models import Toy
>>> chk = numeric_sign_check(Toy(), "x", "curvature", n=200, seed=0)
>>> chk.sign, chk.points > 50
('negative', True)
>>> is_weaker("nonpositive", "negative"), is_weaker("negative", "nonpositive")
(True, False)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from atrogame.core.contract import ModelLike

if TYPE_CHECKING:
    from atrogame.core.results import ComparativeStatics

#: What sympy can prove about a derivative over its branch (``StaticsEntry.sign``).
ProvenSign = Literal["positive", "negative", "nonnegative", "nonpositive", "zero", "ambiguous"]
PROVEN_SIGNS: tuple[str, ...] = ("positive", "negative", "nonnegative", "nonpositive", "zero", "ambiguous")

#: What a numeric check found over sampled points (``StaticsEntry.numeric_sign``).
NumericSign = Literal["positive", "negative", "nonnegative", "nonpositive", "zero", "mixed", "unchecked"]
NUMERIC_SIGNS: tuple[str, ...] = ("positive", "negative", "nonnegative", "nonpositive", "zero", "mixed",
                                  "unchecked")

#: One line per word, for tables and docs.
SIGN_MEANINGS: Mapping[str, str] = {
    "positive": "> 0 everywhere on the branch (proven)",
    "negative": "< 0 everywhere on the branch (proven)",
    "nonnegative": "≥ 0 everywhere on the branch, possibly 0 somewhere (proven)",
    "nonpositive": "≤ 0 everywhere on the branch, possibly 0 somewhere (proven)",
    "zero": "identically 0 on the branch (proven)",
    "ambiguous": "no sign proven; see the numeric verdict",
}

#: Points a numeric check draws by default (all of them are solved in one vectorised call).
DEFAULT_POINTS = 2000
#: Seed of the numeric check by default, so a verdict is reproducible.
DEFAULT_SEED = 20130101

_IMPLIES = {"positive": {"nonnegative"}, "negative": {"nonpositive"}, "zero": {"nonnegative", "nonpositive"}}


def is_weaker(weak: str, strong: str) -> bool:
    """Whether the statement ``strong`` implies ``weak`` (and they differ)."""
    return weak in _IMPLIES.get(strong, set())


def consistent(sign: str, value: float, tol: float = 1e-9) -> bool:
    """Whether a numeric value (e.g. a finite difference) agrees with a proven sign.

    Examples
    --------
    >>> consistent("nonpositive", 0.0), consistent("nonpositive", 0.2), consistent("ambiguous", 5.0)
    (True, False, True)
    """
    if not math.isfinite(value):
        return sign == "ambiguous"
    return {
        "positive": value > -tol, "negative": value < tol, "nonnegative": value > -tol,
        "nonpositive": value < tol, "zero": abs(value) <= tol,
    }.get(sign, True)


@dataclass(frozen=True)
class NumericSignCheck:
    """The numeric verdict on a derivative's sign over sampled points of one regime.

    ``sign`` is one of :data:`NUMERIC_SIGNS`; ``points`` is how many points of the regime
    had a usable central difference (both neighbours in the regime), out of ``drawn``
    draws from the box ``bounds`` with ``seed``. ``zeros`` counts differences at rounding
    level. Evidence, not a proof.
    """

    sign: str
    points: int
    drawn: int
    positive: int = 0
    negative: int = 0
    zeros: int = 0
    regime: str | None = None
    seed: int | None = None
    bounds: Mapping[str, tuple[float, float]] | None = None

    def describe(self) -> str:
        """e.g. ``'numerically nonpositive at 812 of 2000 points (regime interior, seed 1)'``."""
        if self.sign == "unchecked":
            return f"not checked numerically ({self.points} usable points)"
        return (f"numerically {self.sign} at {self.points} of {self.drawn} points "
                f"(regime {self.regime}, seed {self.seed})")


def _verdict(pos: int, neg: int, zero: int) -> str:
    if pos + neg + zero == 0:
        return "unchecked"
    if pos and neg:
        return "mixed"
    if pos:
        return "positive" if not zero else "nonnegative"
    if neg:
        return "negative" if not zero else "nonpositive"
    return "zero"


def _valid_rows(model: ModelLike, cols: Mapping[str, np.ndarray]) -> np.ndarray:
    """Rows where the parameters satisfy the model's joint rules (checked in one call if possible)."""
    n = len(next(iter(cols.values())))
    try:
        model.validate_arrays(cols)
        return np.ones(n, dtype=bool)
    except ValueError:
        pass
    ok = np.zeros(n, dtype=bool)
    for i in range(n):
        try:
            model.validate_arrays({k: v[i:i + 1] for k, v in cols.items()})
            ok[i] = True
        except ValueError:
            continue
    return ok


def _box(model: ModelLike, bounds: Mapping[str, Any] | None) -> dict[str, tuple[float, float]]:
    """Each varied parameter's range (``bounds`` or its ``sweep_range``), moved inside open ends.

    Unlike :func:`atrogame.sensitivity.resolve_bounds`, joint rules (e.g. Fearon's b > a) are
    not checked here: points that break them are dropped one by one afterwards.
    """
    names = list(bounds) if bounds is not None else list(model.sensitivity_parameters())
    out: dict[str, tuple[float, float]] = {}
    for name in names:
        meta = model.parameter_meta(name)
        rng = bounds.get(name) if isinstance(bounds, Mapping) else None
        sr = rng if rng is not None else meta.get("sweep_range")
        if sr is None:
            continue
        lo, hi = (float(v) for v in sr)
        if not (math.isfinite(lo) and math.isfinite(hi)) or not hi > lo:
            continue
        interval = meta["interval"]
        eps = 1e-9 * (hi - lo)
        out[name] = (lo if lo in interval else lo + eps, hi if hi in interval else hi - eps)
    return out


def numeric_sign_check(model: ModelLike, of: str, wrt: str, *, regime: str | None = None, n: int = DEFAULT_POINTS,
                       seed: int = DEFAULT_SEED, bounds: Mapping[str, Any] | None = None,
                       rel_step: float = 1e-6) -> NumericSignCheck:
    """Check the sign of d``of``/d``wrt`` numerically over the points of one regime.

    Draws ``n`` points uniformly from the box (``bounds``, default every parameter's
    ``sweep_range``) that satisfy the model's joint rules, keeps those whose
    regime at ``x - h``, ``x`` and ``x + h`` (``h = rel_step`` times the span of ``wrt``'s
    range) is ``regime`` (default: the regime at the model's own parameters), and counts the
    signs of ``f(x + h) - f(x - h)``; differences within ``1e-9 (1 + |f(x)|)`` count as zero.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> numeric_sign_check(Toy(), "x", "threshold", n=100, seed=1).sign
    'negative'
    >>> numeric_sign_check(Toy(), "x", "benefit", regime="corner", n=100, seed=1).sign
    'zero'
    """
    if regime is None:
        regime = model.solve().regime
    try:
        box = _box(model, bounds)
    except (ValueError, KeyError, TypeError):
        return NumericSignCheck("unchecked", 0, 0, regime=regime, seed=seed)
    if wrt not in box:
        return NumericSignCheck("unchecked", 0, 0, regime=regime, seed=seed, bounds=box)
    lo_w, hi_w = box[wrt]
    h = rel_step * (hi_w - lo_w)
    box = {**box, wrt: (lo_w + h, hi_w - h)}
    rng = np.random.default_rng(seed)
    names = list(box)
    cols = {k: lo + (hi - lo) * rng.random(n) for k, (lo, hi) in box.items()}
    ok = _valid_rows(model, cols) & _valid_rows(model, {**cols, wrt: cols[wrt] - h}) & _valid_rows(
        model, {**cols, wrt: cols[wrt] + h})
    if not ok.any():
        return NumericSignCheck("unchecked", 0, n, regime=regime, seed=seed, bounds=box)
    X = np.column_stack([cols[k][ok] for k in names])
    j = names.index(wrt)
    Xlo, Xhi = X.copy(), X.copy()
    Xlo[:, j] -= h
    Xhi[:, j] += h
    code = model.regime_names.index(regime)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y0 = model.evaluate(X, names, [of, "regime"])
        ylo = model.evaluate(Xlo, names, [of, "regime"])
        yhi = model.evaluate(Xhi, names, [of, "regime"])
    same = (y0[:, 1] == code) & (ylo[:, 1] == code) & (yhi[:, 1] == code)
    diff = (yhi[:, 0] - ylo[:, 0])[same]
    tol = 1e-9 * (1.0 + np.abs(y0[:, 0][same]))
    finite = np.isfinite(diff)
    diff, tol = diff[finite], tol[finite]
    pos = int((diff > tol).sum())
    neg = int((diff < -tol).sum())
    zero = int(diff.size - pos - neg)
    return NumericSignCheck(_verdict(pos, neg, zero), int(diff.size), n, pos, neg, zero, regime, seed, box)


def with_numeric_verdicts(model: ModelLike, cs: ComparativeStatics, *, n: int = DEFAULT_POINTS,
                          seed: int = DEFAULT_SEED) -> ComparativeStatics:
    """``cs`` with a numeric verdict on every entry whose proven sign is ``"ambiguous"``.

    Models solved point by point (``vectorised = False``) are checked on at most 200
    points, so statics stay quick.
    """
    if not any(e.sign == "ambiguous" for e in cs.entries):
        return cs
    if not getattr(model, "vectorised", True):
        n = min(n, 200)
    entries = []
    for e in cs.entries:
        if e.sign == "ambiguous":
            try:
                chk = numeric_sign_check(model, e.outcome, e.wrt, regime=e.regime, n=n, seed=seed)
            except (KeyError, ValueError, NotImplementedError):
                chk = NumericSignCheck("unchecked", 0, 0, regime=e.regime, seed=seed)
            e = replace(e, numeric_sign=chk.sign, numeric_points=chk.points)
        entries.append(e)
    return replace(cs, entries=tuple(entries))
