"""Every public result type survives pickle, cloudpickle, ``copy``, ``multiprocessing`` and dask.

Before the fix, ``Equilibrium`` and ``ComparativeStatics`` held ``mappingproxy`` fields,
which plain pickle refuses (``cannot pickle 'mappingproxy' object``); a
``multiprocessing.Pool.map`` returning one then failed in the pool's result thread.
"""

from __future__ import annotations

import copy
import multiprocessing
import pickle
from types import MappingProxyType

import numpy as np
import pandas as pd
import pytest

import atrogame as ag
from atrogame import tools as T
from atrogame.core.registry import models as registered
from atrogame.core.results import ComparativeStatics, Equilibrium, StaticsEntry
from atrogame.testing.models import Ishigami, Toy

cloudpickle = pytest.importorskip("cloudpickle")


def _models():
    out = []
    for mid, cls in registered().items():
        if mid == "anderton_brauer":
            out += [(f"{mid}-{t}", cls(technology=t)) for t in ("cobb_douglas", "ces", "contest", "quadratic")]
        else:
            out.append((mid, cls()))
    return out


MODELS = _models()


def _fingerprint(obj):
    """A comparable picture of a result: its fields, with frames and arrays made hashable-comparable."""
    if isinstance(obj, pd.DataFrame | pd.Series):
        return ("pandas", obj.to_json(orient="split", double_precision=15))
    if isinstance(obj, np.ndarray):
        return ("array", obj.dtype.str, obj.shape, obj.tobytes())
    if isinstance(obj, MappingProxyType | dict):
        return (type(obj).__name__, tuple((repr(k), _fingerprint(v)) for k, v in obj.items()))
    if isinstance(obj, tuple | list):
        return (type(obj).__name__, tuple(_fingerprint(v) for v in obj))
    if hasattr(obj, "__dataclass_fields__"):
        return (type(obj).__name__, tuple((f, _fingerprint(getattr(obj, f))) for f in obj.__dataclass_fields__))
    if isinstance(obj, float) and obj != obj:
        return "nan"
    return obj


def _results():
    ks = ag.KyddStraus()
    ab = ag.AndertonBrauer(technology="cobb_douglas")
    cases = []
    for mid, m in MODELS:
        cases.append((f"Equilibrium[{mid}]", m.solve()))
        cs = m.comparative_statics()
        cases.append((f"ComparativeStatics[{mid}]", cs))
        cases.append((f"StaticsEntry[{mid}]", cs.entries[0]))
    a = T.assess("mediation", ks)
    cases += [
        ("Assessment", a),
        ("Assessment[not represented]", T.assess("electoral_assistance", ab)),
        ("OutcomeEffect", a.effects[0]),
        ("Comparison", T.compare(ab)),
        ("BackfireResult", T.backfire("mediation", ks, n=64, seed=0)),
        ("NetAssessment", T.net_assessment(None, ab)),
        ("Tool", T.get("mediation")),
        ("SensitivityResult[sobol]", Ishigami().sensitivity("linear", n=64, seed=1)),
        ("SensitivityResult[morris]", Toy().sensitivity("x", method="morris", n=10, seed=0)),
    ]
    return cases


RESULTS = _results()
IDS = [name for name, _ in RESULTS]


@pytest.mark.parametrize(("name", "result"), RESULTS, ids=IDS)
@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps, lambda o: pickle.dumps(o, protocol=2)],
                         ids=["pickle", "cloudpickle", "pickle-protocol2"])
def test_round_trip(name, result, dumps):
    back = pickle.loads(dumps(result))
    assert type(back) is type(result)
    assert _fingerprint(back) == _fingerprint(result)
    assert repr(back) == repr(result)
    if hasattr(result, "summary"):
        assert back.summary() == result.summary()


@pytest.mark.parametrize(("name", "result"), RESULTS, ids=IDS)
def test_copy_and_deepcopy(name, result):
    for c in (copy.copy(result), copy.deepcopy(result)):
        assert _fingerprint(c) == _fingerprint(result)


def test_unpickled_equilibrium_keeps_its_public_behaviour():
    eq = Toy(benefit=3.0).solve()
    back = pickle.loads(pickle.dumps(eq))
    assert back == eq and hash(back.regime) == hash(eq.regime)
    assert (back.x, back["welfare"], back.benefit) == (2.0, 4.0, 3.0)
    assert isinstance(back.outcomes, MappingProxyType) and isinstance(back.parameters, MappingProxyType)
    with pytest.raises(TypeError):
        back.outcomes["x"] = 1.0  # still read-only
    with pytest.raises(AttributeError):
        back.nope  # noqa: B018
    assert back.to_dataframe().equals(eq.to_dataframe())


def test_unpickled_statics_keep_sympy_derivatives():
    cs = ag.KyddStraus().comparative_statics()
    back = pickle.loads(pickle.dumps(cs))
    assert isinstance(back, ComparativeStatics) and isinstance(back.entries[0], StaticsEntry)
    assert all(a.derivative == b.derivative for a, b in zip(back, cs, strict=True))
    assert back.to_latex() == cs.to_latex()
    assert back.to_dataframe().equals(cs.to_dataframe())


def _solve_toy(benefit: float) -> Equilibrium:
    return Toy(benefit=benefit).solve()


def _statics_toy(benefit: float) -> ComparativeStatics:
    return Toy(benefit=benefit).comparative_statics(of="x", wrt="benefit")


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs the fork start method")
def test_pool_map_returns_results():
    """Results come back through ``multiprocessing`` (a failed unpickle there used to hang the pool)."""
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(2) as pool:
        eqs = pool.map_async(_solve_toy, [0.5, 2.0, 3.0]).get(timeout=120)
        css = pool.map_async(_statics_toy, [2.0]).get(timeout=120)
    assert [e.regime for e in eqs] == ["corner", "interior", "interior"]
    assert eqs == [_solve_toy(b) for b in (0.5, 2.0, 3.0)]
    assert css[0].value == 1.0 and css[0].sign == "positive"


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs the fork start method")
def test_dask_process_scheduler_returns_results():
    """dask's process scheduler ships tasks with cloudpickle and results back with pickle."""
    dask = pytest.importorskip("dask")
    tasks = [dask.delayed(_solve_toy)(b) for b in (0.5, 3.0)] + [dask.delayed(_statics_toy)(2.0)]
    with dask.config.set({"multiprocessing.context": "fork"}):  # fork: no re-import of sympy in the worker
        eq_lo, eq_hi, cs = dask.compute(*tasks, scheduler="processes", num_workers=1)
    assert eq_lo == _solve_toy(0.5) and eq_hi == _solve_toy(3.0)
    assert _fingerprint(cs) == _fingerprint(_statics_toy(2.0))
