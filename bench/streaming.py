"""`castline bench streaming`: publish -> live in the directory, publish -> first playable
playlist (targets 1 s and 4.5 s), and heartbeats/s sustained through one gateway.

Runs the real worker and gateway as processes against the local stack, on loopback, bounded.
"""

from __future__ import annotations

import re
import shutil
import signal
import statistics
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench.harness import platform, streamer
from castline.processes import spawn, stop
from config.settings import Settings
from infra.install import apt_install

RUNS = 3


def publisher(url: str, keyframe_s: int) -> subprocess.Popen[bytes]:
    """Like OBS: 720p30 x264; its keyframe interval bounds how soon a fragment can close."""
    return spawn(["ffmpeg", "-nostdin", "-loglevel", "error", "-re", "-f", "lavfi", "-i",
                  "testsrc=size=1280x720:rate=30", "-f", "lavfi", "-i", "sine",
                  "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency",
                  "-pix_fmt", "yuv420p", "-g", str(30 * keyframe_s), "-c:a", "aac",
                  "-f", "flv", url])


def seconds_until(condition: Callable[[], bool], started: float, limit_s: float = 30) -> float:
    while time.monotonic() - started < limit_s:
        if condition():
            return time.monotonic() - started
        time.sleep(0.02)
    raise TimeoutError(f"not reached within {limit_s}s")


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
    """Seconds from publish to: listed live, a player can start, every rendition plays."""
    name, tag, url, _auth = streamer(api)
    process = publisher(url, keyframe_s)
    started = time.monotonic()
    try:
        listed = seconds_until(lambda: any(c["name"] == name for c in api.get(
            "/api/v1/streams", params={"tag": tag}).json()["data"]), started)
        playlist = f"{settings.hls}/{name}.m3u8"
        first_play = seconds_until(lambda: first_variant_playable(playlist), started)
        every = seconds_until(lambda: playable(playlist), started)
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
PLAYER_ADDRESSES = 100  # each with as many anonymous players as one address may have counted


def players(api: httpx.Client, channel: str, per_address: int) -> list[tuple[str, str]]:
    """(address, player token) of every player; X-Forwarded-For, from the loopback proxy wrk
    stands in for, gives each its address."""
    found = []
    for n in range(PLAYER_ADDRESSES):
        address = f"198.18.{n // 256}.{n % 256}"
        for _ in range(per_address):
            answer = api.post(f"/api/v1/channels/{channel}/player-sessions",
                              headers={"X-Forwarded-For": address})
            answer.raise_for_status()
            found.append((address, answer.json()["data"]["player_token"]))
    return found


def heartbeats_per_second(base: str, channel: str, pairs: list[tuple[str, str]], clients: int,
                          seconds: float, scratch: Path) -> tuple[float, int]:
    """wrk (a separate, compiled load generator) posting heartbeats: (requests/s, non-2xx)."""
    apt_install(missing_tools())
    script = scratch / "heartbeat.lua"
    script.write_text(WRK_SCRIPT % ", ".join(f'{{"{a}", "{t}"}}' for a, t in pairs))
    result = subprocess.run(
        ["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s", "-s", str(script),
         f"{base}/api/v1/channels/{channel}/heartbeat"],
        capture_output=True, text=True, timeout=seconds + 30, check=True,
    )
    found = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    if found is None:
        raise RuntimeError(f"wrk printed no rate:\n{result.stdout}{result.stderr}")
    rate = float(found.group(1))
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", result.stdout)
    return rate, int(failed.group(1)) if failed else 0


def missing_tools() -> list[str]:
    return [] if shutil.which("wrk") else ["wrk"]


def heartbeats_while_live(api: httpx.Client, settings: Settings, base: str, clients: int,
                          seconds: float, keyframe_s: int) -> tuple[float, int]:
    """Heartbeats count only for a live channel: one publishes while wrk posts them."""
    channel, _tag, url, _auth = streamer(api)
    process = publisher(url, keyframe_s)
    try:
        seconds_until(lambda: bool(api.get(f"/api/v1/channels/{channel}").json()["data"][
            "live"]), time.monotonic())
        pairs = players(api, channel, settings.anonymous_viewers_per_address)
        return heartbeats_per_second(base, channel, pairs, clients, seconds, settings.state_dir)
    finally:
        stop(process, signal.SIGINT, grace_s=5)


def run_streaming_bench(
    settings: Settings, clients: int, seconds: float, keyframe_s: int = 2
) -> None:
    with platform(settings, settings.state_dir / "logs") as base, httpx.Client(
        base_url=base, timeout=20
    ) as api:
        runs = [publish_once(api, settings, keyframe_s) for _ in range(RUNS)]
        rate, failed = heartbeats_while_live(api, settings, base, clients, seconds, keyframe_s)
    print(f"publisher keyframe interval: {keyframe_s} s")
    for index, label in ((0, "publish -> live in directory (target <= 1 s)"),
                         (1, "publish -> first playable playlist (target <= 4.5 s)"),
                         (2, "publish -> every rendition playable")):
        values = [r[index] for r in runs]
        print(f"{label}: median {statistics.median(values):.2f} s "
              f"(runs: {', '.join(f'{v:.2f}' for v in values)})")
    print(f"heartbeats through one gateway:     {rate:,.0f}/s accepted with 202 "
          f"({clients} connections from wrk, {seconds:.0f} s, {failed} not 2xx; "
          f"{PLAYER_ADDRESSES * settings.anonymous_viewers_per_address} players with their "
          "tokens, from as many addresses as they need)")
