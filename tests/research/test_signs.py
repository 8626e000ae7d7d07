"""Issue 14, problem 1: weak signs are proven, and a numeric verdict is kept apart from the proof.

See docs/explanation/signs.md. On main, weak signs came back "ambiguous" and there was no numeric verdict.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pytest
import sympy as sp

import atrogame as ag
from atrogame.core.signs import NUMERIC_SIGNS, PROVEN_SIGNS, consistent, numeric_sign_check
from atrogame.core.symbolic import decide_sign
from atrogame.testing.models import Toy

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_decide_sign_proves_weak_signs():
    k = sp.Symbol("k", nonnegative=True)
    p = sp.Symbol("p", positive=True)
    assert decide_sign(-k * p / (1 + p)) == "nonpositive"
    assert decide_sign(k**2 + k) == "nonnegative"
    # a strict sign is still preferred when it can be proven
    assert decide_sign(p * (k + 1)) == "positive"
    assert decide_sign(k - p) == "ambiguous"


def _fd_signs_in_regime(model, of, wrt, n=300, seed=3):
    """Independent oracle: central differences at random points of the regime, one solve per point."""
    rng = np.random.default_rng(seed)
    regime = model.solve().regime
    lo, hi = model.parameter_meta(wrt)["sweep_range"]
    out = []
    for _ in range(n):
        pt = {name: float(rng.uniform(*model.parameter_meta(name)["sweep_range"]))
              for name in ("resources", "price_rebels", "price_civilians", wrt)}
        try:
            m = model.with_params(**pt)
            if m.solve().regime != regime:
                continue
            h = 1e-6 * (hi - lo)
            a = m.with_params(**{wrt: pt[wrt] - h}).solve()
            b = m.with_params(**{wrt: pt[wrt] + h}).solve()
        except ValueError:
            continue
        if a.regime == b.regime == regime:
            out.append((b[of] - a[of]) / (2 * h))
    return np.array(out)


@pytest.mark.parametrize(("wrt", "sign"), [("price_civilians", "nonpositive"), ("resources", "nonnegative")])
def test_civilian_deaths_weak_sign_proven_and_true(wrt, sign):
    # civilian deaths = lethality (in [0, inf)) x attacks: the sign is weak, since lethality may be 0
    m = ag.AndertonBrauer(technology="cobb_douglas")
    e = m.comparative_statics(wrt, of="civilian_deaths")
    assert e.sign == sign  # "ambiguous" on main
    assert e.numeric_sign is None  # a proof needs no numeric verdict
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fd = _fd_signs_in_regime(m, "civilian_deaths", wrt)
        zero = _fd_signs_in_regime(m.with_params(lethality_civilians=0.0), "civilian_deaths", wrt, n=40)
    assert len(fd) > 50
    assert all(consistent(sign, v, tol=1e-6) for v in fd)
    assert np.allclose(zero, 0.0, atol=1e-9)  # ...and it is 0 where lethality is 0: only the weak sign is true


def test_numeric_verdict_is_separate_and_counts_points():
    cs = Toy().comparative_statics(of="x")
    curv = cs["curvature"]
    assert curv.sign == "ambiguous"  # sympy does not know benefit > threshold in the interior
    assert curv.numeric_sign == "negative" and curv.numeric_points > 100
    assert cs["benefit"].numeric_sign is None and cs["benefit"].numeric_points == 0
    df = cs.to_dataframe()
    assert {"numeric_sign", "numeric_points"} <= set(df.columns)
    assert df.loc[("x", "curvature"), "sign"] == "ambiguous"  # never overwritten by the numeric verdict
    # the verdict is reproducible and honest about a mixed sign
    a = numeric_sign_check(Toy(), "x", "curvature", n=300, seed=5)
    b = numeric_sign_check(Toy(), "x", "curvature", n=300, seed=5)
    assert a == b and a.positive == 0 and a.negative == a.points


def test_numeric_verdict_vocabulary():
    assert set(NUMERIC_SIGNS) - set(PROVEN_SIGNS) == {"mixed", "unchecked"}
    assert "ambiguous" not in NUMERIC_SIGNS  # the two vocabularies cannot be confused
    fearon = ag.Fearon(win_prob_a=0.615, cost_a=0.195, cost_b_low=0.3, cost_b_high=0.98)
    assert fearon.solve().regime == "capped_risky"
    e = fearon.comparative_statics("cost_b_low", of="p_war")
    # p_war = (1 - p - a)/(b - a) in this regime, d/da = (1 - p - b)/(b - a)^2 < 0 when b > 1 - p (the cap binds);
    # sympy does not see the regime's condition, the numeric verdict does (joint rule b > a respected)
    assert e.sign == "ambiguous" and e.numeric_sign == "negative" and e.numeric_points > 20


def test_sign_vocabulary_documented():
    text = (DOCS / "explanation" / "signs.md").read_text(encoding="utf-8")
    for word in {*PROVEN_SIGNS, *NUMERIC_SIGNS}:
        assert re.search(rf"`{word}`", text), word
    assert "signs" in (DOCS / "index.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (DOCS / "explanation").glob("*.md"))
