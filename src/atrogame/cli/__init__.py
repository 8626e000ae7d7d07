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
import sys
from collections.abc import Sequence

from atrogame.cli.options import (
    MODEL_HELP,
    UsageError,
    add_model_arguments,
    build_model,
    jsonable,
    model_from_args,
    parse_grid,
    parse_grids,
    parse_sets,
    parse_value,
)
from atrogame.core.errors import ParameterError

__all__ = [
    "MODEL_HELP", "UsageError", "add_model_arguments", "build_model", "build_parser", "jsonable", "main",
    "model_from_args", "parse_grid", "parse_grids", "parse_sets", "parse_value",
]

#: Modules that add subcommands, one per group: each defines ``register(subparsers)``.
_EXTENSIONS: tuple[str, ...] = (
    "atrogame.cli.core",
    "atrogame.cli.tools",
    "atrogame.cli.sensitivity",
    "atrogame.cli.research",
)


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
