"""The fan-out: frames sent as one to a client that batches (still JSON, in order), frames that
arrive together queued once per socket, ad breaks skipped for the ad-free, and a socket too far
behind dropped."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime

from events.ads import AdBreakStarted
from events.base import Message
from events.chat import ChatMessagePosted
from gateways.chat_fanout import QUEUE_LIMIT, ChatFanout, Subscription, batch_frame


def posted(text: str, channel: str = "room") -> ChatMessagePosted:
    return ChatMessagePosted(channel=channel, message_id=text, user_id="u1", username="ann",
                             display_name="Ann", text=text)


def ad_break() -> AdBreakStarted:
    return AdBreakStarted(channel="room", break_id="b1", duration_s=30,
                          started_at=datetime.now(UTC), scheduled=False, cpm_minor=100,
                          currency="USD", creator_share_bps=5000, cooldown_s=0)


def texts_of(frames: list[str]) -> list[str]:
    """The message texts the sent frames hold, in order."""
    decoded = [json.loads(f) for f in frames]
    inner = [g for d in decoded for g in (d["frames"] if d["type"] == "batch" else [d])]
    return [g.get("text", g["type"]) for g in inner]


async def handed_over(*events: Message, ad_free: bool = False
                      ) -> tuple[list[str], list[str], Subscription]:
    """What a batching and a non-batching socket are sent of events handed over together."""
    fanout = ChatFanout()
    batching, single = fanout.subscribe("room", ad_free), fanout.subscribe("room", ad_free)
    other = fanout.subscribe("elsewhere")
    for event in events:
        fanout.hand_over(event)
    await asyncio.sleep(0)  # the delivery runs once the handed-over frames are all in
    assert other.empty()
    return await batching.next_texts(True), await single.next_texts(False), batching


def test_a_batch_frame_holds_the_frames_in_order() -> None:
    frames = [{"type": "message", "text": "a"}, {"type": "moderation", "action": "clear"}]
    assert json.loads(batch_frame([json.dumps(f) for f in frames])) == {
        "type": "batch", "frames": frames}


def test_frames_handed_over_together_reach_each_socket_in_order() -> None:
    batched, single, rest = asyncio.run(handed_over(posted("a"), posted("b"), posted("c")))
    assert len(batched) == 1
    assert texts_of(batched) == texts_of(single) == ["a", "b", "c"]
    assert rest.empty()


def test_a_socket_of_an_ad_free_subscriber_gets_no_ad_break() -> None:
    _, single, _ = asyncio.run(handed_over(posted("a"), ad_break(), posted("b")))
    assert texts_of(single) == ["a", "ad_break", "b"]
    _, single, _ = asyncio.run(handed_over(posted("a"), ad_break(), posted("b"), ad_free=True))
    assert texts_of(single) == ["a", "b"]


def test_a_socket_too_far_behind_is_dropped_after_what_it_was_queued() -> None:
    async def overflowing() -> tuple[Subscription, int]:
        fanout = ChatFanout()
        slow = fanout.subscribe("room")
        for number in range(QUEUE_LIMIT + 1):
            fanout.hand_over(posted(str(number)))
            await asyncio.sleep(0)
        sent = 0
        while not slow.empty():
            sent += len(texts_of(await slow.next_texts(True)))
        return slow, sent

    slow, sent = asyncio.run(overflowing())
    assert slow.dropped
    assert sent == QUEUE_LIMIT
