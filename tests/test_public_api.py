"""``atrogame.__all__`` is the complete list of the package's public top-level names."""

from __future__ import annotations

import importlib
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import atrogame as ag

ROOT = Path(__file__).resolve().parents[1]


def _own_model_entry_points() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["entry-points"]["atrogame.models"]


def test_all_is_sorted_unique_and_every_name_resolves():
    assert ag.__all__ == sorted(set(ag.__all__), key=ag.__all__.index)  # no duplicates
    assert sorted(ag.__all__, key=str.casefold) == sorted(ag.__all__, key=str.casefold)
    for name in ag.__all__:
        assert getattr(ag, name) is not None, name


def test_every_model_atrogame_ships_is_a_top_level_name():
    eps = _own_model_entry_points()
    assert {"kydd_straus", "anderton_brauer", "fearon", "mobilisation"} <= set(eps)
    for model_id, target in eps.items():
        module, _, cls_name = target.partition(":")
        cls = getattr(importlib.import_module(module), cls_name)
        assert cls_name in ag.__all__, f"{cls_name} (model {model_id!r}) is missing from atrogame.__all__"
        assert getattr(ag, cls_name) is cls
        assert ag.get_model(model_id) is cls


def test_every_public_name_in_the_namespace_is_in_all():
    """Every public name ``dir(atrogame)`` offers is in ``__all__``, except subpackages and modules."""
    public = set()
    for name in dir(ag):
        if name.startswith("_") or name == "annotations":  # ``from __future__ import annotations``
            continue
        if isinstance(getattr(ag, name), types.ModuleType):
            continue
        public.add(name)
    assert public == set(ag.__all__) - {"__version__"}


def test_the_contract_names_are_top_level():
    for name in ("Model", "Parameters", "param", "outcome", "Outcome", "lever", "Lever", "ModelLike",
                 "get_model", "register_model", "unregister_model", "model_ids", "ParameterError"):
        assert name in ag.__all__, name


def test_atrogame_models_stays_the_subpackage_after_a_model_is_imported():
    """One name, one thing: ``atrogame.models`` is the package of atrogame's own models."""
    import atrogame.models.kydd_straus  # noqa: F401 (binds atrogame.models as a side effect)

    assert isinstance(ag.models, types.ModuleType)
    assert ag.models.__name__ == "atrogame.models"
    assert "models" not in ag.__all__


def test_star_import_gives_exactly_all_and_stays_light():
    code = ("import sys; ns = {}; exec('from atrogame import *', ns); "
            "names = sorted(k for k in ns if k != '__builtins__'); "
            "import atrogame; assert names == sorted(atrogame.__all__), names; "
            "print(sorted(m for m in ('matplotlib', 'SALib', 'dask') if m in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"
