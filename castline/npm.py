"""npm in a folder of the checkout that has its own package.json and lock file."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from infra.errors import InstallError


def npm(directory: Path, *args: str, env: dict[str, str] | None = None) -> None:
    """Run npm in `directory`; its first lines of output are the error when it fails."""
    if shutil.which("npm") is None:
        raise InstallError("npm is not installed: `make setup` installs Node.js and npm")
    result = subprocess.run(["npm", *args], cwd=directory, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, check=False,
                            env={**os.environ, **(env or {})})
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).splitlines()[:30])
        raise InstallError(f"npm {' '.join(args)} failed in {directory}:\n{output}")


def install_locked(directory: Path, env: dict[str, str] | None = None) -> bool:
    """`npm ci` once per version of the lock file (a stamp in node_modules says which);
    True when it ran."""
    digest = hashlib.sha256((directory / "package-lock.json").read_bytes()).hexdigest()[:16]
    stamp = directory / "node_modules" / f".installed-{digest}"
    if stamp.exists():
        return False
    npm(directory, "ci", "--no-audit", "--no-fund", env=env)
    stamp.touch()
    return True
