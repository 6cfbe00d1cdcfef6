"""Every gateway tails the chat topic and hands each message to its own sockets of that channel.

Messages of a channel share a partition, so they arrive, and are handed over, in log order.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from events.ads import AdBreakStarted
from events.base import Message
from events.channels import CHANNELS_TOPIC
from events.chat import CHAT_TOPIC, ChatMessagePosted
from events.chat_moderation import ChatModeChanged, ChatModerated
from events.monetization import MONETIZATION_TOPIC, DonationMade

log = logging.getLogger(__name__)
Frame = dict[str, object]
QUEUE_LIMIT = 1000
BATCHED_FRAMES = 100  # at most this many waiting frames sent as one to a client that batches


def message_frame(posted: ChatMessagePosted) -> Frame:
    return {
        "type": "message", "id": posted.message_id, "channel": posted.channel,
        "user_id": posted.user_id, "username": posted.username,
        "display_name": posted.display_name, "text": posted.text, "badges": posted.badges,
        "emotes": posted.emotes, "bits": posted.bits, "sent_at": posted.occurred_at.isoformat(),
    }


def donation_frame(donation: DonationMade) -> Frame:
    return {
        "type": "donation", "id": donation.donation_id, "channel": donation.channel,
        "user_id": donation.user_id, "username": donation.username,
        "display_name": donation.display_name, "amount": donation.amount_minor,
        "currency": donation.currency, "message": donation.message,
        "sent_at": donation.occurred_at.isoformat(),
    }


def ad_break_frame(started: AdBreakStarted) -> Frame:
    ends_at = started.started_at + timedelta(seconds=started.duration_s)
    return {"type": "ad_break", "channel": started.channel, "break_id": started.break_id,
            "duration_s": started.duration_s, "ends_at": ends_at.isoformat(),
            "scheduled": started.scheduled}


def batch_frame(frames: list[str]) -> str:
    """Frames already encoded as JSON, sent as one: {"type": "batch", "frames": [...]}."""
    return '{"type": "batch", "frames": [' + ", ".join(frames) + "]}"


async def next_text(queue: asyncio.Queue[str], batches: bool) -> str:
    """What to send a socket next: the next frame or, for a client that batches, every frame
    waiting (up to BATCHED_FRAMES) as one."""
    frames = [await queue.get()]
    while batches and len(frames) < BATCHED_FRAMES and not queue.empty():
        frames.append(queue.get_nowait())
    return frames[0] if len(frames) == 1 else batch_frame(frames)


@dataclass(eq=False)
class Subscription:
    queue: asyncio.Queue[str]  # frames as JSON text, encoded once for every socket
    dropped: bool = False
    ad_free: bool = False  # a signed-in subscriber of an ad-free tier: no ad_break frames


def client_frame(event: Message) -> Frame | None:
    """What a client is told of an event on the chat topic."""
    if isinstance(event, ChatMessagePosted):
        return message_frame(event)
    if isinstance(event, DonationMade):
        return donation_frame(event)
    if isinstance(event, AdBreakStarted):
        return ad_break_frame(event)
    if isinstance(event, ChatModerated):
        return {"type": "moderation", "action": event.action, "channel": event.channel,
                "target_user_id": event.target_user_id, "target_username": event.target_username,
                "message_id": event.message_id, "duration_s": event.duration_s,
                "reason": event.reason, "hide_history": event.hide_history}
    if isinstance(event, ChatModeChanged):
        return {"type": "modes", "channel": event.channel, "slow_mode_s": event.slow_mode_s,
                "followers_only_s": event.followers_only_s,
                "subscriber_only": event.subscriber_only, "emote_only": event.emote_only}
    return None


class ChatFanout:
    """Donations are paid on their own topic (keyed by donor), and ad breaks are the channel's
    (channels topic), so each reaches sockets in order among its kind, not with the chat's
    messages."""

    topics = (CHAT_TOPIC, MONETIZATION_TOPIC, CHANNELS_TOPIC)  # its topic tail hands them over

    def __init__(self) -> None:
        self.listeners: dict[str, set[Subscription]] = defaultdict(set)

    def subscribe(self, channel: str, ad_free: bool = False) -> Subscription:
        subscription = Subscription(asyncio.Queue(QUEUE_LIMIT), ad_free=ad_free)
        self.listeners[channel].add(subscription)
        return subscription

    def unsubscribe(self, channel: str, subscription: Subscription) -> None:
        self.listeners[channel].discard(subscription)

    def hand_over(self, event: Message) -> None:
        frame = client_frame(event)
        if frame is None:
            return
        channel, text = str(frame["channel"]), json.dumps(frame)
        ad = frame["type"] == "ad_break"
        for subscription in list(self.listeners.get(channel, ())):
            if ad and subscription.ad_free:
                continue
            try:
                subscription.queue.put_nowait(text)
            except asyncio.QueueFull:
                # A socket this far behind is closed rather than allowed to grow without bound.
                subscription.dropped = True
                self.listeners[channel].discard(subscription)
                log.warning("chat socket on %s fell %d messages behind; dropping it", channel,
                            QUEUE_LIMIT)
