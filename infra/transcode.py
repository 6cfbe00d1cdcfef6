"""The transcode ladder: one ffmpeg per live stream, source copied plus scaled renditions."""

from __future__ import annotations

import shlex

from config.ladder import Rendition, encoder_args

# The size thumbnails are cut at; the HTTP server scales them down to the size a URL asks for.
THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT = 640, 360


def _output(rtmp_base: str, rendition: Rendition) -> list[str]:
    # A keyframe every second whatever the frame rate, so each HLS fragment can close on time.
    return [*encoder_args(rendition, 1), "-f", "flv", f"{rtmp_base}/show/$1_{rendition.name}"]


def _script(args: list[str]) -> str:
    quoted = " ".join(a if "$1" in a else shlex.quote(a) for a in args)
    return f"#!/bin/sh\nexec {quoted}\n"


def copy_script(rtmp_port: int) -> str:
    """The source rendition, copied: its own process, so playback never waits for encoders."""
    base = f"rtmp://127.0.0.1:{rtmp_port}"
    return _script(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", f"{base}/live/$1",
                    "-map", "0", "-c", "copy", "-f", "flv", f"{base}/show/$1_src"])


def ladder_script(rtmp_port: int, ladder: list[Rendition]) -> str:
    """Every scaled rendition from one decode (nginx runs it with the channel name as $1)."""
    base = f"rtmp://127.0.0.1:{rtmp_port}"
    args = ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", f"{base}/live/$1"]
    for rendition in ladder:
        args += _output(base, rendition)
    return _script(args)


def thumbnail_script(rtmp_port: int, directory: str, every_s: int) -> str:
    """A still of the live stream every `every_s` seconds, replaced atomically. Only keyframes
    are decoded, so it costs a few milliseconds per keyframe whatever the source's size."""
    base = f"rtmp://127.0.0.1:{rtmp_port}"
    return _script(["ffmpeg", "-nostdin", "-loglevel", "error", "-skip_frame", "nokey",
                    "-i", f"{base}/live/$1", "-map", "0:v:0", "-an",
                    "-vf", f"fps=1/{every_s},scale={THUMBNAIL_WIDTH}:{THUMBNAIL_HEIGHT}",
                    "-q:v", "4", "-f", "image2", "-update", "1", "-atomic_writing", "1",
                    f"{shlex.quote(directory)}/$1.jpg"])


def hls_variants(ladder: list[Rendition]) -> str:
    """nginx-rtmp `hls_variant` lines: they make it write the master playlist."""
    lines = ["            hls_variant _src BANDWIDTH=4000000;"]
    lines += [f"            hls_variant _{r.name} BANDWIDTH={r.bandwidth},"
              f"RESOLUTION={r.width}x{r.height};" for r in ladder]
    return "\n".join(lines)
