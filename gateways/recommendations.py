"""GET live channels recommended to the caller (signed in or not), each with its reason.

What every viewer shares (live channels, the co-viewing graph) is kept per gateway process
and rebuilt when older than its refresh interval; a viewer's history is read per request.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from analytics.versions import live_database, reading
from config.settings import Settings
from gateways.auth import principal
from gateways.pagination import First
from gateways.queries import Query
from gateways.state import Services
from recommendations import (
    CoViewingGraph,
    CoViewingInputs,
    LiveNow,
    Recommendation,
    Recommender,
    ViewerHistory,
    sources,
)


class Recommended(Query):
    first: First = 10


@dataclass(frozen=True)
class Snapshot:
    recommender: Recommender
    names: dict[str, tuple[str, str]]  # channel -> (display name, title)
    live_at: float
    graph_at: float


class Snapshots:
    """The current snapshot; one request at a time rebuilds a stale one."""

    def __init__(self) -> None:
        self.current: Snapshot | None = None
        self.lock = asyncio.Lock()

    async def get(self, services: Services) -> Snapshot:
        async with self.lock:
            self.current = await _refreshed(self.current, services)
            return self.current


async def recommendations(request: Request) -> Response:
    services = Services.of(request)
    first = Recommended.of(request).first
    caller = await principal(request)
    snapshots: Snapshots = _snapshots(request)
    snapshot = await snapshots.get(services)
    recommender, viewer = snapshot.recommender, None
    if caller is not None and caller.user_id is not None:
        recommender, viewer = await _viewer(services, snapshot, caller.user_id)
    picked = recommender.recommend(viewer, first)
    thumbnails = services.settings.thumbnails
    return JSONResponse({"data": [_public(r, snapshot.names, thumbnails) for r in picked]})


def _snapshots(request: Request) -> Snapshots:
    if not hasattr(request.app.state, "recommendations"):
        request.app.state.recommendations = Snapshots()
    snapshots: Snapshots = request.app.state.recommendations
    return snapshots


async def _refreshed(snapshot: Snapshot | None, services: Services) -> Snapshot:
    settings, now = services.settings, time.monotonic()
    if snapshot and now - snapshot.live_at < settings.recommendations_live_refresh_s:
        return snapshot
    async with services.reads.connection() as conn:
        live = await sources.live_channels(conn)
        database = await live_database(conn, settings)
    graph, graph_at = (snapshot.recommender.coviewing, snapshot.graph_at) if snapshot else (
        None, 0.0)
    if graph is None or now - graph_at >= settings.recommendations_graph_refresh_s:
        inputs = await asyncio.to_thread(_coviewing, settings, database)
        graph, graph_at = CoViewingGraph.build(inputs), now
    recommender = Recommender(LiveNow.of(entry[0] for entry in live.values()), graph, {})
    names = {channel: (entry[1], entry[2]) for channel, entry in live.items()}
    return Snapshot(recommender, names, now, graph_at)


async def _viewer(services: Services, snapshot: Snapshot, user_id: str
                  ) -> tuple[Recommender, ViewerHistory]:
    async with services.reads.connection() as conn:
        followed = await sources.follows(conn, user_id)
        database = await live_database(conn, services.settings)
        minutes = await asyncio.to_thread(_watch_minutes, services.settings, database, user_id)
        categories = await sources.categories(conn, list(minutes))
    recommender = replace(snapshot.recommender, channel_categories=categories)
    return recommender, ViewerHistory(minutes, followed)


def _coviewing(settings: Settings, database: str) -> CoViewingInputs:
    with reading(settings, database) as client:
        return sources.coviewing(client, settings.recommendations_min_watch_minutes)


def _watch_minutes(settings: Settings, database: str, viewer_id: str) -> dict[str, float]:
    with reading(settings, database) as client:
        return sources.watch_minutes(client, viewer_id)


def _public(pick: Recommendation, names: dict[str, tuple[str, str]], thumbnails: str
            ) -> dict[str, Any]:
    """A live channel: its thumbnail is a template as in the channel resources."""
    display_name, title = names.get(pick.channel, (pick.channel, ""))
    reason = {"kind": str(pick.reason.kind)}
    if pick.reason.watched:
        reason["watched"] = pick.reason.watched
    if pick.reason.category:
        reason["category"] = pick.reason.category
    return {"channel": pick.channel, "display_name": display_name, "title": title,
            "category": pick.category, "viewers": pick.viewers, "reason": reason,
            "explanation": pick.explanation,
            "thumbnail_url": f"{thumbnails}/{pick.channel}-{{width}}x{{height}}.jpg"}
