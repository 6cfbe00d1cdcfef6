"""The wallet decider: pure decisions for one user's bits and payments.

One writer per user (commands keyed by user id), so a balance can be checked and spent without
a race. A cheer holds its bits while the channel decides whether its chat message is posted:
held bits cannot be spent twice, and they are spent (BitsCheered) only once the message is
posted, or handed back if it is refused, so nothing is ever debited for a message not shown.
Charges happen between two pure steps (the agent calls the provider): first the request,
then the decision on the provider's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from events.base import Event
from events.chat import SendChatMessage
from events.monetization import (
    BitsCheered,
    BitsPurchased,
    BitsRefunded,
    BuyBits,
    CheerBits,
    CheerPostDecided,
    DonationMade,
    DonationReviewed,
    MakeDonation,
    ReviewDonation,
)
from payments.money import Money, share
from payments.provider import ChargeRequest, ChargeResult, Declined
from processors.deciders.charges import uncounted_charge
from processors.deciders.decisions import Rejected, RememberedOutcome, recent_window
from processors.deciders.derived import derived_id

CHARGES_KEPT = 256
Decision = list[Event] | Rejected


@dataclass(frozen=True)
class WalletRules:
    bits_currency: str = "USD"
    bit_value_minor: int = 1
    creator_share_bps: int = 10_000
    max_cheer_bits: int = 100_000
    donation_limits: dict[str, tuple[int, int]] = field(
        default_factory=lambda: {"USD": (100, 1_000_000)})
    donation_platform_fee_bps: int = 500


@dataclass(frozen=True)
class Hold:
    """Bits held for a cheer until its channel decides the message."""

    command_id: str
    channel: str
    bits: int


@dataclass(frozen=True)
class PendingDonation:
    """A donation whose message the channel is reviewing; nothing is charged yet."""

    command_id: str
    user_id: str
    username: str
    display_name: str
    channel: str
    amount_minor: int
    currency: str
    message: str
    payment_method: str
    issued_at: float | None = None  # epoch seconds; None in a state saved before it was kept

    @classmethod
    def of(cls, command: MakeDonation) -> PendingDonation:
        return cls(str(command.command_id), command.user_id, command.username,
                   command.display_name, command.channel, command.amount_minor,
                   command.currency, command.message, command.payment_method,
                   command.issued_at.timestamp())

    def made_at(self) -> datetime:
        """When the donation was asked for: the time of the event that records it."""
        return datetime.now(UTC) if self.issued_at is None else datetime.fromtimestamp(
            self.issued_at, UTC)


@dataclass(frozen=True)
class Purchase:
    """A bits purchase as a refund needs it, by its BitsPurchased event id."""

    charge_id: str
    bits: int
    amount_minor: int
    currency: str
    bits_value_minor: int
    processor_fee_minor: int
    refunded: bool = False


@dataclass(frozen=True)
class WalletState:
    balance: int = 0
    holds: dict[str, Hold] = field(default_factory=dict)  # by chat message id
    donations: dict[str, PendingDonation] = field(default_factory=dict)  # by id
    recent: tuple[RememberedOutcome, ...] = ()
    charges: tuple[str, ...] = ()  # charge ids already turned into bits or donations
    purchases: dict[str, Purchase] = field(default_factory=dict)  # by BitsPurchased event id

    @property
    def available(self) -> int:
        return self.balance - sum(h.bits for h in self.holds.values())

    def outcome_of(self, command_id: str) -> RememberedOutcome | None:
        return next((o for o in self.recent if o.command_id == command_id), None)


def request_purchase(command: BuyBits) -> ChargeRequest | Rejected:
    if command.bits <= 0 or command.price_minor <= 0:
        return Rejected("invalid_pack", "a pack has a positive number of bits and price", "pack")
    return ChargeRequest(str(command.command_id), command.payment_method,
                         Money(command.price_minor, command.currency),
                         f"{command.bits} bits")


def purchase_charged(state: WalletState, command: BuyBits, result: ChargeResult,
                     rules: WalletRules, provider: str) -> Decision:
    if isinstance(result, Declined) or result.charge_id in state.charges:
        return uncounted_charge(result)
    return [BitsPurchased(
        event_id=derived_id("bits-purchased", command.command_id),
        occurred_at=command.issued_at, user_id=command.user_id,
        bits=command.bits, amount_minor=result.amount.amount_minor,
        currency=result.amount.currency, bits_value_minor=command.bits * rules.bit_value_minor,
        processor_fee_minor=result.fee.amount_minor, charge_id=result.charge_id,
        provider=provider, command_id=str(command.command_id))]


def cheer(state: WalletState, command: CheerBits,
          rules: WalletRules) -> tuple[WalletState, SendChatMessage] | Rejected:
    """Hold the bits and ask the channel to post; asked again if the hold is already there."""
    if not 0 < command.bits <= rules.max_cheer_bits:
        return Rejected("invalid_cheer", f"a cheer is 1 to {rules.max_cheer_bits} bits", "bits")
    if command.message_id not in state.holds:
        if command.bits > state.available:
            return Rejected("insufficient_bits", f"this cheer needs {command.bits} bits; you "
                            f"have {state.available}", "bits")
        hold = Hold(str(command.command_id), command.channel, command.bits)
        state = replace(state, holds={**state.holds, command.message_id: hold})
    return state, SendChatMessage(
        command_id=derived_id("cheer-post", command.command_id), issued_at=command.issued_at,
        channel=command.channel, message_id=command.message_id, user_id=command.user_id,
        username=command.username, display_name=command.display_name, text=command.text,
        followed_at=command.followed_at, bits=command.bits,
        subscriber_tier=command.subscriber_tier, color=command.color)


def cheer_decided(state: WalletState, reply: CheerPostDecided,
                  rules: WalletRules) -> tuple[WalletState, str, Decision] | None:
    """The hold is spent or handed back; None when no hold awaits this answer (redelivered)."""
    hold = state.holds.get(reply.message_id)
    if hold is None:
        return None
    holds = {m: h for m, h in state.holds.items() if m != reply.message_id}
    if not reply.posted:
        refusal = Rejected(reply.error or "rejected", reply.message or "the message was refused",
                           retry_after_s=reply.retry_after_s)
        return replace(state, holds=holds), hold.command_id, refusal
    worth = hold.bits * rules.bit_value_minor
    creator = share(worth, rules.creator_share_bps)
    return state, hold.command_id, [BitsCheered(
        event_id=derived_id("bits-cheered", hold.command_id), occurred_at=reply.occurred_at,
        user_id=reply.user_id,
        channel=hold.channel, message_id=reply.message_id, bits=hold.bits,
        currency=rules.bits_currency, creator_share_minor=creator,
        platform_share_minor=worth - creator)]


def donate(state: WalletState, command: MakeDonation,
           rules: WalletRules) -> tuple[WalletState, ReviewDonation] | Rejected:
    """Check the amount, then ask the channel about the message before anything is charged."""
    limits = rules.donation_limits.get(command.currency)
    if limits is None:
        return Rejected("unsupported_currency", f"donations are taken in "
                        f"{', '.join(sorted(rules.donation_limits))}", "currency")
    low, high = limits
    if not low <= command.amount_minor <= high:
        return Rejected("invalid_amount", f"a donation is {low} to {high} minor units of "
                        f"{command.currency}", "amount")
    donation_id = str(command.command_id)
    state = replace(state, donations={**state.donations,
                                      donation_id: PendingDonation.of(command)})
    # A retried request (same key, later issue time) is reviewed again: the channel answers
    # a review it already decided only on command-outcomes, not to this wallet.
    review = f"{donation_id}:{command.issued_at.isoformat()}"
    return state, ReviewDonation(
        command_id=derived_id("donation-review", review), channel=command.channel,
        donation_id=donation_id, user_id=command.user_id, message=command.message)


def donation_reviewed(state: WalletState, reply: DonationReviewed
                      ) -> tuple[PendingDonation, ChargeRequest | Rejected] | None:
    """The charge to make, or the refusal to answer; None when nothing awaits this review."""
    pending = state.donations.get(reply.donation_id)
    if pending is None:
        return None
    if not reply.approved:
        return pending, Rejected(reply.error or "rejected",
                                 reply.message or "the donation was refused", "message")
    return pending, ChargeRequest(
        reply.donation_id, pending.payment_method,
        Money(pending.amount_minor, pending.currency), f"donation to {pending.channel}")


def donation_charged(state: WalletState, donation: PendingDonation, result: ChargeResult,
                     rules: WalletRules, provider: str) -> Decision:
    if isinstance(result, Declined) or result.charge_id in state.charges:
        return uncounted_charge(result)
    amount, fee = result.amount.amount_minor, result.fee.amount_minor
    platform = min(share(amount, rules.donation_platform_fee_bps), amount - fee)
    return [DonationMade(
        event_id=derived_id("donation-made", donation.command_id),
        occurred_at=donation.made_at(), user_id=donation.user_id,
        username=donation.username, display_name=donation.display_name,
        channel=donation.channel, donation_id=donation.command_id, amount_minor=amount,
        currency=result.amount.currency, message=donation.message, processor_fee_minor=fee,
        platform_fee_minor=platform, creator_share_minor=amount - fee - platform,
        charge_id=result.charge_id, provider=provider)]


def forget_donation(state: WalletState, donation_id: str) -> WalletState:
    return replace(state, donations={d: c for d, c in state.donations.items()
                                     if d != donation_id})


def evolve(state: WalletState, event: Event) -> WalletState:
    if isinstance(event, BitsPurchased):
        purchase = Purchase(event.charge_id, event.bits, event.amount_minor, event.currency,
                            event.bits_value_minor, event.processor_fee_minor)
        return replace(state, balance=state.balance + event.bits,
                       charges=(*state.charges, event.charge_id)[-CHARGES_KEPT:],
                       purchases={**state.purchases, str(event.event_id): purchase})
    if isinstance(event, BitsRefunded):
        refunded = replace(state.purchases[event.purchase_id], refunded=True)
        return replace(state, balance=state.balance - event.bits,
                       purchases={**state.purchases, event.purchase_id: refunded})
    if isinstance(event, BitsCheered):
        return replace(state, balance=state.balance - event.bits,
                       holds={m: h for m, h in state.holds.items() if m != event.message_id})
    if isinstance(event, DonationMade):
        return replace(forget_donation(state, event.donation_id),
                       charges=(*state.charges, event.charge_id)[-CHARGES_KEPT:])
    return state


def remember(state: WalletState, outcome: RememberedOutcome) -> WalletState:
    return replace(state, recent=recent_window(state.recent, outcome))
