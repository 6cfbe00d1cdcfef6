"""Every gateway tails the chat topic and hands each message to its own sockets of that channel.

Messages of a channel share a partition, so they arrive, and are handed over, in log order.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict, deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cached_property

import msgspec

from events.ads import AdBreakStarted
from events.base import Message
from events.channels import CHANNELS_TOPIC
from events.chat import CHAT_TOPIC, ChatMessagePosted
from events.chat_moderation import ChatModeChanged, ChatModerated
from events.monetization import MONETIZATION_TOPIC, DonationMade
from gateways.raid_frames import RAID_EVENTS, raid_frames

log = logging.getLogger(__name__)
Frame = dict[str, object]
QUEUE_LIMIT = 1000
BATCHED_FRAMES = 100  # at most this many waiting frames sent as one to a client that batches
FRAME_ENCODER = msgspec.json.Encoder()


def message_frame(posted: ChatMessagePosted) -> Frame:
    return {
        "type": "message", "id": posted.message_id, "channel": posted.channel,
        "user_id": posted.user_id, "username": posted.username,
        "display_name": posted.display_name, "text": posted.text, "badges": posted.badges,
        "emotes": posted.emotes, "bits": posted.bits, "color": posted.color,
        "sent_at": posted.occurred_at.isoformat(), "reply": reply_of(posted),
        "announcement": posted.announcement_color or None,
    }


def reply_of(posted: ChatMessagePosted) -> Frame | None:
    if posted.reply_parent_message_id is None:
        return None
    return {"message_id": posted.reply_parent_message_id, "user_id": posted.reply_parent_user_id,
            "username": posted.reply_parent_username,
            "display_name": posted.reply_parent_display_name, "text": posted.reply_parent_text,
            "thread_message_id": posted.reply_thread_message_id,
            "thread_username": posted.reply_thread_username}


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


def batch_frame(frames: Sequence[str]) -> str:
    """Frames already encoded as JSON, sent as one: {"type": "batch", "frames": [...]}."""
    return '{"type":"batch","frames":[' + ",".join(frames) + "]}"


@dataclass(frozen=True, eq=False)
class Chunk:
    """Frames of one channel that arrived together, in order: shared by every socket of the
    channel, so a batch frame is encoded once for all the sockets that batch."""

    frames: tuple[str, ...]

    @cached_property
    def batched(self) -> str:
        return self.frames[0] if len(self.frames) == 1 else batch_frame(self.frames)


def chunks_of(frames: Sequence[str]) -> list[Chunk]:
    return [Chunk(tuple(frames[i:i + BATCHED_FRAMES]))
            for i in range(0, len(frames), BATCHED_FRAMES)]


class Subscription:
    """What a socket has yet to be sent, at most QUEUE_LIMIT frames."""

    def __init__(self, ad_free: bool = False) -> None:
        self.chunks: deque[Chunk] = deque()
        self.waiting = 0  # frames in self.chunks
        self.dropped = False
        self.ad_free = ad_free  # a signed-in subscriber of an ad-free tier: no ad_break frames
        self._arrived = asyncio.Event()

    def offer(self, chunk: Chunk) -> bool:
        """Queue the chunk; False, queuing nothing, when that would pass QUEUE_LIMIT."""
        if self.waiting + len(chunk.frames) > QUEUE_LIMIT:
            return False
        self.chunks.append(chunk)
        self.waiting += len(chunk.frames)
        self._arrived.set()
        return True

    def empty(self) -> bool:
        return not self.chunks

    async def next_texts(self, batches: bool) -> list[str]:
        """What to send next: the frames of the next chunk, each alone or, for a client that
        batches, every frame waiting (up to BATCHED_FRAMES) as one."""
        while not self.chunks:
            self._arrived.clear()
            await self._arrived.wait()
        taken = [self.chunks.popleft()]
        frames = len(taken[0].frames)
        while batches and self.chunks and frames + len(self.chunks[0].frames) <= BATCHED_FRAMES:
            taken.append(self.chunks.popleft())
            frames += len(taken[-1].frames)
        self.waiting -= frames
        if not batches:
            return list(taken[0].frames)
        if len(taken) == 1:
            return [taken[0].batched]
        return [batch_frame([frame for chunk in taken for frame in chunk.frames])]


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
    """Donations are paid on their own topic (keyed by donor), and ad breaks and raids are the
    channel's (channels topic), so each reaches sockets in order among its kind, not with the chat's
    messages.

    Frames handed over together (one read of the topic tail) are queued for each socket as one
    chunk per channel, once they are all in: per socket, the work is per read, not per
    message."""

    topics = (CHAT_TOPIC, MONETIZATION_TOPIC, CHANNELS_TOPIC)  # its topic tail hands them over

    def __init__(self) -> None:
        self.listeners: dict[str, set[Subscription]] = defaultdict(set)
        self.arrived: dict[str, list[tuple[str, bool]]] = {}  # channel -> (frame, is an ad)

    def subscribe(self, channel: str, ad_free: bool = False) -> Subscription:
        subscription = Subscription(ad_free=ad_free)
        self.listeners[channel].add(subscription)
        return subscription

    def unsubscribe(self, channel: str, subscription: Subscription) -> None:
        self.listeners[channel].discard(subscription)

    def hand_over(self, event: Message) -> None:
        if isinstance(event, RAID_EVENTS):
            for raid_frame in raid_frames(event):
                self.arrive(raid_frame)
            return
        frame = client_frame(event)
        if frame is not None:
            self.arrive(frame)

    def arrive(self, frame: Frame) -> None:
        channel = str(frame["channel"])
        if not self.arrived:
            asyncio.get_running_loop().call_soon(self.deliver)
        self.arrived.setdefault(channel, []).append(
            (FRAME_ENCODER.encode(frame).decode(), frame["type"] == "ad_break"))

    def deliver(self) -> None:
        """Queue what has arrived for each socket of its channel, in arrival order."""
        arrived, self.arrived = self.arrived, {}
        for channel, frames in arrived.items():
            listeners = self.listeners.get(channel)
            if not listeners:
                continue
            every = chunks_of([text for text, _ in frames])
            ad_free = chunks_of([text for text, ad in frames if not ad]) if any(
                ad for _, ad in frames) else every
            for subscription in list(listeners):
                for chunk in ad_free if subscription.ad_free else every:
                    if not subscription.offer(chunk):
                        self._drop(channel, subscription)
                        break

    def _drop(self, channel: str, subscription: Subscription) -> None:
        """A socket this far behind is closed rather than allowed to grow without bound."""
        subscription.dropped = True
        self.listeners[channel].discard(subscription)
        log.warning("chat socket on %s fell %d messages behind; dropping it", channel,
                    QUEUE_LIMIT)
