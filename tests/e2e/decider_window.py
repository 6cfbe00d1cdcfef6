"""Catching a decider between sending a batch's events and committing the batch, with no hook
in the product: its PostgreSQL session (named after the feed) is idle in its transaction, and
the last statement it ran was a read (checkpoint rows locked, states and outcomes loaded).
From then on until the commit it only decides, sends and waits for the broker's
acknowledgement; its writes (states, outcomes, checkpoints) come after."""

from __future__ import annotations

import psycopg

from castline.settings import Settings
from tests.running import RunningPlatform
from tests.waiting import until

IN_THE_WINDOW = (
    "SELECT pid FROM pg_stat_activity WHERE application_name = %s "
    "AND state = 'idle in transaction' AND query LIKE 'SELECT%%'")
TERMINATED_IN_THE_WINDOW = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s "
    "AND state = 'idle in transaction' AND query LIKE 'SELECT%%'")
CATCH_TIMEOUT_S = 60


def session_name(feed: str) -> str:
    return f"castline:{feed}"


def terminate_in_the_window(settings: Settings, feed: str) -> None:
    """End the feed's PostgreSQL session while it is deciding a batch."""
    with psycopg.connect(settings.postgres, autocommit=True) as conn:
        until(lambda: conn.execute(TERMINATED_IN_THE_WINDOW, (session_name(feed),)).fetchall(),
              lambda ended: ended == [(True,)], CATCH_TIMEOUT_S,
              f"{feed}'s session to be terminated while it decides a batch", interval_s=0.001)


def kill_in_the_window(platform: RunningPlatform, feed: str) -> None:
    """SIGKILL the worker while the feed is deciding a batch, and start it again."""
    with psycopg.connect(platform.settings.postgres, autocommit=True) as conn:
        until(lambda: conn.execute(IN_THE_WINDOW, (session_name(feed),)).fetchall(),
              lambda found: len(found) == 1, CATCH_TIMEOUT_S,
              f"{feed} to be deciding a batch", interval_s=0.001)
        platform.kill_worker()
    platform.start_worker()
