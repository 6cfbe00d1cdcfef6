"""The transcode ladder: one ffmpeg per live stream, source copied plus scaled renditions."""

from __future__ import annotations

import shlex

from config.ladder import Rendition, encoder_args

# The size thumbnails are cut at; the HTTP server scales them down to the size a URL asks for.
THUMBNAIL_WIDTH, THUMBNAIL_HEIGHT = 640, 360

# A transcoder joining the live stream starts at the publisher's next keyframe (nginx-rtmp keeps
# none for late joiners), up to a keyframe interval in; the publish's recording, written frame by
# frame, holds it from the first. The copy and the ladder read that recording as it grows when it
# was begun for this publish: named (unix seconds) within RECORDING_FRESH_S of the script's start
# and written since (a reconnect's closed file is not). Otherwise, after RECORDING_WAIT_STEPS
# looks 0.05 s apart or when nginx respawned a transcoder mid-stream, they join the live stream.
RECORDING_WAIT_STEPS = 40
RECORDING_FRESH_S = 3
# A followed recording that stops growing this long ends its reader (nginx ends it sooner).
FOLLOW_TIMEOUT_US = 10_000_000


def _output(rtmp_base: str, rendition: Rendition) -> list[str]:
    # A keyframe every second whatever the frame rate, so each HLS fragment can close on time.
    return [*encoder_args(rendition, 1), "-f", "flv",
            f"{rtmp_base}/show/${{channel}}_{rendition.name}"]


def _script(args: list[str]) -> str:
    quoted = " ".join(a if "$1" in a else shlex.quote(a) for a in args)
    return f"#!/bin/sh\nexec {quoted}\n"


def input_script(rtmp_port: int, recordings_dir: str) -> str:
    """What the copy and the ladder source with $channel set: it sets the positional
    parameters to ffmpeg's input options for that channel."""
    directory = shlex.quote(f"{recordings_dir}/recording")
    return f"""since=$(date +%s)
mark=$(mktemp)
for _ in $(seq {RECORDING_WAIT_STEPS}); do
    recording=$(find {directory} -maxdepth 1 -name "$channel-*.flv" -newer "$mark" | head -n 1)
    [ -n "$recording" ] && break
    sleep 0.05
done
rm -f "$mark"
started=${{recording##*-}}
if [ -n "$recording" ] && [ "${{started%.flv}}" -ge $((since - {RECORDING_FRESH_S})) ]; then
    set -- -follow 1 -seekable 0 -rw_timeout {FOLLOW_TIMEOUT_US} -i "file:$recording"
else
    set -- -i "rtmp://127.0.0.1:{rtmp_port}/live/$channel"
fi
"""


def _followed_script(input_path: str, outputs: list[str], probing: tuple[str, ...] = ()) -> str:
    # The input options input.sh chose, and the channel's name, are expanded by the shell.
    args = [*probing, '"$@"', *outputs]
    quoted = " ".join(a if "$" in a else shlex.quote(a) for a in args)
    return (f"#!/bin/sh\nchannel=$1\n. {shlex.quote(input_path)}\n"
            f"exec ffmpeg -nostdin -loglevel error {quoted}\n")


def copy_script(rtmp_port: int, input_path: str) -> str:
    """The source rendition, copied: its own process, so playback never waits for encoders.
    `input_path`: where input_script's text is."""
    base = f"rtmp://127.0.0.1:{rtmp_port}"
    outputs = ["-map", "0", "-c", "copy", "-f", "flv", f"{base}/show/${{channel}}_src"]
    # A copy needs no frame rate: not measuring one over 40 frames (1.3 s at 30 fps) lets it
    # start pushing about a second sooner. An encoder needs one, so the ladder measures it.
    return _followed_script(input_path, outputs, probing=("-fpsprobesize", "0"))


def ladder_script(rtmp_port: int, input_path: str, ladder: list[Rendition]) -> str:
    """Every scaled rendition from one decode (nginx runs it with the channel name as $1)."""
    base = f"rtmp://127.0.0.1:{rtmp_port}"
    outputs: list[str] = []
    for rendition in ladder:
        outputs += _output(base, rendition)
    return _followed_script(input_path, outputs)


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
