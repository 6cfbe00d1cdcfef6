"""The connections a gateway process holds, opened at startup and closed at shutdown."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis
from psycopg_pool import AsyncConnectionPool
from starlette.requests import Request

from config.settings import Settings
from config.shared_secrets import player_secret
from events.base import Message
from events.codec import Codec
from events.outcomes import OUTCOMES_TOPIC
from events.producer import AsyncEventProducer
from events.relay import Relay, start_relay
from gateways.chat_fanout import ChatFanout
from gateways.chat_notices import ChatNotices
from gateways.chat_tokens import Revocations
from gateways.commands import CommandBus
from gateways.history_sessions import HistorySessions
from gateways.message_authors import MessageAuthors
from gateways.oauth.server import CastlineAuthorizationServer
from gateways.oauth.store import OAuthStore
from gateways.outcomes import OutcomeListener
from gateways.player_tokens import PlayerTokens
from gateways.topic_tail import MessageHandler, TopicTail
from gateways.watching import Admission
from payments.provider import PaymentProvider
from payments.providers import provider_from_settings
from stores.cassandra import session as cassandra_session
from stores.postgres import open_async_pool, open_pool
from stores.redis import async_client


@dataclass
class Services:
    settings: Settings
    codec: Codec
    pool: AsyncConnectionPool[Any]
    reads: AsyncConnectionPool[Any]  # for reads that may lag: the replica's, or `pool`
    redis: aioredis.Redis
    producer: AsyncEventProducer
    outcomes: OutcomeListener
    commands: CommandBus
    oauth: CastlineAuthorizationServer
    fanout: ChatFanout
    tail: TopicTail
    history: HistorySessions
    payments: PaymentProvider
    players: PlayerTokens
    admission: Admission
    authors: MessageAuthors
    revocations: Revocations
    notices: ChatNotices
    relay: Relay | None = None  # wake-ups for the tail, to and from other processes

    @classmethod
    def of(cls, request: Request) -> Services:
        services: Services = request.app.state.services
        return services

    @classmethod
    async def open(cls, settings: Settings, codec: Codec,
                   readers: Mapping[str, MessageHandler] | None = None) -> Services:
        """`readers`: more handlers of the topics the gateway tails, beside chat's."""
        pool = await open_async_pool(settings, max_size=10)
        reads = pool if settings.postgres_replica_dsn is None else await open_async_pool(
            settings, max_size=10, dsn=settings.postgres_replica_dsn)
        producer = AsyncEventProducer(settings.kafka, codec.encode)
        loop = asyncio.get_running_loop()
        outcomes, fanout = OutcomeListener(loop), ChatFanout()
        notices = ChatNotices(pool, fanout)
        tail = TopicTail(settings.kafka, {OUTCOMES_TOPIC: outcomes.settle, **both(
            dict.fromkeys(fanout.topics, notices.hand_over), readers or {})}, codec.decode)
        relay = await asyncio.to_thread(start_relay, settings)
        # From the end of every partition, before any command is sent.
        await asyncio.to_thread(tail.start, loop)
        commands = CommandBus(producer, outcomes, settings.command_timeout_s)
        redis = async_client(settings.redis)
        store = OAuthStore(await asyncio.to_thread(open_pool, settings, 4))
        oauth = CastlineAuthorizationServer(store)
        cassandra = await asyncio.to_thread(cassandra_session, settings)
        history = HistorySessions(cassandra, pool, settings.cassandra_keyspace)
        players = PlayerTokens(player_secret(settings), settings.player_token_ttl_s)
        services = cls(settings, codec, pool, reads, redis, producer, outcomes, commands, oauth,
                       fanout, tail, history, provider_from_settings(settings), players,
                       Admission.from_settings(settings), MessageAuthors(redis),
                       Revocations(pool), notices, relay)
        services.revocations.start()
        return services

    async def close(self) -> None:
        await self.revocations.stop()
        await self.notices.close()
        await self.payments.close()
        await asyncio.to_thread(self.history.shutdown)
        await asyncio.to_thread(self.tail.close)
        if self.relay is not None:
            await asyncio.to_thread(self.relay.close)
        await asyncio.to_thread(self.producer.close)
        await self.redis.aclose()
        if self.reads is not self.pool:
            await self.reads.close()
        await self.pool.close()
        await asyncio.to_thread(self.oauth.store.pool.close)



def both(first: Mapping[str, MessageHandler], second: Mapping[str, MessageHandler]
         ) -> dict[str, MessageHandler]:
    """Handlers of two readers of the tail: a topic both read is handed to each in turn."""

    def each(a: MessageHandler, b: MessageHandler) -> MessageHandler:
        def handle(message: Message) -> None:
            a(message)
            b(message)

        return handle

    return {topic: each(first[topic], second[topic]) if topic in first and topic in second
            else first.get(topic) or second[topic] for topic in {**first, **second}}
