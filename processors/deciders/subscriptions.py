"""The subscription decider: pure decisions for one channel's subscriptions.

One writer per channel (commands keyed by channel name): "not already subscribed" is checked
and acted on without a race, including for a gift to N viewers picked at once. Charges happen
between two pure steps (the agent calls the provider); the agent settles one command, charge
included, before it reads the next, so the state a charge was requested from still holds
when its answer is decided.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from events.base import Event
from events.subscriptions import (
    CancelSubscription,
    ChangeSubscriptionCard,
    GiftSubscriptions,
    Subscribe,
    SubscriptionCancelled,
    SubscriptionCardChanged,
    SubscriptionEnded,
    SubscriptionRenewed,
    SubscriptionsGifted,
    SubscriptionStarted,
)
from payments.money import Money, share
from payments.provider import Charged, ChargeRequest, ChargeResult, Declined
from processors.deciders.charges import uncounted_charge
from processors.deciders.decisions import Rejected, RememberedOutcome, recent_window
from processors.deciders.derived import derived_id
from processors.deciders.subscription_schedule import period_end, period_start

CHARGES_KEPT = 256
MAX_GIFTS = 100
Decision = list[Event] | Rejected


@dataclass(frozen=True)
class SubscriptionRules:
    prices: dict[int, int] = field(default_factory=lambda: {1000: 499, 2000: 999, 3000: 2499})
    currency: str = "USD"
    creator_share_bps: dict[int, int] = field(
        default_factory=lambda: {1000: 5000, 2000: 5000, 3000: 5000})


@dataclass(frozen=True)
class Membership:
    subscription_id: str
    user_id: str
    tier: int
    anchor: datetime  # the first period's start
    period: int  # the current period's number, 0 the first
    payment_method: str | None  # None: a gift, which ends with its period
    cancelled: bool = False

    @property
    def period_end(self) -> datetime:
        return period_end(self.anchor, self.period)


@dataclass(frozen=True)
class SubscriptionState:
    members: dict[str, Membership] = field(default_factory=dict)  # by user id
    recent: tuple[RememberedOutcome, ...] = ()
    charges: tuple[str, ...] = ()  # charge ids already turned into subscriptions

    def outcome_of(self, command_id: str) -> RememberedOutcome | None:
        return next((o for o in self.recent if o.command_id == command_id), None)


@dataclass(frozen=True)
class Split:
    processor: int
    creator: int
    platform: int


def split(charged: Charged, tier: int, rules: SubscriptionRules) -> Split:
    """The processor's fee, the creator's share of the price, the platform the rest."""
    amount, fee = charged.amount.amount_minor, charged.fee.amount_minor
    creator = min(share(amount, rules.creator_share_bps.get(tier, 0)), amount - fee)
    return Split(fee, creator, amount - fee - creator)


def request_subscription(state: SubscriptionState, command: Subscribe) -> ChargeRequest | Rejected:
    if command.user_id == command.broadcaster_id:
        return Rejected("invalid_subscription", "you cannot subscribe to your own channel",
                        "channel")
    if command.user_id in state.members:
        return Rejected("already_subscribed", "you are subscribed to this channel already")
    if command.price_minor <= 0:
        return Rejected("invalid_tier", "a tier has a positive price", "tier")
    return ChargeRequest(str(command.command_id), command.payment_method,
                         Money(command.price_minor, command.currency),
                         f"tier {command.tier} subscription to {command.channel}")


def subscription_charged(state: SubscriptionState, command: Subscribe, result: ChargeResult,
                         rules: SubscriptionRules, provider: str) -> Decision:
    if isinstance(result, Declined) or result.charge_id in state.charges:
        return uncounted_charge(result)
    parts = split(result, command.tier, rules)
    return [SubscriptionStarted(
        event_id=derived_id("subscription-started", command.command_id),
        occurred_at=command.issued_at,
        channel=command.channel, user_id=command.user_id,
        subscription_id=str(command.command_id), tier=command.tier,
        period_start=command.issued_at, period_end=period_end(command.issued_at, 0),
        payment_method=command.payment_method, amount_minor=result.amount.amount_minor,
        currency=result.amount.currency, processor_fee_minor=parts.processor,
        creator_share_minor=parts.creator, platform_share_minor=parts.platform,
        charge_id=result.charge_id, provider=provider)]


def gift_recipients(state: SubscriptionState, command: GiftSubscriptions) -> list[str] | Rejected:
    """The named recipient, or the first `count` eligible candidates (fewer if fewer are)."""
    unable = {command.gifter_id, command.broadcaster_id, *state.members}
    if command.recipient_id is not None:
        return _named_recipient(state, command, command.recipient_id)
    if not 1 <= command.count <= MAX_GIFTS:
        return Rejected("invalid_count", f"gift 1 to {MAX_GIFTS} subscriptions", "count")
    eligible = [c for c in dict.fromkeys(command.candidates) if c not in unable]
    if not eligible:
        return Rejected("no_eligible_viewers", "no viewer seen in this channel lately can be "
                        "gifted a subscription; nothing was charged", "count")
    return eligible[:command.count]


def _named_recipient(state: SubscriptionState, command: GiftSubscriptions,
                     recipient: str) -> list[str] | Rejected:
    if recipient == command.gifter_id:
        return Rejected("invalid_gift", "you cannot gift a subscription to yourself",
                        "recipient")
    if recipient == command.broadcaster_id:
        return Rejected("invalid_gift", "the broadcaster cannot subscribe to their own channel",
                        "recipient")
    if recipient in state.members:
        return Rejected("already_subscribed", "the recipient is subscribed to this channel "
                        "already", "recipient")
    return [recipient]


def request_gift(command: GiftSubscriptions, recipients: list[str]) -> ChargeRequest | Rejected:
    if command.price_minor <= 0:
        return Rejected("invalid_tier", "a tier has a positive price", "tier")
    return ChargeRequest(str(command.command_id), command.payment_method,
                         Money(command.price_minor * len(recipients), command.currency),
                         f"{len(recipients)} gifted tier {command.tier} subscriptions to "
                         f"{command.channel}")


def gift_charged(state: SubscriptionState, command: GiftSubscriptions, recipients: list[str],
                 result: ChargeResult, rules: SubscriptionRules, provider: str) -> Decision:
    if isinstance(result, Declined) or result.charge_id in state.charges:
        return uncounted_charge(result)
    parts, gift_id = split(result, command.tier, rules), str(command.command_id)
    gifted = SubscriptionsGifted(
        event_id=derived_id("subscriptions-gifted", gift_id), occurred_at=command.issued_at,
        channel=command.channel,
        gift_id=gift_id, gifter_id=command.gifter_id, tier=command.tier,
        requested=1 if command.recipient_id else command.count, recipient_ids=recipients,
        amount_minor=result.amount.amount_minor, currency=result.amount.currency,
        processor_fee_minor=parts.processor, creator_share_minor=parts.creator,
        platform_share_minor=parts.platform, charge_id=result.charge_id, provider=provider)
    return [gifted, *(SubscriptionStarted(
        event_id=derived_id(f"gifted-subscription:{user}", gift_id),
        occurred_at=command.issued_at, channel=command.channel,
        user_id=user, subscription_id=str(derived_id(f"gift:{user}", gift_id)),
        tier=command.tier, period_start=command.issued_at,
        period_end=period_end(command.issued_at, 0), gift_id=gift_id,
        gifted_by=command.gifter_id, currency=result.amount.currency) for user in recipients)]


def cancel(state: SubscriptionState, command: CancelSubscription) -> Decision:
    """Renewals stop; the benefits last to the period's end. A gift, or a subscription already
    cancelled, will not renew anyway: nothing to record."""
    member = state.members.get(command.user_id)
    if member is None:
        return Rejected("subscription_not_found", "you are not subscribed to this channel")
    if member.cancelled or member.payment_method is None:
        return []
    return [SubscriptionCancelled(
        event_id=derived_id("subscription-cancelled", command.command_id),
        occurred_at=command.issued_at,
        channel=command.channel, user_id=command.user_id,
        subscription_id=member.subscription_id, ends_at=member.period_end)]


def change_card(state: SubscriptionState, command: ChangeSubscriptionCard) -> Decision:
    member = state.members.get(command.user_id)
    if member is None or member.payment_method is None:
        return Rejected("subscription_not_found", "you have no paid subscription to this "
                        "channel")
    return [SubscriptionCardChanged(
        event_id=derived_id("subscription-card", command.command_id),
        occurred_at=command.issued_at, channel=command.channel,
        user_id=command.user_id, subscription_id=member.subscription_id,
        payment_method=command.payment_method)]


def next_due(state: SubscriptionState, now: datetime) -> Membership | None:
    """The member whose period ended first, by `now`; None when none has."""
    due = [m for m in state.members.values() if m.period_end <= now]
    return min(due, key=lambda m: (m.period_end, m.user_id), default=None)


def ending_or_charge(channel: str, member: Membership,
                     rules: SubscriptionRules) -> SubscriptionEnded | ChargeRequest:
    """A cancelled subscription or a gift ends; any other is charged for its next period,
    once per (subscription, period) whatever the retries."""
    if member.payment_method is None or member.cancelled:
        return _ended(channel, member, "gift_expired" if member.payment_method is None
                      else "cancelled")
    price = rules.prices.get(member.tier)
    if price is None:
        return _ended(channel, member, "tier_withdrawn")
    return ChargeRequest(renewal_key(member), member.payment_method,
                         Money(price, rules.currency),
                         f"tier {member.tier} subscription to {channel}, renewal")


def renewal_key(member: Membership) -> str:
    return f"renewal:{member.subscription_id}:{member.period + 1}"


def renewal_charged(channel: str, member: Membership, result: ChargeResult,
                    rules: SubscriptionRules, provider: str) -> list[Event]:
    if isinstance(result, Declined):
        return [_ended(channel, member, "payment_declined", result.code)]
    parts, period = split(result, member.tier, rules), member.period + 1
    return [SubscriptionRenewed(
        event_id=derived_id("subscription-renewed", renewal_key(member)),
        occurred_at=member.period_end, channel=channel,
        user_id=member.user_id, subscription_id=member.subscription_id, tier=member.tier,
        period=period, period_start=period_start(member.anchor, period),
        period_end=period_end(member.anchor, period), amount_minor=result.amount.amount_minor,
        currency=result.amount.currency, processor_fee_minor=parts.processor,
        creator_share_minor=parts.creator, platform_share_minor=parts.platform,
        charge_id=result.charge_id, provider=provider)]


def _ended(channel: str, member: Membership, reason: str,
           decline_code: str | None = None) -> SubscriptionEnded:
    return SubscriptionEnded(
        event_id=derived_id("subscription-ended", f"{member.subscription_id}:{member.period}"),
        occurred_at=member.period_end,
        channel=channel, user_id=member.user_id, subscription_id=member.subscription_id,
        tier=member.tier, reason=reason, ended_at=member.period_end, decline_code=decline_code)


def evolve(state: SubscriptionState, event: Event) -> SubscriptionState:
    if isinstance(event, SubscriptionStarted):
        member = Membership(event.subscription_id, event.user_id, event.tier, event.period_start,
                            0, event.payment_method)
        return _with(state, member, event.charge_id)
    if isinstance(event, SubscriptionsGifted):
        return replace(state, charges=(*state.charges, event.charge_id)[-CHARGES_KEPT:])
    found = state.members.get(getattr(event, "user_id", ""))
    return state if found is None else _evolve_member(state, found, event)


def _evolve_member(state: SubscriptionState, member: Membership,
                   event: Event) -> SubscriptionState:
    if isinstance(event, SubscriptionRenewed):
        return _with(state, replace(member, period=event.period), event.charge_id)
    if isinstance(event, SubscriptionCancelled):
        return _with(state, replace(member, cancelled=True))
    if isinstance(event, SubscriptionCardChanged):
        return _with(state, replace(member, payment_method=event.payment_method))
    if isinstance(event, SubscriptionEnded):
        return replace(state, members={u: m for u, m in state.members.items()
                                       if u != event.user_id})
    return state


def _with(state: SubscriptionState, member: Membership,
          charge_id: str | None = None) -> SubscriptionState:
    charges = state.charges if charge_id is None else (
        (*state.charges, charge_id)[-CHARGES_KEPT:])
    return replace(state, members={**state.members, member.user_id: member}, charges=charges)


def remember(state: SubscriptionState, outcome: RememberedOutcome) -> SubscriptionState:
    return replace(state, recent=recent_window(state.recent, outcome))
