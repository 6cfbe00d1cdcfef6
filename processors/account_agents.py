"""Thin Faust agents around the registration deciders (username claims, email claims)."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any
from uuid import NAMESPACE_URL, uuid5

import faust

from events.accounts import (
    ACCOUNT_COMMANDS_TOPIC,
    EMAIL_CLAIMS_TOPIC,
    ClaimEmail,
    EmailClaimDecided,
    RegisterUser,
    UserRegistered,
)
from events.channel_commands import CHANNEL_COMMANDS_TOPIC, CreateChannel
from events.codec import Codec
from processors.account_decider import (
    EmailState,
    PendingRegistration,
    UsernameState,
    claim_email,
    conclude,
    register,
    remember,
)
from processors.decisions import Rejected, RememberedOutcome, answer, decoded, publish, raw_topic
from processors.decisions import send as send_message

log = logging.getLogger(__name__)
JSON: faust.Schema[Any, Any] = faust.Schema(key_serializer="json", value_serializer="json")


def load_username(stored: dict[str, Any] | None) -> UsernameState:
    if stored is None:
        return UsernameState()
    pending = stored["pending"] and PendingRegistration(**stored["pending"])
    recent = tuple(RememberedOutcome.load(o) for o in stored["recent"])
    return UsernameState(stored["status"], pending, recent)


def own_channel(registered: UserRegistered) -> CreateChannel:
    """Every user owns a channel named after them; a redelivery names the same command."""
    return CreateChannel(
        command_id=uuid5(NAMESPACE_URL, f"castline:own-channel:{registered.user_id}"),
        channel=registered.username, display_name=registered.display_name, title="",
        category="", owner_id=registered.user_id,
    )


class RegistrationAgents:
    """The username and email deciders' Faust wiring: tables, topics and the two agents."""

    def __init__(self, app: faust.App, codec: Codec) -> None:
        self.app = app
        self.codec = codec
        self.usernames = app.Table("username-claims", default=None, partitions=12, schema=JSON)
        self.emails = app.Table("email-claims", default=None, partitions=12, schema=JSON)
        self.claims_topic = raw_topic(app, EMAIL_CLAIMS_TOPIC)
        self.commands_topic = raw_topic(app, ACCOUNT_COMMANDS_TOPIC)
        self.channel_commands = raw_topic(app, CHANNEL_COMMANDS_TOPIC)

    async def on_register(self, command: RegisterUser) -> None:
        state = load_username(self.usernames.get(command.username))
        remembered = state.outcome_of(str(command.command_id))
        if remembered is not None:
            await answer(self.app, self.codec, remembered)
            return
        state, decided = register(state, command)
        if isinstance(decided, Rejected):
            outcome = RememberedOutcome.rejected(str(command.command_id), decided)
            await self.finish(state, outcome, command.username)
        elif decided is not None:
            self.usernames[command.username] = asdict(state)
            await send_message(self.claims_topic, self.codec, decided)

    async def on_email_answer(self, reply: EmailClaimDecided) -> None:
        state, decided = conclude(load_username(self.usernames.get(reply.username)), reply)
        if decided is None:
            log.warning("stale email answer for %s (registration %s)", reply.username,
                        reply.registration_id)
        elif isinstance(decided, Rejected):
            outcome = RememberedOutcome.rejected(reply.registration_id, decided)
            await self.finish(state, outcome, reply.username)
        else:
            outcome = await publish(self.app, self.codec, reply.registration_id, [decided])
            await send_message(self.channel_commands, self.codec, own_channel(decided))
            await self.finish(state, outcome, reply.username)

    async def finish(self, state: UsernameState, outcome: RememberedOutcome,
                     username: str) -> None:
        self.usernames[username] = asdict(remember(state, outcome))
        await answer(self.app, self.codec, outcome)

    async def on_claim(self, claim: ClaimEmail) -> None:
        stored = self.emails.get(claim.email)
        state, reply = claim_email(EmailState(**stored) if stored else EmailState(), claim)
        self.emails[claim.email] = asdict(state)
        await send_message(self.commands_topic, self.codec, reply)


def register_account_deciders(app: faust.App, codec: Codec) -> None:
    agents = RegistrationAgents(app, codec)

    @app.agent(agents.commands_topic, concurrency=1)
    async def decide_usernames(stream: faust.StreamT[bytes]) -> None:
        async for message in decoded(app, codec, stream):
            if isinstance(message, RegisterUser):
                await agents.on_register(message)
            elif isinstance(message, EmailClaimDecided):
                await agents.on_email_answer(message)
            else:
                log.error("unexpected %s on %s", type(message).__name__, ACCOUNT_COMMANDS_TOPIC)

    @app.agent(agents.claims_topic, concurrency=1)
    async def decide_emails(stream: faust.StreamT[bytes]) -> None:
        async for message in decoded(app, codec, stream):
            if isinstance(message, ClaimEmail):
                await agents.on_claim(message)
            else:
                log.error("unexpected %s on %s", type(message).__name__, EMAIL_CLAIMS_TOPIC)
