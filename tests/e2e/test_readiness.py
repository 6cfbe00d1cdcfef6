"""/ready tells the truth: a worker that is not running makes it answer 503, naming its feeds."""

from __future__ import annotations

from typing import Any

import httpx

from tests.running import RunningPlatform
from tests.waiting import until

FEEDS = ("account_decider", "wallet_decider", "subscription_decider", "channel_decider",
         "scheduler", "channels", "users", "viewers")


def readiness(api: httpx.Client) -> tuple[int, dict[str, Any]]:
    response = api.get("/ready")
    feeds: dict[str, Any] = response.json()["checks"]["feeds"]
    return response.status_code, feeds


def test_ready_names_the_feeds_of_a_stopped_worker(platform: RunningPlatform,
                                                   api: httpx.Client) -> None:
    _, feeds = until(lambda: readiness(api), lambda r: r[0] == 200, 90,
                     "every feed to report")
    assert feeds["ok"]
    assert feeds["feeds"] >= len(FEEDS)
    platform.stop_worker()
    try:
        status, feeds = until(lambda: readiness(api),
                              lambda r: set(FEEDS) <= set(r[1].get("faults", {})), 60,
                              "every feed of the stopped worker to be missed")
        assert status == 503
        assert not feeds["ok"]
        for name in FEEDS:
            assert feeds["faults"][name].startswith("not running"), feeds
    finally:
        platform.start_worker()
    _, feeds = until(lambda: readiness(api), lambda r: r[0] == 200, 90,
                     "every feed to report again")
    assert "faults" not in feeds
