"""Posting into one channel's chat as a signed-in user, whatever the protocol (JSON or IRC): the
standing the decider's rules need, the command, and its outcome."""

from __future__ import annotations

import asyncio
import logging
import re
import time
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from cassandra import Timeout, Unavailable
from cassandra.cluster import NoHostAvailable, OperationTimedOut
from redis.exceptions import RedisError

from events.chat import SendChatMessage
from events.monetization import CheerBits
from gateways.auth import Principal
from gateways.cheers import cheered_bits
from gateways.errors import ApiError
from gateways.message_authors import RecentMessage, recent_message
from gateways.state import Services
from projections.channel_reads import follow_time
from projections.chat_history_reads import removed
from projections.subscription_reads import subscriber_tier

log = logging.getLogger(__name__)
STANDING_RECHECK_S = 10.0
CASSANDRA_DOWN = (Timeout, Unavailable, NoHostAvailable, OperationTimedOut)
REPLY_ID = re.compile(r"[0-9A-Za-z-]{1,64}")  # a message id as the gateway makes them


def posting_refusal(caller: Principal | None) -> ApiError | None:
    """Why this caller may not post at all, or None when they may."""
    if caller is None or caller.user_id is None:
        return ApiError(401, "unauthorized", "sign in to chat")
    if "chat:edit" not in caller.scopes:
        return ApiError(403, "insufficient_scope", "the token lacks chat:edit")
    return None


class ChatPoster:
    def __init__(self, services: Services, channel: str) -> None:
        self.services = services
        self.channel = channel
        self.followed_at: datetime | None = None
        self.subscriber_tier: int | None = None
        self.standing_checked = -STANDING_RECHECK_S

    async def refresh_standing(self, user_id: str) -> None:
        """When the sender followed (followers-only mode) and their subscription tier (badge,
        subscriber-only mode); looked up again at most every STANDING_RECHECK_S."""
        if time.monotonic() - self.standing_checked >= STANDING_RECHECK_S:
            async with self.services.pool.connection() as conn:
                self.followed_at = await follow_time(conn, self.channel, user_id)
                self.subscriber_tier = await subscriber_tier(conn, self.channel, user_id)
            self.standing_checked = time.monotonic()

    async def replied_to(self, message_id: str | None) -> tuple[str, RecentMessage] | None:
        """The message a reply names, as remembered; ApiError when it is not (unknown, of
        another channel, or older than six hours)."""
        if message_id is None:
            return None
        try:
            found = None if not REPLY_ID.fullmatch(message_id) else await recent_message(
                self.services.redis, self.channel, message_id)
            removed = found is not None and await self._removed(message_id, found)
        except (RedisError, TimeoutError, *CASSANDRA_DOWN) as error:
            raise ApiError(503, "unavailable", "replies cannot be checked now; try again",
                           headers={"Retry-After": "1"}) from error
        if found is None or not found.username or removed:
            raise ApiError(422, "reply_parent_not_found", "the message replied to is not a "
                           "message of this channel's last six hours, or a moderator removed "
                           "it", "reply_to")
        return message_id, found

    async def _removed(self, message_id: str, parent: RecentMessage) -> bool:
        """Whether moderation hid the message (deleted, cleared, or its author's messages
        hidden by a ban), as chat history has it: a reply never quotes what was removed."""
        sent_at = datetime.fromtimestamp(parent.sent_at, UTC).replace(tzinfo=None)
        return await asyncio.to_thread(removed, await self.services.history.live(),
                                       self.channel, message_id, parent.user_id, sent_at)

    def command(self, caller: Principal, display_name: str, text: str, color: str = "",
                reply: tuple[str, RecentMessage] | None = None, announcement: str = "",
                cheers: bool = True) -> SendChatMessage | CheerBits:
        """A cheer goes to the cheerer's wallet, which holds the bits and asks the channel;
        with `cheers` false (an app's message) a cheer word is only text. An announcement is
        a message with its colour, neither a cheer nor a reply."""
        message_id, username = str(uuid4()), str(caller.username or "")
        spends = cheers and not announcement
        user_id, bits = str(caller.user_id), cheered_bits(text) if spends else None
        if announcement and reply is not None:
            raise ApiError(422, "invalid_message", "an announcement cannot be a reply",
                           "reply_to")
        if bits is not None and reply is not None:
            raise ApiError(422, "invalid_message", "a cheer cannot be a reply", "reply_to")
        if bits is None:
            return SendChatMessage(
                channel=self.channel, message_id=message_id, user_id=user_id, username=username,
                display_name=display_name, text=text, followed_at=self.followed_at,
                subscriber_tier=self.subscriber_tier, color=color,
                announcement_color=announcement, **reply_fields(reply))
        return CheerBits(
            channel=self.channel, message_id=message_id, user_id=user_id, username=username,
            display_name=display_name, text=text, followed_at=self.followed_at, bits=bits,
            subscriber_tier=self.subscriber_tier, color=color)

    async def submit(self, command: SendChatMessage | CheerBits) -> None:
        """Once the decider accepted the message (ApiError when it refused). Its author and
        text are remembered first, so that a reply or a deletion by anyone who saw the message
        finds them: nobody learns a message's id before it is accepted, and a refused message
        is forgotten again."""
        authors = self.services.authors
        try:
            await authors.remember(self.channel, command.message_id, remembered(command))
        except (RedisError, TimeoutError) as error:  # posted all the same, never replied to
            log.error("the author of %s on %s is not remembered (it cannot be deleted by id "
                      "or replied to): %r", command.message_id, self.channel, error)
        try:
            await self.services.commands.submit(command)
        except ApiError as refused:
            if refused.status < 500:  # decided; a timeout may yet be posted
                await authors.forget(self.channel, command.message_id)
            raise


def reply_fields(reply: tuple[str, RecentMessage] | None) -> dict[str, Any]:
    """A reply's fields of SendChatMessage: the message replied to, and its thread's first."""
    if reply is None:
        return {}
    message_id, parent = reply
    return {"reply_parent_message_id": message_id, "reply_parent_user_id": parent.user_id,
            "reply_parent_username": parent.username,
            "reply_parent_display_name": parent.display_name, "reply_parent_text": parent.text,
            "reply_thread_message_id": parent.thread_message_id or message_id,
            "reply_thread_username": parent.thread_username or parent.username}


def remembered(command: SendChatMessage | CheerBits) -> RecentMessage:
    thread = getattr(command, "reply_thread_message_id", None)
    return RecentMessage(
        command.user_id, command.username, command.display_name, command.text.strip(),
        thread or command.message_id,
        getattr(command, "reply_thread_username", "") if thread else command.username,
        command.issued_at.timestamp())
