"""`castline bench streaming`: publish -> live in the directory, publish -> first playable
playlist (targets 1 s and 3 s), the live-edge latency hls.js reports in the web app's player in
headless Chromium (target 6 s), and heartbeats/s sustained through one gateway, against the
same gateway's liveness answer with the same connections in the same run; every accepted
heartbeat must reach ClickHouse.

Runs the real worker and gateway as processes against the local stack, on loopback, bounded.
"""

from __future__ import annotations

import math
import re
import shutil
import signal
import statistics
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.harness import platform, streamer
from bench.player_latency import player_latencies
from bench.verdicts import Verdicts
from castline.processes import spawn, stop
from config.settings import Settings
from infra.install import apt_install
from stores import clickhouse

LIVE_TARGET_S = 1.0
FIRST_PLAYABLE_TARGET_S = 3.0
# Chosen (no target stated): the first playable's target and one fragment of the ladder, whose
# encoders place a keyframe every second.
EVERY_RENDITION_TARGET_S = 4.0
PLAYER_LATENCY_TARGET_S = 6.0
LATENCY_SETTLE_S, LATENCY_SAMPLED_S = 5.0, 10.0
# Chosen (no target stated): a heartbeat (token, read model, Redis, broker) at a quarter of the
# rate of the gateway's cheapest answer.
HEARTBEATS_TO_LIVENESS = 0.25
STORED_WAIT_S = 60.0


def publisher(url: str, keyframe_s: int) -> subprocess.Popen[bytes]:
    """Like OBS: 720p30 x264; its keyframe interval bounds how soon a fragment can close."""
    return spawn(["ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                  "testsrc=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine",
                  "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
                  "-pix_fmt", "yuv420p", "-g", str(30 * keyframe_s), "-c:a", "aac",
                  "-f", "flv", url])


def seconds_until(condition: Callable[[], bool], started: float, limit_s: float = 30) -> float:
    """Seconds since `started` until `condition` holds; infinite if not within `limit_s`."""
    while time.monotonic() - started < limit_s:
        if condition():
            return time.monotonic() - started
        time.sleep(0.02)
    return math.inf


def playable(url: str) -> bool:
    result = subprocess.run(["ffprobe", "-v", "error", "-show_streams", url],
                            capture_output=True, timeout=10, check=False)
    return result.returncode == 0 and b"codec_type=video" in result.stdout


def first_variant_playable(master: str) -> bool:
    """What a player needs to start: the master playlist and the first rendition it lists."""
    response = httpx.get(master, timeout=5)
    if response.status_code != 200:
        return False
    variants = [line for line in response.text.splitlines() if line and line[0] != "#"]
    return bool(variants) and playable(f"{master.rsplit('/', 1)[0]}/{variants[0]}")


def publish_once(
    api: httpx.Client, settings: Settings, keyframe_s: int
) -> tuple[float, float, float]:
    """Seconds from publish to: listed live, a player can start, every rendition plays (each
    infinite if not within 30 s)."""
    name, tag, url, _auth = streamer(api)
    process = publisher(url, keyframe_s)
    started = time.monotonic()
    try:
        listed = seconds_until(lambda: any(c["name"] == name for c in api.get(
            "/api/v1/streams", params={"tag": tag}).json()["data"]), started)
        playlist = f"{settings.hls}/{name}.m3u8"
        first_play = seconds_until(lambda: first_variant_playable(playlist), started)
        every = (seconds_until(lambda: playable(playlist), started)
                 if math.isfinite(first_play) else math.inf)
    finally:
        stop(process, signal.SIGINT, grace_s=5)
    return listed, first_play, every


WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local players = {%s}
local n = 0
request = function()
  n = n + 1
  local player = players[n %% #players + 1]
  wrk.headers["X-Forwarded-For"] = player[1]
  return wrk.format(nil, nil, nil, '{"player_token":"' .. player[2] .. '"}')
end
"""


@dataclass(frozen=True)
class Load:
    clients: int
    seconds: float
    addresses: int  # each with as many anonymous players as one address may have counted


@dataclass(frozen=True)
class WrkRun:
    rate: float
    requests: int
    failed: int  # not 2xx or 3xx

    @property
    def accepted(self) -> int:
        return self.requests - self.failed


def players(api: httpx.Client, channel: str, addresses: int, per_address: int
            ) -> list[tuple[str, str]]:
    """(address, player token) of every player; X-Forwarded-For, from the loopback proxy wrk
    stands in for, gives each its address."""
    found = []
    for n in range(addresses):
        address = f"198.18.{n // 256}.{n % 256}"
        for _ in range(per_address):
            answer = api.post(f"/api/v1/channels/{channel}/player-sessions",
                              headers={"X-Forwarded-For": address})
            answer.raise_for_status()
            found.append((address, answer.json()["data"]["player_token"]))
    return found


def wrk(url: str, load: Load, script: Path | None = None) -> WrkRun:
    """wrk (a separate, compiled load generator) on `url`, with a request script or GETs."""
    apt_install(missing_tools())
    result = subprocess.run(
        ["wrk", "-t2", f"-c{load.clients}", f"-d{max(1, round(load.seconds))}s",
         *(["-s", str(script)] if script else []), url],
        capture_output=True, text=True, timeout=load.seconds + 30, check=True,
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    requests = re.search(r"(\d+) requests in", result.stdout)
    if rate is None or requests is None:
        raise RuntimeError(f"wrk printed no rate:\n{result.stdout}{result.stderr}")
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    return WrkRun(float(rate.group(1)), int(requests.group(1)),
                  int(failed.group(1)) if failed else 0)


def missing_tools() -> list[str]:
    return [] if shutil.which("wrk") else ["wrk"]


def stored_heartbeats(settings: Settings, channel: str, at_least: int) -> int:
    """The channel's heartbeats in ClickHouse once they are `at_least`, or at the deadline."""
    deadline = time.monotonic() + STORED_WAIT_S
    with clickhouse.connected(settings.clickhouse) as client:
        while True:
            stored = int(client.execute("SELECT count() FROM raw_view_heartbeat "
                                        "WHERE channel = %(c)s", {"c": channel})[0][0])
            if stored >= at_least or time.monotonic() > deadline:
                return stored
            time.sleep(0.2)


@dataclass(frozen=True)
class Heartbeats:
    posted: WrkRun
    liveness: WrkRun  # the same gateway's GET /health, same connections, same run
    stored: int  # in ClickHouse afterwards
    players: int


def heartbeats_while_live(api: httpx.Client, settings: Settings, base: str, load: Load,
                          keyframe_s: int) -> Heartbeats:
    """Heartbeats count only for a live channel: one publishes while wrk posts them."""
    channel, _tag, url, _auth = streamer(api)
    process = publisher(url, keyframe_s)
    try:
        if math.isinf(seconds_until(lambda: bool(api.get(f"/api/v1/channels/{channel}").json()[
                "data"]["live"]), time.monotonic())):
            raise TimeoutError(f"{channel} was not live within 30 s of its publish")
        pairs = players(api, channel, load.addresses, settings.anonymous_viewers_per_address)
        script = settings.state_dir / "heartbeat.lua"
        script.write_text(WRK_SCRIPT % ", ".join(f'{{"{a}", "{t}"}}' for a, t in pairs))
        posted = wrk(f"{base}/api/v1/channels/{channel}/heartbeat", load, script)
    finally:
        stop(process, signal.SIGINT, grace_s=5)
    liveness = wrk(f"{base}/health", load)
    stored = stored_heartbeats(settings, channel, posted.accepted)
    return Heartbeats(posted, liveness, stored, len(pairs))


def run_streaming_bench(settings: Settings, load: Load, publishes: int = 3,
                        keyframe_s: int = 2) -> bool:
    with platform(settings, settings.state_dir / "logs") as base, httpx.Client(
        base_url=base, timeout=20
    ) as api:
        runs = [publish_once(api, settings, keyframe_s) for _ in range(publishes)]
        latencies = latency_while_live(api, settings, base, keyframe_s)
        beats = heartbeats_while_live(api, settings, base, load, keyframe_s)
    print(f"publisher keyframe interval: {keyframe_s} s; {publishes} publishes, medians")
    verdicts = Verdicts()
    for index, label, target in (
            (0, "publish -> live in directory", LIVE_TARGET_S),
            (1, "publish -> first playable playlist", FIRST_PLAYABLE_TARGET_S),
            (2, "publish -> every rendition playable (target chosen)", EVERY_RENDITION_TARGET_S)):
        values = [r[index] for r in runs]
        print(f"{label}: runs {', '.join(f'{v:.2f}' for v in values)} s")
        verdicts.figure(f"{label}, median", statistics.median(values), target,
                        higher_is_better=False, unit=" s")
    report_latency(latencies, verdicts)
    report_heartbeats(beats, load, verdicts)
    return verdicts.passed


def latency_while_live(api: httpx.Client, settings: Settings, base: str,
                       keyframe_s: int) -> list[float]:
    """The web app's player on a live channel: its latency readouts."""
    name, _tag, url, _auth = streamer(api)
    process = publisher(url, keyframe_s)
    try:
        seconds_until(lambda: playable(f"{settings.hls}/{name}.m3u8"), time.monotonic())
        return player_latencies(base, name, LATENCY_SETTLE_S, LATENCY_SAMPLED_S)
    finally:
        stop(process, signal.SIGINT, grace_s=5)


def report_latency(latencies: list[float], verdicts: Verdicts) -> None:
    print(f"player latency (hls.js, headless Chromium, after {LATENCY_SETTLE_S:.0f} s of play): "
          f"samples {', '.join(f'{v:.1f}' for v in latencies) or 'none'} s")
    expected = int(LATENCY_SAMPLED_S * 0.8)
    verdicts.complete("player latency samples", [] if len(latencies) >= expected else [
        f"{len(latencies)} of at least {expected} readouts: the page did not play"])
    if latencies:
        verdicts.figure("player latency behind the live edge, median",
                        statistics.median(latencies), PLAYER_LATENCY_TARGET_S,
                        higher_is_better=False, unit=" s")


def report_heartbeats(beats: Heartbeats, load: Load, verdicts: Verdicts) -> None:
    print(f"heartbeats through one gateway: {beats.posted.rate:,.0f}/s ({beats.posted.requests:,}"
          f" answered, {beats.posted.failed:,} not 2xx); its GET /health: "
          f"{beats.liveness.rate:,.0f}/s ({load.clients} connections from wrk, "
          f"{load.seconds:.0f} s each; {beats.players:,} players with their tokens from "
          f"{load.addresses} addresses)")
    verdicts.figure("heartbeats/s / GET /health/s of the same gateway (target chosen)",
                    beats.posted.rate / beats.liveness.rate, HEARTBEATS_TO_LIVENESS,
                    higher_is_better=True)
    missing = []
    if beats.posted.failed:
        missing.append(f"{beats.posted.failed:,} heartbeats answered other than 2xx")
    if beats.stored < beats.posted.accepted:
        missing.append(f"{beats.stored:,} of {beats.posted.accepted:,} accepted heartbeats in "
                       f"ClickHouse after {STORED_WAIT_S:.0f} s")
    verdicts.complete("heartbeats (every one accepted is in ClickHouse)", missing)
