"""Optional dependencies: import them with an error that names the extra to install.

Examples
--------
>>> import sys
>>> np = require("numpy", extra="io", feature="arrays")
>>> np.__name__
'numpy'
>>> saved, sys.modules["pyarrow"] = sys.modules.get("pyarrow"), None
>>> try:
...     require("pyarrow", extra="io", feature="writing Parquet")
... except ImportError as exc:
...     print(exc)
... finally:
...     _ = sys.modules.pop("pyarrow") if saved is None else sys.modules.__setitem__("pyarrow", saved)
writing Parquet needs the optional dependency 'pyarrow', which is not installed: pip install "atrogame[io]"
"""

from __future__ import annotations

import importlib
from types import ModuleType

#: Which extra of ``pip install "atrogame[...]"`` brings each optional module.
EXTRAS: dict[str, str] = {
    "pyarrow": "io", "netCDF4": "io", "dask": "parallel", "distributed": "parallel", "zarr": "parallel",
    "sphinx": "docs", "myst_parser": "docs",
}


class MissingOptionalDependency(ModuleNotFoundError):
    """An optional dependency is not installed; the message names the extra that brings it."""


def require(module: str, *, extra: str | None = None, feature: str | None = None) -> ModuleType:
    """Import ``module``, or raise :class:`MissingOptionalDependency` naming ``pip install "atrogame[extra]"``."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".")[0]
        ex = extra or EXTRAS.get(top, "")
        hint = f'pip install "atrogame[{ex}]"' if ex else f"pip install {top}"
        what = feature or "this feature"
        raise MissingOptionalDependency(
            f"{what} needs the optional dependency {top!r}, which is not installed: {hint}", name=top) from exc
