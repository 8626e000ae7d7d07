"""An explicit, typed registry whose ``KeyError`` lists close matches.

Examples
--------
>>> r = Registry("model", {"kydd_straus": 1, "anderton_brauer": 2})
>>> r["kyd_straus"]
Traceback (most recent call last):
...
KeyError: "unknown model 'kyd_straus'; did you mean 'kydd_straus'? Known: anderton_brauer, kydd_straus"
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Mapping[str, T], Generic[T]):
    """A read-mostly mapping from ids to objects (models, figures, tools).

    ``kind`` names what is registered and appears in error messages; an unknown
    key raises a ``KeyError`` that suggests close matches and lists the known ids.

    Examples
    --------
    >>> figs = Registry("figure", {"ks-tree": "tree"})
    >>> figs.register("ab-demand", "demand")
    'demand'
    >>> sorted(figs), len(figs), figs["ks-tree"]
    (['ab-demand', 'ks-tree'], 2, 'tree')
    >>> figs["ab-demnd"]
    Traceback (most recent call last):
    ...
    KeyError: "unknown figure 'ab-demnd'; did you mean 'ab-demand'? Known: ab-demand, ks-tree"
    """

    def __init__(self, kind: str, items: Mapping[str, T] | None = None) -> None:
        self.kind = kind
        self._items: dict[str, T] = dict(items or {})

    def register(self, key: str, value: T) -> T:
        if key in self._items and self._items[key] is not value:
            raise ValueError(f"{self.kind} {key!r} is already registered")
        self._items[key] = value
        return value

    def unregister(self, key: str) -> T:
        """Remove ``key`` and return what was registered (``KeyError`` lists close matches).

        Examples
        --------
        >>> r = Registry("thing", {"a": 1})
        >>> r.unregister("a"), len(r)
        (1, 0)
        """
        value = self[key]
        del self._items[key]
        return value

    def __getitem__(self, key: str) -> T:
        try:
            return self._items[key]
        except KeyError:
            close = difflib.get_close_matches(key, list(self._items), n=3)
            hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
            known = ", ".join(sorted(self._items))
            raise KeyError(f"unknown {self.kind} {key!r}{hint} Known: {known}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __repr__(self) -> str:
        return f"Registry({self.kind!r}, {sorted(self._items)})"


# ---------------------------------------------------------------------- the model registry
#: Entry-point group through which installed packages (atrogame included) provide models.
MODELS_GROUP = "atrogame.models"
#: Entry-point group through which installed packages provide figure modules.
FIGURES_GROUP = "atrogame.figures"

_MODELS: Registry[Any] = Registry("model")
_LOADED = False


def entry_points_of(group: str) -> list[Any]:
    """The installed entry points of ``group``, sorted by name."""
    from importlib.metadata import entry_points

    return sorted(entry_points(group=group), key=lambda ep: ep.name)


def _load_models() -> Registry[Any]:
    """The model registry, with every ``atrogame.models`` entry point added on first use.

    Entry points are recorded, not imported: a model's module is imported when it is first
    looked up, so ``import atrogame`` stays light.
    """
    global _LOADED
    if not _LOADED:
        _LOADED = True
        for ep in entry_points_of(MODELS_GROUP):
            if ep.name not in _MODELS:
                _MODELS.register(ep.name, ep)
    return _MODELS


def register_model(cls: Any, name: str | None = None) -> Any:
    """Register a model class (defined in a script or notebook) under ``name`` (default ``cls.name``).

    After this the model appears everywhere a registered model does: ``atrogame.get_model``,
    the CLI (``atrogame models``, ``solve``, ``sweep``, ...), the tools and the brief. Returns
    the class, so it can be used as a decorator. Registering a different class under a taken
    name raises ``ValueError``; call :func:`unregister_model` first.

    Examples
    --------
    >>> from atrogame.testing.models import Toy
    >>> register_model(Toy) is Toy, "toy" in model_ids()
    (True, True)
    >>> unregister_model("toy") is Toy, "toy" in model_ids()
    (True, False)
    """
    key = name or getattr(cls, "name", None)
    if not key or key == "model":
        raise ValueError(f"{cls!r} needs a registry id: set the class attribute name = '...' or pass name=")
    reg = _load_models()
    if key in reg and _resolve(reg[key]) is cls:
        return cls
    reg.register(key, cls)
    return cls


def unregister_model(name: str) -> Any:
    """Remove a registered model and return its class (``KeyError`` lists close matches)."""
    return _resolve(_load_models().unregister(name))


def _resolve(entry: Any) -> Any:
    if isinstance(entry, type):
        return entry
    cls = entry.load()  # an importlib.metadata.EntryPoint
    return cls


def get_model(name: str) -> Any:
    """The model class registered under ``name`` (``KeyError`` lists close matches).

    ``name`` may also be an import path ``"package.module:ClassName"``, so a model that is not
    registered (a researcher's model in progress, or a test model) can be used wherever a model
    id is accepted, the command line included.

    Examples
    --------
    >>> get_model("kydd_straus").__name__
    'KyddStraus'
    >>> get_model("atrogame.testing.models:Toy").name
    'toy'
    """
    if ":" in name:
        return _import_model(name)
    reg = _load_models()
    cls = _resolve(reg[name])
    reg._items[name] = cls  # imported once; later lookups are a dict access
    return cls


def _import_model(path: str) -> Any:
    """Import ``"package.module:ClassName"`` and check that it is a model class."""
    import importlib

    module_name, _, attr = path.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise KeyError(f"cannot import model {path!r}: {exc}") from None
    if not (isinstance(obj, type) and callable(getattr(obj, "solve", None)) and hasattr(obj, "Params")):
        raise KeyError(f"{path!r} is not a model class (see the 'Writing a model' page of the docs)")
    return obj


def model_ids() -> tuple[str, ...]:
    """The ids of every registered model, atrogame's own first, in registration order.

    Examples
    --------
    >>> model_ids()[:4]
    ('anderton_brauer', 'fearon', 'kydd_straus', 'mobilisation')
    """
    return tuple(_load_models())


def models() -> dict[str, Any]:
    """Every registered model id mapped to its class (imports them)."""
    return {k: get_model(k) for k in model_ids()}
