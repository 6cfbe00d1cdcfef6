"""Secrets the platform's own parts share (the ingest callbacks' one, the one gateways sign
player tokens with): a setting in production, otherwise made once and kept in the state dir,
where every local process finds the same one."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from config.settings import Settings

INGEST_SECRET_FILE = "ingest-secret"  # noqa: S105  (a file name, not a secret)
PLAYER_SECRET_FILE = "player-secret"  # noqa: S105  (a file name, not a secret)


def ingest_secret(settings: Settings) -> str:
    """The secret nginx-rtmp's callback URLs carry."""
    if settings.ingest_secret:
        return settings.ingest_secret
    return _kept(settings.state_dir / INGEST_SECRET_FILE)


def player_secret(settings: Settings) -> str:
    """What every gateway signs and checks player tokens with."""
    if settings.player_secret:
        return settings.player_secret
    return _kept(settings.state_dir / PLAYER_SECRET_FILE)


def _kept(path: Path) -> str:
    """The secret in `path`, made first if there is none. Written aside and linked into place,
    so a process that loses the race reads the winner's whole secret, never a partial one."""
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}")
    draft.write_text(secrets.token_urlsafe(32))
    draft.chmod(0o600)
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return path.read_text().strip()
