"""Sign-in and sign-out: the key is checked, then kept in an HttpOnly, SameSite=Strict cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from talentgap.data.sessions import SESSION_HOURS, close_session, open_session
from talentgap.i18n import msg, translator

from .common import COOKIE, Session, env, language, set_cookie

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, error: str = "") -> HTMLResponse:
    lang = language(request)
    html = env.get_template("login.html").render(t=translator(lang), lang=lang, path="/ui/login",
                                                 error=msg("auth.invalid").in_lang(lang) if error else "",
                                                 query="")
    resp = HTMLResponse(html, status_code=401 if error else 200)
    if request.query_params.get("lang") in ("en", "ko"):
        set_cookie(request, resp, "tg_lang", lang)
    return resp


@router.post("/login")
def login(request: Request, key: Annotated[str, Form()] = "", lang: Annotated[str, Form()] = "") -> Response:
    """Open a session for a valid key; a bad key is never echoed, whatever its length. The form's
    ``lang`` (else the cookie) is kept through the redirect either way."""
    chosen = lang if lang in ("en", "ko") else language(request)
    suffix = f"&lang={chosen}"
    key = key.strip()
    session_id = open_session(request.app.state.store, key=key) if 0 < len(key) <= 200 else None
    if session_id is None:
        return RedirectResponse(f"/ui/login?error=1{suffix}", status_code=303)
    resp = RedirectResponse(f"/ui/?lang={chosen}", status_code=303)
    set_cookie(request, resp, COOKIE, session_id, max_age=SESSION_HOURS * 3600)
    return resp


@router.post("/logout")
def logout(request: Request, session: Session) -> Response:
    close_session(request.app.state.store, request.cookies.get(COOKIE, ""))
    resp = RedirectResponse("/ui/login", status_code=303)
    resp.delete_cookie(COOKIE)
    return resp
