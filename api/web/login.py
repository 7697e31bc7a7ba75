"""Sign-in and sign-out: the key is checked, then kept in an HttpOnly, SameSite=Strict cookie."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..render.i18n import translator
from .common import env, language

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, error: str = "") -> HTMLResponse:
    lang = language(request)
    html = env.get_template("login.html").render(t=translator(lang), lang=lang, error=error, path="/ui/login",
                                                 query="")
    return HTMLResponse(html, status_code=401 if error else 200)


@router.post("/login")
def login(request: Request, key: Annotated[str, Form(max_length=200)]) -> Response:
    key = key.strip()
    suffix = "&lang=ko" if language(request) == "ko" else ""
    if not key or request.app.state.keys.role(key) is None:
        return RedirectResponse(f"/ui/login?error=1{suffix}", status_code=303)
    resp = RedirectResponse("/ui/", status_code=303)
    resp.set_cookie("tg_key", key, httponly=True, samesite="strict", max_age=12 * 3600)
    return resp


@router.post("/logout")
def logout() -> Response:
    resp = RedirectResponse("/ui/login", status_code=303)
    resp.delete_cookie("tg_key")
    return resp
