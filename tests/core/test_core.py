"""Tests of the core layer on the toy model, whose answers are known by hand."""

from __future__ import annotations

import json
import math
import pickle

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from atrogame import ParameterError
from atrogame.core.parameters import Interval
from atrogame.core.registry import Registry
from atrogame.core.symbolic import compile_expr, decide_sign, numeric_sign
from atrogame.testing.models import Toy, ToyParams


def test_interval_text_and_membership():
    assert str(Interval(0, None, "neither")) == "(0, inf)"
    assert str(Interval(0, 1, "left")) == "[0, 1)"
    assert 0 in Interval(0, 1, "left") and 1 not in Interval(0, 1, "left")
    assert math.nan not in Interval(None, None) and math.inf not in Interval(0, None, "left")
    assert Interval(0, None, "neither").assumptions() == {"real": True, "positive": True}
    assert Interval(0, 1, "both").assumptions() == {"real": True, "nonnegative": True}


@pytest.mark.parametrize("value", [-1.0, 0.0, math.nan, math.inf, "abc"])
def test_parameter_error_names_parameter_domain_and_value(value):
    with pytest.raises(ParameterError) as info:
        ToyParams(benefit=value)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.name == "benefit" and err.domain == "(0, inf)"
    assert "benefit must be in (0, inf); got" in str(err)


def test_parameter_error_pickles():
    err = ParameterError("x", "(0, 1)", 2.0)
    again = pickle.loads(pickle.dumps(err))
    assert str(again) == str(err) and again.name == "x"


def test_replace_validates_and_unknown_names_raise_type_error():
    p = ToyParams()
    assert p.replace(benefit=3.0).benefit == 3.0
    with pytest.raises(ParameterError):
        p.replace(curvature=0.0)
    with pytest.raises(TypeError, match="valid names"):
        p.replace(bogus=1.0)
    with pytest.raises(TypeError, match="valid names"):
        Toy(bogus=1.0)


def test_roundtrip_and_describe():
    p = ToyParams(benefit=3.0)
    assert ToyParams.from_dict(p.to_dict()) == p
    df = ToyParams.describe()
    assert list(df.index) == ["benefit", "curvature", "threshold"]
    assert df.loc["threshold", "domain"] == "[0, inf)"


def test_solve_and_result_conversions():
    eq = Toy(benefit=3.0, curvature=2.0, threshold=1.0).solve()
    assert eq.x == pytest.approx(1.0) and eq["welfare"] == pytest.approx(2.0)
    assert eq.regime == "interior"
    assert "regime=interior" in repr(eq)
    assert eq.to_series()["x"] == pytest.approx(1.0)
    assert eq.to_dataframe().loc[0, "param.benefit"] == 3.0
    json.dumps(eq.to_dict())
    with pytest.raises(KeyError, match="outcomes"):
        eq["nope"]
    corner = Toy(benefit=1.0, threshold=2.0).solve()
    assert corner.regime == "corner" and corner.x == 0.0


def test_with_params_does_not_mutate():
    m = Toy()
    m2 = m.with_params(benefit=5.0)
    assert m.params.benefit == 2.0 and m2.params.benefit == 5.0


def test_comparative_statics_values_signs_and_elasticity():
    cs = Toy(benefit=3.0, curvature=2.0, threshold=1.0).comparative_statics(of="x")
    assert cs["benefit"].value == pytest.approx(0.5)
    assert cs["benefit"].sign == "positive"
    assert cs["threshold"].sign == "negative"
    assert cs["benefit"].elasticity == pytest.approx(0.5 * 3.0 / 1.0)
    corner = Toy(benefit=1.0, threshold=2.0).comparative_statics(wrt="benefit", of="x")
    assert corner.value == 0.0 and corner.sign == "zero" and corner.elasticity is None


def test_statics_value_matches_finite_difference():
    m = Toy(benefit=3.0, curvature=2.0, threshold=1.0)
    for w in ("benefit", "curvature", "threshold"):
        fd, crosses = m.finite_difference("welfare", w)
        assert not crosses
        assert m.comparative_statics(w, of="welfare").value == pytest.approx(fd, rel=1e-5)


def test_boundary_is_flagged():
    m = Toy(benefit=1.0, threshold=1.0)  # exactly at the kink x* = 0
    assert m.comparative_statics("benefit", of="x").boundary


def test_sweep_shape_attrs_and_vectorised_equals_scalar():
    m = Toy()
    b = np.linspace(0.5, 3.0, 7)
    t = np.array([0.0, 1.0, 2.0])
    ds = m.sweep(benefit=b, threshold=t)
    assert ds["x"].shape == (7, 3)
    assert ds["regime"].attrs["flag_meanings"] == "corner interior"
    assert json.loads(ds.attrs["parameters"]) == {"curvature": 1.0}
    for i, bi in enumerate(b):
        for j, tj in enumerate(t):
            eq = m.with_params(benefit=bi, threshold=tj).solve()
            assert ds["x"].values[i, j] == pytest.approx(eq.x)
            assert m.regime_label(ds["regime"].values[i, j]) == eq.regime


def test_sweep_validates_elementwise():
    with pytest.raises(ParameterError, match="2 of 3 values invalid"):
        Toy().sweep(benefit=[1.0, -1.0, 0.0])
    with pytest.raises(TypeError):
        Toy().sweep(bogus=[1.0])
    with pytest.raises(KeyError):
        Toy().sweep(benefit=[1.0], outcomes=["nope"])


def test_evaluate_is_salib_shaped():
    X = np.array([[1.0, 0.0], [3.0, 1.0], [0.5, 2.0]])
    y = Toy().evaluate(X, ["benefit", "threshold"], "x")
    np.testing.assert_allclose(y, [1.0, 2.0, 0.0])
    both = Toy().evaluate(X, ["benefit", "threshold"], ["x", "regime"])
    assert both.shape == (3, 2)
    with pytest.raises(ValueError, match="shape"):
        Toy().evaluate(X, ["benefit"], "x")


@given(st.floats(0.01, 10), st.floats(0.01, 10), st.floats(0, 10))
def test_toy_no_nan_and_nonnegative(b, c, t):
    eq = Toy(benefit=b, curvature=c, threshold=t).solve()
    assert eq.x >= 0 and all(np.isfinite(v) for v in eq.outcomes.values())


def test_compile_expr_broadcasts_constants():
    x = sp.Symbol("x")
    f = compile_expr((x,), sp.Integer(3))
    assert f(np.zeros(4)).tolist() == [3.0] * 4


def test_decide_sign():
    a, b = sp.symbols("a b", positive=True)
    assert decide_sign(a * b) == "positive"
    assert decide_sign(-a / (1 + b)) == "negative"
    assert decide_sign(a - b) == "ambiguous"
    assert decide_sign((a + b) ** 2 - a**2 - 2 * a * b - b**2) == "zero"
    assert numeric_sign(1e-12) == "zero" and numeric_sign(-2.0) == "negative"


def test_registry_suggests_close_matches():
    r = Registry("thing", {"alpha": 1})
    with pytest.raises(KeyError, match="did you mean 'alpha'"):
        r["alpah"]
    with pytest.raises(ValueError):
        r.register("alpha", 2)


def test_import_is_light():
    import subprocess
    import sys

    code = (
        "import sys, atrogame; "
        "bad=[m for m in ('matplotlib','SALib','dask') if m in sys.modules]; "
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_parameter_metadata_follows_a_subclass_decorated_after_it_was_asked():
    """``names``/``meta`` are cached per class; a subclass asked before ``@dataclass`` processed
    it (it then has only its parent's fields) must see its own fields once decorated."""
    from dataclasses import dataclass

    from atrogame.core.parameters import POSITIVE, param

    ns = {"__annotations__": {"extra": "float"},
          "extra": param(2.0, symbol="e", latex="e", interval=POSITIVE, sweep_range=(1.0, 3.0), long_name="extra")}
    cls = type("Later", (ToyParams,), ns)
    assert "extra" not in cls.names()  # not a dataclass field yet
    cls = dataclass(frozen=True, kw_only=True)(cls)
    assert cls.names() == (*ToyParams.names(), "extra")
    assert cls.meta("extra")["symbol"] == "e"
    with pytest.raises(KeyError, match="no parameter 'nope'"):
        cls.meta("nope")
