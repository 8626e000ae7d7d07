"""The conformance suite: every built-in model passes it; deliberately broken models fail it, saying why."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pytest
import sympy as sp

import atrogame as ag
from atrogame.core.parameters import POSITIVE
from atrogame.testing import CheckSkipped, ModelCheckError, check_model, checks
from atrogame.testing.models import Ishigami, Toy, ToyParams

AB_CASES = [(t, o) for t in ("cobb_douglas", "ces", "contest", "linear", "quasi_linear", "quadratic")
            for o in ("max_control", "min_cost")]


def _ab(tech: str, objective: str) -> ag.AndertonBrauer:
    kw = {} if objective == "max_control" else {"control_target": 0.5 if tech == "contest" else 50.0}
    return ag.AndertonBrauer(technology=tech, objective=objective, **kw)


BUILT_IN = {
    "kydd_straus": lambda: ag.KyddStraus,
    "fearon": lambda: ag.Fearon,
    "mobilisation": lambda: ag.Mobilisation,
    **{f"anderton_brauer-{t}-{o}": functools.partial(_ab, t, o) for t, o in AB_CASES},
    "toy": lambda: Toy,
    "ishigami": lambda: Ishigami,
}



@pytest.mark.parametrize("name", list(BUILT_IN))
@pytest.mark.parametrize("check", [n for n, _ in checks()])
def test_built_in_models_pass_every_check(name, check):
    fn = dict(checks())[check]
    model = BUILT_IN[name]()
    try:
        problems = fn(model, seed=0)
    except CheckSkipped as why:
        pytest.skip(str(why))
    assert problems == []


def test_check_model_report_on_a_good_model():
    report = check_model(Toy)
    assert report.passed and "pickle" in report.ran and "closed_form_equals_numeric" in report.skipped


# ---------------------------------------------------------------------- broken models
class NaNKernel(Toy):
    name = "nan_kernel"

    def kernel(self, v):
        out = super().kernel(v)
        out["x"] = np.where(np.asarray(v["benefit"]) > 4.0, np.nan, out["x"])
        return out


class WrongDerivative(Toy):
    name = "wrong_derivative"

    def symbolic(self, of, eq):
        expr, full = super().symbolic(of, eq)
        s = ToyParams.symbols()
        return (expr + 0.5 * s["threshold"], full) if eq.regime == "interior" else (expr, full)


class VectorisedDiffers(Toy):
    name = "vectorised_differs"

    def kernel(self, v):
        out = super().kernel(v)
        if np.ndim(v["benefit"]) > 0:
            out["welfare"] = out["welfare"] * 1.01
        return out


class MissingMetadata(Toy):
    name = "model"  # no registry id
    citation = ""


class SilentParams(Toy):
    """Accepts anything: the kernel clips instead of validating."""

    name = "silent_params"

    def with_params(self, **changes):
        return self


class UnpicklableResult(Toy):
    name = "unpicklable"

    def solve(self, method="auto"):
        eq = super().solve(method)
        eq.info["closure"] = lambda: None  # a lambda does not pickle
        return eq


@pytest.mark.parametrize(("broken", "check", "says"), [
    (NaNKernel, "finite", "outcome 'x' is nan"),
    (WrongDerivative, "symbolic_equals_numeric", "finite difference"),
    (VectorisedDiffers, "vectorised_equals_scalar", "welfare: vectorised"),
    (MissingMetadata, "declarations", "`name` (the registry id) is not set"),
    (SilentParams, "parameter_errors", "was accepted"),
    (UnpicklableResult, "pickle", "pickling failed"),
], ids=lambda v: v.__name__ if isinstance(v, type) else None)
def test_broken_models_fail_with_a_message_saying_what_is_wrong(broken, check, says):
    with pytest.raises(ModelCheckError) as err:
        check_model(broken)
    msg = str(err.value)
    assert f"[{check}]" in msg and says in msg, msg


@dataclass(frozen=True, kw_only=True)
class DeterrenceParams(ag.Parameters):
    threat: float = ag.param(0.5, symbol="t", interval=POSITIVE, long_name="credibility of the threat",
                             sweep_range=(0.1, 2.0))
    gain: float = ag.param(1.0, symbol="g", interval=POSITIVE, long_name="gain from attacking",
                           sweep_range=(0.1, 3.0))


class Deterrence(ag.Model):
    """A model written in one file (module level, so that it pickles)."""

    name = "deterrence_test"
    citation = "a test model"
    Params = DeterrenceParams
    outcomes = (ag.outcome("p_attack", long_name="probability of attack", role="probability", headline=True),)
    regimes = ("deterred", "attacks")

    def kernel(self, v):
        t, g = np.asarray(v["threat"], float), np.asarray(v["gain"], float)
        p = g / (g + t)
        return {"p_attack": p, "regime": (p > 0.5).astype(np.int8)}

    def symbolic(self, of, eq):
        s = DeterrenceParams.symbols()
        return s["gain"] / (s["gain"] + s["threat"]), None


def test_a_model_can_be_written_registered_and_checked_in_one_file():
    ag.register_model(Deterrence)
    try:
        assert ag.get_model("deterrence_test") is Deterrence
        assert check_model(Deterrence).passed
        assert Deterrence().comparative_statics(wrt="threat").sign == "negative"
        assert sp.simplify(Deterrence().comparative_statics(wrt="gain").derivative) != 0
    finally:
        ag.unregister_model("deterrence_test")
    assert "deterrence_test" not in ag.model_ids()


class _UncheckedFused(Toy):
    """A fused kernel that forgets the range check: it reports the defaults as every input's range."""

    def fused_kernel(self, values, wanted):
        n = max(np.size(v) for v in values.values())
        if n < 1000:
            return None
        out = self.kernel({k: np.asarray(v, dtype=float) for k, v in values.items()})
        return out, {k: (float(d), float(d)) for k, d in self.parameter_values().items()}


class _HonestFused(_UncheckedFused):
    def fused_kernel(self, values, wanted):
        got = super().fused_kernel(values, wanted)
        if got is None:
            return None
        out, _ = got
        arrays = {k: np.asarray(v, dtype=float) for k, v in values.items()}
        return out, {k: (float(a.min()), float(a.max())) for k, a in arrays.items()}


def test_fused_validation_check_catches_a_kernel_that_skips_the_range_check():
    fn = dict(checks())["fused_validation"]
    assert any("fused check gave None" in b for b in fn(_UncheckedFused))
    assert fn(_HonestFused) == []
    with pytest.raises(CheckSkipped):
        fn(Toy)
