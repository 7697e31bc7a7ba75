"""Results are finite numbers or refused: a NaN or an infinity must never reach a page, a JSON body
(where it is not even valid JSON) or a CSV cell. Data far out of range (a value imported past the
plausibility checks, say) can make a model overflow; the result is then refused with a message saying
where, instead of being drawn or stored."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from talentgap.errors import TalentgapError
from talentgap.i18n import msg


class NonFiniteResult(TalentgapError, ValueError):
    """A computed result holding NaN or an infinity (422: the data behind it are out of range)."""

    code = "forecast.not_finite"


def first_non_finite(value: object, path: str = "") -> str | None:
    """The path (``rows[12].demand.p50``) of the first NaN or infinity inside ``value`` (dicts, lists,
    tuples, numpy arrays and scalars), or ``None`` when every number is finite."""
    if isinstance(value, float | np.floating):
        return None if math.isfinite(value) else path or "(value)"
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "f" and not np.isfinite(value).all():
            return f"{path}[{int(np.flatnonzero(~np.isfinite(value.ravel()))[0])}]"
        return None
    if isinstance(value, Mapping):
        for k, v in value.items():
            found = first_non_finite(v, f"{path}.{k}" if path else str(k))
            if found:
                return found
        return None
    if isinstance(value, list | tuple):
        for i, v in enumerate(value):
            found = first_non_finite(v, f"{path}[{i}]")
            if found:
                return found
    return None


def require_finite(result: object, *, what: str, dataset_version: int | None = None) -> None:
    """Raise :class:`NonFiniteResult` naming ``what`` and the place when ``result`` is not all finite."""
    where = first_non_finite(result)
    if where is not None:
        raise NonFiniteResult(msg("forecast.not_finite", what=what, where=where, version=dataset_version))
