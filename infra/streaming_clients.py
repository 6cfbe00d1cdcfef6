"""Streaming software the tests drive as a streamer would: OBS Studio on a virtual X display
(Xvfb) with Mesa's software OpenGL. Idempotent, and fast when it is there.

    python -m infra.streaming_clients
"""

from __future__ import annotations

import logging
import shutil
import sys

from infra.errors import InstallError
from infra.install import apt_install

log = logging.getLogger(__name__)
TOOLS = {"obs": "obs-studio", "Xvfb": "xvfb"}
SOFTWARE_OPENGL = "libgl1-mesa-dri"


def missing_packages() -> list[str]:
    missing = [package for tool, package in TOOLS.items() if shutil.which(tool) is None]
    return [*missing, SOFTWARE_OPENGL] if missing else []


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    try:
        apt_install(missing_packages())
        if missing_packages():
            raise InstallError(f"installed, yet {missing_packages()} are still missing")
    except InstallError as error:
        log.error("%s", error)
        sys.exit(1)


if __name__ == "__main__":
    main()
