"""Get Streams: live channels, most viewers first, filtered by `user_id`, `user_login`,
`game_id` (each repeatable, up to 100) and `language`. Castline has only live streams, so
`type` all and live are the same."""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from config.settings import Settings
from gateways.auth import Principal
from gateways.channels import Language
from gateways.helix.api import HelixQuery, helix, page
from gateways.helix.params import MAX_ITEMS, GameIds, Logins, RankCursor, UserIds, rfc3339
from gateways.pagination import First, encode_cursor
from gateways.queries import Refusal
from gateways.state import Services
from projections import helix_reads


class StreamsQuery(HelixQuery):
    REPEATED: ClassVar[frozenset[str]] = frozenset({"user_id", "user_login", "game_id",
                                                  "language"})

    user_id: UserIds = Field(default_factory=list)
    user_login: Logins = Field(default_factory=list)
    game_id: GameIds = Field(default_factory=list)
    type: Annotated[Literal["all", "live"], Refusal(
        "invalid_parameter", "type must be all or live")] = "all"
    language: Annotated[list[Language], Field(max_length=MAX_ITEMS, description="languages"),
                        Refusal("invalid_parameter", "language: two-letter codes or other")
                        ] = Field(default_factory=list)
    first: First = 20
    after: RankCursor = None


def helix_stream(row: dict[str, Any], settings: Settings) -> dict[str, Any]:
    return {
        "id": str(row["session_id"]), "user_id": str(row["owner_id"]),
        "user_login": row["channel"], "user_name": row["display_name"],
        "game_id": str(row["game_id"] or ""), "game_name": row["category"], "type": "live",
        "title": row["title"], "tags": list(row["tags"]), "tag_ids": [],
        "viewer_count": row["viewer_count"], "started_at": rfc3339(row["started_at"]),
        "language": row["language"] or "other", "is_mature": False,
        "thumbnail_url": f"{settings.thumbnails}/{row['channel']}-{{width}}x{{height}}.jpg",
    }


@helix
async def get_streams(request: Request, _caller: Principal) -> Response:
    query = StreamsQuery.of(request)
    filters = {"ids": [str(i) for i in query.user_id],
               "logins": [login.lower() for login in query.user_login],
               "games": [int(game) for game in query.game_id], "languages": query.language}
    services = Services.of(request)
    async with services.reads.connection() as conn:
        rows = await helix_reads.live_streams(conn, filters, query.first + 1, query.after)
    shown = rows[:query.first]
    cursor = (encode_cursor([shown[-1]["viewer_count"], shown[-1]["channel"]])
              if len(rows) > query.first else None)
    return page([helix_stream(row, services.settings) for row in shown], cursor)
