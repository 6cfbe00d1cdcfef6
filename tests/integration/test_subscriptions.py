"""Subscribing, gifting and cancelling through HTTP: charged once per Idempotency-Key, the
ledger balanced per tier's share, bad input a clear 4xx with nothing recorded as paid."""

from __future__ import annotations

import uuid

import httpx
import pytest

from config.settings import Settings
from tests.integration.money import (
    DECLINED_CARD,
    charges_for,
    key,
    ledger_rows,
    with_channel,
)
from tests.integration.oauth_helpers import signed_in
from tests.integration.subscribing import gift, subscribe, subscription_to
from tests.integration.watching import beat, live_by_event, player
from tests.running import RunningPlatform
from tests.waiting import until


def test_a_subscription_is_charged_once_and_split_between_processor_creator_and_platform(
        platform: RunningPlatform, api: httpx.Client) -> None:
    streamer, fan, same = with_channel(api, "subbed"), signed_in(api, "subber"), key()
    first = subscribe(api, fan, streamer.username, 2000, idempotency_key=same)
    assert first.status_code == 201, first.text
    assert first.json()["data"] == {"channel": streamer.username, "tier": 2000,
                                    "price": {"amount": 999, "currency": "USD"}}
    retried = subscribe(api, fan, streamer.username, 2000, idempotency_key=same)
    assert retried.json()["event_id"] == first.json()["event_id"]
    found = subscription_to(api, fan, streamer.username, first.json()["position"])
    assert found is not None
    assert (found["tier"], found["status"], found["renews"], found["months"]) == (
        2000, "active", True, 1)
    assert len(charges_for(platform.settings, fan, "subscription", same)) == 1
    entries = dict(ledger_rows(
        platform.settings, "SELECT account, amount_minor FROM ledger_entries WHERE event_id = %s",
        uuid.UUID(first.json()["event_id"])))
    fee = 999 * 290 // 10_000 + 30
    assert entries == {"external:cards": -999, "processor": fee,
                       f"creator:{streamer.username}": 499, "platform": 999 - fee - 499}
    again = subscribe(api, fan, streamer.username, 1000)
    assert (again.status_code, again.json()["error"]) == (409, "already_subscribed")


def test_a_declined_card_is_402_and_nothing_is_recorded(platform: RunningPlatform,
                                                       api: httpx.Client) -> None:
    streamer, fan, same = with_channel(api, "nosub"), signed_in(api, "broke"), key()
    declined = subscribe(api, fan, streamer.username, card=DECLINED_CARD, idempotency_key=same)
    assert (declined.status_code, declined.json()["error"]) == (402, "card_declined")
    assert subscription_to(api, fan, streamer.username) is None
    assert ledger_rows(platform.settings, "SELECT 1 FROM ledger_entries WHERE account = %s",
                       f"creator:{streamer.username}") == []


@pytest.mark.parametrize(("body", "status", "error"), [
    ({"tier": 1500, "card_number": "4242424242424242"}, 422, "unknown_tier"),
    ({"tier": -1000, "card_number": "4242424242424242"}, 422, "unknown_tier"),
    ({"tier": "1000", "card_number": "4242424242424242"}, 422, "invalid_field"),
    ({"tier": 1000, "card_number": "4111111111111111"}, 422, "invalid_card"),
    ({"tier": 1000}, 422, "missing_field"),
])
def test_bad_subscriptions_are_refused(api: httpx.Client, settings: Settings,
                                       body: dict[str, object], status: int,
                                       error: str) -> None:
    streamer, fan = with_channel(api, "badsub"), signed_in(api, "badsubber")
    response = api.post(f"/api/v1/channels/{streamer.username}/subscriptions", json=body,
                        headers={**fan.auth, "Idempotency-Key": key()})
    assert (response.status_code, response.json()["error"]) == (status, error), response.text


def test_refusals_without_a_charge(api: httpx.Client) -> None:
    streamer, fan = with_channel(api, "refuse"), signed_in(api, "refused")
    missing = subscribe(api, fan, streamer.username, idempotency_key=None)
    assert (missing.status_code, missing.json()["error"]) == (400, "missing_idempotency_key")
    own = subscribe(api, streamer, streamer.username)
    assert (own.status_code, own.json()["error"]) == (422, "invalid_subscription")
    nowhere = subscribe(api, fan, "no_such_channel_here")
    assert (nowhere.status_code, nowhere.json()["error"]) == (404, "channel_not_found")
    cancel = api.delete(f"/api/v1/channels/{streamer.username}/subscriptions", headers=fan.auth)
    assert (cancel.status_code, cancel.json()["error"]) == (404, "subscription_not_found")


def test_gifts_to_a_named_user_follow_the_rules(platform: RunningPlatform,
                                                api: httpx.Client) -> None:
    streamer, gifter = with_channel(api, "gifted"), signed_in(api, "gifter")
    lucky, subbed = signed_in(api, "lucky"), signed_in(api, "subbed")
    assert subscribe(api, subbed, streamer.username).status_code == 201
    given = gift(api, gifter, streamer.username, recipient=lucky.username)
    assert given.status_code == 201, given.text
    assert given.json()["data"]["recipients"] == [lucky.username]
    assert given.json()["data"]["price"] == {"amount": 499, "currency": "USD"}
    found = subscription_to(api, lucky, streamer.username)
    assert found is not None
    assert (found["gifted_by"], found["renews"], found["status"]) == (
        gifter.username, False, "active")
    for recipient, status, error in ((gifter.username, 422, "invalid_gift"),
                                     (streamer.username, 422, "invalid_gift"),
                                     (subbed.username, 409, "already_subscribed"),
                                     ("nobody_by_that_name", 404, "user_not_found")):
        refused = gift(api, gifter, streamer.username, recipient=recipient)
        assert (refused.status_code, refused.json()["error"]) == (status, error), recipient
    both = gift(api, gifter, streamer.username, recipient=lucky.username, count=2)
    assert (both.status_code, both.json()["error"]) == (422, "invalid_gift")
    gifts = ledger_rows(platform.settings, "SELECT sum(amount_minor) FROM ledger_entries "
                        "WHERE source = 'gift' AND account = %s",
                        f"creator:{streamer.username}")
    assert gifts == [(249,)]


def test_gifts_to_random_viewers_go_to_who_can_get_one_and_charge_for_those(
        platform: RunningPlatform, api: httpx.Client) -> None:
    streamer, gifter = with_channel(api, "crowd"), signed_in(api, "generous")
    viewers = [signed_in(api, "watcher") for _ in range(3)]
    assert subscribe(api, viewers[0], streamer.username).status_code == 201
    with live_by_event(api, platform.settings, [streamer.username]):
        beat(api, [player(api, streamer.username, viewer) for viewer in (*viewers, gifter)])
    until(lambda: _seen(platform.settings, streamer.username), lambda n: n >= 4, 20,
          "the viewers to be counted")
    given = gift(api, gifter, streamer.username, count=5)
    assert given.status_code == 201, given.text
    data = given.json()["data"]
    assert (data["requested"], sorted(data["recipients"])) == (
        5, sorted(v.username for v in viewers[1:]))
    assert data["price"] == {"amount": 998, "currency": "USD"}
    none_left = gift(api, gifter, streamer.username, count=1)
    assert (none_left.status_code, none_left.json()["error"]) == (409, "no_eligible_viewers")
    assert ledger_rows(platform.settings, "SELECT sum(amount_minor) FROM ledger_entries "
                       "WHERE source = 'gift' AND account = 'external:cards' AND channel = %s",
                       streamer.username) == [(-998,)]


def _seen(settings: Settings, channel: str) -> int:
    import redis

    from projections.viewers import viewers_key

    client = redis.Redis.from_url(settings.redis)
    try:
        return int(client.zcard(viewers_key(channel)))
    finally:
        client.close()


def test_the_broadcaster_lists_subscribers_and_a_cancel_keeps_the_benefits(
        platform: RunningPlatform, api: httpx.Client) -> None:
    streamer, fans = with_channel(api, "listed"), [signed_in(api, "lister") for _ in range(3)]
    for fan in fans:
        assert subscribe(api, fan, streamer.username).status_code == 201
    cancelled = api.delete(f"/api/v1/channels/{streamer.username}/subscriptions",
                           headers=fans[0].auth)
    assert cancelled.status_code == 200, cancelled.text
    found = subscription_to(api, fans[0], streamer.username, cancelled.json()["position"])
    assert found is not None
    assert (found["status"], found["renews"], found["ends_at"]) == (
        "cancelled", False, found["period_end"])
    url = f"/api/v1/channels/{streamer.username}/subscribers"
    first = api.get(url, params={"first": 2}, headers=streamer.auth)
    assert first.status_code == 200, first.text
    rest = api.get(url, params={"first": 2, "after": first.json()["pagination"]["cursor"]},
                   headers=streamer.auth)
    names = [s["username"] for s in first.json()["data"] + rest.json()["data"]]
    assert names == sorted(f.username for f in fans)  # a cancelled one keeps the benefits
    assert api.get(url, headers=fans[1].auth).status_code == 403
