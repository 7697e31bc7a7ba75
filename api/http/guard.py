"""The request guard, outermost around the app (plain ASGI, so it sees a request before anything reads
its body): refuses an API request without a known key before one byte of its body is read, reads at
most the configured number of body bytes — counted as they arrive, chunked or not — and answers 413
past them, and adds the security headers to every response (``nosniff`` everywhere; a strict
Content-Security-Policy on the web UI and on reports).
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from talentgap.i18n import msg

from ..auth import KeyCache, authenticate
from ..errors import AuthError

API = "/api/v1/"
OPEN_API_PATHS = ("/api/v1/health",)
#: No script at all, nothing from another origin; styles and fonts may be inline or data URIs (the
#: pages embed their Korean font subset and style attributes of the server-drawn charts).
UI_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
             "font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
#: A report file is a document, not part of the app: it runs in a sandbox (no script, its own origin).
REPORT_POLICY = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:; "
                 "base-uri 'none'; form-action 'none'; frame-ancestors 'none'; sandbox")


def _json(status: int, code: str, message: str, headers: list[tuple[bytes, bytes]] | None = None) -> tuple:
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    head = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    return {"type": "http.response.start", "status": status, "headers": head + (headers or [])}, body


class RequestGuard:
    """Key before body, a streaming byte cap, and security headers (see the module docstring)."""

    def __init__(self, app: ASGIApp, *, limit: int, keys: KeyCache) -> None:
        self.app, self.limit, self.keys = app, limit, keys

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        send = self._with_headers(send, path)
        refusal = await self._check_key(scope, path)
        if refusal is None:
            refusal = self._check_length(scope)
        if refusal is not None:
            await self._answer(send, *refusal)
            return
        body, refusal = await self._read_body(receive)
        if refusal is not None:
            await self._answer(send, *refusal)
            return
        await self.app(scope, self._replay(body, receive), send)

    async def _check_key(self, scope: Scope, path: str) -> tuple | None:
        if not path.startswith(API) or path in OPEN_API_PATHS:
            return None
        header = dict(scope["headers"]).get(b"authorization", b"").decode("latin-1")
        try:
            await authenticate(self.keys, header)
        except AuthError as exc:
            return _json(401, exc.code, exc.message, [(b"www-authenticate", b"Bearer")])
        return None

    def _check_length(self, scope: Scope) -> tuple | None:
        length = dict(scope["headers"]).get(b"content-length")
        if length is None:
            return None
        if not length.isdigit():
            return _json(400, "request.bad_length", msg("request.bad_length"))
        if int(length) > self.limit:
            return _json(413, "request.too_large", msg("request.too_large", limit=self.limit))
        return None

    async def _read_body(self, receive: Receive) -> tuple[bytes, tuple | None]:
        """The whole body, read chunk by chunk and refused as soon as it passes the limit."""
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return b"", _json(400, "request.disconnected", msg("request.disconnected"))
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:
                return b"", _json(413, "request.too_large", msg("request.too_large", limit=self.limit))
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

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in
                           (b"x-content-type-options", b"content-security-policy")]
                headers.append((b"x-content-type-options", b"nosniff"))
                if policy:
                    headers.append((b"content-security-policy", policy.encode()))
                    headers.append((b"referrer-policy", b"same-origin"))
                message = {**message, "headers": headers}
            await send(message)

        return wrapped
