"""The registration deciders (username claims, email claims) around their batches.

A registration is a saga across two aggregates: the username is reserved, its email claimed
(`email-claims`, keyed by address), and the answer (back on `account-commands`) concludes it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from events.accounts import (
    ACCOUNT_COMMANDS_TOPIC,
    EMAIL_CLAIMS_TOPIC,
    ClaimEmail,
    EmailClaimDecided,
    RegisterUser,
    UserRegistered,
)
from events.base import Message
from events.channel_commands import CreateChannel
from processors.decider_states import StateKind
from processors.deciders.accounts import (
    EmailState,
    PendingRegistration,
    UsernameState,
    claim_email,
    conclude,
    register,
    remember,
)
from processors.deciders.decisions import Rejected, RememberedOutcome
from processors.decision_batch import DecisionBatch

log = logging.getLogger(__name__)


def load_username(stored: dict[str, Any] | None) -> UsernameState:
    if stored is None:
        return UsernameState()
    pending = stored["pending"] and PendingRegistration(**stored["pending"])
    recent = tuple(RememberedOutcome.load(o) for o in stored["recent"])
    return UsernameState(stored["status"], pending, recent)


def _unchanged(state: Any, _event: object) -> Any:
    return state


USERNAMES: StateKind[UsernameState] = StateKind("usernames", load_username, asdict, _unchanged,
                                                remember)
EMAILS: StateKind[EmailState] = StateKind(
    "emails", lambda stored: EmailState(**stored) if stored else EmailState(), asdict,
    _unchanged, lambda state, _outcome: state)


def own_channel(registered: UserRegistered) -> CreateChannel:
    """Every user owns a channel named after them; a redelivery names the same command."""
    return CreateChannel(
        command_id=uuid5(NAMESPACE_URL, f"castline:own-channel:{registered.user_id}"),
        channel=registered.username, display_name=registered.display_name, title="",
        category="", owner_id=registered.user_id,
    )


class AccountHandler:
    name = "account_decider"
    topics = (ACCOUNT_COMMANDS_TOPIC, EMAIL_CLAIMS_TOPIC)
    kinds = (USERNAMES, EMAILS)

    def keys(self, message: Message) -> Iterable[tuple[StateKind[Any], str]]:
        if isinstance(message, RegisterUser | EmailClaimDecided):
            return [(USERNAMES, message.username)]
        if isinstance(message, ClaimEmail):
            return [(EMAILS, message.email)]
        return []

    def handle(self, batch: DecisionBatch, message: Message) -> None:
        if isinstance(message, RegisterUser):
            self.on_register(batch, message)
        elif isinstance(message, EmailClaimDecided):
            self.on_email_answer(batch, message)
        elif isinstance(message, ClaimEmail):
            state, reply = claim_email(batch.state(EMAILS, message.email), message)
            batch.keep(EMAILS, message.email, state)
            batch.send(reply)
        else:
            log.error("unexpected %s for the account decider", type(message).__name__)

    def on_register(self, batch: DecisionBatch, command: RegisterUser) -> None:
        state = batch.state(USERNAMES, command.username)
        if batch.answered_before(state, str(command.command_id)):
            return
        state, decided = register(state, command)
        if isinstance(decided, Rejected):
            batch.settle(USERNAMES, command.username, state, str(command.command_id), decided)
        else:
            batch.keep(USERNAMES, command.username, state)
            batch.send(decided)

    def on_email_answer(self, batch: DecisionBatch, reply: EmailClaimDecided) -> None:
        state, decided = conclude(batch.state(USERNAMES, reply.username), reply)
        if decided is None:
            log.warning("stale email answer for %s (registration %s)", reply.username,
                        reply.registration_id)
            return
        if not isinstance(decided, Rejected):
            batch.send(own_channel(decided))
        batch.settle(USERNAMES, reply.username, state, reply.registration_id,
                     decided if isinstance(decided, Rejected) else [decided])
