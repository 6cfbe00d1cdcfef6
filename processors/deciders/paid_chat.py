"""What the channel decider answers the wallets: whether a cheer's message is posted, whether a
donation's message may be shown. Every decision on such a command, refusals included, goes
back to the wallet, which holds bits or a pending donation until it hears."""

from __future__ import annotations

from events.base import Event
from events.chat import ChatMessagePosted, SendChatMessage
from events.monetization import CheerPostDecided, DonationReviewed, ReviewDonation
from processors.deciders.chat import MAX_LENGTH, Poster, banned
from processors.deciders.decisions import Rejected

Decision = list[Event] | Rejected


def review_donation(poster: Poster, command: ReviewDonation, now: float) -> Decision:
    """The donor may not be banned or timed out, nor the message break the chat's rules."""
    if command.user_id == poster.owner_id:
        return Rejected("invalid_donation", "you cannot donate to your own channel", "channel")
    if len(command.message) > MAX_LENGTH:
        return Rejected("invalid_message", f"a message is at most {MAX_LENGTH} characters",
                        "message")
    if any(term in command.message.lower() for term in poster.modes.blocked_terms):
        return Rejected("blocked_term", "the message contains a term blocked in this chat",
                        "message")
    refused = banned(poster.bans, command.user_id, now)
    return refused if refused is not None else [DonationReviewed(
        user_id=command.user_id, channel=command.channel, donation_id=command.donation_id,
        approved=True)]


def replied(command: object, decision: Decision) -> Decision:
    """The decision, with the wallet's answer added when the command came from a wallet."""
    if isinstance(command, SendChatMessage) and command.bits > 0:
        return _cheer_reply(command, decision)
    if isinstance(command, ReviewDonation) and isinstance(decision, Rejected):
        reply = DonationReviewed(user_id=command.user_id, channel=command.channel,
                                 donation_id=command.donation_id, approved=False,
                                 error=decision.error, message=decision.message)
        return _with_events(decision, reply)
    return decision


def _cheer_reply(command: SendChatMessage, decision: Decision) -> Decision:
    if isinstance(decision, Rejected):
        return _with_events(decision, CheerPostDecided(
            user_id=command.user_id, channel=command.channel, message_id=command.message_id,
            posted=False, error=decision.error, message=decision.message,
            retry_after_s=decision.retry_after_s))
    posted = any(isinstance(e, ChatMessagePosted) for e in decision)
    return [*decision, CheerPostDecided(
        user_id=command.user_id, channel=command.channel, message_id=command.message_id,
        posted=posted)]


def _with_events(rejected: Rejected, *events: Event) -> Rejected:
    return Rejected(rejected.error, rejected.message, rejected.field,
                    (*rejected.events, *events), rejected.retry_after_s)
