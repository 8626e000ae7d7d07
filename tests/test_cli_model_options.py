"""One spelling of the model options across every subcommand (docs/reference/cli.md, "Model options").

Every subcommand that acts on a model takes ``MODEL [--technology] [--objective] [--set NAME=VALUE]``
from one helper; an unknown ``--set`` name is a one-line usage error naming the valid parameters;
the old ``--model MODEL`` spelling still works and says it is deprecated.
"""

from __future__ import annotations

import argparse

import pytest

from atrogame.cli import build_parser, main
from atrogame.cli.options import model_from_args
from atrogame.models.anderton_brauer import AndertonBrauer

M = "{model}"
# every subcommand that acts on one model, with the other arguments it needs
COMMANDS: dict[tuple[str, ...], list[str]] = {
    ("describe",): ["describe", M],
    ("solve",): ["solve", M],
    ("statics",): ["statics", M],
    ("sweep",): ["sweep", M, "--grid", "resources=50,60"],
    ("sensitivity",): ["sensitivity", M, "--outcome", "x"],
    ("sample",): ["sample", M, "--n", "4"],
    ("net",): ["net", M],
    ("backfire",): ["backfire", "mediation", M, "--n", "5"],
    ("tools", "assess"): ["tools", "assess", "mediation", M],
    ("tools", "compare"): ["tools", "compare", M],
    ("tools", "backfire"): ["tools", "backfire", "mediation", M, "--n", "5"],
    ("brief",): ["brief", M, "--tools", "mediation", "--n", "5", "--out", "{tmp}/b.html"],
}
NOTE = "atrogame: DeprecationWarning: `--model kydd_straus` is deprecated; write `kydd_straus` instead\n"
MODEL_DESTS = ("model", "model_alias", "technology", "objective", "set")


def _argv(command: tuple[str, ...], model: list[str], tmp: object = "/nonexistent") -> list[str]:
    out: list[str] = []
    for a in COMMANDS[command]:
        out.extend(model) if a == M else out.append(a.format(tmp=tmp))
    return out


def _subparsers(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield (*prefix, name), sub
                yield from _subparsers(sub, (*prefix, name))


def _model_options(sub: argparse.ArgumentParser) -> tuple:
    return tuple((a.dest, tuple(a.option_strings), a.nargs, a.metavar, a.help)
                 for a in sub._actions if a.dest in MODEL_DESTS)


def test_every_subcommand_with_set_is_listed_here():
    with_set = {name for name, sub in _subparsers(build_parser()) if any(a.dest == "set" for a in sub._actions)}
    assert with_set == set(COMMANDS)


def test_the_model_options_are_the_same_objects_everywhere():
    """Generated once: the same positional, flags, metavars and help in every subcommand."""
    parsers = dict(_subparsers(build_parser()))
    spellings = {command: _model_options(parsers[command]) for command in COMMANDS}
    first = spellings[("solve",)]
    assert [d for d, *_ in first] == list(MODEL_DESTS)
    assert all(s == first for s in spellings.values()), spellings


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=" ".join)
def test_the_same_model_options_build_the_same_model(command):
    options = ["anderton_brauer", "--technology", "ces", "--objective", "max_control",
               "--set", "substitution_elasticity=0.5", "--set", "resources=80"]
    args = build_parser().parse_args(_argv(command, options))
    model = model_from_args(args)
    expected = AndertonBrauer(technology="ces", objective="max_control", substitution_elasticity=0.5, resources=80)
    assert type(model) is AndertonBrauer and model.technology == "ces" and model.objective == "max_control"
    assert model.parameter_values() == expected.parameter_values()
    assert model.parameter_values()["resources"] == 80.0


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=" ".join)
def test_an_unknown_set_name_is_one_line_naming_the_parameters(command, capsys, tmp_path):
    assert main(_argv(command, ["kydd_straus", "--set", "resolve=1"], tmp_path)) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("atrogame: usage error: --set: unknown parameter 'resolve' for kydd_straus; "
                          "valid parameters: rebel_strength, ")
    assert "intervention_commitment" in err


@pytest.mark.parametrize("flag", ["--technology", "--objective"])
def test_a_choice_the_model_does_not_have_is_a_usage_error(flag, capsys):
    assert main(["solve", "kydd_straus", flag, "ces"]) == 2
    assert capsys.readouterr().err == f"atrogame: usage error: {flag}: model kydd_straus has no {flag[2:]} option\n"


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=" ".join)
def test_the_deprecated_model_option_still_names_the_model_and_says_so(command, capsys):
    args = build_parser().parse_args(_argv(command, ["--model", "kydd_straus", "--set", "rebel_strength=0.4"]))
    model = model_from_args(args, " ".join(command))
    assert model.name == "kydd_straus" and model.params.rebel_strength == 0.4
    assert capsys.readouterr().err == NOTE


@pytest.mark.parametrize("argv", [["tools", "compare", M, "--outcome", "p_war"],
                                  ["tools", "list", M],
                                  ["net", M, "--tools", "mediation"]], ids=lambda a: " ".join(a[:2]))
def test_old_and_new_spelling_print_the_same(argv, capsys):
    new = [a if a != M else "kydd_straus" for a in argv]
    old = [x for a in argv for x in (["--model", "kydd_straus"] if a == M else [a])]
    assert main(new) == 0
    by_new = capsys.readouterr()
    assert by_new.err == ""
    assert main(old) == 0
    by_old = capsys.readouterr()
    assert by_old.out == by_new.out
    assert by_old.err == NOTE


def test_reproduce_takes_models_positionally_and_the_old_option_with_a_note(capsys, tmp_path):
    toy = "atrogame.testing.models:Toy"  # no figures: resolved, then reported, before any work
    assert main(["reproduce", toy, "--out", str(tmp_path)]) == 2
    no_figure = "atrogame: usage error: no registered figure shows toy; see `atrogame figures list`\n"
    assert capsys.readouterr().err == no_figure
    assert main(["reproduce", "--model", toy, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (f"atrogame: DeprecationWarning: `reproduce --model {toy}` is deprecated; "
                      f"write `reproduce {toy}` instead")
    assert err[1].startswith("atrogame: usage error: no registered figure shows toy")


def test_the_model_given_twice_differently_is_a_usage_error(capsys):
    assert main(["tools", "assess", "mediation", "kydd_straus", "--model", "fearon"]) == 2
    assert capsys.readouterr().err == ("atrogame: usage error: tools assess: the model is given twice "
                                       "('kydd_straus' and --model 'fearon'); give it once\n")


@pytest.mark.parametrize("argv", [["solve"], ["tools", "assess", "mediation"], ["brief", "--tools", "mediation"]])
def test_a_missing_model_is_a_usage_error(argv, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "needs a MODEL" in err
