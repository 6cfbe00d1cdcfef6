"""A live session's recording (nginx-rtmp's FLV files of the published stream, one per publish)
made into an HLS VOD with ffmpeg: the source copied and the ladder encoded from it."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from config.ladder import Rendition as LadderRendition
from config.ladder import encoder_args

# nginx-rtmp's `record_unique` names: "{stream}-{unix seconds}.flv", the stream named by its
# key ("live_{channel}_{secret}") or, once renamed, by the channel.
RECORDING = re.compile(r"^(?:live_(?P<keyed>[a-z0-9_]{4,25})_[0-9a-f]{40}|"
                       r"(?P<named>[a-z0-9_]{4,25}))-(?P<started>[0-9]{1,12})\.flv$")
EXTINF = re.compile(r"^#EXTINF:([0-9.]+),", re.MULTILINE)
PLAYLIST = "index.m3u8"
MASTER = "master.m3u8"
SOURCE = "src"
FFMPEG_TIMEOUT_S = 3600


class MediaError(Exception):
    """ffmpeg could not make a VOD of the recording: doing it again will not help."""


@dataclass(frozen=True)
class Recording:
    path: Path
    channel: str
    started: int  # unix seconds, as nginx-rtmp named the file


@dataclass(frozen=True)
class Rendition:
    name: str
    duration_ms: int
    bandwidth: int
    width: int
    height: int


def recordings_in(directory: Path) -> list[Recording]:
    """The recordings a directory holds, oldest first; other files are not recordings."""
    found = []
    for path in directory.glob("*.flv"):
        match = RECORDING.match(path.name)
        if match:
            found.append(Recording(path, match["keyed"] or match["named"],
                                   int(match["started"])))
    return sorted(found, key=lambda r: (r.started, r.path.name))


def of_session(recordings: Iterable[Recording], channel: str, started_at: datetime,
               ended_at: datetime) -> list[Recording]:
    """The channel's recordings begun while the session was live (file names keep whole
    seconds, so from the second before it began)."""
    first, last = int(started_at.timestamp()) - 1, ended_at.timestamp()
    return [r for r in recordings if r.channel == channel and first <= r.started <= last]


def playlist_duration_ms(text: str) -> int:
    return round(sum(float(seconds) for seconds in EXTINF.findall(text)) * 1000)


def _run(args: list[str]) -> str:
    try:
        result = subprocess.run(args, capture_output=True, text=True,
                                timeout=FFMPEG_TIMEOUT_S, check=False)
    except subprocess.TimeoutExpired as error:
        raise MediaError(f"{args[0]} took over {FFMPEG_TIMEOUT_S} s") from error
    if result.returncode != 0:
        raise MediaError(f"{args[0]} failed ({result.returncode}): {result.stderr[-500:]}")
    return result.stdout


def _hls(out: Path, segment_s: int) -> list[str]:
    out.mkdir(parents=True, exist_ok=True)
    return ["-f", "hls", "-hls_time", str(segment_s), "-hls_playlist_type", "vod",
            "-hls_segment_filename", str(out / "%05d.ts"), str(out / PLAYLIST)]


def encode(parts: list[Path], work: Path, ladder: list[LadderRendition],
           segment_s: int) -> list[str]:
    """The session's recordings, in order, as HLS VODs under `work`: the source copied, each
    rendition of the ladder encoded from it, all in one run (one decode). Every rendition
    spans the whole recording, so their durations are the source's. Their names, in order."""
    listing = work / "parts.txt"
    listing.write_text("".join(f"file '{p}'\n" for p in parts))
    args = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0",
            "-i", str(listing), "-map", "0", "-c", "copy", *_hls(work / SOURCE, segment_s)]
    for rendition in ladder:
        args += [*encoder_args(rendition, segment_s), *_hls(work / rendition.name, segment_s)]
    _run(args)
    listing.unlink()
    return [SOURCE, *(r.name for r in ladder)]


def described(name: str, out: Path) -> Rendition:
    """What the master playlist says of a remuxed rendition: its size and average bit rate."""
    duration_ms = playlist_duration_ms((out / PLAYLIST).read_text())
    probe = json.loads(_run(["ffprobe", "-v", "error", "-select_streams", "v:0",
                             "-show_entries", "stream=width,height", "-of", "json",
                             str(out / PLAYLIST)]))
    video = (probe.get("streams") or [{}])[0]
    size = sum(p.stat().st_size for p in out.glob("*.ts"))
    bandwidth = size * 8 * 1000 // max(duration_ms, 1)
    return Rendition(name, duration_ms, bandwidth, int(video.get("width", 0)),
                     int(video.get("height", 0)))


def master_playlist(renditions: list[Rendition]) -> str:
    lines = ["#EXTM3U", "#EXT-X-VERSION:3"]
    for r in renditions:
        resolution = f",RESOLUTION={r.width}x{r.height}" if r.width and r.height else ""
        lines += [f"#EXT-X-STREAM-INF:BANDWIDTH={r.bandwidth}{resolution}",
                  f"{r.name}/{PLAYLIST}"]
    return "\n".join(lines) + "\n"





def _copied(source: str, start_s: float, duration_s: float, out: Path) -> float:
    _run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-ss", f"{start_s:.3f}",
          "-i", source, "-t", f"{duration_s:.3f}", "-map", "0:v:0", "-map", "0:a:0?",
          "-c", "copy", "-avoid_negative_ts", "make_zero", "-movflags", "+faststart",
          "-f", "mp4", str(out)])
    probe = json.loads(_run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                             "-of", "json", str(out)]))
    return float(probe.get("format", {}).get("duration", 0))


def _keyframes(path: Path) -> list[float]:
    listed = _run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey",
                   "-show_entries", "frame=pts_time", "-of", "csv=p=0", str(path)])
    return [float(line) for line in listed.split() if line.replace(".", "", 1).isdigit()]


def cut_clip(source: str, start_s: float, duration_s: float, out: Path) -> int:
    """duration_s of the source from the keyframe at or before start_s, into an MP4, copied,
    not encoded. A seek in a copy begins where the demuxer can (a keyframe, or an HLS segment's
    start): the lead before start_s is cut again from the rough cut's own last keyframe in it.
    Its duration in ms, as ffprobe reads it."""
    rough = out.with_name(f"rough-{out.name}")
    lead = _copied(source, start_s, duration_s, rough) - duration_s
    keyframe = max((t for t in _keyframes(rough) if t <= lead + 0.05), default=0.0)
    seconds = _copied(str(rough), keyframe, duration_s, out)
    rough.unlink()
    return round(seconds * 1000)
