"""Message families: a family base declares namespace, topic and key once; its message types
are named from it and register themselves, and the register read through events.types is whole.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

import pytest

import events
from events import base
from events.base import REGISTERED, Command, Event
from events.channels import ChannelEvent, ChannelInfoUpdated
from events.types import ALL_MESSAGES, BY_SCHEMA_NAME, MESSAGE_MODULES


def test_the_register_read_is_every_message_type_of_the_package() -> None:
    for module in pkgutil.iter_modules(events.__path__):
        importlib.import_module(f"events.{module.name}")
    assert REGISTERED == BY_SCHEMA_NAME
    assert {cls.__module__ for cls in ALL_MESSAGES} == {m.__name__ for m in MESSAGE_MODULES}


def test_a_message_type_takes_its_family_s_topic_key_and_namespace() -> None:
    assert ChannelInfoUpdated.schema_name == "castline.channels.ChannelInfoUpdated"
    assert (ChannelInfoUpdated.topic, ChannelInfoUpdated.key_field) == ("channels", "channel")
    assert ChannelInfoUpdated(channel="somechannel").key() == "somechannel"
    assert ChannelEvent not in ALL_MESSAGES


def test_a_new_family_registers_its_types_but_not_itself_nor_their_variants(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    registered: dict[str, type[base.Message]] = {}
    monkeypatch.setattr(base, "REGISTERED", registered)

    @dataclass(frozen=True, kw_only=True)
    class TestEvent(Event, namespace="castline.test", topic="test-topic", key_field="thing"):
        pass

    @dataclass(frozen=True, kw_only=True)
    class ThingHappened(TestEvent):
        thing: str

    @dataclass(frozen=True, kw_only=True)
    class ThingHappenedVariant(ThingHappened):
        extra: str = ""

    assert registered == {"castline.test.ThingHappened": ThingHappened}
    assert ThingHappenedVariant.schema_name == "castline.test.ThingHappened"


def test_two_types_of_one_name_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(base, "REGISTERED", {})

    @dataclass(frozen=True, kw_only=True)
    class TestCommand(Command, namespace="castline.test", topic="test-topic", key_field="thing"):
        pass

    @dataclass(frozen=True, kw_only=True)
    class DoThing(TestCommand):
        thing: str

    with pytest.raises(TypeError, match=r"two message types are named castline\.test\.DoThing"):
        type("DoThing", (TestCommand,), {})


def test_a_family_declares_all_three_or_none() -> None:
    with pytest.raises(TypeError, match="a family declares namespace, topic and key_field"):
        type("HalfFamily", (Event,), {}, namespace="castline.test", topic="test-topic")
