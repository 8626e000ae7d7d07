"""The registry of atrogame's models.

Models are imported on first lookup, so ``import atrogame`` stays light.

Examples
--------
>>> from atrogame.models import get_model, MODEL_IDS
>>> get_model("kydd_straus").__name__
'KyddStraus'
"""

from __future__ import annotations

import importlib
from typing import Any

from atrogame.core.registry import Registry

#: model id -> (module, class name). Add a line here when a model is added.
_MODELS: dict[str, tuple[str, str]] = {
    "anderton_brauer": ("atrogame.models.anderton_brauer", "AndertonBrauer"),
    "kydd_straus": ("atrogame.models.kydd_straus", "KyddStraus"),
    "fearon": ("atrogame.models.fearon", "Fearon"),
    "mobilisation": ("atrogame.models.mobilisation", "Mobilisation"),
    "toy": ("atrogame.models.toy", "Toy"),
    "ishigami": ("atrogame.models.ishigami", "Ishigami"),
}

#: Test models: registered (so the CLI and tests can reach them) but not public.
_TEST_MODELS = frozenset({"toy", "ishigami"})

#: Public model ids (the test models are not listed).
MODEL_IDS = tuple(k for k in _MODELS if k not in _TEST_MODELS)


def _available() -> Registry[tuple[str, str]]:
    return Registry("model", _MODELS)


def get_model(name: str) -> Any:
    """The model class registered under ``name`` (``KeyError`` lists close matches).

    Examples
    --------
    >>> get_model("kydd_straus").__name__
    'KyddStraus'
    >>> get_model("toy")(benefit=3.0).solve().x
    2.0
    """
    module, cls = _available()[name]
    return getattr(importlib.import_module(module), cls)


def registered() -> dict[str, Any]:
    """Every public model id mapped to its class (imports them).

    The test models (``toy``, ``ishigami``) are not listed.

    Examples
    --------
    >>> {k: cls.__name__ for k, cls in registered().items()}  # doctest: +NORMALIZE_WHITESPACE
    {'anderton_brauer': 'AndertonBrauer', 'kydd_straus': 'KyddStraus', 'fearon': 'Fearon',
     'mobilisation': 'Mobilisation'}
    """
    return {k: get_model(k) for k in MODEL_IDS}
