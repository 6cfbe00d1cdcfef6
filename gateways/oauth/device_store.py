"""The device codes of OAuth's device flow (RFC 8628) in PostgreSQL. Called from worker threads."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from authlib.oauth2.rfc8628 import DeviceCredentialMixin

from gateways.oauth.models import User, digest
from gateways.oauth.store import OAuthStore

DEVICE_CODE_TTL = timedelta(minutes=30)
POLL_INTERVAL_S = 5
SLOW_DOWN_STEP_S = 5


@dataclass(frozen=True)
class DeviceCredential(DeviceCredentialMixin):  # type: ignore[misc]
    device_code_hash: str
    client_id: str
    scope: str
    user_code: str
    expires_at: float
    user: User | None
    approved: bool | None

    def get_client_id(self) -> str:
        return self.client_id

    def get_scope(self) -> str:
        return self.scope

    def get_user_code(self) -> str:
        return self.user_code

    def is_expired(self) -> bool:
        return time.time() >= self.expires_at


class DeviceStore(OAuthStore):
    """The authorization server's store, with the device codes."""

    def save(self, client_id: str, scope: str, device_code: str, user_code: str) -> None:
        self._run("DELETE FROM oauth_device_codes WHERE expires_at < now()", ())
        self._run(
            "INSERT INTO oauth_device_codes (device_code_hash, user_code, client_id, scope, "
            "expires_at, poll_interval_s) VALUES (%s, %s, %s, %s, %s, %s)",
            (digest(device_code), user_code, client_id, scope,
             datetime.now(UTC) + DEVICE_CODE_TTL, POLL_INTERVAL_S))

    def _credential(self, row: dict[str, Any] | None) -> DeviceCredential | None:
        if row is None:
            return None
        user = self.user(str(row["user_id"])) if row["user_id"] else None
        return DeviceCredential(row["device_code_hash"], row["client_id"], row["scope"],
                                row["user_code"], row["expires_at"].timestamp(), user,
                                row["approved"])

    def by_device_code(self, device_code: str) -> DeviceCredential | None:
        return self._credential(self._one(
            "SELECT * FROM oauth_device_codes WHERE device_code_hash = %s",
            (digest(device_code),)))

    def by_user_code(self, user_code: str) -> DeviceCredential | None:
        """A code still to be answered: unexpired."""
        return self._credential(self._one(
            "SELECT * FROM oauth_device_codes WHERE user_code = %s AND expires_at > now()",
            (user_code,)))

    def answer(self, user_code: str, user: User, approved: bool) -> bool:
        """The user's answer, once: false when the code is gone, expired or already answered."""
        return self._run(
            "UPDATE oauth_device_codes SET user_id = %s, approved = %s "
            "WHERE user_code = %s AND expires_at > now() AND approved IS NULL",
            (user.user_id, approved, user_code)) == 1

    def polled_too_soon(self, device_code_hash: str) -> bool:
        """Notes a poll; one sooner than the interval after the last one widens the interval."""
        row = self._one(
            "WITH before AS (SELECT polled_at, poll_interval_s FROM oauth_device_codes "
            "WHERE device_code_hash = %(code)s FOR UPDATE) "
            "UPDATE oauth_device_codes d SET polled_at = now(), poll_interval_s = "
            "CASE WHEN b.polled_at > now() - make_interval(secs => b.poll_interval_s) "
            "THEN b.poll_interval_s + %(step)s ELSE b.poll_interval_s END "
            "FROM before b WHERE d.device_code_hash = %(code)s "
            "RETURNING b.polled_at > now() - make_interval(secs => b.poll_interval_s) AS soon",
            {"code": device_code_hash, "step": SLOW_DOWN_STEP_S})
        return bool(row and row["soon"])

    def claim(self, device_code_hash: str) -> bool:
        """An approved code is exchanged once: the first to delete it has it."""
        return self._run(
            "DELETE FROM oauth_device_codes WHERE device_code_hash = %s AND approved",
            (device_code_hash,)) == 1
