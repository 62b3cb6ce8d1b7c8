"""What keeps a served catalogue safe: a Content-Security-Policy with a fresh nonce per
response, CSRF tokens for forms and an `Origin` check for JSON writes.

The policy allows scripts and styles from this server only (and a script only with the
response's nonce), so a `<script>` in a title, tag or story that escaped every other guard
still runs nothing. Forms carry a token derived from a per-process secret: a page from
another site cannot read it, so it cannot forge a write."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'none'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
       "img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'; "
       "connect-src 'self'")
# An API page (the docs UI) needs nothing more; every response gets the same policy.
HEADERS = {"x-content-type-options": "nosniff", "referrer-policy": "same-origin",
           "x-frame-options": "DENY", "cross-origin-opener-policy": "same-origin"}


class SecurityHeaders:
    """ASGI middleware: a nonce in `scope["state"]` for the templates, and the policy and
    hardening headers on every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(16)
        scope.setdefault("state", {})["nonce"] = nonce

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["content-security-policy"] = CSP.format(nonce=nonce)
                for name, value in HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, sending)


class Csrf:
    """Tokens for the forms of one server process."""

    def __init__(self, secret: bytes | None = None) -> None:
        self.secret = secret or secrets.token_bytes(32)

    def token(self) -> str:
        return hmac.new(self.secret, b"catalog-form", hashlib.sha256).hexdigest()

    def valid(self, token: Any) -> bool:
        return isinstance(token, str) and hmac.compare_digest(token, self.token())


def same_origin(headers: Any, scheme: str, host: str | None) -> bool:
    """Whether a request's `Origin` (or, without one, `Referer`) is this server: a
    browser always sends one of them with a cross-site write."""
    claimed = headers.get("origin") or headers.get("referer")
    if not claimed or not host:
        return False
    own = f"{scheme}://{host}"
    return bool(claimed == own or claimed.startswith(own + "/"))
