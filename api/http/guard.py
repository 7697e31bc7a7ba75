"""The request guard, outermost around the app (plain ASGI, so it sees a request before anything reads
its body). Before one byte of a body is read it refuses:

- a path with control characters (400);
- an API request without a known key (401), or from a client address or key prefix locked out after
  too many failed key checks (429 with ``Retry-After``; :class:`~.limits.AuthThrottle`);
- a web form posted from another origin (``Origin``/``Referer`` naming another site: 403), and any
  web form but the sign-in form without a live session (303 to the sign-in page);
- a declared length past the path's limit (413; :func:`~.limits.body_limit`).

Then it reads the body as it arrives, up to the path's limit (413 past it) and within the path's time
(408 for a body that stalls or trickles), and only then calls the app. Every refusal closes the
connection, so a client cannot keep sending into it.

On the way out it adds the protective headers (``nosniff`` everywhere; a strict Content-Security-Policy
on the web UI and on reports), ``Cache-Control: no-store`` on API and UI answers that set no caching of
their own, and turns an absolute redirect into a relative one (the ``Host`` header is never echoed).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from urllib.parse import unquote, urlsplit

from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from talentgap.i18n import msg

from ..auth import KeyCache, authenticate, bearer_key, session_role
from ..errors import AuthError
from ..service import Settings
from .limits import AuthThrottle, BodyLimit, body_limit, client_names

API = "/api/v1/"
OPEN_API_PATHS = ("/api/v1/health",)
#: Web forms a visitor without a session may post.
OPEN_FORMS = ("/ui/login",)
SESSION_COOKIE = "tg_session"
#: No script at all, nothing from another origin; styles and fonts may be inline or data URIs (the
#: pages embed their Korean font subset and style attributes of the server-drawn charts).
UI_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
             "font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
#: A report file is a document, not part of the app: it runs in a sandbox (no script, its own origin).
REPORT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
                 "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CLOSE = (b"connection", b"close")

Refusal = tuple[Message, bytes]


def _json(status: int, code: str, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> Refusal:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), _CLOSE]
    return {"type": "http.response.start", "status": status, "headers": head + (headers or [])}, body


def _to_login() -> Refusal:
    head = [(b"location", b"/ui/login"), (b"content-length", b"0"), _CLOSE]
    return {"type": "http.response.start", "status": 303, "headers": head}, b""


def _cookie(scope: Scope, name: str) -> str:
    header = dict(scope["headers"]).get(b"cookie", b"").decode("latin-1")
    for part in header.split(";"):
        k, _, v = part.strip().partition("=")
        if k == name:
            return v
    return ""


class RequestGuard:
    """Checks before the body, a capped and timed body, and response headers (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, settings: Settings, keys: KeyCache, throttle: AuthThrottle) -> None:
        self.app, self.settings, self.keys, self.throttle = app, settings, keys, throttle

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        send = self._with_headers(send, path)
        limit = body_limit(scope["method"], path, self.settings)
        try:
            refusal = self._check_path(path, scope.get("query_string", b"")) or await self._check_key(scope, path) or \
                await self._check_form(scope, path) or self._check_length(scope, limit)
        except SQLAlchemyError:
            refusal = _json(503, "store.unavailable", msg("store.unavailable"), [(b"retry-after", b"30")])
        if refusal is not None:
            await self._answer(send, *refusal)
            return
        body, refusal = await self._read_body(receive, limit)
        if refusal is not None:
            await self._answer(send, *refusal)
            return
        await self.app(scope, self._replay(body, receive), send)

    @staticmethod
    def _check_path(path: str, query: bytes = b"") -> Refusal | None:
        """A control character in the path or the query (``%00`` included: PostgreSQL text cannot hold
        NUL) is refused before anything looks the value up."""
        if _CONTROL.search(path) or _CONTROL.search(unquote(query.decode("latin-1"))):
            return _json(400, "request.bad_path", msg("request.bad_path"))
        return None

    async def _check_key(self, scope: Scope, path: str) -> Refusal | None:
        if not path.startswith(API) or path in OPEN_API_PATHS:
            return None
        header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        try:
            key = bearer_key(header)
        except AuthError as exc:
            return _json(401, exc.code, exc.message, [(b"www-authenticate", b"Bearer")])
        names = client_names(scope.get("client"), key)
        wait = self.throttle.retry_after(*names)
        if wait:
            return _json(429, "auth.locked", msg("auth.locked", seconds=wait), [(b"retry-after", str(wait).encode())])
        try:
            await authenticate(self.keys, header)
        except AuthError as exc:
            self.throttle.failed(*names)
            return _json(401, exc.code, exc.message, [(b"www-authenticate", b"Bearer")])
        return None

    async def _check_form(self, scope: Scope, path: str) -> Refusal | None:
        """A web form: from this site only, and (but for the sign-in form) from a live session."""
        if scope["method"] != "POST" or not path.startswith("/ui/"):
            return None
        if not same_origin(scope):
            return _json(403, "csrf.origin", msg("csrf.origin"))
        if path in OPEN_FORMS:
            return None
        cookie = _cookie(scope, SESSION_COOKIE)
        if not cookie or await run_in_threadpool(session_role, self.keys.store, cookie) is None:
            return _to_login()
        return None

    @staticmethod
    def _check_length(scope: Scope, limit: BodyLimit) -> Refusal | None:
        length = dict(scope["headers"]).get(b"content-length")
        if length is None:
            return None
        if not length.isdigit():
            return _json(400, "request.bad_length", msg("request.bad_length"))
        if int(length) > limit.max_bytes:
            return _json(413, "request.too_large", msg("request.too_large", limit=limit.max_bytes))
        return None

    async def _read_body(self, receive: Receive, limit: BodyLimit) -> tuple[bytes, Refusal | None]:
        """The whole body, read chunk by chunk: refused as soon as it passes the size limit, or when it
        takes longer than the time limit or stalls for ``body_idle_seconds``."""
        chunks, size = [], 0
        deadline = time.monotonic() + limit.seconds
        while True:
            wait = min(deadline - time.monotonic(), self.settings.body_idle_seconds)
            try:
                message = await asyncio.wait_for(receive(), timeout=max(wait, 0.0))
            except TimeoutError:
                return b"", _json(408, "request.timeout", msg("request.timeout", seconds=round(limit.seconds)))
            if message["type"] == "http.disconnect":
                return b"", _json(400, "request.disconnected", msg("request.disconnected"))
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit.max_bytes:
                return b"", _json(413, "request.too_large", msg("request.too_large", limit=limit.max_bytes))
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks), None

    @staticmethod
    def _replay(body: bytes, receive: Receive) -> Receive:
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay

    @staticmethod
    async def _answer(send: Send, start: Message, body: bytes) -> None:
        await send(start)
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _with_headers(send: Send, path: str) -> Send:
        report_file = path.endswith("/download") and "/reports/" in path
        policy = REPORT_POLICY if report_file else UI_POLICY if path.startswith(("/ui", "/static")) else None
        private = path.startswith(("/api/", "/ui"))

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, relative(v) if k.lower() == b"location" else v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"x-content-type-options", b"content-security-policy")]
                headers.append((b"x-content-type-options", b"nosniff"))
                if policy:
                    headers.append((b"content-security-policy", policy.encode()))
                    headers.append((b"referrer-policy", b"same-origin"))
                if private and not any(k.lower() == b"cache-control" for k, _ in headers):
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        return wrapped


def relative(location: bytes) -> bytes:
    """A redirect target without scheme and host (``http://evil.example/ui/`` → ``/ui/``): redirects stay
    on the site the browser asked, whatever the request's ``Host`` header said."""
    parts = urlsplit(location.decode("latin-1"))
    if not parts.scheme and not parts.netloc:
        return location
    path = "/" + parts.path.lstrip("/")
    return (path + (f"?{parts.query}" if parts.query else "")).encode("latin-1")


def same_origin(scope: Scope) -> bool:
    """Whether a request's ``Origin`` (else ``Referer``) names the host it was sent to; a request with
    neither (not from a browser form) passes, one from an opaque origin (``null``) does not."""
    headers = dict(scope["headers"])
    host = headers.get(b"host", b"").decode("latin-1").lower()
    origin = headers.get(b"origin")
    source = origin if origin is not None else headers.get(b"referer")
    if source is None:
        return True
    parts = urlsplit(source.decode("latin-1").strip())
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == host
