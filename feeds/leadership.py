"""One worker at a time leads a feed: it holds the feed's advisory lock on a PostgreSQL session.

The lock ends with the session, so a crashed worker's lead ends as soon as PostgreSQL sees its
connection drop, and a standby takes over without waiting for a consumer-group rebalance.
"""

from __future__ import annotations

import logging
import threading

import psycopg

log = logging.getLogger(__name__)

STANDBY_POLL_S = 1.0


class Leadership:
    """A feed's lead, taken on `conn`; the leader also reports the feed's progress on it."""

    def __init__(self, conn: psycopg.Connection, feed: str) -> None:
        self.conn = conn
        self.feed = feed

    def try_lead(self) -> bool:
        """Take the lead (for this session) if no other session holds it."""
        row = self.conn.execute("SELECT pg_try_advisory_lock(hashtext(%s))",
                                (f"projection:{self.feed}",)).fetchone()
        return row is not None and bool(row[0])

    def wait(self, stop: threading.Event) -> bool:
        """Wait until this worker leads; False if stopped first."""
        while not stop.is_set():
            if self.try_lead():
                log.info("feed %s: this worker leads", self.feed)
                return True
            stop.wait(STANDBY_POLL_S)
        return False
