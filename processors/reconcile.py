"""Ends live sessions whose end nginx-rtmp never reported (it was killed, or a callback lost).

Pure part: which sessions are stale, given what is live in the read model and who publishes
according to nginx-rtmp's statistics. A session nginx-rtmp still publishes is kept however long
its heartbeats were not decided (the deciders were down: that must not end every stream). If the
statistics cannot be read, only sessions silent for several heartbeats are ended: one failed
fetch must not end every stream either.
"""

from __future__ import annotations

import asyncio
import logging
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import httpx
import psycopg

from config.settings import Settings
from events.base import Message
from events.stream_commands import EndStream
from processors.scheduler import Ticker

log = logging.getLogger(__name__)

SILENT_HEARTBEATS = 3


@dataclass(frozen=True)
class LiveRow:
    channel: str
    client_id: str
    started_at: datetime
    last_heartbeat_at: datetime


def publishers(stat_xml: str, application: str = "live") -> set[tuple[str, str]]:
    """(stream name, client id) of every publishing client in the application."""
    root = ET.fromstring(stat_xml)  # noqa: S314 - trusted source, loopback
    found = set()
    for app in root.iter("application"):
        if app.findtext("name") != application:
            continue
        for stream in app.iter("stream"):
            for client in stream.iter("client"):
                if client.find("publishing") is not None:
                    found.add((stream.findtext("name") or "", client.findtext("id") or ""))
    return found


def stale(rows: list[LiveRow], publishing: set[tuple[str, str]] | None, now: datetime,
          heartbeat_s: float) -> list[EndStream]:
    """Sessions to end. `publishing` is None when nginx-rtmp's statistics were unreadable."""
    grace = timedelta(seconds=heartbeat_s * SILENT_HEARTBEATS)
    ended = []
    for row in rows:
        if publishing is None:
            gone = now - row.last_heartbeat_at > grace
        else:
            gone = ((row.channel, row.client_id) not in publishing
                    and now - row.started_at > timedelta(seconds=heartbeat_s))
        if gone:
            ended.append(EndStream(channel=row.channel, client_id=row.client_id,
                                   reason="reconciled"))
    return ended


def live_rows(dsn: str) -> list[LiveRow]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT c.channel, s.client_id, s.started_at, s.last_heartbeat_at FROM channels c "
            "JOIN streams s ON s.session_id = c.live_session_id WHERE s.client_id IS NOT NULL"
        ).fetchall()
    return [LiveRow(*row) for row in rows]


async def fetch_publishers(stat_url: str) -> set[tuple[str, str]] | None:
    try:
        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(stat_url)
            response.raise_for_status()
        return publishers(response.text)
    except (httpx.HTTPError, ET.ParseError) as error:
        log.warning("nginx-rtmp statistics unreadable at %s: %s", stat_url, error)
        return None


def reconcile_ticker(settings: Settings) -> Ticker:
    async def reconcile_live_sessions() -> list[Message]:
        rows = await asyncio.to_thread(live_rows, settings.postgres)
        if not rows:
            return []
        publishing = await fetch_publishers(settings.rtmp_stat_url)
        ended = stale(rows, publishing, datetime.now(UTC), settings.stream_heartbeat_s)
        for command in ended:
            log.warning("ending missed session of %s (client %s)", command.channel,
                        command.client_id)
        return list(ended)

    return Ticker("reconcile", settings.stream_reconcile_s, reconcile_live_sessions)
