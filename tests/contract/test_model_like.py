"""``ModelLike`` is the type every caller of a model uses, and every model satisfies it.

The engine, sampling, sensitivity, the tools, strategies, discovery, report, brief, cite,
the sign checks, the conformance suite and the policies take ``model: ModelLike`` (mypy then
checks that they only use what the Protocol lists); the Protocol is ``runtime_checkable``, so
``isinstance`` shows that each model has every member.
"""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

import atrogame as ag
from atrogame.core.contract import ModelLike
from atrogame.core.registry import models
from atrogame.model import Model
from atrogame.testing.models import Ishigami, Toy

SRC = Path(__file__).resolve().parents[2] / "src" / "atrogame"

#: Modules typed against ModelLike (cli*, figures and plot are typed elsewhere).
TYPED_MODULES = ("engine.py", "sampling.py", "sensitivity.py", "tools/__init__.py", "tools/_catalogue.py",
                 "strategies.py", "discovery.py", "report.py", "brief.py", "cite.py", "core/signs.py",
                 "testing/__init__.py", "policies.py")

_MODEL_ANY = re.compile(r"\b(?:model|m)\s*:\s*Any\b")


def _members() -> list[str]:
    """The members ModelLike declares (properties and methods)."""
    return sorted(k for k, v in vars(ModelLike).items()
                  if not k.startswith("_") and (callable(v) or isinstance(v, property)))


@pytest.mark.parametrize("name", sorted(models()))
def test_every_registered_model_is_model_like(name):
    cls = models()[name]
    assert isinstance(cls(), ModelLike), name


@pytest.mark.parametrize("technology", ["cobb_douglas", "ces", "contest", "linear", "quasi_linear", "quadratic"])
def test_every_anderton_brauer_technology_is_model_like(technology):
    assert isinstance(ag.AndertonBrauer(technology=technology), ModelLike)


@pytest.mark.parametrize("cls", [Toy, Ishigami])
def test_the_test_models_are_model_like(cls):
    assert isinstance(cls(), ModelLike)
    assert isinstance(cls().with_params(), ModelLike)


def test_an_object_missing_a_member_is_not_model_like():
    """The isinstance check can fail: a model with one member hidden is rejected."""

    class Partial:
        pass

    toy = Toy()
    for k in _members():
        if k != "compute":
            setattr(Partial, k, getattr(type(toy), k, None) or getattr(toy, k))
    assert not isinstance(Partial(), ModelLike)
    Partial.compute = Toy.compute
    assert isinstance(Partial(), ModelLike)


def test_the_protocol_lists_public_members_of_model_with_its_signatures():
    """Each member is public on Model, and each method takes the same parameters as Model's."""
    members = _members()
    assert {"parameter_values", "with_params", "compute", "kernel", "solve", "harm_outcome", "default_priors",
            "tool_levers", "validate_arrays", "comparative_statics", "name", "Params"} <= set(members)
    for k in members:
        assert hasattr(Model, k), k
        proto = vars(ModelLike)[k]
        if isinstance(proto, property):
            continue
        want = [(p.name, p.kind, p.default) for p in inspect.signature(proto).parameters.values()]
        got = [(p.name, p.kind, p.default) for p in inspect.signature(getattr(Model, k)).parameters.values()]
        assert want == got, k


@pytest.mark.parametrize("module", TYPED_MODULES)
def test_no_function_of_the_typed_modules_takes_a_model_as_any(module):
    text = (SRC / module).read_text(encoding="utf-8")
    assert "ModelLike" in text, module
    offenders = [f"{module}:{n}: {line.strip()}" for n, line in enumerate(text.splitlines(), 1)
                 if _MODEL_ANY.search(line)]
    assert offenders == []


def test_the_any_pattern_finds_what_it_should():
    """The pattern of the test above matches the annotations it is meant to forbid."""
    assert _MODEL_ANY.search("def f(model: Any) -> None:")
    assert _MODEL_ANY.search("def g(x: int, m: Any = None):")
    assert not _MODEL_ANY.search("def f(model: ModelLike) -> None:")
    assert not _MODEL_ANY.search("def f(model: AnyModel) -> None:")
