"""atrogame: game-theoretic and economic models of mass-atrocity prevention.

Models are reconstructions from published descriptions ("after Kydd & Straus (2013)",
"after Anderton & Brauer (2016)", "after Esteban, Morelli & Rohner (2015)"); their functional
forms and numbers are atrogame's own.

Examples
--------
>>> import atrogame as ag
>>> round(ag.AndertonBrauer().solve().civilian_attacks, 6)
50.0
"""

from __future__ import annotations

from typing import Any as _Any  # private: only public names in the namespace (see __all__)

__version__ = "0.1.0"

from atrogame.core.contract import Lever, ModelLike, Outcome, lever, outcome
from atrogame.core.errors import (
    AtrogameWarning,
    ConvergenceWarning,
    MultipleOptimaWarning,
    NumericalFallbackWarning,
    ParameterError,
    RegimeBoundaryWarning,
)
from atrogame.core.parameters import Parameters, param

# ``atrogame.models`` is the subpackage of atrogame's own models; the registry's ``models()``
# (every registered id mapped to its class) stays in atrogame.core.registry, since one
# attribute cannot be both (importing a model module would replace the function by the package).
from atrogame.core.registry import get_model, model_ids, register_model, unregister_model
from atrogame.core.results import ComparativeStatics, Equilibrium, StaticsEntry

# Models and subpackages are loaded on first access (PEP 562) so that importing
# atrogame stays light and never loads matplotlib, SALib or dask.
_LAZY = {
    "Model": ("atrogame.model", "Model"),
    "AndertonBrauer": ("atrogame.models.anderton_brauer", "AndertonBrauer"),
    "KyddStraus": ("atrogame.models.kydd_straus", "KyddStraus"),
    "Fearon": ("atrogame.models.fearon", "Fearon"),
    "Mobilisation": ("atrogame.models.mobilisation", "Mobilisation"),
    "AtrocityTactics": ("atrogame.models.tactics", "AtrocityTactics"),
    "PenalizingAtrocities": ("atrogame.models.penalizing_atrocities", "PenalizingAtrocities"),
    "StrategicMassKilling": ("atrogame.models.strategic_mass_killing", "StrategicMassKilling"),
    "policies": ("atrogame.policies", None),
    "figures": ("atrogame.figures", None),
    "plot": ("atrogame.plot", None),
    "models": ("atrogame.models", None),
    "tools": ("atrogame.tools", None),
    "strategies": ("atrogame.strategies", None),
    "solvers": ("atrogame.solvers", None),
    "sensitivity": ("atrogame.sensitivity", None),
    "engine": ("atrogame.engine", None),
    "sampling": ("atrogame.sampling", None),
    "testing": ("atrogame.testing", None),
    "io": ("atrogame.io", None),
    "brief": ("atrogame.brief", None),
    "discovery": ("atrogame.discovery", None),
}


def __getattr__(name: str) -> _Any:
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        mod = importlib.import_module(module)
        value = mod if attr is None else getattr(mod, attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'atrogame' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])


__all__ = [
    "AndertonBrauer",
    "AtrocityTactics",
    "AtrogameWarning",
    "ComparativeStatics",
    "ConvergenceWarning",
    "Equilibrium",
    "Fearon",
    "KyddStraus",
    "Lever",
    "Mobilisation",
    "Model",
    "ModelLike",
    "MultipleOptimaWarning",
    "NumericalFallbackWarning",
    "Outcome",
    "ParameterError",
    "Parameters",
    "PenalizingAtrocities",
    "RegimeBoundaryWarning",
    "StaticsEntry",
    "StrategicMassKilling",
    "__version__",
    "get_model",
    "lever",
    "model_ids",
    "outcome",
    "param",
    "register_model",
    "unregister_model",
]
