"""Operator actions that need no signed-in admin: the first admin has to come from somewhere."""

from __future__ import annotations

import psycopg

from config.settings import Settings
from events.codec import Codec
from events.positions import Position
from events.producer import EventProducer
from events.users import UserRoleGranted


class UnknownUser(Exception):
    pass


def grant_admin(settings: Settings, username: str) -> Position:
    with psycopg.connect(settings.postgres) as conn:
        row = conn.execute("SELECT user_id FROM users WHERE username = lower(%s)",
                           (username,)).fetchone()
    if row is None:
        raise UnknownUser(f"no user named {username.lower()!r}")
    producer = EventProducer(settings.kafka, Codec.from_settings(settings).encode)
    [position] = producer.send([UserRoleGranted(user_id=str(row[0]), role="admin")])
    return position
