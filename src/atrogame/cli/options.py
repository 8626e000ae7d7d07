"""Shared command-line helpers: value parsing and the one set of model options.

Every subcommand that acts on a model gets its model options from :func:`add_model_arguments`
and builds the model with :func:`model_from_args`, so the spelling is the same everywhere:

``MODEL [--technology T] [--objective O] [--set NAME=VALUE ...]``

``MODEL`` is positional. ``--model MODEL`` is still accepted as a deprecated alias and prints a
one-line note on stderr. A ``--set`` name the model does not have is a usage error (exit
status 2) whose one line lists the model's parameters, read from its parameter metadata.
"""

from __future__ import annotations

import argparse
import inspect
import math
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

#: Help text of every argument that names a model.
MODEL_HELP = "a model id (see `atrogame models`) or an import path package.module:Class"


class UsageError(Exception):
    """Bad command-line usage detected after parsing (exit status 2).

    Examples
    --------
    >>> parse_sets(["resources"])
    Traceback (most recent call last):
    ...
    atrogame.cli.options.UsageError: --set expects name=value; got 'resources'
    """


# ---------------------------------------------------------------------- helpers
def parse_value(text: str) -> Any:
    """A ``--set`` value: a float when it parses as one, else the string.

    Examples
    --------
    >>> parse_value("0.5"), parse_value("1e3"), parse_value("ces")
    (0.5, 1000.0, 'ces')
    """
    try:
        return float(text)
    except ValueError:
        return text


def parse_sets(items: Sequence[str] | None) -> dict[str, Any]:
    """Repeated ``--set name=value`` options as a dict (values through :func:`parse_value`).

    Examples
    --------
    >>> parse_sets(["resources=50", "technology = ces"])
    {'resources': 50.0, 'technology': 'ces'}
    >>> parse_sets(None)
    {}
    >>> parse_sets(["resources=50", "resources=60"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    atrogame.cli.options.UsageError: --set resources given twice ('resources=50', 'resources=60'); give each ...
    """
    out: dict[str, Any] = {}
    seen: dict[str, str] = {}
    for item in items or ():
        if "=" not in item:
            raise UsageError(f"--set expects name=value; got {item!r}")
        k, v = item.split("=", 1)
        k = k.strip()
        if k in seen:
            raise UsageError(f"--set {k} given twice ({seen[k]!r}, {item!r}); give each parameter once")
        seen[k] = item
        out[k] = parse_value(v.strip())
    return out


def parse_grids(items: Sequence[str]) -> dict[str, np.ndarray]:
    """Repeated ``--grid`` options as a dict; a parameter given twice is a usage error.

    Examples
    --------
    >>> sorted(parse_grids(["a=0:1:3", "b=1,2"]))
    ['a', 'b']
    >>> parse_grids(["a=0:1:3", "a=5,6"])
    Traceback (most recent call last):
    ...
    atrogame.cli.options.UsageError: --grid a given twice ('a=0:1:3', 'a=5,6'); give each parameter once
    """
    out: dict[str, np.ndarray] = {}
    seen: dict[str, str] = {}
    for item in items:
        k, values = parse_grid(item)
        if k in seen:
            raise UsageError(f"--grid {k} given twice ({seen[k]!r}, {item!r}); give each parameter once")
        seen[k] = item
        out[k] = values
    return out


def parse_grid(item: str) -> tuple[str, np.ndarray]:
    """``name=start:stop:num`` (inclusive linspace) or ``name=v1,v2,...``.

    Examples
    --------
    >>> name, values = parse_grid("intervention_commitment=0:1:5")
    >>> name, values.tolist()
    ('intervention_commitment', [0.0, 0.25, 0.5, 0.75, 1.0])
    >>> parse_grid("resources=50,100")[1].tolist()
    [50.0, 100.0]
    """
    if "=" not in item:
        raise UsageError(f"--grid expects name=start:stop:num or name=v1,v2,...; got {item!r}")
    k, spec = item.split("=", 1)
    try:
        if ":" in spec:
            parts = spec.split(":")
            if len(parts) != 3:
                raise ValueError
            start, stop, num = float(parts[0]), float(parts[1]), int(parts[2])
            if num < 1:
                raise ValueError
            return k.strip(), np.linspace(start, stop, num)
        return k.strip(), np.array([float(x) for x in spec.split(",")])
    except ValueError:
        raise UsageError(f"bad --grid {item!r}: use name=start:stop:num or name=v1,v2,...") from None


def jsonable(obj: Any) -> Any:
    """Convert to JSON-safe types (inf/nan become the strings "inf"/"-inf"/"nan").

    Examples
    --------
    >>> jsonable({"a": float("inf"), "b": np.float64(2.0), "c": (1, float("nan"))})
    {'a': 'inf', 'b': 2.0, 'c': [1, 'nan']}
    """
    if isinstance(obj, dict):
        return {str(k): jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [jsonable(v) for v in obj]
    if isinstance(obj, np.generic):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return "nan" if math.isnan(obj) else ("inf" if obj > 0 else "-inf")
    return obj


# ---------------------------------------------------------------------- model options
def add_model_arguments(p: argparse.ArgumentParser, *, required: bool = True, settings: bool = True) -> None:
    """Add the model options every model subcommand shares: ``MODEL``, ``--technology``,
    ``--objective`` and ``--set NAME=VALUE`` (the last three only with ``settings``), plus the
    deprecated alias ``--model MODEL``.

    ``MODEL`` is optional on the parser so the alias can stand in for it; :func:`model_name`
    enforces ``required``.

    Examples
    --------
    >>> p = argparse.ArgumentParser(prog="x")
    >>> add_model_arguments(p)
    >>> a = p.parse_args(["kydd_straus", "--set", "rebel_strength=0.5"])
    >>> model_name(a, "x"), a.set
    ('kydd_straus', ['rebel_strength=0.5'])
    """
    p.add_argument("model", nargs="?", metavar="MODEL",
                   help=MODEL_HELP + ("" if required else " (optional)"))
    p.add_argument("--model", dest="model_alias", metavar="MODEL",
                   help="deprecated alias of the positional MODEL")
    p.set_defaults(model_required=required)
    if settings:
        p.add_argument("--technology", help="technology family, for models that have one (anderton_brauer)")
        p.add_argument("--objective", help="the actor's objective, for models that have one (anderton_brauer)")
        p.add_argument("--set", action="append", metavar="NAME=VALUE", default=[],
                       help="set a parameter (repeatable); see `atrogame describe MODEL` for the names")


def deprecated(old: str, new: str) -> None:
    """Print the one-line note of a deprecated spelling on stderr (the command still runs).

    Examples
    --------
    >>> import contextlib, io
    >>> buf = io.StringIO()
    >>> with contextlib.redirect_stderr(buf):
    ...     deprecated("--model M", "M")
    >>> buf.getvalue()
    'atrogame: DeprecationWarning: `--model M` is deprecated; write `M` instead\\n'
    """
    print(f"atrogame: DeprecationWarning: `{old}` is deprecated; write `{new}` instead", file=sys.stderr)


def model_name(args: argparse.Namespace, command: str = "this command") -> str | None:
    """The model named on the command line, positionally or through the deprecated ``--model``."""
    pos, alias = getattr(args, "model", None), getattr(args, "model_alias", None)
    if alias is not None:
        if pos is not None and pos != alias:
            raise UsageError(f"{command}: the model is given twice ({pos!r} and --model {alias!r}); give it once")
        deprecated(f"--model {alias}", alias)
        pos = alias
    if pos is None and getattr(args, "model_required", True):
        raise UsageError(f"{command} needs a MODEL: a model id (see `atrogame models`) or package.module:Class")
    return pos


def _options(cls: Any) -> set[str]:
    """Keyword options of a model's constructor besides its parameters (``technology``, ...)."""
    try:
        sig = inspect.signature(cls.__init__)
    except (TypeError, ValueError):
        return set()
    kinds = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    return {n for n, p in sig.parameters.items() if p.kind in kinds and n not in ("self", "params")}


def build_model(name: str, sets: dict[str, Any], technology: str | None = None,
                objective: str | None = None) -> Any:
    """Construct a model from CLI options, checking every name against the model's metadata.

    A ``--set`` name the model rejects that is neither a parameter nor a constructor option, or
    ``--technology`` / ``--objective`` on a model without one, raises :class:`UsageError` (one
    line, listing the model's parameters); every other check is the model's own.

    Examples
    --------
    >>> build_model("kydd_straus", {"intervention_commitment": 0.8}).params.intervention_commitment
    0.8
    >>> build_model("anderton_brauer", {}, technology="ces").technology
    'ces'
    >>> build_model("kydd_straus", {"resolve": 1.0})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    atrogame.cli.options.UsageError: --set: unknown parameter 'resolve' for kydd_straus; valid parameters: ...
    """
    from atrogame.core.registry import get_model

    cls = get_model(name)
    kwargs = dict(sets)
    for flag, value in (("technology", technology), ("objective", objective)):
        if value is not None:
            kwargs[flag] = value
    try:
        return cls(**kwargs)
    except TypeError:  # an unknown name: say which, in one line, with the valid ones
        problem = _unknown_names(name, cls, sets, technology, objective)
        if problem:
            raise UsageError(problem) from None
        raise


def _unknown_names(name: str, cls: Any, sets: dict[str, Any], technology: str | None,
                   objective: str | None) -> str | None:
    """Why a model rejected its CLI options, from its parameter metadata (``None``: not a name)."""
    opts = _options(cls)
    flags = {"technology": technology, "objective": objective}
    try:
        base = cls(**{k: v for k, v in {**flags, **sets}.items() if k in opts and v is not None})
    except (TypeError, ValueError):
        return None
    params = getattr(base, "Params", None)
    names = [n for n in (params.names() if params is not None and hasattr(params, "names") else ())
             if not n.startswith("_")]
    names += [n for n in base.parameter_values() if n not in names]
    for flag, value in flags.items():
        if value is not None and flag not in opts and flag not in names:
            return f"--{flag}: model {name} has no {flag} option"
    unknown = [k for k in sets if k not in names and k not in opts]
    if not unknown:
        return None
    s = "s" if len(unknown) > 1 else ""
    return (f"--set: unknown parameter{s} {', '.join(map(repr, unknown))} for {name}; "
            f"valid parameters: {', '.join(names)}")


def model_from_args(args: argparse.Namespace, command: str = "this command") -> Any:
    """The model a subcommand acts on, from the options :func:`add_model_arguments` added."""
    name = model_name(args, command)
    if name is None:
        return None
    return build_model(name, parse_sets(getattr(args, "set", None)), getattr(args, "technology", None),
                       getattr(args, "objective", None))
