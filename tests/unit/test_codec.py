from __future__ import annotations

import dataclasses
import struct
from typing import Any

import pytest

from events.accounts import ClaimEmail, EmailClaimDecided, RegisterUser, UserRegistered
from events.base import Message
from events.channel_commands import (
    AddModerator,
    CreateChannel,
    RemoveModerator,
    UpdateChannelInfo,
)
from events.channels import (
    ChannelCreated,
    ChannelInfoUpdated,
    ModeratorAdded,
    ModeratorRemoved,
)
from events.codec import Codec
from events.errors import BadMagicByte, CorruptBody, UnknownRecordType, UnknownSchemaId
from events.outcomes import CommandDecided
from events.registry import ManifestRegistry
from events.stream_commands import BeatStream, EndStream, RotateStreamKey, StartStream
from events.streams import (
    PublishRejected,
    StreamEnded,
    StreamHeartbeat,
    StreamKeyRotated,
    StreamStarted,
)
from events.types import ALL_MESSAGES
from events.users import UserProfileUpdated, UserRoleGranted

SAMPLES: list[Message] = [
    ChannelCreated(channel="abcd", display_name="ABCD", title="t", category="c"),
    ChannelInfoUpdated(channel="abcd", title=None, category="Chess", command_id="x"),
    CreateChannel(channel="abcd", display_name="ABCD", title="t", category="c"),
    UpdateChannelInfo(channel="abcd", title="new", actor_id="u1", actor_admin=True),
    UserProfileUpdated(user_id="u1", bio="hi", profile_image_url="/media/x.png"),
    UserRoleGranted(user_id="u1", role="admin"),
    StreamKeyRotated(channel="abcd", key_hash="h", by_user_id="u1"),
    StreamStarted(channel="abcd", session_id="s", client_id="7", address="127.0.0.1"),
    StreamHeartbeat(channel="abcd", session_id="s"),
    StreamEnded(channel="abcd", session_id="s", reason="publisher_left"),
    PublishRejected(channel="abcd", reason="wrong_key", client_id="8", address="10.0.0.1"),
    RotateStreamKey(channel="abcd", key_hash="h", actor_id="u1"),
    StartStream(channel="abcd", key_hash="h", client_id="7", address="127.0.0.1"),
    BeatStream(channel="abcd", client_id="7"),
    EndStream(channel="abcd", client_id="7", reason="publisher_left"),
    ModeratorAdded(channel="abcd", user_id="u2", username="mod1", by_user_id="u1"),
    ModeratorRemoved(channel="abcd", user_id="u2", username="mod1", by_user_id="u1"),
    AddModerator(channel="abcd", user_id="u2", username="mod1", actor_id="u1"),
    RemoveModerator(channel="abcd", user_id="u2", username="mod1", actor_id="u1"),
    CommandDecided(command_id="c1", accepted=False, error="channel_exists", message="m",
                   error_field="name", event_ids=["e"], positions=["channels/1/2"]),
    RegisterUser(user_id="u1", username="abcd", display_name="Ab", email="a@b.example",
                 password_hash="$argon2id$..."),
    ClaimEmail(email="a@b.example", user_id="u1", username="abcd", registration_id="c1"),
    EmailClaimDecided(username="abcd", email="a@b.example", user_id="u1", registration_id="c1",
                      granted=True),
    UserRegistered(user_id="u1", username="abcd", display_name="Ab", email="a@b.example",
                   password_hash="$argon2id$..."),
]


@pytest.fixture(scope="module")
def codec() -> Codec:
    return Codec(ManifestRegistry())


def test_samples_cover_every_message_type() -> None:
    assert {type(s) for s in SAMPLES} == set(ALL_MESSAGES)


@pytest.mark.parametrize("message", SAMPLES, ids=lambda m: type(m).__name__)
def test_round_trip_is_exact(codec: Codec, message: Message) -> None:
    assert codec.decode(codec.encode(message)) == message


def test_wire_format_is_magic_zero_then_schema_id(codec: Codec) -> None:
    data = codec.encode(SAMPLES[0])
    magic, schema_id = struct.unpack(">bI", data[:5])
    assert magic == 0
    assert schema_id == ManifestRegistry().writer_id(ChannelCreated.schema_name)


@pytest.mark.parametrize("data", [b"", b"\x00\x00", b"\x01\x00\x00\x00\x01abc", b"{json}"])
def test_bad_magic_byte_is_a_typed_error(codec: Codec, data: bytes) -> None:
    with pytest.raises(BadMagicByte, match="magic byte"):
        codec.decode(data)


def test_unknown_schema_id_is_a_typed_error(codec: Codec) -> None:
    with pytest.raises(UnknownSchemaId, match="schema id 99999"):
        codec.decode(b"\x00" + struct.pack(">I", 99999) + b"\x00")


def test_truncated_body_is_a_typed_error(codec: Codec) -> None:
    data = codec.encode(SAMPLES[0])
    with pytest.raises(CorruptBody) as caught:
        codec.decode(data[:12])
    assert caught.value.reason == "corrupt_body"


def test_record_unknown_to_the_code_is_a_typed_error(tmp_path: object) -> None:
    class Stranger(ManifestRegistry):
        def writer_schema(self, schema_id: int) -> Any:
            return {"name": "castline.unknown.Thing", "type": "record", "fields": []}

    with pytest.raises(UnknownRecordType):
        Codec(Stranger()).decode(b"\x00\x00\x00\x00\x01")


def test_messages_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        SAMPLES[0].channel = "other"  # type: ignore[attr-defined]
