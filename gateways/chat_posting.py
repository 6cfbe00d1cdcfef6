"""Posting into one channel's chat as a signed-in user, whatever the protocol (JSON or IRC): the
standing the decider's rules need, the command, and its outcome."""

from __future__ import annotations

import logging
import time
from datetime import datetime
from uuid import uuid4

from redis.exceptions import RedisError

from events.chat import SendChatMessage
from events.monetization import CheerBits
from gateways.auth import Principal
from gateways.cheers import cheered_bits
from gateways.errors import ApiError
from gateways.state import Services
from projections.channel_reads import follow_time
from projections.subscription_reads import subscriber_tier

log = logging.getLogger(__name__)
STANDING_RECHECK_S = 10.0


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

    def command(self, caller: Principal, display_name: str, text: str, color: str = ""
                ) -> SendChatMessage | CheerBits:
        """A cheer goes to the cheerer's wallet, which holds the bits and asks the channel."""
        message_id, username = str(uuid4()), str(caller.username or "")
        user_id, bits = str(caller.user_id), cheered_bits(text)
        if bits is None:
            return SendChatMessage(
                channel=self.channel, message_id=message_id, user_id=user_id, username=username,
                display_name=display_name, text=text, followed_at=self.followed_at,
                subscriber_tier=self.subscriber_tier, color=color)
        return CheerBits(
            channel=self.channel, message_id=message_id, user_id=user_id, username=username,
            display_name=display_name, text=text, followed_at=self.followed_at, bits=bits,
            subscriber_tier=self.subscriber_tier, color=color)

    async def submit(self, command: SendChatMessage | CheerBits) -> None:
        """Once the decider accepted the message (ApiError when it refused), its author is
        remembered so that it can be deleted by id."""
        await self.services.commands.submit(command)
        try:
            await self.services.authors.remember(self.channel, command.message_id,
                                                 command.user_id)
        except RedisError as error:  # the message is posted: its sender hears so all the same
            log.error("the author of %s on %s is not remembered (it cannot be deleted by id): "
                      "%r", command.message_id, self.channel, error)
