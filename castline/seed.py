"""A little demo data, written through the public API like any client would."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import tenacity

DEMO_PASSWORD = "castline-demo-2026"  # noqa: S105 - demo accounts, documented
DEMO_STREAMERS = (
    ("PixelPaladin", "Speedrunning Celeste any%", "Celeste"),
    ("NightOwlPlays", "Late-night Elden Ring co-op", "Elden Ring"),
    ("chess_corner", "Blitz with viewers", "Chess"),
    ("RetroRachel", "SNES classics all weekend", "Retro"),
)


class SeedError(Exception):
    pass


def _expect(response: httpx.Response, *codes: int) -> httpx.Response:
    if response.status_code not in codes:
        raise SeedError(f"{response.request.method} {response.request.url.path}: "
                        f"{response.status_code} {response.text}")
    return response


@tenacity.retry(retry=tenacity.retry_if_result(lambda r: r.status_code == 503),
                stop=tenacity.stop_after_delay(180), wait=tenacity.wait_fixed(1),
                retry_error_callback=lambda state: state.outcome.result() if state.outcome
                else None)
def sent_until_decided(send: Callable[[], httpx.Response]) -> httpx.Response:
    """Sent again (same Idempotency-Key) while the deciders are not answering yet: a worker
    that has just started may still be restoring its tables."""
    return send()


def _streamer(client: httpx.Client, name: str, title: str, category: str) -> None:
    registered = _expect(sent_until_decided(lambda: client.post("/api/v1/users", json={
        "username": name, "email": f"{name.lower()}@demo.castline.example",
        "password": DEMO_PASSWORD}, headers={"Idempotency-Key": f"demo-{name}"})), 201, 409)
    if registered.status_code == 201:
        position = registered.json()["position"]
        _expect(client.get(f"/api/v1/users/{name}", params={"min_position": position}), 200)
    elif registered.json().get("error") != "username_taken":
        raise SeedError(f"registering {name}: {registered.text}")
    tokens = _expect(client.post("/oauth2/token", data={
        "grant_type": "password", "username": name, "password": DEMO_PASSWORD,
        "client_id": "castline-web"}), 200).json()
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    # Registration queued the channel's creation ahead of this, on the channel's partition.
    _expect(sent_until_decided(lambda: client.patch(f"/api/v1/channels/{name}", json={
        "title": title, "category": category}, headers=auth)), 200)


def seed(base_url: str) -> list[str]:
    """Register the demo streamers and set their channels; re-running is harmless."""
    with httpx.Client(base_url=base_url, timeout=15) as client:
        for name, title, category in DEMO_STREAMERS:
            _streamer(client, name, title, category)
    return [name.lower() for name, _, _ in DEMO_STREAMERS]
