"""Each money event as a balanced transaction of ledger entries (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from events.ads import AdImpressionRecorded
from events.base import Message
from events.monetization import BitsCheered, BitsPurchased, BitsRefunded, DonationMade
from events.subscriptions import SubscriptionRenewed, SubscriptionsGifted, SubscriptionStarted

MONEY_IN = "external:cards"
ADVERTISERS = "external:advertisers"
PROCESSOR = "processor"
PLATFORM = "platform"


def viewer(user_id: str) -> str:
    return f"viewer:{user_id}"


def creator(channel: str) -> str:
    return f"creator:{channel}"


@dataclass(frozen=True)
class Transaction:
    source: str  # what moved the money: bits_purchase, refund, cheer, donation, subscription,
    # gift, ads
    currency: str
    channel: str | None
    entries: tuple[tuple[str, int], ...]  # (account, signed amount); they sum to zero


def transaction_of(event: Message) -> Transaction | None:
    if isinstance(event, BitsPurchased):
        margin = event.amount_minor - event.processor_fee_minor - event.bits_value_minor
        return _balanced("bits_purchase", event.currency, None, (
            (MONEY_IN, -event.amount_minor), (PROCESSOR, event.processor_fee_minor),
            (viewer(event.user_id), event.bits_value_minor), (PLATFORM, margin)))
    if isinstance(event, BitsRefunded):
        return _refund(event)
    if isinstance(event, BitsCheered):
        worth = event.creator_share_minor + event.platform_share_minor
        return _balanced("cheer", event.currency, event.channel, (
            (viewer(event.user_id), -worth), (creator(event.channel), event.creator_share_minor),
            (PLATFORM, event.platform_share_minor)))
    if isinstance(event, DonationMade):
        return _balanced("donation", event.currency, event.channel, (
            (MONEY_IN, -event.amount_minor), (PROCESSOR, event.processor_fee_minor),
            (PLATFORM, event.platform_fee_minor),
            (creator(event.channel), event.creator_share_minor)))
    if isinstance(event, SubscriptionStarted | SubscriptionRenewed | SubscriptionsGifted):
        return _subscription(event)
    if isinstance(event, AdImpressionRecorded):
        return _balanced("ads", event.currency, event.channel, (
            (ADVERTISERS, -event.revenue_minor),
            (creator(event.channel), event.creator_share_minor),
            (PLATFORM, event.platform_share_minor)))
    return None


def _refund(event: BitsRefunded) -> Transaction:
    """The purchase reversed: the card gets the amount back and the viewer loses the bits'
    value; the processor gives back only the fee it returns, so the platform gives back its
    margin and bears the fee the processor keeps."""
    platform = event.amount_minor - event.bits_value_minor - event.processor_fee_returned_minor
    return _balanced("refund", event.currency, None, (
        (MONEY_IN, event.amount_minor), (PROCESSOR, -event.processor_fee_returned_minor),
        (viewer(event.user_id), -event.bits_value_minor), (PLATFORM, -platform)))


def _subscription(event: SubscriptionStarted | SubscriptionRenewed | SubscriptionsGifted
                  ) -> Transaction | None:
    """A paid start or a renewal is a subscription's money; a gift's is in SubscriptionsGifted
    (the gifted starts carry none)."""
    if event.amount_minor == 0:
        return None
    return _balanced(
        "gift" if isinstance(event, SubscriptionsGifted) else "subscription", event.currency,
        event.channel, ((MONEY_IN, -event.amount_minor), (PROCESSOR, event.processor_fee_minor),
                        (creator(event.channel), event.creator_share_minor),
                        (PLATFORM, event.platform_share_minor)))


class UnbalancedTransaction(ValueError):
    pass


def _balanced(source: str, currency: str, channel: str | None,
              entries: tuple[tuple[str, int], ...]) -> Transaction:
    """Entries of zero are left out; an event whose parts do not add up is refused loudly."""
    if sum(amount for _, amount in entries) != 0:
        raise UnbalancedTransaction(f"{source} entries do not sum to zero: {entries}")
    return Transaction(source, currency, channel, tuple(e for e in entries if e[1] != 0))
