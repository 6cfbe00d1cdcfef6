"""Each gateway hands the events it tails to the subscriptions of its own WebSocket sessions.

A subscription may be created through any gateway: the one holding its session hears of it by
Redis pub/sub. A session's subscriptions follow it when its client reconnects to the
session_reconnect URL, on whichever gateway that lands."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

import psycopg
import redis.asyncio as aioredis
from psycopg_pool import AsyncConnectionPool
from redis.exceptions import RedisError

from config.settings import Settings
from events.base import Message
from gateways.eventsub import revocation, store
from gateways.eventsub.registry import CHANGES, SessionRegistry
from gateways.eventsub.websocket import WebSocketSession
from gateways.topic_tail import MessageHandler
from projections.eventsub.lookups import (
    CATEGORIES,
    CHANNELS,
    USERS,
    Wanted,
    built,
    categories_wanted,
)
from projections.eventsub.messages import Json, frame, message_id, subscription_json
from projections.eventsub.payloads import (
    TOPICS,
    Lookups,
    Notice,
    notices,
    notification_payload,
)

log = logging.getLogger(__name__)
REGISTRY_TTL_S = 300
RECONNECT_GRACE_S = 5.0


def notification(row: Json, notice: Notice, found: Lookups) -> Json:
    payload = notification_payload(row, notice, found)
    return frame("notification", payload, datetime.now(UTC),
                 message_id(notice.event_id, str(row["id"])), payload["subscription"])


async def _completed(row: Json, notice: Notice, found: asyncio.Future[Lookups]) -> Json:
    return notification(row, notice, await found)


class EventSubHub:
    """Made before the gateway's connections are open (its tail hands events over from the
    start); started with them."""

    pool: AsyncConnectionPool[Any]
    redis: aioredis.Redis
    sessions: SessionRegistry

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.local: dict[str, WebSocketSession] = {}
        self.rows: dict[str, Json] = {}  # subscription id -> row, of local sessions
        self.by_channel: dict[str, set[str]] = defaultdict(set)
        self._tasks: list[asyncio.Task[None]] = []
        self.draining = False  # going away: new sessions are refused, to open elsewhere

    def readers(self) -> dict[str, MessageHandler]:
        return dict.fromkeys(TOPICS, self.hand_over)

    def start(self, pool: AsyncConnectionPool[Any], redis: aioredis.Redis) -> None:
        self.pool, self.redis = pool, redis
        self.sessions = SessionRegistry(redis, REGISTRY_TTL_S)
        self._tasks = [asyncio.create_task(self._listen()), asyncio.create_task(self._keep())]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def hand_over(self, message: Message) -> None:
        """Runs on the event loop for each event tailed, in log order per channel."""
        for notice in notices(message):
            told = [(self.local[row["session_id"]], row) for row in (
                self.rows[i] for i in self.by_channel.get(notice.channel, ()))
                if row["type"] == notice.type and row["session_id"] in self.local]
            if not told:
                continue
            if Wanted.of([notice]).none:
                for session, row in told:
                    session.offer(notification(row, notice, Lookups()))
                continue
            found = asyncio.ensure_future(self._lookups(notice))
            for session, row in told:
                session.offer(functools.partial(_completed, row, notice, found))

    async def _lookups(self, notice: Notice) -> Lookups:
        """From the read models; what they cannot say now is left as the event says it."""
        wanted = Wanted.of([notice])
        try:
            async with self.pool.connection() as conn:
                users = await (await conn.execute(USERS, (wanted.users,))).fetchall()
                channels = await (await conn.execute(CHANNELS, (wanted.channels,))).fetchall()
                categories = await (await conn.execute(
                    CATEGORIES, (categories_wanted([notice], channels),))).fetchall()
        except psycopg.Error as error:
            log.warning("eventsub lookups for %s: %r", notice.type, error)
            return Lookups()
        return built(users, channels, categories)

    async def added(self, row: Json) -> None:
        """A WebSocket subscription, told to the gateway holding its session."""
        if row["method"] == "websocket":
            self._index(row)
            await self.redis.publish(CHANGES, f"added {row['id']}")

    async def removed(self, row: Json) -> None:
        if row["method"] == "websocket":
            self._unindex(str(row["id"]))
            await self.redis.publish(CHANGES, f"removed {row['id']}")

    async def token_revoked(self, token: str) -> None:
        """A token was revoked: what rested on its user's grant to its app alone ends."""
        try:
            async with self.pool.connection() as conn:
                holder = await revocation.token_holder(conn, token)
                revoked = [] if holder is None else await revocation.withdrawn(conn, *holder)
            for row in revoked:
                if row["method"] == "websocket":
                    await self.redis.publish(CHANGES, f"revoked {row['id']}")
        except (psycopg.Error, RedisError) as error:  # the token is revoked all the same
            log.error("eventsub: subscriptions resting on a revoked token not revoked: %r",
                      error)

    def _revoked(self, subscription_id: str) -> None:
        """The session holding it is told, and hears no more of it."""
        row = self.rows.get(subscription_id)
        self._unindex(subscription_id)
        session = self.local.get(row["session_id"]) if row is not None else None
        if row is None or session is None:
            return
        told = subscription_json({**row, "status": revocation.REVOKED})
        session.offer(frame("revocation", {"subscription": told}, datetime.now(UTC),
                            str(uuid4()), told))

    def _index(self, row: Json) -> None:
        session = self.local.get(row.get("session_id") or "")
        if session is None or row["status"] != "enabled":  # a revoked one stays revoked
            return
        self.rows[str(row["id"])] = row
        self.by_channel[row["channel"]].add(str(row["id"]))
        session.subscribed.set()

    def _unindex(self, subscription_id: str) -> None:
        row = self.rows.pop(subscription_id, None)
        if row is not None:
            self.by_channel[row["channel"]].discard(subscription_id)

    async def _listen(self) -> None:
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(CHANGES)
        try:
            async for message in pubsub.listen():
                if message["type"] == "message":
                    await self._changed(message["data"].decode())
        finally:
            await pubsub.aclose()  # type: ignore[no-untyped-call]

    async def _changed(self, change: str) -> None:
        action, _, subscription_id = change.partition(" ")
        if action == "removed":
            self._unindex(subscription_id)
        elif action == "revoked":
            self._revoked(subscription_id)
        elif action == "added" and subscription_id not in self.rows:
            async with self.pool.connection() as conn:
                row = await store.by_id(conn, subscription_id)
            if row is not None:
                self._index(row)

    async def _keep(self) -> None:
        while True:
            for session in list(self.local.values()):
                await self.sessions.keep(session.id, session.connected_at)
            await asyncio.sleep(REGISTRY_TTL_S / 3)

    async def opened(self, session: WebSocketSession, reconnected_from: str | None) -> bool:
        """Register the session; False when it names a session to take over that is not
        open (a reconnect URL used twice, or too late)."""
        self.local[session.id] = session
        await self.sessions.keep(session.id, session.connected_at)
        if reconnected_from is None:
            return True
        if await self.sessions.connected_at(reconnected_from) is None:
            return False
        async with self.pool.connection() as conn:
            await conn.execute("UPDATE eventsub_subscriptions SET session_id = %s "
                               "WHERE session_id = %s", (session.id, reconnected_from))
            moved = await store.of_session(conn, session.id)
        await self.sessions.drop(reconnected_from)
        for row in moved:
            await self.added(row)
        return True

    async def closed(self, session: WebSocketSession) -> None:
        """The session's subscriptions end with it, unless another took them over."""
        self.local.pop(session.id, None)
        for subscription_id, row in list(self.rows.items()):
            if row["session_id"] == session.id:
                self._unindex(subscription_id)
        await self.sessions.drop(session.id)
        async with self.pool.connection() as conn:
            await store.end_session(conn, session.id)

    async def reconnect_all(self) -> None:
        """Before the gateway goes away: every session is asked to reconnect, and given a
        moment to."""
        self.draining = True
        sessions = list(self.local.values())
        for session in sessions:
            url = session.websocket.url.replace(query=f"reconnect={session.id}")
            session.offer(session.welcome(reconnect_url=str(url)))
        deadline = asyncio.get_running_loop().time() + RECONNECT_GRACE_S
        while any(s.id in self.local for s in sessions):
            if asyncio.get_running_loop().time() >= deadline:
                return
            await asyncio.sleep(0.05)
