"""The HTTP status of each kind of rejection a decider answers. A rejection that comes with a
wait (retry_after_s) is answered 429 whatever its kind; the entries of kinds that always come
with one say so too. A kind missing here is answered 422, and logged: it should be added."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

UNKNOWN_KIND_STATUS = 422

REJECTION_STATUS: dict[str, int] = {
    # accounts
    "username_taken": 409, "email_taken": 409,
    # channels, moderators, streams
    "channel_not_found": 404, "channel_exists": 409, "forbidden": 403,
    "invalid_moderator": 422, "moderator_exists": 409, "moderator_not_found": 404,
    "wrong_key": 403, "channel_banned": 403, "already_live": 409, "session_not_found": 404,
    # chat (timed_out carries its wait, except when a timed-out donor's message is refused)
    "invalid_message": 422, "rate_limited": 429, "slow_mode": 429, "timed_out": 422,
    "banned": 422, "blocked_term": 422, "subscribers_only": 422, "followers_only": 422,
    "emote_only": 422, "invalid_action": 422, "invalid_field": 422,
    # ads
    "invalid_duration": 422, "invalid_schedule": 422, "channel_not_live": 409,
    "ad_break_running": 429, "ad_cooldown": 429, "ad_break_not_found": 404,
    "ad_break_ended": 409, "not_watching": 409,
    # subscriptions
    "invalid_subscription": 422, "already_subscribed": 409, "invalid_tier": 422,
    "invalid_count": 422, "no_eligible_viewers": 409, "invalid_gift": 422,
    "subscription_not_found": 404,
    # wallets: bits, cheers, donations, refunds ("rejected": a refusal that named no kind)
    "invalid_pack": 422, "invalid_cheer": 422, "insufficient_bits": 422,
    "unsupported_currency": 422, "invalid_amount": 422, "invalid_donation": 422,
    "purchase_not_found": 404, "already_refunded": 409, "bits_spent": 409, "rejected": 422,
    # the payment provider's answers to a charge, and to a refund (prefixed refund_)
    "payment_unavailable": 503, "card_declined": 402, "insufficient_funds": 402,
    "idempotency_key_reused": 409, "refund_charge_not_found": 404,
    "refund_amount_exceeds_charge": 422, "refund_idempotency_key_reused": 409,
    # raids
    "not_live": 409, "target_offline": 409, "raids_refused": 409, "cannot_raid_self": 422,
    "already_raiding": 409, "raid_not_found": 404, "invalid_raid_setting": 422,
    # shoutouts
    "cannot_shoutout_self": 422, "shoutout_cooldown": 429, "shoutout_target_cooldown": 429,
    # a command no decider could decide (it could not be read or stored)
    "unprocessable": 422,
}


def rejection_status(kind: str) -> int:
    status = REJECTION_STATUS.get(kind)
    if status is None:
        log.warning("rejection kind %r has no HTTP status; answered %d", kind,
                    UNKNOWN_KIND_STATUS)
        return UNKNOWN_KIND_STATUS
    return status
