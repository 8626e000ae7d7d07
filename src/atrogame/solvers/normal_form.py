"""Two-player normal-form games whose payoffs are sympy expressions.

:class:`NormalFormGame` holds the row player's payoff matrix ``A`` and the column player's
``B``; entries may be numbers or sympy expressions in any parameters. Numeric equilibria at
one parameter point come from nashpy; sweeps over parameter grids come back as a tidy
:class:`pandas.DataFrame`; for 2×2 games every equilibrium is also available in closed form
with the parameter region where it exists.

Scale safety
------------
Every numeric routine runs on the *normalised* game: each player's payoffs are mapped
affinely onto ``[0, 1]`` (:func:`normalise_payoffs`). A positive rescaling plus a shift of
one player's payoffs leaves its best replies, and so every equilibrium, unchanged; the
tolerances below then mean the same whether payoffs are of order 1e-12 or 1e12, and a
constant (e.g. all-zero) matrix — a player indifferent between everything — is an ordinary
(degenerate) input. Degeneracy is decided on the normalised game too. Reported payoffs are
those of the game as given.

Algorithm choice (``method="auto"``)
------------------------------------
* **Support enumeration** (atrogame's own, least squares on each support pair, tolerant of
  rounding) when the number of support pairs ``(2^m − 1)(2^n − 1)`` is at most 4095 (up to
  6×6): supports of equal size whose indifference equations have a unique, strictly positive
  solution, which is complete for non-degenerate games (in degenerate ones it gives the
  isolated equilibria; should it give none, every pair of supports is tried and one point
  of each solution set is kept). Beyond 2×2 the result is
  cross-checked by nashpy's vertex enumeration (complete for non-degenerate games) and the
  union is reported with ``method="support_enumeration+vertex_enumeration"``.
* **Vertex enumeration** (nashpy, on the normalised game shifted to ``[1, 2]`` so its
  polytopes are bounded) alone for larger games.
* ``method="lemke_howson"`` runs Lemke–Howson from every initial dropped label: fast, but
  it may miss equilibria (it finds an odd number of them, at least one); asked for only.

Every candidate is checked to be a best reply to within ``1e-9`` on the normalised game and
duplicates are removed. An empty answer is never returned: a method asked for by name that
finds nothing falls back to support enumeration with a
:class:`~atrogame.core.errors.NumericalFallbackWarning`; a non-degenerate game with an even
number of equilibria found (it has an odd number) gets a
:class:`~atrogame.core.errors.ConvergenceWarning`; and if no equilibrium is found at all a
``RuntimeError`` asks for a report, since every finite game has one.

Degenerate games — a mixed strategy with support of size ``k`` has more than ``k`` pure
best responses — can have continua of equilibria, and every algorithm above then returns
only some of them (the extreme points it happens to hit). The result says so:
:meth:`NormalFormGame.equilibria` returns a :class:`GameSolution`, a ``tuple`` of
:class:`NashEquilibrium` with a ``degenerate`` attribute (each equilibrium carries the same
flag). For 2×2 games, :meth:`NormalFormGame.symbolic_equilibria` describes the continua
exactly.

Examples
--------
>>> import sympy as sp
>>> a = sp.Symbol("a")
>>> g = NormalFormGame([[a, 0], [0, 1]], [[1, 0], [0, a]])   # a coordination game
>>> g.parameters
(a,)
>>> sol = g.equilibria(a=2)
>>> len(sol), sol.degenerate
(3, False)
>>> [e.row.round(3).tolist() for e in sol]
[[1.0, 0.0], [0.0, 1.0], [0.667, 0.333]]
"""

from __future__ import annotations

import functools
import itertools
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import sympy as sp

from atrogame.core.errors import ParameterError
from atrogame.solvers._common import grid_axes, symbol_values

__all__ = [
    "GameSolution",
    "NashEquilibrium",
    "NormalFormGame",
    "SymbolicEquilibrium",
    "is_degenerate",
    "normalise_payoffs",
    "solve_bimatrix",
]

_SUPPORT_PAIRS_MAX = 4095


@dataclass(frozen=True, eq=False)
class NashEquilibrium:
    """One Nash equilibrium of a bimatrix game at a parameter point.

    Attributes
    ----------
    row, column:
        Mixed strategies (probability vectors, read-only numpy arrays).
    payoffs:
        ``(row player's expected payoff, column player's expected payoff)``.
    degenerate:
        Whether the *game* is degenerate (then the equilibria listed may not be all).

    Examples
    --------
    >>> e = NashEquilibrium(np.array([1.0, 0.0]), np.array([0.0, 1.0]), (2.0, 1.0), False)
    >>> e.is_pure, e.payoffs
    (True, (2.0, 1.0))
    """

    row: np.ndarray
    column: np.ndarray
    payoffs: tuple[float, float]
    degenerate: bool = False

    def __post_init__(self) -> None:
        for name in ("row", "column"):
            arr = np.array(getattr(self, name), dtype=float)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        object.__setattr__(self, "payoffs", (float(self.payoffs[0]), float(self.payoffs[1])))

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt through __init__, so the unpickled arrays are read-only again
        return (type(self), (np.array(self.row), np.array(self.column), self.payoffs, self.degenerate))

    @property
    def is_pure(self) -> bool:
        """Both players play one strategy with probability 1."""
        return bool(np.isclose(self.row.max(), 1.0) and np.isclose(self.column.max(), 1.0))

    def isclose(self, other: NashEquilibrium, atol: float = 1e-9) -> bool:
        """Same strategies to within ``atol``."""
        return bool(
            self.row.shape == other.row.shape
            and self.column.shape == other.column.shape
            and np.allclose(self.row, other.row, atol=atol)
            and np.allclose(self.column, other.column, atol=atol)
        )

    def __repr__(self) -> str:
        r = np.array2string(self.row, precision=4, separator=", ")
        c = np.array2string(self.column, precision=4, separator=", ")
        return f"NashEquilibrium(row={r}, column={c}, payoffs=({self.payoffs[0]:.6g}, {self.payoffs[1]:.6g}))"


class GameSolution(tuple):
    """The equilibria found at one parameter point: a ``tuple`` of :class:`NashEquilibrium`.

    Attributes
    ----------
    equilibria:
        The same equilibria as a plain tuple.
    degenerate:
        Whether the game is degenerate; if so the tuple may miss equilibria (continua).
    method:
        The algorithm used (``"support_enumeration"``,
        ``"support_enumeration+vertex_enumeration"`` (cross-checked union),
        ``"vertex_enumeration"``, ``"lemke_howson"``, or ``"<method>->support_enumeration"``
        when the method asked for found nothing and support enumeration took over).

    Examples
    --------
    >>> sol = NormalFormGame([[1, 1], [1, 1]], [[1, 1], [1, 1]]).equilibria()
    >>> isinstance(sol, tuple), sol.degenerate, len(sol) >= 1
    (True, True, True)
    """

    degenerate: bool
    method: str

    def __new__(cls, equilibria: Sequence[NashEquilibrium], degenerate: bool, method: str) -> GameSolution:
        obj = super().__new__(cls, tuple(equilibria))
        obj.degenerate = bool(degenerate)
        obj.method = method
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        # a tuple subclass whose __new__ takes more than the items: pickle must call it with all of them
        return (type(self), (tuple(self), self.degenerate, self.method))

    @property
    def equilibria(self) -> tuple[NashEquilibrium, ...]:
        return tuple(self)

    def __repr__(self) -> str:
        inner = ", ".join(repr(e) for e in self)
        return f"GameSolution(({inner}), degenerate={self.degenerate}, method={self.method!r})"


#: A (row profile, column profile) pair of symbolic mixed strategies.
_Profiles = tuple[tuple[Any, ...], tuple[Any, ...]]


class SymbolicEquilibrium(tuple):
    """A ``(condition, (row_profile, column_profile))`` pair with a name.

    Unpacks as a pair. ``row_profile``/``column_profile`` are tuples of sympy expressions
    (the probabilities of each pure strategy). In a degenerate family the profiles contain
    the free mixing symbols in :attr:`free` (``NormalFormGame.mix_symbols``), and the
    condition constrains them too: every value satisfying it is an equilibrium.

    Examples
    --------
    >>> a = sp.Symbol("a")
    >>> cond, (row, col) = NormalFormGame([[a, 0], [0, 1]], [[1, 0], [0, 1]]).symbolic_equilibria()[0]
    >>> cond, row, col
    (a >= 0, (1, 0), (1, 0))
    """

    name: str
    free: tuple[sp.Symbol, ...]

    def __new__(
        cls,
        condition: Any,
        profiles: tuple[tuple[Any, ...], tuple[Any, ...]],
        name: str,
        free: tuple[sp.Symbol, ...] = (),
    ) -> SymbolicEquilibrium:
        obj = super().__new__(cls, (condition, profiles))
        obj.name = name
        obj.free = tuple(free)
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self[0], self[1], self.name, self.free))

    @property
    def condition(self) -> Any:
        return self[0]

    @property
    def profiles(self) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        return self[1]

    def __repr__(self) -> str:
        return f"SymbolicEquilibrium({self.name!r}, condition={self[0]}, profiles={self[1]})"


def _bad_entry(M: Any) -> Any:
    """The first entry of ``M`` that is a string, a boolean or a non-real number (else ``None``)."""
    probe = np.asarray(M, dtype=object) if not isinstance(M, sp.MatrixBase) else np.array(M.tolist(), dtype=object)
    for v in probe.ravel():
        if isinstance(v, str | bytes | bool | np.bool_ | complex | np.complexfloating):
            return v
        if isinstance(v, sp.Basic) and v.is_real is False:
            return v
    return None


def _sympify_matrix(name: str, M: Any) -> sp.ImmutableMatrix:
    try:
        bad = _bad_entry(M)
    except (TypeError, ValueError):
        bad = None  # ragged input: sympy's own check below names it
    if bad is not None:
        raise ParameterError(name, "2-D arrays of real numbers or sympy expressions", repr(bad),
                             "strings, booleans and complex numbers are not payoffs")
    try:
        m = sp.ImmutableMatrix(M)
    except (TypeError, ValueError, sp.SympifyError) as exc:
        raise ParameterError(name, "2-D arrays of numbers or sympy expressions", M) from exc
    if m.rows < 1 or m.cols < 1:
        raise ParameterError(name, "non-empty 2-D arrays", M)
    return m


def is_degenerate(A: Any, B: Any, tol: float = 1e-12) -> bool:
    """Whether the numeric bimatrix game ``(A, B)`` is degenerate.

    A game is degenerate if some mixed strategy with support of size ``k`` has more than
    ``k`` pure best responses. Checked exactly (to ``tol``) over every support of size ``k``
    and every set of ``k + 1`` opponent strategies, for both players; a support whose
    indifference system is rank-deficient with a feasible solution counts as degenerate.

    Examples
    --------
    >>> is_degenerate([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    False
    >>> is_degenerate([[1, 1], [0, 1]], [[1, 0], [0, 1]])   # against column 1 both rows are best
    True
    >>> is_degenerate([[3, 0], [0, 1]], [[1, 2], [2, 1]])   # no ties, matching-pennies-like
    False
    """
    # decided on the normalised game, so ``tol`` means the same at every payoff scale
    A = normalise_payoffs(A)
    B = normalise_payoffs(B)
    # the column player's payoffs against the row player's mixed strategies, and vice versa
    return _degenerate_side(B, tol) or _degenerate_side(A.T, tol)


def _degenerate_side(P: np.ndarray, tol: float) -> bool:
    """P[i, j]: payoff to the responder of its strategy j against the mover's pure strategy i."""
    m, n = P.shape
    scale = 1.0  # P is normalised onto [0, 1]
    for k in range(1, m + 1):
        if k + 1 > n:
            break
        for support in itertools.combinations(range(m), k):
            Ps = P[list(support)]  # k x n
            for J in itertools.combinations(range(n), k + 1):
                # unknowns x (k) and u: sum_i x_i P[i, j] = u for j in J, sum x = 1
                M = np.zeros((k + 2, k + 1))
                M[: k + 1, :k] = Ps[:, list(J)].T
                M[: k + 1, k] = -1.0
                M[k + 1, :k] = 1.0
                rhs = np.zeros(k + 2)
                rhs[k + 1] = 1.0
                sol, *_ = np.linalg.lstsq(M, rhs, rcond=None)
                if np.abs(M @ sol - rhs).max() > tol * scale:
                    continue
                x, u = sol[:k], sol[k]
                if np.any(x <= tol):
                    if np.linalg.matrix_rank(M, tol=tol * scale) == k + 1:
                        continue  # the unique solution lies outside the support's interior
                    if k == 1:
                        continue  # pragma: no cover - rank deficiency impossible for k = 1
                    return True  # a continuum of solutions: some reach the interior
                payoff = x @ Ps
                if payoff.max() <= u + tol * scale:
                    return True
    return False


class NormalFormGame:
    """A two-player normal-form (bimatrix) game with numeric or symbolic payoffs.

    Parameters
    ----------
    A, B:
        Payoff matrices of the row and column player (same shape ``m × n``): nested
        lists, numpy arrays or sympy matrices whose entries are numbers or sympy expressions.
    row_labels, column_labels:
        Optional strategy names (used in the names of symbolic equilibria).

    Examples
    --------
    A parametric prisoner's dilemma: defecting dominates whenever ``t > r`` and ``p > s``:

    >>> r, t = sp.symbols("r t", real=True)
    >>> g = NormalFormGame([[r, 0], [t, 1]], [[r, t], [0, 1]], row_labels=("C", "D"), column_labels=("C", "D"))
    >>> sol = g.equilibria(r=3, t=5)
    >>> [(e.row.tolist(), e.column.tolist(), e.payoffs) for e in sol]
    [([0.0, 1.0], [0.0, 1.0], (1.0, 1.0))]
    >>> g.equilibria(r=3)
    Traceback (most recent call last):
    ...
    atrogame.core.errors.ParameterError: t must be in (-inf, inf) (a real number); got None (missing: pass t=...)
    """

    def __init__(
        self,
        A: Any,
        B: Any,
        *,
        row_labels: Sequence[str] | None = None,
        column_labels: Sequence[str] | None = None,
    ) -> None:
        self.A = _sympify_matrix("A", A)
        self.B = _sympify_matrix("B", B)
        if self.A.shape != self.B.shape:
            raise ParameterError("B", f"matrices of A's shape {self.A.shape}", f"shape {self.B.shape}")
        m, n = self.A.shape
        self.row_labels = tuple(str(x) for x in (row_labels or range(m)))
        self.column_labels = tuple(str(x) for x in (column_labels or range(n)))
        if len(self.row_labels) != m or len(self.column_labels) != n:
            raise ParameterError(
                "row_labels/column_labels", f"sequences of lengths {m} and {n}", (row_labels, column_labels)
            )
        syms = self.A.free_symbols | self.B.free_symbols
        self.parameters: tuple[sp.Symbol, ...] = tuple(sorted(syms, key=lambda s: s.name))
        #: Free mixing probabilities used by degenerate families of :meth:`symbolic_equilibria`:
        #: ``p`` = P(row plays its first strategy), ``q`` = P(column plays its first strategy).
        self.mix_symbols: tuple[sp.Symbol, sp.Symbol] = (sp.Dummy("p", real=True), sp.Dummy("q", real=True))

    def __getstate__(self) -> dict[str, Any]:
        # compiled (lambdified) payoffs are rebuilt on demand; they do not pickle
        return {k: v for k, v in self.__dict__.items() if k not in ("_compiled", "_compiled_entries")}

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.A.shape)

    def __repr__(self) -> str:
        m, n = self.shape
        params = ", ".join(s.name for s in self.parameters) or "none"
        return f"<NormalFormGame {m}x{n} parameters: {params}>"

    # ------------------------------------------------------------------ numeric
    @functools.cached_property
    def _compiled(self) -> tuple[list[list[Any]], list[list[Any]]]:
        from atrogame.core.symbolic import compile_expr

        m, n = self.shape
        return tuple(  # type: ignore[return-value]
            [[compile_expr(self.parameters, M[i, j]) for j in range(n)] for i in range(m)] for M in (self.A, self.B)
        )

    def _numeric(self, vals: Sequence[Any]) -> tuple[np.ndarray, np.ndarray]:
        """Payoff arrays of shape (m, n, *broadcast shape of vals)."""
        shape = np.broadcast_shapes(*(np.shape(v) for v in vals)) if vals else ()
        out = []
        for M in self._compiled:
            out.append(np.array([[np.broadcast_to(f(*vals), shape) for f in row] for row in M], dtype=float))
        return out[0], out[1]

    def _values(self, params: Mapping[str, Any], *, arrays: bool = False) -> list[Any]:
        return symbol_values([s.name for s in self.parameters], params, arrays=arrays, grid_function="equilibria_grid")

    def payoff_matrices(self, **params: float) -> tuple[np.ndarray, np.ndarray]:
        """The numeric payoff matrices ``(A, B)`` at a parameter point.

        Examples
        --------
        >>> a = sp.Symbol("a")
        >>> NormalFormGame([[a, 0], [0, 1]], [[1, 0], [0, a]]).payoff_matrices(a=2)[0].tolist()
        [[2.0, 0.0], [0.0, 1.0]]
        """
        A, B = self._numeric(self._values(params))
        if not (np.isfinite(A).all() and np.isfinite(B).all()):
            raise ParameterError(", ".join(params), "values where every payoff is finite", params)
        return A, B

    def equilibria(self, method: str = "auto", **params: float) -> GameSolution:
        """Nash equilibria at one parameter point, from nashpy.

        Parameters
        ----------
        method:
            ``"auto"`` (see the module docstring), ``"support_enumeration"``,
            ``"vertex_enumeration"`` or ``"lemke_howson"``.
        **params:
            A real value for every symbol in :attr:`parameters` (by name).

        Returns
        -------
        GameSolution
            A tuple of :class:`NashEquilibrium` (duplicates removed, pure ones first, then
            by support size) with ``.degenerate``.

        Raises
        ------
        ParameterError
            A parameter is missing, unknown or not a real number.

        Examples
        --------
        Matching pennies has one equilibrium, fully mixed:

        >>> sol = NormalFormGame([[1, -1], [-1, 1]], [[-1, 1], [1, -1]]).equilibria()
        >>> sol[0].row.tolist(), sol[0].column.tolist(), sol.degenerate
        ([0.5, 0.5], [0.5, 0.5], False)
        """
        return self._equilibria(method, params)

    def _equilibria(self, method: str, params: Mapping[str, float]) -> GameSolution:
        """:meth:`equilibria` with the values as a mapping, so a game parameter may be named ``method``."""
        A, B = self.payoff_matrices(**params)
        return solve_bimatrix(A, B, method)

    # ------------------------------------------------------------------ symbolic (2x2)
    def _require_2x2(self, what: str) -> None:
        if self.shape != (2, 2):
            raise NotImplementedError(
                f"{what} is implemented for 2x2 games; this game is {self.shape[0]}x{self.shape[1]}"
            )

    @functools.cached_property
    def _gains(self) -> tuple[Any, Any, Any, Any]:
        """α0, α1 (row 0 minus row 1 against column 0/1), β0, β1 (column 0 minus 1 against row 0/1)."""
        A, B = self.A, self.B
        return (
            sp.expand(A[0, 0] - A[1, 0]),
            sp.expand(A[0, 1] - A[1, 1]),
            sp.expand(B[0, 0] - B[0, 1]),
            sp.expand(B[1, 0] - B[1, 1]),
        )

    def symbolic_equilibria(self) -> tuple[SymbolicEquilibrium, ...]:
        """Every equilibrium of a 2×2 game, with the parameter region where it exists.

        Write ``α_j = A[0, j] − A[1, j]`` (the row player's gain from its first strategy when
        the column player plays ``j``) and ``β_i = B[i, 0] − B[i, 1]``. The entries, in order:

        * four pure profiles ``pure (i, j)``: row ``i`` is a best reply to column ``j``
          (``α_j ≥ 0`` for ``i = 0``, ``≤ 0`` for ``i = 1``) and vice versa;
        * ``mixed``: the indifference probabilities ``p* = β1/(β1 − β0)`` (row plays its first
          strategy) and ``q* = α1/(α1 − α0)``, valid when ``0 < p* < 1`` and ``0 < q* < 1`` —
          written without division as ``β0·β1 < 0`` and ``α0·α1 < 0``, which is equivalent and
          defined everywhere;
        * degenerate families (conditions contain equalities, so they hold only on
          lower-dimensional parameter sets), in the free mixing symbols
          ``p, q = self.mix_symbols``: ``row i, column mixes`` (``β_i = 0``, the column
          player mixes with any ``q ∈ (0, 1)`` to which row ``i`` is a best reply),
          ``column j, row mixes``, and ``mixed`` families where one or both players are
          indifferent whatever the other does.

        Every Nash equilibrium of the game at any parameter point satisfies exactly one
        entry's condition (the entries partition equilibria by support). The result is
        computed once per game.

        Returns
        -------
        tuple of SymbolicEquilibrium
            ``(condition, (row_profile, column_profile))`` pairs with ``.name`` and ``.free``.

        Examples
        --------
        Hawk–dove with prize ``v`` and cost of fighting ``c``:

        >>> v, c = sp.symbols("v c", positive=True)
        >>> g = NormalFormGame([[(v - c) / 2, v], [0, v / 2]], [[(v - c) / 2, 0], [v, v / 2]],
        ...                    row_labels=("H", "D"), column_labels=("H", "D"))
        >>> mixed = [e for e in g.symbolic_equilibria() if e.name == "mixed"][0]
        >>> mixed.profiles[0]
        (v/c, (c - v)/c)
        >>> [e.name for e in g.symbolic_equilibria_at(v=2, c=4)]
        ['pure (H, D)', 'pure (D, H)', 'mixed']
        """
        self._require_2x2("symbolic_equilibria")
        return self._symbolic_2x2

    @functools.cached_property
    def _symbolic_2x2(self) -> tuple[SymbolicEquilibrium, ...]:
        a0, a1, b0, b1 = self._gains
        p, q = self.mix_symbols
        R, C = self.row_labels, self.column_labels
        one, zero = sp.Integer(1), sp.Integer(0)
        pure_vec = ((one, zero), (zero, one))
        alphas, betas = (a0, a1), (b0, b1)

        def _rel(expr: Any, best: int) -> Any:  # "strategy 0 is (weakly) best" if best == 0
            return sp.Ge(expr, 0) if best == 0 else sp.Le(expr, 0)

        out: list[SymbolicEquilibrium] = []
        for i, j in itertools.product(range(2), range(2)):
            cond = sp.And(_rel(alphas[j], i), _rel(betas[i], j))
            out.append(SymbolicEquilibrium(cond, (pure_vec[i], pure_vec[j]), f"pure ({R[i]}, {C[j]})"))

        # fully mixed, isolated
        p_star = sp.cancel(b1 / (b1 - b0)) if (b1 - b0) != 0 else sp.nan
        q_star = sp.cancel(a1 / (a1 - a0)) if (a1 - a0) != 0 else sp.nan
        row_mix = (p_star, sp.cancel(1 - p_star))
        col_mix = (q_star, sp.cancel(1 - q_star))
        out.append(SymbolicEquilibrium(sp.And(sp.Lt(a0 * a1, 0), sp.Lt(b0 * b1, 0)), (row_mix, col_mix), "mixed"))

        # degenerate families
        delta_row = q * a0 + (1 - q) * a1  # row's gain from strategy 0 against q
        delta_col = p * b0 + (1 - p) * b1
        in01 = lambda s: sp.And(sp.Gt(s, 0), sp.Lt(s, 1))  # noqa: E731
        for i in range(2):
            cond = sp.And(sp.Eq(betas[i], 0), in01(q), _rel(delta_row, i))
            out.append(SymbolicEquilibrium(cond, (pure_vec[i], (q, 1 - q)), f"row {R[i]}, column mixes", (q,)))
        for j in range(2):
            cond = sp.And(sp.Eq(alphas[j], 0), in01(p), _rel(delta_col, j))
            out.append(SymbolicEquilibrium(cond, ((p, 1 - p), pure_vec[j]), f"column {C[j]}, row mixes", (p,)))
        row_indiff = sp.And(sp.Eq(a0, 0), sp.Eq(a1, 0))
        col_indiff = sp.And(sp.Eq(b0, 0), sp.Eq(b1, 0))
        out.append(
            SymbolicEquilibrium(
                sp.And(row_indiff, sp.Lt(b0 * b1, 0), in01(q)), (row_mix, (q, 1 - q)), "mixed, row indifferent", (q,)
            )
        )
        out.append(
            SymbolicEquilibrium(
                sp.And(col_indiff, sp.Lt(a0 * a1, 0), in01(p)), ((p, 1 - p), col_mix), "mixed, column indifferent", (p,)
            )
        )
        out.append(
            SymbolicEquilibrium(
                sp.And(row_indiff, col_indiff, in01(p), in01(q)),
                ((p, 1 - p), (q, 1 - q)),
                "mixed, both indifferent",
                (p, q),
            )
        )
        return tuple(out)

    def symbolic_degenerate_condition(self) -> Any:
        """The parameter region where the 2×2 game is degenerate: some ``α_j`` or ``β_i`` is 0.

        Examples
        --------
        >>> a = sp.Symbol("a")
        >>> NormalFormGame([[a, 0], [0, 1]], [[1, 0], [0, 1]]).symbolic_degenerate_condition()
        Eq(a, 0)
        """
        self._require_2x2("symbolic_degenerate_condition")
        return sp.Or(*[sp.Eq(g, 0) for g in self._gains])

    def symbolic_equilibria_at(self, **params: float) -> tuple[SymbolicEquilibrium, ...]:
        """The entries of :meth:`symbolic_equilibria` that hold at a parameter point.

        Parameters are substituted exactly (``sp.nsimplify`` of the given numbers is *not*
        applied; pass integers or sympy rationals for exact ties). Each returned entry has
        its profiles evaluated; for a degenerate family the condition is reduced to a set of
        the free mixing probability (``condition`` becomes that set, e.g.
        ``Interval.open(0, 1)``), and the family is returned only if the set is non-empty.

        Examples
        --------
        The row player is indifferent whatever the column player does; the column player
        wants to match. Besides two pure equilibria there are three continua:

        >>> g = NormalFormGame([[1, 0], [1, 0]], [[1, 0], [0, 1]])
        >>> for e in g.symbolic_equilibria_at():
        ...     print(e.name, e.condition, e.profiles)
        pure (0, 0) True ((1, 0), (1, 0))
        pure (1, 1) True ((0, 1), (0, 1))
        column 0, row mixes Interval.Ropen(1/2, 1) ((_p, 1 - _p), (1, 0))
        column 1, row mixes Interval.Lopen(0, 1/2) ((_p, 1 - _p), (0, 1))
        mixed, row indifferent Interval.open(0, 1) ((1/2, 1/2), (_q, 1 - _q))
        """
        self._require_2x2("symbolic_equilibria_at")
        vals = self._values(params)
        exact = [_exact(params[s.name], v) for s, v in zip(self.parameters, vals, strict=True)]
        fracs = [_to_fraction(x) for x in exact]
        fast = all(f is not None for f in fracs)
        subs = dict(zip(self.parameters, exact, strict=True))
        out = []
        for e, (gate, prof_fn) in zip(self._symbolic_2x2, self._compiled_entries, strict=True):
            # the parameter-only part of the condition, decided exactly (Fraction arithmetic)
            if fast:
                try:
                    holds = bool(gate(*fracs))
                except ZeroDivisionError:  # pragma: no cover - gates contain no division
                    holds = bool(sp.sympify(e.condition).subs(subs))
            else:
                holds = bool(_gate_expr(e).subs(subs))
            if not holds:
                continue
            if not e.free:
                # (row, column) profiles: the comprehensions keep the pair's length, which mypy cannot see
                if fast:
                    profiles = cast(_Profiles, tuple(
                        tuple(sp.Rational(x.numerator, x.denominator) for x in pr) for pr in prof_fn(*fracs)
                    ))
                else:
                    profiles = cast(_Profiles, tuple(tuple(sp.nsimplify(x.subs(subs)) for x in pr)
                                                     for pr in e.profiles))
                out.append(SymbolicEquilibrium(sp.true, profiles, e.name))
                continue
            profiles = cast(_Profiles, tuple(tuple(sp.cancel(x.xreplace(subs)) for x in pr) for pr in e.profiles))
            region = _free_region(e.condition, e.free, subs)
            if region is not None:
                out.append(SymbolicEquilibrium(region, profiles, e.name, e.free))
        return tuple(out)

    @functools.cached_property
    def _compiled_entries(self) -> tuple[tuple[Any, Any], ...]:
        out = []
        for e in self._symbolic_2x2:
            gate = sp.lambdify(self.parameters, _gate_expr(e), modules="math")
            prof = None if e.free else sp.lambdify(self.parameters, e.profiles, modules="math")
            out.append((gate, prof))
        return tuple(out)

    # ------------------------------------------------------------------ grids
    def equilibria_grid(self, **grid: Any) -> Any:
        """Equilibria over a grid of parameter values, as a tidy :class:`pandas.DataFrame`.

        Each keyword gives the values of one parameter (a scalar or 1-D array); the grid is
        their Cartesian product. One row per (grid point, equilibrium), with columns: the
        parameters, ``point`` (grid index), ``kind`` (an entry name of
        :meth:`symbolic_equilibria` for 2×2 games, else ``"nash"``), ``row_0 … row_{m-1}``
        and ``column_0 …`` (mixed strategies), ``row_payoff``, ``column_payoff``,
        ``degenerate``, ``free`` (the interval of the free mixing probability for a
        degenerate family, else ``""``; its strategy columns then hold the interval's
        midpoint).

        For 2×2 games the closed forms of :meth:`symbolic_equilibria` are compiled once and
        evaluated vectorised over the whole grid (no loop per point); larger games call
        :meth:`equilibria` at each point.

        Examples
        --------
        >>> a = sp.Symbol("a")
        >>> g = NormalFormGame([[a, 0], [0, 1]], [[1, 0], [0, 1]])
        >>> df = g.equilibria_grid(a=[-1.0, 2.0])
        >>> print(df[["a", "kind", "row_0", "column_0"]].round(3).to_string(index=False))
           a        kind  row_0  column_0
        -1.0 pure (1, 1)    0.0     0.000
         2.0 pure (0, 0)    1.0     1.000
         2.0 pure (1, 1)    0.0     0.000
         2.0       mixed    0.5     0.333
        """
        import pandas as pd

        names = [s.name for s in self.parameters]
        axes = grid_axes(names, grid, grid_function="equilibria_grid")
        mesh = np.meshgrid(*axes, indexing="ij") if names else []
        flat = {n: mk.ravel() for n, mk in zip(names, mesh, strict=True)}
        npts = int(np.prod([len(ax) for ax in axes])) if names else 1
        frame = self._grid_2x2(flat, npts) if self.shape == (2, 2) else self._grid_loop(flat, npts)
        cols = [*names, "point", "kind", *[c for c in frame if c not in (*names, "point", "kind")]]
        return (
            pd.DataFrame(frame)[cols]
            .sort_values(["point", "order"], kind="stable")
            .drop(columns="order")
            .reset_index(drop=True)
        )

    def _grid_loop(self, flat: Mapping[str, np.ndarray], npts: int) -> dict[str, Any]:
        m, n = self.shape
        rows: dict[str, list[Any]] = {k: [] for k in (*flat, "point", "kind", "order")}
        for k in [
            *(f"row_{i}" for i in range(m)),
            *(f"column_{j}" for j in range(n)),
            "row_payoff",
            "column_payoff",
            "degenerate",
            "free",
        ]:
            rows[k] = []
        for pt in range(npts):
            point = {k: float(v[pt]) for k, v in flat.items()}
            sol = self._equilibria("auto", point)
            for order, e in enumerate(sol):
                for k, v in point.items():
                    rows[k].append(v)
                rows["point"].append(pt)
                rows["kind"].append("nash")
                rows["order"].append(order)
                for i in range(m):
                    rows[f"row_{i}"].append(e.row[i])
                for j in range(n):
                    rows[f"column_{j}"].append(e.column[j])
                rows["row_payoff"].append(e.payoffs[0])
                rows["column_payoff"].append(e.payoffs[1])
                rows["degenerate"].append(sol.degenerate)
                rows["free"].append("")
        return rows

    def _grid_2x2(self, flat: Mapping[str, np.ndarray], npts: int) -> dict[str, Any]:
        A, B = self._numeric([flat[s.name] for s in self.parameters])
        A = np.broadcast_to(A.reshape(2, 2, -1), (2, 2, npts))
        B = np.broadcast_to(B.reshape(2, 2, -1), (2, 2, npts))
        a0, a1 = A[0, 0] - A[1, 0], A[0, 1] - A[1, 1]
        b0, b1 = B[0, 0] - B[0, 1], B[1, 0] - B[1, 1]
        deg = (a0 == 0) | (a1 == 0) | (b0 == 0) | (b1 == 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            p_star = b1 / (b1 - b0)
            q_star = a1 / (a1 - a0)
        parts: list[dict[str, Any]] = []
        entries = self._symbolic_2x2

        def add(mask: np.ndarray, kind: str, order: int, p: Any, q: Any, free: Any = "") -> None:
            idx = np.flatnonzero(mask)
            if idx.size == 0:
                return
            pp = np.broadcast_to(np.asarray(p, float), (npts,))[idx]
            qq = np.broadcast_to(np.asarray(q, float), (npts,))[idx]
            x = np.stack([pp, 1 - pp])
            y = np.stack([qq, 1 - qq])
            Ai, Bi = A[:, :, idx], B[:, :, idx]
            part: dict[str, Any] = {k: v[idx] for k, v in flat.items()}
            part.update(
                point=idx,
                kind=[kind] * idx.size,
                order=np.full(idx.size, order),
                row_0=pp,
                row_1=1 - pp,
                column_0=qq,
                column_1=1 - qq,
                row_payoff=np.einsum("in,ijn,jn->n", x, Ai, y),
                column_payoff=np.einsum("in,ijn,jn->n", x, Bi, y),
                degenerate=deg[idx],
                free=np.broadcast_to(np.asarray(free, dtype=object), (npts,))[idx],
            )
            parts.append(part)

        for k, (i, j) in enumerate(itertools.product(range(2), range(2))):
            ok_r = (a0, a1)[j] >= 0 if i == 0 else (a0, a1)[j] <= 0
            ok_c = (b0, b1)[i] >= 0 if j == 0 else (b0, b1)[i] <= 0
            add(ok_r & ok_c, entries[k].name, k, 1.0 - i, 1.0 - j)
        add((a0 * a1 < 0) & (b0 * b1 < 0), "mixed", 4, p_star, q_star)
        # degenerate families: the free probability ranges over an interval; report its midpoint
        for i in range(2):
            # row i is best against q iff s_i * (a1 + q (a0 - a1)) >= 0 with s_i = +1 / -1
            lo, hi, nonempty = _interval_01(a1, a0 - a1, 1.0 if i == 0 else -1.0)
            add(((b0, b1)[i] == 0) & nonempty, entries[5 + i].name, 5 + i, 1.0 - i, (lo + hi) / 2, _fmt_iv(lo, hi))
        for j in range(2):
            lo, hi, nonempty = _interval_01(b1, b0 - b1, 1.0 if j == 0 else -1.0)
            add(((a0, a1)[j] == 0) & nonempty, entries[7 + j].name, 7 + j, (lo + hi) / 2, 1.0 - j, _fmt_iv(lo, hi))
        row_ind = (a0 == 0) & (a1 == 0)
        col_ind = (b0 == 0) & (b1 == 0)
        add(row_ind & (b0 * b1 < 0), entries[9].name, 9, p_star, 0.5, "q in (0, 1)")
        add(col_ind & (a0 * a1 < 0), entries[10].name, 10, 0.5, q_star, "p in (0, 1)")
        add(row_ind & col_ind, entries[11].name, 11, 0.5, 0.5, "p, q in (0, 1)")
        if not parts:
            return {
                k: []
                for k in (
                    *flat,
                    "point",
                    "kind",
                    "order",
                    "row_0",
                    "row_1",
                    "column_0",
                    "column_1",
                    "row_payoff",
                    "column_payoff",
                    "degenerate",
                    "free",
                )
            }
        return {k: np.concatenate([np.asarray(pt[k]) for pt in parts]) for k in parts[0]}


_METHODS = ("auto", "support_enumeration", "vertex_enumeration", "lemke_howson")
_PROB_TOL = 1e-9  # tolerance on the normalised game: probabilities, residuals, best replies


def normalise_payoffs(M: Any) -> np.ndarray:
    """One player's payoffs mapped affinely onto ``[0, 1]`` (a constant matrix becomes all zeros).

    Multiplying a player's payoffs by a positive number and adding a constant changes
    neither that player's best replies nor the game's equilibria, so every numeric routine
    of this module works on the normalised game: its tolerances then mean the same at
    payoff scales 1e-12 and 1e12. See docs/reference/solvers.md.

    Examples
    --------
    >>> normalise_payoffs([[2e9, 4e9], [0.0, 1e9]]).tolist()
    [[0.5, 1.0], [0.0, 0.25]]
    >>> normalise_payoffs([[7.0, 7.0]]).tolist()
    [[0.0, 0.0]]
    """
    M = np.asarray(M, dtype=float)
    if not np.isfinite(M).all():
        raise ParameterError("payoffs", "finite numbers", M)
    big = float(np.abs(M).max()) if M.size else 0.0
    if big == 0.0:
        return np.zeros_like(M)
    M = M / big  # first bring entries to [-1, 1] so the shift below cannot overflow
    lo, hi = float(M.min()), float(M.max())
    if hi == lo:
        return np.zeros_like(M)
    return (M - lo) / (hi - lo)


def _support_enumeration(A: np.ndarray, B: np.ndarray, exhaustive: bool) -> list[tuple[np.ndarray, np.ndarray]]:
    """Candidate equilibria from support pairs, on a normalised game (payoffs in [0, 1]).

    For supports ``I`` (rows) and ``J`` (columns) solve for ``y`` on ``J`` making the row
    player indifferent over ``I`` and for ``x`` on ``I`` making the column player indifferent
    over ``J``. By default only supports of equal size with a *unique* solution that is
    strictly positive on the support are kept: complete for non-degenerate games, and in
    degenerate ones the isolated equilibria (continua are represented by the vertex
    enumeration's extreme points). ``exhaustive=True`` (the fallback when that finds
    nothing) tries every pair of supports and takes the least-squares minimum-norm point
    of each solution set that is non-negative. The caller checks each candidate is an equilibrium.
    """
    m, n = A.shape
    rows = [c for k in range(1, m + 1) for c in itertools.combinations(range(m), k)]
    cols = [c for k in range(1, n + 1) for c in itertools.combinations(range(n), k)]

    def indifferent(P: np.ndarray, own: tuple[int, ...], other: tuple[int, ...], size: int) -> np.ndarray | None:
        # unknowns z (on `other`) and u: P[own][:, other] z = u, sum z = 1
        k, ell = len(own), len(other)
        M = np.zeros((k + 1, ell + 1))
        M[:k, :ell] = P[np.ix_(own, other)]
        M[:k, ell] = -1.0
        M[k, :ell] = 1.0
        rhs = np.zeros(k + 1)
        rhs[k] = 1.0
        if exhaustive:
            sol, *_ = np.linalg.lstsq(M, rhs, rcond=None)
        else:  # square: keep only a well-determined unique solution
            sv = np.linalg.svd(M, compute_uv=False)
            if sv[-1] <= 1e-10 * sv[0]:
                return None
            sol = np.linalg.solve(M, rhs)
        if not np.isfinite(sol).all() or np.abs(M @ sol - rhs).max() > _PROB_TOL:
            return None
        z = sol[:ell]
        if z.min() < (-_PROB_TOL if exhaustive else _PROB_TOL):
            return None  # negative (or, for equal supports, not strictly positive on the support)
        full = np.zeros(size)
        full[list(other)] = np.clip(z, 0.0, None)
        total = full.sum()
        return full / total if total > 0 else None

    out = []
    x_cache: dict[tuple[tuple[int, ...], tuple[int, ...]], np.ndarray | None] = {}
    for I in rows:  # noqa: E741
        for J in cols:
            if not exhaustive and len(I) != len(J):
                continue
            y = indifferent(A, I, J, n)
            if y is None:
                continue
            if (I, J) not in x_cache:
                x_cache[I, J] = indifferent(B.T, J, I, m)
            x = x_cache[I, J]
            if x is not None:
                out.append((x, y))
    return out


def _nashpy_candidates(A: np.ndarray, B: np.ndarray, method: str) -> list[tuple[np.ndarray, np.ndarray]]:
    """nashpy's vertex enumeration or Lemke–Howson on a normalised game shifted to [1, 2].

    The shift keeps nashpy's best-response polytopes bounded (a zero column made them
    unbounded: nashpy then failed with a ``TypeError``). Degenerate games can still make
    these routines fail; that failure is returned as no candidate, and the caller
    falls back to support enumeration.
    """
    import nashpy as nash

    game = nash.Game(A + 1.0, B + 1.0)
    found: list[tuple[np.ndarray, np.ndarray]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # nashpy's "even number" degeneracy hint
        try:
            it = game.vertex_enumeration() if method == "vertex_enumeration" else game.lemke_howson_enumeration()
            for x, y in it:
                found.append((np.asarray(x, dtype=float), np.asarray(y, dtype=float)))
        except Exception:
            pass
    return found


def solve_bimatrix(A: Any, B: Any, method: str = "auto") -> GameSolution:
    """Nash equilibria of the numeric bimatrix game ``(A, B)`` (what :meth:`NormalFormGame.equilibria` runs).

    Each player's payoffs are first normalised onto ``[0, 1]`` (:func:`normalise_payoffs`;
    equilibria are invariant), so the answer does not depend on the payoff scale or shift
    and constant (e.g. all-zero) matrices are handled. Degeneracy is decided on the
    normalised game. Payoffs in the result are those of the game as given.

    Raises
    ------
    ParameterError
        For an unknown ``method`` or non-finite payoffs.
    RuntimeError
        If no equilibrium is found (every finite game has one, so this is a bug to report).

    Warns
    -----
    NumericalFallbackWarning
        When ``vertex_enumeration`` or ``lemke_howson`` (asked for explicitly) finds nothing
        and support enumeration is used instead.
    ConvergenceWarning
        When a non-degenerate game yields an even number of equilibria (it has an odd
        number), i.e. the list is incomplete.

    Examples
    --------
    >>> sol = solve_bimatrix([[0, 0, 0]] * 3, [[0, 0, 0]] * 3)   # nobody cares: every profile is one
    >>> sol.degenerate, len(sol) >= 9
    (True, True)
    >>> big = solve_bimatrix([[1e12, -1e12], [-1e12, 1e12]], [[-1e12, 1e12], [1e12, -1e12]])
    >>> big[0].row.tolist(), big[0].payoffs
    ([0.5, 0.5], (0.0, 0.0))
    """
    from atrogame.core.errors import ConvergenceWarning, NumericalFallbackWarning

    if method not in _METHODS:
        raise ParameterError("method", "{" + ", ".join(_METHODS) + "}", method)
    A = np.asarray(A, dtype=float)
    B = np.asarray(B, dtype=float)
    if A.ndim != 2 or A.shape != B.shape or A.size == 0:
        raise ParameterError("B", f"a non-empty matrix of A's shape {A.shape}", f"shape {B.shape}")
    if not (np.isfinite(A).all() and np.isfinite(B).all()):
        raise ParameterError("A, B", "finite payoffs", "a non-finite entry")
    m, n = A.shape
    An, Bn = normalise_payoffs(A), normalise_payoffs(B)
    degenerate = is_degenerate(An, Bn)
    pairs = (2**m - 1) * (2**n - 1)
    if method == "auto":
        method = "support_enumeration" if pairs <= _SUPPORT_PAIRS_MAX else "vertex_enumeration"
    if method == "support_enumeration":
        found = _support_enumeration(An, Bn, exhaustive=False)
        if pairs > 9:  # beyond 2x2: cross-check with an independent enumeration, keep the union
            found += _nashpy_candidates(An, Bn, "vertex_enumeration")
            method = "support_enumeration+vertex_enumeration"
    else:
        found = _nashpy_candidates(An, Bn, method)
    eqs = _verified(A, B, An, Bn, found, degenerate)
    if not eqs and method.startswith("support_enumeration"):
        # a degenerate game whose equilibria all lie in continua: one point of each support pair's set
        eqs = _verified(A, B, An, Bn, _support_enumeration(An, Bn, exhaustive=True), degenerate)
    if not eqs and not method.startswith("support_enumeration"):
        warnings.warn(
            f"{method} found no equilibrium of this {m}x{n} game (degenerate: {degenerate}); "
            "falling back to support enumeration",
            NumericalFallbackWarning,
            stacklevel=3,
        )
        method = f"{method}->support_enumeration"
        eqs = _verified(A, B, An, Bn, _support_enumeration(An, Bn, exhaustive=True), degenerate)
    if not eqs:
        raise RuntimeError(
            f"no Nash equilibrium found for a {m}x{n} game, but every finite game has one; "
            "please report this game (see docs/reference/solvers.md)"
        )
    if not degenerate and len(eqs) % 2 == 0 and method.startswith("support_enumeration"):
        warnings.warn(
            f"found {len(eqs)} equilibria of a non-degenerate {m}x{n} game, which has an odd number: "
            "the list is incomplete (see docs/reference/solvers.md)",
            ConvergenceWarning,
            stacklevel=3,
        )
    return GameSolution(eqs, degenerate, method)


def _verified(
    A: np.ndarray,
    B: np.ndarray,
    An: np.ndarray,
    Bn: np.ndarray,
    found: Sequence[tuple[np.ndarray, np.ndarray]],
    degenerate: bool,
) -> list[NashEquilibrium]:
    """Candidates that are equilibria of the normalised game, deduplicated and sorted."""
    m, n = A.shape
    eqs: list[NashEquilibrium] = []
    for x, y in found:
        if x.shape != (m,) or y.shape != (n,) or not (np.isfinite(x).all() and np.isfinite(y).all()):
            continue  # Lemke-Howson on a degenerate game can return malformed vectors
        if x.min() < -_PROB_TOL or y.min() < -_PROB_TOL:
            continue
        x = np.where(x < 1e-13, 0.0, x)
        y = np.where(y < 1e-13, 0.0, y)
        if x.sum() <= 0 or y.sum() <= 0:
            continue
        x, y = x / x.sum(), y / y.sum()
        if not _is_best_reply(An, Bn, x, y):
            continue  # not an equilibrium (guards against malformed output on degenerate games)
        e = NashEquilibrium(x, y, (x @ A @ y, x @ B @ y), degenerate)
        if not any(e.isclose(o, 1e-7) for o in eqs):
            eqs.append(e)
    eqs.sort(
        key=lambda e: (
            int(np.count_nonzero(e.row > 0)) + int(np.count_nonzero(e.column > 0)),
            tuple(-e.row),
            tuple(-e.column),
        )
    )
    return eqs


def _is_best_reply(A: np.ndarray, B: np.ndarray, x: np.ndarray, y: np.ndarray, tol: float = 1e-9) -> bool:
    ra, cb = A @ y, x @ B
    scale = max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))
    return bool(x @ ra >= ra.max() - tol * scale and cb @ y >= cb.max() - tol * scale)


def _exact(given: Any, value: float) -> Any:
    """Integers, fractions and sympy numbers exactly; floats as their exact binary value."""
    if isinstance(given, (int, sp.Basic)) and not isinstance(given, bool):
        return sp.sympify(given)
    try:
        from fractions import Fraction

        if isinstance(given, Fraction):
            return sp.Rational(given.numerator, given.denominator)
    except ImportError:  # pragma: no cover
        pass
    return sp.Rational(value)


def _to_fraction(x: Any) -> Any:
    from fractions import Fraction

    if isinstance(x, sp.Rational):
        return Fraction(int(x.p), int(x.q))
    return None


def _gate_expr(e: SymbolicEquilibrium) -> Any:
    """The part of an entry's condition that does not involve its free mixing symbols."""
    cond = e.condition
    if not e.free:
        return cond
    parts = cond.args if isinstance(cond, sp.And) else (cond,)
    return sp.And(*[c for c in parts if not (c.free_symbols & set(e.free))])


def _interval_01(c0: np.ndarray, c1: np.ndarray, sign: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The set {t in (0, 1): sign * (c0 + c1 t) >= 0} as (lo, hi, non-empty), vectorised."""
    c0, c1 = sign * np.asarray(c0, float), sign * np.asarray(c1, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = -c0 / c1
    lo = np.where(c1 > 0, np.clip(root, 0, 1), 0.0)
    hi = np.where(c1 < 0, np.clip(root, 0, 1), 1.0)
    flat_ok = c0 >= 0
    lo = np.where(c1 == 0, 0.0, lo)
    hi = np.where(c1 == 0, 1.0, hi)
    nonempty = np.where(c1 == 0, flat_ok, hi > lo)
    return lo + 0.0, hi + 0.0, nonempty  # + 0.0 turns -0.0 into 0.0


def _fmt_iv(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.array([f"[{a:.6g}, {b:.6g}]" for a, b in zip(np.ravel(lo), np.ravel(hi), strict=True)], dtype=object)


def _free_region(cond: Any, free: tuple[sp.Symbol, ...], subs: Mapping[sp.Symbol, Any]) -> Any:
    """Reduce an entry's condition (linear in each free mixing symbol) to a set; None if empty."""
    parts = cond.args if isinstance(cond, sp.And) else (cond,)
    regions = []
    for s in free:
        region: Any = sp.Interval(-sp.oo, sp.oo)
        for c in parts:
            if c.free_symbols & set(free) != {s}:
                continue
            region = region.intersect(_linear_set(c, s, subs))
            if region.is_empty:
                return None
        regions.append(region)
    return regions[0] if len(regions) == 1 else sp.ProductSet(*regions)


def _linear_set(rel: Any, s: sp.Symbol, subs: Mapping[sp.Symbol, Any]) -> Any:
    """{s real: rel} for a relational ``rel`` that is linear in ``s`` once ``subs`` are applied."""
    expr = sp.expand((rel.lhs - rel.rhs).xreplace(dict(subs)))
    c0 = expr.xreplace({s: 0})
    c1 = sp.expand(expr.xreplace({s: 1}) - c0)
    op = type(rel)
    if c1 == 0:
        ok = {sp.Ge: c0 >= 0, sp.Gt: c0 > 0, sp.Le: c0 <= 0, sp.Lt: c0 < 0, sp.Eq: c0 == 0}[op]
        return sp.Interval(-sp.oo, sp.oo) if bool(ok) else sp.EmptySet
    r = -c0 / c1
    if op is sp.Eq:
        return sp.FiniteSet(r)
    up = (op in (sp.Ge, sp.Gt)) == bool(c1 > 0)  # the set is s >= r (or s > r)
    strict = op in (sp.Gt, sp.Lt)
    return sp.Interval(r, sp.oo, left_open=strict) if up else sp.Interval(-sp.oo, r, right_open=strict)
