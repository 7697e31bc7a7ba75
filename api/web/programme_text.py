"""Words for the programme assessment: a verdict on openings per graduate on a stated scale, the
mismatch index placed among the catalogue's programmes, and the skills to add as names and in people
(never a skill the programme already has, weights within the form's 0–1 range)."""

from __future__ import annotations

from talentgap.i18n import translator

from .. import service
from ..render.names import Names, education_name, sector_name
from ..render.numbers import between, num, people_range, plain

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
    """Each skill to add in a sentence: its name, the weight, and the sector's gap in people with the skill
    in the outlook's last year (a shortage, or the surplus in positive people), with its 80 % range."""
    t = translator(lang)
    lines = []
    for s in result.get("skills_to_add", []):
        q = s.get("gap")
        if not q:
            continue
        surplus = q["p50"] < 0
        if surplus:  # said as "more people than openings", so in positive people
            q = {"p10": -q["p90"], "p50": -q["p50"], "p90": -q["p10"]}
        median, _, spread = people_range(q, lang, prose=True).partition(" (")
        words = t("skill_add_line_surplus") if surplus else t("skill_add_line")
        lines.append(words.format(
            skill=names.skill(s["skill"], lang), weight=num(s["weight"], lang, 1), year=s["gap_year"],
            gap=median, range=spread.removesuffix(")")))
    return lines
