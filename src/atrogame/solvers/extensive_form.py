"""Finite extensive-form games of perfect information with symbolic payoffs.

Build a tree from three node types:

* :class:`Decision` — ``Decision(player, {action: child, ...}, name=None)``;
* :class:`Chance` — ``Chance({child: probability, ...})`` (or a sequence of
  ``(child, probability)`` pairs; branch labels ``"chance0"``, ``"chance1"``, … or ``labels=``);
* :class:`Terminal` — ``Terminal({player: payoff, ...})`` or ``Terminal((u0, u1, ...))``
  (then players are the integer positions); payoffs may be numbers or sympy expressions.

:class:`ExtensiveFormGame` solves it by backward induction:

* :meth:`~ExtensiveFormGame.backward_induction` — every subgame-perfect equilibrium (SPE) in
  pure strategies as a region of the parameters: a tuple of ``(condition, strategy_profile,
  outcome_payoffs)`` triples, ``condition`` a sympy boolean. At a decision node every set of
  actions that can be jointly optimal gets its own region (ties are ``Eq`` conditions), and
  in a tie region each tied action is its own SPE — ties are reported, never broken;
* :meth:`~ExtensiveFormGame.solve` — numeric SPE at one parameter point: *all* of them
  (every tied action is followed);
* :meth:`~ExtensiveFormGame.solve_grid` — vectorised over a parameter grid, as an
  :class:`xarray.Dataset`.

A strategy profile maps every decision node (on and off the equilibrium path) to an action.
Nodes are identified by their ``name`` if given, else by their path from the root: the tuple
of action (or chance-branch) labels leading to them, ``()`` for the root. In dataset
variable names a path prints as ``"/a/b"`` (the root as ``"/"``).

Examples
--------
An entry-deterrence game: the entrant enters or stays out; the incumbent fights (cost ``f``)
or accommodates.

>>> import sympy as sp
>>> f = sp.Symbol("f", real=True)
>>> tree = Decision("E", {
...     "out": Terminal({"E": 0, "I": 2}),
...     "in": Decision("I", {"fight": Terminal({"E": -1, "I": 1 - f}),
...                          "accommodate": Terminal({"E": 1, "I": 1})}, name="incumbent"),
... }, name="entrant")
>>> for cond, profile, payoffs in backward_induction(tree):
...     print(cond, profile, payoffs)
f < 0 {'entrant': 'out', 'incumbent': 'fight'} {'E': 0, 'I': 2}
f > 0 {'entrant': 'in', 'incumbent': 'accommodate'} {'E': 1, 'I': 1}
Eq(f, 0) {'entrant': 'out', 'incumbent': 'fight'} {'E': 0, 'I': 2}
Eq(f, 0) {'entrant': 'in', 'incumbent': 'accommodate'} {'E': 1, 'I': 1}

At ``f = 0`` the incumbent is indifferent: both of its actions start an SPE, and each entry
records the tie:

>>> dict(backward_induction(tree)[2].ties)
{'incumbent': ('fight', 'accommodate')}
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np
import sympy as sp

from atrogame.core.errors import ParameterError
from atrogame.solvers._common import grid_axes, symbol_values

__all__ = [
    "Chance",
    "Decision",
    "ExtensiveFormGame",
    "SPERegion",
    "SubgamePerfectEquilibrium",
    "Terminal",
    "backward_induction",
]

NodeId = str | tuple[str, ...]


@dataclass(frozen=True, eq=False)
class Terminal:
    """A leaf with one payoff per player (numbers or sympy expressions).

    Examples
    --------
    >>> Terminal({"A": 1, "B": sp.Symbol("x")}).payoffs
    mappingproxy({'A': 1, 'B': x})
    >>> Terminal((1, 2)).payoffs
    mappingproxy({0: 1, 1: 2})
    """

    payoffs: Mapping[Any, Any]

    def __init__(self, payoffs: Mapping[Any, Any] | Sequence[Any]) -> None:
        items = payoffs.items() if isinstance(payoffs, Mapping) else enumerate(payoffs)
        try:
            d = {k: sp.sympify(v) for k, v in items}
        except (sp.SympifyError, TypeError) as exc:
            raise ParameterError("payoffs", "numbers or sympy expressions", payoffs) from exc
        if not d:
            raise ParameterError("payoffs", "a non-empty mapping or sequence", payoffs)
        object.__setattr__(self, "payoffs", MappingProxyType(d))

    def __reduce__(self) -> tuple[Any, ...]:  # a mappingproxy does not pickle: rebuild from a dict
        return (type(self), (dict(self.payoffs),))


@dataclass(frozen=True, eq=False)
class Decision:
    """A decision node: ``player`` picks one of ``actions`` (label → child node).

    Examples
    --------
    >>> node = Decision("A", {"left": Terminal((1, 0)), "right": Terminal((0, 1))}, name="start")
    >>> node.player, tuple(node.actions), node.name
    ('A', ('left', 'right'), 'start')
    """

    player: Any
    actions: Mapping[str, Any]
    name: str | None = None

    def __init__(self, player: Any, actions: Mapping[str, Any], name: str | None = None) -> None:
        if not isinstance(actions, Mapping) or not actions:
            raise ParameterError("actions", "non-empty mappings of action label to child node", actions)
        for label, child in actions.items():
            if not isinstance(child, (Decision, Chance, Terminal)):
                raise ParameterError(f"actions[{label!r}]", "Decision, Chance or Terminal nodes", child)
        object.__setattr__(self, "player", player)
        object.__setattr__(self, "actions", MappingProxyType({str(k): v for k, v in actions.items()}))
        object.__setattr__(self, "name", name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.player, dict(self.actions), self.name))


@dataclass(frozen=True, eq=False)
class Chance:
    """A chance node: nature picks a child with the given probability.

    Examples
    --------
    >>> p = sp.Symbol("p", positive=True)
    >>> node = Chance({Terminal((1,)): p, Terminal((0,)): 1 - p})
    >>> node.labels
    ('chance0', 'chance1')
    """

    branches: tuple[tuple[Any, Any], ...]
    labels: tuple[str, ...] = field(default=())

    def __init__(
        self, branches: Mapping[Any, Any] | Iterable[tuple[Any, Any]], labels: Sequence[str] | None = None
    ) -> None:
        pairs = list(branches.items() if isinstance(branches, Mapping) else branches)
        if not pairs:
            raise ParameterError("branches", "non-empty mappings of child node to probability", branches)
        out = []
        for child, prob in pairs:
            if not isinstance(child, (Decision, Chance, Terminal)):
                raise ParameterError("branches", "Decision, Chance or Terminal nodes as children", child)
            out.append((child, sp.sympify(prob)))
        total = sp.simplify(sum(p for _, p in out))
        if total.is_number and abs(float(total) - 1.0) > 1e-12:
            raise ParameterError("branches", "probabilities that sum to 1", float(total))
        labels = tuple(labels) if labels is not None else tuple(f"chance{i}" for i in range(len(out)))
        if len(labels) != len(out):
            raise ParameterError("labels", f"sequences of length {len(out)}", labels)
        object.__setattr__(self, "branches", tuple(out))
        object.__setattr__(self, "labels", tuple(str(x) for x in labels))


Node = Decision | Chance | Terminal


class SPERegion(tuple):
    """One subgame-perfect equilibrium and the parameter region where it is one.

    Unpacks as ``(condition, strategy_profile, outcome_payoffs)``; ``.ties`` maps each node
    where the chosen action is tied with others to the tuple of tied actions.

    Examples
    --------
    >>> c = sp.Symbol("c", real=True)
    >>> cond, profile, payoffs = backward_induction(Decision(0, {"a": Terminal((c,)), "b": Terminal((0,))}))[0]
    >>> cond, profile, payoffs
    (c > 0, {(): 'a'}, {0: c})
    """

    ties: Mapping[NodeId, tuple[str, ...]]

    def __new__(
        cls,
        condition: Any,
        profile: Mapping[NodeId, str],
        payoffs: Mapping[Any, Any],
        ties: Mapping[NodeId, tuple[str, ...]],
    ) -> SPERegion:
        obj = super().__new__(cls, (condition, dict(profile), dict(payoffs)))
        obj.ties = MappingProxyType(dict(ties))
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self[0], self[1], self[2], dict(self.ties)))

    @property
    def condition(self) -> Any:
        return self[0]

    @property
    def profile(self) -> dict[NodeId, str]:
        return self[1]

    @property
    def payoffs(self) -> dict[Any, Any]:
        return self[2]

    def __repr__(self) -> str:
        return f"SPERegion(condition={self[0]}, profile={self[1]}, payoffs={self[2]})"


@dataclass(frozen=True)
class SubgamePerfectEquilibrium:
    """A numeric SPE at one parameter point.

    Attributes
    ----------
    profile:
        Action chosen at every decision node (node id → action).
    payoffs:
        Expected payoff of each player.
    ties:
        Nodes where the chosen action ties with others, with all tied actions.

    Examples
    --------
    >>> e = SubgamePerfectEquilibrium({(): "a"}, {0: 1}, {})
    >>> e.profile[()], e.payoffs[0]
    ('a', 1.0)
    """

    profile: Mapping[NodeId, str]
    payoffs: Mapping[Any, float]
    ties: Mapping[NodeId, tuple[str, ...]]

    def __post_init__(self) -> None:
        object.__setattr__(self, "profile", MappingProxyType(dict(self.profile)))
        object.__setattr__(self, "payoffs", MappingProxyType({k: float(v) for k, v in self.payoffs.items()}))
        object.__setattr__(self, "ties", MappingProxyType(dict(self.ties)))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self.profile), dict(self.payoffs), dict(self.ties)))


def node_label(node_id: NodeId) -> str:
    """Text form of a node id: a name as is, a path as ``"/a/b"`` (root ``"/"``).

    Examples
    --------
    >>> node_label(("war", "fight")), node_label(()), node_label("entrant")
    ('/war/fight', '/', 'entrant')
    """
    if isinstance(node_id, str):
        return node_id
    return "/" + "/".join(node_id)


class ExtensiveFormGame:
    """A finite perfect-information game tree with (possibly symbolic) payoffs.

    Parameters
    ----------
    root:
        The root node (:class:`Decision`, :class:`Chance` or :class:`Terminal`).

    Attributes
    ----------
    players:
        Players in order of first appearance (decision nodes, then terminal payoffs).
    parameters:
        Free symbols of payoffs and chance probabilities, sorted by name.
    nodes:
        ``{node_id: Decision}`` for every decision node.

    Examples
    --------
    An ultimatum game over a pie of 1 with two offers ``x``; rejecting pays the responder
    ``s·(1/2 − x)`` (spite at an unequal offer), so it rejects the low offer when ``s > 1/4``:

    >>> s = sp.Symbol("s", real=True)
    >>> respond = lambda x: Decision("R", {"yes": Terminal({"P": 1 - x, "R": x}),
    ...                                    "no": Terminal({"P": 0, "R": s * (sp.Rational(1, 2) - x)})})
    >>> g = ExtensiveFormGame(Decision("P", {"low": respond(sp.Rational(1, 10)), "half": respond(sp.Rational(1, 2))}))
    >>> [(e.profile[()], e.payoffs) for e in g.solve(s=2)]
    [('half', mappingproxy({'P': 0.5, 'R': 0.5}))]
    >>> [(e.profile[()], e.payoffs["P"]) for e in g.solve(s=0)]
    [('low', 0.9)]
    """

    def __init__(self, root: Node) -> None:
        if not isinstance(root, (Decision, Chance, Terminal)):
            raise ParameterError("root", "Decision, Chance or Terminal nodes", root)
        self.root = root
        players: list[Any] = []
        nodes: dict[NodeId, Decision] = {}
        ids: dict[int, NodeId] = {}
        terminals: list[Terminal] = []
        syms: set[sp.Symbol] = set()

        def walk(node: Node, path: tuple[str, ...]) -> None:
            if id(node) in ids or any(node is t for t in terminals):
                raise ParameterError(
                    "tree",
                    "trees (each node object used once)",
                    type(node).__name__,
                    f"node reused at {node_label(path)}",
                )
            if isinstance(node, Terminal):
                terminals.append(node)
                for v in node.payoffs.values():
                    syms.update(v.free_symbols)
                return
            if isinstance(node, Decision):
                nid: NodeId = node.name if node.name is not None else path
                if nid in nodes:
                    raise ParameterError("name", "unique node names", node.name)
                nodes[nid] = node
                ids[id(node)] = nid
                if node.player not in players:
                    players.append(node.player)
                for a, child in node.actions.items():
                    walk(child, (*path, a))
            else:
                ids[id(node)] = path
                for (child, p), lab in zip(node.branches, node.labels, strict=True):
                    syms.update(p.free_symbols)
                    walk(child, (*path, lab))

        walk(root, ())
        for t in terminals:
            for k in t.payoffs:
                if k not in players:
                    players.append(k)
        for t in terminals:
            missing = [p for p in players if p not in t.payoffs]
            if missing:
                raise ParameterError(
                    "payoffs",
                    f"mappings with a payoff for every player {players}",
                    dict(t.payoffs),
                    f"missing {missing}",
                )
        self.players: tuple[Any, ...] = tuple(players)
        self.nodes: dict[NodeId, Decision] = nodes
        self._ids = ids
        self.parameters: tuple[sp.Symbol, ...] = tuple(sorted(syms, key=lambda s: s.name))

    def __reduce__(self) -> tuple[Any, ...]:
        # rebuilt from its tree: node ids are keyed by object identity, and compiled caches do not pickle
        return (type(self), (self.root,))

    def __repr__(self) -> str:
        params = ", ".join(s.name for s in self.parameters) or "none"
        return (
            f"<ExtensiveFormGame {len(self.nodes)} decision nodes, players {list(self.players)}, parameters: {params}>"
        )

    def _ordered(self, d: Mapping[NodeId, Any]) -> dict[NodeId, Any]:
        """Node-keyed mapping in tree (pre-)order."""
        return {nid: d[nid] for nid in self.nodes if nid in d}

    def node_id(self, node: Decision) -> NodeId:
        """The id (name or path) of a decision node of this tree.

        Examples
        --------
        >>> inner = Decision(1, {"l": Terminal((0, 1)), "r": Terminal((1, 0))})
        >>> ExtensiveFormGame(Decision(0, {"go": inner, "stop": Terminal((0, 0))})).node_id(inner)
        ('go',)
        """
        return self._ids[id(node)]

    # ------------------------------------------------------------------ symbolic
    def backward_induction(self) -> tuple[SPERegion, ...]:
        """Every pure-strategy SPE with the parameter region where it is one.

        At each decision node, for every combination of the children's regions and every
        non-empty set ``T`` of actions, the region where exactly the actions in ``T`` are
        optimal for the mover (``Eq`` between them, strict ``>`` against the rest) gives one
        entry per action in ``T``. Empty regions are dropped: those sympy decides ``False``
        and, when every condition is linear in the parameters, those a linear program
        (scipy's HiGHS, respecting the symbols' sign assumptions) finds infeasible. A
        region with non-linear conditions is kept unless sympy rules it out, so it may be
        empty. Computed once per game.

        Returns
        -------
        tuple of SPERegion
            ``(condition, strategy_profile, outcome_payoffs)`` triples with ``.ties``.

        Examples
        --------
        >>> c = sp.Symbol("c", real=True)
        >>> g = ExtensiveFormGame(Decision(0, {"a": Terminal((c, 0)), "b": Terminal((1, 1))}))
        >>> [(r.condition, r.profile) for r in g.backward_induction()]
        [(c > 1, {(): 'a'}), (c < 1, {(): 'b'}), (Eq(c, 1), {(): 'a'}), (Eq(c, 1), {(): 'b'})]
        """
        return self._symbolic

    @functools.cached_property
    def _symbolic(self) -> tuple[SPERegion, ...]:
        regions = self._bi_symbolic(self.root, ())
        out = []
        for cond, prof, pay, ties in regions:
            out.append(
                SPERegion(cond, self._ordered(prof), dict(zip(self.players, pay, strict=True)), self._ordered(ties))
            )
        return tuple(out)

    def _bi_symbolic(self, node: Node, path: tuple[str, ...]) -> list[tuple[Any, dict, tuple, dict]]:
        if isinstance(node, Terminal):
            return [(sp.true, {}, tuple(node.payoffs[p] for p in self.players), {})]
        if isinstance(node, Chance):
            subs = [self._bi_symbolic(c, (*path, lab)) for (c, _), lab in zip(node.branches, node.labels, strict=True)]
            out = []
            for combo in itertools.product(*subs):
                cond = sp.And(*(r[0] for r in combo))
                if cond is sp.false or not _feasible(cond):
                    continue
                prof: dict = {}
                ties: dict = {}
                for r in combo:
                    prof.update(r[1])
                    ties.update(r[3])
                pay = tuple(
                    sp.expand(sum(p * r[2][k] for (_, p), r in zip(node.branches, combo, strict=True)))
                    for k in range(len(self.players))
                )
                out.append((cond, prof, pay, ties))
            return out
        nid = self._ids[id(node)]
        actions = list(node.actions)
        i = self.players.index(node.player)
        subs = [self._bi_symbolic(node.actions[a], (*path, a)) for a in actions]
        out = []
        for combo in itertools.product(*subs):
            base = sp.And(*(r[0] for r in combo))
            if base is sp.false:
                continue
            prof = {}
            ties = {}
            for r in combo:
                prof.update(r[1])
                ties.update(r[3])
            u = [r[2][i] for r in combo]
            for size in range(1, len(actions) + 1):
                for T in itertools.combinations(range(len(actions)), size):
                    conds = [_eq(u[T[0]], u[t]) for t in T[1:]]
                    conds += [_gt(u[T[0]], u[c]) for c in range(len(actions)) if c not in T]
                    cond = sp.And(base, *conds)
                    if cond is sp.false or not _feasible(cond):
                        continue
                    tie = {nid: tuple(actions[t] for t in T)} if len(T) > 1 else {}
                    for t in T:
                        out.append((cond, {**prof, nid: actions[t]}, combo[t][2], {**ties, **tie}))
        return out

    def regions_at(self, **params: Any) -> tuple[SPERegion, ...]:
        """The entries of :meth:`backward_induction` whose condition holds at a point.

        Integers, fractions and sympy rationals are substituted exactly (so ties are found);
        floats by their exact binary value.

        Examples
        --------
        >>> c = sp.Symbol("c", real=True)
        >>> g = ExtensiveFormGame(Decision(0, {"a": Terminal((c, 0)), "b": Terminal((1, 1))}))
        >>> [r.profile for r in g.regions_at(c=1)]
        [{(): 'a'}, {(): 'b'}]
        """
        from atrogame.solvers.normal_form import _exact, _to_fraction

        vals = self._values(params)
        exact = [_exact(params[s.name], v) for s, v in zip(self.parameters, vals, strict=True)]
        fracs = [_to_fraction(x) for x in exact]
        atoms_fn, region_atoms = self._compiled_conditions
        subs = dict(zip(self.parameters, exact, strict=True))
        try:
            truth = [bool(t) for t in atoms_fn(*fracs)] if all(f is not None for f in fracs) else None
        except (ZeroDivisionError, TypeError):  # pragma: no cover - defensive
            truth = None
        out = []
        for r, idx in zip(self._symbolic, region_atoms, strict=True):
            if truth is not None and idx is not None:
                holds = all(truth[i] for i in idx)
            else:
                holds = bool(r.condition.xreplace(subs))
            if holds:
                out.append(r)
        return tuple(out)

    @functools.cached_property
    def _compiled_conditions(self) -> tuple[Any, list[list[int] | None]]:
        """One compiled function of every distinct relational; each region as atom indices."""
        atoms: dict[Any, int] = {}
        per_region: list[list[int] | None] = []
        for r in self._symbolic:
            cond = r.condition
            parts = [] if cond is sp.true else (list(cond.args) if isinstance(cond, sp.And) else [cond])
            if all(isinstance(c, sp.core.relational.Relational) for c in parts):
                per_region.append([atoms.setdefault(c, len(atoms)) for c in parts])
            else:
                per_region.append(None)
        fn = sp.lambdify(self.parameters, list(atoms), modules="math", cse=False)
        return fn, per_region

    # ------------------------------------------------------------------ numeric
    def _values(self, params: Mapping[str, Any], *, arrays: bool = False) -> list[Any]:
        return symbol_values([s.name for s in self.parameters], params, arrays=arrays, grid_function="solve_grid")

    @functools.cached_property
    def _compiled_tree(self) -> Any:
        """The tree with every payoff and probability compiled (once) to numpy."""
        from atrogame.core.symbolic import compile_expr

        def comp(node: Node) -> Any:
            if isinstance(node, Terminal):
                return ("T", [compile_expr(self.parameters, node.payoffs[p]) for p in self.players])
            if isinstance(node, Chance):
                return ("C", [(comp(c), compile_expr(self.parameters, p)) for c, p in node.branches], node)
            return ("D", [(a, comp(c)) for a, c in node.actions.items()], node)

        return comp(self.root)

    def solve(self, tol: float = 1e-12, **params: float) -> tuple[SubgamePerfectEquilibrium, ...]:
        """Every pure-strategy SPE at one parameter point (ties followed, never broken).

        Parameters
        ----------
        tol:
            Actions whose payoff to the mover is within ``tol·max(1, |payoff|)`` of the best
            are tied.
        **params:
            A real value for every symbol in :attr:`parameters`.

        Returns
        -------
        tuple of SubgamePerfectEquilibrium
            One per combination of tied choices (a single one when there is no tie).

        Examples
        --------
        >>> g = ExtensiveFormGame(Decision(0, {"a": Terminal((1, 0)), "b": Terminal((1, 5))}))
        >>> [(dict(e.profile), dict(e.ties)) for e in g.solve()]
        [({(): 'a'}, {(): ('a', 'b')}), ({(): 'b'}, {(): ('a', 'b')})]
        """
        vals = self._values(params)
        return tuple(
            SubgamePerfectEquilibrium(
                self._ordered(prof), dict(zip(self.players, pay, strict=True)), self._ordered(ties)
            )
            for prof, pay, ties in self._bi_numeric(self._compiled_tree, vals, tol)
        )

    def _bi_numeric(self, cnode: Any, vals: list[float], tol: float) -> list[tuple[dict, np.ndarray, dict]]:
        kind = cnode[0]
        if kind == "T":
            return [({}, np.array([float(f(*vals)) for f in cnode[1]]), {})]
        if kind == "C":
            probs = np.array([float(f(*vals)) for _, f in cnode[1]])
            if np.any(probs < -tol) or np.any(probs > 1 + tol) or abs(probs.sum() - 1) > 1e-9:
                raise ParameterError("chance probabilities", "[0, 1] summing to 1", probs.tolist())
            subs = [self._bi_numeric(c, vals, tol) for c, _ in cnode[1]]
            out = []
            for combo in itertools.product(*subs):
                prof: dict = {}
                ties: dict = {}
                for r in combo:
                    prof.update(r[0])
                    ties.update(r[2])
                out.append((prof, sum(p * r[1] for p, r in zip(probs, combo, strict=True)), ties))
            return out
        node: Decision = cnode[2]
        nid = self._ids[id(node)]
        i = self.players.index(node.player)
        labels = [a for a, _ in cnode[1]]
        subs = [self._bi_numeric(c, vals, tol) for _, c in cnode[1]]
        out = []
        for combo in itertools.product(*subs):
            u = np.array([r[1][i] for r in combo])
            best = u.max()
            T = [k for k in range(len(u)) if u[k] >= best - tol * max(1.0, abs(best))]
            prof = {}
            ties = {}
            for r in combo:
                prof.update(r[0])
                ties.update(r[2])
            tie = {nid: tuple(labels[t] for t in T)} if len(T) > 1 else {}
            for t in T:
                out.append(({**prof, nid: labels[t]}, combo[t][1], {**ties, **tie}))
        return out

    def solve_grid(self, tol: float = 1e-12, **grid: Any) -> Any:
        """Backward induction vectorised over a parameter grid, as an :class:`xarray.Dataset`.

        Each keyword gives 1-D values of one parameter; each becomes a dimension (no loop
        per point: payoffs are compiled once and broadcast). Variables:

        * ``choice[<node>]`` (str) for every decision node: the optimal action; where several
          actions tie, all of them joined by ``"|"`` (e.g. ``"fight|accommodate"``);
        * ``tie[<node>]`` (bool): several actions are optimal there;
        * ``payoff[<player>]``: SPE payoffs; ``any_tie`` (bool).

        Where ``any_tie`` is true there are several SPE; values above a tied node follow the
        first tied action in the node's action order — :meth:`solve` at that point lists
        them all.

        Examples
        --------
        >>> c = sp.Symbol("c", real=True)
        >>> g = ExtensiveFormGame(Decision(0, {"a": Terminal((c, 0)), "b": Terminal((1, 1))}))
        >>> ds = g.solve_grid(c=[0.0, 1.0, 2.0])
        >>> ds["choice[/]"].values.tolist(), ds["payoff[0]"].values.tolist()
        (['b', 'a|b', 'a'], [1.0, 1.0, 2.0])
        """
        import xarray as xr

        names = [s.name for s in self.parameters]
        axes = grid_axes(names, grid, grid_function="solve_grid")
        shape = tuple(len(a) for a in axes)
        vals = [ax.reshape([-1 if k == j else 1 for k in range(len(axes))]) for j, ax in enumerate(axes)]
        choices: dict[NodeId, np.ndarray] = {}
        tied: dict[NodeId, np.ndarray] = {}
        pay = self._bi_grid(self._compiled_tree, vals, shape, tol, choices, tied)
        data: dict[str, Any] = {}
        dims = tuple(names)
        for nid in self.nodes:
            data[f"choice[{node_label(nid)}]"] = (dims, choices[nid])
            data[f"tie[{node_label(nid)}]"] = (dims, tied[nid])
        for k, p in enumerate(self.players):
            data[f"payoff[{p}]"] = (dims, pay[k])
        any_tie = np.zeros(shape, bool)
        for t in tied.values():
            any_tie |= t
        data["any_tie"] = (dims, any_tie)
        return xr.Dataset(data, coords=dict(zip(names, axes, strict=True)))

    def _bi_grid(
        self, cnode: Any, vals: list[np.ndarray], shape: tuple[int, ...], tol: float, choices: dict, tied: dict
    ) -> np.ndarray:
        kind = cnode[0]
        if kind == "T":
            return np.stack([np.broadcast_to(f(*vals), shape) for f in cnode[1]])
        if kind == "C":
            total = np.zeros((len(self.players), *shape))
            psum = np.zeros(shape)
            for c, f in cnode[1]:
                p = np.broadcast_to(f(*vals), shape)
                psum = psum + p
                total = total + p * self._bi_grid(c, vals, shape, tol, choices, tied)
            if np.any(np.abs(psum - 1) > 1e-9):
                raise ParameterError("chance probabilities", "[0, 1] summing to 1", "a grid point")
            return total
        node: Decision = cnode[2]
        nid = self._ids[id(node)]
        i = self.players.index(node.player)
        labels = [a for a, _ in cnode[1]]
        kids = np.stack([self._bi_grid(c, vals, shape, tol, choices, tied) for _, c in cnode[1]])  # (A, P, *shape)
        u = kids[:, i]
        best = u.max(axis=0)
        optimal = u >= best - tol * np.maximum(1.0, np.abs(best))
        first = np.argmax(optimal, axis=0)
        names = np.array(labels, dtype=object)
        text = np.full(shape, "", dtype=object)
        for k in range(len(labels)):
            sep = np.where(text == "", "", "|")
            text = np.where(optimal[k], text + sep + names[k], text)
        choices[nid] = text.astype(str)
        tied[nid] = optimal.sum(axis=0) > 1
        return np.take_along_axis(kids, first[None, None, ...], axis=0)[0]


@functools.lru_cache(maxsize=100_000)
def _feasible(cond: Any, tol: float = 1e-9) -> bool:
    """False if ``cond`` (a conjunction of relationals linear in its symbols) has no solution.

    Maximises the slack ``t`` of the strict inequalities subject to the equalities and weak
    inequalities (and the symbols' sign assumptions); feasible iff ``t > tol`` (or, without
    strict inequalities, iff the program is feasible). Anything non-linear: ``True``.
    """
    if cond is sp.true:
        return True
    if cond is sp.false:
        return False
    parts = list(cond.args) if isinstance(cond, sp.And) else [cond]
    if not all(isinstance(c, (sp.Gt, sp.Lt, sp.Ge, sp.Le, sp.Eq)) for c in parts):
        return True
    syms = sorted(cond.free_symbols, key=lambda s: s.name)
    if not syms:
        return bool(cond)
    n = len(syms)
    A_ub: list[list[float]] = []
    b_ub: list[float] = []
    A_eq: list[list[float]] = []
    b_eq: list[float] = []
    strict = False
    has_signs = any(s.is_positive or s.is_nonnegative or s.is_negative or s.is_nonpositive for s in syms)
    if len(parts) == 1 and not has_signs:
        only = _linear(parts[0])
        return only is None or any(v != 0 for v in only[0].values())
    for c in parts:
        lin = _linear(c)
        if lin is None:
            return True
        coeffs, b = lin
        a = [coeffs.get(s, 0.0) for s in syms]
        # a.x + b  (op)  0
        if isinstance(c, sp.Eq):
            A_eq.append([*a, 0.0])
            b_eq.append(-b)
        elif isinstance(c, (sp.Gt, sp.Ge)):  # -a.x + t <= b  (t only if strict)
            A_ub.append([-v for v in a] + [1.0 if isinstance(c, sp.Gt) else 0.0])
            b_ub.append(b)
            strict |= isinstance(c, sp.Gt)
        else:  # a.x + b < 0  ->  a.x + t <= -b
            A_ub.append([*a, 1.0 if isinstance(c, sp.Lt) else 0.0])
            b_ub.append(-b)
            strict |= isinstance(c, sp.Lt)
    for k, sym in enumerate(syms):  # sign assumptions
        row = [0.0] * (n + 1)
        if sym.is_positive or sym.is_nonnegative:
            row[k] = -1.0
            row[n] = 1.0 if sym.is_positive else 0.0
            strict |= bool(sym.is_positive)
        elif sym.is_negative or sym.is_nonpositive:
            row[k] = 1.0
            row[n] = 1.0 if sym.is_negative else 0.0
            strict |= bool(sym.is_negative)
        else:
            continue
        A_ub.append(row)
        b_ub.append(0.0)
    from scipy.optimize import linprog

    res = linprog(
        c=[0.0] * n + [-1.0],
        A_ub=np.array(A_ub) if A_ub else None,
        b_ub=np.array(b_ub) if b_ub else None,
        A_eq=np.array(A_eq) if A_eq else None,
        b_eq=np.array(b_eq) if b_eq else None,
        bounds=[(None, None)] * n + [(None, 1.0)],
        method="highs",
    )
    if res.status == 2:  # infeasible
        return False
    if res.status != 0:  # pragma: no cover - numerical trouble: keep the region
        return True
    return (-res.fun > tol) if strict else True


@functools.lru_cache(maxsize=100_000)
def _linear(rel: Any) -> tuple[dict[sp.Symbol, float], float] | None:
    """``lhs - rhs`` of a relational as ({symbol: coefficient}, constant); None if non-linear."""
    coeffs: dict[sp.Symbol, float] = {}
    const = 0.0
    for term, coef in sp.expand(rel.lhs - rel.rhs).as_coefficients_dict().items():
        if term == 1:
            const += float(coef)
        elif isinstance(term, sp.Symbol) and coef.is_number:
            coeffs[term] = coeffs.get(term, 0.0) + float(coef)
        else:
            return None
    return coeffs, const


def _split(a: Any, b: Any) -> tuple[Any, Any, bool]:
    """``a - b`` as ``lhs`` vs a numeric ``rhs``, sign flipped so ``lhs`` reads positively."""
    d = sp.expand(a - b)
    k, rest = d.as_coeff_Add()
    terms = sorted(sp.Add.make_args(rest), key=sp.default_sort_key) if rest != 0 else []
    flip = bool(terms) and terms[0].as_coeff_Mul()[0] < 0
    if flip:
        k, rest = -k, -rest
    return rest, -k, bool(flip)


def _gt(a: Any, b: Any) -> Any:
    """``a > b`` written readably (``c > 1`` rather than ``c - 1 > 0``)."""
    lhs, rhs, flip = _split(a, b)
    return sp.Lt(lhs, rhs) if flip else sp.Gt(lhs, rhs)


def _eq(a: Any, b: Any) -> Any:
    lhs, rhs, _ = _split(a, b)
    return sp.Eq(lhs, rhs)


def backward_induction(tree: Node) -> tuple[SPERegion, ...]:
    """Every pure-strategy SPE of ``tree`` with its parameter region.

    Shorthand for ``ExtensiveFormGame(tree).backward_induction()``; see there and the
    module docstring.

    Examples
    --------
    >>> x = sp.Symbol("x", real=True)
    >>> [(r.condition, r.profile[()]) for r in backward_induction(
    ...     Decision(0, {"safe": Terminal((0,)), "risky": Terminal((x,))}))]
    [(x < 0, 'safe'), (x > 0, 'risky'), (Eq(x, 0), 'safe'), (Eq(x, 0), 'risky')]
    """
    return ExtensiveFormGame(tree).backward_induction()
