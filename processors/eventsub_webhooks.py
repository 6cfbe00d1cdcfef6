"""EventSub's webhook transport: the worker holding the deliverer's PostgreSQL lock verifies new
callbacks (webhook_callback_verification) and posts the outbox's messages, signed, each
subscription's in order and on its own task, so that a slow or failing callback delays only
its own. A failed post is tried again with backoff; after eventsub_webhook_attempts failures
the subscription is revoked (notification_failures_exceeded). A revoked subscription's callback
is posted one revocation message, whoever revoked it."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
from collections.abc import Coroutine
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

import httpx
import psycopg
from mode import Service
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from config.settings import Settings
from projections.eventsub import callbacks
from projections.eventsub.messages import subscription_json, timestamp
from projections.eventsub.outbox import WAKE
from projections.eventsub.signing import headers
from stores.postgres import open_async_pool

log = logging.getLogger(__name__)
LOCK = "eventsub-webhooks"
MAX_REST_S = 5.0  # the longest the deliverer rests without a notification
BUSY_REST_S = 1.0  # ... while a subscription's task runs (it may end as another message comes)
RETRY_S = 2.0
SUBSCRIPTION = ("SELECT id, type, version, condition, channel, broadcaster_id, status, method, "
                "session_id, callback, secret, cost, created_at, connected_at, revocation_due "
                "FROM eventsub_subscriptions WHERE id = %s")


class WebhookDeliverer(Service):
    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.running: dict[str, asyncio.Task[None]] = {}  # subscription id -> its task

    @Service.task
    async def _lead_and_deliver(self) -> None:
        while not self.should_stop:
            try:
                async with await psycopg.AsyncConnection.connect(
                        self.settings.postgres, autocommit=True) as lock:
                    await self._wait_for_lock(lock)
                    pool = await open_async_pool(self.settings, max_size=8)
                    try:
                        await self._deliver_while_leading(lock, pool)
                    finally:
                        await self._stop_tasks()
                        await pool.close()
            except psycopg.OperationalError as error:
                log.error("eventsub webhooks: %r; leading again in %.0f s", error, RETRY_S)
            await self.sleep(RETRY_S)

    async def _wait_for_lock(self, conn: psycopg.AsyncConnection[Any]) -> None:
        while not self.should_stop:
            cur = await conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))", (LOCK,))
            row = await cur.fetchone()
            if row is not None and row[0]:
                return
            await self.sleep(RETRY_S)

    async def _deliver_while_leading(self, lock: psycopg.AsyncConnection[Any],
                                     pool: AsyncConnectionPool[Any]) -> None:
        timeout = self.settings.eventsub_webhook_timeout_s
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
            poster = Poster(pool, client, self.settings)
            await lock.execute(f"LISTEN {WAKE}")
            while not self.should_stop:
                for subscription_id, work in await _due(pool):
                    if subscription_id not in self.running:
                        self._start(subscription_id, poster.work(work, subscription_id))
                rest = BUSY_REST_S if self.running else min(MAX_REST_S, await _next_s(pool))
                # Rests on the lock's session: the lock lives as long as it answers.
                async for _ in lock.notifies(timeout=rest, stop_after=1):
                    pass

    def _start(self, subscription_id: str, work: Any) -> None:
        task = asyncio.create_task(work)
        self.running[subscription_id] = task
        task.add_done_callback(lambda done: self._finished(subscription_id, done))

    def _finished(self, subscription_id: str, task: asyncio.Task[None]) -> None:
        self.running.pop(subscription_id, None)
        if not task.cancelled() and task.exception() is not None:
            log.error("eventsub webhook %s: %r", subscription_id, task.exception())

    async def _stop_tasks(self) -> None:
        for task in list(self.running.values()):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def _due(pool: AsyncConnectionPool[Any]) -> list[tuple[str, str]]:
    """Subscriptions with work now: a callback to verify, or a message due."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT id::text, 'verify' FROM eventsub_subscriptions WHERE method = 'webhook' "
            "AND status = 'webhook_callback_verification_pending' UNION ALL "
            "SELECT id::text, 'revoke' FROM eventsub_subscriptions WHERE revocation_due UNION ALL "
            "SELECT DISTINCT d.subscription_id::text, 'deliver' FROM eventsub_deliveries d "
            "JOIN eventsub_subscriptions s ON s.id = d.subscription_id "
            "WHERE s.status = 'enabled' AND d.due_at <= now()")
        return [(str(row[0]), str(row[1])) for row in await cur.fetchall()]


async def _next_s(pool: AsyncConnectionPool[Any]) -> float:
    """Seconds until the next message to retry is due (MAX_REST_S when none is)."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT extract(epoch FROM min(due_at) - now()) FROM eventsub_deliveries")
        row = await cur.fetchone()
    return MAX_REST_S if row is None or row[0] is None else max(0.0, float(row[0]))


class Poster:
    def __init__(self, pool: AsyncConnectionPool[Any], client: httpx.AsyncClient,
                 settings: Settings) -> None:
        self.pool, self.client, self.settings = pool, client, settings

    async def _subscription(self, subscription_id: str) -> dict[str, Any] | None:
        async with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute(SUBSCRIPTION, (subscription_id,))
            found: dict[str, Any] | None = await cur.fetchone()
            return found

    async def _post(self, row: dict[str, Any], message: tuple[str, str, str, str],
                    retry: int) -> httpx.Response | None:
        """Post (message id, type, timestamp, body) to the callback; None when it failed."""
        message_id, kind, sent_at, body = message
        loopback = self.settings.eventsub_loopback_http
        try:
            host, port = callbacks.checked_url(row["callback"], loopback)
            await callbacks.resolved(host, port, loopback)
            return await self.client.post(row["callback"], content=body.encode(), headers=headers(
                row["secret"], message_id, sent_at, body, kind, (row["type"], row["version"]),
                retry))
        except (callbacks.BadCallback, httpx.HTTPError) as failed:
            log.info("eventsub webhook %s: %r", row["id"], failed)
            return None

    def work(self, kind: str, subscription_id: str) -> Coroutine[Any, Any, None]:
        """What `_due` found to do: verify, deliver or revoke."""
        return {"verify": self.verify, "deliver": self.drain,
                "revoke": self.tell_revoked}[kind](subscription_id)

    async def verify(self, subscription_id: str) -> None:
        """Twitch's challenge: the callback must answer 2xx with the challenge as its body."""
        row = await self._subscription(subscription_id)
        if row is None or row["status"] != "webhook_callback_verification_pending":
            return
        challenge = secrets.token_urlsafe(24)
        body = json.dumps({"challenge": challenge, "subscription": subscription_json(row)},
                          separators=(",", ":"))
        answer = await self._post(row, (str(uuid4()), "webhook_callback_verification",
                                        timestamp(datetime.now(UTC)), body), 0)
        passed = answer is not None and answer.is_success and answer.text == challenge
        async with self.pool.connection() as conn:
            await conn.execute(
                "UPDATE eventsub_subscriptions SET status = %s WHERE id = %s AND status = "
                "'webhook_callback_verification_pending'",
                ("enabled" if passed else "webhook_callback_verification_failed",
                 subscription_id))

    async def drain(self, subscription_id: str) -> None:
        """Post the subscription's due messages in order, until one fails or none is due."""
        row = await self._subscription(subscription_id)
        while row is not None and row["status"] == "enabled":
            head = await self._head(subscription_id)
            if head is None or head["due_at"] > datetime.now(UTC):
                return
            answer = await self._post(row, (head["message_id"], head["message_type"],
                                            head["sent_at"], head["body"]), head["attempts"])
            if answer is None or not answer.is_success:
                await self._failed(row, head)
                return
            async with self.pool.connection() as conn:
                await conn.execute("DELETE FROM eventsub_deliveries WHERE subscription_id = %s "
                                   "AND message_id = %s", (subscription_id, head["message_id"]))

    async def _head(self, subscription_id: str) -> dict[str, Any] | None:
        async with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            await cur.execute("SELECT message_id, message_type, sent_at, body, attempts, due_at "
                              "FROM eventsub_deliveries WHERE subscription_id = %s "
                              "ORDER BY seq LIMIT 1", (subscription_id,))
            head: dict[str, Any] | None = await cur.fetchone()
            return head

    async def _failed(self, row: dict[str, Any], head: dict[str, Any]) -> None:
        attempts = head["attempts"] + 1
        if attempts >= self.settings.eventsub_webhook_attempts:
            await self._revoke(row)
            return
        backoff = timedelta(seconds=self.settings.eventsub_webhook_backoff_s * 2 ** (attempts - 1))
        async with self.pool.connection() as conn:
            await conn.execute("UPDATE eventsub_deliveries SET attempts = %s, due_at = now() + %s "
                               "WHERE subscription_id = %s AND message_id = %s",
                               (attempts, backoff, row["id"], head["message_id"]))

    async def _revoke(self, row: dict[str, Any]) -> None:
        """Failed too often: revoked and its queue dropped; the revocation message follows."""
        async with self.pool.connection() as conn:
            await conn.execute("UPDATE eventsub_subscriptions SET status = "
                               "'notification_failures_exceeded', revocation_due = true "
                               "WHERE id = %s AND status = 'enabled'", (row["id"],))
            await conn.execute("DELETE FROM eventsub_deliveries WHERE subscription_id = %s",
                               (row["id"],))
            await conn.execute("SELECT pg_notify(%s, '')", (WAKE,))

    async def tell_revoked(self, subscription_id: str) -> None:
        """One revocation message, best effort: a callback that fails it is not asked again."""
        row = await self._subscription(subscription_id)
        if row is None or not row["revocation_due"]:
            return
        body = json.dumps({"subscription": subscription_json(row)}, separators=(",", ":"))
        await self._post(row, (str(uuid4()), "revocation", timestamp(datetime.now(UTC)),
                               body), 0)
        async with self.pool.connection() as conn:
            await conn.execute("UPDATE eventsub_subscriptions SET revocation_due = false "
                               "WHERE id = %s", (subscription_id,))
