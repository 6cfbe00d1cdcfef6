"""Recommendations from what viewers really watched: heartbeats in, ClickHouse's co-viewing and
PostgreSQL's follows and live channels read back through the API."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.conftest import is_live, new_streamer
from tests.e2e.publisher import publish
from tests.integration.oauth_helpers import Account, signed_in
from tests.integration.watching import beat, player
from tests.waiting import until


def recommended(api: httpx.Client, account: Account | None) -> list[dict[str, Any]]:
    response = api.get("/api/v1/recommendations", headers=account.auth if account else {})
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


def test_followed_live_first_then_co_watched_with_the_reason(
    api: httpx.Client, logs: Path, publishers: list[subprocess.Popen[bytes]],
) -> None:
    streamers = [new_streamer(api) for _ in range(3)]
    watched, co_watched, followed = (s.account.username for s in streamers)
    for streamer in streamers:
        publishers.append(publish(streamer.server, streamer.key,
                                  logs / f"{streamer.account.username}.log"))
    until(lambda: all(is_live(api, n) for n in (watched, co_watched, followed)), bool, 30,
          "all three live")
    others, viewer = [signed_in(api, "cov") for _ in range(2)], signed_in(api, "rec")
    beat(api, [player(api, channel, other) for other in others
               for channel in (watched, co_watched)])
    beat(api, [player(api, watched, viewer)])
    assert api.post(f"/api/v1/channels/{followed}/follow",
                    headers=viewer.auth).status_code == 202

    # The co-watched channel may first come as a popular one, before the co-viewing reaches
    # ClickHouse.
    picks = until(lambda: recommended(api, viewer),
                  lambda p: [(r["channel"], r["reason"]["kind"]) for r in p[:2]]
                  == [(followed, "followed"), (co_watched, "co_watched")], 60,
                  "the followed and the co-watched channel")
    assert picks[0]["reason"] == {"kind": "followed"}
    assert picks[1]["reason"] == {"kind": "co_watched", "watched": watched}
    assert picks[1]["explanation"] == f"Because you watched {watched}"
    assert watched not in [r["channel"] for r in picks], "what one watched is not offered"

    anonymous = recommended(api, None)
    ours = {r["channel"]: r for r in anonymous if r["channel"] in (watched, co_watched, followed)}
    assert set(ours) == {watched, co_watched, followed}
    assert {r["reason"]["kind"] for r in ours.values()} == {"popular"}
    assert all(r["explanation"].startswith("Popular in ") for r in ours.values())


def test_bad_input_is_a_clear_error(api: httpx.Client) -> None:
    assert api.get("/api/v1/recommendations", params={"first": "0"}).status_code == 400
    unknown = api.get("/api/v1/recommendations", headers={"Authorization": "Bearer nope"})
    assert unknown.status_code == 401
