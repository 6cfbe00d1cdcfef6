"""Read-your-writes: a read may name a log position and wait (bounded) for it to be projected."""

from __future__ import annotations

import asyncio
import time
from typing import Annotated, Any

from psycopg_pool import AsyncConnectionPool
from pydantic import Field, PlainValidator
from starlette.requests import Request

from events.outcomes import CommandDecided
from events.positions import Position
from gateways.errors import ApiError
from gateways.inputs import check_number
from gateways.queries import Query, Refusal, refusal
from projections.channel_reads import checkpoint
from projections.registry import PROJECTIONS

POLL_INTERVAL_S = 0.01
PROJECTION_OF_TOPIC = {topic: p.name for p in PROJECTIONS for topic in p.topics}
PATTERN = "^[^/]+/[0-9]+/[0-9]+$"  # what Position.parse takes


def _position(raw: str) -> Position:
    try:
        # ValueError covers what isdigit() lets through and int() does not take ("²").
        position = Position.parse(raw)
    except ValueError as error:
        raise refusal("invalid_position",
                      f"not a log position (topic/partition/offset): {raw!r}") from error
    try:
        check_number(position.partition, "min_position")
        check_number(position.offset, "min_position")
    except ApiError as refused:
        raise refusal(refused.error, refused.message, refused.status) from refused
    return position


# A position past a signed long is 422; a projection behind the position is 503.
MinPosition = Annotated[
    Position | None,
    PlainValidator(_position, json_schema_input_type=Annotated[str, Field(pattern=PATTERN)]),
    Field(description="wait (bounded) until the read model has applied this log position "
                      "(topic/partition/offset)"),
    Refusal("invalid_position", "min_position is not a log position (topic/partition/offset)",
            (400, 422))]


class ReadYourWrites(Query):
    """A read that may name a log position and wait (bounded) for it to be projected."""

    min_position: MinPosition = None


async def wait_for_requested_position(
    request: Request, pool: AsyncConnectionPool[Any], max_wait_s: float
) -> None:
    """Read your own writes: wait for the `min_position` the request names, if it names one."""
    await wait_for_query_position(ReadYourWrites.of(request), pool, max_wait_s)


async def wait_for_query_position(query: ReadYourWrites, pool: AsyncConnectionPool[Any],
                                  max_wait_s: float) -> None:
    if query.min_position is not None:
        await wait_for_position(pool, query.min_position, max_wait_s)


async def wait_for_decided(pool: AsyncConnectionPool[Any], outcome: CommandDecided,
                           max_wait_s: float) -> None:
    """Read your own writes where the caller cannot name a position: wait for the last event
    an accepted command appended (nothing when it appended none)."""
    if outcome.positions:
        await wait_for_position(pool, Position.parse(outcome.positions[-1]), max_wait_s)


async def wait_for_position(
    pool: AsyncConnectionPool[Any], position: Position, max_wait_s: float
) -> None:
    """Wait until the projection built from the position's topic has applied it. A pool
    connection is held for each look only, never while sleeping: waits must not starve reads."""
    projection = PROJECTION_OF_TOPIC.get(position.topic)
    if projection is None:
        raise ApiError(400, "invalid_position",
                       f"no read model is built from {position.topic!r}", "min_position")
    deadline = time.monotonic() + max_wait_s
    while await _applied(pool, projection, position) < position.offset:
        if time.monotonic() >= deadline:
            raise ApiError(
                503, "projection_behind",
                f"{projection} has not reached {position.token} within {max_wait_s}s",
                headers={"Retry-After": "1"},
            )
        await asyncio.sleep(POLL_INTERVAL_S)


async def _applied(pool: AsyncConnectionPool[Any], projection: str, position: Position) -> int:
    async with pool.connection() as conn:
        return await checkpoint(conn, projection, position.topic, position.partition)
