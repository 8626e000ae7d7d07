"""The closed-form solution of the strategic mass-killing game, vectorised with numpy.

After Esteban, Morelli & Rohner (2015); functional forms and numbers are atrogame's own
reconstruction (see docs/explanation/strategic_mass_killing.md for the derivation).

Backward induction, in order: the killing stage (run twice, the incumbent I over the
opposition O and O over I), the stakes of the contest, the contest, the onset decision and the
derived outcomes. Every branch is an explicit numpy mask; no division is evaluated where its
denominator can be zero.

Examples
--------
>>> from atrogame.models.strategic_mass_killing.params import StrategicMassKillingParams
>>> out = closed_form(StrategicMassKillingParams().to_dict())
>>> round(float(out["killing_share_incumbent"]), 10), KILLING_REGIMES[int(out["regime"])]
(0.3528571429, 'interior')
>>> ONSET_REGIMES[int(out["onset_regime"])], round(float(out["p_conflict"]), 10)
('contested', 0.3030633042)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from atrogame.models.strategic_mass_killing.params import ORDER

__all__ = ["KILLING_REGIMES", "ONSET_REGIMES", "OUTCOMES", "PREDICATES", "cap_derivative", "closed_form",
           "killing_stage", "predicates"]

#: Killing-stage regimes of a winner, in the order their conditions are checked.
KILLING_REGIMES: tuple[str, ...] = ("no_motive", "deterred", "cap_deterred", "interior", "capped", "extermination")
NO_MOTIVE, DETERRED, CAP_DETERRED, INTERIOR, CAPPED, EXTERMINATION = range(6)
#: Onset regimes: no challenge (q = 0), a contested onset (0 < q < 1), a certain challenge (q = 1).
ONSET_REGIMES: tuple[str, ...] = ("no_challenge", "contested", "certain_challenge")
NO_CHALLENGE, CONTESTED, CERTAIN_CHALLENGE = range(3)

#: The model's outcomes, in order.
OUTCOMES: tuple[str, ...] = (
    "killing_share_incumbent",
    "killing_share_opposition",
    "victims_if_incumbent_wins",
    "victims_if_opposition_wins",
    "value_per_victim",
    "killing_gain_incumbent",
    "killing_gain_opposition",
    "prize_of_power",
    "stake_incumbent",
    "stake_opposition",
    "effort_incumbent",
    "effort_opposition",
    "conflict_intensity",
    "win_prob_incumbent",
    "challenge_gain",
    "p_conflict",
    "p_mass_killing_given_conflict",
    "p_mass_killing",
    "deaths_given_conflict",
    "expected_deaths",
    "welfare_loss",
    "deterrent_cap",
    "deterrent_sanction",
)


def killing_stage(m: Any, n_g: Any, n_h: Any, c: Any, phi: Any, vbar: Any) -> dict[str, np.ndarray]:
    """The winner's killing decision: regime code, toll, net gain and the deterrence thresholds.

    The winner (size ``n_g``) maximises Γ(v) = m v − c v²/(2 n_g) over v ∈ [0, min(v̄, n_h)]
    and launches a campaign only if the best Γ strictly exceeds the fixed cost φ.

    Returns a dict with ``regime`` (int8 codes of :data:`KILLING_REGIMES`), ``toll``,
    ``gain`` (Γ(v*) − φ, 0 without a campaign), ``cap_threshold`` v̂ (kills iff v̄ > v̂; 1 when no
    cap can matter) and ``value_threshold`` m̂ (kills iff m > m̂; inf when v_max = 0).

    Examples
    --------
    >>> out = killing_stage(0.38, 0.65, 0.35, 2.0, 0.015, 1.0)
    >>> int(out["regime"]), round(float(out["toll"]), 6), round(float(out["cap_threshold"]), 10)
    (3, 0.1235, 0.0493228472)
    """
    m, n_g, n_h, c, phi, vbar = np.broadcast_arrays(*(np.asarray(x, dtype=float) for x in
                                                      (m, n_g, n_h, c, phi, vbar)))
    v_max = np.minimum(vbar, n_h)
    v_u = m * n_g / c
    v1 = np.clip(v_u, 0.0, n_h)
    vc = np.clip(v_u, 0.0, v_max)
    gamma1 = m * v1 - c * v1 * v1 / (2.0 * n_g)
    gamma_c = m * vc - c * vc * vc / (2.0 * n_g)

    no_motive = m <= 0.0
    deterred = ~no_motive & (gamma1 <= phi)
    cap_deterred = ~no_motive & ~deterred & (gamma_c <= phi)
    kills = ~(no_motive | deterred | cap_deterred)
    interior = kills & (v_u < v_max)
    capped = kills & ~interior & (vbar < n_h)
    exterminate = kills & ~interior & ~capped

    regime = np.full(m.shape, NO_MOTIVE, dtype=np.int8)
    regime[deterred] = DETERRED
    regime[cap_deterred] = CAP_DETERRED
    regime[interior] = INTERIOR
    regime[capped] = CAPPED
    regime[exterminate] = EXTERMINATION

    toll = np.where(kills, vc, 0.0)
    gain = np.where(kills, gamma_c - phi, 0.0)

    # deterrent cap: the smaller root of Γ(v) = φ, written without cancellation
    has_root = ~no_motive & (gamma1 > phi)
    with np.errstate(over="ignore", invalid="ignore"):
        disc = np.maximum(m * m - 2.0 * c * phi / n_g, 0.0)
    denom = np.where(has_root, m + np.sqrt(disc), 1.0)
    cap_threshold = np.where(has_root, 2.0 * phi / denom, 1.0)
    wide = has_root & ~np.isfinite(disc)  # (then v̂ came out as 0 or NaN)
    if wide.any():  # m² or 2cφ/n overflowed: v̂ = (2φ/m)/(1 + √(1 − r)), r = 2cφ/(n m²) < 1 from logs
        cap_threshold = np.where(wide, _wide_cap(m, n_g, c, phi), cap_threshold)

    # value threshold m̂: the smallest value per victim at which a campaign pays
    with np.errstate(over="ignore", invalid="ignore"):
        q1 = 2.0 * c * phi / n_g
    m1 = np.sqrt(q1)
    wide1 = ~np.isfinite(q1)
    if wide1.any():  # 2cφ/n_g overflowed (or 2c did, times φ = 0): m1 = √(2cφ/n_g) from logs
        with np.errstate(divide="ignore"):
            m1 = np.where(wide1, np.exp(0.5 * ((np.log(phi) + 0.6931471805599453) + np.log(c) - np.log(n_g))), m1)
    positive_room = v_max > 0.0
    safe_vmax = np.where(positive_room, v_max, 1.0)
    with np.errstate(over="ignore"):  # a subnormal cap: m̂ = inf, exactly the answer (no campaign pays)
        m_corner = phi / safe_vmax + c * safe_vmax / (2.0 * n_g)
    value_threshold = np.where(m1 * n_g / c <= v_max, m1, m_corner)
    value_threshold = np.where(positive_room, value_threshold, np.inf)
    return {"regime": regime, "toll": toll, "gain": gain, "cap_threshold": cap_threshold,
            "value_threshold": value_threshold}


def _wide_cap(m: Any, n_g: Any, c: Any, phi: Any) -> Any:
    """The deterrent cap where m² or 2cφ/n_g overflowed (the compiled loop repeats it)."""
    with np.errstate(all="ignore"):
        r = np.exp((np.log(phi) + 0.6931471805599453) + np.log(c) - np.log(n_g) - 2.0 * np.log(m))
        return (phi / m) * 2.0 / (1.0 + np.sqrt(np.maximum(1.0 - r, 0.0)))


def closed_form(values: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Every outcome, the three regime codes and the intermediate quantities, for broadcasting arrays.

    ``values`` maps every parameter name to a number or an array; inputs are assumed valid
    (validate with :class:`StrategicMassKillingParams` first). Besides :data:`OUTCOMES` the
    result holds ``regime`` and ``opposition_regime`` (codes of :data:`KILLING_REGIMES`),
    ``onset_regime`` (codes of :data:`ONSET_REGIMES`), ``base_stake`` S0, ``loss_per_victim`` ℓ
    and ``effort_exceeds_population`` (E_I > n_I or E_O > n_O: outside the intended range of
    the reconstruction, reported, not an error).

    Examples
    --------
    >>> from atrogame.models.strategic_mass_killing.params import StrategicMassKillingParams
    >>> out = closed_form(StrategicMassKillingParams(killing_cap=0.04).to_dict())
    >>> KILLING_REGIMES[int(out["regime"])], round(float(out["p_conflict"]), 10)
    ('cap_deterred', 0.49)
    """
    arrs = np.broadcast_arrays(*(np.asarray(values[n], dtype=float) for n in ORDER))
    (n_i, R, w, alpha, s, chi, mu, c, phi, tau, vbar, theta, delta, D, eps) = arrs
    n_o = 1.0 - n_i

    prize = (1.0 - 2.0 * s) * (1.0 - alpha) * R
    freed = chi * alpha * R  # entitlement freed per victim
    security = theta * delta * prize  # expected prize saved per victim (weaker future challenger)
    m = freed + security - w * mu - tau
    loss = w + D + freed + security
    base = prize * (1.0 + delta * (1.0 - theta)) + (1.0 - chi) * alpha * R

    inc = killing_stage(m, n_i, n_o, c, phi, vbar)
    opp = killing_stage(m, n_o, n_i, c, phi, vbar)
    v_i, v_o = inc["toll"], opp["toll"]
    g_i, g_o = inc["gain"], opp["gain"]

    stake_i = base + g_i + loss * v_o
    stake_o = base + g_o + loss * v_i
    with np.errstate(over="ignore"):  # (two stakes near 1.8e308: see below)
        total = stake_i + stake_o
    live = total > 0.0
    safe_total = np.where(live, total, 1.0)
    p_i = np.where(live, stake_i / safe_total, 0.5)
    over = np.isinf(total) & np.isfinite(stake_i) & np.isfinite(stake_o)
    if over.any():  # the two stakes overflowed only in their sum: halve both (exact)
        p_i = np.where(over, 0.5 * stake_i / (0.5 * stake_i + 0.5 * stake_o), p_i)
    p_o = 1.0 - p_i
    # written with the win probabilities so that tiny (even subnormal) stakes neither underflow nor
    # divide 0 by 0: E_I = V_I² V_O/(w S²) = P_I P_O V_I / w, and O's equilibrium surplus V_O³/S² = P_O² V_O
    e_i = p_i * p_o * stake_i / w
    e_o = p_i * p_o * stake_o / w
    gain = p_o * p_o * stake_o - loss * v_i
    q = np.clip(gain / eps, 0.0, 1.0)
    onset = np.full(q.shape, CONTESTED, dtype=np.int8)
    onset[gain <= 0.0] = NO_CHALLENGE
    onset[gain >= eps] = CERTAIN_CHALLENGE

    kill_i, kill_o = v_i > 0.0, v_o > 0.0
    pmk_war = p_i * kill_i + p_o * kill_o
    deaths_war = p_i * v_i + p_o * v_o
    own_i = v_i * (w * (1.0 + mu) + D + tau) + c * v_i * v_i / (2.0 * n_i) + phi * kill_i
    own_o = v_o * (w * (1.0 + mu) + D + tau) + c * v_o * v_o / (2.0 * n_o) + phi * kill_o
    welfare = q * (w * (e_i + e_o) + p_i * own_i + p_o * own_o) + eps * q * q / 2.0

    mhat = inc["value_threshold"]
    finite = np.isfinite(mhat)
    tau_hat = np.where(finite, np.maximum(0.0, m + tau - np.where(finite, mhat, 0.0)), 0.0)

    return {
        "killing_share_incumbent": v_i / n_o,
        "killing_share_opposition": v_o / n_i,
        "victims_if_incumbent_wins": v_i,
        "victims_if_opposition_wins": v_o,
        "value_per_victim": m,
        "killing_gain_incumbent": g_i,
        "killing_gain_opposition": g_o,
        "prize_of_power": prize,
        "stake_incumbent": stake_i,
        "stake_opposition": stake_o,
        "effort_incumbent": e_i,
        "effort_opposition": e_o,
        "conflict_intensity": e_i + e_o,
        "win_prob_incumbent": p_i,
        "challenge_gain": gain,
        "p_conflict": q,
        "p_mass_killing_given_conflict": pmk_war,
        "p_mass_killing": q * pmk_war,
        "deaths_given_conflict": deaths_war,
        "expected_deaths": q * deaths_war,
        "welfare_loss": welfare,
        "deterrent_cap": inc["cap_threshold"],
        "deterrent_sanction": tau_hat,
        "regime": inc["regime"],
        "opposition_regime": opp["regime"],
        "onset_regime": onset,
        "base_stake": base,
        "loss_per_victim": loss,
        "effort_exceeds_population": (e_i > n_i) | (e_o > n_o),
    }


#: Named conditions used to explain sign changes (see docs/explanation/strategic_mass_killing.md).
PREDICATES: tuple[str, ...] = ("proportionality_raises_killing", "only_larger_kills_region", "cap_binds",
                               "cap_deters", "cap_backfire", "killing_deters_challenge")


def cap_derivative(values: Mapping[str, Any], out: Mapping[str, Any] | None = None) -> dict[str, np.ndarray]:
    """Exact derivatives with respect to the cap v̄ on the current branch (0 where no cap binds).

    On a ``capped`` branch the capped toll moves one for one with v̄; the stakes, the contest,
    the challenge gain and the expected deaths follow. Returns ``challenge_gain``,
    ``p_conflict`` and ``expected_deaths`` derivatives.

    Examples
    --------
    >>> from atrogame.models.strategic_mass_killing.params import StrategicMassKillingParams
    >>> d = cap_derivative(StrategicMassKillingParams(killing_cap=0.1).to_dict())
    >>> float(d["challenge_gain"]) < 0 and float(d["p_conflict"]) < 0   # loosening the cap deters (E11)
    True
    """
    if out is None:
        out = closed_form(values)
    arrs = np.broadcast_arrays(*(np.asarray(values[n], dtype=float) for n in ORDER))
    v = dict(zip(ORDER, arrs, strict=True))
    n_i, c, vbar, eps = v["incumbent_share"], v["killing_cost_curvature"], v["killing_cap"], v["mobilisation_cost_max"]
    n_o = 1.0 - n_i
    m, loss = out["value_per_victim"], out["loss_per_victim"]
    cap_i = (out["regime"] == CAPPED).astype(float)
    cap_o = (out["opposition_regime"] == CAPPED).astype(float)
    d_vi = cap_i * (m - c * vbar / n_i) + cap_o * loss
    d_vo = cap_o * (m - c * vbar / n_o) + cap_i * loss
    stake_i, stake_o = out["stake_incumbent"], out["stake_opposition"]
    with np.errstate(over="ignore", invalid="ignore"):
        total = stake_i + stake_o
        # stakes whose sum passes the largest float: the same ratios at half scale (as the kernel's P_I)
        huge = np.isinf(total) & np.isfinite(stake_i) & np.isfinite(stake_o)
        half = np.where(huge, 0.5, 1.0)
        total = np.where(huge, 0.5 * stake_i + 0.5 * stake_o, total)
        live = total > 0
        safe = np.where(live, total, 1.0)
        x = np.where(live, (half * stake_o) / safe, 0.5)  # P_O
        d_p_i = np.where(live, (stake_o * d_vi - stake_i * d_vo) / (safe * safe), 0.0)
        # where T² or the products overflow: (S_O d_vi − S_I d_vo)/T² as (P_O d_vi − P_I d_vo)/T
        # (T = safe/half: twice the half-scale total where the sum itself overflowed)
        redo = live & (huge | np.isinf(safe * safe) | ~np.isfinite(d_p_i))
        if redo.any():
            d_p_i = np.where(redo, (x * d_vi - (1.0 - x) * d_vo) / safe * half, d_p_i)
    d_gain = x * x * (3.0 - 2.0 * x) * d_vo - 2.0 * x**3 * d_vi - loss * cap_i
    contested = out["onset_regime"] == CONTESTED
    d_q = np.where(contested, d_gain / eps, 0.0)
    p_i = out["win_prob_incumbent"]
    v_i, v_o = out["victims_if_incumbent_wins"], out["victims_if_opposition_wins"]
    d_deaths_war = d_p_i * (v_i - v_o) + p_i * cap_i + (1.0 - p_i) * cap_o
    d_ed = d_q * out["deaths_given_conflict"] + out["p_conflict"] * d_deaths_war
    return {"challenge_gain": d_gain, "p_conflict": d_q, "expected_deaths": d_ed}


def predicates(values: Mapping[str, Any], out: Mapping[str, Any] | None = None) -> dict[str, np.ndarray]:
    """The model's named conditions, elementwise (booleans).

    ``proportionality_raises_killing`` χ > θδ(1 − 2s); ``only_larger_kills_region``
    m·max(n_I, n_O)/c < min(n_I, n_O); ``cap_binds`` the incumbent's toll is the cap;
    ``cap_deters`` v̄ ≤ v̂ (no killing by the incumbent because of the cap, with a motive);
    ``cap_backfire`` a binding cap whose tightening raises expected deaths (∂ED/∂v̄ < 0);
    ``killing_deters_challenge`` the incumbent would kill (v_I* > 0), so the threat lowers the
    challenge gain by ℓ v_I*.

    Examples
    --------
    >>> from atrogame.models.strategic_mass_killing.params import StrategicMassKillingParams
    >>> p = predicates(StrategicMassKillingParams(killing_cap=0.1, death_loss=2.0).to_dict())
    >>> bool(p["cap_binds"]), bool(p["cap_backfire"])
    (True, True)
    """
    if out is None:
        out = closed_form(values)
    arrs = np.broadcast_arrays(*(np.asarray(values[n], dtype=float) for n in ORDER))
    v = dict(zip(ORDER, arrs, strict=True))
    n_i = v["incumbent_share"]
    big, small = np.maximum(n_i, 1.0 - n_i), np.minimum(n_i, 1.0 - n_i)
    d = cap_derivative(values, out)
    regime = out["regime"]
    return {
        "proportionality_raises_killing": v["headcount_claims"] > v["state_weakness"] * v["future_weight"]
        * (1.0 - 2.0 * v["power_sharing"]),
        "only_larger_kills_region": out["value_per_victim"] * big / v["killing_cost_curvature"] < small,
        "cap_binds": regime == CAPPED,
        "cap_deters": regime == CAP_DETERRED,
        "cap_backfire": (regime == CAPPED) & (d["expected_deaths"] < 0.0),
        "killing_deters_challenge": out["victims_if_incumbent_wins"] > 0.0,
    }
