"""Headers every response carries: a Content-Security-Policy, nosniff, a Referrer-Policy.

The web app's pages get a policy that allows what the app loads: its own scripts and styles, HLS
from the media server's origin (fetched by hls.js and played from blob: URLs), images from the
media base URL, and the chat WebSocket to the host that served the page. Everything else (the
API's JSON, uploaded images) gets a policy that allows nothing.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config.settings import Settings
from gateways.web import RESERVED

NOTHING = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"


def origin(url: str) -> str:
    """The origin of an absolute URL; 'self' for a path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme else "'self'"


def app_policy(settings: Settings, host: str) -> str:
    hls, media = origin(settings.hls), origin(settings.media_base_url)
    thumbnails = origin(settings.thumbnails)
    sockets = f"ws://{host} wss://{host}" if host else ""
    return "; ".join([
        "default-src 'self'", "script-src 'self'", "style-src 'self'",
        f"img-src 'self' data: {media} {thumbnails}", f"media-src 'self' blob: {hls}",
        f"connect-src 'self' {hls} {sockets}".strip(), "worker-src 'self' blob:",
        "object-src 'none'", "base-uri 'none'", "form-action 'self'", "frame-ancestors 'none'",
    ])


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        api = path.startswith(RESERVED) or f"{path}/".startswith(RESERVED)
        host = Headers(scope=scope).get("host", "")
        policy = NOTHING if api else app_policy(self.settings, host)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", policy)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("X-Frame-Options", "DENY")
            await send(message)

        await self.app(scope, receive, send_with_headers)
