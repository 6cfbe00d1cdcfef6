"""A publisher like OBS: ffmpeg pushing a synthetic H.264/AAC stream over RTMP."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from castline.processes import spawn


def publish(server: str, key: str, log: Path, seconds: int = 120) -> subprocess.Popen[bytes]:
    return spawn([
        "ffmpeg", "-nostdin", "-loglevel", "error", "-re",
        "-f", "lavfi", "-i", f"testsrc=size=640x360:rate=30:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=duration={seconds}",
        "-c:v", "libx264", "-preset", "veryfast", "-tune", "zerolatency", "-pix_fmt", "yuv420p",
        "-g", "60", "-c:a", "aac", "-f", "flv", f"{server}/{key}",
    ], log)


def probe(url: str) -> list[dict[str, Any]]:
    """ffprobe's streams of a playlist; [] when it cannot be read (yet)."""
    result = subprocess.run(
        ["ffprobe", "-v", "error", "-show_streams", "-of", "json", url],
        capture_output=True, text=True, timeout=30, check=False,
    )
    if result.returncode != 0:
        return []
    streams: list[dict[str, Any]] = json.loads(result.stdout).get("streams", [])
    return streams
