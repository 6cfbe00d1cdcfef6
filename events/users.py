"""Changes to an existing account: profile and platform roles. Keyed by user id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from events.accounts import USERS_TOPIC
from events.base import Event


@dataclass(frozen=True, kw_only=True)
class UserProfileUpdated(Event):
    """Only the fields that changed are set; None means unchanged."""

    schema_name: ClassVar[str] = "castline.users.UserProfileUpdated"
    topic: ClassVar[str] = USERS_TOPIC
    key_field: ClassVar[str] = "user_id"

    user_id: str
    display_name: str | None = None
    bio: str | None = None
    profile_image_url: str | None = None


@dataclass(frozen=True, kw_only=True)
class UserRoleGranted(Event):
    """A platform role (today: admin) was granted, by an admin or by the operator's CLI."""

    schema_name: ClassVar[str] = "castline.users.UserRoleGranted"
    topic: ClassVar[str] = USERS_TOPIC
    key_field: ClassVar[str] = "user_id"

    user_id: str
    role: str
    by_user_id: str | None = None
