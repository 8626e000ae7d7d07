"""Scenario discovery: *where* in the parameter space an event (a backfire, a regime) concentrates.

:func:`atrogame.tools.backfire` says in what share of plausible situations a tool makes
things worse. :func:`explain` says in which situations: it searches the sample for a small
number of boxes (a range for a few parameters, the others left free) where the event is
frequent, with the Patient Rule Induction Method (PRIM) of Friedman and Fisher (1999),
doi:10.1023/A:1008894516817, as used for scenario discovery by Bryant and Lempert (2010),
doi:10.1016/j.techfore.2009.08.002, and the EMA Workbench (Kwakkel 2017,
doi:10.1016/j.envsoft.2017.06.054).

For each box it reports

* **coverage** — the share of all events that fall in the box;
* **density** — the share of points in the box that are events;
* **mass** — the share of all points in the box;
* for each restricted parameter a **quasi-p-value**: a one-sided binomial test of whether
  the box's density could come from the density of the same box with that restriction
  removed (small: the restriction matters; near 0.5: it does not);
* the **peeling trajectory** (coverage, density and limits after each peel), from which the
  box was chosen, and a plain-language :meth:`Discovery.rule`.

The algorithm (atrogame's own vectorised implementation; see docs/how-to/when_it_backfires.md
for why no packaged one is used):

1. *Peeling.* Starting from the whole sample, each step considers, for every parameter, cutting
   off the ``alpha`` share of the points in the box with the lowest or with the highest
   values, and makes the cut after which the box's density is highest (ties: the cut that
   keeps more points, then the first parameter). Peeling stops when the box would hold fewer
   than ``mass_min`` of the points.
2. *Choosing a box.* By default the step with the best balance of coverage and density
   (their harmonic mean); with ``threshold=`` the step of largest coverage whose density
   reaches the threshold.
3. *Pasting.* Limits of the chosen box are widened again, ``paste_alpha`` of its points at a
   time, while that raises its density.
4. *Pruning.* Restrictions whose quasi-p-value exceeds ``prune`` are dropped, least
   significant first, so the box restricts only parameters that matter.
5. *Covering.* The points in the box are set aside and steps 1–4 are repeated on the rest,
   for up to ``max_boxes`` boxes, while a new box is dense enough (``min_density``) and
   covers enough of the events (``min_coverage``).

Everything is deterministic: the same sample gives the same boxes.

Examples
--------
>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> X = {"a": rng.random(4000), "b": rng.random(4000), "c": rng.random(4000)}
>>> event = (X["a"] < 0.3) & (X["b"] > 0.6)
>>> d = explain(X, event)
>>> d.boxes[0].restricted
('a', 'b')
>>> [round(v, 2) for v in d.boxes[0].limits["a"]]
[0.0, 0.3]
>>> d.boxes[0].density, round(d.boxes[0].coverage, 3)
(1.0, 1.0)
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from atrogame.core.contract import ModelLike
from atrogame.core.errors import ParameterError

__all__ = ["Box", "Discovery", "explain", "prim"]


# ---------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Box:
    """One box of the parameter space: limits per parameter and how well it captures the event.

    ``limits`` maps every input to ``(lower, upper)``, both inclusive; an unrestricted input
    gets the range of the data the box was searched in. ``qp_values`` gives the quasi-p-value
    of each restricted input.

    Examples
    --------
    >>> b = Box(limits={"x": (0.0, 0.5), "y": (0.0, 1.0)}, restricted=("x",), coverage=0.9,
    ...         density=0.8, mass=0.2, n=200, n_events=160, qp_values={"x": 1e-9},
    ...         bounds={"x": (0.0, 1.0), "y": (0.0, 1.0)})
    >>> b.contains({"x": [0.1, 0.7], "y": [0.5, 0.5]}).tolist()
    [True, False]
    >>> b.sides()
    {'x': 'upper'}
    """

    limits: Mapping[str, tuple[float, float]]
    restricted: tuple[str, ...]
    coverage: float
    density: float
    mass: float
    n: int
    n_events: int
    qp_values: Mapping[str, float] = field(default_factory=dict)
    #: Quasi-p-value of each cut limit, keyed by (input, "lower" or "upper").
    qp_sides: Mapping[tuple[str, str], float] = field(default_factory=dict)
    #: The data range each input had where the box was searched (decides which side is cut).
    bounds: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def contains(self, X: Mapping[str, Any]) -> np.ndarray:
        """Boolean mask of the points of ``X`` (name -> values) that lie in the box."""
        inside: Any = True
        for name in self.restricted:
            lo, hi = self.limits[name]
            v = np.asarray(X[name], dtype=float)
            inside = inside & (v >= lo) & (v <= hi)
        n = len(np.asarray(next(iter(X.values()))))
        return np.broadcast_to(np.asarray(inside, dtype=bool), (n,)).copy()

    def sides(self) -> dict[str, str]:
        """For each restricted input, which limit is cut: ``"lower"``, ``"upper"`` or ``"both"``."""
        out = {}
        for name in self.restricted:
            lo, hi = self.limits[name]
            blo, bhi = self.bounds.get(name, (-math.inf, math.inf))
            cut_lo, cut_hi = lo > blo, hi < bhi
            out[name] = "both" if cut_lo and cut_hi else "lower" if cut_lo else "upper"
        return out


@dataclass(frozen=True)
class Discovery:
    """The result of :func:`explain`: boxes, peeling trajectories and a plain-language rule.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(0, 1, 1001)
    >>> d = explain({"x": x}, x < 0.25, event_name="cases")
    >>> print(d.rule())
    Cases happen mostly when x is below 0.249: 100% of cases, 100% of the situations in the box (25% of all).
    >>> d.to_dataframe()[["box", "parameter", "lower", "upper"]].values.tolist()
    [[1, 'x', 0.0, 0.249]]
    """

    boxes: tuple[Box, ...]
    trajectories: tuple[Any, ...]  # one pandas.DataFrame per box
    selected: tuple[int, ...]  # the trajectory step each box was chosen from
    inputs: tuple[str, ...]
    n: int
    n_events: int
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    event_name: str = "events"
    subject: str = ""
    settings: Mapping[str, Any] = field(default_factory=dict)
    n_dropped: int = 0
    data: Any = None  # (X, y) the boxes were found in, for plots and recounts

    # ------------------------------------------------------------------ text
    def __repr__(self) -> str:
        head = f"<Discovery of {self.event_name}: {len(self.boxes)} box(es), n={self.n}, events={self.n_events}"
        if self.boxes:
            b = self.boxes[0]
            head += f"; first box {', '.join(b.restricted) or 'unrestricted'}: coverage {b.coverage:.2f}, "
            head += f"density {b.density:.2f}"
        return head + ">"

    def parameter_label(self, p: str) -> str:
        """The long name of parameter ``p`` used in rules and tables (its id with spaces if none)."""
        lab = self.labels.get(p, {})
        return str(lab.get("long_name") or p.replace("_", " "))

    def _value(self, p: str, v: float) -> str:
        units = self.labels.get(p, {}).get("units", "")
        text = f"{v:.3g}"
        return f"{text} {units}" if units else text

    def condition(self, box: int = 0) -> str:
        """The restrictions of box ``box`` in words ("x is below 0.25 and y is above 0.6")."""
        b = self.boxes[box]
        parts = []
        for p, side in b.sides().items():
            lo, hi = b.limits[p]
            if side == "upper":
                parts.append(f"{self.parameter_label(p)} is below {self._value(p, hi)}")
            elif side == "lower":
                parts.append(f"{self.parameter_label(p)} is above {self._value(p, lo)}")
            else:
                parts.append(f"{self.parameter_label(p)} is between {self._value(p, lo)} and {self._value(p, hi)}")
        return " and ".join(parts) if parts else "anywhere in the sampled range"

    def rule(self, box: int | None = None) -> str:
        """A plain-language rule per box (all boxes when ``box`` is None), one sentence each."""
        if not self.boxes:
            return (f"No box found: the {self.event_name} do not concentrate in any region of the sample "
                    f"({self.n_events} of {self.n} points).")
        which = range(len(self.boxes)) if box is None else [box]
        subject = self.subject or self.event_name[:1].upper() + self.event_name[1:] + " happen"
        lines = []
        for i in which:
            b = self.boxes[i]
            also = "" if i == 0 else "also "
            lines.append(f"{subject} {also}mostly when {self.condition(i)}: {b.coverage:.0%} of {self.event_name}, "
                         f"{b.density:.0%} of the situations in the box ({b.mass:.0%} of all).")
        return "\n".join(lines)

    def summary(self) -> str:
        """The rules followed by a table of limits and quasi-p-values."""
        lines = [self.rule(), ""]
        if self.boxes:
            lines.append(self.to_dataframe().to_string(index=False))
        return "\n".join(lines)

    __str__ = summary

    def to_dataframe(self) -> Any:
        """One row per (box, restricted parameter): limits, side, quasi-p-value and box statistics."""
        import pandas as pd

        rows = []
        for i, b in enumerate(self.boxes, start=1):
            for p, side in b.sides().items():
                lo, hi = b.limits[p]
                rows.append({"box": i, "parameter": p, "long_name": self.parameter_label(p),
                             "units": self.labels.get(p, {}).get("units", ""), "lower": lo, "upper": hi,
                             "restricts": side, "qp_value": b.qp_values.get(p, math.nan),
                             "qp_lower": b.qp_sides.get((p, "lower"), math.nan),
                             "qp_upper": b.qp_sides.get((p, "upper"), math.nan),
                             "coverage": b.coverage, "density": b.density, "mass": b.mass,
                             "n": b.n, "n_events": b.n_events})
        cols = ["box", "parameter", "long_name", "units", "lower", "upper", "restricts", "qp_value",
                "qp_lower", "qp_upper", "coverage", "density", "mass", "n", "n_events"]
        return pd.DataFrame(rows, columns=cols)

    # ------------------------------------------------------------------ inspection
    def inspect(self, step: int, box: int = 0) -> Box:
        """The box at peeling step ``step`` of box ``box``'s trajectory (stats and quasi-p-values).

        Use it to pick another trade-off between coverage and density than the one chosen.
        """
        traj = self.trajectories[box]
        if not 0 <= step < len(traj):
            raise ParameterError("step", f"[0, {len(traj) - 1}]", step)
        X, y = self.data
        keep = _remaining(self, box)
        lo = np.array([traj[f"{p}_lower"].iloc[step] for p in self.inputs])
        hi = np.array([traj[f"{p}_upper"].iloc[step] for p in self.inputs])
        return _make_box(X[keep], y[keep], lo, hi, self.inputs, int(y.sum()), len(y))

    def plot(self, kind: str = "trajectory", *, ax: Any = None, **kwargs: Any) -> Any:
        """Forward to :mod:`atrogame.plot.discovery`: ``"trajectory"``, ``"limits"`` or ``"map"``."""
        from atrogame.plot import discovery as pd_

        funcs: dict[str, Callable[..., Any]] = {"trajectory": pd_.trajectory, "limits": pd_.box_limits,
                                                "map": pd_.box_map}
        if kind not in funcs:
            raise ParameterError("kind", "one of " + ", ".join(funcs), kind)
        return funcs[kind](self, ax=ax, **kwargs)


def _remaining(d: Discovery, box: int) -> np.ndarray:
    """The points still in play when box ``box`` was searched (earlier boxes set aside)."""
    X, y = d.data
    keep = np.ones(len(y), dtype=bool)
    for b in d.boxes[:box]:
        keep &= ~_inside(X, b, d.inputs)
    return keep


def _inside(X: np.ndarray, b: Box, inputs: Sequence[str]) -> np.ndarray:
    lo = np.array([b.limits[p][0] for p in inputs])
    hi = np.array([b.limits[p][1] for p in inputs])
    return np.all((lo <= X) & (hi >= X), axis=1)


# ---------------------------------------------------------------------------- the algorithm
def _binom_sf(k: int, n: int, p: float) -> float:
    """P(Binomial(n, p) >= k) (scipy.special, which imports far faster than scipy.stats)."""
    from scipy.special import bdtrc

    if k <= 0:
        return 1.0
    p = min(max(p, 0.0), 1.0)
    if p == 1.0:
        return 1.0
    return float(bdtrc(k - 1, n, p))


def _make_box(X: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray, inputs: Sequence[str],
              total_events: int, total_n: int) -> Box:
    """Statistics and quasi-p-values of the box [lo, hi] over the points (X, y)."""
    bmin, bmax = X.min(axis=0), X.max(axis=0)
    lo = np.maximum(lo, bmin)
    hi = np.minimum(hi, bmax)
    below, above = lo > X, hi < X  # (n, d)
    outside = below | above
    n_out = outside.sum(axis=1)
    inside = n_out == 0
    single = n_out == 1
    n_in, k_in = int(inside.sum()), int(y[inside].sum())
    restricted = [j for j in range(len(inputs)) if lo[j] > bmin[j] or hi[j] < bmax[j]]

    def qp(relax: np.ndarray) -> float:
        # one-sided binomial test: the box's events against the density of the relaxed box
        relaxed = inside | (single & relax)
        return _binom_sf(k_in, n_in, float(y[relaxed].mean()))

    qp_dim, qp_side = {}, {}
    for j in restricted:
        p = inputs[j]
        qp_dim[p] = qp(outside[:, j])
        if lo[j] > bmin[j]:
            qp_side[p, "lower"] = qp(below[:, j])
        if hi[j] < bmax[j]:
            qp_side[p, "upper"] = qp(above[:, j])
    return Box(
        limits={p: (float(lo[j]), float(hi[j])) for j, p in enumerate(inputs)},
        restricted=tuple(inputs[j] for j in restricted),
        coverage=k_in / total_events if total_events else math.nan,
        density=k_in / n_in if n_in else math.nan,
        mass=n_in / total_n,
        n=n_in, n_events=k_in, qp_values=qp_dim, qp_sides=qp_side,
        bounds={p: (float(bmin[j]), float(bmax[j])) for j, p in enumerate(inputs)},
    )


def _peel(X: np.ndarray, y: np.ndarray, alpha: float, n_min: int) -> tuple[np.ndarray, np.ndarray, list]:
    """Peeling trajectory: arrays of lower/upper limits per step and (n, k) per step."""
    d = X.shape[1]
    lo, hi = X.min(axis=0), X.max(axis=0)
    XT = np.ascontiguousarray(X.T)  # one contiguous row per input: partitions and compares run fast
    yf = y.astype(np.float64)
    los, his, counts = [lo.copy()], [hi.copy()], [(len(y), int(y.sum()))]
    while True:
        n_b, k_b = XT.shape[1], round(yf.sum())
        m = int(alpha * (n_b - 1))  # rank of the alpha quantile, as numpy's "lower" method
        if m < 1:
            break
        part = np.partition(XT, (m, n_b - 1 - m), axis=1)
        q_lo, q_hi = part[:, m], part[:, n_b - 1 - m]
        cut_lo = q_lo[:, None] > XT  # points a lower cut would remove, per input
        cut_hi = q_hi[:, None] < XT
        removed = np.concatenate([cut_lo.sum(axis=1), cut_hi.sum(axis=1)])  # (2d,)
        removed_ev = np.rint(np.concatenate([cut_lo @ yf, cut_hi @ yf])).astype(np.int64)
        left = n_b - removed
        ok = (removed > 0) & (left >= n_min)
        if not ok.any():
            break
        dens = np.where(ok, (k_b - removed_ev) / np.maximum(left, 1), -np.inf)
        # best density, then more points kept, then the first candidate
        best = int(np.lexsort((np.arange(2 * d), -left, -dens))[0])
        j = best % d
        keep = ~(cut_lo[j] if best < d else cut_hi[j])
        XT, yf = XT[:, keep], yf[keep]
        # limits are always data values: those of the points left
        lo[j], hi[j] = XT[j].min(), XT[j].max()
        los.append(lo.copy())
        his.append(hi.copy())
        counts.append((XT.shape[1], round(yf.sum())))
    return np.array(los), np.array(his), counts


def _paste(X: np.ndarray, y: np.ndarray, lo: np.ndarray, hi: np.ndarray, alpha: float,
           bmin: np.ndarray, bmax: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Widen restricted limits while that raises the box's density."""
    lo, hi = lo.copy(), hi.copy()
    d = X.shape[1]
    for _ in range(1000):  # each paste adds points; the loop ends long before this bound
        below, above = lo > X, hi < X
        outside = below | above
        n_out = outside.sum(axis=1)
        inside = n_out == 0
        n_in, k_in = int(inside.sum()), int(y[inside].sum())
        if n_in == 0:
            break
        dens0 = k_in / n_in
        m = max(1, math.ceil(alpha * n_in))
        best = (dens0, 0, -1, 0.0)  # density, added points, candidate, new limit
        for j in range(d):
            only_j = n_out == 1
            for side, mask, restricted in ((0, below[:, j] & only_j, lo[j] > bmin[j]),
                                           (1, above[:, j] & only_j, hi[j] < bmax[j])):
                if not restricted or not mask.any():
                    continue
                vals = X[mask, j]
                near = np.sort(vals)[::-1] if side == 0 else np.sort(vals)  # nearest to the limit first
                size = min(m, len(near))
                while size >= 1:  # the alpha share first, then halves of it down to one point
                    new = near[size - 1]
                    add = mask & ((X[:, j] >= new) if side == 0 else (X[:, j] <= new))
                    n_add, k_add = int(add.sum()), int(y[add].sum())
                    dens = (k_in + k_add) / (n_in + n_add)
                    if dens >= dens0 - 1e-12:
                        break
                    size //= 2
                if size < 1:
                    continue
                # a paste must not lower the density; among those, the densest, then the largest
                if best[2] < 0 or dens > best[0] + 1e-12 or (dens >= best[0] - 1e-12 and n_add > best[1]):
                    best = (dens, n_add, 2 * j + side, float(new))
        if best[2] < 0:
            break
        j, side = divmod(best[2], 2)
        if side == 0:
            lo[j] = best[3]
        else:
            hi[j] = best[3]
    return lo, hi


def _prune(X: np.ndarray, y: np.ndarray, box: Box, inputs: Sequence[str], level: float,
           total_events: int, total_n: int) -> Box:
    """Drop restricted limits whose quasi-p-value exceeds ``level``, the least significant first."""
    names = list(inputs)
    while box.qp_sides:
        (p, side), worst = max(box.qp_sides.items(), key=lambda kv: (kv[1], -names.index(kv[0][0])))
        if worst <= level:
            break
        lo = np.array([box.limits[q][0] for q in names])
        hi = np.array([box.limits[q][1] for q in names])
        j = names.index(p)
        if side == "lower":
            lo[j] = -np.inf
        else:
            hi[j] = np.inf
        box = _make_box(X, y, lo, hi, inputs, total_events, total_n)
    return box


def _choose(traj_n: np.ndarray, traj_k: np.ndarray, total_events: int, threshold: float | None) -> int:
    cov = traj_k / total_events
    dens = traj_k / traj_n
    if threshold is not None:
        ok = np.flatnonzero(dens >= threshold)
        if len(ok):
            return int(ok[np.argmax(cov[ok])])  # first step of largest coverage
        return int(np.argmax(dens))
    f = np.where(cov + dens > 0, 2 * cov * dens / np.where(cov + dens > 0, cov + dens, 1), 0.0)
    if len(f) > 1:
        f[0] = -1.0  # the whole sample is no explanation: take a peeled step
    return int(np.argmax(f))


def prim(X: np.ndarray, y: np.ndarray, inputs: Sequence[str], *, alpha: float = 0.05, paste_alpha: float = 0.05,
         mass_min: float = 0.05, threshold: float | None = None, prune: float | None = 0.05,
         max_boxes: int = 3, min_density: float = 0.5, min_coverage: float = 0.05) -> tuple[list, list, list]:
    """PRIM on a numeric matrix ``X`` (n, d) and boolean ``y``: boxes, trajectories, chosen steps.

    The low-level entry point behind :func:`explain` (which validates, labels and wraps the
    result); see the module docstring for the steps.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.linspace(0, 1, 201)[:, None]
    >>> boxes, trajs, steps = prim(x, x[:, 0] > 0.8, ["x"])
    >>> boxes[0].limits["x"], boxes[0].density
    ((0.805, 1.0), 1.0)
    """
    import pandas as pd

    total_n, total_events = len(y), int(y.sum())
    boxes: list[Box] = []
    trajs: list[Any] = []
    steps: list[int] = []
    keep = np.ones(total_n, dtype=bool)
    n_min = max(1, math.ceil(mass_min * total_n))
    for _ in range(max_boxes):
        Xr, yr = X[keep], y[keep]
        if len(yr) < 2 * n_min or yr.sum() == 0:
            break
        los, his, counts = _peel(Xr, yr, alpha, n_min)
        n_arr = np.array([c[0] for c in counts], dtype=float)
        k_arr = np.array([c[1] for c in counts], dtype=float)
        step = _choose(n_arr, k_arr, total_events, threshold)
        bmin, bmax = Xr.min(axis=0), Xr.max(axis=0)
        lo, hi = _paste(Xr, yr, los[step], his[step], paste_alpha, bmin, bmax)
        box = _make_box(Xr, yr, lo, hi, inputs, total_events, total_n)
        if prune is not None:
            box = _prune(Xr, yr, box, inputs, prune, total_events, total_n)
        if not box.restricted or (boxes and (box.density < min_density or box.coverage < min_coverage)):
            break  # no region stands out (an unrestricted box says nothing)
        traj = pd.DataFrame({"coverage": k_arr / total_events, "density": k_arr / n_arr, "mass": n_arr / total_n,
                             "n": n_arr.astype(int), "n_events": k_arr.astype(int),
                             "n_restricted": ((los > bmin) | (his < bmax)).sum(axis=1)})
        for j, p in enumerate(inputs):
            traj[f"{p}_lower"] = los[:, j]
            traj[f"{p}_upper"] = his[:, j]
        traj.index.name = "step"
        boxes.append(box)
        trajs.append(traj)
        steps.append(step)
        keep &= ~_inside(X, box, inputs)
    return boxes, trajs, steps


# ---------------------------------------------------------------------------- inputs
_EVENT_RE = re.compile(r"^\s*([A-Za-z_]\w*)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$")
_OPS: dict[str, Callable[[Any, Any], Any]] = {
    ">": np.greater, "<": np.less, ">=": np.greater_equal, "<=": np.less_equal, "==": np.equal, "!=": np.not_equal,
}


def _event_from_table(table: Mapping[str, Any], event: str, flags: Mapping[str, Sequence[str]]) -> np.ndarray:
    """Evaluate ``"name"`` (truthy) or ``"name OP value"`` on a table of columns."""
    m = _EVENT_RE.match(event)
    name = m.group(1) if m else event.strip()
    if name not in table:
        raise KeyError(f"event {event!r}: no variable {name!r}; have {', '.join(sorted(table))}")
    col = np.asarray(table[name])
    if not m:
        return col.astype(bool) & ~_isnan(col)
    op, raw = m.group(2), m.group(3)
    if name in flags and raw in flags[name]:
        value: Any = list(flags[name]).index(raw)
    else:
        try:
            value = float(raw)
        except ValueError:
            raise ParameterError("event", f"'{name} {op} <number>'" + (
                f" or one of {', '.join(flags[name])}" if name in flags else ""), raw) from None
    return np.asarray(_OPS[op](col, value), dtype=bool) & ~_isnan(col)


def _isnan(a: np.ndarray) -> np.ndarray:
    return np.isnan(a) if np.issubdtype(a.dtype, np.floating) else np.zeros(a.shape, dtype=bool)


def _model_class(model: ModelLike | type[ModelLike] | str | None) -> type[ModelLike] | None:
    """The model class behind ``model`` (an instance, a class or a registry id), or None."""
    if model is None or model == "":
        return None
    if isinstance(model, str):
        from atrogame.core.registry import get_model

        try:
            return get_model(model)
        except KeyError:
            return None
    return model if isinstance(model, type) else type(model)


def _model_labels(model: ModelLike | type[ModelLike] | str | None, names: Sequence[str]) -> dict[str, dict[str, str]]:
    """Long names and units of ``names`` from the model's parameter metadata (``Params.meta``)."""
    cls = _model_class(model)
    params = getattr(cls, "Params", None)
    if params is None:
        return {}
    known = set(params.names())
    out = {}
    for p in names:
        if p not in known:
            continue
        meta = params.meta(p)
        out[p] = {"long_name": str(meta.get("long_name") or p), "units": str(meta.get("units") or "")}
    return out


def _from_backfire(r: Any, model: ModelLike | type[ModelLike] | str | None
                   ) -> tuple[dict[str, np.ndarray], np.ndarray, str, str]:
    if not r.represented:
        raise NotImplementedError(f"{r.tool.id} is not represented in {r.model}: there are no draws to explain")
    draws, y = getattr(r, "draws", None), getattr(r, "backfired", None)
    if draws is None or y is None:
        raise ValueError("this backfire result keeps no draws to explain (draws/backfired are None); "
                         "run atrogame.tools.backfire again")
    word = "raises" if r.harm_sign > 0 else "lowers"
    subject = f"{r.tool.name} {word} {_outcome_long_name(model, r.outcome)}"
    return {k: np.asarray(v, dtype=float) for k, v in draws.items()}, np.asarray(y, dtype=bool), "backfires", subject


def _outcome_long_name(model: ModelLike | type[ModelLike] | str | None, outcome: str) -> str:
    """The declared long name of ``outcome`` (see :func:`atrogame.core.contract.outcome`)."""
    for o in getattr(_model_class(model), "outcomes", ()):
        if getattr(o, "name", None) == outcome and getattr(o, "long_name", ""):
            return str(o.long_name)
    return outcome.replace("_", " ")


def _from_dataset(ds: Any, event: Any, inputs: Sequence[str] | None) -> tuple[dict, np.ndarray, dict, str | None]:
    dim = "sample" if "sample" in ds.dims else next(iter(ds.dims))
    if inputs is None:
        priors = ds.attrs.get("priors")
        if priors:
            inputs = list(json.loads(priors))
        else:
            inputs = [str(c) for c in ds.coords if c != dim and ds[c].dims == (dim,)]
    cols = {}
    for p in inputs:
        if p not in ds.variables:
            raise KeyError(f"input {p!r} not in the dataset; have {', '.join(map(str, ds.variables))}")
        cols[p] = np.asarray(ds[p].values, dtype=float)  # .values computes dask-backed variables
    labels: dict[str, dict[str, str]] = {}
    for p in inputs:
        attrs = ds[p].attrs
        if attrs.get("long_name"):
            labels[p] = {"long_name": str(attrs["long_name"]), "units": str(attrs.get("units", ""))}
    if isinstance(event, str):
        flags = {str(v): str(ds[v].attrs["flag_meanings"]).split() for v in ds.data_vars
                 if "flag_meanings" in ds[v].attrs}
        m = _EVENT_RE.match(event)
        name = m.group(1) if m else event.strip()
        table = {name: np.asarray(ds[name].values)} if name in ds.variables else {}
        flag_vals = ds[name].attrs.get("flag_values") if name in ds.variables else None
        if flag_vals is not None and name in flags:
            # map the flag meaning to its value through flag_values
            vals = list(flag_vals)
            flags = {name: [""] * (max(vals) + 1)}
            for v, meaning in zip(vals, str(ds[name].attrs["flag_meanings"]).split(), strict=False):
                flags[name][v] = meaning
        y = _event_from_table(table or {}, event, flags) if table else _event_from_table({}, event, {})
    elif callable(event):
        y = np.asarray(event(ds), dtype=bool)
    else:
        y = np.asarray(event, dtype=bool)
    return cols, y, labels, ds.attrs.get("model")


def explain(source: Any, event: Any = None, *, inputs: Sequence[str] | None = None, alpha: float = 0.05,
            paste_alpha: float = 0.05, mass_min: float = 0.05, threshold: float | None = None,
            prune: float | None = 0.05, max_boxes: int = 3, min_density: float = 0.5, min_coverage: float = 0.05,
            model: ModelLike | type[ModelLike] | str | None = None,
            labels: Mapping[str, Mapping[str, str]] | None = None, event_name: str | None = None) -> Discovery:
    """Find the boxes of the parameter space where ``event`` concentrates (PRIM scenario discovery).

    Parameters
    ----------
    source:
        A :class:`~atrogame.tools.BackfireResult` (its draws, event: the tool backfires); an
        ``xarray.Dataset`` from ``Model.sample`` (numpy- or dask-backed; inputs: the sampled
        parameters); a ``pandas.DataFrame``; or a mapping of names to equal-length arrays.
    event:
        Boolean array, a callable of ``source`` returning one, or for tables a string: a
        variable name (true where nonzero) or ``"name OP value"`` with OP one of
        ``< <= > >= == !=`` (``"p_war > 0.5"``, ``"regime == corner"`` using the regime's
        flag meanings). Ignored for backfire results. Points where the inputs or the event's
        variable are NaN are left out (counted in ``n_dropped``).
    inputs:
        The columns to search over (default: every sampled parameter / every column but the
        event's).
    alpha, paste_alpha:
        Share of the box's points cut by one peel / added by one paste (Friedman and Fisher's
        default 0.05).
    mass_min:
        Peeling stops before the box holds fewer than this share of the points.
    threshold:
        Choose the peeling step of largest coverage whose density reaches ``threshold``
        (default: the step with the best harmonic mean of coverage and density).
    prune:
        Drop restrictions whose quasi-p-value exceeds this level (None keeps every restriction).
    max_boxes, min_density, min_coverage:
        Covering: search up to ``max_boxes`` boxes; a box after the first is kept only with at
        least this density and this coverage.
    model, labels, event_name:
        Where long names and units come from: a model instance, class or registry id (default:
        the backfire result's or the sample's model), whose parameter metadata is read through
        the public contract; the sample's own variable attributes; or explicit
        ``labels = {name: {"long_name": ..., "units": ...}}``, later ones taking precedence.
        ``event_name`` is what to call the events in the rule.

    Returns
    -------
    Discovery
        See docs/how-to/when_it_backfires.md.

    Examples
    --------
    >>> import atrogame as ag
    >>> m = ag.AndertonBrauer(technology="ces")
    >>> r = ag.tools.backfire("peace_operations", m, {"substitution_elasticity": (0.2, 4.0),
    ...                       "resources": (50, 150), "share_rebels": (0.2, 0.8)}, n=4000, seed=2)
    >>> d = explain(r)
    >>> d.boxes[0].restricted, round(d.boxes[0].limits["substitution_elasticity"][1], 2)
    (('substitution_elasticity',), 1.0)
    >>> print(d.rule())  # doctest: +NORMALIZE_WHITESPACE
    Peace operations raises attacks on civilians mostly when elasticity of substitution between attack types
    is below 1: 100% of backfires, 100% of the situations in the box (22% of all).
    """
    for name, value, lo, hi in (("alpha", alpha, 0.0, 0.5), ("paste_alpha", paste_alpha, 0.0, 0.5),
                                ("mass_min", mass_min, 0.0, 1.0)):
        if not (isinstance(value, int | float) and lo < value < hi):
            raise ParameterError(name, f"({lo:g}, {hi:g})", value)
    if threshold is not None and not (isinstance(threshold, int | float) and 0 < threshold <= 1):
        raise ParameterError("threshold", "(0, 1]", threshold)
    if prune is not None and not (isinstance(prune, int | float) and 0 < prune <= 1):
        raise ParameterError("prune", "(0, 1] or None", prune)
    if not (isinstance(max_boxes, int) and max_boxes >= 1):
        raise ParameterError("max_boxes", "integers >= 1", max_boxes)

    model_ref: ModelLike | type[ModelLike] | str | None = model
    subject = ""
    found_labels: dict[str, dict[str, str]] = {}
    if hasattr(source, "effects") and hasattr(source, "tool"):
        model_ref = model_ref if model_ref is not None else source.model
        cols, y, default_name, subject = _from_backfire(source, model_ref)
        if inputs is not None:
            cols = {p: cols[p] for p in inputs}
    elif hasattr(source, "data_vars") and hasattr(source, "dims"):
        cols, y, found_labels, ds_model = _from_dataset(source, event, inputs)
        model_ref = model_ref if model_ref is not None else ds_model
        default_name = "events" if not isinstance(event, str) else f"cases where {event.strip()}"
    else:
        table = dict(source.items()) if hasattr(source, "items") else None
        if table is None:
            raise TypeError("explain() takes a BackfireResult, an xarray.Dataset, a pandas.DataFrame or a mapping "
                            f"of names to arrays; got {type(source).__name__}")
        if isinstance(event, str):
            y = _event_from_table({k: np.asarray(v) for k, v in table.items()}, event, {})
            m = _EVENT_RE.match(event)
            used = m.group(1) if m else event.strip()
            default_name = f"cases where {event.strip()}"
        else:
            y = np.asarray(event(source) if callable(event) else event, dtype=bool)
            used = None
            default_name = "events"
        names = list(inputs) if inputs is not None else [k for k in table if k != used]
        cols = {p: np.asarray(table[p], dtype=float) for p in names}
    if event is None and not subject:
        raise TypeError("explain() needs an event for a table or dataset (a boolean array, a callable or "
                        "'name OP value')")
    if not cols:
        raise ValueError("no inputs to search over")
    names = list(cols)
    X = np.column_stack([cols[p] for p in names])
    y = np.asarray(y, dtype=bool).reshape(-1)
    if len(y) != len(X):
        raise ValueError(f"event has {len(y)} values but the inputs have {len(X)} rows")
    ok = np.all(np.isfinite(X), axis=1)
    if hasattr(source, "data_vars") and isinstance(event, str):
        m = _EVENT_RE.match(event)
        vname = m.group(1) if m else event.strip()
        vals = np.asarray(source[vname].values)
        ok &= ~_isnan(vals)
    n_dropped = int((~ok).sum())
    X, y = X[ok], y[ok]
    if len(y) < 2:
        raise ValueError("fewer than two usable points to explain")

    lab = {**_model_labels(model_ref, names), **found_labels, **{k: dict(v) for k, v in (labels or {}).items()}}
    settings = {"alpha": alpha, "paste_alpha": paste_alpha, "mass_min": mass_min, "threshold": threshold,
                "prune": prune, "max_boxes": max_boxes, "min_density": min_density, "min_coverage": min_coverage}
    boxes: list[Box] = []
    trajs: list[Any] = []
    steps: list[int] = []
    if y.sum() > 0:
        boxes, trajs, steps = prim(X, y, names, alpha=alpha, paste_alpha=paste_alpha, mass_min=mass_min,
                                   threshold=threshold, prune=prune, max_boxes=max_boxes,
                                   min_density=min_density, min_coverage=min_coverage)
    return Discovery(boxes=tuple(boxes), trajectories=tuple(trajs), selected=tuple(steps), inputs=tuple(names),
                     n=len(y), n_events=int(y.sum()), labels=lab, event_name=event_name or default_name,
                     subject=subject, settings=settings, n_dropped=n_dropped, data=(X, y))


def with_labels(d: Discovery, labels: Mapping[str, Mapping[str, str]]) -> Discovery:
    """A copy of ``d`` with some parameter labels replaced (for reports in other words)."""
    return replace(d, labels={**d.labels, **{k: dict(v) for k, v in labels.items()}})
