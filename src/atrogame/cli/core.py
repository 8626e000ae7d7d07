"""The model and figure subcommands: ``models``, ``describe``, ``solve``, ``statics``, ``sweep``,
``figures`` and ``reproduce``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np

from atrogame.cli.options import (
    MODEL_HELP,
    UsageError,
    add_model_arguments,
    deprecated,
    jsonable,
    model_from_args,
    parse_grids,
)


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
    model = model_from_args(args, "describe")
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
    model = model_from_args(args, "solve")
    eq = model.solve() if args.method is None else model.solve(method=args.method)
    if args.json:
        print(json.dumps(jsonable(eq.to_dict()), indent=2))
    else:
        print(eq.summary())
    return 0


def cmd_statics(args: argparse.Namespace) -> int:
    """``atrogame statics MODEL``: print comparative statics (table, JSON or LaTeX)."""
    model = model_from_args(args, "statics")
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

    model = model_from_args(args, "sweep")
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
    """``atrogame reproduce [MODEL ...]``: write every registered figure (or those of the models) and ``summary.md``."""
    from atrogame import figures
    from atrogame.core.registry import get_model

    ids = None
    names = list(args.model)
    for m in args.model_alias:
        deprecated(f"reproduce --model {m}", f"reproduce {m}")
        names.append(m)
    if names:
        wanted = {get_model(m).name for m in names}  # ids or import paths
        ids = [fid for fid, spec in figures.registry().items() if spec.model in wanted]
        if not ids:
            raise UsageError(f"no registered figure shows {', '.join(sorted(wanted))}; see `atrogame figures list`")

    def progress(i: int, total: int, fid: str, seconds: float) -> None:
        if not args.quiet:
            print(f"[{i}/{total}] {fid} ({seconds:.1f} s)", file=sys.stderr, flush=True)

    summary = figures.reproduce(args.out, formats=args.format.split(","), ids=ids, progress=progress)
    print(f"wrote {len(figures.registry()) if ids is None else len(ids)} figures and {summary}")
    return 0


def register(sub: Any) -> None:
    """Add the model and figure subcommands to the ``atrogame`` parser.

    Examples
    --------
    >>> sub = argparse.ArgumentParser(prog="atrogame").add_subparsers(dest="command")
    >>> register(sub)
    >>> sorted(sub.choices)
    ['describe', 'figures', 'models', 'reproduce', 'solve', 'statics', 'sweep']
    """
    p = sub.add_parser("models", help="list the registered models")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("describe", help="parameter table of a model")
    add_model_arguments(p)
    p.set_defaults(func=cmd_describe)

    p = sub.add_parser("solve", help="solve a model at given parameters")
    add_model_arguments(p)
    p.add_argument("--method", help="solution method (model-specific; default auto)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_solve)

    p = sub.add_parser("statics", help="comparative statics at given parameters")
    add_model_arguments(p)
    p.add_argument("--wrt", action="append", default=[], help="parameter (repeatable)")
    p.add_argument("--of", action="append", default=[], help="outcome (repeatable)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--latex", action="store_true")
    p.set_defaults(func=cmd_statics)

    p = sub.add_parser("sweep", help="solve over a parameter grid")
    add_model_arguments(p)
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
    p.add_argument("model", nargs="*", metavar="MODEL",
                   help="only the figures of these models: " + MODEL_HELP)
    p.add_argument("--model", dest="model_alias", action="append", default=[], metavar="MODEL",
                   help="deprecated alias of the positional MODEL (repeatable)")
    p.add_argument("--out", default="figures")
    p.add_argument("--format", default="png,pdf")
    p.add_argument("--quiet", action="store_true", help="no per-figure progress lines on stderr")
    p.set_defaults(func=cmd_reproduce)

