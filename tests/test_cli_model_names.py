"""Every subcommand that names a model accepts a registry id or an import path ``package.module:Class``."""

from __future__ import annotations

import argparse

import pytest

from atrogame.cli import build_parser, main

TOY = "atrogame.testing.models:Toy"  # a model that is not registered: only its import path names it


def _model_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Every (sub)command with a ``model`` positional or a ``--model`` option."""
    found: set[tuple[str, ...]] = set()
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found |= _model_commands(sub, (*prefix, name))
        elif action.dest == "model":
            found.add(prefix)
    return found


# each subcommand that names a model, run on the unregistered Toy by its import path
CASES = {
    ("describe",): (["describe", TOY], ["toy: ", "benefit", "Regimes:  corner, interior"]),
    ("solve",): (["solve", TOY, "--set", "benefit=2"], ["Equilibrium of toy", "benefit    2"]),
    ("statics",): (["statics", TOY, "--wrt", "benefit"], ["benefit", "positive"]),
    ("sweep",): (["sweep", TOY, "--grid", "benefit=1:2:3"], ["benefit", "Dimensions"]),
    ("sensitivity",): (["sensitivity", TOY, "--outcome", "x", "--method", "morris", "--n", "4", "--seed", "0",
                        "--bounds", "benefit=3:5", "--bounds", "threshold=0:1"], ["Sensitivity of x (toy)"]),
    ("tools", "list"): (["tools", "list", TOY], ["toy", "not represented in this model"]),
    ("tools", "assess"): (["tools", "assess", "mediation", TOY], ["on toy", "not represented"]),
    ("tools", "compare"): (["tools", "compare", TOY], ["mediation", "False"]),
    ("tools", "backfire"): (["tools", "backfire", "mediation", TOY, "--n", "20"],
                            ["mediation", "not represented in this model"]),
    ("brief",): (["brief", TOY, "--tools", "mediation", "--n", "20", "--out", "{tmp}/b.html"],
                 ["wrote", "b.html"]),
    ("reproduce",): (["reproduce", TOY, "--out", "{tmp}"], None),
    ("cite",): (["cite", TOY], ["@misc{atrogame"]),
    ("backfire",): (["backfire", "mediation", TOY, "--n", "20"], ["mediation", "represented         False"]),
    ("net",): (["net", TOY, "--tools", "mediation"], ["mediation", "not represented in this model"]),
    ("sample",): (["sample", TOY, "--n", "8", "--seed", "0"], ["benefit", "sample: 8"]),
}


def test_every_subcommand_that_names_a_model_is_tested_here():
    assert _model_commands(build_parser()) == set(CASES)


@pytest.mark.parametrize("command", sorted(CASES), ids=" ".join)
def test_an_import_path_names_a_model(command, capsys, tmp_path):
    argv, expected = CASES[command]
    status = main([a.format(tmp=tmp_path) for a in argv])
    out, err = capsys.readouterr()
    if expected is None:  # Toy has no figures: the import path is resolved, then that is reported
        assert status == 2, out
        assert err == "atrogame: usage error: no registered figure shows toy; see `atrogame figures list`\n"
        return
    assert status == 0, err
    for text in expected:
        assert text in out


@pytest.mark.parametrize("argv", [["solve", "atrogame.testing.models:NoSuchModel"],
                                  ["tools", "assess", "mediation", "atrogame.nowhere:Model"],
                                  ["brief", "atrogame.testing:check_model", "--tools", "mediation"]])
def test_a_bad_import_path_is_one_line_on_stderr(argv, capsys):
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("atrogame: error: ") and err.count("\n") == 1
    assert next(a for a in argv if ":" in a) in err


def test_a_registered_id_and_its_import_path_give_the_same_answer(capsys):
    assert main(["solve", "kydd_straus", "--json"]) == 0
    by_id = capsys.readouterr().out
    assert main(["solve", "atrogame.models.kydd_straus:KyddStraus", "--json"]) == 0
    assert capsys.readouterr().out == by_id
