"""Account registration: commands, the email-claim exchange and the resulting event.

A username is claimed by the decider of its partition in `account-commands`; the email by the
decider of its partition in `email-claims`. Registration succeeds only when both claims hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from events.base import Command, Event

ACCOUNT_COMMANDS_TOPIC = "account-commands"
EMAIL_CLAIMS_TOPIC = "email-claims"
USERS_TOPIC = "users"


@dataclass(frozen=True, kw_only=True)
class RegisterUser(Command):
    """Ask to register an account; the password arrives already hashed (argon2)."""

    schema_name: ClassVar[str] = "castline.accounts.RegisterUser"
    topic: ClassVar[str] = ACCOUNT_COMMANDS_TOPIC
    key_field: ClassVar[str] = "username"

    user_id: str
    username: str
    display_name: str
    email: str
    password_hash: str


@dataclass(frozen=True, kw_only=True)
class ClaimEmail(Command):
    """The username's decider asks the email's decider to reserve the address for a user."""

    schema_name: ClassVar[str] = "castline.accounts.ClaimEmail"
    topic: ClassVar[str] = EMAIL_CLAIMS_TOPIC
    key_field: ClassVar[str] = "email"

    email: str
    user_id: str
    username: str
    registration_id: str


@dataclass(frozen=True, kw_only=True)
class EmailClaimDecided(Event):
    """The email's decider answered a claim; it goes back to the username's decider."""

    schema_name: ClassVar[str] = "castline.accounts.EmailClaimDecided"
    topic: ClassVar[str] = ACCOUNT_COMMANDS_TOPIC
    key_field: ClassVar[str] = "username"

    username: str
    email: str
    user_id: str
    registration_id: str
    granted: bool


@dataclass(frozen=True, kw_only=True)
class UserRegistered(Event):
    """An account exists, with its unique username and email. The hash is argon2, never clear."""

    schema_name: ClassVar[str] = "castline.accounts.UserRegistered"
    topic: ClassVar[str] = USERS_TOPIC
    key_field: ClassVar[str] = "user_id"

    user_id: str
    username: str
    display_name: str
    email: str
    password_hash: str
