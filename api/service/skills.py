"""Skills, skill-profile gaps, the destination model and programme assessments."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from talentgap.data.results import get_result, put_result
from talentgap.data.store import Store
from talentgap.i18n import Listing, Message, gettext, msg, note
from talentgap.models.finite import require_finite
from talentgap.models.sector import MODEL_VERSION, sector_simulation
from talentgap.seeds.vocab import EDUCATION, SECTORS

from ..compute import computing
from .common import NoSkillMatch, SectorsNotComputed, check_sector, spec_for
from .forecasts import failure_reason

if TYPE_CHECKING:
    from talentgap.models.skills import SkillSpace


def _space() -> SkillSpace:
    """The skill space of the taxonomy with the known sectors' links (a stored sector's occupations and
    feeder programmes count as its own)."""
    from talentgap.models.skills import SkillSpace
    from talentgap.seeds.sectors import linked_taxonomy

    return SkillSpace.build(linked_taxonomy())


def catalogue_mismatches(sector: str) -> tuple[float, ...]:
    """The mismatch index of every catalogued programme of ``sector`` (with skills) against the sector's
    demand mix: the scale a programme's own index is placed on."""
    from talentgap.seeds.sectors import current_links

    return _catalogue_mismatches(sector, current_links())


@lru_cache(maxsize=8)
def _catalogue_mismatches(sector: str, links: tuple) -> tuple[float, ...]:
    from talentgap.models.skills import mismatch

    space = _space()
    demand = space.demand_mix(sector)
    return tuple(mismatch(space.vector(p.skills), demand) for p in space.programmes.itertuples()
                 if p.sector == sector and p.skills)


def list_skills(*, sector: str | None = None) -> list[dict]:
    """The skill taxonomy (optionally one sector's skills plus the shared ones)."""
    from talentgap.seeds.sectors import linked_taxonomy

    tax = linked_taxonomy()
    if sector is not None:
        sector = check_sector(sector)  # a Korean or English name: the id
    ids = set(tax.skill_ids(sector))
    return [{"id": r.id, "label_en": r.label_en, "label_ko": r.label_ko, "sectors": list(r.sectors),
             "source_id": r.source_id} for r in tax.skills.itertuples() if r.id in ids]


#: The simulated quantities a skill gap reads; each must be finite.
_GAP_DRAWS = ("openings", "supply", "gap", "cumulative_gap")


def _sector_sims(store: Store, sectors: list[str], horizon: int | None, *,
                 left_out: list[tuple[str, Message]] | None = None) -> dict[str, dict]:
    """Monte-Carlo draws of each sector's trend scenario, cropped to the years all of them cover. With
    ``left_out``, a sector whose model cannot run (or gives numbers out of range) is left out and listed
    there with the reason (:func:`~.forecasts.failure_reason`): it fails alone. Without, it raises."""
    version = store.active_version()
    sims = {}
    for sector in sectors:
        try:
            observations = store.observations(version, sector=sector)
            with computing():
                draws = sector_simulation(spec=spec_for(sector, store, version), observations=observations, scenario="trend",
                                          horizon=horizon).draws
            require_finite({k: draws[k] for k in _GAP_DRAWS if k in draws}, what=f"{sector} simulation",
                           dataset_version=version)
        except Exception as exc:  # noqa: BLE001 - named in the answer, or raised again below
            if left_out is None:
                raise
            left_out.append((sector, failure_reason(exc, sector)))
            continue
        sims[sector] = draws
    if not sims:
        return {}
    first = max(int(s["years"][0]) for s in sims.values())
    cropped = {}
    for sector, sim in sims.items():
        keep = sim["years"] >= first
        cropped[sector] = {k: (v[keep] if k == "years" else v[:, keep]) for k, v in sim.items()
                           if isinstance(v, np.ndarray) and (k == "years" or v.ndim == 2)}
        for key in ("entrants_by_level", "graduates_by_level"):  # by education level: a programme's own
            if isinstance(sim.get(key), dict):
                cropped[sector][key] = {level: v[:, keep] for level, v in sim[key].items()}
    return cropped


def get_gap(*, store: Store, skills: dict[str, float], sector: str | None = None,
            horizon: int | None = None) -> dict:
    """Projected demand (openings), supply and gap for a skill profile, with the matched occupations."""
    from talentgap.models.skills import profile_gap

    space = _space()
    v = space.vector(skills)
    if sector is not None:
        sector = check_sector(sector)  # a Korean or English name: the id
    occ, _ = space.match(v, sectors=[sector] if sector else None)
    version = store.active_version()
    params = {"skills": skills, "sector": sector, "horizon": horizon}
    cached = get_result(store, kind="gap", params=params, dataset_version=version, model_version=MODEL_VERSION)
    if cached is not None:
        return cached
    sectors = sorted(occ["sector"].unique()) or ([sector] if sector else [])
    if not sectors:
        raise NoSkillMatch(msg("skills.no_match"))
    # one sector asked for: its failure is the answer; all sectors: a failing one is left out, said so
    left_out: list[tuple[str, Message]] | None = None if sector else []
    sims = _sector_sims(store, sectors, horizon, left_out=left_out)
    if not sims:
        reasons = Listing([reason for _, reason in left_out or []], sep="; ")
        raise SectorsNotComputed(msg("skills.not_computed", reasons=reasons))
    result = profile_gap(space, skills, sims, sectors=[sector] if sector else (sorted(sims) if left_out else None))
    require_finite(result, what="skill gap", dataset_version=version)
    method = note("gap.method")
    result.update(sector=sector, horizon=horizon, dataset_version=version, model_version=MODEL_VERSION,
                  scenario="trend", method=method, method_id=method.as_dict(),
                  left_out=[{"sector": s, "reason": str(r), "reason_ko": r.in_lang("ko")} for s, r in left_out or []])
    if not left_out:  # a partial answer is not kept: the next request tries the failing sector again
        put_result(store, kind="gap", params=params, dataset_version=version, model_version=MODEL_VERSION,
                   payload=result, keep=False)
    return result


def get_skill_gaps(*, store: Store, sector: str, horizon: int | None = None) -> list[dict]:
    """Openings, supply and gap by skill for one sector."""
    from talentgap.models.skills import gap_by_skill

    sector = check_sector(sector)
    return gap_by_skill(_space(), sector, _sector_sims(store, [sector], horizon)[sector])


def destinations_sector(store: Store, version: int | None = None) -> str | None:
    """The sector whose data hold an alumni destination table (the first, in sector order), or None."""
    with store.read(version) as view:
        for sector in SECTORS:
            if any(s.metric == "alumni_destination" for s in view.series(sector=sector)):
                return sector
    return None


def get_destinations(*, store: Store, sector: str | None = None) -> dict:
    """The alumni destination model of ``sector`` (default: the sector whose data hold an alumni table),
    stored per dataset version. Raises ``ValueError`` when there is no such table."""
    from talentgap.models.destinations import fit_destinations

    version = store.active_version()
    sector = sector or destinations_sector(store, version)
    if sector is None:
        raise ValueError("no alumni destination table in the dataset")
    params = {"sector": sector}
    cached = get_result(store, kind="destinations", params=params, dataset_version=version,
                        model_version=MODEL_VERSION)
    if cached is None:
        cached = fit_destinations(store.observations(version, sector=sector))
        put_result(store, kind="destinations", params=params, dataset_version=version, model_version=MODEL_VERSION,
                   payload=cached)
    return {**cached, "sector": sector}


def _entry_source(kind: str, lang: str, **values: object) -> str:
    """Where a programme assessment's entry rate comes from, in ``lang`` (``entry_source.<kind>`` of the
    ``ui`` catalogue): the result keeps it in English and in Korean."""
    return (gettext(f"entry_source.{kind}", lang) or f"entry_source.{kind}").format(**values)


def assess_programme(*, store: Store, programme: object, horizon: int | None = None) -> dict:
    """A programme's demand outlook, mismatch index and skills to add."""
    from talentgap.models.programme_level import level_part
    from talentgap.models.skills import assess_programme as assess
    from talentgap.models.skills import validate_programme

    space = _space()
    prog = validate_programme(programme, space)
    spec = spec_for(prog["sector"], store)
    sim = _sector_sims(store, [prog["sector"]], horizon)[prog["sector"]]
    part = level_part(sim, spec, prog["degree"])  # openings, supply and entry rate of the programme's level
    assumed = spec.assumptions[part.entry_rate_name]
    entry = part.entry_rate
    source = _entry_source("assumption", "en", sector=prog["sector"], rationale=assumed.rationale)
    source_ko = _entry_source("assumption", "ko", sector=SECTORS[prog["sector"]].label_ko,
                              rationale=assumed.rationale_ko or assumed.rationale)
    if prog["degree"] in ("master", "phd", "master_phd") and destinations_sector(store) == prog["sector"]:
        try:
            dest = get_destinations(store=store, sector=prog["sector"])
        except ValueError:
            dest = None
        if dest:
            degree = "phd" if prog["degree"] == "phd" else "master"
            entry = dest["entry_rate"][degree]
            fit = {"alumni": dest["alumni"], "cv": dest["cv_accuracy"], "baseline": dest["baseline_accuracy"]}
            source = _entry_source("destinations", "en", degree=degree, **fit)
            source_ko = _entry_source("destinations", "ko", degree=EDUCATION[degree].label_ko, **fit)
    sim = {**sim, "openings": part.openings, "supply": part.supply}
    result = assess(space, prog, sim, entry_rate=entry, entry_rate_source=source, entry_rate_source_ko=source_ko)
    result.update(level=part.level, dataset_version=store.active_version(), model_version=MODEL_VERSION,
                  mismatch_method="1 − cosine similarity between the programme's skill mix and the sector's demand mix")
    return result
