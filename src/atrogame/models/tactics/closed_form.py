"""The vectorised closed form of the tactics model (nested CES perpetrator, enabler market).

:func:`closed_form` takes arrays that broadcast against each other (per-tactic arrays carry
the tactic axis last) and returns every outcome. Shares are computed each from its own
exponent, so a share near 1 never costs the other share its digits; ``σ_T = 1`` and ``σ = 1``
are handled by the Cobb–Douglas forms within 1e-9 and by a cumulant form (``log1p``/``expm1``)
near 1, so results are continuous there. With a finite enabler-supply elasticity the enabler
net price is the root of one scalar equation in ``ln ν``, solved per point by a vectorised
safeguarded Newton iteration. The maths is on docs/explanation/tactics.md.

Examples
--------
>>> from atrogame.models.tactics.params import TacticsParams
>>> out = closed_form(TacticsParams().kernel_values())
>>> out["tactic_levels"].round(9).tolist(), round(float(out["deaths"]), 9), round(float(out["control"]), 9)
([12.5, 12.5, 12.5, 12.5], 15.0, 25.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["CD_TOL", "ces_dual", "closed_form", "elasticities", "outcome_gradients"]

#: |σ − 1| below this uses the Cobb–Douglas forms.
CD_TOL = 1e-9


def ces_dual(lnw: np.ndarray, y: np.ndarray, t: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit-cost index and cost shares of a CES aggregate with weights summing to 1.

    ``lnw``: log weights (axis 0 = inputs), ``y = ln(price/(productivity·weight))``,
    ``t = 1 − σ``. Returns ``(ln P, ln S)`` with ``ln P = ȳ + ln(Σ w e^{t(y−ȳ)})/t`` (the
    cumulant form: exact at any ``t``, no cancellation near ``t = 0``) and
    ``ln S_i = ln w_i + t(y_i − ȳ) − ln Σ w e^{t(y−ȳ)}``; where that sum overflows, the same
    quantities centred on the largest ``y`` (``t > 0``) or the smallest (``t < 0``), whose
    exponents are all ≤ 0, so a huge ``|t|`` gives the limit of perfect substitutes or
    complements rather than NaN.
    """
    t = np.asarray(t, dtype=float)
    w = np.exp(lnw)
    ybar = np.sum(w * y, axis=0)
    td = t * (y - ybar)
    # Σ w e^{td} ≥ 1 (Jensen, Σ w·td = 0), so log1p(Σ w expm1(td)) has an absolute error of a
    # few ulps for every t, and its rounding error scales with t as t → 0: one formula serves
    # near and far from σ = 1. Only |td| > 700 (price ratios beyond e^700, or a huge |t|) needs
    # the form centred on the extreme y below.
    with np.errstate(over="ignore", invalid="ignore"):
        L = np.log1p(np.sum(w * np.expm1(td), axis=0))
        big = ~np.isfinite(L)
    cd = np.abs(t) < CD_TOL
    if np.any(cd):
        lnP = ybar + np.where(cd, 0.0, L / np.where(cd, 1.0, t))
        lnS = np.where(cd, lnw, lnw + td - L)
    else:
        lnP = ybar + L / t
        lnS = lnw + td - L
    if np.any(big):
        # Centred on the extreme y (the largest for t > 0, the smallest for t < 0) every exponent
        # t(y − y*) is ≤ 0, so nothing overflows even where t(y − ȳ) does (σ near 1e308, say):
        # ln P = y* + L*/t and ln S = ln w + t(y − y*) − L*, with L* = ln Σ w e^{t(y − y*)} ≤ 0.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            ystar = np.where(t > 0, np.max(y, axis=0), np.min(y, axis=0))
            a = lnw + t * (y - ystar)
            m = np.max(a, axis=0)
            Ls = m + np.log(np.sum(np.exp(a - m), axis=0))
            lnP = np.where(big, ystar + Ls / np.where(big, t, 1.0), lnP)
            lnS = np.where(big, a - Ls, lnS)
    return lnP, lnS


def _log(x: Any) -> np.ndarray:
    with np.errstate(divide="ignore"):
        return np.log(np.asarray(x, dtype=float))


def _at_price(v: Mapping[str, Any], pE: np.ndarray, objective: str, with_inner: bool = True) -> dict[str, Any]:
    """Demands and shares when the enabler price is ``pE``; per-tactic arrays have the tactic
    axis *first* here (``v`` as prepared by :func:`_tactic_first`)."""
    om = v["tactic_weights"]
    lnw = _log(om) - _log(np.sum(om, axis=0))
    b = v["tactic_productivity"]
    e = v["enabler_intensity"]
    iota = np.asarray(v["ideology"], dtype=float)
    q = v["tactic_cost"] + e * pE + (1.0 - iota) * v["tactic_sanction"]
    eR = np.asarray(v["enabler_intensity_rebels"], dtype=float)
    pR = np.asarray(v["cost_rebels"], dtype=float) + eR * pE
    sigT = np.asarray(v["tactic_substitution"], dtype=float)
    lnq = _log(q)
    lnPC, lnS = ces_dual(lnw, lnq - _log(b) - lnw, 1.0 - sigT)
    theta = np.asarray(v["share_rebels"], dtype=float)
    sigma = np.asarray(v["substitution_elasticity"], dtype=float)
    lt0, lt1 = _log(theta), _log(1.0 - theta)
    yR = _log(pR) - _log(v["productivity_rebels"]) - lt0
    yC = lnPC - _log(v["productivity_civilians"]) - lt1
    bR, bC, b0, b1 = np.broadcast_arrays(yR, yC, lt0, lt1)
    lnPZ, lns = ces_dual(np.stack((b0, b1)), np.stack((bR, bC)), 1.0 - sigma)
    lnA = _log(v["tfp"])
    if objective == "max_control":
        lnB = np.broadcast_to(_log(v["resources"]), lnPZ.shape)
        lnZ = lnA + lnB - lnPZ
    else:
        lnZ = np.broadcast_to(_log(v["control_target"]), lnPZ.shape)
        lnB = lnZ + lnPZ - lnA
    lnsR, lnsC = lns[0], lns[1]
    S = np.exp(lnS)
    sR, sC = np.exp(lnsR), np.exp(lnsC)
    B = np.exp(lnB)
    T = S * (sC * B) / q  # products keep relative precision (no subtraction)
    R = sR * B / pR
    # enabler demand, in logs: ln X = ln B + ln(e_R s_R/p_R + s_C Σ e_k S_k/q_k)
    inner = (eR * sR / pR + sC * np.sum(e * S / q, axis=0)) if with_inner else None
    return {"q": q, "pR": pR, "lnPC": lnPC, "S": S, "sR": sR, "sC": sC, "B": B, "lnB": lnB,
            "lnZ": lnZ, "T": T, "R": R, "inner": inner, "e": e, "eR": eR}


def _demand_elasticity(d: Mapping[str, np.ndarray], pE: np.ndarray, sigT: Any, sigma: Any,
                       objective: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ε_D, ∂ln T_k/∂ln p_E, ∂ln R/∂ln p_E) at fixed supply (tactic axis first)."""
    sigT = np.asarray(sigT, dtype=float)
    sigma = np.asarray(sigma, dtype=float)
    S, sR, sC = d["S"], d["sR"], d["sC"]
    phi = d["e"] * pE / d["q"]
    phiR = d["eR"] * pE / d["pR"]
    Phi = np.sum(S * phi, axis=0)
    if objective == "max_control":
        sbar = sigma * sR + sC
        dT = ((sigT - sbar) * Phi + (sigma - 1.0) * sR * phiR) - sigT * phi
        dR = (sigma - 1.0) * sC * Phi - (sigma * sC + sR) * phiR
    else:
        dT = ((sigT - sigma * sR) * Phi + sigma * sR * phiR) - sigT * phi
        dR = sigma * sC * Phi - sigma * sC * phiR
    X = d["eR"] * d["R"] + np.sum(d["e"] * d["T"], axis=0)
    num = d["eR"] * d["R"] * dR + np.sum(d["e"] * d["T"] * dT, axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        epsD = np.where(X > 0, -num / np.where(X > 0, X, 1.0), 0.0)
    return epsD, dT, dR


def _enabler_root(v: Mapping[str, Any], shape: tuple[int, ...], objective: str) -> np.ndarray:
    """ln ν solving ln X^D(s_E + ν) = ln X̄_E + ε_E ln(ν/c_E), per point (finite ε_E only)."""
    flat = dict(v)  # one point per entry: shape (n,), per-tactic (K, n)
    n = int(np.prod(shape)) if shape else 1
    eps = flat["enabler_supply_elasticity"]
    lncE = np.log(flat["enabler_cost"])
    lnX = np.log(flat["enabler_capacity"])

    def g(u: np.ndarray, idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        sub = {k: (a[:, idx] if k in _PER_TACTIC_KEYS else a[idx]) for k, a in flat.items()}
        nu = np.exp(u)
        pE = sub["enabler_sanction"] + nu
        d = _at_price(sub, pE, objective)
        with np.errstate(divide="ignore"):
            val = d["lnB"] + np.log(d["inner"]) - lnX[idx] - eps[idx] * (u - lncE[idx])
        epsD, _, _ = _demand_elasticity(d, pE, sub["tactic_substitution"], sub["substitution_elasticity"],
                                        objective)
        return val, -epsD * nu / pE - eps[idx]

    u0 = lncE.copy()
    all_idx = np.arange(n)
    g0, _ = g(u0, all_idx)
    lo, hi = u0.copy(), u0.copy()
    glo, ghi = g0.copy(), g0.copy()
    for _ in range(800):  # expand by steps of 2 in u until the sign changes
        need = np.flatnonzero(glo < 0)
        if need.size == 0:
            break
        lo[need] -= 2.0
        glo[need], _ = g(lo[need], need)
    for _ in range(800):
        need = np.flatnonzero(ghi > 0)
        if need.size == 0:
            break
        hi[need] += 2.0
        ghi[need], _ = g(hi[need], need)
    x = np.where(g0 == 0, u0, 0.5 * (lo + hi))
    active = np.flatnonzero(g0 != 0)
    for _ in range(200):
        if active.size == 0:
            break
        gx, dg = g(x[active], active)
        pos = gx > 0
        lo[active] = np.where(pos, x[active], lo[active])
        hi[active] = np.where(pos, hi[active], x[active])
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = x[active] - gx / dg
        ok = np.isfinite(newton) & (newton > lo[active]) & (newton < hi[active])
        nxt = np.where(gx == 0, x[active], np.where(ok, newton, 0.5 * (lo[active] + hi[active])))
        step = np.abs(nxt - x[active])
        x[active] = nxt
        done = (gx == 0) | (step <= 1e-15 * np.maximum(1.0, np.abs(nxt))) | (
            hi[active] - lo[active] <= 1e-15 * np.maximum(1.0, np.abs(nxt)))
        active = active[~done]
    return x.reshape(shape)


_PER_TACTIC_KEYS = frozenset({"tactic_weights", "tactic_cost", "tactic_sanction", "tactic_productivity",
                              "lethality", "enabler_intensity"})


def _tail(k: str) -> int:
    return 1 if k in _PER_TACTIC_KEYS else 0


def _tactic_first(arrays: Mapping[str, np.ndarray], ndim: int) -> dict[str, np.ndarray]:
    """Per-tactic arrays moved to a contiguous tactic-first layout (fast reductions over K),
    padded so that they broadcast against ``ndim``-dimensional scalar arrays."""
    out = {}
    for k, a in arrays.items():
        if k in _PER_TACTIC_KEYS:
            a = np.ascontiguousarray(np.moveaxis(a, -1, 0))
            out[k] = a.reshape(a.shape[:1] + (1,) * (ndim - (a.ndim - 1)) + a.shape[1:])
        else:
            out[k] = a
    return out


def closed_form(v: Mapping[str, Any], objective: str = "max_control", *,
                diagnostics: bool = True) -> dict[str, np.ndarray]:
    """Every outcome of the tactics model, vectorised (per-tactic outputs: tactic axis last).

    ``v`` maps each parameter of :class:`TacticsParams` (numeric ones) to arrays; ``harm_matrix``
    is ``(G, K)`` and ``harm_weights`` ``(G,)``. Returns ``tactic_levels``, ``tactic_prices``,
    ``tactic_shares``, ``harms`` (axis ``G`` last) and the scalar outcomes, plus ``chi_E``
    (enabler pass-through), ``mu`` (marginal control of resources, or marginal cost of control
    under min_cost) and ``regime`` (always 0); with ``diagnostics`` also ``epsilon_D`` (the
    enabler demand elasticity), ``dlnT_dlnpE`` and ``dlnR_dlnpE``.
    """
    arrays = {k: np.asarray(val, dtype=float) for k, val in v.items()}
    scal_shapes = [a.shape[:-1] if k in _PER_TACTIC_KEYS else a.shape
                   for k, a in arrays.items() if k not in ("harm_matrix", "harm_weights")]
    shape = np.broadcast_shapes(*scal_shapes)
    eps = np.broadcast_to(arrays["enabler_supply_elasticity"], shape)
    cE = arrays["enabler_cost"]
    sE = arrays["enabler_sanction"]
    e_last = arrays["enabler_intensity"]
    uses = (np.asarray(arrays["enabler_intensity_rebels"]) > 0) | np.any(e_last > 0, axis=-1)
    finite = np.isfinite(eps) & np.broadcast_to(uses, shape)
    tf = _tactic_first(arrays, len(shape))
    if np.any(finite):
        nu = np.array(np.broadcast_to(cE, shape), dtype=float)
        sub_shape = (int(np.count_nonzero(finite)),)
        sub = {}
        for k, a in arrays.items():
            if k in ("harm_matrix", "harm_weights"):
                continue
            tail = a.shape[-1:] if k in _PER_TACTIC_KEYS else ()
            sub[k] = np.broadcast_to(a, shape + tail)[finite]
        nu[finite] = np.exp(_enabler_root(_tactic_first(sub, 1), sub_shape, objective))
        pE = np.broadcast_to(sE, shape) + nu
    else:
        nu = np.broadcast_to(cE, shape)
        pE = sE + cE
    d = _at_price(tf, np.asarray(pE), objective, with_inner=False)
    T, R, q, pR = d["T"], d["R"], d["q"], d["pR"]
    out: dict[str, Any] = {}
    if diagnostics or np.any(finite):
        epsD, dT, dR = _demand_elasticity(d, np.asarray(pE), arrays["tactic_substitution"],
                                          arrays["substitution_elasticity"], objective)
        epsb = np.where(finite, eps, 1.0)
        chi = np.where(finite, epsb * pE / (epsb * pE + epsD * nu), 1.0)
        if diagnostics:
            out.update({"epsilon_D": epsD, "dlnT_dlnpE": np.moveaxis(dT, 0, -1), "dlnR_dlnpE": dR})
    else:
        chi = np.ones(shape)
    lam = tf["lethality"]
    deaths = np.sum(lam * T, axis=0) + arrays["lethality_rebels"] * R
    H = arrays.get("harm_matrix", np.zeros((0, T.shape[0])))
    hw = arrays.get("harm_weights", np.zeros(H.shape[0]))
    harms = np.tensordot(H, T, axes=(1, 0)) if H.size else np.zeros((0, *T.shape[1:]))
    harm_index = deaths + np.tensordot(hw, harms, axes=(0, 0)) if hw.size else deaths + 0.0
    Z = np.exp(d["lnZ"])
    cost = d["B"]
    X = d["eR"] * R + np.sum(d["e"] * T, axis=0)
    PC = np.exp(d["lnPC"])
    EC = d["sC"] * cost
    out.update({
        "tactic_levels": np.moveaxis(T, 0, -1),
        "tactic_prices": np.moveaxis(np.broadcast_to(q, T.shape), 0, -1),
        "tactic_shares": np.moveaxis(d["S"], 0, -1),
        "civilian_violence": EC / PC,
        "civilian_price_index": PC,
        "civilian_spending": EC,
        "civilian_share": d["sC"],
        "rebel_share": d["sR"],
        "rebel_attacks": R,
        "price_rebels": pR,
        "enabler_price": pE,
        "enabler_net_price": nu,
        "enabler_input": X,
        "control": Z,
        "cost": cost,
        "deaths": deaths,
        "harms": np.moveaxis(harms, 0, -1),
        "harm_index": harm_index,
        "chi_E": chi,
        "mu": Z / cost if objective == "max_control" else cost / Z,
        "regime": np.zeros(shape, dtype=np.int8),
    })
    return out


def elasticities(out: Mapping[str, Any], sigT: Any, sigma: Any, kind: str = "marshall") -> np.ndarray:
    """The (K+1)×(K+1) matrix ∂ln x_i/∂ln p_j (index 0 = rebels, 1.. = tactics), fixed p_E.

    ``kind``: ``"marshall"`` (resources fixed), ``"hicks"`` (control fixed) or
    ``"conditional"`` (civilian-violence spending fixed; the rebel row and column are 0).
    """
    S = np.asarray(out["tactic_shares"], dtype=float)
    sR = np.asarray(out["rebel_share"], dtype=float)[..., None, None]
    sC = np.asarray(out["civilian_share"], dtype=float)[..., None, None]
    sigT = np.asarray(sigT, dtype=float)[..., None, None]
    sigma = np.asarray(sigma, dtype=float)[..., None, None]
    K = S.shape[-1]
    eye = np.eye(K)
    Sj = S[..., None, :]
    E = np.zeros((*S.shape[:-1], K + 1, K + 1))
    if kind == "marshall":
        sbar = sigma * sR + sC
        E[..., 1:, 1:] = Sj * (sigT - sbar) - sigT * eye
        E[..., 1:, :1] = (sigma - 1.0) * sR
        E[..., :1, 1:] = (sigma - 1.0) * sC * Sj
        E[..., 0, 0] = -(sigma * sC + sR)[..., 0, 0]
    elif kind == "hicks":
        E[..., 1:, 1:] = Sj * (sigT - sigma * sR) - sigT * eye
        E[..., 1:, :1] = sigma * sR
        E[..., :1, 1:] = sigma * sC * Sj
        E[..., 0, 0] = -(sigma * sC)[..., 0, 0]
    elif kind == "conditional":
        E[..., 1:, 1:] = Sj * (sigT - 1.0) - sigT * eye
    else:
        raise ValueError(f"kind must be 'marshall', 'hicks' or 'conditional'; got {kind!r}")
    return E


def outcome_gradients(out: Mapping[str, Any], v: Mapping[str, Any], weights: Any = None,
                      weight_rebels: Any = None) -> dict[str, np.ndarray]:
    """Derivatives of a linear outcome Y = Σ η_k T_k + ψ_Y R (default: deaths) under max_control.

    Returns the sufficient statistics (``d``, ``dbar``, ``dR``, ``kappa``) and ``dY_dlnq``
    (per tactic), ``dY_dlnpR``, ``dY_ds`` (per tactic), ``dY_duniform``, ``dY_dmixneutral``,
    ``dY_dpE`` (fixed supply), ``dY_dsE`` (with the enabler market), ``dY_dlnb`` (per tactic),
    ``dY_dM``, ``dY_dideology``. The maths is on docs/explanation/tactics.md.
    """
    T = np.asarray(out["tactic_levels"])
    q = np.asarray(out["tactic_prices"])
    S = np.asarray(out["tactic_shares"])
    R = np.asarray(out["rebel_attacks"])
    pR = np.asarray(out["price_rebels"])
    sR = np.asarray(out["rebel_share"])
    sC = np.asarray(out["civilian_share"])
    eta = np.asarray(v["lethality"] if weights is None else weights, dtype=float)
    psi = np.asarray(v["lethality_rebels"] if weight_rebels is None else weight_rebels, dtype=float)
    sigT = np.asarray(v["tactic_substitution"], dtype=float)
    sigma = np.asarray(v["substitution_elasticity"], dtype=float)
    iota = np.asarray(v["ideology"], dtype=float)
    s = np.asarray(v["tactic_sanction"], dtype=float)
    e = np.asarray(v["enabler_intensity"], dtype=float)
    eR = np.asarray(v["enabler_intensity_rebels"], dtype=float)
    d = eta / q
    dbar = np.sum(S * d, axis=-1)
    dR = psi / pR
    sbar = sigma * sR + sC
    kappa = sbar * dbar - (sigma - 1.0) * sR * dR
    bracket = sigT[..., None] * (dbar[..., None] - d) - kappa[..., None]
    dY_dlnq = q * T * bracket
    dY_dlnpR = R * pR * ((sigma - 1.0) * sC * dbar - (sigma * sC + sR) * dR)
    dY_ds = (1.0 - iota)[..., None] * T * bracket
    N = np.sum(T, axis=-1)
    dY_du = (1.0 - iota) * (sigT * np.sum(T * (dbar[..., None] - d), axis=-1) - kappa * N)
    EC = np.asarray(out["civilian_spending"])
    dY_dpE = np.sum(e * T * bracket, axis=-1) + eR * R * ((sigma - 1.0) * sC * dbar - (sigma * sC + sR) * dR)
    Y = np.sum(eta * T, axis=-1) + psi * R
    # the enabler market's response (finite ε_E): dp_E/dθ = χ_E (ν/ε_E) ∂ln X^D/∂θ at fixed p_E
    M = np.asarray(out["cost"])
    X = np.asarray(out["enabler_input"])
    E = elasticities(out, sigT, sigma, "marshall")
    xs = np.concatenate([R[..., None], T], axis=-1)
    es = np.concatenate([eR[..., None], e], axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        wts = np.where(X[..., None] > 0, es * xs / np.where(X > 0, X, 1.0)[..., None], 0.0)
    dlnX_dlnq = np.einsum("...i,...ij->...j", wts, E)[..., 1:]  # ∂ln X^D/∂ln q_j at fixed p_E
    eps = np.asarray(v.get("enabler_supply_elasticity", np.inf), dtype=float)
    finite = np.isfinite(eps)
    nu = np.asarray(out["enabler_net_price"])
    k = np.where(finite, np.asarray(out["chi_E"]) * nu / np.where(finite, eps, 1.0), 0.0)
    dpE_ds = k[..., None] * (1.0 - iota)[..., None] * dlnX_dlnq / q
    dpE_dw = k[..., None] * dlnX_dlnq / q
    dpE_dM = k / M
    dpE_diota = -k * np.sum(dlnX_dlnq * s / q, axis=-1)
    return {
        "dY_ds_total": dY_ds + dY_dpE[..., None] * dpE_ds,
        "dY_dw_total": T * bracket + dY_dpE[..., None] * dpE_dw,
        "dY_dM_total": Y / M + dY_dpE * dpE_dM,
        "dY_dideology_total": -np.sum(s * T * bracket, axis=-1) + dY_dpE * dpE_diota,
        "dpE_ds": dpE_ds, "dpE_dM": dpE_dM,
        "d": d, "dbar": dbar, "dR": dR, "kappa": kappa, "bracket": bracket,
        "dY_dlnq": dY_dlnq, "dY_dlnpR": dY_dlnpR, "dY_ds": dY_ds, "dY_duniform": dY_du,
        "dY_dmixneutral": -kappa * EC,
        "dY_dpE": dY_dpE, "dY_dsE": np.asarray(out["chi_E"]) * dY_dpE,
        "dY_dlnb": -q * T * (bracket + d),
        "dY_dw": T * bracket,
        "dY_dM": Y / np.asarray(out["cost"]),
        "dY_dideology": -np.sum(s * T * bracket, axis=-1),
        "Y": Y,
    }
