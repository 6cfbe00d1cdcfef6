"""Sign-in, registration and other per-address limits, counted in Redis.

An attempt is counted before it is decided, in one Redis transaction (INCR, then EXPIRE when
the key is new), and decided on the counts that transaction returns: parallel guesses each get
their own count, so no more than the limit can pass. A correct sign-in takes its attempt back.
Failures count per (account, address), so an attacker's guesses slow the attacker and never lock
the owner out from elsewhere, and per address, so one address cannot guess across accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

import redis.asyncio as aioredis

from config.settings import Settings
from gateways.errors import ApiError


@dataclass(frozen=True)
class LoginLimits:
    per_account: int  # failures of one account from one address
    per_address: int  # failures from one address, across accounts
    window_s: int

    @classmethod
    def from_settings(cls, settings: Settings) -> LoginLimits:
        return cls(settings.login_failures_per_account, settings.login_failures_per_address,
                   settings.login_failure_window_s)


def _keys(login: str, address: str) -> tuple[str, str]:
    return (f"login-failures:account:{login.lower()}:{address}",
            f"login-failures:address:{address}")


async def _count(redis: aioredis.Redis, keys: tuple[str, ...], window_s: int
                 ) -> list[tuple[str, int, int]]:
    """Each key's count after this attempt, and its time to live."""
    async with redis.pipeline(transaction=True) as pipe:
        for key in keys:
            pipe.incr(key)
            pipe.expire(key, window_s, nx=True)
            pipe.ttl(key)
        replies = await pipe.execute()
    return [(key, int(replies[3 * n]), int(replies[3 * n + 2])) for n, key in enumerate(keys)]


def _too_many(what: str, wait_s: int) -> ApiError:
    wait = max(wait_s, 1)
    return ApiError(429, "too_many_attempts", f"too many {what}; try again in {wait} s",
                    headers={"Retry-After": str(wait)})


async def attempt(redis: aioredis.Redis, limits: LoginLimits, login: str, address: str) -> None:
    """Count a sign-in attempt as a failure until it proves right; over a limit, refuse it."""
    counts = await _count(redis, _keys(login, address), limits.window_s)
    over = [ttl for (_, count, ttl), limit in zip(counts, (limits.per_account,
                                                           limits.per_address), strict=True)
            if count > limit]
    if over:
        raise _too_many("failed sign-ins", max(over))


async def succeeded(redis: aioredis.Redis, login: str, address: str) -> None:
    """A correct sign-in: the account's failures from this address are forgiven, and the
    attempt no longer counts against the address."""
    pair, by_address = _keys(login, address)
    async with redis.pipeline(transaction=True) as pipe:
        pipe.delete(pair)
        pipe.decr(by_address)
        await pipe.execute()


async def registration(redis: aioredis.Redis, per_address: int, window_s: int,
                       address: str) -> None:
    await counted(redis, f"registrations:address:{address}", per_address, window_s,
                  "registrations from this address")


async def counted(redis: aioredis.Redis, key: str, limit: int, window_s: int,
                  what: str) -> None:
    """Count one more of `what` under `key`; past `limit` in the window, refuse it (429)."""
    [(_, count, ttl)] = await _count(redis, (key,), window_s)
    if count > limit:
        raise _too_many(what, ttl)
