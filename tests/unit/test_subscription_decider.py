"""The subscription decider: subscribe, gifts, cancel, and the monthly renewals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import uuid4

from events.base import Event
from events.subscriptions import (
    CancelSubscription,
    GiftSubscriptions,
    Subscribe,
    SubscriptionEnded,
    SubscriptionRenewed,
    SubscriptionsGifted,
    SubscriptionStarted,
)
from payments.money import Money
from payments.provider import Charged, ChargeRequest, ChargeResult, Declined
from processors.deciders import subscriptions as subs
from processors.deciders.decisions import Rejected
from processors.deciders.subscriptions import SubscriptionRules, SubscriptionState
from processors.subscription_state import dump_subscriptions, load_subscriptions

RULES = SubscriptionRules(prices={1000: 499, 2000: 999}, creator_share_bps={1000: 5000,
                                                                             2000: 7000})
START = datetime(2025, 1, 31, 12, tzinfo=UTC)
OWNER, FAN, FRIEND = "owner", "fan", "friend"


def refusal(decision: object) -> str:
    assert isinstance(decision, Rejected), decision
    return decision.error


def charged(amount: int) -> Charged:
    return Charged(f"ch_{uuid4().hex}", Money(amount, "USD"), Money(44, "USD"))


def subscribe(user: str = FAN, tier: int = 1000) -> Subscribe:
    return Subscribe(channel="chan", broadcaster_id=OWNER, user_id=user, tier=tier,
                     price_minor=RULES.prices[tier], currency="USD", payment_method="pm_ok",
                     issued_at=START)


def applied(state: SubscriptionState, events: list[Event] | Rejected) -> SubscriptionState:
    assert isinstance(events, list), events
    for event in events:
        state = subs.evolve(state, event)
    return load_subscriptions(dump_subscriptions(state))  # the table's round trip


def subscribed(user: str = FAN, state: SubscriptionState | None = None) -> SubscriptionState:
    state = state or SubscriptionState()
    command = subscribe(user)
    assert isinstance(subs.request_subscription(state, command), ChargeRequest)
    return applied(state, subs.subscription_charged(state, command, charged(499), RULES, "sb"))


def test_a_subscription_is_charged_and_split_by_the_tier_share() -> None:
    command = subscribe(tier=2000)
    [started] = subs.subscription_charged(SubscriptionState(), command, charged(999), RULES,
                                          "sb")  # type: ignore[misc]
    assert isinstance(started, SubscriptionStarted)
    assert (started.amount_minor, started.processor_fee_minor, started.creator_share_minor,
            started.platform_share_minor) == (999, 44, 699, 256)
    assert started.period_end == datetime(2025, 2, 28, 12, tzinfo=UTC)


def test_subscribing_twice_or_to_ones_own_channel_or_a_declined_card_is_refused() -> None:
    state = subscribed()
    again = subs.request_subscription(state, subscribe())
    assert refusal(again) == "already_subscribed"
    own = subs.request_subscription(SubscriptionState(), subscribe(OWNER))
    assert refusal(own) == "invalid_subscription"
    declined = subs.subscription_charged(SubscriptionState(), subscribe(),
                                         Declined("card_declined", "no"), RULES, "sb")
    assert isinstance(declined, Rejected)
    assert declined.field == "card_number"


def gift(state: SubscriptionState, recipient: str | None = None, count: int = 1,
         candidates: tuple[str, ...] = ()) -> list[str] | Rejected:
    return subs.gift_recipients(state, GiftSubscriptions(
        channel="chan", broadcaster_id=OWNER, gifter_id=FRIEND, tier=1000, price_minor=499,
        currency="USD", payment_method="pm_ok", recipient_id=recipient, count=count,
        candidates=list(candidates)))


def test_gift_rules_for_a_named_recipient() -> None:
    state = subscribed()
    assert gift(state, "newcomer") == ["newcomer"]
    for recipient, error in ((FRIEND, "invalid_gift"), (OWNER, "invalid_gift"),
                             (FAN, "already_subscribed")):
        refused = gift(state, recipient)
        assert refusal(refused) == error, recipient


def test_random_gifts_skip_who_cannot_get_one_and_give_fewer_when_fewer_can() -> None:
    state = subscribed()
    viewers = (FAN, OWNER, FRIEND, "a", "b", "a", "c")
    assert gift(state, count=2, candidates=viewers) == ["a", "b"]
    assert gift(state, count=5, candidates=viewers) == ["a", "b", "c"]
    none = gift(state, count=2, candidates=(FAN, OWNER, FRIEND))
    assert refusal(none) == "no_eligible_viewers"


def test_a_gift_is_one_charge_and_one_period_for_each_recipient() -> None:
    command = GiftSubscriptions(channel="chan", broadcaster_id=OWNER, gifter_id=FRIEND,
                                tier=1000, price_minor=499, currency="USD",
                                payment_method="pm_ok", count=3, issued_at=START)
    request = subs.request_gift(command, ["a", "b"])
    assert isinstance(request, ChargeRequest)
    assert request.amount == Money(998, "USD")
    events = subs.gift_charged(SubscriptionState(), command, ["a", "b"], charged(998), RULES,
                               "sb")
    assert isinstance(events, list)
    gifted, *starts = events
    assert isinstance(gifted, SubscriptionsGifted)
    assert gifted.recipient_ids == ["a", "b"]
    assert (gifted.requested, gifted.amount_minor, gifted.creator_share_minor) == (3, 998, 499)
    assert [(s.user_id, s.gifted_by, s.amount_minor) for s in starts  # type: ignore[attr-defined]
            ] == [("a", FRIEND, 0), ("b", FRIEND, 0)]
    state = applied(SubscriptionState(), events)
    assert set(state.members) == {"a", "b"}


def run_year(state: SubscriptionState, answer: dict[int, ChargeResult],
             until: datetime) -> list[Event]:
    """What the agent does on a tick at `until`: every due period, one at a time."""
    published: list[Event] = []
    while (member := subs.next_due(state, until)) is not None:
        step = subs.ending_or_charge("chan", member, RULES)
        events: list[Event] = [step] if isinstance(step, SubscriptionEnded) else (
            subs.renewal_charged("chan", member, answer.get(member.period + 1, charged(499)),
                                 RULES, "sb"))
        published += events
        state = applied(state, events)
    return published


def test_a_year_of_renewals_then_a_decline_ends_the_subscription() -> None:
    state = subscribed()
    year = run_year(state, {13: Declined("card_declined", "no")},
                    START + timedelta(days=400))
    renewals = [e for e in year if isinstance(e, SubscriptionRenewed)]
    assert [r.period for r in renewals] == list(range(1, 13))
    assert renewals[0].period_start == datetime(2025, 2, 28, 12, tzinfo=UTC)
    assert renewals[1].period_start == datetime(2025, 3, 31, 12, tzinfo=UTC)
    [ended] = [e for e in year if isinstance(e, SubscriptionEnded)]
    assert (ended.reason, ended.decline_code) == ("payment_declined", "card_declined")
    assert ended.ended_at == datetime(2026, 2, 28, 12, tzinfo=UTC)


def test_a_cancelled_subscription_keeps_its_period_then_ends() -> None:
    state = subscribed()
    cancel = CancelSubscription(channel="chan", user_id=FAN)
    state = applied(state, subs.cancel(state, cancel))
    assert subs.cancel(state, cancel) == []
    assert subs.next_due(state, START + timedelta(days=27)) is None
    [ended] = run_year(state, {}, START + timedelta(days=40))
    assert isinstance(ended, SubscriptionEnded)
    assert ended.reason == "cancelled"
    missing = subs.cancel(SubscriptionState(), cancel)
    assert refusal(missing) == "subscription_not_found"


def test_renewals_are_keyed_by_subscription_and_period() -> None:
    member = subscribed().members[FAN]
    request = subs.ending_or_charge("chan", member, RULES)
    assert isinstance(request, ChargeRequest)
    assert request.idempotency_key == f"renewal:{member.subscription_id}:1"
    again = subs.renewal_charged("chan", member, charged(499), RULES, "sb")
    first = subs.renewal_charged("chan", member, charged(499), RULES, "sb")
    assert again[0].event_id == first[0].event_id
