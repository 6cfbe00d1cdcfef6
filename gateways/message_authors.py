"""Who wrote a recent chat message, so a deletion can name its author and the channel's decider
can check the deleter's rank against them. Kept in Redis, shared by every gateway, for as long
as a message may be deleted (six hours, as on Twitch)."""

from __future__ import annotations

import asyncio
import logging

import redis.asyncio as aioredis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)
DELETABLE_S = 6 * 3600


def _key(channel: str, message_id: str) -> str:
    return f"chat-author:{channel}:{message_id}"


class MessageAuthors:
    """Authors remembered in batches: while one batch is written (one pipelined round trip on
    one connection), those that arrive wait for the next. Per message, a write of its own took
    a connection each, and a busy gateway ran out of them."""

    def __init__(self, redis: aioredis.Redis) -> None:
        self.redis = redis
        self.waiting: list[tuple[str, str, asyncio.Future[None]]] = []
        self.writing: asyncio.Task[None] | None = None

    async def remember(self, channel: str, message_id: str, user_id: str) -> None:
        """Once it is stored; RedisError when it could not be."""
        written: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append((_key(channel, message_id), user_id, written))
        if self.writing is None:
            self.writing = asyncio.create_task(self._write())
        await written

    async def _write(self) -> None:
        try:
            while self.waiting:
                batch, self.waiting = self.waiting, []
                try:
                    async with self.redis.pipeline(transaction=False) as pipe:
                        for key, user_id, _ in batch:
                            pipe.set(key, user_id, ex=DELETABLE_S)
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


async def author_of(redis: aioredis.Redis, channel: str, message_id: str) -> str | None:
    found = await redis.get(_key(channel, message_id))
    return None if found is None else found.decode() if isinstance(found, bytes) else str(found)
