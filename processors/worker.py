"""`castline worker`: the Faust app with its deciders, and every projector; or one role of the
two, so that projection work does not share a process (and its GIL) with the deciders."""

from __future__ import annotations

import faust
import mode
import psycopg

from castline.settings import Settings
from events.codec import Codec
from events.producer import EventProducer
from payments.providers import provider_from_settings
from processors.account_agents import register_account_deciders
from processors.ad_schedule import register_ad_scheduler
from processors.app import create_app
from processors.channel_batches import ChannelDecider
from processors.chat_decider import RateLimits
from processors.fetch_rest import rest_after_empty_fetches
from processors.projectors import (
    ProjectorService,
    analytics_sink,
    chat_history,
    postgres_projector,
    viewer_counter,
)
from processors.reconcile import register_reconciler
from processors.subscription_agent import register_subscription_decider
from processors.subscription_clock import clock_from_settings
from processors.wallet_agent import register_wallet_decider, wallet_rules
from projections.consumer import KafkaDeadLetterSink
from projections.registry import PROJECTIONS
from projections.runner import Feed

# Commands decided per batch: a batch's commands are answered together, after its commit.
CHANNEL_BATCH = 500


def deciders(settings: Settings, codec: Codec) -> faust.App:
    app = create_app(settings)
    register_account_deciders(app, codec)
    provider = provider_from_settings(settings)
    register_wallet_decider(app, codec, provider, wallet_rules(settings),
                            settings.payment_charge_attempts)
    clock = clock_from_settings(settings)
    register_subscription_decider(app, codec, provider, settings, clock)
    register_ad_scheduler(app, codec, settings, clock)
    register_reconciler(app, settings, codec)
    return app


def channel_decider(settings: Settings, codec: Codec) -> ProjectorService:
    limits = RateLimits(settings.chat_messages_per_30s, settings.chat_messages_per_30s_privileged)

    def make(conn: psycopg.Connection) -> Feed:
        return ChannelDecider(conn, EventProducer(settings.kafka, codec.encode), codec.decode,
                              KafkaDeadLetterSink(settings.kafka), limits)

    return ProjectorService(settings, make, pace_ms=0, batch_size=CHANNEL_BATCH)


def projectors(settings: Settings, codec: Codec) -> list[ProjectorService]:
    pace = settings.projection_pace_ms
    services = [ProjectorService(settings, postgres_projector(settings, codec, p), pace)
                for p in PROJECTIONS]
    services.append(ProjectorService(settings, viewer_counter(settings, codec), pace))
    services.append(ProjectorService(settings, chat_history(settings, codec),
                                     settings.chat_history_pace_ms))
    services.append(ProjectorService(settings, analytics_sink(settings, codec),
                                      settings.analytics_pace_ms))
    return services


def run_worker(settings: Settings, codec: Codec, loglevel: str = "info",
               role: str = "all") -> None:
    """Blocks until SIGINT/SIGTERM; the worker then stops its agents and projectors."""
    services = projectors(settings, codec) if role != "deciders" else []
    if role == "projectors":
        mode.Worker(*services, loglevel=loglevel, quiet=True).execute_from_commandline()
        return
    services.append(channel_decider(settings, codec))
    rest_after_empty_fetches(settings.empty_fetch_rest_ms / 1000)
    app = deciders(settings, codec)
    faust.Worker(app, *services, loglevel=loglevel, quiet=True).execute_from_commandline()
