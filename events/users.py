"""Changes to an existing account: profile and platform roles. Keyed by user id."""

from __future__ import annotations

from dataclasses import dataclass

from events.accounts import USERS_TOPIC
from events.base import Event


@dataclass(frozen=True, kw_only=True)
class UserEvent(Event, namespace="castline.users", topic=USERS_TOPIC, key_field="user_id"):
    """A change to an existing account."""


@dataclass(frozen=True, kw_only=True)
class UserProfileUpdated(UserEvent):
    """Only the fields that changed are set; None means unchanged."""

    user_id: str
    display_name: str | None = None
    bio: str | None = None
    profile_image_url: str | None = None
    chat_color: str | None = None  # v2: "#rrggbb", readable on the app's dark background


@dataclass(frozen=True, kw_only=True)
class UserRoleGranted(UserEvent):
    """A platform role (today: admin) was granted, by an admin or by the operator's CLI."""

    user_id: str
    role: str
    by_user_id: str | None = None
