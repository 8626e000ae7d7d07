"""CLI subcommands for third-party tools: ``atrogame tools …`` and ``atrogame brief``."""

from __future__ import annotations

import argparse
from typing import Any

#: Help text of every ``--model`` option.
_MODEL_HELP = "a model id (see `atrogame models`) or an import path package.module:Class"


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
    q.add_argument("--model", help="show the levers for this model only: " + _MODEL_HELP)
    q.set_defaults(func=cmd_list)

    q = tsub.add_parser("assess", help="the effect of one tool on a model")
    q.add_argument("tool")
    q.add_argument("--model", required=True, help=_MODEL_HELP)
    q.add_argument("--technology")
    q.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    q.add_argument("--intensity", type=float, default=1.0)
    q.set_defaults(func=cmd_assess)

    q = tsub.add_parser("compare", help="every tool's effect on a model, grouped by strategy")
    q.add_argument("--model", required=True, help=_MODEL_HELP)
    q.add_argument("--technology")
    q.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    q.add_argument("--outcome", help="one outcome (default: the model's headline outcomes)")
    q.add_argument("--out", help="write the table to a .csv file")
    q.set_defaults(func=cmd_compare)

    q = tsub.add_parser("backfire", help="probability that a tool backfires under uncertainty (--explain: where)")
    q.add_argument("tool")
    q.add_argument("model_pos", nargs="?", metavar="MODEL", help="the model (or --model)")
    q.add_argument("--model", dest="model_opt")
    q.add_argument("--technology")
    q.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    q.add_argument("--outcome", help="the harm outcome (default: the model's)")
    q.add_argument("--n", type=int, default=10_000, help="number of drawn situations")
    q.add_argument("--seed", type=int, default=0)
    q.add_argument("--explain", action="store_true",
                   help="find where it backfires (scenario discovery, see docs/how-to/when_it_backfires.md)")
    q.add_argument("--threshold", type=float, help="with --explain: the density the box must reach")
    q.set_defaults(func=cmd_backfire)

    p = sub.add_parser("brief", help="write a self-contained HTML policy brief")
    p.add_argument("--model", required=True, help=_MODEL_HELP)
    p.add_argument("--tools", required=True, help="comma-separated tool ids")
    p.add_argument("--technology")
    p.add_argument("--set", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--out", default="brief.html")
    p.add_argument("--n", type=int, default=2000, help="draws for the backfire risk")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_brief)


def _model(args: argparse.Namespace) -> Any:
    from atrogame.cli import build_model, parse_sets

    return build_model(args.model, parse_sets(args.set), args.technology)


def cmd_list(args: argparse.Namespace) -> int:
    """``atrogame tools list``: print the tool catalogue (optionally one model's levers)."""
    from atrogame.tools import catalogue

    df = catalogue([args.model] if args.model else None)
    model_cols = [c for c in df.columns if c not in ("name", "definition", "strategies", "mechanisms", "cost")]
    print(df[["name", "strategies", *model_cols]].to_string())
    return 0


def cmd_assess(args: argparse.Namespace) -> int:
    """``atrogame tools assess TOOL --model MODEL``: print one tool's effect."""
    from atrogame.tools import assess

    a = assess(args.tool, _model(args), intensity=args.intensity)
    print(a.summary())
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    """``atrogame tools compare --model MODEL``: every tool's effect as a table (or a CSV file)."""
    from atrogame.io import atomic_write
    from atrogame.tools import compare

    model = _model(args)
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

    name = args.model_opt or args.model_pos
    if not name:
        raise SystemExit("atrogame tools backfire: give the model (positional MODEL or --model)")
    args.model = name
    model = _model(args)
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
    """``atrogame brief --model MODEL --tools ...``: write the HTML policy brief."""
    from atrogame.brief import write_brief

    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    path = write_brief(_model(args), tools, args.out, n=args.n, seed=args.seed)
    print(f"wrote {path}")
    return 0
