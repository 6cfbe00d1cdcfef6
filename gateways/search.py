"""Search: channels, users or categories by prefix, words and typos, live ones first."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.channel_views import public_channel
from gateways.errors import ApiError
from gateways.pagination import decode_cursor, encode_cursor, first_param
from gateways.state import Services
from projections import search_reads
from projections.search_reads import KINDS, Kind, Position, as_position, prefix_tsquery

MAX_QUERY = 100


async def search(request: Request) -> Response:
    """`query` (1 to 100 characters) in `type` (channels, users or categories; default
    channels): live first, then by current viewers, then by relevance."""
    services = Services.of(request)
    query, kind, first = _query(request), _kind(request), first_param(request)
    after = _after(request)
    async with services.pool.connection() as conn:
        rows = await search_reads.search(conn, kind, query, first + 1, after)
    page = rows[:first]
    cursor = (encode_cursor(list(search_reads.position(page[-1]))) if len(rows) > first
              else None)
    data = [_hit(kind, row, services.settings.hls) for row in page]
    return JSONResponse({"data": data, "pagination": {"cursor": cursor}})


def _hit(kind: Kind, row: dict[str, Any], hls_base: str) -> dict[str, Any]:
    """A channel as the channel endpoints show it; a user or a category with whether it is
    live and its viewers."""
    if kind == "channels":
        return public_channel(row, hls_base)
    if kind == "users":
        return {"id": str(row["user_id"]), "username": row["username"],
                "display_name": row["display_name"],
                "profile_image_url": row["profile_image_url"], "live": row["live"],
                "viewers": row["viewers"]}
    return {"name": row["name"], "kind": row["kind"], "live": row["live"],
            "viewers": row["viewers"]}


def _query(request: Request) -> str:
    query = request.query_params.get("query", "").strip()
    if len(query) > MAX_QUERY or not query.isprintable() or not prefix_tsquery(query):
        raise ApiError(400, "invalid_parameter", "query must be printable text with a letter "
                       f"or digit, at most {MAX_QUERY} characters", "query")
    return query


def _kind(request: Request) -> Kind:
    raw = request.query_params.get("type", "channels")
    for kind in KINDS:
        if raw == kind:
            return kind
    raise ApiError(400, "invalid_parameter", f"type must be one of {', '.join(KINDS)}", "type")


def _after(request: Request) -> Position | None:
    raw = request.query_params.get("after")
    if raw is None:
        return None
    found = as_position(decode_cursor(raw, list))
    if found is None:
        raise ApiError(400, "invalid_cursor", "after is not a cursor from this API", "after")
    return found
