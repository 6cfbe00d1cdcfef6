"""Pure deciders for registration: the username claim and the email claim.

What a registration leads to takes its id and time from the registration, so a command decided
again leads to the same claim and the same events."""

from __future__ import annotations

from dataclasses import dataclass, replace

from events.accounts import ClaimEmail, EmailClaimDecided, RegisterUser, UserRegistered
from processors.deciders.decisions import Rejected, RememberedOutcome, recent_window
from processors.deciders.derived import derived_id

FREE, PENDING, CLAIMED = "free", "pending", "claimed"


@dataclass(frozen=True)
class PendingRegistration:
    command_id: str
    user_id: str
    display_name: str
    email: str
    password_hash: str


@dataclass(frozen=True)
class UsernameState:
    status: str = FREE
    pending: PendingRegistration | None = None
    recent: tuple[RememberedOutcome, ...] = ()

    def outcome_of(self, command_id: str) -> RememberedOutcome | None:
        return next((o for o in self.recent if o.command_id == command_id), None)


def register(
    state: UsernameState, command: RegisterUser
) -> tuple[UsernameState, ClaimEmail | Rejected]:
    """Reserve the username and ask for the email. A command already pending asks again: the
    claim may never have been sent (a crash between the reservation and the send), and a
    repeated claim by the same user is granted again."""
    command_id = str(command.command_id)
    if state.pending is not None and state.pending.command_id == command_id:
        return state, _claim(command)
    if state.status != FREE:
        return state, Rejected("username_taken", f"username {command.username!r} is taken",
                               "username")
    pending = PendingRegistration(command_id, command.user_id, command.display_name,
                                  command.email, command.password_hash)
    return replace(state, status=PENDING, pending=pending), _claim(command)


def _claim(command: RegisterUser) -> ClaimEmail:
    """The same claim (the same command id) each time it is asked for."""
    return ClaimEmail(command_id=derived_id("claim-email", command.command_id),
                      issued_at=command.issued_at, email=command.email,
                      user_id=command.user_id, username=command.username,
                      registration_id=str(command.command_id))


def conclude(
    state: UsernameState, answer: EmailClaimDecided
) -> tuple[UsernameState, UserRegistered | Rejected | None]:
    """Finish the pending registration the answer belongs to; None for a stale answer."""
    pending = state.pending
    if state.status != PENDING or pending is None or pending.command_id != answer.registration_id:
        return state, None
    if not answer.granted:
        rejection = Rejected("email_taken", "that email address is already registered", "email")
        return replace(state, status=FREE, pending=None), rejection
    registered = UserRegistered(
        event_id=derived_id("user-registered", pending.command_id),
        occurred_at=answer.occurred_at, user_id=pending.user_id, username=answer.username,
        display_name=pending.display_name,
        email=pending.email, password_hash=pending.password_hash,
    )
    return replace(state, status=CLAIMED, pending=None), registered


def remember(state: UsernameState, outcome: RememberedOutcome) -> UsernameState:
    return replace(state, recent=recent_window(state.recent, outcome))


@dataclass(frozen=True)
class EmailState:
    claimed_by: str | None = None


def claim_email(state: EmailState, command: ClaimEmail) -> tuple[EmailState, EmailClaimDecided]:
    """Grant a free address, or one this same user already holds (a redelivered claim)."""
    granted = state.claimed_by in (None, command.user_id)
    answer = EmailClaimDecided(
        event_id=derived_id("email-claim-decided", command.command_id),
        occurred_at=command.issued_at, username=command.username, email=command.email,
        user_id=command.user_id,
        registration_id=command.registration_id, granted=granted,
    )
    return (EmailState(command.user_id) if granted else state), answer
