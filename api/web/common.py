"""What every web UI page shares: the templates, the signed-in session (role, language, permissions),
page and error-page rendering, and the app's static files and Korean web font."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from talentgap.errors import TalentgapError
from talentgap.i18n import LANGUAGES, choose_language, localize, msg, translator
from talentgap.seeds.vocab import EDUCATION, SECTORS

from .. import service
from ..auth import allowed
from ..errors import NotFound
from ..render.formatting import is_web_url
from ..render.jinja import install_formatting

HERE = Path(__file__).resolve().parent
#: UI capability → the action of ``auth.PERMISSIONS`` it needs.
CAN = {"scenario_save": "write", "upload": "write", "gap": "skills", "programme": "skills",
       "report_start": "reports", "sectors": "sectors"}

env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
env.tests["web_url"] = is_web_url


install_formatting(env)


class NeedsLogin(Exception):
    """No valid key in the session cookie: the app redirects to the sign-in page."""


def language(request: Request) -> str:
    """The page language (:func:`talentgap.i18n.choose_language`: query, cookie, ``Accept-Language``, English)."""
    return choose_language(request.query_params.get("lang"), request.cookies.get("tg_lang"),
                           request.headers.get("accept-language"))


#: The cookie that carries the session id (never the API key).
COOKIE = "tg_session"


class CsrfError(TalentgapError, ValueError):
    """A form posted without the session's CSRF token (another site's form, or a stale page)."""

    code = "csrf.invalid"
    status = 403


def current_session(request: Request) -> dict:
    """The signed-in key's role, the page language, what the role may do and the session's CSRF token;
    :class:`NeedsLogin` without a live session (blocking: reads the store)."""
    info = service.sessions.find(store=request.app.state.store, session_id=request.cookies.get(COOKIE, ""))
    if info is None:
        raise NeedsLogin()
    lang = language(request)
    return {"role": info.role, "key_name": info.key_name, "lang": lang, "t": translator(lang), "csrf": info.csrf,
            "can": {k: allowed(info.role, action) for k, action in CAN.items()}}


async def checked_session(request: Request) -> dict:
    """:func:`current_session`, and for a POST the form's ``csrf`` field must be the session's token."""
    session = await run_in_threadpool(current_session, request)
    if request.method == "POST":
        sent = (await request.form()).get("csrf", "")
        if not isinstance(sent, str) or not secrets.compare_digest(sent.encode(), session["csrf"].encode()):
            raise CsrfError(msg("csrf.invalid"))
    return session


Session = Annotated[dict, Depends(checked_session)]


def set_cookie(request: Request, response: Response, name: str, value: str, **kw) -> None:
    """An HttpOnly, SameSite=Strict cookie, Secure when the request came over HTTPS (directly, or through
    a proxy that says so: uvicorn takes ``X-Forwarded-Proto`` from trusted proxies)."""
    response.set_cookie(name, value, httponly=True, samesite="strict", secure=request.url.scheme == "https", **kw)


async def read_form(request: Request) -> FormData:
    """The submitted form, read before a plain ``def`` route does its blocking work."""
    return await request.form()


Form_ = Annotated[FormData, Depends(read_form)]


def render(request: Request, template: str, session: dict, status: int = 200, **ctx) -> HTMLResponse:
    html = env.get_template(template).render(request=request, sectors=SECTORS, education=EDUCATION,
                                             path=request.url.path, query=str(request.url.query), **session, **ctx)
    resp = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        set_cookie(request, resp, "tg_lang", request.query_params["lang"])
    return resp


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error as an HTML page inside the frame (with the navigation when signed in), its message in the
    page's language when it comes from the errors catalogue (:func:`talentgap.i18n.msg`)."""
    try:
        session = current_session(request)
    except (NeedsLogin, SQLAlchemyError):  # signed out, or the database is the error being shown
        lang = language(request)
        session = {"role": None, "key_name": "", "lang": lang, "t": translator(lang), "csrf": "",
                   "can": {k: False for k in CAN}}
    return render(request, "message.html", session, status=status, title=str(status),
                  message=localize(message, session["lang"]))


def font_route(app: FastAPI) -> None:
    """Serve the stylesheet, scripts and the Korean web font from the app itself (no CDN)."""
    from ..render.fonts import WEB_FONT_VERSION, web_font_bytes

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get(f"/static-font/NanumGothic-{WEB_FONT_VERSION}.woff2", include_in_schema=False)
    def korean_webfont() -> Response:
        """The Korean font the pages use as a subset WOFF2; its URL carries the subset's version, so
        browsers may keep it for a year."""
        font = web_font_bytes()
        if font is None:
            raise NotFound(msg("font.missing"))
        return Response(font, media_type="font/woff2",
                        headers={"Cache-Control": "public, max-age=31536000, immutable"})
