"""What every web UI page shares: the templates, the signed-in session (role, language, permissions),
page and error-page rendering, and the app's static files and Korean web font."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData

from talentgap.seeds.vocab import EDUCATION, SECTORS

from ..auth import allowed
from ..errors import NotFound
from ..render.formatting import is_web_url
from ..render.i18n import translator

HERE = Path(__file__).resolve().parent
#: UI capability → the action of ``auth.PERMISSIONS`` it needs.
CAN = {"scenario_save": "write", "upload": "write", "gap": "skills", "programme": "skills",
       "report_start": "reports"}

env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html"]))
env.filters["n"] = lambda v, d=0: "" if v is None or v == "" else f"{v:,.{d}f}"
env.filters["q"] = lambda r, d=0: f"{r['p50']:,.{d}f} [{r['p10']:,.{d}f}–{r['p90']:,.{d}f}]"
env.tests["web_url"] = is_web_url


class NeedsLogin(Exception):
    """No valid key in the session cookie: the app redirects to the sign-in page."""


def language(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("tg_lang", "en")
    return "ko" if lang == "ko" else "en"


def current_session(request: Request) -> dict:
    """The signed-in key's role, the page language and what the role may do; :class:`NeedsLogin` if none."""
    key = request.cookies.get("tg_key", "")
    role = request.app.state.keys.role(key) if key else None
    if role is None:
        raise NeedsLogin()
    lang = language(request)
    return {"role": role, "lang": lang, "t": translator(lang),
            "can": {k: allowed(role, action) for k, action in CAN.items()}}


Session = Annotated[dict, Depends(current_session)]


async def read_form(request: Request) -> FormData:
    """The submitted form, read before a plain ``def`` route does its blocking work."""
    return await request.form()


Form_ = Annotated[FormData, Depends(read_form)]


def render(request: Request, template: str, session: dict, status: int = 200, **ctx) -> HTMLResponse:
    html = env.get_template(template).render(request=request, sectors=SECTORS, education=EDUCATION,
                                             path=request.url.path, query=str(request.url.query), **session, **ctx)
    resp = HTMLResponse(html, status_code=status)
    if request.query_params.get("lang") in ("en", "ko"):
        resp.set_cookie("tg_lang", request.query_params["lang"], samesite="strict", httponly=True)
    return resp


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error as an HTML page inside the frame (with the navigation when signed in)."""
    try:
        session = current_session(request)
    except NeedsLogin:
        lang = language(request)
        session = {"role": None, "lang": lang, "t": translator(lang), "can": {k: False for k in CAN}}
    return render(request, "message.html", session, status=status, title=str(status), message=message)


def font_route(app: FastAPI) -> None:
    """Serve the stylesheet and the Korean web font from the app itself (no CDN)."""
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/static-font/NanumGothic.ttf", include_in_schema=False)
    def korean_webfont() -> Response:
        """The Korean font the pages use (the package koreanize-matplotlib ships it)."""
        from ..render.charts import web_font_bytes

        font = web_font_bytes()
        if font is None:
            raise NotFound("no Korean font installed")
        return Response(font, media_type="font/ttf", headers={"Cache-Control": "max-age=86400"})
