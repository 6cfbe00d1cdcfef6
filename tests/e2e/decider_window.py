"""Catching a decider between sending a batch's events and committing the batch, with no hook
in the product. The test holds a row lock on a state the decider writes once the batch's events
are acknowledged (a channel's state, a wallet): the next batch that changes that state sends its
events, then waits on the lock to write its states, its transaction still open. Its session,
named after the feed, shows that in pg_stat_activity. The test then SIGKILLs the worker or ends
the session, and lets go of the lock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from config.settings import Settings
from tests.running import RunningPlatform
from tests.waiting import until

WAITING_TO_WRITE = (
    "SELECT pid FROM pg_stat_activity WHERE application_name = %s "
    "AND wait_event_type = 'Lock' AND query LIKE 'INSERT%%'")
CATCH_TIMEOUT_S = 60




def channel_state(channel: str) -> tuple[str, tuple[object, ...]]:
    """The row lock on a channel's state that the channel decider writes."""
    return "SELECT 1 FROM channel_decider_states WHERE channel = %s FOR UPDATE", (channel,)


def decider_state(kind: str, key: str) -> tuple[str, tuple[object, ...]]:
    """The row lock on a state the account, wallet or subscription decider writes."""
    return ("SELECT 1 FROM decider_states WHERE kind = %s AND key = %s FOR UPDATE",
            (kind, key))


@contextmanager
def sent_not_committed(settings: Settings, feed: str, state: tuple[str, tuple[object, ...]]
                       ) -> Iterator[int]:
    """While the feed's batch waits to write `state` after sending its events: its session."""
    lock, params = state
    with psycopg.connect(settings.postgres) as holder, \
            psycopg.connect(settings.postgres, autocommit=True) as watcher:
        until(lambda: holder.execute(lock, params).fetchall(), bool, CATCH_TIMEOUT_S,
              f"a state of {feed}'s to lock")
        try:
            [(pid,)] = until(
                lambda: watcher.execute(WAITING_TO_WRITE, (f"castline:{feed}",)).fetchall(),
                lambda waiting: len(waiting) == 1, CATCH_TIMEOUT_S,
                f"{feed} to wait to write a batch it has sent")
            yield pid
        finally:
            holder.rollback()


def terminate_in_the_window(settings: Settings, feed: str,
                            state: tuple[str, tuple[object, ...]]) -> None:
    """End the feed's PostgreSQL session after it sent a batch, before it committed it."""
    with sent_not_committed(settings, feed, state) as pid, \
            psycopg.connect(settings.postgres, autocommit=True) as conn:
        assert conn.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchall() == [(True,)]


def kill_in_the_window(platform: RunningPlatform, feed: str,
                       state: tuple[str, tuple[object, ...]]) -> None:
    """SIGKILL the worker after the feed sent a batch, before it committed it; start it again."""
    with sent_not_committed(platform.settings, feed, state):
        platform.kill_worker()
    platform.start_worker()
