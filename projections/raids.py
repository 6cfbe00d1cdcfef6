"""Raids beside the channels read model: each channel's raid setting and each raid's course."""

from __future__ import annotations

from collections.abc import Sequence

import psycopg

from events.base import Message
from events.raids import RaidCanceled, RaidSettingChanged, RaidStarted, RaidWent

RAID_EVENTS = (RaidStarted, RaidCanceled, RaidWent, RaidSettingChanged)

STARTED = (
    "INSERT INTO raids (raid_id, channel, target, viewers, started_at, goes_at) "
    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING"
)
ENDED = "UPDATE raids SET ended_at = %s, went = %s WHERE raid_id = %s AND ended_at IS NULL"
SETTING = "UPDATE channels SET raids_from = %s WHERE channel = %s"


def apply_raids(conn: psycopg.Connection, messages: Sequence[Message]) -> None:
    """In log order; a repeated event changes nothing (a raid starts once, ends once)."""
    relevant = [m for m in messages if isinstance(m, RAID_EVENTS)]
    if not relevant:
        return
    with conn.pipeline(), conn.cursor() as cur:
        for event in relevant:
            if isinstance(event, RaidStarted):
                cur.execute(STARTED, (event.raid_id, event.channel,
                                      event.to_broadcaster_user_login, event.viewers,
                                      event.occurred_at, event.goes_at))
            elif isinstance(event, RaidCanceled | RaidWent):
                cur.execute(ENDED, (event.occurred_at, isinstance(event, RaidWent),
                                    event.raid_id))
            else:
                cur.execute(SETTING, (event.raids_from, event.channel))
