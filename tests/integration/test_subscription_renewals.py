"""A year of monthly renewals in seconds, on the test clock: every period charged once, a
cancelled subscription kept to its period's end then ended, one whose card starts declining
ended at the renewal that failed; the ledger holds each charge once."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import httpx

from processors.deciders.subscription_schedule import add_months
from tests.integration.money import DECLINED_CARD, ledger_rows, with_channel
from tests.integration.oauth_helpers import Account, signed_in
from tests.integration.subscribing import becomes, set_clock, subscribe, subscription_to
from tests.running import RunningPlatform
from tests.waiting import until

CANCEL_AFTER, DECLINE_AFTER = 3, 5


def months_of(api: httpx.Client, account: Account, channel: str) -> int:
    found = subscription_to(api, account, channel)
    return 0 if found is None else int(found["months"])


def reaches_month(api: httpx.Client, account: Account, channel: str, months: int) -> None:
    until(lambda: months_of(api, account, channel), lambda found: found == months, 30,
          f"{account.username}'s month {months}")


def test_a_year_of_renewals_with_a_cancel_and_a_declining_card(
        platform: RunningPlatform, api: httpx.Client) -> None:
    streamer = with_channel(api, "yearly")
    channel = streamer.username
    steady, quitter, flaky = (signed_in(api, name) for name in ("steady", "quitter", "flaky"))
    for fan in (steady, quitter, flaky):
        response = subscribe(api, fan, channel)
        assert response.status_code == 201, response.text
    anchors = [becomes(api, fan, channel, "active")["started_at"]
               for fan in (steady, quitter, flaky)]
    anchor = max(datetime.fromisoformat(a) for a in anchors)
    started = time.monotonic()
    for month in range(1, 13):
        set_clock(platform.settings, channel, add_months(anchor, month) + timedelta(seconds=1))
        reaches_month(api, steady, channel, month + 1)
        if month == CANCEL_AFTER:
            cancelled = api.delete(f"/api/v1/channels/{channel}/subscriptions",
                                   headers=quitter.auth)
            assert cancelled.status_code == 200, cancelled.text
        if month == DECLINE_AFTER:
            changed = api.put(f"/api/v1/channels/{channel}/subscriptions/card",
                              json={"card_number": DECLINED_CARD}, headers=flaky.auth)
            assert changed.status_code == 200, changed.text
        if month == CANCEL_AFTER + 1:
            assert_ended(api, quitter, channel, "cancelled", anchor, CANCEL_AFTER + 1)
        if month == DECLINE_AFTER + 1:
            assert_ended(api, flaky, channel, "payment_declined", anchor, DECLINE_AFTER + 1)
    assert time.monotonic() - started < 120
    assert becomes(api, steady, channel, "active")["months"] == 13
    charges = dict(ledger_rows(
        platform.settings, "SELECT source, count(*) FROM ledger_entries WHERE channel = %s "
        "AND account = 'external:cards' GROUP BY source", channel))
    assert charges == {"subscription": (1 + 12) + (1 + CANCEL_AFTER) + (1 + DECLINE_AFTER)}
    renewals = ledger_rows(
        platform.settings, "SELECT c.decline_code, count(*) FROM subscriptions s "
        "JOIN sandbox_charges c ON c.idempotency_key LIKE 'renewal:' || s.subscription_id || ':%%' "
        "WHERE s.channel = %s GROUP BY c.decline_code", channel)
    assert dict(renewals) == {None: 12 + CANCEL_AFTER + DECLINE_AFTER, "card_declined": 1}


def assert_ended(api: httpx.Client, account: Account, channel: str, reason: str,
                 anchor: datetime, months: int) -> None:
    ended = becomes(api, account, channel, "ended")
    assert (ended["end_reason"], ended["months"]) == (reason, months)
    ends_at = datetime.fromisoformat(ended["ends_at"])
    assert abs(ends_at - add_months(anchor, months)) < timedelta(seconds=5)
