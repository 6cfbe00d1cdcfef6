from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from config.ladder import InvalidLadder, Rendition, parse_ladder
from infra.transcode import copy_script, hls_variants, input_script, ladder_script
from tests.waiting import until

CHANNEL = "abcd_1"


def test_ladder_is_parsed_from_settings_text() -> None:
    assert parse_ladder("360p:640x360:800k, 160p:284x160:250k") == [
        Rendition("360p", 640, 360, 800), Rendition("160p", 284, 160, 250)]
    assert parse_ladder("") == []


@pytest.mark.parametrize("text", ["360p", "360p:640:800k", "360p:axb:800k", "360p:640x360:fast"])
def test_a_bad_ladder_is_refused(text: str) -> None:
    with pytest.raises(InvalidLadder):
        parse_ladder(text)


def test_scripts_take_the_channel_as_their_argument() -> None:
    ladder = parse_ladder("360p:640x360:800k")
    copy = copy_script(1935, "/etc/castline/input.sh")
    assert "channel=$1\n. /etc/castline/input.sh\n" in copy
    assert "rtmp://127.0.0.1:1935/live/$channel" in input_script(1935, "/rec")
    assert "rtmp://127.0.0.1:1935/show/${channel}_src" in copy
    assert "-c copy" in copy
    scaled = ladder_script(1935, "/etc/castline/input.sh", ladder)
    assert "scale=640:360" in scaled
    assert "rtmp://127.0.0.1:1935/show/${channel}_360p" in scaled
    assert "-pix_fmt yuv420p" in scaled


def input_chosen(tmp_path: Path, recording: Path, write: Callable[[], None]) -> list[str]:
    """The copy script run for CHANNEL with an ffmpeg that prints its arguments, `write` called
    until it ends: the input it chose (and it leaves no temporary file)."""
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "ffmpeg").write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
    (tmp_path / "bin" / "ffmpeg").chmod(0o755)
    (tmp_path / "tmp").mkdir()
    chooser = tmp_path / "input.sh"
    chooser.write_text(input_script(1935, str(tmp_path / "recordings")))
    script = tmp_path / "copy.sh"
    script.write_text(copy_script(1935, str(chooser)))
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
           "TMPDIR": str(tmp_path / "tmp")}
    with subprocess.Popen(["/bin/sh", str(script), CHANNEL], stdout=subprocess.PIPE,
                          env=env) as run:

        def written() -> int | None:
            write()
            return run.poll()

        until(written, lambda code: code is not None, 10, "the script to choose its input")
        assert run.stdout is not None
        args = run.stdout.read().decode().splitlines()
    assert list((tmp_path / "tmp").iterdir()) == []
    start = next(n for n, arg in enumerate(args) if arg in ("-follow", "-i"))
    return args[start:args.index("-map")]


def recording_begun(tmp_path: Path, ago_s: int = 0) -> Path:
    """Where nginx-rtmp writes CHANNEL's recording of a publish begun `ago_s` seconds ago."""
    directory = tmp_path / "recordings" / "recording"
    directory.mkdir(parents=True)
    return directory / f"{CHANNEL}-{int(time.time()) - ago_s}.flv"


def appender(path: Path) -> Callable[[], None]:
    def append() -> None:
        with path.open("ab") as file:
            file.write(b"frame")
    return append


def test_the_recording_begun_for_this_publish_is_followed_from_its_start(tmp_path: Path) -> None:
    recording = recording_begun(tmp_path)
    assert input_chosen(tmp_path, recording, appender(recording)) == [
        "-follow", "1", "-seekable", "0", "-rw_timeout", "10000000", "-i", f"file:{recording}"]


def test_a_closed_recording_of_an_earlier_publish_is_not_followed(tmp_path: Path) -> None:
    recording = recording_begun(tmp_path)
    appender(recording)()
    assert input_chosen(tmp_path, recording, lambda: None) == [
        "-i", f"rtmp://127.0.0.1:1935/live/{CHANNEL}"]


def test_a_transcoder_respawned_mid_stream_joins_the_live_stream(tmp_path: Path) -> None:
    recording = recording_begun(tmp_path, ago_s=60)
    assert input_chosen(tmp_path, recording, appender(recording)) == [
        "-i", f"rtmp://127.0.0.1:1935/live/{CHANNEL}"]


def test_master_playlist_lists_source_then_each_rendition() -> None:
    lines = hls_variants(parse_ladder("360p:640x360:800k")).splitlines()
    assert "hls_variant _src" in lines[0]
    assert "hls_variant _360p BANDWIDTH=896000,RESOLUTION=640x360;" in lines[1]
