"""The authorization server's PostgreSQL store. Called from worker threads (authlib is sync)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from gateways.oauth.models import OAuthClient, StoredCode, StoredToken, User, digest

CODE_TTL = timedelta(minutes=10)
CLIENT_COLUMNS = ("client_id, client_secret_hash, name, redirect_uris, grant_types, scope, "
                  "first_party")


class OAuthStore:
    def __init__(self, pool: ConnectionPool[Any]) -> None:
        self.pool = pool

    def _one(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...]) -> dict[str, Any] | None:
        with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as cur:
            cur.execute(sql.encode(), params)
            row: dict[str, Any] | None = cur.fetchone()
            return row

    def _run(self, sql: str, params: Mapping[str, Any] | tuple[Any, ...]) -> int:
        with self.pool.connection() as conn:
            count: int = conn.execute(sql.encode(), params).rowcount
            return count

    def client(self, client_id: str) -> OAuthClient | None:
        row = self._one(f"SELECT {CLIENT_COLUMNS} FROM oauth_clients WHERE client_id = %s",
                        (client_id,))
        if row is None:
            return None
        return OAuthClient(**{**row, "redirect_uris": tuple(row["redirect_uris"]),
                              "grant_types": tuple(row["grant_types"])})

    def add_client(self, client: OAuthClient, owner_id: str) -> None:
        self._run(
            "INSERT INTO oauth_clients (client_id, client_secret_hash, owner_id, name, "
            "redirect_uris, grant_types, scope) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (client.client_id, client.client_secret_hash, owner_id, client.name,
             list(client.redirect_uris), list(client.grant_types), client.scope),
        )

    def login(self, login: str) -> tuple[User, str] | None:
        """The user named by username or email, with their password hash."""
        row = self._one(
            "SELECT user_id, username, password_hash FROM users "
            "WHERE username = lower(%(login)s) OR email = lower(%(login)s)", {"login": login})
        if row is None:
            return None
        return User(str(row["user_id"]), row["username"]), row["password_hash"]

    def user(self, user_id: str) -> User | None:
        row = self._one("SELECT user_id, username FROM users WHERE user_id = %s", (user_id,))
        return None if row is None else User(str(row["user_id"]), row["username"])

    def is_admin(self, user_id: str) -> bool:
        row = self._one("SELECT 1 AS admin FROM user_roles WHERE user_id = %s AND role = 'admin'",
                        (user_id,))
        return row is not None

    def save_token(self, token: Mapping[str, Any], client_id: str, user: User | None) -> None:
        refresh = token.get("refresh_token")
        self._run(
            "INSERT INTO oauth_tokens (access_token_hash, refresh_token_hash, client_id, "
            "user_id, scope, expires_in) VALUES (%s, %s, %s, %s, %s, %s)",
            (digest(token["access_token"]), digest(refresh) if refresh else None, client_id,
             user.user_id if user else None, token.get("scope", ""), token["expires_in"]),
        )

    def token(self, column: str, secret: str) -> StoredToken | None:
        assert column in ("access_token_hash", "refresh_token_hash")
        row = self._one(f"SELECT * FROM oauth_tokens WHERE {column} = %s", (digest(secret),))
        if row is None:
            return None
        client = self.client(row["client_id"])
        assert client is not None
        user = self.user(str(row["user_id"])) if row["user_id"] else None
        return StoredToken(row["access_token_hash"], client, user, row["scope"],
                           row["issued_at"].timestamp(), row["expires_in"], row["revoked"])

    def revoke(self, access_token_hash: str) -> None:
        self._run("UPDATE oauth_tokens SET revoked = true WHERE access_token_hash = %s",
                  (access_token_hash,))

    def save_code(self, code: str, client_id: str, user: User, fields: Mapping[str, Any]) -> None:
        self._run(
            "INSERT INTO oauth_codes (code_hash, client_id, user_id, redirect_uri, scope, "
            "code_challenge, code_challenge_method, expires_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (digest(code), client_id, user.user_id, fields["redirect_uri"], fields["scope"],
             fields.get("code_challenge"), fields.get("code_challenge_method"),
             datetime.now(UTC) + CODE_TTL),
        )

    def code(self, code: str, client_id: str) -> StoredCode | None:
        row = self._one(
            "SELECT * FROM oauth_codes WHERE code_hash = %s AND client_id = %s "
            "AND expires_at > now()", (digest(code), client_id))
        if row is None:
            return None
        user = self.user(str(row["user_id"]))
        assert user is not None
        return StoredCode(row["code_hash"], row["client_id"], user, row["redirect_uri"],
                          row["scope"], row["code_challenge"], row["code_challenge_method"])

    def delete_code(self, code_hash: str) -> None:
        self._run("DELETE FROM oauth_codes WHERE code_hash = %s", (code_hash,))
