"""Normal-form games are solved alike at every payoff scale (issue 10, item 1).

The oracle is an exact support enumeration written here in rational arithmetic
(``fractions.Fraction`` of the very floats the solver is given), independent of atrogame
and nashpy. For random games (non-degenerate with probability 1) it returns every
equilibrium; the solver must return the same set at scales 1e-12 … 1e12, with any shift.
Constant and all-zero matrices (degenerate: a player indifferent between everything) must
give a non-empty list of exact equilibria containing every pure one.
"""

from __future__ import annotations

import itertools
import warnings
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from atrogame.solvers import NormalFormGame, is_degenerate


def solve_bimatrix(A, B, method="auto"):
    return NormalFormGame(np.asarray(A).tolist(), np.asarray(B).tolist()).equilibria(method=method)


SCALES = [1e-12, 1e-9, 1e-6, 1e-3, 1.0, 1e3, 1e6, 1e9, 1e12]


# ---------------------------------------------------------------------- exact oracle
def _solve_exact(M: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Gauss–Jordan elimination in rationals; None if singular."""
    n = len(M)
    aug = [[*row, b] for row, b in zip(M, rhs, strict=True)]
    for c in range(n):
        piv = next((r for r in range(c, n) if aug[r][c] != 0), None)
        if piv is None:
            return None
        aug[c], aug[piv] = aug[piv], aug[c]
        p = aug[c][c]
        aug[c] = [v / p for v in aug[c]]
        for r in range(n):
            if r != c and aug[r][c] != 0:
                f = aug[r][c]
                aug[r] = [a - f * b for a, b in zip(aug[r], aug[c], strict=True)]
    return [aug[r][n] for r in range(n)]


def _indifference(P, own, other):
    """z on `other` (sum 1) making the player with payoffs P[own, other] indifferent over `own`."""
    k = len(own)
    M = [[P[i][j] for j in other] + [Fraction(-1)] for i in own]
    M.append([Fraction(1)] * k + [Fraction(0)])
    sol = _solve_exact(M, [Fraction(0)] * k + [Fraction(1)])
    if sol is None or any(z <= 0 for z in sol[:k]):
        return None
    return sol[:k], sol[k]


def exact_equilibria(A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Every equilibrium of a non-degenerate game (equal supports, exact rationals)."""
    m, n = A.shape
    Af = [[Fraction(float(v)) for v in row] for row in A]
    Bt = [[Fraction(float(B[i, j])) for i in range(m)] for j in range(n)]  # column player's, transposed
    out = []
    for k in range(1, min(m, n) + 1):
        for I in itertools.combinations(range(m), k):  # noqa: E741
            for J in itertools.combinations(range(n), k):
                ys = _indifference(Af, I, J)
                xs = _indifference(Bt, J, I)
                if ys is None or xs is None:
                    continue
                (y_s, u), (x_s, v) = ys, xs
                y = [Fraction(0)] * n
                x = [Fraction(0)] * m
                for j, val in zip(J, y_s, strict=True):
                    y[j] = val
                for i, val in zip(I, x_s, strict=True):
                    x[i] = val
                if all(sum(Af[i][j] * y[j] for j in range(n)) <= u for i in range(m)) and all(
                    sum(Bt[j][i] * x[i] for i in range(m)) <= v for j in range(n)
                ):
                    out.append((np.array([float(t) for t in x]), np.array([float(t) for t in y])))
    return out


def exact_pure_equilibria(A: np.ndarray, B: np.ndarray) -> list[tuple[int, int]]:
    m, n = A.shape
    return [(i, j) for i in range(m) for j in range(n) if A[i, j] >= A[:, j].max() and B[i, j] >= B[i, :].max()]


def _is_exact_ne(A, B, x, y, rel=1e-9):
    """Best replies of the game as given, to a tolerance relative to each player's payoff range."""
    ra, cb = A @ y, x @ B
    sa = max(float(np.ptp(A)), np.finfo(float).tiny)
    sb = max(float(np.ptp(B)), np.finfo(float).tiny)
    return x @ ra >= ra.max() - rel * sa and cb @ y >= cb.max() - rel * sb


def _same_sets(P, Q, atol=1e-6):
    def inside(a, S):
        return any(np.allclose(a[0], b[0], atol=atol) and np.allclose(a[1], b[1], atol=atol) for b in S)

    return len(P) == len(Q) and all(inside(a, Q) for a in P) and all(inside(b, P) for b in Q)


def _game(seed: int, m: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(-1, 1, (m, n)), rng.uniform(-1, 1, (m, n))


# ---------------------------------------------------------------------- the issue's cases
A_ISSUE = np.array([[0.164, 2.245, -0.832], [-0.624, 0.205, 0.493]])
B_ISSUE = np.array([[-0.176, -0.206, 0.702], [0.52, -1.034, -0.079]])


@pytest.mark.parametrize("scale", [1e-12, 1.0, 1e9, 1e12])
def test_issue_game_has_its_equilibrium_at_every_scale(scale):
    A, B = scale * A_ISSUE, scale * B_ISSUE
    sol = NormalFormGame(A.tolist(), B.tolist()).equilibria()
    ref = exact_equilibria(A, B)
    assert len(ref) == 1
    assert _same_sets([(e.row, e.column) for e in sol], ref)
    assert not sol.degenerate
    assert sol[0].payoffs == pytest.approx((sol[0].row @ A @ sol[0].column, sol[0].row @ B @ sol[0].column))


@pytest.mark.parametrize("shape", [(2, 2), (2, 3), (3, 3), (3, 4), (4, 4)])
@pytest.mark.parametrize("value", [0.0, 5.0, -1e12, 1e-12])
def test_constant_matrices(shape, value):
    A = np.full(shape, value)
    B = np.full(shape, value)
    sol = NormalFormGame(A.tolist(), B.tolist()).equilibria()
    assert sol.degenerate and len(sol) >= 1
    found = {(int(np.argmax(e.row)), int(np.argmax(e.column))) for e in sol if e.is_pure}
    assert found == set(exact_pure_equilibria(A, B))  # every profile is one
    # also inside the grid path
    df = NormalFormGame(A.tolist(), B.tolist()).equilibria_grid()
    assert len(df) >= 1 and df["degenerate"].all()


@pytest.mark.parametrize("shape", [(2, 3), (3, 3), (4, 3)])
def test_one_constant_player(shape):
    # the row player is indifferent everywhere; the column player has strict preferences
    rng = np.random.default_rng(7)
    A = np.zeros(shape)
    B = rng.uniform(-1, 1, shape)
    sol = NormalFormGame(A.tolist(), B.tolist()).equilibria()
    assert sol.degenerate and len(sol) >= 1
    for e in sol:
        assert _is_exact_ne(A, B, e.row, e.column)
    found = {(int(np.argmax(e.row)), int(np.argmax(e.column))) for e in sol if e.is_pure}
    assert set(exact_pure_equilibria(A, B)) <= found


@pytest.mark.parametrize("scale", SCALES)
def test_degeneracy_is_scale_free(scale):
    rng = np.random.default_rng(11)
    flags = [is_degenerate(scale * rng.uniform(-1, 1, (3, 3)), scale * rng.uniform(-1, 1, (3, 3))) for _ in range(30)]
    assert not any(flags)
    # against the first row the column player has two pure best replies: degenerate at any scale
    A = rng.uniform(-1, 1, (3, 3))
    B = np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 1.0], [2.0, 0.0, 1.0]])
    assert is_degenerate(scale * A, scale * B)
    assert is_degenerate(scale * A, scale * B + 1e3 * scale)


def test_normalise_payoffs_is_affine_onto_unit_interval():
    from atrogame.solvers.normal_form import normalise_payoffs

    M = np.array([[3.0, -1.0], [7.0, 1.0]])
    N = normalise_payoffs(1e10 * M + 4e11)
    np.testing.assert_allclose(N, (M - M.min()) / np.ptp(M), atol=1e-15)
    assert normalise_payoffs(np.full((2, 2), 1e300)).tolist() == [[0.0, 0.0], [0.0, 0.0]]
    np.testing.assert_allclose(normalise_payoffs([[1e308, -1e308]]), [[1.0, 0.0]])


def test_every_method_is_scale_safe_and_never_empty():
    A, B = 1e-12 * A_ISSUE, 1e-12 * B_ISSUE
    for method in ("support_enumeration", "vertex_enumeration", "lemke_howson"):
        sol = solve_bimatrix(A, B, method)
        assert len(sol) == 1 and _same_sets([(sol[0].row, sol[0].column)], exact_equilibria(A, B))


# ---------------------------------------------------------------------- properties
def _check_random_game(seed: int, m: int, n: int, scale: float, shift: float) -> None:
    A0, B0 = _game(seed, m, n)
    A, B = scale * A0 + shift * scale, scale * B0 - shift * scale
    ref = exact_equilibria(A, B)
    assert len(ref) % 2 == 1  # a non-degenerate game: an odd number
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback, no "incomplete" warning on a generic game
        sol = solve_bimatrix(A, B)
    assert not sol.degenerate, (seed, m, n, scale)
    mine = [(e.row, e.column) for e in sol]
    assert _same_sets(mine, ref), (seed, m, n, scale, shift, mine, ref)
    for e in sol:
        assert _is_exact_ne(A, B, e.row, e.column)


shapes = st.sampled_from([(2, 2), (2, 3), (3, 2), (3, 3), (2, 4), (3, 4), (4, 4)])


@settings(derandomize=True, max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shape=shapes, scale=st.sampled_from(SCALES),
       shift=st.sampled_from([0.0, 0.5, -3.0]))
def test_random_games_match_the_exact_oracle_at_every_scale(seed, shape, scale, shift):
    _check_random_game(seed, *shape, scale, shift)


@pytest.mark.slow
@settings(derandomize=True, max_examples=600, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shape=shapes, scale=st.sampled_from(SCALES),
       shift=st.sampled_from([0.0, 0.5, -3.0]))
def test_random_games_match_the_exact_oracle_many_draws(seed, shape, scale, shift):
    _check_random_game(seed, *shape, scale, shift)


@settings(derandomize=True, max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), shape=shapes, scale=st.sampled_from(SCALES))
def test_degenerate_integer_games_never_empty(seed, shape, scale):
    # payoffs in {-1, 0, 1}: ties everywhere, often degenerate; every answer is exact and
    # contains every pure equilibrium
    rng = np.random.default_rng(seed)
    A = scale * rng.integers(-1, 2, shape).astype(float)
    B = scale * rng.integers(-1, 2, shape).astype(float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sol = solve_bimatrix(A, B)
    assert len(sol) >= 1
    for e in sol:
        assert _is_exact_ne(A, B, e.row, e.column), (A, B, e)
    found = {(int(np.argmax(e.row)), int(np.argmax(e.column))) for e in sol if e.is_pure}
    assert set(exact_pure_equilibria(A, B)) <= found
    if not sol.degenerate:
        assert _same_sets([(e.row, e.column) for e in sol], exact_equilibria(A, B))


def test_against_pygambit_when_installed():
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(5)
    for shape in ((2, 3), (3, 3), (4, 4)):
        for scale in (1e-12, 1.0, 1e12):
            A = scale * rng.uniform(-1, 1, shape)
            B = scale * rng.uniform(-1, 1, shape)
            game = gbt.Game.from_arrays(A / scale, B / scale)  # gambit's own scale; equilibria are the same
            res = gbt.nash.enummixed_solve(game, rational=False)
            ref = []
            for prof in res.equilibria:
                (p1, x), (p2, y) = prof.mixed_strategies()
                ref.append((np.array([float(x[s]) for s in p1.strategies]),
                            np.array([float(y[s]) for s in p2.strategies])))
            sol = solve_bimatrix(A, B)
            assert _same_sets([(e.row, e.column) for e in sol], ref)
