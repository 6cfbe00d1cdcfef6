"""Account registration: commands, the email-claim exchange and the resulting event.

A username is claimed by the decider of its partition in `account-commands`; the email by the
decider of its partition in `email-claims`. Registration succeeds only when both claims hold.
"""

from __future__ import annotations

from dataclasses import dataclass

from events.base import Command, Event

ACCOUNT_COMMANDS_TOPIC = "account-commands"
EMAIL_CLAIMS_TOPIC = "email-claims"
USERS_TOPIC = "users"


@dataclass(frozen=True, kw_only=True)
class AccountCommand(
    Command, namespace="castline.accounts", topic=ACCOUNT_COMMANDS_TOPIC, key_field="username"
):
    """Decided by the username's decider."""


@dataclass(frozen=True, kw_only=True)
class EmailClaimCommand(
    Command, namespace="castline.accounts", topic=EMAIL_CLAIMS_TOPIC, key_field="email"
):
    """Decided by the email's decider."""


@dataclass(frozen=True, kw_only=True)
class AccountReply(
    Event, namespace="castline.accounts", topic=ACCOUNT_COMMANDS_TOPIC, key_field="username"
):
    """An answer back to the username's decider."""


@dataclass(frozen=True, kw_only=True)
class AccountEvent(Event, namespace="castline.accounts", topic=USERS_TOPIC, key_field="user_id"):
    """A fact about an account."""


@dataclass(frozen=True, kw_only=True)
class RegisterUser(AccountCommand):
    """Ask to register an account; the password arrives already hashed (argon2)."""

    user_id: str
    username: str
    display_name: str
    email: str
    password_hash: str


@dataclass(frozen=True, kw_only=True)
class ClaimEmail(EmailClaimCommand):
    """The username's decider asks the email's decider to reserve the address for a user."""

    email: str
    user_id: str
    username: str
    registration_id: str


@dataclass(frozen=True, kw_only=True)
class EmailClaimDecided(AccountReply):
    """The email's decider answered a claim; it goes back to the username's decider."""

    username: str
    email: str
    user_id: str
    registration_id: str
    granted: bool


@dataclass(frozen=True, kw_only=True)
class UserRegistered(AccountEvent):
    """An account exists, with its unique username and email. The hash is argon2, never clear."""

    user_id: str
    username: str
    display_name: str
    email: str
    password_hash: str
