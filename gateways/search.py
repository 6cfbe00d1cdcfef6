"""Search: channels, users or categories by prefix, words and typos, live ones first."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from config.settings import Settings
from gateways.channel_views import public_channel
from gateways.pagination import AFTER, BAD_CURSOR, First, cursor_of, encode_cursor
from gateways.queries import Query, Refusal
from gateways.state import Services
from projections import search_reads
from projections.search_reads import KINDS, Kind, Position, as_position, prefix_tsquery

MAX_QUERY = 100


def _searchable(query: str) -> str:
    if not query.isprintable() or not prefix_tsquery(query):
        raise ValueError("no letter or digit, or not printable")
    return query


def hit_position(position: Any) -> Position:
    found = as_position(position)
    if found is None:
        raise ValueError("not a search position")
    return found


SearchText = Annotated[
    str, AfterValidator(str.strip),
    Field(min_length=1, max_length=MAX_QUERY, description="what to look for: a name prefix, words"),
    AfterValidator(_searchable),
    Refusal("invalid_parameter", "query must be printable text with a letter or digit, at most "
            f"{MAX_QUERY} characters")]


class SearchQuery(Query):
    query: SearchText
    type: Annotated[Kind, Field(description="what to search"), Refusal(
        "invalid_parameter", f"type must be one of {', '.join(KINDS)}")] = KINDS[0]
    first: First = 20
    after: Annotated[Position | None, cursor_of(hit_position), Field(description=AFTER),
                     BAD_CURSOR] = None


async def search(request: Request) -> Response:
    """`query` (1 to 100 characters) in `type` (channels, users or categories; default
    channels): live first, then by current viewers, then by relevance."""
    services = Services.of(request)
    asked = SearchQuery.of(request)
    first = asked.first
    async with services.reads.connection() as conn:
        rows = await search_reads.search(conn, asked.type, asked.query, first + 1, asked.after)
    page = rows[:first]
    cursor = (encode_cursor(list(search_reads.position(page[-1]))) if len(rows) > first
              else None)
    data = [_hit(asked.type, row, services.settings) for row in page]
    return JSONResponse({"data": data, "pagination": {"cursor": cursor}})


def _hit(kind: Kind, row: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """A channel as the channel endpoints show it; a user or a category with whether it is
    live and its viewers."""
    if kind == "channels":
        return public_channel(row, settings)
    if kind == "users":
        return {"id": str(row["user_id"]), "username": row["username"],
                "display_name": row["display_name"],
                "profile_image_url": row["profile_image_url"], "live": row["live"],
                "viewers": row["viewers"]}
    return {"name": row["name"], "kind": row["kind"], "live": row["live"],
            "viewers": row["viewers"]}
