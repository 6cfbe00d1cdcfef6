"""Who is watching, as the gateways admit it: Redis, written as each heartbeat is answered.

A heartbeat is admitted before it is produced. An anonymous player is admitted while its
address has fewer than the cap of anonymous players heard in that channel within the viewer
window (the same window the viewer count uses, so the cap bounds what one address adds to the
count); a signed-in viewer counts as one user however many players. The cap's set is trimmed
and checked in one script, so parallel heartbeats cannot all pass.

Every admitted viewer's last heartbeat time is kept per channel, as long as an ad impression may
still need it (a break's longest run, its grace, a window), for impressions to prove that their
player was watching during the break. And each viewer's first impression of a break takes a key
that expires with the break: the once-per-viewer dedupe the channel's decider no longer keeps
(see processors/deciders/ads.py for the trade-off).

Keys of one channel share a hash tag, so one script touches one Redis Cluster slot.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime

import redis.asyncio as aioredis

from config.settings import Settings
from events.ads import MAX_BREAK_S

# KEYS: the channel's last heartbeats [, the address's anonymous players in the channel].
# ARGV: now, the viewer window, how long a last heartbeat is kept, the cap, viewer, session.
ADMIT = """
local now, window, keep, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]),
  tonumber(ARGV[4])
if #KEYS == 2 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  if not redis.call('ZSCORE', KEYS[2], ARGV[6]) and redis.call('ZCARD', KEYS[2]) >= cap then
    return 0
  end
  redis.call('ZADD', KEYS[2], now, ARGV[6])
  redis.call('EXPIRE', KEYS[2], math.ceil(window))
end
redis.call('ZADD', KEYS[1], now, ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - keep)
redis.call('EXPIRE', KEYS[1], math.ceil(keep))
return 1
"""


@dataclass(frozen=True)
class Admission:
    window_s: int  # how long a heartbeat keeps its viewer counted
    keep_s: int  # how long a viewer's last heartbeat is remembered
    anonymous_per_address: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Admission:
        keep = settings.viewer_window_s + MAX_BREAK_S + settings.ad_impression_grace_s
        return cls(settings.viewer_window_s, keep, settings.anonymous_viewers_per_address)

    @property
    def impression_key_s(self) -> int:
        """A break's first impression comes after it started: past its longest run and its
        grace, the decider refuses any other, so its key may go."""
        return self.keep_s - self.window_s


def heard_key(channel: str) -> str:
    return f"heard:{{{channel}}}"


def anonymous_key(channel: str, address: str) -> str:
    return f"anonymous-players:{{{channel}}}:{address}"


async def admit(redis: aioredis.Redis, admission: Admission, channel: str, viewer: str,
                anonymous_from: tuple[str, str] | None) -> bool:
    """Record the viewer's heartbeat; False when it is an anonymous player (its address and
    session in `anonymous_from`) past its address's cap."""
    keys = [heard_key(channel)]
    session = ""
    if anonymous_from is not None:
        address, session = anonymous_from
        keys.append(anonymous_key(channel, address))
    script = redis.register_script(ADMIT)
    admitted = await script(keys, [time.time(), admission.window_s, admission.keep_s,
                                   admission.anonymous_per_address, viewer, session])
    return bool(admitted)


async def last_heard(redis: aioredis.Redis, channel: str, viewer: str) -> datetime | None:
    score = await redis.zscore(heard_key(channel), viewer)
    return None if score is None else datetime.fromtimestamp(float(score), UTC)


def _impression_key(channel: str, break_id: str, viewer: str) -> str:
    return f"ad-impression:{{{channel}}}:{break_id}:{viewer}"


async def first_impression(redis: aioredis.Redis, admission: Admission, channel: str,
                           break_id: str, viewer: str) -> bool:
    """Take the viewer's impression of the break; False when it was taken already."""
    taken = await redis.set(_impression_key(channel, break_id, viewer), 1, nx=True,
                            ex=admission.impression_key_s)
    return bool(taken)


async def release_impression(redis: aioredis.Redis, channel: str, break_id: str,
                             viewer: str) -> None:
    """The decider refused it: a later impression of the viewer may still count."""
    await redis.delete(_impression_key(channel, break_id, viewer))
