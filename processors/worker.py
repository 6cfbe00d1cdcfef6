"""`castline worker`: the Faust app with its deciders, plus every projector."""

from __future__ import annotations

import faust

from castline.settings import Settings
from events.codec import Codec
from processors.account_agents import register_account_deciders
from processors.app import create_app
from processors.channel_agent import register_channel_decider
from processors.chat_decider import RateLimits
from processors.projectors import (
    ProjectorService,
    chat_history,
    postgres_projector,
    viewer_counter,
)
from processors.reconcile import register_reconciler
from projections.registry import PROJECTIONS


def build(settings: Settings, codec: Codec) -> tuple[faust.App, list[ProjectorService]]:
    app = create_app(settings)
    register_channel_decider(app, codec, RateLimits(settings.chat_messages_per_30s,
                                                  settings.chat_messages_per_30s_privileged))
    register_account_deciders(app, codec)
    register_reconciler(app, settings, codec)
    projectors = [ProjectorService(settings, postgres_projector(settings, codec, p))
                  for p in PROJECTIONS]
    projectors.append(ProjectorService(settings, viewer_counter(settings, codec)))
    projectors.append(ProjectorService(settings, chat_history(settings, codec)))
    return app, projectors


def run_worker(settings: Settings, codec: Codec, loglevel: str = "info") -> None:
    """Blocks until SIGINT/SIGTERM; the worker then stops its agents and projectors."""
    app, projectors = build(settings, codec)
    worker = faust.Worker(app, *projectors, loglevel=loglevel, quiet=True)
    worker.execute_from_commandline()
