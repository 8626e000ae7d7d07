"""Build your own model with atrogame's solvers: a 2×2 deterrence game
===================================================================

The runnable companion of ``docs/how-to/build_your_own_model.md``: each ``# %%`` cell is one
code block of that page, in order (a test checks they stay identical and runs this script).
The game and its numbers are invented for the guide.
"""
# ruff: noqa: E402  (cells import what they introduce, as the how-to does)

# %%
import numpy as np
import sympy as sp

from atrogame.solvers import NormalFormGame

g, s, h, k = sp.symbols("g s h k", positive=True)
perpetrator = [[g - s, g],      # rows: Attack, Restrain
               [0, 0]]          # columns: Enforce, Ignore
third_party = [[h - k, 0],
               [-k, 0]]
game = NormalFormGame(perpetrator, third_party,
                      row_labels=("Attack", "Restrain"), column_labels=("Enforce", "Ignore"))
print(game)

# %%
for eq in game.symbolic_equilibria()[:5]:
    print(f"{eq.name:24} {eq.condition}   {eq.profiles}")

mixed = next(eq for eq in game.symbolic_equilibria() if eq.name == "mixed")
attack_prob, enforce_prob = mixed.profiles[0][0], mixed.profiles[1][0]
print("mixed equilibrium: P(attack) =", attack_prob, " P(enforce) =", enforce_prob)

# %%
attack_gain_if_enforced = sp.expand(perpetrator[0][0] - perpetrator[1][0])
threshold = sp.solve(sp.Eq(attack_gain_if_enforced, 0), s)[0]
print("the perpetrator's strategy changes at s =", threshold)
assert threshold == g

# %%
point = {g: 1.0, h: 2.0, k: 0.5}
values = {sym.name: v for sym, v in point.items()}       # the solver takes parameters by name
grid = game.equilibria_grid(s=np.linspace(0.0, 2.0, 401), **values)
attack_by_s = grid.groupby("s")["row_0"].max()          # row_0 = P(Attack)
first_deterring_s = attack_by_s[attack_by_s < 1 - 1e-12].index.min()
print("first sanction on the grid with P(attack) < 1:", first_deterring_s)
assert 0 < first_deterring_s - float(threshold.subs(point)) < 0.01   # one grid step (0.005) above s = g

# beyond the threshold nashpy's support enumeration finds the mixed equilibrium
numeric = game.equilibria(s=1.5, **values)[0]
print(numeric)
assert np.isclose(numeric.row[0], float(attack_prob.subs(point)))                  # k/h = 0.25
assert np.isclose(numeric.column[0], float(enforce_prob.subs({**point, s: 1.5})))  # g/s = 2/3

# %%
import functools
from dataclasses import dataclass

from atrogame import Model, Parameters, lever, outcome, param
from atrogame.core.parameters import POSITIVE


@dataclass(frozen=True, kw_only=True)
class DeterrenceParams(Parameters):
    gain: float = param(1.0, symbol="g", interval=POSITIVE, long_name="perpetrator's gain from attacking",
                        sweep_range=(0.1, 3.0))
    sanction: float = param(1.5, symbol="s", interval=POSITIVE, long_name="sanction when enforced",
                            sweep_range=(0.01, 3.0))
    harm_averted: float = param(2.0, symbol="h", interval=POSITIVE, long_name="harm averted by enforcing",
                                sweep_range=(0.1, 3.0))
    enforcement_cost: float = param(0.5, symbol="k", interval=POSITIVE, long_name="cost of enforcing",
                                    sweep_range=(0.1, 3.0))


@functools.cache
def _deterrence_expressions():
    """The game's equilibrium strategies in the model's symbols, derived once per process."""
    S = DeterrenceParams.symbols()
    to_model = {g: S["gain"], s: S["sanction"], h: S["harm_averted"], k: S["enforcement_cost"]}
    return {"attack_prob": attack_prob.subs(to_model), "enforce_prob": enforce_prob.subs(to_model)}


class Deterrence(Model):
    """Deterrence by a third party's sanction (a 2×2 inspection game)."""

    name = "deterrence"
    citation = "atrogame how-to example"
    Params = DeterrenceParams
    outcomes = (
        outcome("attack_prob", long_name="probability of an attack", symbol="p", role="harm", headline=True),
        outcome("enforce_prob", long_name="probability of enforcement", symbol="q", role="probability"),
    )
    regimes = ("attack_ignored", "attack_enforced", "mixed_deterrence")
    # targeted sanctions raise the sanction by 25% per unit of intensity
    levers = {"targeted_sanctions": (lever("sanction", direction=+1, step=0.25, scale="relative"),)}

    def kernel(self, v):
        gain, sanction, harm, cost = (np.asarray(v[n], dtype=float)
                                      for n in ("gain", "sanction", "harm_averted", "enforcement_cost"))
        ignored = harm <= cost                 # enforcing never pays: attack goes unpunished
        enforced = ~ignored & (sanction <= gain)
        with np.errstate(divide="ignore", invalid="ignore"):
            attack = np.where(ignored | enforced, 1.0, cost / harm)
            enforce = np.where(ignored, 0.0, np.where(enforced, 1.0, gain / sanction))
        regime = np.select([ignored, enforced], [0, 1], 2).astype(np.int8)
        return {"attack_prob": attack, "enforce_prob": enforce, "regime": regime}

    def symbolic(self, of, eq):
        if eq.regime == "mixed_deterrence":
            return _deterrence_expressions()[of], None
        return sp.Integer(1 if of == "attack_prob" or eq.regime == "attack_enforced" else 0), None


model = Deterrence()
print(model.solve().summary())

# %%
ds = model.sweep(sanction=np.linspace(0.01, 3.0, 300))
deterred = ds["sanction"].values[ds["attack_prob"].values < 1]
print("smallest swept sanction that deters some attacks:", deterred.min())
assert np.isclose(deterred.min(), model.params.gain + 0.01)

cs = model.comparative_statics(wrt="sanction", of=["attack_prob", "enforce_prob"])
print(cs.to_dataframe()[["sign", "value"]])
assert cs[("attack_prob", "sanction")].sign == "zero"          # deterrence does not deepen
assert cs[("enforce_prob", "sanction")].sign == "negative"     # enforcement is needed less often

# the symbolic derivative -g/s**2 against a central finite difference
fd, crosses_regime = model.finite_difference("enforce_prob", "sanction")
assert not crosses_regime and np.isclose(fd, cs[("enforce_prob", "sanction")].value)
print("d P(enforce)/ds =", cs[("enforce_prob", "sanction")].derivative, "=", fd)

# %%
try:
    Deterrence(sanction=-1.0)
except ValueError as err:
    print(err)            # sanction must be in (0, inf); got -1.0

# %%
from atrogame.testing import check_model

report = check_model(Deterrence)
print(report)
assert report.passed

# %%
import atrogame as ag
from atrogame.cli import main

ag.register_model(Deterrence)
main(["solve", "deterrence", "--set", "sanction=2.0"])
main(["tools", "assess", "targeted_sanctions", "deterrence"])
effect = ag.tools.assess("targeted_sanctions", Deterrence(), outcomes=["enforce_prob"])
assert effect["enforce_prob"].change < 0                      # a higher sanction deters more cheaply
