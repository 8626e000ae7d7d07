"""Tests of atrogame.solvers.extensive_form: backward induction = brute-force SPE, symbolic = numeric."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp

from atrogame import ParameterError
from atrogame.solvers import Chance, Decision, ExtensiveFormGame, Terminal, backward_induction
from atrogame.solvers.extensive_form import node_label

X, Y = sp.symbols("x y", real=True)


def random_tree(rng, payoff, players=(0, 1), max_depth=3, chance=True, budget=None):
    """A random tree; ``payoff()`` draws one payoff. Decision nodes are capped by ``budget``."""
    budget = budget if budget is not None else [6]

    def build(depth):
        if depth >= max_depth or budget[0] <= 0 or (depth > 0 and rng.uniform() < 0.3):
            return Terminal({p: payoff() for p in players})
        if chance and depth > 0 and rng.uniform() < 0.2:
            k = int(rng.integers(2, 4))
            probs = [sp.Rational(1, k)] * k
            return Chance([(build(depth + 1), pr) for pr in probs])
        budget[0] -= 1
        k = int(rng.integers(2, 4))
        return Decision(players[int(rng.integers(len(players)))], {f"a{i}": build(depth + 1) for i in range(k)})

    return build(0)


# ---------------------------------------------------------------- brute force (exact, Fractions)
def _value(game, node, path, profile):
    """Exact expected payoffs (dict) at ``node`` under a full pure profile."""
    if isinstance(node, Terminal):
        return {p: Fraction(str(node.payoffs[p])) for p in game.players}
    if isinstance(node, Chance):
        out = dict.fromkeys(game.players, Fraction(0))
        for (c, pr), lab in zip(node.branches, node.labels, strict=True):
            v = _value(game, c, (*path, lab), profile)
            for p in game.players:
                out[p] += Fraction(str(pr)) * v[p]
        return out
    a = profile[game.node_id(node)]
    return _value(game, node.actions[a], (*path, a), profile)


def _subtree_nodes(game, node):
    if isinstance(node, Terminal):
        return []
    if isinstance(node, Chance):
        return [n for c, _ in node.branches for n in _subtree_nodes(game, c)]
    return [node] + [n for c in node.actions.values() for n in _subtree_nodes(game, c)]


def brute_force_spe(game):
    nodes = list(game.nodes.items())
    subs = {nid: _subtree_nodes(game, node) for nid, node in nodes}
    spe = []
    for actions in itertools.product(*(list(n.actions) for _, n in nodes)):
        prof = dict(zip((nid for nid, _ in nodes), actions, strict=True))
        ok = True
        for nid, node in nodes:  # every decision node starts a subgame (perfect information)
            base = _value(game, node, (), prof)
            for player in game.players:
                mine = [game.node_id(n) for n in subs[nid] if n.player == player]
                for alt in itertools.product(*(list(game.nodes[m].actions) for m in mine)):
                    dev = {**prof, **dict(zip(mine, alt, strict=True))}
                    if _value(game, node, (), dev)[player] > base[player]:
                        ok = False
                        break
                if not ok:
                    break
            if not ok:
                break
        if ok:
            spe.append(prof)
    return spe


def _key(profile):
    return tuple(sorted((node_label(k), v) for k, v in profile.items()))


@pytest.mark.parametrize("ties", [True, False])
def test_backward_induction_equals_brute_force(ties):
    rng = np.random.default_rng(11 if ties else 12)
    n_multi = 0
    for _ in range(25):
        if ties:
            tree = random_tree(rng, lambda: int(rng.integers(0, 3)), players=(0, 1, 2), budget=[5])
        else:
            tree = random_tree(rng, lambda: round(float(rng.uniform(-1, 1)), 6), budget=[5])
        game = ExtensiveFormGame(tree)
        solved = game.solve()
        brute = brute_force_spe(game)
        assert sorted(map(_key, (e.profile for e in solved))) == sorted(map(_key, brute))
        for e in solved:
            exact = _value(game, tree, (), e.profile)
            assert all(e.payoffs[p] == pytest.approx(float(exact[p]), abs=1e-12) for p in game.players)
            # a reported tie lists the chosen action and at least one other
            for nid, acts in e.ties.items():
                assert e.profile[nid] in acts and len(acts) >= 2
        if not ties:
            assert len(solved) == 1
        n_multi += len(solved) > 1
    if ties:
        assert n_multi >= 5  # ties do happen and every tied SPE is reported


def _linear_payoff(rng):
    c = rng.integers(-1, 2, 3)
    return int(c[0]) + int(c[1]) * X + int(c[2]) * Y


def test_symbolic_regions_agree_with_numeric_solves():
    rng = np.random.default_rng(5)
    checked_ties = 0
    for _ in range(12):
        tree = random_tree(rng, lambda: _linear_payoff(rng), max_depth=2, budget=[3])
        game = ExtensiveFormGame(tree)
        regions = game.backward_induction()
        assert all(isinstance(r.condition, (sp.logic.boolalg.Boolean, bool)) for r in regions)
        points = [{"x": float(a), "y": float(b)} for a, b in rng.uniform(-2, 2, (15, 2))]
        points += [{"x": int(a), "y": int(b)} for a, b in rng.integers(-2, 3, (15, 2))]
        for pt in points:
            params = {k: v for k, v in pt.items() if k in [s.name for s in game.parameters]}
            held = game.regions_at(**params)
            num = game.solve(**params)
            assert sorted(_key(r.profile) for r in held) == sorted(_key(e.profile) for e in num), pt
            for r in held:
                e = next(e for e in num if _key(e.profile) == _key(r.profile))
                for p in game.players:
                    assert float(sp.sympify(r.payoffs[p]).subs({X: pt["x"], Y: pt["y"]})) == pytest.approx(
                        e.payoffs[p], abs=1e-12
                    )
                assert {node_label(k): v for k, v in r.ties.items()} == {node_label(k): v for k, v in e.ties.items()}
            checked_ties += len(num) > 1
    assert checked_ties >= 5


def test_solve_grid_matches_pointwise_solves():
    rng = np.random.default_rng(8)
    for _ in range(6):
        tree = random_tree(rng, lambda: _linear_payoff(rng), max_depth=3, budget=[4], chance=True)
        game = ExtensiveFormGame(tree)
        names = [s.name for s in game.parameters]
        if not names:
            continue
        grid = {n: np.array([-1.0, -0.5, 0.0, 0.5, 1.0, 1.7]) for n in names}
        ds = game.solve_grid(**grid)
        assert tuple(ds.sizes) == tuple(names)
        for idx in itertools.product(*(range(len(grid[n])) for n in names)):
            pt = {n: float(grid[n][i]) for n, i in zip(names, idx, strict=True)}
            sel = ds.isel(dict(zip(names, idx, strict=True)))
            num = game.solve(**pt)
            first = {nid: str(sel[f"choice[{node_label(nid)}]"].item()).split("|")[0] for nid in game.nodes}
            matches = [e for e in num if _key(e.profile) == _key(first)]
            assert len(matches) == 1, pt
            for p in game.players:
                assert float(sel[f"payoff[{p}]"]) == pytest.approx(matches[0].payoffs[p], abs=1e-12)
            assert bool(sel["any_tie"]) == (len(num) > 1)
            for nid in game.nodes:
                text = str(sel[f"choice[{node_label(nid)}]"].item())
                assert bool(sel[f"tie[{node_label(nid)}]"]) == ("|" in text)


def test_chance_node_expected_payoffs():
    p, w = sp.symbols("p w", real=True)
    # the minority rebels (war lottery with win probability p, value 1, cost w) or accepts 0.3
    tree = Decision(
        "M",
        {
            "accept": Terminal({"M": sp.Rational(3, 10), "G": sp.Rational(7, 10)}),
            "rebel": Chance({Terminal({"M": 1 - w, "G": -w}): p, Terminal({"M": -w, "G": 1 - w}): 1 - p}),
        },
        name="minority",
    )
    game = ExtensiveFormGame(tree)
    regions = {r.profile["minority"]: r for r in game.backward_induction() if not r.ties}
    assert sp.simplify(regions["rebel"].payoffs["M"] - (p - w)) == 0
    assert regions["rebel"].condition == sp.Gt(p - w, sp.Rational(3, 10))
    assert [e.profile["minority"] for e in game.solve(p=0.6, w=0.1)] == ["rebel"]
    assert [e.profile["minority"] for e in game.solve(p=sp.Rational(2, 5), w=sp.Rational(1, 10))] == [
        "accept",
        "rebel",
    ]
    with pytest.raises(ParameterError, match="chance probabilities"):
        game.solve(p=1.5, w=0.0)


def test_named_nodes_and_paths():
    inner = Decision(1, {"l": Terminal((1, 1)), "r": Terminal((0, 2))})
    game = ExtensiveFormGame(Decision(0, {"go": inner, "stop": Terminal((0.5, 0))}, name="first"))
    assert set(game.nodes) == {"first", ("go",)}
    (e,) = game.solve()
    assert dict(e.profile) == {"first": "stop", ("go",): "r"}
    ds = game.solve_grid()
    assert str(ds["choice[/go]"].item()) == "r" and str(ds["choice[first]"].item()) == "stop"


def test_errors():
    t = Terminal((1, 2))
    with pytest.raises(ParameterError, match="node reused"):
        ExtensiveFormGame(Decision(0, {"a": t, "b": t}))
    with pytest.raises(ParameterError, match="payoff for every player"):
        ExtensiveFormGame(Decision("A", {"a": Terminal({"A": 1}), "b": Terminal({"B": 1})}))
    with pytest.raises(ParameterError, match="probabilities that sum to 1"):
        Chance({Terminal((1,)): 0.5, Terminal((0,)): 0.6})
    with pytest.raises(ParameterError, match="actions must be in"):
        Decision(0, {})
    g = ExtensiveFormGame(Decision(0, {"a": Terminal((X,)), "b": Terminal((Y,))}))
    with pytest.raises(ParameterError, match=r"y must be in \(-inf, inf\) \(a real number\); got None"):
        g.solve(x=1.0)
    assert backward_induction(Decision(0, {"a": Terminal((1,))}))[0].profile == {(): "a"}


def test_contradictory_regions_are_pruned():
    # player 1's choices in the two subgames depend on x with opposite signs: combinations
    # such as "x > 0 and x < 0" must not be reported
    tree = Decision(
        0,
        {
            "L": Decision(1, {"l1": Terminal((1, X)), "l2": Terminal((0, 0))}),
            "R": Decision(1, {"r1": Terminal((2, -X)), "r2": Terminal((0, 0))}),
        },
    )
    game = ExtensiveFormGame(tree)
    regions = game.backward_induction()
    for r in regions:
        assert any(bool(r.condition.subs(X, v)) for v in (-1, 0, 1)), r
    by_point = {v: sorted(_key(r.profile) for r in game.regions_at(x=v)) for v in (-1, 0, 1)}
    assert len(by_point[1]) == len(by_point[-1]) == 1
    assert len(by_point[0]) == 5  # (l1,r1)->R, (l1,r2)->L, (l2,r1)->R, (l2,r2)->L and R
    assert len(regions) == 7
    for v, keys in by_point.items():
        assert keys == sorted(_key(e.profile) for e in game.solve(x=v))


def test_sign_assumptions_prune_regions():
    c = sp.Symbol("c", positive=True)
    game = ExtensiveFormGame(Decision(0, {"a": Terminal((c,)), "b": Terminal((0,))}))
    assert [r.profile[()] for r in game.backward_induction()] == ["a"]
