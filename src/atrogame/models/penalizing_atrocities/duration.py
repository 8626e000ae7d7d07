"""The battle-sequence war: victory odds and expected duration (after Kydd 2022).

The lead L (government battle wins minus rebel battle wins) starts at 0, moves +1 with
probability p_b and −1 otherwise, and is absorbed at ±n (gambler's ruin from the middle
of [−n, n]). Per-battle odds are normalised so that the war-level odds equal Π for every
n, so n sets how long the war lasts and never who wins it. With u = Π^(1/n) and
v = (1 − Π)^(1/n) (so u^n + v^n = 1):

    p_b = u / (u + v),    E(Π; n) = n (u + v) Σ_{j=0}^{n−1} u^j v^(n−1−j).

This is atrogame's own reconstruction; see docs/explanation/penalizing_atrocities.md.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["absorbing_chain", "battle_prob", "duration", "duration_slope", "duration_tanh"]


def _groups(n: Any, shape: tuple[int, ...]) -> list[tuple[int, Any]]:
    """(integer n, boolean mask or None) for each distinct n in a broadcast array."""
    n_arr = np.asarray(n, dtype=float)
    if n_arr.ndim == 0 or np.all(n_arr == n_arr.flat[0]):
        return [(int(n_arr.flat[0]), None)]
    nb = np.broadcast_to(n_arr, shape)
    return [(int(k), nb == k) for k in np.unique(nb)]


def _uv(pi: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    inv = 1.0 / n
    return np.power(pi, inv), np.power(1.0 - pi, inv)


def battle_prob(pi: Any, n: Any) -> np.ndarray:
    """Per-battle win probability p_b = u/(u + v) that makes the war-level odds Π.

    Examples
    --------
    >>> round(float(battle_prob(0.776393202, 2)), 6)
    0.650761
    >>> float(battle_prob(0.3, 1))
    0.3
    """
    pi = np.asarray(pi, dtype=float)
    shape = np.broadcast_shapes(pi.shape, np.shape(n))
    out = np.empty(shape)
    for k, mask in _groups(n, shape):
        u, v = _uv(np.broadcast_to(pi, shape), k)
        val = u / (u + v)
        if mask is None:
            out[...] = val
        else:
            out[mask] = val[mask]
    return out


#: Largest lead summed term by term; above it E and E′ come from the closed forms in
#: :func:`_duration_long` (a sum of 2^53 terms would never finish).
LOOP_MAX = 1024


def _duration_long(pi: np.ndarray, k: float) -> tuple[np.ndarray, np.ndarray]:
    """E and dE/dΠ for a lead k > :data:`LOOP_MAX`: with y = logit(Π)/(2k), the sum
    Σ u^j v^(k−1−j) = (2Π − 1)/(u − v) gives E = k (2Π − 1) coth y (k² at Π = ½, k at Π ∈ {0, 1})
    and E′ = 2k coth y − (2Π − 1) csch² y / (2Π(1 − Π)) (0 at Π = ½)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        y = (np.log(pi) - np.log1p(-pi)) / (2.0 * k)
        t = np.tanh(y)
        c = 2.0 * pi - 1.0
        E = np.where(y == 0.0, k * k, k * c / t)
        s2 = 1.0 / (t * t) - 1.0  # csch² y
        Ep = np.where(y == 0.0, 0.0, 2.0 * k / t - c * s2 / (2.0 * pi * (1.0 - pi)))
    return E, Ep


def duration(pi: Any, n: Any) -> np.ndarray:
    """Expected number of battles E(Π; n), eq. D (no singularity at Π = ½).

    Vectorised over Π and over arrays of integer n (each distinct n is one pass).

    Examples
    --------
    >>> duration([0.5, 0.776393202], 2).round(6).tolist()
    [4.0, 3.666646]
    >>> round(float(duration(0.5, 3)), 12), float(duration(0.9, 1))
    (9.0, 1.0)
    """
    pi = np.asarray(pi, dtype=float)
    shape = np.broadcast_shapes(pi.shape, np.shape(n))
    out = np.empty(shape)
    for k, mask in _groups(n, shape):
        if k > LOOP_MAX:
            val = _duration_long(np.broadcast_to(pi, shape), float(k))[0]
        else:
            u, v = _uv(np.broadcast_to(pi, shape), k)
            total = np.zeros(shape)
            for j in range(k):
                total += u**j * v ** (k - 1 - j)
            val = k * (u + v) * total
        if mask is None:
            out[...] = val
        else:
            out[mask] = val[mask]
    return out


def duration_slope(pi: Any, n: Any) -> np.ndarray:
    """dE/dΠ, differentiating eq. D term by term (infinite at Π ∈ {0, 1} for n ≥ 2).

    With u' = u/(nΠ) and v' = −v/(n(1 − Π)):
    E' = (u/Π − v/(1 − Π)) Σ t_j + (u + v)(Σ j t_j / Π − Σ (n − 1 − j) t_j / (1 − Π)),
    t_j = u^j v^(n−1−j).

    Examples
    --------
    >>> float(duration_slope(0.5, 3)), float(duration_slope(0.3, 1))
    (0.0, 0.0)
    >>> p = 0.2; round(float(duration_slope(p, 2)), 10) == round(2 * (1 - 2 * p) / (p * (1 - p)) ** 0.5, 10)
    True
    """
    pi = np.asarray(pi, dtype=float)
    shape = np.broadcast_shapes(pi.shape, np.shape(n))
    out = np.empty(shape)
    for k, mask in _groups(n, shape):
        if k == 1:
            val = np.zeros(shape)
        elif k > LOOP_MAX:
            val = _duration_long(np.broadcast_to(pi, shape), float(k))[1]
        else:
            p = np.broadcast_to(pi, shape)
            u, v = _uv(p, k)
            s0 = np.zeros(shape)
            sj = np.zeros(shape)
            sk = np.zeros(shape)
            for j in range(k):
                t = u**j * v ** (k - 1 - j)
                s0 += t
                sj += j * t
                sk += (k - 1 - j) * t
            with np.errstate(divide="ignore", invalid="ignore"):
                val = (u / p - v / (1.0 - p)) * s0 + (u + v) * (sj / p - sk / (1.0 - p))
        if mask is None:
            out[...] = val
        else:
            out[mask] = val[mask]
    return out


def duration_tanh(pi: Any, n: Any) -> np.ndarray:
    """The equivalent form E = n tanh(n y)/tanh(y), y = logit(Π)/(2n) (an independent check).

    Near y = 0 it uses n²[1 − (n² − 1)y²/3]. Vectorises over arrays of n directly.

    Examples
    --------
    >>> duration_tanh([0.5, 0.776393202], 2).round(6).tolist()
    [4.0, 3.666646]
    """
    pi = np.asarray(pi, dtype=float)
    n = np.asarray(n, dtype=float)
    y = np.log(pi / (1.0 - pi)) / (2.0 * n)
    small = np.abs(y) < 1e-4
    ys = np.where(small, 1.0, y)
    with np.errstate(over="ignore"):
        exact = n * np.tanh(n * ys) / np.tanh(ys)
    return np.where(small, n**2 * (1.0 - (n**2 - 1.0) * y**2 / 3.0), exact)


def absorbing_chain(p_b: Any, n: int) -> tuple[np.ndarray, np.ndarray]:
    """P(government wins) and expected battles from the absorbing chain of the lead.

    Transient states are the leads −n+1, ..., n−1 (2n − 1 states); both quantities are
    exact linear solves, (I − Q) x = b, batched over an array of p_b.

    Examples
    --------
    >>> win, dur = absorbing_chain([0.5, 0.6], 2)
    >>> win.round(6).tolist(), dur.round(4).tolist()   # 0.36/(0.36 + 0.16), 2 + 4·0.48
    ([0.5, 0.692308], [4.0, 3.8462])
    """
    shape = np.shape(p_b)
    p = np.asarray(p_b, dtype=float).reshape(-1)
    m = 2 * n - 1
    Q = np.zeros((p.size, m, m))
    b = np.zeros((p.size, m))
    idx = np.arange(m)
    up = idx[:-1]
    Q[:, up, up + 1] = p[:, None]
    Q[:, up + 1, up] = (1.0 - p)[:, None]
    b[:, m - 1] = p  # from lead n − 1 a win is absorbed at +n
    A = np.eye(m)[None] - Q
    rhs = np.stack([b, np.ones((p.size, m))], axis=-1)
    sol = np.linalg.solve(A, rhs)
    mid = n - 1
    return sol[:, mid, 0].reshape(shape), sol[:, mid, 1].reshape(shape)
