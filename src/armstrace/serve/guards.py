"""The guards every request passes before the application sees it, as pure ASGI middleware:

- HostCheck: only the host names the server is bound to (or was told to serve) are answered,
  so that a web page cannot read the API through DNS rebinding;
- WriteGuard: a write is refused before its body is read unless it carries the token, and no
  body is read past the configured size (413), so that nobody can fill the server's memory;
- SecurityHeaders: every response, a 500 too, carries SECURITY_HEADERS.

They answer in the API's error shape, `{"detail": message}`.
"""

from __future__ import annotations

from collections.abc import Collection

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; base-uri 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WRITE_PATHS = frozenset({"/api/ingest"})
BODYLESS_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SecurityHeaders:
    """Adds SECURITY_HEADERS to every response (streams pass through untouched)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def host_name(header: str) -> str:
    """The name in a Host header, without its port: "[::1]:8000" -> "::1"."""
    header = header.strip().lower()
    if header.startswith("["):
        end = header.find("]")
        return header[1:end] if end > 0 else header
    name, _, port = header.rpartition(":")
    return name if name and port.isdigit() else header


def allowed_host_names(bound: str, extra: Collection[str] = ()) -> frozenset[str]:
    """The loopback names, the host the server is bound to (unless it is a wildcard address,
    which names no host) and the names given; "*" among them allows any."""
    names = {*LOOPBACK_NAMES, *(name.strip().lower() for name in extra if name.strip())}
    if bound not in ("0.0.0.0", "::", ""):
        names.add(host_name(bound))
    return frozenset(names)


class HostCheck:
    """Refuses (400) a request whose Host header names a host the server does not serve."""

    def __init__(self, app: ASGIApp, allowed: Collection[str]) -> None:
        self.app = app
        self.allowed = frozenset(allowed)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "*" in self.allowed:
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get("host", "")
        if host_name(given) in self.allowed:
            await self.app(scope, receive, send)
            return
        detail = (
            f"this server does not answer for host {given[:100]!r}: it serves "
            f"{', '.join(sorted(self.allowed))}; start it with --allow-host NAME to add one"
        )
        await JSONResponse({"detail": detail}, status_code=400)(scope, receive, send)


class WriteGuard:
    """Checks the token of a write before reading its body, and reads no body (of any request)
    beyond `max_body_bytes`: a larger one is answered 413 as soon as the excess arrives."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in BODYLESS_METHODS:
            await self.app(scope, receive, send)
            return
        if scope["path"] in WRITE_PATHS:
            from armstrace.serve.settings import write_refusal

            refusal = write_refusal(Request(scope))
            if refusal is not None:
                await self._refuse(refusal, scope, receive, send)
                return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_body_bytes):
            await self._too_large(scope, receive, send)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)
            if len(body) > self.max_body_bytes:
                await self._too_large(scope, receive, send)
                return
        await self.app(scope, _replay(bytes(body), receive), send)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = f"{self.max_body_bytes:,}"
        refusal = HTTPException(
            413,
            f"request body over {limit} bytes: send fewer documents per request, or start the "
            "server with a larger --max-body-mb",
        )
        await self._refuse(refusal, scope, receive, send)

    @staticmethod
    async def _refuse(refusal: HTTPException, scope: Scope, receive: Receive, send: Send) -> None:
        response = JSONResponse(
            {"detail": refusal.detail}, status_code=refusal.status_code, headers=refusal.headers
        )
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the body read already, then waits as the server's would."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
