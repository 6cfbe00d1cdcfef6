"""Search Categories and Search Channels: Castline's search (gateways.search), live channels
first, in Helix's shape."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from gateways.auth import Principal
from gateways.helix.api import helix, page
from gateways.helix.params import rfc3339
from gateways.pagination import AFTER, BAD_CURSOR, First, cursor_of, encode_cursor
from gateways.queries import Query, Refusal
from gateways.search import SearchText, hit_position
from gateways.state import Services
from projections import helix_reads, search_reads
from projections.search_reads import Kind, Position


class SearchQuery(Query):
    query: SearchText
    first: First = 20
    after: Annotated[Position | None, cursor_of(hit_position), Field(description=AFTER),
                     BAD_CURSOR] = None


class ChannelSearchQuery(SearchQuery):
    live_only: Annotated[bool, Field(description="only live channels"), Refusal(
        "invalid_parameter", "live_only must be true or false")] = False


async def _hits(request: Request, kind: Kind, query: SearchQuery
                ) -> tuple[list[dict[str, Any]], str | None, dict[str, int]]:
    """A page of hits, the cursor past it, and the category ids of the names in it."""
    async with Services.of(request).reads.connection() as conn:
        rows = await search_reads.search(conn, kind, query.query, query.first + 1, query.after)
        names = [row["category" if kind == "channels" else "name"] for row in rows]
        ids = {row["name"]: row["id"] for row in await helix_reads.categories(conn, [], names)}
    shown = rows[:query.first]
    cursor = (encode_cursor(list(search_reads.position(shown[-1]))) if len(rows) > query.first
              else None)
    return shown, cursor, ids


@helix
async def search_categories(request: Request, _caller: Principal) -> Response:
    rows, cursor, ids = await _hits(request, "categories", SearchQuery.of(request))
    return page([{"id": str(ids[row["name"]]), "name": row["name"], "box_art_url": ""}
                 for row in rows], cursor)


def _channel(row: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
    return {
        "id": str(row["owner_id"] or ""), "broadcaster_login": row["channel"],
        "display_name": row["display_name"], "broadcaster_language": row["language"] or "other",
        "game_id": str(ids.get(row["category"], "")), "game_name": row["category"],
        "is_live": row["live"], "tags": list(row["tags"]), "tag_ids": [],
        "thumbnail_url": row["profile_image_url"] or "", "title": row["title"],
        "started_at": rfc3339(row["live_since"]) if row["live"] else "",
    }


@helix
async def search_channels(request: Request, _caller: Principal) -> Response:
    """Live channels come first: `live_only` ends the list at the first offline one."""
    query = ChannelSearchQuery.of(request)
    rows, cursor, ids = await _hits(request, "channels", query)
    if query.live_only and not all(row["live"] for row in rows):
        rows, cursor = [row for row in rows if row["live"]], None
    return page([_channel(row, ids) for row in rows], cursor)
