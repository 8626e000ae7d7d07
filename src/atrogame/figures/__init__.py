"""The figure registry: one registered function per figure, shared by CLI, docs and tests.

A figure module registers builders with :func:`figure`::

    @figure("ks-war-risk", model="kydd_straus", caption="...", data=war_risk_data)
    def war_risk() -> "Figure": ...

``data`` (optional) returns the arrays behind the figure, so tests check numbers,
not pixels; ``numbers`` (optional) returns the key numbers listed in ``summary.md``.

Examples
--------
>>> from atrogame.figures import registry
>>> "ab-optimum" in registry()
True
"""

from __future__ import annotations

import importlib
import os
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from atrogame.core.registry import Registry

FIGURES: Registry[FigureSpec] = Registry("figure")
_loaded = False


@dataclass(frozen=True)
class FigureSpec:
    """A registered figure: its id, model, caption, builder and data functions.

    Created by the :func:`figure` decorator; look one up with :func:`get`.

    Examples
    --------
    >>> spec = get("ks-war-risk")
    >>> spec.id, spec.model, spec.data is not None
    ('ks-war-risk', 'kydd_straus', True)
    >>> "Kydd & Straus (2013)" in spec.caption
    True
    """

    id: str
    model: str
    caption: str
    builder: Callable[[], Any]
    data: Callable[[], Mapping[str, Any]] | None = None
    numbers: Callable[[], Mapping[str, Any]] | None = None

    def make(self) -> Any:
        """Build and return the matplotlib ``Figure``."""
        return self.builder()


def figure(
    id: str,
    *,
    model: str,
    caption: str,
    data: Callable[[], Mapping[str, Any]] | None = None,
    numbers: Callable[[], Mapping[str, Any]] | None = None,
) -> Callable[[Callable[[], Any]], Callable[[], Any]]:
    """Register a figure builder under ``id``.

    Parameters
    ----------
    id:
        The figure id (``"<model>-<name>"``), used by the CLI, docs and tests.
    model:
        The id of the model the figure shows.
    caption:
        The caption, attributing the model ("after Kydd & Straus (2013)" etc.).
    data, numbers:
        Optional functions returning the arrays behind the figure and its key numbers.

    Examples
    --------
    >>> @figure("demo-empty", model="toy", caption="An empty figure (demonstration only).")
    ... def demo():
    ...     import matplotlib.figure
    ...     return matplotlib.figure.Figure()
    >>> FIGURES["demo-empty"].make().axes
    []
    >>> FIGURES.unregister("demo-empty").id  # keep the registry clean
    'demo-empty'
    """

    def deco(fn: Callable[[], Any]) -> Callable[[], Any]:
        FIGURES.register(id, FigureSpec(id, model, caption, fn, data, numbers))
        return fn

    return deco


def registry() -> Registry[FigureSpec]:
    """Every registered figure (imports the figure modules on first call).

    Examples
    --------
    >>> reg = registry()
    >>> "ks-tree" in reg, reg["ab-demand"].model
    (True, 'anderton_brauer')
    """
    global _loaded
    if not _loaded:
        _loaded = True
        from atrogame.core.registry import FIGURES_GROUP, entry_points_of

        # figure modules are plug-ins (entry-point group "atrogame.figures"): atrogame's own first
        eps = entry_points_of(FIGURES_GROUP)
        for ep in sorted(eps, key=lambda e: (not e.value.startswith("atrogame."), e.name)):
            if ep.value.startswith("atrogame."):
                importlib.import_module(ep.value)
                continue
            try:  # another package's figures: one that fails to import must not hide the others
                importlib.import_module(ep.value)
            except Exception as exc:
                import warnings

                from atrogame.core.errors import AtrogameWarning

                warnings.warn(f"figures of entry point {ep.name!r} ({ep.value!r}, group {FIGURES_GROUP!r}) "
                              f"not loaded: {type(exc).__name__}: {exc}", AtrogameWarning, stacklevel=2)
    return FIGURES


def get(figure_id: str) -> FigureSpec:
    """The registered figure ``figure_id`` (``KeyError`` lists close matches).

    Examples
    --------
    >>> get("ks-tree").model
    'kydd_straus'
    >>> get("ks-tre")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "unknown figure 'ks-tre'; did you mean 'ks-tree'...
    """
    return registry()[figure_id]


def make(figure_id: str, out: str | os.PathLike[str] | None = None,
         formats: Sequence[str] = ("png", "pdf"), dpi: int = 150) -> Any:
    """Build a figure; with ``out`` (a folder) also write it in each format and return the paths.

    Without ``out`` the matplotlib ``Figure`` is returned (rendered with Agg unless
    ``MPLBACKEND`` is set). Files are written atomically, named ``<figure_id>.<format>``.

    Examples
    --------
    >>> import tempfile
    >>> fig = make("ks-war-risk")
    >>> len(fig.axes)
    1
    >>> [p.name for p in make("ks-war-risk", tempfile.mkdtemp(), formats=("png",))]
    ['ks-war-risk.png']
    """
    _use_agg()
    import matplotlib.pyplot as plt

    fig = get(figure_id).make()
    if out is None:
        return fig
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for fmt in formats:
        path = out_dir / f"{figure_id}.{fmt}"
        _atomic_savefig(fig, path, fmt, dpi)
        paths.append(path)
    plt.close(fig)
    return paths


def _atomic_savefig(fig: Any, path: Path, fmt: str, dpi: int) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    try:
        fig.savefig(tmp, format=fmt, dpi=dpi, bbox_inches="tight", metadata=_metadata(fmt))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _metadata(fmt: str) -> dict[str, Any] | None:
    # Fixed metadata keeps outputs reproducible (no creation dates).
    if fmt == "pdf":
        return {"Creator": "atrogame", "Producer": "atrogame", "CreationDate": None}
    if fmt == "png":
        return {"Software": "atrogame"}
    return None


def _use_agg() -> None:
    import matplotlib

    if not os.environ.get("MPLBACKEND"):
        matplotlib.use("Agg")


def reproduce(out: str | os.PathLike[str], formats: Sequence[str] = ("png", "pdf"),
              ids: Sequence[str] | None = None, progress: Any = None) -> Path:
    """Write every registered figure (or ``ids``) and a ``summary.md``; return the summary path.

    ``summary.md`` lists each figure's model, caption, files and key numbers. ``progress``,
    if given, is called as ``progress(i, total, figure_id, seconds)`` after each figure
    (the CLI prints one line per figure with it).

    Examples
    --------
    >>> import tempfile
    >>> summary = reproduce(tempfile.mkdtemp(), formats=("png",), ids=["ks-tree"])
    >>> sorted(p.name for p in summary.parent.iterdir())
    ['ks-tree.png', 'summary.md']
    >>> summary.read_text().splitlines()[0]
    '# atrogame: reproduced figures'
    """
    from atrogame import __version__

    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    reg = registry()
    chosen = list(reg) if ids is None else list(ids)
    lines = [
        "# atrogame: reproduced figures",
        "",
        f"atrogame {__version__}. Every figure is computed from the models; the models are "
        "atrogame's reconstructions of published descriptions, and the numbers are atrogame's "
        "own, not the original authors'.",
        "",
    ]
    for i, fid in enumerate(chosen, 1):
        spec = reg[fid]
        t0 = time.monotonic()
        paths = make(fid, out_dir, formats)
        if progress is not None:
            progress(i, len(chosen), fid, time.monotonic() - t0)
        lines += [f"## {fid}", "", f"Model: `{spec.model}`.", "", spec.caption, ""]
        lines.append("Files: " + ", ".join(f"[{p.name}]({p.name})" for p in paths))
        lines.append("")
        if spec.numbers is not None:
            lines += ["| key number | value |", "|---|---|"]
            for k, v in spec.numbers().items():
                lines.append(f"| {k} | {_fmt(v)} |")
            lines.append("")
    summary = out_dir / "summary.md"
    tmp = summary.with_name(".summary.md.tmp")
    tmp.write_text("\n".join(lines), encoding="utf-8")
    os.replace(tmp, summary)
    return summary


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)
