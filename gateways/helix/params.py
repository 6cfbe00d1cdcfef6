"""Helix's query parameters: ids and logins given up to 100 at a time, and cursors of pages
ranked by viewers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from pydantic import Field

from gateways.pagination import AFTER, BAD_CURSOR, cursor_of
from gateways.queries import Refusal

MAX_ITEMS = 100
MAX_VIEWERS = 2**31 - 1  # the read model's viewer_count is an int

Login = Annotated[str, Field(pattern=r"^[A-Za-z0-9_]{1,25}$")]
UserIds = Annotated[list[UUID], Field(max_length=MAX_ITEMS, description="user ids"),
                    Refusal("invalid_parameter", "user ids: at most 100, each a user's id")]
Logins = Annotated[list[Login], Field(max_length=MAX_ITEMS, description="logins"),
                   Refusal("invalid_parameter", "logins: at most 100, each a login")]
GameId = Annotated[str, Field(pattern=r"^[0-9]{1,9}$")]
GameIds = Annotated[list[GameId], Field(max_length=MAX_ITEMS, description="category (game) ids"),
                    Refusal("invalid_parameter", "game ids: at most 100, each a number")]


def rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def ranked(position: Any) -> tuple[int, str]:
    """[viewers, name] of the last item of a page ranked by viewers."""
    if not (isinstance(position, list) and len(position) == 2 and isinstance(position[0], int)
            and 0 <= position[0] <= MAX_VIEWERS and isinstance(position[1], str)):
        raise ValueError("not [viewers, name]")
    return position[0], position[1]


RankCursor = Annotated[tuple[int, str] | None, cursor_of(ranked), Field(description=AFTER),
                       BAD_CURSOR]
