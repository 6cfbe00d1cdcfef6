"""nginx with the RTMP module: ingest from OBS, transcode, HLS out."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import httpx

from config.ladder import parse_ladder
from config.settings import Settings
from config.shared_secrets import ingest_secret
from infra.server import LocalServer
from infra.transcode import (
    copy_script,
    hls_variants,
    input_script,
    ladder_script,
    thumbnail_script,
)

TEMPLATE = Path(__file__).resolve().parent.parent / "templates" / "nginx" / "nginx.conf"
BINARY = Path("/usr/sbin/nginx")


class NginxRtmpServer(LocalServer):
    name = "nginx-rtmp"
    debian_packages = ("nginx", "libnginx-mod-rtmp", "libnginx-mod-http-image-filter", "ffmpeg")
    binaries = (str(BINARY), "/usr/lib/nginx/modules/ngx_rtmp_module.so",
                "/usr/lib/nginx/modules/ngx_http_image_filter_module.so", "/usr/bin/ffmpeg")
    ping_errors = (httpx.HTTPError,)

    def external_address(self, settings: Settings) -> str | None:
        return settings.rtmp_url

    def address(self, settings: Settings) -> str:
        return settings.rtmp

    def ports(self, settings: Settings) -> tuple[int, ...]:
        return (settings.rtmp_port, settings.hls_http_port)

    def executable(self, settings: Settings) -> Path:
        return BINARY

    def prepare(self, settings: Settings, data_dir: Path) -> None:
        (data_dir / "hls").mkdir(parents=True, exist_ok=True)
        (data_dir / "thumbnails").mkdir(exist_ok=True)
        for part in ("recording", "done"):
            (settings.recordings / part).mkdir(parents=True, exist_ok=True)
        (settings.objects / "vods").mkdir(parents=True, exist_ok=True)
        ladder = parse_ladder(settings.transcode_ladder)
        chooser = data_dir / "input.sh"
        chooser.write_text(input_script(settings.rtmp_port, str(settings.recordings)))
        (data_dir / "copy.sh").write_text(copy_script(settings.rtmp_port, str(chooser)))
        (data_dir / "ladder.sh").write_text(ladder_script(settings.rtmp_port, str(chooser), ladder))
        (data_dir / "thumbnail.sh").write_text(thumbnail_script(
            settings.rtmp_port, str(data_dir / "thumbnails"), settings.thumbnail_every_s))
        pushes = [f"exec_push /bin/sh {data_dir}/copy.sh $name;",
                  f"exec_push /bin/sh {data_dir}/thumbnail.sh $name;"]
        if ladder:
            pushes.append(f"exec_push /bin/sh {data_dir}/ladder.sh $name;")
        values = {
            "data_dir": str(data_dir), "rtmp_port": str(settings.rtmp_port),
            "http_port": str(settings.hls_http_port), "ingest_url": settings.ingest,
            "ingest_secret": quote(ingest_secret(settings), safe=""),
            "heartbeat_s": str(settings.stream_heartbeat_s),
            "fragment_s": str(settings.hls_fragment_s),
            "playlist_s": str(settings.hls_fragment_s * 6),
            "thumbnail_max_age_s": str(settings.thumbnail_every_s),
            "hls_variants": hls_variants(ladder),
            "recordings_dir": str(settings.recordings),
            "objects_dir": str(settings.objects),
            "exec_push": "\n            ".join(pushes),
            # Workers must reach the state dir, which may be private to root.
            "user_directive": "user root root;" if os.geteuid() == 0 else "",
        }
        text = TEMPLATE.read_text()
        for key, value in values.items():
            text = text.replace("{" + key + "}", value)
        (data_dir / "nginx.conf").write_text(text)

    def arguments(self, settings: Settings, data_dir: Path) -> list[str]:
        return ["-p", str(data_dir), "-c", str(data_dir / "nginx.conf"), "-g", "daemon off;",
                "-e", "stderr"]

    def ping(self, settings: Settings) -> None:
        httpx.get(f"http://127.0.0.1:{settings.hls_http_port}/stat", timeout=1).raise_for_status()
