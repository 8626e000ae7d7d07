"""CLI subcommands for research output: ``cite``, ``backfire``, ``net`` and ``sample``.

Every random verb takes ``--seed`` and prints the seed it used (drawn fresh when omitted),
so any run can be replayed exactly.

Examples
--------
>>> sub = argparse.ArgumentParser(prog="atrogame").add_subparsers(dest="command")
>>> register(sub)
>>> sorted(sub.choices)
['backfire', 'cite', 'net', 'sample']
"""

from __future__ import annotations

import argparse
from typing import Any

from atrogame.cli.options import UsageError, add_model_arguments, model_from_args
from atrogame.cli.sensitivity import parse_bounds


def register(sub: Any) -> None:
    """Add the ``cite``, ``backfire``, ``net`` and ``sample`` subcommands to the ``atrogame`` parser."""
    from atrogame.cite import add_cite_parser

    add_cite_parser(sub)

    p = sub.add_parser("backfire", help="probability that a tool backfires over draws of the situation")
    p.add_argument("tool", help="tool id (see `atrogame tools list`)")
    add_model_arguments(p)
    p.add_argument("--prior", action="append", default=[], metavar="NAME=LOW:HIGH",
                   help="uniform prior of a parameter, or a bare NAME for its default range "
                        "(repeatable; default: the model's default priors)")
    p.add_argument("--n", type=int, default=2000, help="number of draws")
    p.add_argument("--seed", type=int, default=None, help="seed of the draws (default: fresh, printed)")
    p.add_argument("--outcome", help="outcome whose rise is a backfire (default: the model's harm outcome)")
    p.add_argument("--intensity", type=float, default=1.0)
    p.set_defaults(func=cmd_backfire)

    p = sub.add_parser("net", help="harm averted per unit of third-party cost, per tool")
    add_model_arguments(p)
    p.add_argument("--tools", help="comma-separated tool ids (default: every tool)")
    p.add_argument("--outcome", help="harm outcome (default: the model's)")
    p.add_argument("--intensity", type=float, default=1.0)
    p.add_argument("--out", help="write the table to a .csv file")
    p.set_defaults(func=cmd_net)

    p = sub.add_parser("sample", help="solve a model at random (or quasi-random) parameter draws")
    add_model_arguments(p)
    p.add_argument("--prior", action="append", default=[], metavar="NAME=LOW:HIGH",
                   help="uniform prior of a parameter, or a bare NAME for its default range "
                        "(repeatable; default: every parameter on its default range)")
    p.add_argument("--n", type=int, default=1024, help="number of points")
    p.add_argument("--seed", type=int, default=None, help="seed of the design (default: fresh, printed)")
    p.add_argument("--method", choices=("random", "latin", "sobol"), default="random")
    p.add_argument("--outcome", action="append", default=[], help="outcome to keep (repeatable)")
    p.add_argument("--out", help="output file (.csv, .nc or .parquet)")
    p.set_defaults(func=cmd_sample)


def _priors(items: list[str]) -> dict[str, Any] | None:
    try:
        return parse_bounds(items)
    except UsageError as exc:
        raise UsageError(str(exc).replace("--bounds", "--prior")) from None


def _check_n(n: int) -> None:
    if n < 1:
        raise UsageError(f"--n must be at least 1; got {n}")


def cmd_backfire(args: argparse.Namespace) -> int:
    """``atrogame backfire TOOL MODEL``: backfire probability, effect range, drivers, seed."""
    from atrogame.tools import backfire

    _check_n(args.n)
    model = model_from_args(args, "backfire")
    r = backfire(args.tool, model, _priors(args.prior), n=args.n, seed=args.seed, outcome=args.outcome,
                 intensity=args.intensity)
    print(r.to_dataframe().T.to_string())
    print(f"seed: {r.seed} (pass --seed {r.seed} to replay these draws)")
    return 0


def cmd_net(args: argparse.Namespace) -> int:
    """``atrogame net MODEL``: net assessment table (or a CSV file)."""
    from atrogame.io import atomic_write
    from atrogame.tools import net_assessment

    model = model_from_args(args, "net")
    tools = [t.strip() for t in args.tools.split(",") if t.strip()] if args.tools else None
    df = net_assessment(tools, model, intensity=args.intensity, outcome=args.outcome).to_dataframe()
    if args.out:
        atomic_write(args.out, lambda p: df.to_csv(p, index=False))
        print(f"wrote {args.out}")
    else:
        print(df.to_string(index=False))
    return 0


def cmd_sample(args: argparse.Namespace) -> int:
    """``atrogame sample MODEL``: solve at ``--n`` draws; print the dataset or write it; print the seed."""
    from atrogame.io import write_dataset

    _check_n(args.n)
    model = model_from_args(args, "sample")
    ds = model.sample(_priors(args.prior), n=args.n, seed=args.seed, method=args.method,
                      outcomes=args.outcome or None)
    seed = ds.attrs["seed"]
    if args.out is None:
        print(ds)
    else:
        path = write_dataset(ds, args.out)
        print(f"wrote {path} ({args.n} points)")
    print(f"seed: {seed} (pass --seed {seed} to replay this design)")
    return 0
