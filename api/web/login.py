"""Sign-in and sign-out: the key is checked, then a server-side session is kept in an HttpOnly,
SameSite=Strict cookie.

The sign-in form is protected like every other form, before there is a session: the page sets a
random form token in a cookie of its own (``tg_login``) and in a hidden field, and a post must carry
both, equal (another site can neither read the token nor set the cookie; the request guard refuses a
post whose ``Origin`` names another site first). Failed sign-ins count against the client's address
and the key's prefix (:class:`talentgap.api.http.limits.AuthThrottle`): past the limit the form answers
429 until the lock-out ends.
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from talentgap.i18n import LANGUAGES, msg, translator

from .. import service
from ..http.limits import client_names
from .common import COOKIE, Session, env, language, set_cookie

router = APIRouter()
#: The cookie holding the sign-in form's token.
FORM_COOKIE = "tg_login"
_TOKEN = re.compile(r"[A-Za-z0-9_\-]{32,64}")


def _form_token(request: Request) -> str:
    sent = request.cookies.get(FORM_COOKIE, "")
    return sent if _TOKEN.fullmatch(sent) else secrets.token_urlsafe(24)


def _page(request: Request, lang: str, *, error: str = "", status: int = 200, headers=None) -> HTMLResponse:
    token = _form_token(request)
    html = env.get_template("login.html").render(t=translator(lang), lang=lang, path="/ui/login", error=error,
                                                 query="", login_token=token)
    resp = HTMLResponse(html, status_code=status, headers=headers)
    set_cookie(request, resp, FORM_COOKIE, token, path="/ui/login")
    if request.query_params.get("lang") in LANGUAGES:
        set_cookie(request, resp, "tg_lang", lang)
    return resp


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, error: str = "") -> HTMLResponse:
    lang = language(request)
    return _page(request, lang, error=msg("auth.invalid").in_lang(lang) if error else "", status=401 if error else 200)


@router.post("/login")
def login(request: Request, key: Annotated[str, Form()] = "", lang: Annotated[str, Form()] = "",
          login_token: Annotated[str, Form()] = "") -> Response:
    """Open a session for a valid key sent with this site's form token; a bad key is never echoed,
    whatever its length. The form's ``lang`` (else the cookie) is kept through the redirect either way."""
    chosen = lang if lang in LANGUAGES else language(request)
    cookie = request.cookies.get(FORM_COOKIE, "")
    if not (cookie and login_token and secrets.compare_digest(cookie.encode(), login_token.encode())):
        return _page(request, chosen, error=msg("csrf.login").in_lang(chosen), status=403)
    throttle = request.app.state.throttle
    names = client_names(request.scope.get("client"), key)
    wait = throttle.retry_after(*names)
    if wait:
        return _page(request, chosen, error=msg("auth.locked", seconds=wait).in_lang(chosen), status=429,
                     headers={"Retry-After": str(wait)})
    session_id = service.sessions.open(store=request.app.state.store, key=key)
    if session_id is None:
        throttle.failed(*names)
        return RedirectResponse(f"/ui/login?error=1&lang={chosen}", status_code=303)
    resp = RedirectResponse(f"/ui/?lang={chosen}", status_code=303)
    set_cookie(request, resp, COOKIE, session_id, max_age=service.sessions.SESSION_HOURS * 3600)
    return resp


@router.post("/logout")
def logout(request: Request, session: Session) -> Response:
    service.sessions.close(store=request.app.state.store, session_id=request.cookies.get(COOKIE, ""))
    resp = RedirectResponse("/ui/login", status_code=303)
    resp.delete_cookie(COOKIE)
    return resp
