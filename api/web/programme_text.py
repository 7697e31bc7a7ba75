"""Words for the programme assessment: a verdict on openings per graduate on a stated scale, the
mismatch index placed among the catalogue's programmes, and the skills to add as names (never a skill
the programme already has, weights within the form's 0–1 range)."""

from __future__ import annotations

from talentgap.i18n import translator

from .. import service
from ..render.names import Names, education_name, sector_name
from ..render.numbers import between, num, plain

#: Openings per graduate (p50 in the last year) from which a verdict holds → its ``ui`` catalogue id.
VERDICTS = [(1.2, "verdict.more_openings"), (0.9, "verdict.balance"), (0.0, "verdict.more_graduates")]


def verdict(result: dict, lang: str) -> str:
    """``<name>: 2035년 졸업생 1인당 구인수요 1.17 (0.9~1.5) — …`` on the scale of :data:`VERDICTS`."""
    last = result["outlook"][-1]
    q = last["openings_per_graduate"]
    t = translator(lang)
    words = t(next((key for bound, key in VERDICTS if q["p50"] >= bound), VERDICTS[-1][1]))
    value = f"{num(q['p50'], lang, 2)} ({plain(between(num(q['p10'], lang, 2), num(q['p90'], lang, 2), lang))})"
    return t("programme_verdict").format(name=result["name"], year=last["year"], value=value, words=words)


def mismatch_rank(result: dict, lang: str) -> str:
    """Where the programme's mismatch stands among the catalogue's programmes of its sector."""
    others = service.skills.catalogue_mismatches(result["sector"])
    if not others:
        return ""
    higher = sum(1 for m in others if m > result["mismatch"])
    share = round(100 * higher / len(others))
    return translator(lang)("mismatch_rank").format(index=num(result["mismatch"], lang, 2), share=share,
                                                    count=len(others))


def skills_to_add(result: dict, names: Names, lang: str) -> list[dict]:
    """The model's suggestions (skills the programme lacks, weights within its own scale), each with its name."""
    return [{**s, "label": names.skill(s["skill"], lang)} for s in result.get("skills_to_add", [])]


def inputs_sentence(result: dict, lang: str) -> str:
    """The question the answer is for: the programme's name, seats, level, sector and region."""
    t = translator(lang)
    return t("programme_inputs").format(name=result["name"], seats=num(result["seats_per_year"], lang),
                                        level=education_name(result["degree"], lang),
                                        sector=sector_name(result["sector"], lang),
                                        region=result.get("region") or t("all_regions"))


def skill_lines(result: dict, names: Names, lang: str) -> list[str]:
    """Each skill to add in a sentence: its name, the weight and the mismatch before and after."""
    t = translator(lang)
    return [t("skill_add_line").format(skill=names.skill(s["skill"], lang), weight=num(s["weight"], lang, 1),
                                       before=num(result["mismatch"], lang, 2),
                                       after=num(s["mismatch_after"], lang, 2))
            for s in result.get("skills_to_add", [])]
