"""Get Games and Get Top Games: Castline's categories as Helix's games, ids drawn from their
names (migration 0027), ranked by the viewers of their live channels."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from gateways.auth import Principal
from gateways.errors import ApiError
from gateways.helix.api import HelixQuery, helix, page
from gateways.helix.params import MAX_ITEMS, GameIds, RankCursor
from gateways.pagination import First, encode_cursor
from gateways.queries import Query, Refusal
from gateways.state import Services
from projections import helix_reads

Names = Annotated[list[Annotated[str, Field(min_length=1, max_length=100)]],
                  Field(max_length=MAX_ITEMS, description="category names"),
                  Refusal("invalid_parameter", "name: at most 100, each 1 to 100 characters")]


def helix_game(row: dict[str, Any]) -> dict[str, Any]:
    """Castline's categories have no box art: its template is empty."""
    return {"id": str(row["id"]), "name": row["name"], "box_art_url": "", "igdb_id": ""}


class GamesQuery(HelixQuery):
    REPEATED: ClassVar[frozenset[str]] = frozenset({"id", "name", "igdb_id"})

    id: GameIds = Field(default_factory=list)
    name: Names = Field(default_factory=list)
    igdb_id: Annotated[list[str], Field(
        max_length=MAX_ITEMS, description="matches nothing: Castline's categories are not in "
        "IGDB")] = Field(default_factory=list)


@helix
async def get_games(request: Request, _caller: Principal) -> Response:
    query = GamesQuery.of(request)
    asked = len(query.id) + len(query.name) + len(query.igdb_id)
    if not asked or asked > MAX_ITEMS:
        raise ApiError(400, "invalid_parameter", "give 1 to 100 of id, name and igdb_id")
    async with Services.of(request).reads.connection() as conn:
        rows = await helix_reads.categories(conn, [int(i) for i in query.id], query.name)
    return page([helix_game(row) for row in rows])


class TopGamesQuery(Query):
    first: First = 20
    after: RankCursor = None


@helix
async def top_games(request: Request, _caller: Principal) -> Response:
    query = TopGamesQuery.of(request)
    async with Services.of(request).reads.connection() as conn:
        rows = await helix_reads.top_categories(conn, query.first + 1, query.after)
    shown = rows[:query.first]
    cursor = (encode_cursor([shown[-1]["viewers"], shown[-1]["name"]])
              if len(rows) > query.first else None)
    return page([helix_game(row) for row in shown], cursor)
