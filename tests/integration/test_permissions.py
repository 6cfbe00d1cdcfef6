"""Who may hold the admin scope, and the admin grant from the command line. Every protected
endpoint against every kind of caller is in test_permission_matrix."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx

from config.settings import Settings
from tests.integration.oauth_helpers import admin_signed_in, password_grant, signed_in


def test_apps_and_other_users_never_get_the_admin_scope(api: httpx.Client,
                                                         settings: Settings) -> None:
    other, admin = signed_in(api, "oth"), admin_signed_in(api, settings)
    asked = password_grant(api, other.username, scope="admin user:edit")
    assert asked.status_code == 200, asked.text
    assert asked.json()["scope"] == ["user:edit"]
    app = api.post("/api/v1/oauth2/clients", json={
        "name": "admin wannabe", "grant_types": ["client_credentials"], "scope": ["admin"]},
        headers=admin.auth)
    assert app.status_code == 422, app.text


def test_grant_admin_cli_reports_unknown_users_clearly(settings: Settings) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "castline.cli", "users", "grant-admin", "no_such_user_here"],
        capture_output=True, text=True, env=os.environ.copy(), check=False, timeout=60,
    )
    assert result.returncode == 1
    assert "no user named 'no_such_user_here'" in result.stderr
    assert "Traceback" not in result.stderr
