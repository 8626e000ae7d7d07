"""Tests of atrogame.solvers.normal_form: symbolic 2×2 equilibria = nashpy = brute force."""

from __future__ import annotations

import warnings

import nashpy as nash
import numpy as np
import pytest
import sympy as sp

from atrogame import ParameterError
from atrogame.solvers import GameSolution, NashEquilibrium, NormalFormGame, is_degenerate

SYMS = sp.symbols("a00 a01 a10 a11 b00 b01 b10 b11", real=True)
GAME = NormalFormGame(sp.Matrix(2, 2, SYMS[:4]), sp.Matrix(2, 2, SYMS[4:]))
DEGENERATE = sp.lambdify(SYMS, GAME.symbolic_degenerate_condition(), modules="math")


def _nashpy(A, B):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return [(np.asarray(x, float), np.asarray(y, float)) for x, y in nash.Game(A, B).support_enumeration()]


def _is_ne(A, B, x, y, tol=1e-9):
    ra, cb = A @ y, x @ B
    return x @ ra >= ra.max() - tol and cb @ y >= cb.max() - tol


def _same_sets(P, Q, atol=1e-8):
    def inside(a, S):
        return any(np.allclose(a[0], b[0], atol=atol) and np.allclose(a[1], b[1], atol=atol) for b in S)

    return len(P) == len(Q) and all(inside(a, Q) for a in P) and all(inside(b, P) for b in Q)


def _points_in(region):
    """A few points of a sympy Interval (or ProductSet of two) inside the open (0, 1) range."""
    if isinstance(region, sp.ProductSet):
        a, b = region.sets
        return [(u, v) for u in _points_in(a) for v in _points_in(b)]
    lo, hi = float(region.inf), float(region.sup)
    if lo == hi:
        return [lo]
    return [lo + (hi - lo) * f for f in (1e-6, 0.5, 1 - 1e-6)]


def _family_profiles(entry, value):
    vals = dict(zip(entry.free, value if isinstance(value, tuple) else (value,), strict=True))
    row = np.array([float(sp.sympify(t).subs(vals)) for t in entry.profiles[0]])
    col = np.array([float(sp.sympify(t).subs(vals)) for t in entry.profiles[1]])
    return row, col


def _draws(rng):
    ints = rng.choice([-1, 0, 1, 2], size=(320, 8))
    floats = rng.uniform(-3, 3, size=(230, 8))
    return [*(tuple(int(v) for v in r) for r in ints), *(tuple(float(v) for v in r) for r in floats)]


def test_symbolic_2x2_agrees_with_nashpy_and_brute_force(rng):
    n_degenerate = n_family = 0
    grid = np.linspace(0, 1, 9)
    for vals in _draws(rng):
        params = {s.name: v for s, v in zip(SYMS, vals, strict=True)}
        A = np.array(vals[:4], float).reshape(2, 2)
        B = np.array(vals[4:], float).reshape(2, 2)
        entries = GAME.symbolic_equilibria_at(**params)
        iso = [tuple(np.array([float(t) for t in pr]) for pr in e.profiles) for e in entries if not e.free]
        fams = [e for e in entries if e.free]
        # the isolated equilibria are exactly nashpy's (pure, and mixed with full supports)
        assert _same_sets(iso, _nashpy(A, B)), vals
        # atrogame's numeric path returns the same tuple
        sol = GAME.equilibria(**params)
        assert isinstance(sol, tuple) and isinstance(sol, GameSolution)
        assert _same_sets(iso, [(e.row, e.column) for e in sol]), vals
        # degeneracy: some payoff gain is zero; flagged consistently everywhere
        deg = bool(np.any(np.array([A[0, 0] - A[1, 0], A[0, 1] - A[1, 1], B[0, 0] - B[0, 1], B[1, 0] - B[1, 1]]) == 0))
        assert sol.degenerate == deg == is_degenerate(A, B) == bool(DEGENERATE(*vals))
        assert all(e.degenerate == deg for e in sol)
        n_degenerate += deg
        if fams:
            assert deg
            n_family += 1
        # every point of every family is an equilibrium
        for e in fams:
            for value in _points_in(e.condition):
                assert _is_ne(A, B, *_family_profiles(e, value)), (vals, e.name, value)
        for x, y in iso:
            assert _is_ne(A, B, x, y)
        # completeness: every equilibrium on a (p, q) grid is covered by some entry
        for p in grid:
            for q in grid:
                x, y = np.array([p, 1 - p]), np.array([q, 1 - q])
                if not _is_ne(A, B, x, y, tol=1e-12):
                    continue
                covered = any(np.allclose(x, a) and np.allclose(y, b) for a, b in iso) or any(
                    _covers(e, p, q) for e in fams
                )
                assert covered, (vals, p, q)
    assert n_degenerate >= 100 and n_family >= 30


def _covers(entry, p, q):
    """Whether the grid point (p, q) lies in a degenerate family (closure of its region)."""
    (p_sym, q_sym) = GAME.mix_symbols
    row, col = entry.profiles

    def within(v, region):
        return float(region.inf) - 1e-12 <= v <= float(region.sup) + 1e-12

    if entry.free == (p_sym,):
        return float(col[0]) == q and within(p, entry.condition)
    if entry.free == (q_sym,):
        return float(row[0]) == p and within(q, entry.condition)
    a, b = entry.condition.sets
    return within(p, a) and within(q, b)


def test_symbolic_entries_are_exhaustive_and_exclusive_by_support(rng):
    # the generic mixed equilibrium has the textbook indifference probabilities
    entries = {e.name: e for e in GAME.symbolic_equilibria()}
    a0, a1 = SYMS[0] - SYMS[2], SYMS[1] - SYMS[3]
    b0, b1 = SYMS[4] - SYMS[5], SYMS[6] - SYMS[7]
    (p_star, _), (q_star, _) = entries["mixed"].profiles
    assert sp.simplify(p_star - b1 / (b1 - b0)) == 0
    assert sp.simplify(q_star - a1 / (a1 - a0)) == 0
    # its condition is 0 < p* < 1 and 0 < q* < 1, checked at random points
    f = sp.lambdify(SYMS, entries["mixed"].condition)
    for vals in rng.uniform(-2, 2, (300, 8)):
        A = vals[:4].reshape(2, 2)
        B = vals[4:].reshape(2, 2)
        ps = (B[1, 0] - B[1, 1]) / ((B[1, 0] - B[1, 1]) - (B[0, 0] - B[0, 1]))
        qs = (A[0, 1] - A[1, 1]) / ((A[0, 1] - A[1, 1]) - (A[0, 0] - A[1, 0]))
        assert bool(f(*vals)) == bool(0 < ps < 1 and 0 < qs < 1)
    assert len(GAME.symbolic_equilibria()) == 12
    assert GAME.symbolic_equilibria() is GAME.symbolic_equilibria()  # derived once


def test_hawk_dove_regions():
    v, c = sp.symbols("v c", positive=True)
    g = NormalFormGame(
        [[(v - c) / 2, v], [0, v / 2]], [[(v - c) / 2, 0], [v, v / 2]], row_labels="HD", column_labels="HD"
    )
    names = lambda **kw: [e.name for e in g.symbolic_equilibria_at(**kw)]  # noqa: E731
    assert names(v=4, c=2) == ["pure (H, H)"]
    assert names(v=2, c=4) == ["pure (H, D)", "pure (D, H)", "mixed"]
    mixed = g.symbolic_equilibria_at(v=2, c=4)[2]
    assert mixed.profiles == ((sp.Rational(1, 2), sp.Rational(1, 2)), (sp.Rational(1, 2), sp.Rational(1, 2)))
    # v = c: degenerate; (H, H) is a weak equilibrium and families appear
    at = g.symbolic_equilibria_at(v=2, c=2)
    assert "pure (H, H)" in [e.name for e in at] and any(e.free for e in at)
    assert g.equilibria(v=2, c=2).degenerate and not g.equilibria(v=2, c=4).degenerate


def test_equilibria_match_nashpy_on_3x3(rng):
    x, y = sp.symbols("x y", real=True)
    A = sp.Matrix([[x, 0, 1], [1, y, 0], [0, 1, x + y]])
    B = sp.Matrix([[y, 1, 0], [0, x, 1], [1, 0, 2 * x - y]])
    g = NormalFormGame(A, B)
    assert g.parameters == (x, y)
    n_deg = 0
    for k in range(36):
        pt = (
            {"x": float(rng.uniform(-2, 2)), "y": float(rng.uniform(-2, 2))}
            if k < 24
            else {"x": int(rng.integers(-1, 2)), "y": int(rng.integers(-1, 2))}
        )
        An, Bn = g.payoff_matrices(**pt)
        sol = g.equilibria(**pt)
        ref = _dedup(_nashpy(An, Bn))
        mine = [(e.row, e.column) for e in sol]
        if sol.degenerate:  # nashpy's support enumeration finds a subset of what we report
            assert all(any(_same_sets([a], [b], atol=1e-7) for b in mine) for a in ref)
        else:  # complete reference: vertex enumeration (nashpy) for non-degenerate games
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                vref = _dedup([(np.asarray(a), np.asarray(b)) for a, b in nash.Game(An, Bn).vertex_enumeration()])
            assert _same_sets(mine, vref, atol=1e-7)
        for e in sol:
            assert _is_ne(An, Bn, e.row, e.column)
            assert e.payoffs == pytest.approx((e.row @ An @ e.column, e.row @ Bn @ e.column))
        if not sol.degenerate:
            assert len(sol) % 2 == 1  # odd number in non-degenerate games
            lh = g.equilibria(method="lemke_howson", **pt)
            assert len(lh) >= 1 and all(any(e.isclose(f, 1e-7) for f in sol) for e in lh)
        n_deg += sol.degenerate
    assert n_deg >= 5


def _dedup(eqs):
    out = []
    for a in eqs:
        if not any(np.allclose(a[0], b[0]) and np.allclose(a[1], b[1]) for b in out):
            out.append(a)
    return out


def test_is_degenerate_mixed_support():
    # no pure strategy has tied best responses, but (1/2, 1/2, 0) has three
    B = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.2, 0.3, 0.9]])
    A = np.array([[0.3, 0.9, 0.1], [0.7, 0.2, 0.5], [0.4, 0.6, 0.8]])
    assert is_degenerate(A, B)
    assert not is_degenerate(A, B + np.array([[0, 0, 0.01], [0, 0, 0], [0, 0, 0]]))
    rng = np.random.default_rng(3)
    assert not any(is_degenerate(rng.normal(size=(3, 4)), rng.normal(size=(3, 4))) for _ in range(50))


def test_equilibria_grid_2x2_vectorised_matches_pointwise():
    a, b = sp.symbols("a b", real=True)
    g = NormalFormGame([[a, 0], [b, 1]], [[1, b], [0, a]])
    av = np.array([-1.0, 0.0, 0.5, 1.0, 2.0])
    bv = np.array([-1.0, 0.0, 1.0, 3.0])
    df = g.equilibria_grid(a=av, b=bv)
    assert list(df.columns[:4]) == ["a", "b", "point", "kind"]
    assert set(df["point"]) == set(range(20))
    for pt, (ai, bi) in enumerate((x, y) for x in av for y in bv):
        sub = df[df["point"] == pt]
        assert (sub["a"] == ai).all() and (sub["b"] == bi).all()
        entries = g.symbolic_equilibria_at(a=ai, b=bi)
        assert list(sub["kind"]) == [e.name for e in entries]
        A, B = g.payoff_matrices(a=ai, b=bi)
        for (_, r), e in zip(sub.iterrows(), entries, strict=True):
            x, y = np.array([r.row_0, r.row_1]), np.array([r.column_0, r.column_1])
            assert _is_ne(A, B, x, y)
            assert r.degenerate == g.equilibria(a=ai, b=bi).degenerate
            if not e.free:
                assert np.allclose(x, [float(t) for t in e.profiles[0]])
                assert np.allclose(y, [float(t) for t in e.profiles[1]])
                assert r.free == ""
            else:
                lo, hi = float(e.condition.inf), float(e.condition.sup)
                assert r.free == f"[{lo:.6g}, {hi:.6g}]"
            assert r.row_payoff == pytest.approx(x @ A @ y) and r.column_payoff == pytest.approx(x @ B @ y)


def test_equilibria_grid_loop_for_larger_games():
    x = sp.Symbol("x")
    g = NormalFormGame([[x, 0, 0], [0, 1, 0], [0, 0, 2]], [[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    df = g.equilibria_grid(x=[0.5, 3.0])
    assert set(df["kind"]) == {"nash"} and {"row_2", "column_2"} <= set(df.columns)
    for xv in (0.5, 3.0):
        sub = df[df["x"] == xv]
        assert len(sub) == len(g.equilibria(x=xv))


def test_equilibria_grid_loop_with_a_parameter_named_method():
    # found by mypy: the grid loop passed each point as **kwargs, so a symbol named ``method``
    # filled equilibria()'s ``method`` argument instead of the payoff entry
    x, method = sp.Symbol("x"), sp.Symbol("method")
    A, B = [[1, 0, 1], [0, 1, 0]], [[1, 0, 0], [0, 1, 1]]
    named = NormalFormGame([[method, *A[0][1:]], A[1]], B).equilibria_grid(method=[0.5, 2.0])
    plain = NormalFormGame([[x, *A[0][1:]], A[1]], B).equilibria_grid(x=[0.5, 2.0])
    cols = ["point", "row_0", "row_1", "column_0", "column_1", "column_2", "row_payoff", "column_payoff"]
    assert len(named) == len(plain) > 2
    np.testing.assert_allclose(named[cols].to_numpy(float), plain[cols].to_numpy(float))
    np.testing.assert_array_equal(named["method"].to_numpy(), plain["x"].to_numpy())


def test_parameter_errors():
    with pytest.raises(ParameterError, match=r"a01, b10 must be in \(-inf, inf\) \(a real number\); got None"):
        GAME.equilibria(**{s.name: 1 for s in SYMS if s.name not in ("a01", "b10")})
    with pytest.raises(ParameterError, match="zzz must be in the game's parameters"):
        GAME.equilibria(zzz=1, **{s.name: 1 for s in SYMS})
    with pytest.raises(ParameterError, match="a00 must be in"):
        GAME.equilibria(**{s.name: (np.nan if s.name == "a00" else 1) for s in SYMS})
    with pytest.raises(ParameterError, match="B must be in matrices of A's shape"):
        NormalFormGame([[1, 2]], [[1], [2]])
    with pytest.raises(ParameterError, match="method must be in"):
        NormalFormGame([[1]], [[1]]).equilibria(method="magic")
    with pytest.raises(NotImplementedError, match="2x2"):
        NormalFormGame(np.eye(3), np.eye(3)).symbolic_equilibria()


def test_nash_equilibrium_is_frozen():
    e = NashEquilibrium(np.array([1.0, 0.0]), np.array([0.5, 0.5]), (1, 2), True)
    with pytest.raises(AttributeError):
        e.degenerate = False  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        e.row[0] = 0.5
    assert not e.is_pure and e.payoffs == (1.0, 2.0)
