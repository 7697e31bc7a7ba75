"""The limits every request is held to before the app sees it: how large its body may be and how long
it may take to arrive, by path (:func:`body_limit`), and how many failed key checks a client address or
a key prefix may make before further attempts are refused for a while (:class:`AuthThrottle`)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from dataclasses import dataclass

from ..service import Settings

#: The sign-in form holds a key (at most 200 characters), the language and the form token.
LOGIN_FORM_BYTES = 8 * 1024
#: A multipart upload carries its part headers and boundaries beside the file.
MULTIPART_OVERHEAD = 64 * 1024
#: Anything else (a GET, the health check, static files) needs no body worth the name.
OTHER_BYTES = 16 * 1024
#: Paths whose body is an uploaded file or a batch of series: they get the upload limit.
UPLOAD_PATHS = ("/api/v1/datasets", "/ui/data/upload", "/api/v1/series/forecast")
#: The slowest transfer rate an upload may keep (bytes a second) when its time limit is set.
MIN_UPLOAD_RATE = 256 * 1024


@dataclass(frozen=True)
class BodyLimit:
    """The most bytes a request's body may hold and the seconds it may take to arrive."""

    max_bytes: int
    seconds: float


def body_limit(method: str, path: str, settings: Settings) -> BodyLimit:
    """The body limit of a request: uploads get the upload size (and time in proportion), the sign-in
    form a few kilobytes, other forms and JSON bodies their own caps, anything else next to nothing."""
    base = settings.body_timeout_seconds
    if method != "POST" and method != "PUT" and method != "PATCH":
        return BodyLimit(OTHER_BYTES, base)
    if path in UPLOAD_PATHS:
        size = settings.max_upload_bytes + MULTIPART_OVERHEAD
        return BodyLimit(size, base + size / MIN_UPLOAD_RATE)
    if path == "/ui/login":
        return BodyLimit(LOGIN_FORM_BYTES, base)
    if path.startswith("/ui/"):
        return BodyLimit(settings.max_form_bytes, base)
    if path.startswith("/api/"):
        return BodyLimit(settings.max_json_bytes, base)
    return BodyLimit(OTHER_BYTES, base)


class AuthThrottle:
    """Failed key checks by name (``ip:<address>``, ``key:<prefix>``): ``failures`` of them within a
    minute lock the name out for ``lockout`` seconds. Kept in memory for this process, at most ``size``
    names (the oldest forgotten first), so a flood of made-up names cannot grow it."""

    WINDOW = 60.0

    def __init__(self, *, failures: int, lockout: float, size: int = 20_000,
                 clock=time.monotonic) -> None:
        self.failures, self.lockout, self.size, self.clock = failures, lockout, size, clock
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()
        self._locked: dict[str, float] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings) -> AuthThrottle:
        return cls(failures=settings.auth_failures_per_minute, lockout=settings.auth_lockout_seconds)

    def retry_after(self, *names: str) -> int:
        """Seconds until every one of ``names`` may try again (0: they may now)."""
        now = self.clock()
        with self._lock:
            until = max((self._locked.get(n, 0.0) for n in names), default=0.0)
        return max(0, int(until - now + 0.999))

    def failed(self, *names: str) -> None:
        """Count a failed attempt against each of ``names``, locking out those past the limit."""
        now = self.clock()
        with self._lock:
            for name in names:
                times = self._seen.pop(name, None) or deque()
                times.append(now)
                while times and times[0] <= now - self.WINDOW:
                    times.popleft()
                self._seen[name] = times
                if len(times) >= self.failures:
                    self._locked[name] = now + self.lockout
                    times.clear()
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)
            if len(self._locked) > self.size:
                self._locked = {n: t for n, t in self._locked.items() if t > now}


def client_names(scope_client: tuple[str, int] | None, key: str) -> tuple[str, ...]:
    """The throttle names of an attempt: the client's address, and the key's first 12 characters
    (a guesser spread over many addresses still meets the key-prefix limit)."""
    names = (f"ip:{scope_client[0] if scope_client else '-'}",)
    return names + ((f"key:{key.strip()[:12]}",) if key.strip() else ())
