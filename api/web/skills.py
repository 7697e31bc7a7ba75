"""The skill-profile gap query and the programme assessment."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from talentgap.errors import TalentgapError
from talentgap.i18n import error_text, msg, pick, translator
from talentgap.seeds.vocab import SECTORS

from .. import service
from ..http.deps import StoreDep
from ..render.charts import gap_chart_svg
from ..render.names import Names
from ..render.numbers import people_range, spaced
from ..render.programme_chart import programme_chart_svg
from .common import Form_, Session, render
from .programme_text import inputs_sentence, mismatch_rank, skill_lines, skills_to_add, verdict

router = APIRouter()


def skill_weights(form, lang: str = "en") -> tuple[dict[str, float], list[str]]:
    """Skill weights from form fields ``w_<skill>`` (blank or 0 = not chosen); messages in ``lang``."""
    chosen, errors = {}, []
    for k, v in form.items():
        if k.startswith("w_") and str(v).strip():
            try:
                w = float(v)
            except ValueError:
                errors.append(msg("form.must_be_number", field=k[2:], value=repr(str(v)[:40])).in_lang(lang))
                continue
            if not 0 <= w < float("inf"):
                errors.append(msg("form.weight_negative", field=k[2:], value=format(w, "g")).in_lang(lang))
            elif w > 0:
                chosen[k[2:]] = w
    if not chosen and not errors:
        errors.append(msg("form.skills_none").in_lang(lang))
    return chosen, errors


def _skills_of(sector: str) -> list[dict]:
    """The chosen sector's skills (with the shared ones), or every skill without a known sector."""
    return service.list_skills(sector=sector) if sector in SECTORS else service.list_skills()


def gap_summary(result: dict, lang: str) -> str:
    """``2035년 이 역량 프로필의 부족 1,200명/년 (800~1,700) · 매칭 직무 3개``."""
    last = result["rows"][-1]
    t = translator(lang)
    value, _, spread = people_range(last["gap"], lang, prose=True).partition(" (")
    return spaced(t("gap_summary").format(year=last["year"], gap=value, range=spread[:-1], n=len(result["matches"])))


@router.get("/gap", response_class=HTMLResponse)
def gap_form(request: Request, session: Session, sector: str = "") -> HTMLResponse:
    return render(request, "gap.html", session, skills=_skills_of(sector), result=None, errors=[], chosen={},
                  chosen_sector=sector if sector in SECTORS else "", summary="", chart="")


@router.post("/gap", response_class=HTMLResponse)
def gap_post(request: Request, session: Session, store: StoreDep, form: Form_) -> HTMLResponse:
    chosen, errors = skill_weights(form, session["lang"])
    result = None
    if not session["can"]["gap"]:
        errors.append(msg("form.not_allowed").in_lang(session["lang"]))
    if not errors:
        sector = str(form.get("sector") or "") or None
        try:
            result = service.get_gap(store=store, skills=chosen, sector=sector)
        except TalentgapError as exc:
            errors.append(error_text(exc, session["lang"]))
    chosen_sector = str(form.get("sector") or "")
    summary = chart = ""
    left_out = [pick(x, "reason", session["lang"]) for x in (result or {}).get("left_out", [])]
    if result:
        summary = gap_summary(result, session["lang"])
        chart = gap_chart_svg({"rows": result["rows"], "notes": []}, lang=session["lang"], desc=summary,
                              chart_id="profile-gap-chart", annotate=False)
    return render(request, "gap.html", session, status=422 if errors else 200, skills=_skills_of(chosen_sector),
                  result=result, errors=errors, chosen=chosen, chosen_sector=chosen_sector, summary=summary,
                  chart=chart, left_out=left_out)


@router.get("/program", response_class=HTMLResponse)
def programme_form(request: Request, session: Session) -> HTMLResponse:
    return render(request, "program.html", session, skills=service.list_skills(), result=None, errors=[], form={},
                  chosen={})


@router.post("/program", response_class=HTMLResponse)
def programme_post(request: Request, session: Session, store: StoreDep, form: Form_) -> HTMLResponse:
    fields = {k: str(v)[:300] for k, v in form.items() if isinstance(v, str)}
    lang = session["lang"]
    chosen, errors = skill_weights(fields, lang)
    result = None
    if not session["can"]["programme"]:
        errors.append(msg("form.not_allowed").in_lang(lang))
    seats = fields.get("seats_per_year", "").strip()
    try:
        seats_value = float(seats)
    except ValueError:
        errors.append(msg("form.must_be_number", field=session["t"]("seats"), value=repr(seats)).in_lang(lang))
        seats_value = 0
    if not errors:
        prog = {"name": fields.get("name", "").strip() or "programme", "sector": fields.get("sector"),
                "degree": fields.get("degree"), "seats_per_year": seats_value, "skills": chosen,
                "region": fields.get("region", "").strip() or None}
        try:
            result = service.assess_programme(store=store, programme=prog)
        except TalentgapError as exc:
            errors.append(error_text(exc, lang))
    words: dict[str, object] = {}
    if result:
        names = Names.from_store(store)
        said = verdict(result, lang)
        words = {"verdict": said, "rank": mismatch_rank(result, lang),
                 "add": skills_to_add(result, names, lang), "inputs": inputs_sentence(result, lang),
                 "add_lines": skill_lines(result, names, lang),
                 "chart": programme_chart_svg(result["outlook"], lang, desc=said)}
    return render(request, "program.html", session, status=422 if errors else 200, skills=service.list_skills(),
                  result=result, errors=errors, form=fields, chosen=chosen, words=words)
