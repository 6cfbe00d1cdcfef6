"""The transcode ladder: the renditions live streams and VODs are encoded to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rendition:
    name: str  # "360p"
    width: int
    height: int
    video_kbps: int

    @property
    def bandwidth(self) -> int:
        return (self.video_kbps + 96) * 1000


class InvalidLadder(ValueError):
    pass


def parse_ladder(text: str) -> list[Rendition]:
    """ "360p:640x360:800k,160p:284x160:250k" -> renditions; an empty text means source only."""
    renditions = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        try:
            name, size, rate = item.split(":")
            width, height = (int(n) for n in size.split("x"))
            kbps = int(rate.rstrip("kK"))
        except ValueError as error:
            raise InvalidLadder(f"not name:WxH:RATEk: {item!r}") from error
        renditions.append(Rendition(name, width, height, kbps))
    return renditions


def encoder_args(rendition: Rendition, keyframe_s: int) -> list[str]:
    """ffmpeg's output options for a rendition of input 0: H.264 and AAC, a keyframe every
    keyframe_s seconds whatever the frame rate (so each HLS segment can close on time)."""
    keyframes = ["-force_key_frames", f"expr:gte(t,n_forced*{keyframe_s})", "-sc_threshold", "0"]
    return [
        "-map", "0:v:0", "-map", "0:a:0?", "-c:v", "libx264", "-preset", "veryfast",
        "-tune", "zerolatency", "-pix_fmt", "yuv420p",
        "-vf", f"scale={rendition.width}:{rendition.height}", *keyframes,
        "-b:v", f"{rendition.video_kbps}k", "-maxrate", f"{rendition.video_kbps}k",
        "-bufsize", f"{rendition.video_kbps * 2}k", "-c:a", "aac", "-b:a", "96k",
    ]
