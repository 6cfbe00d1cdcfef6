"""OAuth's device code flow (RFC 8628) as id.twitch.tv answers it: authlib's device
authorization endpoint and device code grant, over the device codes' store."""

from __future__ import annotations

from typing import Any

from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.errors import InvalidRequestError, UnauthorizedClientError
from authlib.oauth2.rfc8628 import (
    DEVICE_CODE_GRANT_TYPE,
    DeviceAuthorizationEndpoint,
    DeviceCodeGrant,
)

from gateways.oauth.device_store import POLL_INTERVAL_S, DeviceCredential, DeviceStore
from gateways.oauth.grants import ANY_CLIENT_AUTH
from gateways.oauth.models import User

# Twitch's user codes are eight capital letters; these leave out vowels (no words) and
# look-alikes.
USER_CODE_LETTERS = "BCDFGHJKLMNPQRSTVWXZ"
USER_CODE_LENGTH = 8
VERIFICATION_PATH = "/activate"


def normal_user_code(typed: str) -> str:
    """A code as a person may type it: any case, with spaces or a dash."""
    return "".join(c for c in typed.upper() if c.isalnum())


class DeviceBound:
    server: Any

    @property
    def devices(self) -> DeviceStore:
        return DeviceStore(self.server.store.pool)


class DeviceEndpoint(DeviceBound, DeviceAuthorizationEndpoint):  # type: ignore[misc]
    CLIENT_AUTH_METHODS = ANY_CLIENT_AUTH
    INTERVAL = POLL_INTERVAL_S

    def authenticate_client(self, request: Any) -> Any:
        client = super().authenticate_client(request)
        if not client.check_grant_type(DEVICE_CODE_GRANT_TYPE):
            raise UnauthorizedClientError("the app may not use the device code flow")
        return client

    def generate_user_code(self) -> str:
        return str(generate_token(USER_CODE_LENGTH, USER_CODE_LETTERS))

    def get_verification_uri(self) -> str:
        """A path: the route answers it under the address the device asked at."""
        return VERIFICATION_PATH

    def save_device_credential(self, client_id: str, scope: str | None,
                               data: dict[str, Any]) -> None:
        client = self.server.query_client(client_id)
        self.devices.save(client_id, client.get_allowed_scope(scope), data["device_code"],
                          data["user_code"])


class DeviceGrant(DeviceBound, DeviceCodeGrant):  # type: ignore[misc]
    TOKEN_ENDPOINT_AUTH_METHODS = ANY_CLIENT_AUTH

    def query_device_credential(self, device_code: str) -> DeviceCredential | None:
        return self.devices.by_device_code(device_code)

    def query_user_grant(self, user_code: str) -> tuple[User, bool] | None:
        credential = self.devices.by_user_code(user_code)
        if credential is None or credential.user is None or credential.approved is None:
            return None
        return credential.user, credential.approved

    def validate_device_credential(self, credential: DeviceCredential) -> User:
        """Answered once: the first poll after approval takes the tokens and the code with
        them."""
        user: User = super().validate_device_credential(credential)
        if not self.devices.claim(credential.device_code_hash):
            raise InvalidRequestError("invalid device code")
        return user

    def should_slow_down(self, credential: DeviceCredential) -> bool:
        return self.devices.polled_too_soon(credential.device_code_hash)
