"""Sign-in and registration limits through the gateway. Addresses come from X-Forwarded-For,
which uvicorn trusts from the loopback proxy the tests stand in for."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from uuid import uuid4

import httpx
import pytest

from tests.integration.oauth_helpers import PASSWORD, WEB_CLIENT, sign_up
from tests.running import CLIENT_TIMEOUT_S, RunningPlatform

PER_ACCOUNT = 5  # the default failures of one account from one address
REGISTRATIONS = 3


@pytest.fixture(scope="module")
def strict_gateway(platform: RunningPlatform) -> Iterator[str]:
    """A gateway with the production per-address limits the session's conftest raises."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CASTLINE_LOGIN_FAILURES_PER_ADDRESS", "20")
        env.setenv("CASTLINE_REGISTRATIONS_PER_ADDRESS", str(REGISTRATIONS))
        yield platform.start_gateway(platform.settings.gateway_port + 2)


def address() -> str:
    """A documentation address of its own for each caller."""
    return f"2001:db8:{uuid4().hex[:4]}:{uuid4().hex[:4]}::1"  # a /64 of its own


def sign_in(api: httpx.Client, login: str, password: str, source: str) -> int:
    return api.post("/oauth2/token", headers={"X-Forwarded-For": source}, data={
        "grant_type": "password", "username": login, "password": password,
        "client_id": WEB_CLIENT}).status_code


def test_parallel_guesses_cannot_all_pass(api: httpx.Client) -> None:
    login, _ = sign_up(api, "guessed")
    source = address()
    with ThreadPoolExecutor(max_workers=16) as pool:
        codes = Counter(pool.map(lambda n: sign_in(api, login, f"wrong guess {n}", source),
                                 range(24)))
    assert codes[400] <= PER_ACCOUNT, codes
    assert codes[429] >= 24 - PER_ACCOUNT, codes


def test_an_attacker_is_slowed_and_the_owner_still_signs_in(api: httpx.Client) -> None:
    login, _ = sign_up(api, "owned")
    attacker, owner = address(), address()
    codes = [sign_in(api, login, f"wrong {n}", attacker) for n in range(PER_ACCOUNT + 1)]
    assert codes == [400] * PER_ACCOUNT + [429]
    refused = api.post("/oauth2/token", headers={"X-Forwarded-For": attacker}, data={
        "grant_type": "password", "username": login, "password": PASSWORD,
        "client_id": WEB_CLIENT})
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= 15 * 60
    assert sign_in(api, login, PASSWORD, owner) == 200


def test_one_address_cannot_guess_across_accounts(strict_gateway: str) -> None:
    with httpx.Client(base_url=strict_gateway, timeout=CLIENT_TIMEOUT_S) as api:
        source = address()
        codes = [sign_in(api, f"nobody_{uuid4().hex[:10]}", "wrong guess", source)
                 for _ in range(21)]
        assert codes == [400] * 20 + [429]


def test_registrations_are_limited_per_address(strict_gateway: str) -> None:
    with httpx.Client(base_url=strict_gateway, timeout=CLIENT_TIMEOUT_S) as api:
        source = address()

        def register() -> httpx.Response:
            name = f"reg_{uuid4().hex[:12]}"
            return api.post("/api/v1/users", headers={"X-Forwarded-For": source}, json={
                "username": name, "email": f"{name}@example.com", "password": PASSWORD})

        made = [register().status_code for _ in range(REGISTRATIONS)]
        assert made == [201] * REGISTRATIONS
        refused = register()
        assert refused.status_code == 429, refused.text
        assert refused.json()["error"] == "too_many_attempts"
        # The same request again with its key is still a request the limit counts: only a
        # registration already decided is answered past it.
        name = f"reg_{uuid4().hex[:12]}"
        keyed = {"X-Forwarded-For": source, "Idempotency-Key": name}
        body = {"username": name, "email": f"{name}@example.com", "password": PASSWORD}
        for _ in range(2):
            again = api.post("/api/v1/users", headers=keyed, json=body)
            assert (again.status_code, again.json()["error"]) == (429, "too_many_attempts")


def test_a_taken_username_is_refused_before_any_hashing(api: httpx.Client) -> None:
    login, email = sign_up(api, "taken")
    again = api.post("/api/v1/users", json={
        "username": login, "email": f"other_{email}", "password": PASSWORD})
    assert (again.status_code, again.json()["error"]) == (409, "username_taken")
    same_email = api.post("/api/v1/users", json={
        "username": f"x{login}"[:25], "email": email, "password": PASSWORD})
    assert (same_email.status_code, same_email.json()["error"]) == (409, "email_taken")
