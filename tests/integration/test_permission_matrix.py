"""Every protected endpoint of the gateway (those that declare a scope) against anonymous /
another user / the owner / a moderator / an admin / a token without the scope.

Allowed calls act on one cast of people; refused calls on another, which nothing else touches
once it is gathered: for each refusal, nothing naming that cast was appended to the log (a
command its decider refused aside) and its read-model rows are unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

import httpx
import psycopg
import pytest

from config.settings import Settings
from events.codec import Codec
from gateways.app import ENDPOINTS
from gateways.oauth.scopes import ADMIN_SCOPE
from gateways.openapi import Endpoint
from tests.integration.log_watch import LogWatch
from tests.integration.permission_cases import API_CASES, Case, Scene
from tests.integration.permission_cases_helix import HELIX_CASES
from tests.integration.permission_cast import (
    CALLERS,
    Cast,
    asked_clip,
    bought_purchase,
    gather,
    posted_message,
    read_model_rows,
    recorded_video,
)
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform

CASES = {**API_CASES, **HELIX_CASES}
PROTECTED = [e for e in ENDPOINTS if e.scope is not None]
REFUSAL_ERRORS = {"anonymous": "unauthorized", "no_scope": "insufficient_scope"}


@dataclass(frozen=True)
class Casts:
    allowing: Cast
    refusing: Cast


@pytest.fixture(scope="module")
def casts(platform: RunningPlatform) -> Iterator[Casts]:
    with httpx.Client(base_url=platform.base_url, timeout=CLIENT_TIMEOUT_S) as api:
        allowing = gather(api, platform.settings, "al")
        refusing = gather(api, platform.settings, "rf")
        candidate = api.post(f"/api/v1/channels/{refusing.channel}/moderators",
                             json={"username": refusing.candidate.username},
                             headers=refusing.owner.auth)
        assert candidate.status_code == 201, candidate.text
        refusing.standing.update(
            message_id=posted_message(platform.base_url, refusing),
            purchase_id=bought_purchase(api, refusing.viewer),
            recipient=refusing.viewer.username,
            video_id=recorded_video(api, refusing),
            clip_id=asked_clip(api, refusing))
        yield Casts(allowing, refusing)


@pytest.fixture(scope="module")
def read_models(stack: Settings) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(stack.postgres, autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="module")
def watch(stack: Settings) -> Iterator[LogWatch]:
    watching = LogWatch(stack.kafka, Codec.from_settings(stack))
    try:
        yield watching
    finally:
        watching.close()


def test_every_row_names_a_protected_endpoint() -> None:
    assert len(PROTECTED) >= 36
    stale = set(CASES) - {(e.method, e.path) for e in PROTECTED}
    assert not stale, f"rows for endpoints that are gone or unprotected: {sorted(stale)}"


@pytest.mark.parametrize(
    ("endpoint", "caller"), [(e, c) for e in PROTECTED for c in CALLERS],
    ids=[f"{e.method} {e.path} {c}" for e in PROTECTED for c in CALLERS])
def test_permission(platform: RunningPlatform, casts: Casts, watch: LogWatch,
                    read_models: psycopg.Connection[Any], endpoint: Endpoint,
                    caller: str) -> None:
    case = CASES.get((endpoint.method, endpoint.path))
    if case is None:
        pytest.fail(f"{endpoint.method} {endpoint.path} has no row in the permission matrix")
    expected = case.expected(CALLERS.index(caller))
    admin_only = endpoint.scope == ADMIN_SCOPE
    with httpx.Client(base_url=platform.base_url, timeout=CLIENT_TIMEOUT_S) as api:
        cast = casts.allowing if expected < 400 else casts.refusing
        scene = Scene(api, platform.base_url, cast, cast.actor(caller, admin_only),
                      cast.headers(caller, admin_only), cast.standing)
        if expected < 400:
            answered(case, scene, expected)
            return
        error = refused_changing_nothing(read_models, watch, case, scene, expected)
    if caller in REFUSAL_ERRORS:
        assert error == refusal_error(endpoint, caller, expected)


def refusal_error(endpoint: Endpoint, caller: str, status: int) -> str:
    """Helix refuses as Twitch does, with the status's phrase for its error."""
    if endpoint.path.startswith("/helix/"):
        return HTTPStatus(status).phrase
    return REFUSAL_ERRORS[caller]


def answered(case: Case, scene: Scene, expected: int) -> None:
    if case.prepare is not None:
        scene = Scene(scene.api, scene.base_url, scene.cast, scene.actor, scene.headers,
                      case.prepare(scene))
    response = case.act(scene)
    assert response.status_code == expected, response.text


def refused_changing_nothing(read_models: psycopg.Connection[Any], watch: LogWatch,
                             case: Case, scene: Scene, expected: int) -> str:
    """The refusal's error code, once it is known to have changed nothing."""
    rows_before, mark = read_model_rows(read_models, scene.cast), watch.mark()
    response = case.act(scene)
    assert response.status_code == expected, response.text
    appended = watch.appended_since(mark, scene.cast.names())
    assert [(r.topic(), r.key()) for r in appended.events] == [], "a refusal left events"
    assert appended.unrefused_commands == []
    assert read_model_rows(read_models, scene.cast) == rows_before
    error: str = response.json()["error"]
    return error
