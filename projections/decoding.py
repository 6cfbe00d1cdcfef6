"""Decoding a batch for stores without transactions: undecodable records are parked first."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from events.base import Message
from events.dead_letters import PARKED, dead_letter
from events.errors import UndecodableMessage
from projections.runner import DeadLetterSink, Envelope, Record

log = logging.getLogger(__name__)


def decode_or_park(records: Sequence[Record], decode: Callable[[bytes], Message],
                   sink: DeadLetterSink, projection: str) -> list[Envelope]:
    """Decoded records; the others are parked before the caller's checkpoint passes them."""
    envelopes: list[Envelope] = []
    letters = []
    for r in records:
        try:
            envelopes.append(Envelope(r.topic, r.partition, r.offset, decode(r.value or b"")))
        except UndecodableMessage as error:
            letters.append(dead_letter(r.topic, r.partition, r.offset, r.value, r.key, error))
            log.error("parked undecodable message projection=%s topic=%s partition=%d "
                      "offset=%d: %s", projection, r.topic, r.partition, r.offset, error)
    if letters:
        sink.park(letters)
        for letter in letters:
            PARKED.add(letter)
    return envelopes
