"""The users read model in PostgreSQL: accounts, credentials, profiles and roles."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from events.accounts import USERS_TOPIC, UserRegistered
from events.users import UserProfileUpdated, UserRoleGranted
from feeds.records import Envelope

REGISTER = (
    "INSERT INTO users (user_id, username, display_name, email, password_hash, created_at) "
    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (user_id) DO NOTHING"
)
UPDATE_PROFILE = (
    "UPDATE users SET display_name = coalesce(%s, display_name), bio = coalesce(%s, bio), "
    "profile_image_url = coalesce(%s, profile_image_url), "
    "chat_color = coalesce(%s, chat_color), updated_at = %s WHERE user_id = %s"
)
GRANT_ROLE = (
    "INSERT INTO user_roles (user_id, role, granted_at) VALUES (%s, %s, %s) "
    "ON CONFLICT DO NOTHING"
)


class UsersProjection:
    name: str = "users"
    topics: tuple[str, ...] = (USERS_TOPIC,)
    tables: tuple[str, ...] = ("users", "user_roles")
    derived_columns: tuple[str, ...] = ()

    def apply(self, conn: psycopg.Connection, envelopes: Sequence[Envelope]) -> None:
        """In log order, statements pipelined: one round trip for the batch, not one per event."""
        with conn.pipeline(), conn.cursor() as cur:
            for event in (envelope.message for envelope in envelopes):
                if isinstance(event, UserRegistered):
                    cur.execute(REGISTER, (event.user_id, event.username, event.display_name,
                                           event.email, event.password_hash, event.occurred_at))
                elif isinstance(event, UserProfileUpdated):
                    cur.execute(UPDATE_PROFILE, (event.display_name, event.bio,
                                                 event.profile_image_url, event.chat_color,
                                                 event.occurred_at,
                                                 event.user_id))
                elif isinstance(event, UserRoleGranted):
                    cur.execute(GRANT_ROLE, (event.user_id, event.role, event.occurred_at))
