"""``atrogame sensitivity``: global sensitivity indices of one outcome from the command line.

Examples
--------
>>> from atrogame.cli import main
>>> main(["sensitivity", "atrogame.testing.models:Toy", "--outcome", "x", "--method", "morris",
...       "--n", "20", "--seed", "0", "--bounds", "benefit=3:5",
...       "--bounds", "threshold=0:1"])  # doctest: +NORMALIZE_WHITESPACE
Sensitivity of x (toy), method morris, 60 evaluations, seed 0, 95% intervals
               mu  mu_star  sigma  mu_star_conf
parameter
benefit    2.0000   2.0000 0.0000        0.0000
threshold -1.0000   1.0000 0.0000        0.0000
Regime shares: corner 0.0%, interior 100.0%
0
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from atrogame.cli.options import UsageError, add_model_arguments, jsonable, model_from_args

METHODS = ("sobol", "morris", "delta")


def parse_bounds(items: list[str] | None) -> dict[str, Any] | None:
    """``name=lo:hi`` (or a bare ``name`` for its sweep range), repeatable; ``None`` when none given.

    Examples
    --------
    >>> parse_bounds(["a=0:1", "b"])
    {'a': (0.0, 1.0), 'b': None}
    """
    if not items:
        return None
    out: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            out[item.strip()] = None
            continue
        name, spec = item.split("=", 1)
        parts = spec.split(":")
        try:
            if len(parts) != 2:
                raise ValueError
            out[name.strip()] = (float(parts[0]), float(parts[1]))
        except ValueError:
            raise UsageError(f"--bounds expects name=low:high (or a bare name); got {item!r}") from None
    return out


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """``atrogame sensitivity MODEL --outcome ...``: print (and optionally write) sensitivity indices."""
    model = model_from_args(args, "sensitivity")
    if args.n < 2:
        raise UsageError(f"--n must be at least 2; got {args.n}")
    if args.num_resamples < 2:  # 0 fails inside numpy, 1 gives NaN intervals
        raise UsageError(f"--num-resamples must be at least 2 (bootstrap resamples); got {args.num_resamples}")
    si = model.sensitivity(args.outcome, method=args.method, bounds=parse_bounds(args.bounds), n=args.n,
                           seed=args.seed, regime=args.regime, second_order=not args.no_second_order,
                           num_resamples=args.num_resamples)
    if args.json:
        print(json.dumps(jsonable(si.to_dict()), indent=2))
    else:
        print(si.summary())
    if args.out:
        path = write_result(si, model, args.out)
        print(f"wrote {path}")
    return 0


def write_result(si: Any, model: Any, path: str) -> Any:
    """Write the indices table as CSV with a ``#`` header recording how it was made (atomically).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from atrogame.testing.models import Ishigami
    >>> model = Ishigami()
    >>> si = model.sensitivity("linear", n=64, seed=1, second_order=False)
    >>> path = write_result(si, model, str(Path(tempfile.mkdtemp()) / "si.csv"))
    >>> path.read_text().splitlines()[:3]
    ['# model: ishigami', '# outcome: linear', '# method: sobol']
    """
    from pathlib import Path

    from atrogame import __version__
    from atrogame.io import atomic_write

    if Path(path).suffix.lower() != ".csv":
        raise ValueError(f"--out must be a .csv file; got {path!r}")
    fixed = {k: v for k, v in model.parameter_values().items() if k not in si.parameters}
    header = {
        "model": si.model, "outcome": si.outcome, "method": si.method, "n": si.n,
        "n_evaluations": si.n_evaluations, "seed": si.seed, "regime": si.regime or "",
        "conditioning": si.conditioning, "bounds": json.dumps({k: list(v) for k, v in si.bounds.items()}),
        "regime_shares": json.dumps(si.regime_shares), "parameters": json.dumps(fixed),
        "citation": type(model).citation, "atrogame_version": __version__,
    }
    df = si.to_dataframe()

    def write(p: Path) -> None:
        with open(p, "w", encoding="utf-8", newline="") as fh:
            for k, v in header.items():
                fh.write(f"# {k}: {v}\n")
            df.to_csv(fh)

    return atomic_write(path, write)


def register(subparsers: Any) -> None:
    """Add the ``sensitivity`` subcommand.

    Examples
    --------
    >>> import argparse
    >>> sub = argparse.ArgumentParser(prog="atrogame").add_subparsers(dest="command")
    >>> register(sub)
    >>> ishigami = "atrogame.testing.models:Ishigami"  # a model given by its import path
    >>> args = sub.choices["sensitivity"].parse_args([ishigami, "--outcome", "y", "--n", "64"])
    >>> args.method, args.n, args.func is cmd_sensitivity
    ('sobol', 64, True)
    """
    p = subparsers.add_parser("sensitivity", help="global sensitivity indices of an outcome (Sobol, Morris, delta)")
    add_model_arguments(p)
    p.add_argument("--outcome", required=True, help="the outcome to analyse")
    p.add_argument("--method", choices=METHODS, default="sobol")
    p.add_argument("--n", type=int, default=1024,
                   help="base sample size (Sobol: a power of 2), Morris trajectories or delta points")
    p.add_argument("--seed", type=int, default=None, help="seed of the design and bootstrap")
    p.add_argument("--bounds", action="append", metavar="NAME=LOW:HIGH", default=[],
                   help="vary this parameter over [LOW, HIGH] (a bare NAME: its sweep range); repeatable. "
                        "Default: every parameter over its sweep range")
    p.add_argument("--regime", help="restrict to one regime (see the sensitivity how-to)")
    p.add_argument("--no-second-order", action="store_true", help="Sobol: skip second-order indices")
    p.add_argument("--num-resamples", type=int, default=100, help="bootstrap resamples for the intervals")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--out", help="write the indices to this .csv file")
    p.set_defaults(func=cmd_sensitivity)
