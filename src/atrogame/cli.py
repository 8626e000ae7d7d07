"""The ``atrogame`` command line.

``main(argv) -> int`` is testable in-process. Exit status: 0 on success, 1 on a
domain error (message on stderr, no traceback), 2 on a usage error: bad or duplicate
options, an invalid count, or an output path that cannot be written (a read-only folder,
a path under a file); these print one line on stderr, never a traceback.

Examples
--------
>>> main(["solve", "anderton_brauer", "--technology", "ces",
...       "--set", "substitution_elasticity=0.5", "--set", "productivity_civilians=0.5"])
... # doctest: +ELLIPSIS
Equilibrium of anderton_brauer ...
  civilian_attacks ... 58.5786...
0
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from atrogame.core.errors import ParameterError

#: Modules that add subcommands: each defines ``register(subparsers)``. Add a line per module.
_EXTENSIONS: tuple[str, ...] = (
    "atrogame.cli_tools",
    "atrogame.cli_sensitivity",
    "atrogame.cli_research",
)


class UsageError(Exception):
    """Bad command-line usage detected after parsing (exit status 2).

    Examples
    --------
    >>> parse_sets(["resources"])
    Traceback (most recent call last):
    ...
    atrogame.cli.UsageError: --set expects name=value; got 'resources'
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
    >>> parse_sets(["resources=50", "resources=60"])
    Traceback (most recent call last):
    ...
    atrogame.cli.UsageError: --set resources given twice ('resources=50', 'resources=60'); give each parameter once
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
    atrogame.cli.UsageError: --grid a given twice ('a=0:1:3', 'a=5,6'); give each parameter once
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


def build_model(name: str, sets: dict[str, Any], technology: str | None = None) -> Any:
    """Construct a registered model from CLI options.

    Examples
    --------
    >>> build_model("kydd_straus", {"intervention_commitment": 0.8}).params.intervention_commitment
    0.8
    >>> build_model("anderton_brauer", {}, technology="ces").technology
    'ces'
    """
    from atrogame.core.registry import get_model

    cls = get_model(name)
    kwargs = dict(sets)
    if technology is not None:
        kwargs["technology"] = technology
    return cls(**kwargs)


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


#: Help text of every option that names a model.
_MODEL_HELP = "a model id (see `atrogame models`) or an import path package.module:Class"


def _add_model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("model", help=_MODEL_HELP)
    p.add_argument("--technology", help="technology family (anderton_brauer only)")
    p.add_argument("--set", action="append", metavar="NAME=VALUE", default=[],
                   help="set a parameter (repeatable)")


# ---------------------------------------------------------------------- commands
def cmd_models(args: argparse.Namespace) -> int:
    """``atrogame models``: every registered model (atrogame's own and plug-ins) with its class,
    provenance, citation and reference.

    A plug-in whose entry point cannot be imported is reported on stderr (exit status 1) and
    the others are still listed.
    """
    from atrogame.core.registry import get_model, model_ids

    status = 0
    for mid in model_ids():
        try:
            cls = get_model(mid)
        except KeyError as exc:
            print(f"atrogame: error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
            status = 1
            continue
        print(f"{mid:<18} {cls.__module__}:{cls.__qualname__} [{cls.provenance}]")
        print(f"{'':<18} {cls.citation}")
        if cls.reference:
            print(f"{'':<18} {cls.reference}")
    return status


def cmd_describe(args: argparse.Namespace) -> int:
    """``atrogame describe MODEL``: print a model's parameter table, outcomes and regimes."""
    model = build_model(args.model, {}, args.technology)
    print(f"{model.name}: {type(model).citation}")
    if type(model).reference:
        print(type(model).reference)
    print()
    print(model.describe().to_string())
    print()
    print("Outcomes: " + ", ".join(model.outcome_names))
    print("Regimes:  " + ", ".join(model.regime_names))
    return 0


def cmd_solve(args: argparse.Namespace) -> int:
    """``atrogame solve MODEL``: print the equilibrium (as text or JSON)."""
    model = build_model(args.model, parse_sets(args.set), args.technology)
    eq = model.solve() if args.method is None else model.solve(method=args.method)
    if args.json:
        print(json.dumps(jsonable(eq.to_dict()), indent=2))
    else:
        print(eq.summary())
    return 0


def cmd_statics(args: argparse.Namespace) -> int:
    """``atrogame statics MODEL``: print comparative statics (table, JSON or LaTeX)."""
    model = build_model(args.model, parse_sets(args.set), args.technology)
    cs = model.comparative_statics(wrt=args.wrt or None, of=args.of or None)
    if args.json:
        print(json.dumps(jsonable(cs.to_dict()), indent=2))
    elif args.latex:
        print(cs.to_latex())
    else:
        df = cs.to_dataframe()[["sign", "value", "elasticity", "regime", "boundary"]]
        print(df.to_string())
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """``atrogame sweep MODEL --grid ...``: solve over a grid; print it or write it to a file."""
    from atrogame.io import write_dataset

    model = build_model(args.model, parse_sets(args.set), args.technology)
    if not args.grid:
        raise UsageError("sweep needs at least one --grid name=start:stop:num")
    grid = parse_grids(args.grid)
    ds = model.sweep(outcomes=args.outcome or None, **grid)
    if args.out is None:
        print(ds)
        return 0
    path = write_dataset(ds, args.out)
    print(f"wrote {path} ({int(np.prod(list(ds.sizes.values())))} points)")
    return 0


def cmd_figures(args: argparse.Namespace) -> int:
    """``atrogame figures list|make``: list the registered figures or write some of them."""
    from atrogame import figures

    if args.action == "list":
        for fid, spec in figures.registry().items():
            print(f"{fid:<26} {spec.caption}")
        return 0
    if not args.ids:
        raise UsageError("figures make needs at least one figure id")
    for fid in args.ids:
        for path in figures.make(fid, args.out, formats=args.format.split(",")):
            print(f"wrote {path}")
    return 0


def cmd_reproduce(args: argparse.Namespace) -> int:
    """``atrogame reproduce``: write every registered figure (or those of ``--model``) and ``summary.md``."""
    from atrogame import figures
    from atrogame.core.registry import get_model

    ids = None
    if args.model:
        wanted = {get_model(m).name for m in args.model}  # ids or import paths
        ids = [fid for fid, spec in figures.registry().items() if spec.model in wanted]
        if not ids:
            raise UsageError(f"no registered figure shows {', '.join(sorted(wanted))}; see `atrogame figures list`")

    def progress(i: int, total: int, fid: str, seconds: float) -> None:
        if not args.quiet:
            print(f"[{i}/{total}] {fid} ({seconds:.1f} s)", file=sys.stderr, flush=True)

    summary = figures.reproduce(args.out, formats=args.format.split(","), ids=ids, progress=progress)
    print(f"wrote {len(figures.registry()) if ids is None else len(ids)} figures and {summary}")
    return 0


# ---------------------------------------------------------------------- parser
def build_parser() -> argparse.ArgumentParser:
    """The ``atrogame`` argument parser, with the subcommands of every module in ``_EXTENSIONS``."""
    parser = argparse.ArgumentParser(
        prog="atrogame",
        description="Models of mass-atrocity prevention: solve, comparative statics, sweeps, figures.",
    )
    from atrogame import __version__

    parser.add_argument("--version", action="version", version=f"atrogame {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("models", help="list the registered models")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("describe", help="parameter table of a model")
    p.add_argument("model", help=_MODEL_HELP)
    p.add_argument("--technology")
    p.set_defaults(func=cmd_describe)

    p = sub.add_parser("solve", help="solve a model at given parameters")
    _add_model_options(p)
    p.add_argument("--method", help="solution method (model-specific; default auto)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("statics", help="comparative statics at given parameters")
    _add_model_options(p)
    p.add_argument("--wrt", action="append", default=[], help="parameter (repeatable)")
    p.add_argument("--of", action="append", default=[], help="outcome (repeatable)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--latex", action="store_true")
    p.set_defaults(func=cmd_statics)

    p = sub.add_parser("sweep", help="solve over a parameter grid")
    _add_model_options(p)
    p.add_argument("--grid", action="append", default=[], metavar="NAME=START:STOP:NUM",
                   help="a swept parameter: start:stop:num or v1,v2,... (repeatable)")
    p.add_argument("--outcome", action="append", default=[], help="outcome to keep (repeatable)")
    p.add_argument("--out", help="output file (.csv, .nc or .parquet)")
    p.set_defaults(func=cmd_sweep)

    p = sub.add_parser("figures", help="list or make registered figures")
    p.add_argument("action", choices=["list", "make"])
    p.add_argument("ids", nargs="*")
    p.add_argument("--out", default="figures")
    p.add_argument("--format", default="png,pdf")
    p.set_defaults(func=cmd_figures)

    p = sub.add_parser("reproduce", help="make every registered figure and summary.md")
    p.add_argument("--model", action="append", default=[], metavar="MODEL",
                   help="only the figures of this model: an id or package.module:Class (repeatable)")
    p.add_argument("--out", default="figures")
    p.add_argument("--format", default="png,pdf")
    p.add_argument("--quiet", action="store_true", help="no per-figure progress lines on stderr")
    p.set_defaults(func=cmd_reproduce)

    for mod in _EXTENSIONS:
        importlib.import_module(mod).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI with ``argv`` (default ``sys.argv[1:]``); return the exit status.

    0 on success, 1 on a domain error (message on stderr, no traceback), 2 on a usage error.

    Examples
    --------
    >>> main(["models"])  # doctest: +ELLIPSIS
    anderton_brauer    atrogame.models.anderton_brauer:AndertonBrauer [reconstruction]
                       after Anderton & Brauer (2016, 2021)
    ...
    kydd_straus        atrogame.models.kydd_straus:KyddStraus [reconstruction]
                       after Kydd & Straus (2013)
    ...
    0
    >>> main(["solve", "kydd_straus", "--set", "rebel_strength=2"])  # message on stderr
    1
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    try:
        return int(args.func(args))
    except BrokenPipeError:  # output piped into e.g. `head`, which closed early: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except UsageError as exc:
        print(f"atrogame: usage error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # an output path that cannot be written: read-only folder, a path under a file, ...
        where = f": {exc.filename}" if exc.filename else ""
        print(f"atrogame: error: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2
    except (ParameterError, KeyError, TypeError, ValueError, NotImplementedError) as exc:
        msg = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"atrogame: error: {msg}", file=sys.stderr)
        return 1
