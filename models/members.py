"""The ensemble's local members: per-series kernels on the level and log scales, the guard against runaway
trends, validation weights, the blend with the global member, and how a forecast names what carried it.

Every function works on equally long series at once (arrays ``(n, T)`` on the normalised scale) and on
each row independently, so a series' result never depends on the batch it is computed in.
"""

from __future__ import annotations

import numpy as np

from . import kernels

#: Kernels the ensemble runs on both scales. ``damped_trend`` (ETS(A,Ad,N), :func:`.kernels.damped_trend`)
#: is built and was tried on the development holdout; it made Tourism worse on every variant tried
#: (benchmarks/accuracy/README.md), so it is not a default member.
LOCAL_KERNELS = ("drift", "damped_drift", "theta")
#: Slack, in log units a year, of the runaway guard: a member whose average yearly growth over the ``h`` years
#: leaves [smallest, largest] yearly change seen in the series' history by more than this is replaced by
#: damped drift on the same scale. The tightest slack that did not make the development
#: holdout worse (tighter ones did: benchmarks/accuracy/README.md).
GUARD_SLACK = 0.3
_EXP_CAP = 700.0  # exp(700) is finite; larger exponents are capped


def names(local: tuple[str, ...]) -> list[str]:
    """Candidate names: every kernel on the level scale, then on the log scale."""
    return [f"{k}_level" for k in local] + [f"{k}_log" for k in local]


def candidates(level: np.ndarray, log: np.ndarray, positive: np.ndarray, h: int, local: tuple[str, ...],
               slack: float | None = GUARD_SLACK) -> np.ndarray:
    """Value-scale forecasts (n, candidates, h): every kernel on the level scale, then on the log scale
    (rows that are not positive repeat the level-scale forecast and are never weighted); then the guard."""
    out = [kernels.KERNELS[k](level, h) for k in local]
    out += [np.exp(np.minimum(kernels.KERNELS[k](log, h), _EXP_CAP)) for k in local]
    c = np.stack(out, axis=1)
    n_k = len(local)
    c[~positive, n_k:, :] = c[~positive, :n_k, :]
    if slack is not None and "damped_drift" in local and log.shape[1] >= 2:
        c = guard(c, log, positive, local, slack)
    return c


def guard(c: np.ndarray, log: np.ndarray, positive: np.ndarray, local: tuple[str, ...], slack: float) -> np.ndarray:
    """For positive series, replace a candidate whose average yearly log growth over the ``h`` years leaves the
    range of the series' own yearly log changes (± ``slack``) by damped drift on the same scale: a trend the
    history does not support (a compounding runaway, or a level forecast falling through zero) is not
    extrapolated."""
    n_k = len(local)
    d = np.diff(log, axis=1)
    lo, hi = d.min(axis=1) - slack, d.max(axis=1) + slack
    steps = np.arange(1, c.shape[2] + 1)[None, :]
    at = local.index("damped_drift")
    out = c.copy()
    with np.errstate(all="ignore"):
        for j in range(2 * n_k):
            if j % n_k == at:
                continue
            growth = (np.log(np.maximum(c[:, j, :], 1e-300)) - log[:, -1:]) / steps
            runaway = ((growth < lo[:, None]) | (growth > hi[:, None])).any(axis=1) & positive
            out[runaway, j, :] = c[runaway, (j // n_k) * n_k + at, :]
    return out


def inverse_weights(err: np.ndarray, power: float) -> np.ndarray:
    """Weights (n, M) ∝ error^−power over the candidates with a finite error (rows sum to 1)."""
    w = 1.0 / np.maximum(err, 1e-12) ** power
    w[~np.isfinite(err)] = 0.0
    return w / w.sum(axis=1, keepdims=True)


def combine(weights: np.ndarray, forecasts: np.ndarray) -> np.ndarray:
    """Weighted mean over candidates, (n, M) × (n, M, h) → (n, h). An explicit sum rather than a BLAS
    product, so each row's result is bit-identical whatever the batch it is computed in."""
    return (weights[:, :, None] * forecasts).sum(axis=1)


def blend(local: np.ndarray, global_: np.ndarray, w: np.ndarray | float) -> np.ndarray:
    """``local`` and the global member's forecast mixed with weight ``w`` on the global one: geometric
    where both are positive (growth rates average), arithmetic otherwise; ``local`` where the global
    forecast is missing."""
    w = np.asarray(w, dtype=float)
    with np.errstate(all="ignore"):
        geo = np.exp((1 - w) * np.log(np.maximum(local, 1e-300)) + w * np.log(np.maximum(global_, 1e-300)))
        mixed = np.where((local > 0) & (global_ > 0), geo, (1 - w) * local + w * global_)
    return np.where(np.isfinite(global_), mixed, local)


def describe(cand: list[str], weights: np.ndarray, global_share: np.ndarray) -> np.ndarray:
    """Per series, the members that carried the forecast with their shares, largest first (shares of at
    least 5 %): ``"global 0.40, theta_log 0.35, drift_level 0.25"``."""
    out = np.full(len(weights), "", dtype=object)
    for i, (w, g) in enumerate(zip(weights, global_share)):
        if not np.all(np.isfinite(w)):
            continue
        shares = {name: float(s) * (1 - g) for name, s in zip(cand, w)}
        if g > 0:
            shares["global"] = float(g)
        top = sorted(((s, name) for name, s in shares.items() if s >= 0.05), reverse=True)
        out[i] = ", ".join(f"{name} {s:.2f}" for s, name in top)
    return out
