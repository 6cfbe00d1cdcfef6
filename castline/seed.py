"""A little demo data, written through the public API like any client would."""

from __future__ import annotations

import httpx

DEMO_CHANNELS = (
    ("PixelPaladin", "Speedrunning Celeste any%", "Celeste"),
    ("NightOwlPlays", "Late-night Elden Ring co-op", "Elden Ring"),
    ("chess_corner", "Blitz with viewers", "Chess"),
    ("RetroRachel", "SNES classics all weekend", "Retro"),
)


def seed(base_url: str) -> list[str]:
    """Create the demo channels; re-running is harmless (idempotency keys)."""
    created = []
    with httpx.Client(base_url=base_url, timeout=15) as client:
        for name, title, category in DEMO_CHANNELS:
            response = client.post(
                "/api/v1/channels",
                json={"name": name, "title": title, "category": category},
                headers={"Idempotency-Key": f"demo-{name}"},
            )
            if response.status_code not in (201, 409):
                raise RuntimeError(f"seeding {name} failed: {response.status_code} {response.text}")
            created.append(name.lower())
    return created
