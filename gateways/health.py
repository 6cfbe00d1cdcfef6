"""Liveness (the process answers) and readiness (broker and stores answer; every feed runs
and keeps up)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable

import psycopg
import psycopg_pool
from confluent_kafka.admin import AdminClient
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from feeds.reports import feed_states
from gateways.state import Services
from stores import clickhouse

CHECK_TIMEOUT_S = 2.0


async def health(_request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def ready(request: Request) -> Response:
    services = Services.of(request)
    checks = {
        "kafka": _check(asyncio.to_thread(_kafka, services.settings.kafka)),
        "postgres": _check(_postgres(services)),
        "redis": _check(services.redis.ping()),
        "clickhouse": _check(asyncio.to_thread(_clickhouse, services.settings.clickhouse)),
        "cassandra": _check(asyncio.to_thread(
            services.history.any.execute, "SELECT release_version FROM system.local")),
        "feeds": _feeds(services),
    }
    results = dict(zip(checks, await asyncio.gather(*checks.values()), strict=True))
    ok = all(r["ok"] for r in results.values())
    return JSONResponse(
        {"status": "ready" if ok else "not_ready", "checks": results},
        status_code=200 if ok else 503,
    )


async def _feeds(services: Services) -> dict[str, object]:
    """Every decider, projection and the scheduler running and keeping up, by their reports."""
    settings = services.settings
    try:
        async with services.pool.connection(timeout=CHECK_TIMEOUT_S) as conn:
            states = await asyncio.wait_for(feed_states(conn, settings.ready_feed_silent_s),
                                            CHECK_TIMEOUT_S)
    except (psycopg.Error, psycopg_pool.PoolTimeout, TimeoutError) as error:
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    faults = {s.name: fault for s in states if (fault := s.fault(
        settings.ready_feed_silent_s, settings.ready_feed_stalled_s)) is not None}
    return {"ok": not faults, "feeds": len(states), **({"faults": faults} if faults else {})}


async def _check(probe: Awaitable[object]) -> dict[str, object]:
    started = time.monotonic()
    try:
        await asyncio.wait_for(probe, CHECK_TIMEOUT_S)
    except Exception as error:  # noqa: BLE001 - any failure means "not ready", reported below
        return {"ok": False, "error": f"{type(error).__name__}: {error}"}
    return {"ok": True, "ms": round((time.monotonic() - started) * 1000, 1)}


def _kafka(bootstrap: str) -> None:
    AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=CHECK_TIMEOUT_S)


async def _postgres(services: Services) -> None:
    async with services.pool.connection(timeout=CHECK_TIMEOUT_S) as conn:
        await conn.execute("SELECT 1")


def _clickhouse(url: str) -> None:
    with clickhouse.connected(url) as client:
        client.execute("SELECT 1")
