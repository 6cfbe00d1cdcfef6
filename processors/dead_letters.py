"""Parking an undecodable message from inside a Faust agent."""

from __future__ import annotations

import logging

import faust

from events.dead_letters import DEAD_LETTERS_TOPIC, PARKED, dead_letter
from events.errors import UndecodableMessage

log = logging.getLogger(__name__)


async def park(
    app: faust.App, topic: str, partition: int, offset: int,
    value: bytes | None, key: bytes | None, error: UndecodableMessage,
) -> None:
    letter = dead_letter(topic, partition, offset, value, key, error)
    sent = await app.topic(DEAD_LETTERS_TOPIC, key_serializer="raw", value_serializer="raw").send(
        key=letter.key, value=letter.value, headers=letter.headers
    )
    await sent
    PARKED.add(letter)
    log.error("parked undecodable message topic=%s partition=%d offset=%d: %s",
              topic, partition, offset, error)
