"""Monetization: bits, cheers and donations.

A user's wallet is decided by one writer per user: its commands (and the replies of the channel
decider it waits for) are keyed by user id on `wallet-commands`. Money facts go to the
`monetization` topic, keyed by the paying user, and every amount is an integer in the minor
unit of an ISO 4217 currency (cents), never a float. Each money event carries its own split
(processor fee, creator share, platform share) as decided when it happened, so the ledger is a
pure function of the log whatever the settings say later.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from events.base import Command, Event
from events.channel_commands import CHANNEL_COMMANDS_TOPIC

WALLET_COMMANDS_TOPIC = "wallet-commands"
MONETIZATION_TOPIC = "monetization"


@dataclass(frozen=True, kw_only=True)
class WalletCommand(
    Command, namespace="castline.monetization", topic=WALLET_COMMANDS_TOPIC, key_field="user_id"
):
    """Decided by the user's wallet."""


@dataclass(frozen=True, kw_only=True)
class WalletRequest(
    Command, namespace="castline.monetization", topic=CHANNEL_COMMANDS_TOPIC, key_field="channel"
):
    """A wallet asks the channel decider."""


@dataclass(frozen=True, kw_only=True)
class WalletReply(
    Event, namespace="castline.monetization", topic=WALLET_COMMANDS_TOPIC, key_field="user_id"
):
    """The channel decider's answer, back to the wallet that asked."""


@dataclass(frozen=True, kw_only=True)
class MoneyEvent(
    Event, namespace="castline.monetization", topic=MONETIZATION_TOPIC, key_field="user_id"
):
    """Money moved, keyed by the paying user."""


@dataclass(frozen=True, kw_only=True)
class BuyBits(WalletCommand):
    """Charge the payment method for a pack; the command id is the charge's idempotency key."""

    user_id: str
    bits: int
    price_minor: int
    currency: str
    payment_method: str  # the provider's token for the card: never the card number


@dataclass(frozen=True, kw_only=True)
class CheerBits(WalletCommand):
    """Spend bits on a chat message; the channel decider decides whether it is posted."""

    user_id: str
    channel: str
    message_id: str
    bits: int
    username: str
    display_name: str
    text: str
    followed_at: datetime | None = None
    subscriber_tier: int | None = None  # v2
    color: str = ""  # v3: the author's chat colour


@dataclass(frozen=True, kw_only=True)
class MakeDonation(WalletCommand):
    """Donate to a channel with a message, which the channel's chat rules must accept first."""

    user_id: str
    username: str
    display_name: str
    channel: str
    amount_minor: int
    currency: str
    message: str
    payment_method: str


@dataclass(frozen=True, kw_only=True)
class ReviewDonation(WalletRequest):
    """The wallet asks the channel whether a donation's message may be shown in its chat."""

    channel: str
    donation_id: str
    user_id: str
    message: str


@dataclass(frozen=True, kw_only=True)
class CheerPostDecided(WalletReply):
    """The channel decider's answer to a cheer's chat message, back to the cheerer's wallet."""

    user_id: str
    channel: str
    message_id: str
    posted: bool
    error: str | None = None
    message: str | None = None
    retry_after_s: float | None = None


@dataclass(frozen=True, kw_only=True)
class DonationReviewed(WalletReply):
    """The channel decider's answer to a donation's message, back to the donor's wallet."""

    user_id: str
    channel: str
    donation_id: str
    approved: bool
    error: str | None = None
    message: str | None = None


@dataclass(frozen=True, kw_only=True)
class BitsPurchased(MoneyEvent):
    """A pack was paid for: price = processor fee + the bits' value to creators + the platform's
    margin. bits_value_minor is what the bits are worth when cheered."""

    user_id: str
    bits: int
    amount_minor: int
    currency: str
    bits_value_minor: int
    processor_fee_minor: int
    charge_id: str
    provider: str
    command_id: str


@dataclass(frozen=True, kw_only=True)
class BitsCheered(MoneyEvent):
    """Bits spent on a posted chat message: their value goes to the creator and the platform."""

    user_id: str
    channel: str
    message_id: str
    bits: int
    currency: str
    creator_share_minor: int
    platform_share_minor: int


@dataclass(frozen=True, kw_only=True)
class DonationMade(MoneyEvent):
    """A donation was paid: amount = processor fee + platform fee + the creator's share."""

    user_id: str
    username: str
    display_name: str
    channel: str
    donation_id: str
    amount_minor: int
    currency: str
    message: str
    processor_fee_minor: int
    platform_fee_minor: int
    creator_share_minor: int
    charge_id: str
    provider: str


@dataclass(frozen=True, kw_only=True)
class RefundBits(WalletCommand):
    """A platform admin refunds a bits purchase to its card; decided by the buyer's wallet."""

    user_id: str  # the buyer
    purchase_id: str  # the BitsPurchased event's id
    admin_id: str


@dataclass(frozen=True, kw_only=True)
class BitsRefunded(MoneyEvent):
    """A purchase refunded to its card, its unspent bits taken back. amount = bits value + the
    platform's part; the processor keeps processor_fee_kept_minor of its fee (returning
    processor_fee_returned_minor), so the platform bears what the processor keeps."""

    user_id: str
    purchase_id: str
    charge_id: str
    refund_id: str
    bits: int
    amount_minor: int
    currency: str
    bits_value_minor: int
    processor_fee_kept_minor: int
    processor_fee_returned_minor: int
    provider: str
    admin_id: str
    command_id: str
