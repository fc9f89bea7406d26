"""Request guards for a local web app that other web pages must not be able to drive.

- Host header: only the configured names (DNS-rebinding protection; the app binds 127.0.0.1 by default).
- Cross-site requests: a state-changing request (POST, PUT, PATCH, DELETE) that carries an Origin (or, failing
  that, a Referer) naming another origin is refused. Browsers always send Origin on cross-origin POSTs, so a page
  elsewhere cannot start or cancel a run; non-browser clients (curl, the CLI) send neither and are let through.
- Body size: counted while the body is read, whatever Content-Length claims, and cut off at the limit.
"""

from __future__ import annotations

import json
from html import escape
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Message, Receive, Scope, Send

_UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class RequestGuard:
    def __init__(self, app: ASGIApp, *, allowed_hosts: list[str], max_body_bytes: int) -> None:
        self.app = app
        self.allowed_hosts = {h.lower() for h in allowed_hosts}
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if _hostname(host) not in self.allowed_hosts:
            await _reject(send, 400, f"Host {host!r} is not served here (TAILOR_ALLOWED_HOSTS).")
            return
        if scope["method"] in _UNSAFE and not _same_origin(headers, scope.get("scheme", "http"), host):
            await _reject(
                send,
                403,
                "Cross-site request refused: this request came from another web page.",
                html=not scope["path"].startswith("/api/"),
            )
            return
        received = 0
        rejected = False

        async def limited_receive() -> Message:
            # Past the limit, answer 413 ourselves and tell the app the client went away: whatever it was
            # parsing stops, and nothing it sends afterwards reaches the client.
            nonlocal received, rejected
            message = await receive()
            if message["type"] == "http.request" and not rejected:
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    rejected = True
                    limit_mb = self.max_body_bytes / 1e6
                    await _reject(
                        send,
                        413,
                        f"The upload is larger than the {limit_mb:.1f} MB limit (TAILOR_MAX_PDF_BYTES).",
                        html=not scope["path"].startswith("/api/"),
                    )
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not rejected:
                await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not rejected:
                raise


def _hostname(host: str) -> str:
    if host.startswith("["):  # [::1]:8000
        return host[1 : host.find("]")].lower()
    return host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()


def _same_origin(headers: dict[str, str], scheme: str, host: str) -> bool:
    origin = headers.get("origin")
    if origin is None and "referer" in headers:
        parts = urlsplit(headers["referer"])
        origin = f"{parts.scheme}://{parts.netloc}"
    if origin is None:
        return True
    if origin == "null":  # sandboxed iframes, file: pages
        return False
    return origin.lower() == f"{scheme}://{host}".lower()


async def _reject(send: Send, status: int, message: str, *, html: bool = False) -> None:
    if html:  # a page's form post gets a readable page, not JSON
        body = (
            f"<!doctype html><meta charset=utf-8><title>Error {status}</title><h1>Error {status}</h1>"
            f'<p>{escape(message)}</p><p><a href="/">Home</a></p>'
        ).encode()
        content_type = b"text/html; charset=utf-8"
    else:
        body = json.dumps({"detail": message}).encode()
        content_type = b"application/json"
    headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
