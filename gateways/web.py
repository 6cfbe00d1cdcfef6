"""The web app: the built single-page app (web/dist) at `/`, with client routes answered by its
index.html. The API's own prefixes are never shadowed: an unknown path under them stays a 404."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Match, Mount, Route
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

log = logging.getLogger(__name__)

DIST = Path(__file__).resolve().parent.parent / "web" / "dist"
RESERVED = ("/api/", "/oauth2/", "/helix/", "/eventsub/", "/mock/", "/auth/", "/ws/", "/ingest/",
            "/media/", "/health", "/ready")
# Built assets carry a content hash in their names; index.html must always be fetched again.
IMMUTABLE = {"Cache-Control": "public, max-age=31536000, immutable"}
REVALIDATE = {"Cache-Control": "no-cache"}


class ClientRoute(Route):
    """Matches any path outside the reserved prefixes."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path: str = scope.get("path", "")
        if path.startswith(RESERVED) or f"{path}/".startswith(RESERVED):
            return Match.NONE, {}
        return super().matches(scope)


class HashedAssets(StaticFiles):
    def file_response(self, full_path: PathLike, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers.update(IMMUTABLE)
        return response


def routes(dist: Path = DIST) -> list[BaseRoute]:
    """The app's routes, to go after every other route; none when it has not been built."""
    index = dist / "index.html"
    if not index.is_file():
        log.warning("web app not built (no %s): only the API is served; `make run` builds it",
                    index)
        return []
    log.info("serving the web app from %s", dist)
    # Files beside index.html (an icon, robots.txt); any other path is a client route.
    files = {path.name: path for path in dist.iterdir() if path.is_file()}

    async def page(request: Request) -> Response:
        return FileResponse(files.get(request.path_params["path"], index), headers=REVALIDATE)

    return [
        Mount("/assets", HashedAssets(directory=dist / "assets", check_dir=False), name="assets"),
        ClientRoute("/{path:path}", page, methods=["GET", "HEAD"]),
    ]
