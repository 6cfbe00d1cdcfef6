"""Which clips may be cut: 5-60 s, from the last 90 s of a live stream or from anywhere in a
VOD. Pure: the gateway gives it the clock and what the read models say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

MIN_S, MAX_S = 5, 60
LIVE_WINDOW_S = 90


class ClipRefused(Exception):
    """The clip asked for cannot be cut: 422 with a machine code and the field at fault."""

    def __init__(self, error: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.error, self.message, self.field = error, message, field


@dataclass(frozen=True)
class LiveCut:
    start_at: datetime  # the session's wall clock
    duration_ms: int


@dataclass(frozen=True)
class VodCut:
    start_ms: int  # into the video
    duration_ms: int


def checked_duration(duration_s: float) -> int:
    """The clip's length in ms, if 5-60 s."""
    if duration_s < MIN_S:
        raise ClipRefused("clip_too_short", f"a clip lasts at least {MIN_S} s", "duration_s")
    if duration_s > MAX_S:
        raise ClipRefused("clip_too_long", f"a clip lasts at most {MAX_S} s", "duration_s")
    return round(duration_s * 1000)


def live_cut(now: datetime, live_since: datetime | None, duration_s: float,
             offset_s: float = 0) -> LiveCut:
    """A clip of the live stream ending offset_s before now: within the last 90 s, and
    within what has been streamed since the stream went live."""
    if live_since is None:
        raise ClipRefused("not_live", "the channel is offline: clip one of its videos instead")
    duration_ms = checked_duration(duration_s)
    if offset_s < 0 or offset_s + duration_s > LIVE_WINDOW_S:
        raise ClipRefused("out_of_window", f"a live clip comes from the last {LIVE_WINDOW_S} s "
                          "of the stream: offset_s + duration_s at most that", "offset_s")
    start_at = now - timedelta(seconds=offset_s) - timedelta(milliseconds=duration_ms)
    if start_at < live_since:
        streamed = max((now - live_since).total_seconds(), 0)
        raise ClipRefused("out_of_window", f"the stream has been live {streamed:.0f} s: "
                          "the clip would begin before it", "duration_s")
    return LiveCut(start_at, duration_ms)


def vod_cut(video_ms: int, start_s: float, duration_s: float) -> VodCut:
    """A clip of a VOD lasting video_ms: it begins and ends inside the video."""
    duration_ms = checked_duration(duration_s)
    start_ms = round(start_s * 1000)
    if start_ms < 0 or start_ms >= video_ms:
        raise ClipRefused("out_of_window", f"the video lasts {video_ms / 1000:.1f} s: the clip "
                          "begins inside it", "start_s")
    if start_ms + duration_ms > video_ms:
        raise ClipRefused("out_of_window", f"the video lasts {video_ms / 1000:.1f} s: the clip "
                          "ends inside it", "duration_s")
    return VodCut(start_ms, duration_ms)
