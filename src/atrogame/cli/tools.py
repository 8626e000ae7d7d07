"""CLI subcommands for third-party tools: ``atrogame tools …`` and ``atrogame brief``."""

from __future__ import annotations

import argparse
from typing import Any

from atrogame.cli.options import add_model_arguments, model_from_args, model_name


def register(sub: Any) -> None:
    """Add the ``tools`` and ``brief`` subcommands to the ``atrogame`` parser.

    Examples
    --------
    >>> sub = argparse.ArgumentParser(prog="atrogame").add_subparsers(dest="command")
    >>> register(sub)
    >>> sorted(sub.choices)
    ['brief', 'tools']
    """
    p = sub.add_parser("tools", help="third-party tools: list, assess one, compare all")
    tsub = p.add_subparsers(dest="tools_command", required=True, metavar="ACTION")
    q = tsub.add_parser("list", help="the tool catalogue")
    add_model_arguments(q, required=False, settings=False)
    q.set_defaults(func=cmd_list)

    q = tsub.add_parser("assess", help="the effect of one tool on a model")
    q.add_argument("tool")
    add_model_arguments(q)
    q.add_argument("--intensity", type=float, default=1.0)
    q.set_defaults(func=cmd_assess)

    q = tsub.add_parser("compare", help="every tool's effect on a model, grouped by strategy")
    add_model_arguments(q)
    q.add_argument("--outcome", help="one outcome (default: the model's headline outcomes)")
    q.add_argument("--out", help="write the table to a .csv file")
    q.set_defaults(func=cmd_compare)

    q = tsub.add_parser("backfire", help="probability that a tool backfires under uncertainty (--explain: where)")
    q.add_argument("tool")
    add_model_arguments(q)
    q.add_argument("--outcome", help="the harm outcome (default: the model's)")
    q.add_argument("--n", type=int, default=10_000, help="number of drawn situations")
    q.add_argument("--seed", type=int, default=0)
    q.add_argument("--explain", action="store_true",
                   help="find where it backfires (scenario discovery, see docs/how-to/when_it_backfires.md)")
    q.add_argument("--threshold", type=float, help="with --explain: the density the box must reach")
    q.set_defaults(func=cmd_backfire)

    p = sub.add_parser("brief", help="write a self-contained HTML policy brief")
    add_model_arguments(p)
    p.add_argument("--tools", required=True, help="comma-separated tool ids")
    p.add_argument("--out", default="brief.html")
    p.add_argument("--n", type=int, default=2000, help="draws for the backfire risk")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_brief)


def cmd_list(args: argparse.Namespace) -> int:
    """``atrogame tools list``: print the tool catalogue (optionally one model's levers)."""
    from atrogame.tools import catalogue

    name = model_name(args, "tools list")
    df = catalogue([name] if name else None)
    model_cols = [c for c in df.columns if c not in ("name", "definition", "strategies", "mechanisms", "cost")]
    print(df[["name", "strategies", *model_cols]].to_string())
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    """``atrogame tools assess TOOL MODEL``: print one tool's effect."""
    from atrogame.tools import assess

    a = assess(args.tool, model_from_args(args, "tools assess"), intensity=args.intensity)
    print(a.summary())
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """``atrogame tools compare MODEL``: every tool's effect as a table (or a CSV file)."""
    from atrogame.io import atomic_write
    from atrogame.tools import compare

    model = model_from_args(args, "tools compare")
    c = compare(model, outcomes=[args.outcome] if args.outcome else None)
    df = c.to_dataframe()[["tool", "strategy", "outcome", "represented", "before", "after", "change", "marginal"]]
    if args.out:
        atomic_write(args.out, lambda p: df.to_csv(p, index=False))
        print(f"wrote {args.out}")
    else:
        print(df.to_string(index=False))
    return 0


def cmd_backfire(args: argparse.Namespace) -> int:
    """``atrogame tools backfire TOOL MODEL [--explain]``: backfire probability, and where it backfires."""
    from atrogame.tools import backfire

    model = model_from_args(args, "tools backfire")
    r = backfire(args.tool, model, n=args.n, seed=args.seed, outcome=args.outcome)
    print(repr(r))
    if args.explain and r.represented:
        d = r.explain(threshold=args.threshold, model=model)
        print(d.rule())
        if d.boxes:
            cols = ["box", "parameter", "lower", "upper", "restricts", "qp_value", "coverage", "density", "mass"]
            print(d.to_dataframe()[cols].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    return 0


def cmd_brief(args: argparse.Namespace) -> int:
    """``atrogame brief MODEL --tools ...``: write the HTML policy brief."""
    from atrogame.brief import write_brief

    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    path = write_brief(model_from_args(args, "brief"), tools, args.out, n=args.n, seed=args.seed)
    print(f"wrote {path}")
    return 0
