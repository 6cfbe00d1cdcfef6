"""Every message type Castline writes, by Avro full name (its schema subject).

Message types register themselves when their module is imported; this module imports every
module that declares them, so the register read here is complete.
"""

from __future__ import annotations

from events import (
    accounts,
    ads,
    channel_commands,
    channels,
    chat,
    chat_moderation,
    clips,
    monetization,
    outcomes,
    raids,
    shoutouts,
    social,
    stream_commands,
    streams,
    subscriptions,
    users,
    views,
    vods,
)
from events.base import REGISTERED, Message

MESSAGE_MODULES = (accounts, ads, channel_commands, channels, chat, chat_moderation, clips,
                   monetization, outcomes, raids, shoutouts, social, stream_commands, streams,
                   subscriptions, users, views, vods)

BY_SCHEMA_NAME: dict[str, type[Message]] = dict(REGISTERED)
ALL_MESSAGES: tuple[type[Message], ...] = tuple(BY_SCHEMA_NAME.values())


def message_type(schema_name: str) -> type[Message]:
    """The message class whose Avro full name this is."""
    cls = BY_SCHEMA_NAME.get(schema_name)
    if cls is None:
        raise KeyError(f"no message type is named {schema_name!r}")
    return cls
