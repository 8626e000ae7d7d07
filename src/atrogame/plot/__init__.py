"""Plotting: free functions with one signature style, each returning the ``Axes``.

matplotlib is imported inside the functions, so ``import atrogame`` never loads it.
Axis labels come from metadata (``long_name`` and ``symbol`` attrs), never hard-coded.

Examples
--------
>>> import numpy as np, atrogame as ag
>>> ds = ag.KyddStraus().sweep(intervention_commitment=np.linspace(0, 1, 11))
>>> ax = sweep(ds, x="intervention_commitment", y="p_war")
>>> ax.get_xlabel()
'intervention commitment [$i$]'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np


def _plt() -> Any:
    import matplotlib

    if matplotlib.get_backend().lower() not in ("agg", "pdf", "svg") and not _has_display():
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _has_display() -> bool:
    import os

    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _ax(ax: Any) -> Any:
    if ax is None:
        _, ax = _plt().subplots(figsize=(6, 4))
    return ax


def label(attrs: Mapping[str, Any], fallback: str = "") -> str:
    """An axis label from ``long_name``, ``symbol`` and ``units`` attrs.

    Examples
    --------
    >>> label({"long_name": "price", "symbol": "p_C", "units": "resources"})
    'price [$p_C$] (resources)'
    """
    name = attrs.get("long_name") or fallback
    sym = attrs.get("symbol")
    text = f"{name} [${sym}$]" if sym and sym != fallback else str(name)
    if attrs.get("units"):
        text += f" ({attrs['units']})"
    return text


def subplots(nrows: int = 1, ncols: int = 1, **kw: Any) -> tuple[Any, Any]:
    """``matplotlib.pyplot.subplots`` with atrogame's defaults; returns (figure, axes).

    The defaults are a 5 × 3.8 inch panel per subplot and a constrained layout; any
    keyword overrides them.

    Examples
    --------
    >>> fig, axes = subplots(1, 2)
    >>> axes.shape, fig.get_size_inches().tolist()
    ((2,), [10.0, 3.8])
    """
    kw.setdefault("figsize", (5.0 * ncols, 3.8 * nrows))
    kw.setdefault("layout", "constrained")
    return _plt().subplots(nrows, ncols, **kw)


def sweep(ds: Any, x: str, y: str, *, hue: str | None = None, ax: Any = None, **kw: Any) -> Any:
    """Line plot of outcome ``y`` against coordinate ``x`` of a sweep Dataset.

    With ``hue``, one line per value of that coordinate. Other swept dimensions must
    have length 1 (select them first with ``ds.sel``).

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> ds = Toy().sweep(benefit=[0.5, 1.5, 3.0], threshold=[0.0, 1.0])
    >>> ax = sweep(ds, x="benefit", y="x", hue="threshold")
    >>> len(ax.lines), ax.get_xlabel()
    (2, 'marginal benefit [$b$]')
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['threshold = 0', 'threshold = 1']
    """
    ax = _ax(ax)
    da = ds[y]
    extra = [d for d in da.dims if d not in (x, hue)]
    for d in extra:
        if da.sizes[d] != 1:
            raise ValueError(f"dimension {d!r} has {da.sizes[d]} values; select one with ds.sel")
        da = da.isel({d: 0})
    if hue is None:
        ax.plot(ds[x].values, da.transpose(x).values, **kw)
    else:
        hattrs = ds[hue].attrs
        for v in ds[hue].values:
            ax.plot(ds[x].values, da.sel({hue: v}).values,
                    label=f"{hattrs.get('long_name', hue)} = {v:g}", **kw)
        ax.legend(frameon=False)
    ax.set_xlabel(label(ds[x].attrs, x))
    ax.set_ylabel(label(da.attrs, y))
    return ax


def regimes(ds: Any, x: str, y: str, *, ax: Any = None, contour: str | None = None,
            colors: Mapping[str, str] | None = None) -> Any:
    """Regime map of a 2-D sweep: regimes as filled colours, optional contours of an outcome.

    ``colors`` maps regime names to colours; the legend lists the regimes present.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> ds = Toy().sweep(benefit=[0.5, 1.5, 3.0], threshold=[0.0, 1.0, 2.0])
    >>> ax = regimes(ds, x="benefit", y="threshold", contour="x")
    >>> [t.get_text() for t in ax.get_legend().get_texts()], ax.get_ylabel()
    (['corner', 'interior'], 'threshold [$t$]')
    """
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    ax = _ax(ax)
    reg = ds["regime"].transpose(y, x)
    names = reg.attrs["flag_meanings"].split()
    default = ["#d9d9d9", "#fdae61", "#abd9e9", "#2c7bb6", "#d7191c", "#1a9641"]
    cols = [(colors or {}).get(n, default[i % len(default)]) for i, n in enumerate(names)]
    ax.pcolormesh(ds[x].values, ds[y].values, reg.values, cmap=ListedColormap(cols),
                  vmin=-0.5, vmax=len(names) - 0.5, shading="nearest")
    present = sorted(set(np.unique(reg.values).tolist()))
    ax.legend(handles=[Patch(color=cols[i], label=names[i]) for i in present if i >= 0],
              loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, title="regime")
    if contour is not None:
        cs = ax.contour(ds[x].values, ds[y].values, ds[contour].transpose(y, x).values,
                        colors="k", linewidths=0.8)
        ax.clabel(cs, fontsize=7, fmt="%.3g")
    ax.set_xlabel(label(ds[x].attrs, x))
    ax.set_ylabel(label(ds[y].attrs, y))
    return ax


def statics(cs: Any, *, ax: Any = None, kind: str = "elasticity") -> Any:
    """Horizontal bars of a :class:`~atrogame.ComparativeStatics` (elasticities or values).

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> ax = statics(Toy().comparative_statics(of="x"), kind="value")
    >>> ax.get_title(), [t.get_text() for t in ax.get_yticklabels()]
    ('Comparative statics of toy', ['x / benefit', 'x / curvature', 'x / threshold'])
    """
    ax = _ax(ax)
    entries = list(cs)
    vals = [(e.elasticity if kind == "elasticity" else e.value) or 0.0 for e in entries]
    names = [f"{e.outcome} / {e.wrt}" for e in entries]
    colors = ["#2c7bb6" if v < 0 else "#d7191c" for v in vals]
    ax.barh(names, vals, color=colors)
    ax.axvline(0, color="k", linewidth=0.8)
    ax.set_xlabel("elasticity" if kind == "elasticity" else "derivative")
    ax.set_title(f"Comparative statics of {cs.model}")
    return ax
