"""Fixtures for end-to-end tests: streamers with stream keys, publishers cleaned up."""

from __future__ import annotations

import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from castline.processes import stop
from tests.conftest import ARTIFACTS
from tests.integration.oauth_helpers import Account, signed_in


def new_streamer(api: httpx.Client) -> Streamer:
    account = signed_in(api, "str")
    response = api.post(f"/api/v1/channels/{account.username}/stream-key", headers=account.auth)
    assert response.status_code == 201, response.text
    data = response.json()["data"]
    assert data["server"].startswith("rtmp://")
    assert data["stream_key"].startswith(f"live_{account.username}_")
    return Streamer(account, data["server"], data["stream_key"])


def is_live(api: httpx.Client, channel: str) -> bool:
    """False too while the channel is not in the read model yet."""
    response = api.get(f"/api/v1/channels/{channel}")
    return response.status_code == 200 and bool(response.json()["data"]["live"])


@dataclass(frozen=True)
class Streamer:
    account: Account
    server: str
    key: str


@pytest.fixture
def streamer(api: httpx.Client) -> Streamer:
    return new_streamer(api)


@pytest.fixture
def logs(request: pytest.FixtureRequest) -> Path:
    directory: Path = ARTIFACTS / "ffmpeg" / str(request.node.name)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def publishers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        stop(process, signal.SIGINT, grace_s=5)


