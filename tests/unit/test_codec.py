"""The Avro codec: exact round trips, the wire format, and typed errors for bad bytes."""

from __future__ import annotations

import contextlib
import dataclasses
import random
import struct
import typing
from datetime import UTC, datetime
from typing import Any

import pytest

from events.accounts import ClaimEmail, EmailClaimDecided, RegisterUser, UserRegistered
from events.base import Event, Message
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
from events.dead_letters import (
    DEAD_LETTER_HEADERS,
    DEAD_LETTERS_TOPIC,
    DeadLetterCounter,
    dead_letter,
    split_headers,
)
from events.errors import (
    BadMagicByte,
    CorruptBody,
    SchemaMismatch,
    TruncatedMessage,
    UndecodableMessage,
    UnencodableMessage,
    UnknownRecordType,
    UnknownSchemaId,
)
from events.outcomes import CommandDecided
from events.registry import ManifestRegistry
from events.stream_commands import StartStream
from events.streams import StreamEnded, StreamStarted
from events.types import ALL_MESSAGES
from events.users import UserProfileUpdated, UserRoleGranted

SAMPLES: list[Message] = [
    ChannelCreated(channel="abcd", display_name="ABCD", title="t", category="c"),
    ChannelInfoUpdated(channel="abcd", title=None, category="Chess", command_id="x"),
    CreateChannel(channel="abcd", display_name="ABCD", title="t", category="c"),
    UpdateChannelInfo(channel="abcd", title="new", actor_id="u1", actor_admin=True),
    UserProfileUpdated(user_id="u1", bio="hi", profile_image_url="/media/x.png"),
    UserRoleGranted(user_id="u1", role="admin"),
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
    StartStream(channel="abcd", key_hash="9f" * 32, client_id="17", address="10.0.0.5"),
    StreamStarted(channel="abcd", session_id="s1", client_id="17", address="10.0.0.5"),
    StreamEnded(channel="abcd", session_id="s1", reason="publisher_left"),
]

FILLED: dict[object, Any] = {str: "é ünïcode ✓", bool: True, int: -(2**62), float: 2.5,
                             list[str]: ["a", "", "ü"],
                             datetime: datetime(2026, 1, 2, 3, 4, 5, 678_901, tzinfo=UTC)}


def filled(cls: type[Message], *, optionals: bool) -> Message:
    """An instance of any message type (so new types are covered without a hand-made sample):
    every required field set, optional ones set too or left None; ids and times default."""
    hints = typing.get_type_hints(cls)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):
        hint = hints[field.name]
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1 and type(None) in typing.get_args(hint):
            values[field.name] = FILLED[args[0]] if optionals else None
        elif hint in FILLED:
            values[field.name] = FILLED[hint]
    return cls(**values)


@pytest.fixture(scope="module")
def codec() -> Codec:
    return Codec(ManifestRegistry())


@pytest.mark.parametrize("message", SAMPLES, ids=lambda m: type(m).__name__)
def test_realistic_messages_round_trip_exactly(codec: Codec, message: Message) -> None:
    assert codec.decode(codec.encode(message)) == message


@pytest.mark.parametrize("optionals", [True, False], ids=["optionals-set", "optionals-none"])
@pytest.mark.parametrize("cls", ALL_MESSAGES, ids=lambda c: c.__name__)
def test_every_field_round_trips(codec: Codec, cls: type[Message], optionals: bool) -> None:
    message = filled(cls, optionals=optionals)
    decoded = codec.decode(codec.encode(message))
    assert decoded == message
    assert type(decoded) is cls


def test_timestamps_keep_microseconds_and_the_instant(codec: Codec) -> None:
    when = datetime(2024, 2, 29, 23, 59, 59, 999_999, tzinfo=UTC)
    decoded = codec.decode(codec.encode(ChannelInfoUpdated(channel="a", occurred_at=when)))
    assert isinstance(decoded, Event)
    assert decoded.occurred_at == when
    assert decoded.occurred_at.tzinfo is not None


def test_a_naive_datetime_is_refused(codec: Codec) -> None:
    naive = ChannelInfoUpdated(channel="a", occurred_at=datetime(2024, 1, 1))
    with pytest.raises(UnencodableMessage, match=r"ChannelInfoUpdated\.occurred_at is a naive"):
        codec.encode(naive)


def test_wire_format_is_magic_zero_then_schema_id(codec: Codec) -> None:
    data = codec.encode(SAMPLES[0])
    magic, schema_id = struct.unpack(">bI", data[:5])
    assert magic == 0
    assert schema_id == ManifestRegistry().writer_id(ChannelCreated.schema_name)


@pytest.mark.parametrize("data", [b"\x01\x00\x00\x00\x01abc", b"{json}", b"\xff"])
def test_bad_magic_byte_is_a_typed_error(codec: Codec, data: bytes) -> None:
    with pytest.raises(BadMagicByte, match="expected magic byte 0") as caught:
        codec.decode(data)
    assert caught.value.reason == "bad_magic_byte"


@pytest.mark.parametrize("data", [b"", b"\x00", b"\x00\x00\x00\x01"])
def test_a_short_header_is_truncated(codec: Codec, data: bytes) -> None:
    with pytest.raises(TruncatedMessage, match="shorter than the 5-byte header"):
        codec.decode(data)


def test_unknown_schema_id_is_a_typed_error(codec: Codec) -> None:
    with pytest.raises(UnknownSchemaId, match="schema id 99999 is not in the manifest") as caught:
        codec.decode(b"\x00" + struct.pack(">I", 99999) + b"\x00")
    assert caught.value.reason == "unknown_schema_id"


@pytest.mark.parametrize("keep", [5, 6, 12, -1])
def test_truncated_body_is_a_typed_error(codec: Codec, keep: int) -> None:
    data = codec.encode(SAMPLES[0])
    with pytest.raises(TruncatedMessage, match=r"ChannelCreated.*ends early") as caught:
        codec.decode(data[:keep])
    assert caught.value.reason == "truncated_message"
    assert isinstance(caught.value, CorruptBody)


def test_trailing_bytes_are_corrupt(codec: Codec) -> None:
    with pytest.raises(CorruptBody, match="3 bytes left over"):
        codec.decode(codec.encode(SAMPLES[0]) + b"abc")


def test_an_impossible_timestamp_is_corrupt(codec: Codec) -> None:
    header = codec.encode(SAMPLES[1])[:5]
    uuid = b"\x48" + b"6f1c1e2a-0000-4000-8000-000000000001"
    huge = b"\xfe\xff\xff\xff\xff\xff\xff\xff\xff\x01"  # zigzag of 2**63 - 1 microseconds
    with pytest.raises(CorruptBody, match="OverflowError"):
        codec.decode(header + uuid + huge + b"\x02a" + b"\x00" * 3)


def test_garbage_bodies_only_ever_raise_undecodable(codec: Codec) -> None:
    """Mutated, cut and extended messages decode or raise a typed error; nothing else escapes."""
    rng = random.Random(20240601)
    for _ in range(3000):
        data = bytearray(codec.encode(rng.choice(SAMPLES)))
        position = rng.randrange(5, len(data))
        data[position:position + rng.randint(0, 4)] = rng.randbytes(rng.randint(0, 6))
        with contextlib.suppress(UndecodableMessage):
            codec.decode(bytes(data))


def test_record_unknown_to_the_code_is_a_typed_error() -> None:
    class Stranger(ManifestRegistry):
        def writer_schema(self, schema_id: int) -> Any:
            return {"name": "castline.unknown.Thing", "type": "record", "fields": []}

    with pytest.raises(UnknownRecordType, match=r"castline\.unknown\.Thing") as caught:
        Codec(Stranger()).decode(b"\x00\x00\x00\x00\x01")
    assert caught.value.reason == "unknown_record_type"


@dataclasses.dataclass(frozen=True, kw_only=True)
class Drifted(ChannelInfoUpdated):
    """ChannelInfoUpdated with a field its schema lacks."""

    extra: str = ""


def test_a_dataclass_its_schema_does_not_match_is_refused(codec: Codec) -> None:
    with pytest.raises(SchemaMismatch, match=r"fields \['extra'\]"):
        codec.encode(Drifted(channel="a"))


def test_messages_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        SAMPLES[0].channel = "other"  # type: ignore[attr-defined]


def test_a_dead_letter_keeps_the_bytes_and_says_why_and_where(codec: Codec) -> None:
    with pytest.raises(BadMagicByte) as caught:
        codec.decode(b"\x07garbage")
    letter = dead_letter("channels", 4, 1234, b"\x07garbage", b"abcd", caught.value,
                         timestamp_ms=1_700_000_000_000)
    headers = dict(letter.headers)
    assert (letter.key, letter.value) == (b"channels/4/1234", b"\x07garbage")
    assert headers["reason"] == b"bad_magic_byte"
    assert b"expected magic byte 0" in (headers["error"] or b"")
    assert (headers["topic"], headers["partition"], headers["offset"]) == (b"channels", b"4",
                                                                           b"1234")
    assert (headers["key"], headers["timestamp"]) == (b"abcd", b"1700000000000")
    assert DEAD_LETTERS_TOPIC == "dead-letters"


def test_a_dead_letter_without_key_or_timestamp_has_those_headers_empty() -> None:
    letter = dead_letter("users", 0, 0, None, None, TruncatedMessage("0 bytes"))
    assert [name for name, _ in letter.headers] == list(DEAD_LETTER_HEADERS)
    headers = dict(letter.headers)
    assert (headers["key"], headers["timestamp"], headers["parked_by"]) == (None, None, None)
    assert letter.value is None


def test_a_dead_letter_keeps_the_original_headers_after_its_own() -> None:
    original = [("key", b"an original header of that name"), ("trace", None)]
    letter = dead_letter("users", 0, 0, b"x", b"k", TruncatedMessage("0 bytes"),
                         parked_by="users", headers=original)
    own, kept = split_headers(letter.headers)
    assert kept == original
    assert (own["key"], own["parked_by"], own["reason"]) == (b"k", b"users",
                                                             b"truncated_message")


def test_the_dead_letter_counter_counts_by_topic_and_reason() -> None:
    counter = DeadLetterCounter()
    for topic, error in [("channels", BadMagicByte("x")), ("channels", BadMagicByte("y")),
                         ("users", UnknownSchemaId("z"))]:
        counter.add(dead_letter(topic, 0, 1, b"", None, error))
    assert counter.total == 3
    assert counter.snapshot() == {("channels", "bad_magic_byte"): 2,
                                  ("users", "unknown_schema_id"): 1}
