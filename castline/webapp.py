"""The web app's tool-chain and build: Node.js and its packages (`npm ci` when the lock file
changed), the production build (when a source is newer than it), and the Chromium its browser
tests drive. The chat clients the tests drive (tests/clients: tmi.js...) are npm packages too,
installed the same way, apart from the web app's.

    python -m castline.webapp setup     Debian packages, npm ci and the build, each when needed
    python -m castline.webapp build     npm run build, when stale
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from castline.npm import install_locked, npm
from infra.errors import InstallError
from infra.install import apt_install

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
TEST_CLIENTS = ROOT / "tests" / "clients"
DIST = WEB / "dist"
# Debian packages by the binary each provides.
TOOLS = {"node": "nodejs", "npm": "npm", "chromium": "chromium"}
# Root cannot use Chromium's sandbox; videos must start without a click.
CHROMIUM_ARGS = ["--autoplay-policy=no-user-gesture-required", "--disable-dev-shm-usage",
                 "--mute-audio", *(["--no-sandbox"] if os.geteuid() == 0 else [])]
SOURCES = ("src", "index.html", "package.json", "package-lock.json", "tsconfig.json",
           "vite.config.ts")


def chromium() -> str:
    """The Debian Chromium the browser tests and benches drive."""
    path = shutil.which("chromium")
    if path is None:
        raise InstallError("chromium is not installed: `make setup` installs it")
    return path


def install_packages() -> None:
    """`npm ci` once per version of package-lock.json."""
    if install_locked(WEB):
        log.info("installed the web app's npm packages")


def _newest(paths: list[Path]) -> float:
    return max(p.stat().st_mtime for path in paths
               for p in ([path] if path.is_file() else path.rglob("*")) if p.is_file())


def build() -> Path:
    """web/dist, built again when a source is newer than its index.html."""
    install_packages()
    index = DIST / "index.html"
    if index.exists() and index.stat().st_mtime >= _newest([WEB / s for s in SOURCES]):
        return DIST
    log.info("building the web app")
    npm(WEB, "run", "build")
    return DIST


def setup() -> None:
    """Also builds, so a gateway started by the tests (or by hand) has the app to serve."""
    apt_install([package for tool, package in TOOLS.items() if shutil.which(tool) is None])
    build()
    if install_locked(TEST_CLIENTS):
        log.info("installed the test clients' npm packages")


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    commands = {"setup": setup, "build": build}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit(f"usage: python -m castline.webapp {'|'.join(commands)}")
    try:
        commands[sys.argv[1]]()
    except InstallError as error:
        log.error("%s", error)
        sys.exit(1)


if __name__ == "__main__":
    main()
