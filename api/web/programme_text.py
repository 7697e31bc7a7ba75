"""Words for the programme assessment: a verdict on openings per graduate on a stated scale, the
mismatch index placed among the catalogue's programmes, and the skills to add as names (never a skill
the programme already has, weights within the form's 0–1 range)."""

from __future__ import annotations

from .. import service
from ..render.names import Names
from ..render.numbers import num

VERDICTS = {  # openings per graduate (p50 in the last year) → verdict
    "ko": [(1.2, "구인수요가 졸업생보다 뚜렷이 많습니다 (1 초과: 졸업생보다 일자리가 많음)"),
           (0.9, "구인수요와 졸업생이 비슷합니다 (1 근처: 균형)"),
           (0.0, "졸업생이 구인수요보다 많습니다 (1 미만: 일자리보다 졸업생이 많음)")],
    "en": [(1.2, "clearly more openings than graduates (above 1: more openings than graduates)"),
           (0.9, "openings and graduates about balance (near 1)"),
           (0.0, "more graduates than openings (below 1: fewer openings than graduates)")],
}


def verdict(result: dict, lang: str) -> str:
    """``<name>: 2035년 졸업생 1인당 구인수요 1.17 (0.9~1.5) — …`` on the scale of :data:`VERDICTS`."""
    last = result["outlook"][-1]
    q = last["openings_per_graduate"]
    words = next(text for bound, text in VERDICTS.get(lang, VERDICTS["en"]) if q["p50"] >= bound)
    sep = "~" if lang == "ko" else " to "
    value = f"{num(q['p50'], lang, 2)} ({num(q['p10'], lang, 2)}{sep}{num(q['p90'], lang, 2)})"
    if lang == "ko":
        return f"{result['name']}: {last['year']}년 졸업생 1인당 구인수요 {value} — {words}."
    return f"{result['name']}: {value} openings per graduate in {last['year']} — {words}."


def mismatch_rank(result: dict, lang: str) -> str:
    """Where the programme's mismatch stands among the catalogue's programmes of its sector."""
    others = service.skills.catalogue_mismatches(result["sector"])
    if not others:
        return ""
    higher = sum(1 for m in others if m > result["mismatch"])
    share = round(100 * higher / len(others))
    if lang == "ko":
        return (f"불일치 지수 {num(result['mismatch'], lang, 2)} (0 = 산업 수요와 같은 역량 구성, 1 = 전혀 다름): "
                f"같은 산업의 등록 교육과정 {len(others)}개 중 {share} %보다 낮습니다(좋음).")
    return (f"Mismatch index {num(result['mismatch'], lang, 2)} (0 = the sector's demand mix, 1 = nothing in common): "
            f"lower (better) than {share} % of the {len(others)} catalogued programmes of this sector.")


def skills_to_add(result: dict, names: Names, lang: str) -> list[dict]:
    """The model's suggestions (skills the programme lacks, weights within its own scale), each with its name."""
    return [{**s, "label": names.skill(s["skill"], lang)} for s in result.get("skills_to_add", [])]
