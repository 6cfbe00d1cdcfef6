"""How a channel looks to the public API: the channel page model, and a list's filters."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from config.settings import Settings

# The filters of a list of channels (a query parameter is text or absent, never null).
CategoryFilter = Annotated[str | SkipJsonSchema[None],
                           Field(description="only channels in this category")]
TagFilter = Annotated[str | SkipJsonSchema[None], Field(description="only channels with this tag")]


def public_channel(row: dict[str, Any], settings: Settings) -> dict[str, Any]:
    """While live: where to play it, and a still of it as a Helix-style template whose
    {width} and {height} the client fills in."""
    live = row["live_session_id"] is not None
    channel = row["channel"]
    return {
        "name": channel, "display_name": row["display_name"], "title": row["title"],
        "category": row["category"], "created_at": row["created_at"].isoformat(),
        "updated_at": row["updated_at"].isoformat(), "version": row["version"],
        "broadcaster_id": str(row["owner_id"]) if row["owner_id"] else None,
        "live": live,
        "live_since": row["live_since"].isoformat() if live else None,
        "tags": list(row["tags"]), "language": row["language"], "suspended": row["suspended"],
        "viewers": row["viewer_count"] if live else 0,
        "followers": row["followers"],
        "raids_from": row["raids_from"],
        "profile_image_url": row.get("profile_image_url"),
        "playlist_url": f"{settings.hls}/{channel}.m3u8" if live else None,
        "thumbnail_url": (f"{settings.thumbnails}/{channel}-{{width}}x{{height}}.jpg"
                          if live else None),
    }
