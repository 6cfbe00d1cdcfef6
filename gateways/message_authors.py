"""Recent chat messages: who wrote each, so a deletion can name its author and the channel's
decider can check the deleter's rank against them, and what it said, so a reply can quote it.
Kept in Redis, shared by every gateway, for as long as a message may be deleted or replied to
(six hours, as on Twitch)."""

from __future__ import annotations

import asyncio
import logging

import msgspec
import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
DELETABLE_S = 6 * 3600
REDIS_WAIT_S = 1.0  # a Redis that does not answer delays a message no longer than this


def _key(channel: str, message_id: str) -> str:
    return f"chat-message:{channel}:{message_id}"


def _author_key(channel: str, message_id: str) -> str:
    """Where gateways of the version before quoting kept the author's user id alone; read
    while such messages may still be deleted."""
    return f"chat-author:{channel}:{message_id}"


class RecentMessage(msgspec.Struct, frozen=True):
    """thread_message_id: the first message of the thread it is in (its own id unless it is a
    reply)."""

    user_id: str
    username: str = ""
    display_name: str = ""
    text: str = ""
    thread_message_id: str = ""
    thread_username: str = ""
    sent_at: float = 0.0  # seconds since the epoch


RECORD = msgspec.json.Decoder(RecentMessage)
ENCODER = msgspec.json.Encoder()


class MessageAuthors:
    """Authors remembered in batches: while one batch is written (one pipelined round trip on
    one connection), those that arrive wait for the next. Per message, a write of its own took
    a connection each, and a busy gateway ran out of them."""

    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis
        self.waiting: list[tuple[str, bytes, asyncio.Future[None]]] = []
        self.writing: asyncio.Task[None] | None = None

    async def remember(self, channel: str, message_id: str, message: RecentMessage) -> None:
        """Once it is stored; RedisError or TimeoutError when it could not be."""
        written: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append((_key(channel, message_id), ENCODER.encode(message), written))
        if self.writing is None:
            self.writing = asyncio.create_task(self._write())
        async with asyncio.timeout(REDIS_WAIT_S):
            await asyncio.shield(written)

    async def forget(self, channel: str, message_id: str) -> None:
        try:
            async with asyncio.timeout(REDIS_WAIT_S):
                await self.redis.delete(_key(channel, message_id))
        except (RedisError, TimeoutError) as error:  # it expires in DELETABLE_S all the same
            log.warning("refused message %s on %s is not forgotten: %r", message_id, channel,
                        error)

    async def _write(self) -> None:
        try:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                try:
                    async with self.redis.pipeline(transaction=False) as pipe:
                        for key, record, _ in batch:
                            pipe.set(key, record, ex=DELETABLE_S)
                        await pipe.execute()
                except RedisError as error:
                    for _, _, written in batch:
                        if not written.done():
                            written.set_exception(error)
                    continue
                for _, _, written in batch:
                    if not written.done():
                        written.set_result(None)
        finally:
            self.writing = None


async def recent_message(redis: aioredis.Redis, channel: str, message_id: str
                         ) -> RecentMessage | None:
    """None when unknown (or unreadable); RedisError or TimeoutError when Redis fails."""
    async with asyncio.timeout(REDIS_WAIT_S):
        record, author = await redis.mget(_key(channel, message_id),
                                          _author_key(channel, message_id))
    if author is not None:
        return RecentMessage(_text(author))
    try:
        return None if record is None else RECORD.decode(_text(record))
    except msgspec.DecodeError:
        log.error("unreadable record of message %s on %s", message_id, channel)
        return None


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def author_of(redis: aioredis.Redis, channel: str, message_id: str) -> str | None:
    found = await recent_message(redis, channel, message_id)
    return None if found is None else found.user_id
