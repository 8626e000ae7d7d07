"""Every solver result type (and the games) pickles, cloudpickles and crosses a process pool (issue 10, item 3)."""

from __future__ import annotations

import multiprocessing as mp
import pickle

import numpy as np
import pytest
import sympy as sp

from atrogame.solvers import (
    Decision,
    ExtensiveFormGame,
    NormalFormGame,
    Terminal,
    optimal_offer,
    uniform_offer,
)

cloudpickle = pytest.importorskip("cloudpickle")

A_SYM = sp.Symbol("a")
GAME = NormalFormGame([[A_SYM, 0], [0, 1]], [[1, 0], [0, A_SYM]])
C_SYM = sp.Symbol("c", real=True)


def _tree():
    return ExtensiveFormGame(Decision(0, {"a": Terminal((C_SYM,)), "b": Terminal((0,))}, name="root"))


def _objects():
    sol = GAME.equilibria(a=2)
    tree = _tree()
    return {
        "GameSolution": sol,
        "NashEquilibrium": sol[0],
        "SymbolicEquilibrium": GAME.symbolic_equilibria()[5],
        "SymbolicEquilibrium_at": GAME.symbolic_equilibria_at(a=2)[0],
        "NormalFormGame": GAME,
        "ExtensiveFormGame": tree,
        "SPERegion": tree.backward_induction()[0],
        "SubgamePerfectEquilibrium": tree.solve(c=1)[0],
        "BargainingSolution": uniform_offer(v=0.5, w=0.3, high=0.6),
        "BargainingSolution_numeric": optimal_offer(v=[0.5, 0.4], w=0.3, n_grid=51),
        "Terminal": Terminal({"A": 1, "B": C_SYM}),
        "Decision": Decision("A", {"l": Terminal((1, 0)), "r": Terminal((0, 1))}),
    }


@pytest.mark.parametrize("dumps", [pickle.dumps, cloudpickle.dumps], ids=["pickle", "cloudpickle"])
@pytest.mark.parametrize("name", list(_objects()))
def test_round_trip(name, dumps):
    obj = _objects()[name]
    back = pickle.loads(dumps(obj))
    assert type(back) is type(obj)
    assert repr(back) == repr(obj)


def test_round_trips_keep_behaviour():
    sol = pickle.loads(pickle.dumps(GAME.equilibria(a=2)))
    assert sol.degenerate is False and sol.method == "support_enumeration" and len(sol) == 3
    assert not sol[0].row.flags.writeable  # rebuilt through the constructor
    eq = pickle.loads(pickle.dumps(GAME.symbolic_equilibria()[5]))
    assert eq.name == GAME.symbolic_equilibria()[5].name and eq.free == GAME.symbolic_equilibria()[5].free
    g = pickle.loads(cloudpickle.dumps(GAME))
    assert [e.row.tolist() for e in g.equilibria(a=2)] == [e.row.tolist() for e in GAME.equilibria(a=2)]
    tree = pickle.loads(pickle.dumps(_tree()))
    assert tree.solve(c=1)[0].profile["root"] == "a" and tree.solve(c=-1)[0].profile["root"] == "b"
    spe = pickle.loads(pickle.dumps(_tree().solve(c=1)[0]))
    assert dict(spe.payoffs) == {0: 1.0}
    b = pickle.loads(pickle.dumps(uniform_offer(v=[0.5, 0.05], w=[0.3, 0.6], high=0.6)))
    assert b.regime_name.tolist() == ["interior", "corner"]


def _solve_point(a: float):
    return GAME.equilibria(a=a)


def _tree_point(c: float):
    return _tree().solve(c=c)[0], _tree().backward_induction()[0]


def test_process_pool_round_trip_does_not_hang():
    ctx = mp.get_context("spawn")
    with ctx.Pool(2) as pool:
        res = pool.map_async(_solve_point, [2.0, 0.5])
        sols = res.get(timeout=300)  # hung forever before: the parent could not unpickle
        trees = pool.map_async(_tree_point, [1.0]).get(timeout=300)
    assert [len(s) for s in sols] == [3, 3]
    assert np.allclose(sols[0][2].row, [2 / 3, 1 / 3])
    assert trees[0][0].profile["root"] == "a"
