"""The users read model in PostgreSQL (accounts and their credentials)."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from events.accounts import USERS_TOPIC, UserRegistered
from projections.runner import Envelope


class UsersProjection:
    name: str = "users"
    topics: tuple[str, ...] = (USERS_TOPIC,)

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None:
        rows = [
            (e.user_id, e.username, e.display_name, e.email, e.password_hash, e.occurred_at)
            for e in (envelope.message for envelope in envelopes)
            if isinstance(e, UserRegistered)
        ]
        if rows:
            with conn.cursor() as cur:
                cur.executemany(
                    "INSERT INTO users (user_id, username, display_name, email, password_hash, "
                    "created_at) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (user_id) DO NOTHING",
                    rows,
                )
