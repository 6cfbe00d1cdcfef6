"""A rest after an empty fetch, for brokers that answer a fetch at once when there is nothing
to read instead of holding it for `fetch.max.wait.ms` (the local broker does; Kafka does not).

Without it Faust's consumer (aiokafka) sends the next fetch as soon as the empty answer comes
back, and an idle worker spins a core on nothing. The rest holds the broker's slot in flight,
so no other fetch to that broker starts meanwhile: a record arriving waits up to the rest.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiokafka.consumer.fetcher import Fetcher

_original = Fetcher._proc_fetch_request


def rest_after_empty_fetches(rest_s: float) -> None:
    """Make every aiokafka consumer in this process rest `rest_s` after an empty fetch
    (0: do not rest, as with a broker that long-polls)."""

    async def fetch_then_rest(self: Fetcher, assignment: Any, node_id: int, request: Any) -> bool:
        found: bool = await _original(self, assignment, node_id, request)
        if not found and rest_s > 0:
            try:
                await asyncio.sleep(rest_s)
            except asyncio.CancelledError:
                # As aiokafka's own fetch does: a cancelled fetch (assignment changed or
                # closing) just has no result for the routine that awaits it.
                return found
        return found

    Fetcher._proc_fetch_request = fetch_then_rest if rest_s > 0 else _original
