"""Subscriptions told in chat, as Twitch's chat tells them: a new subscriber, a renewal, a gift
to one viewer, or gifts to several (one notice for the gifter, then one per recipient).

Subscription events name users by id only, so each gateway looks their names up (one query per
read of the topic tail) before handing the frames to the fan-out. Notices are looked up and
handed over one read at a time, so they keep the log's order among themselves.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable
from typing import Any

from psycopg import Error as DatabaseError
from psycopg_pool import AsyncConnectionPool

from events.base import Message
from events.subscriptions import SubscriptionRenewed, SubscriptionsGifted, SubscriptionStarted
from gateways.chat_fanout import ChatFanout, Frame
from projections.user_reads import names_of

log = logging.getLogger(__name__)
Names = dict[str, tuple[str, str]]  # user id -> (username, display name)
SubscriptionNotice = SubscriptionStarted | SubscriptionRenewed | SubscriptionsGifted
NOTICE_EVENTS = (SubscriptionStarted, SubscriptionRenewed, SubscriptionsGifted)


def people_in(event: SubscriptionNotice) -> list[str]:
    if isinstance(event, SubscriptionsGifted):
        return [event.gifter_id, *event.recipient_ids]
    return [event.user_id]


def notice_frames(event: SubscriptionNotice, names: Names) -> list[Frame]:
    """The frames of one event (pure); none for a gifted subscription's start, which its
    gift's notices already told."""
    if isinstance(event, SubscriptionsGifted):
        return _gift_frames(event, names)
    if isinstance(event, SubscriptionStarted) and event.gift_id is not None:
        return []
    months = event.period + 1 if isinstance(event, SubscriptionRenewed) else 1
    kind = "resub" if months > 1 else "sub"
    return [_frame(event, kind, event.user_id, names, str(event.event_id), months=months)]


def _gift_frames(gifted: SubscriptionsGifted, names: Names) -> list[Frame]:
    # A recipient's notice has an id of its own: the gift's event id and the recipient's.
    recipients = [_frame(gifted, "subgift", gifted.gifter_id, names,
                         f"{gifted.event_id}:{recipient}", months=1,
                         recipient=_person(recipient, names))
                  for recipient in gifted.recipient_ids]
    if len(recipients) == 1:
        return recipients
    mystery = _frame(gifted, "submysterygift", gifted.gifter_id, names, str(gifted.event_id),
                     gift_count=len(gifted.recipient_ids))
    return [mystery, *recipients]


def _frame(event: SubscriptionNotice, kind: str, user_id: str, names: Names, notice_id: str,
           **extra: object) -> Frame:
    username, display_name = names.get(user_id, ("", ""))
    return {"type": "subscription", "kind": kind, "id": notice_id,
            "channel": event.channel, "user_id": user_id, "username": username,
            "display_name": display_name, "tier": str(event.tier),
            "sent_at": event.occurred_at.isoformat(), **extra}


def _person(user_id: str, names: Names) -> dict[str, str]:
    username, display_name = names.get(user_id, ("", ""))
    return {"user_id": user_id, "username": username, "display_name": display_name}


class ChatNotices:
    """Hands the fan-out the notices of subscription events, named; other events go to the
    fan-out at once."""

    def __init__(self, pool: AsyncConnectionPool[Any], fanout: ChatFanout) -> None:
        self.pool = pool
        self.fanout = fanout
        self.waiting: list[SubscriptionNotice] = []
        self.telling: asyncio.Task[None] | None = None

    def hand_over(self, event: Message) -> None:
        if not isinstance(event, NOTICE_EVENTS):
            self.fanout.hand_over(event)
            return
        if not self.fanout.listeners.get(event.channel):  # no clients here: no lookups
            return
        self.waiting.append(event)
        if self.telling is None:
            self.telling = asyncio.get_running_loop().create_task(self._tell())

    async def _tell(self) -> None:
        try:
            while self.waiting:
                events, self.waiting = self.waiting, []
                names = await self._names({p for event in events for p in people_in(event)})
                for event in events:
                    for frame in notice_frames(event, names):
                        self.fanout.arrive(frame)
        finally:
            self.telling = None

    async def _names(self, user_ids: Iterable[str]) -> Names:
        """Names as far as they can be read: a notice without them beats none."""
        try:
            async with self.pool.connection() as conn:
                return await names_of(conn, list(user_ids))
        except DatabaseError as error:
            log.warning("subscription notices go without names: %s", error)
            return {}

    async def close(self) -> None:
        if self.telling is not None:
            self.telling.cancel()
