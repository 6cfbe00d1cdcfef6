"""`castline worker`: the deciders, the scheduler and every projector; or one role of the
two, so that projection work does not share a process (and its GIL) with the deciders."""

from __future__ import annotations

import asyncio

import mode
import psycopg

from config.settings import Settings
from events.codec import Codec
from events.producer import AsyncEventProducer, EventProducer
from events.relay import Relay, start_relay
from feeds.feed import Feed
from feeds.parking import KafkaDeadLetterSink
from payments.providers import provider_from_settings
from processors.account_handler import AccountHandler
from processors.ad_schedule import ad_ticker
from processors.channel_batches import NAME as CHANNEL_DECIDER
from processors.channel_batches import ChannelDecider
from processors.clipper import clip_ticker
from processors.decider_feed import DeciderFeed, Handler
from processors.deciders.chat import RateLimits
from processors.eventsub_webhooks import WebhookDeliverer
from processors.feed_services import (
    FeedService,
    analytics_sink,
    chat_history,
    postgres_projector,
    viewer_counter,
)
from processors.raid_schedule import raid_ticker
from processors.reconcile import reconcile_ticker
from processors.scheduler import Scheduler
from processors.subscription_clock import clock_from_settings
from processors.subscription_handler import (
    SubscriptionHandler,
    renewal_ticker,
    subscription_rules,
)
from processors.vod_recorder import vod_ticker
from processors.wallet_handler import WalletHandler, wallet_rules
from projections.eventsub.outbox import EventSubOutbox
from projections.registry import PROJECTIONS

# Commands decided per batch: a batch's commands are answered together, after its commit.
CHANNEL_BATCH = 500
DECIDER_BATCH = 200


def decider_service(settings: Settings, codec: Codec, handler: Handler) -> FeedService:
    def make(conn: psycopg.Connection) -> Feed:
        return DeciderFeed(conn, handler, EventProducer(settings.kafka, codec.encode),
                           codec.decode, KafkaDeadLetterSink(settings.kafka))

    return FeedService(settings, make, pace_ms=0, batch_size=DECIDER_BATCH,
                       name=handler.name, on_finish=getattr(handler, "close", None))


def deciders(settings: Settings, codec: Codec) -> list[mode.Service]:
    attempts = settings.payment_charge_attempts
    wallets = WalletHandler(provider_from_settings(settings), wallet_rules(settings), attempts)
    subscriptions = SubscriptionHandler(provider_from_settings(settings),
                                        subscription_rules(settings), attempts)
    clock = clock_from_settings(settings)
    tickers = [renewal_ticker(settings, clock), ad_ticker(settings, clock),
               reconcile_ticker(settings), vod_ticker(settings), raid_ticker(settings, clock),
               clip_ticker(settings)]
    return [
        decider_service(settings, codec, AccountHandler()),
        decider_service(settings, codec, wallets),
        decider_service(settings, codec, subscriptions),
        channel_decider(settings, codec),
        Scheduler(settings.postgres, AsyncEventProducer(settings.kafka, codec.encode), tickers),
    ]


def channel_decider(settings: Settings, codec: Codec) -> FeedService:
    limits = RateLimits(settings.chat_messages_per_30s, settings.chat_messages_per_30s_privileged)

    def make(conn: psycopg.Connection) -> Feed:
        return ChannelDecider(conn, EventProducer(settings.kafka, codec.encode), codec.decode,
                              KafkaDeadLetterSink(settings.kafka), limits)

    return FeedService(settings, make, pace_ms=0, batch_size=CHANNEL_BATCH,
                       name=CHANNEL_DECIDER)


def projectors(settings: Settings, codec: Codec) -> list[FeedService]:
    pace = settings.projection_pace_ms
    services = [FeedService(settings, postgres_projector(settings, codec, p), pace)
                for p in (*PROJECTIONS, EventSubOutbox())]
    services.append(FeedService(settings, viewer_counter(settings, codec), pace))
    services.append(FeedService(settings, chat_history(settings, codec),
                                settings.chat_history_pace_ms))
    services.append(FeedService(settings, analytics_sink(settings, codec),
                                settings.analytics_pace_ms))
    return services


class WakeupRelay(mode.Service):
    """This process's wake-ups (events.relay), for as long as the worker runs."""

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.relay: Relay | None = None

    async def on_start(self) -> None:
        self.relay = await asyncio.to_thread(start_relay, self.settings)

    async def on_stop(self) -> None:
        if self.relay is not None:
            await asyncio.to_thread(self.relay.close)


def run_worker(settings: Settings, codec: Codec, loglevel: str = "info",
               role: str = "all") -> None:
    """Blocks until SIGINT/SIGTERM; the worker then stops its deciders and projectors."""
    services: list[mode.Service] = [WakeupRelay(settings)]
    if role != "deciders":
        services.extend(projectors(settings, codec))
        services.append(WebhookDeliverer(settings))
    if role != "projectors":
        services.extend(deciders(settings, codec))
    mode.Worker(*services, loglevel=loglevel, quiet=True).execute_from_commandline()
