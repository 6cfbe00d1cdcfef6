"""OBS Studio as a streamer runs it, driven by a test: Debian's OBS on a virtual X display
(Xvfb) with Mesa's software OpenGL, a profile of its own in a home directory of its own, and
its obs-websocket (v5, built into OBS) as the remote control."""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import obsws_python

from castline.processes import spawn, stop
from tests.integration.test_bench_smoke import free_port
from tests.waiting import until

CANVAS = (640, 360)
# obs-websocket 5.1 (OBS 29) reads its settings from OBS's global configuration.
GLOBAL_INI = """[General]
FirstRun=true
LastVersion=486539266

[Basic]
Profile=Castline
ProfileDir=Castline

[OBSWebSocket]
FirstLoad=false
ServerEnabled=true
ServerPort={port}
AlertsEnabled=false
AuthRequired=false
"""


# The profile a streamer would set: x264 at a constant bit rate with a keyframe every 2 s (as
# Twitch asks, and as the HLS fragments want), on a small canvas for a 2-core machine.
PROFILE_INI = """[General]
Name=Castline

[Output]
Mode=Advanced

[AdvOut]
Encoder=obs_x264
TrackIndex=1

[Video]
BaseCX={width}
BaseCY={height}
OutputCX={width}
OutputCY={height}
FPSType=0
FPSCommon=30
"""
STREAM_ENCODER = ('{"rate_control": "CBR", "bitrate": 1200, "keyint_sec": 2, '
                  '"preset": "veryfast", "profile": "main", "tune": "zerolatency"}')


def write_configuration(home: Path, websocket_port: int) -> None:
    config = home / ".config" / "obs-studio"
    profile = config / "basic" / "profiles" / "Castline"
    profile.mkdir(parents=True)
    (config / "global.ini").write_text(GLOBAL_INI.format(port=websocket_port))
    (profile / "basic.ini").write_text(PROFILE_INI.format(width=CANVAS[0], height=CANVAS[1]))
    (profile / "streamEncoder.json").write_text(STREAM_ENCODER)


def virtual_display(log: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Xvfb on a display number of its own choosing, which it writes to a pipe once ready."""
    read, write = os.pipe()
    with open(log, "ab") as output:
        process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", "1280x720x24", "-nolisten",
             "tcp"], stdout=output, stderr=subprocess.STDOUT, pass_fds=(write,),
            start_new_session=True)
    os.close(write)
    with os.fdopen(read) as ready:
        number = ready.readline().strip()
    assert number, f"Xvfb did not start; see {log}"
    return process, f":{number}"


class ObsStudio:
    def __init__(self, client: Any) -> None:
        self.client = client

    def show_test_card(self) -> None:
        """A colour source filling the canvas: something to encode."""
        scene = self.client.get_current_program_scene().current_program_scene_name
        self.client.create_input(scene, "Castline test card", "color_source_v3", {
            "color": 0xFF3A7BD5, "width": CANVAS[0], "height": CANVAS[1]}, True)

    def stream_to(self, server: str, key: str) -> None:
        self.client.set_stream_service_settings("rtmp_custom", {
            "server": server, "key": key, "use_auth": False, "bwtest": False})
        self.client.start_stream()

    def streaming(self) -> bool:
        return bool(self.client.get_stream_status().output_active)

    def stop_streaming(self) -> float:
        """How long OBS says it streamed, in seconds."""
        streamed_ms = self.client.get_stream_status().output_duration
        self.client.stop_stream()
        return float(streamed_ms) / 1000


@contextmanager
def obs_studio(home: Path, logs: Path) -> Iterator[ObsStudio]:
    """OBS running until the block ends; then it and its display are stopped."""
    port = free_port("127.0.0.1")
    write_configuration(home, port)
    display, name = virtual_display(logs / "xvfb.log")
    obs = None
    try:
        obs = spawn(["obs", "--disable-shutdown-check", "--disable-updater", "--multi"],
                    logs / "obs.log", {"HOME": str(home), "DISPLAY": name,
                                       "LIBGL_ALWAYS_SOFTWARE": "1", "QT_QPA_PLATFORM": "xcb"})
        until(lambda: _listening(port), bool, 60, f"OBS's websocket (see {logs / 'obs.log'})")
        client = obsws_python.ReqClient(host="127.0.0.1", port=port, password="", timeout=10)
        try:
            yield ObsStudio(client)
        finally:
            client.disconnect()
    finally:
        if obs is not None:
            stop(obs, grace_s=10)
        stop(display, grace_s=5)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0
