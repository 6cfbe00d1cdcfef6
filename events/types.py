"""Every message type Castline writes, by Avro full name."""

from __future__ import annotations

from events.accounts import ClaimEmail, EmailClaimDecided, RegisterUser, UserRegistered
from events.base import Message
from events.channels import ChannelCreated, ChannelInfoUpdated, CreateChannel, UpdateChannelInfo
from events.outcomes import CommandDecided

ALL_MESSAGES: tuple[type[Message], ...] = (
    ChannelCreated,
    ChannelInfoUpdated,
    CreateChannel,
    UpdateChannelInfo,
    CommandDecided,
    RegisterUser,
    ClaimEmail,
    EmailClaimDecided,
    UserRegistered,
)

BY_SCHEMA_NAME: dict[str, type[Message]] = {cls.schema_name: cls for cls in ALL_MESSAGES}
