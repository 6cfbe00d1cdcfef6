"""Subscriptions: a viewer's monthly paid membership of a channel, at a tier.

A channel's subscriptions are decided by one writer per channel: commands are keyed by channel
name on `subscription-commands`. Facts go to the `monetization` topic keyed by channel, so a
subscription's start, renewals, cancellation and end stay in order. Money events carry their
split (processor fee, creator share, platform share) as decided when the money moved.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from events.base import Command, Event
from events.monetization import MONETIZATION_TOPIC

SUBSCRIPTION_COMMANDS_TOPIC = "subscription-commands"


@dataclass(frozen=True, kw_only=True)
class SubscriptionCommand(
    Command,
    namespace="castline.subscriptions",
    topic=SUBSCRIPTION_COMMANDS_TOPIC,
    key_field="channel",
):
    """Decided by the channel's subscriptions decider."""


@dataclass(frozen=True, kw_only=True)
class SubscriptionEvent(
    Event, namespace="castline.subscriptions", topic=MONETIZATION_TOPIC, key_field="channel"
):
    """A fact of a channel's subscriptions, keyed by channel."""


@dataclass(frozen=True, kw_only=True)
class Subscribe(SubscriptionCommand):
    """Subscribe oneself; the command id is the first charge's idempotency key."""

    channel: str
    broadcaster_id: str
    user_id: str
    tier: int
    price_minor: int
    currency: str
    payment_method: str  # the provider's token, kept on file for renewals


@dataclass(frozen=True, kw_only=True)
class GiftSubscriptions(SubscriptionCommand):
    """Gift one period to a named recipient, or to `count` of the candidates (viewers seen in
    the channel lately, shuffled by the gateway) who are not subscribed yet."""

    channel: str
    broadcaster_id: str
    gifter_id: str
    tier: int
    price_minor: int
    currency: str
    payment_method: str
    recipient_id: str | None = None
    count: int = 1
    candidates: list[str] = field(default_factory=list)


@dataclass(frozen=True, kw_only=True)
class CancelSubscription(SubscriptionCommand):
    channel: str
    user_id: str


@dataclass(frozen=True, kw_only=True)
class ChangeSubscriptionCard(SubscriptionCommand):
    """Put another card on file for the renewals of one's subscription."""

    channel: str
    user_id: str
    payment_method: str


@dataclass(frozen=True, kw_only=True)
class RenewDueSubscriptions(SubscriptionCommand):
    """The scheduler's tick: renew or end every subscription of the channel whose period ended
    by `now` (the scheduler's clock, so tests can move time)."""

    channel: str
    now: datetime


@dataclass(frozen=True, kw_only=True)
class SubscriptionStarted(SubscriptionEvent):
    """Paid by the subscriber (amounts set, payment_method on file), or gifted (amounts 0: the
    gift's money is in SubscriptionsGifted; a gift lasts one period and does not renew)."""

    channel: str
    user_id: str
    subscription_id: str
    tier: int
    period_start: datetime
    period_end: datetime
    gift_id: str | None = None
    gifted_by: str | None = None
    payment_method: str | None = None
    amount_minor: int = 0
    currency: str = "USD"
    processor_fee_minor: int = 0
    creator_share_minor: int = 0
    platform_share_minor: int = 0
    charge_id: str | None = None
    provider: str | None = None


@dataclass(frozen=True, kw_only=True)
class SubscriptionsGifted(SubscriptionEvent):
    """One charge for the gifted periods: amount = price x len(recipient_ids)."""

    channel: str
    gift_id: str
    gifter_id: str
    tier: int
    requested: int
    recipient_ids: list[str]
    amount_minor: int
    currency: str
    processor_fee_minor: int
    creator_share_minor: int
    platform_share_minor: int
    charge_id: str
    provider: str


@dataclass(frozen=True, kw_only=True)
class SubscriptionRenewed(SubscriptionEvent):
    """The monthly tick: the card on file was charged for period number `period`."""

    channel: str
    user_id: str
    subscription_id: str
    tier: int
    period: int  # 0 is the first, paid when subscribing
    period_start: datetime
    period_end: datetime
    amount_minor: int
    currency: str
    processor_fee_minor: int
    creator_share_minor: int
    platform_share_minor: int
    charge_id: str
    provider: str


@dataclass(frozen=True, kw_only=True)
class SubscriptionCancelled(SubscriptionEvent):
    """No more renewals; the benefits last until `ends_at`, the current period's end."""

    channel: str
    user_id: str
    subscription_id: str
    ends_at: datetime


@dataclass(frozen=True, kw_only=True)
class SubscriptionCardChanged(SubscriptionEvent):
    """Renewals of the subscription charge another payment method from now on."""

    channel: str
    user_id: str
    subscription_id: str
    payment_method: str


@dataclass(frozen=True, kw_only=True)
class SubscriptionEnded(SubscriptionEvent):
    """reason: "cancelled", "gift_expired" or "payment_declined" (decline_code says why)."""

    channel: str
    user_id: str
    subscription_id: str
    tier: int
    reason: str
    ended_at: datetime
    decline_code: str | None = None
