from __future__ import annotations

from events.accounts import ClaimEmail, EmailClaimDecided, RegisterUser, UserRegistered
from processors.deciders.accounts import (
    CLAIMED,
    FREE,
    PENDING,
    EmailState,
    UsernameState,
    claim_email,
    conclude,
    register,
)
from processors.deciders.decisions import Rejected


def registration(username: str = "abcd", email: str = "a@example.com") -> RegisterUser:
    return RegisterUser(user_id="u1", username=username, display_name="Ab", email=email,
                        password_hash="$argon2id$hash")


def answer_for(command: RegisterUser, granted: bool) -> EmailClaimDecided:
    return EmailClaimDecided(username=command.username, email=command.email,
                             user_id=command.user_id, registration_id=str(command.command_id),
                             granted=granted)


def test_free_username_is_reserved_and_the_email_asked_for() -> None:
    command = registration()
    state, decided = register(UsernameState(), command)
    assert state.status == PENDING
    assert isinstance(decided, ClaimEmail)
    assert (decided.email, decided.registration_id) == ("a@example.com", str(command.command_id))


def test_taken_or_pending_username_is_rejected() -> None:
    state, _ = register(UsernameState(), registration())
    _, decided = register(state, registration())
    assert decided == Rejected("username_taken", "username 'abcd' is taken", "username")


def test_redelivered_pending_registration_asks_for_the_email_again() -> None:
    """The first claim may never have been sent (a crash after the reservation)."""
    command = registration()
    state, first = register(UsernameState(), command)
    again, second = register(state, command)
    assert again == state
    assert isinstance(first, ClaimEmail)
    assert isinstance(second, ClaimEmail)
    assert (second.command_id, second.registration_id) == (first.command_id,
                                                           first.registration_id)


def test_granted_email_registers_the_user() -> None:
    command = registration()
    state, _ = register(UsernameState(), command)
    state, decided = conclude(state, answer_for(command, granted=True))
    assert state.status == CLAIMED
    assert isinstance(decided, UserRegistered)
    assert (decided.username, decided.email, decided.password_hash) == (
        "abcd", "a@example.com", "$argon2id$hash")


def test_refused_email_frees_the_username() -> None:
    command = registration()
    state, _ = register(UsernameState(), command)
    state, decided = conclude(state, answer_for(command, granted=False))
    assert state.status == FREE
    assert isinstance(decided, Rejected)
    assert decided.field == "email"


def test_stale_answer_is_ignored() -> None:
    state, _ = register(UsernameState(), registration())
    other = registration()
    assert conclude(state, answer_for(other, granted=True)) == (state, None)


def test_email_goes_to_the_first_claimant_and_again_to_the_same_user() -> None:
    claim = ClaimEmail(email="a@example.com", user_id="u1", username="abcd", registration_id="r")
    state, first = claim_email(EmailState(), claim)
    _, again = claim_email(state, claim)
    rival = ClaimEmail(email="a@example.com", user_id="u2", username="efgh", registration_id="s")
    _, refused = claim_email(state, rival)
    assert (first.granted, again.granted, refused.granted) == (True, True, False)
