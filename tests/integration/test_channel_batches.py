"""The channel decider's batches against real PostgreSQL and Kafka: events on the log, states
and offsets stored together, answers after the commit, nothing decided twice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from confluent_kafka import Consumer, TopicPartition

from config.settings import Settings
from events.base import Command, Message
from events.channel_commands import CHANNEL_COMMANDS_TOPIC, CreateChannel
from events.channels import ChannelCreated
from events.chat import ChatMessagePosted, SendChatMessage
from events.codec import Codec
from events.consuming import end_offsets
from events.outcomes import OUTCOMES_TOPIC, CommandDecided
from events.positions import Position
from events.producer import EventProducer
from feeds import checkpoints
from feeds.parking import KafkaDeadLetterSink
from feeds.records import LogRecord
from processors.channel_batches import ChannelDecider
from processors.channel_states import load_states
from processors.deciders.chat import RateLimits
from tests.waiting import until

# The events land in the platform's log, where its projections read them: real ids.
OWNER = str(uuid4())


@pytest.fixture
def codec(stack: Settings) -> Codec:
    return Codec.from_settings(stack)


@pytest.fixture
def conn(stack: Settings) -> Iterator[psycopg.Connection]:
    with psycopg.connect(stack.postgres, autocommit=True) as connection:
        yield connection


# A decider's answers are sent after its batch without waiting for the broker: its producer
# lives, and is closed (delivering what is left), at the end of the test, as a worker's would.
PRODUCERS: list[EventProducer] = []


@pytest.fixture(autouse=True)
def producers() -> Iterator[None]:
    yield
    while PRODUCERS:
        PRODUCERS.pop().close()


def decider(stack: Settings, conn: psycopg.Connection, codec: Codec, name: str) -> ChannelDecider:
    """A decider with checkpoints of its own: the platform's decider keeps its own."""
    PRODUCERS.append(EventProducer(stack.kafka, codec.encode))
    return ChannelDecider(conn, PRODUCERS[-1], codec.decode,
                          KafkaDeadLetterSink(stack.kafka), RateLimits(20, 100), name)


@pytest.fixture
def name() -> str:
    return f"channel_decider_test_{uuid4().hex[:8]}"


@pytest.fixture
def channel() -> str:
    return f"batch_{uuid4().hex[:10]}"


def records(codec: Codec, commands: list[Command], first_offset: int = 0) -> list[LogRecord]:
    return [LogRecord(CHANNEL_COMMANDS_TOPIC, 0, first_offset + i, None, codec.encode(c))
            for i, c in enumerate(commands)]


def create(channel: str) -> CreateChannel:
    return CreateChannel(channel=channel, display_name=channel, title="t", category="c",
                         owner_id=OWNER)


def post(channel: str, text: str) -> SendChatMessage:
    return SendChatMessage(channel=channel, message_id=str(uuid4()), user_id=OWNER,
                           username="owner", display_name="Owner", text=text)


class Outcomes:
    """The outcomes topic from its end at creation: what the decider answers next."""

    def __init__(self, stack: Settings, codec: Codec) -> None:
        self.codec = codec
        self.consumer = Consumer({"bootstrap.servers": stack.kafka, "group.id": "test-outcomes",
                                  "enable.auto.commit": False})
        partitions = self.consumer.list_topics(OUTCOMES_TOPIC, timeout=10).topics[OUTCOMES_TOPIC]
        self.consumer.assign(end_offsets(self.consumer, OUTCOMES_TOPIC,
                                         list(partitions.partitions)))
        self.seen: list[CommandDecided] = []

    def of(self, commands: list[Command]) -> list[CommandDecided]:
        wanted = {str(c.command_id) for c in commands}
        until(self.read, lambda seen: wanted <= {o.command_id for o in seen}, 30,
              "the decider's answers")
        return [next(o for o in self.seen if o.command_id == str(c.command_id))
                for c in commands]

    def read(self) -> list[CommandDecided]:
        for m in self.consumer.consume(100, timeout=0.2):
            decoded = self.codec.decode(m.value() or b"")
            assert isinstance(decoded, CommandDecided)
            self.seen.append(decoded)
        return self.seen


@pytest.fixture
def outcomes(stack: Settings, codec: Codec) -> Iterator[Outcomes]:
    answers = Outcomes(stack, codec)
    yield answers
    answers.consumer.close()


def read_at(stack: Settings, codec: Codec, token: str) -> Message:
    position = Position.parse(token)
    consumer = Consumer({"bootstrap.servers": stack.kafka, "group.id": "test-read-at"})
    try:
        consumer.assign([TopicPartition(position.topic, position.partition, position.offset)])
        message: Any = until(lambda: consumer.poll(0.2), lambda m: m is not None, 30, token)
        return codec.decode(message.value())
    finally:
        consumer.close()


def test_a_batch_is_decided_stored_and_answered(
        stack: Settings, conn: psycopg.Connection, codec: Codec, outcomes: Outcomes, name: str,
        channel: str) -> None:
    commands: list[Command] = [create(channel), post(channel, "first")]
    assert decider(stack, conn, codec, name).apply_batch(records(codec, commands)) == 2
    created, posted = outcomes.of(commands)
    assert created.accepted
    assert posted.accepted
    assert isinstance(read_at(stack, codec, created.positions[0]), ChannelCreated)
    message = read_at(stack, codec, posted.positions[0])
    assert isinstance(message, ChatMessagePosted)
    assert message.text == "first"
    state = load_states(conn, [channel])[channel]
    assert state.exists
    assert [o.command_id for o in state.recent] == [
        str(c.command_id) for c in commands]
    assert checkpoints.load(conn, name) == {(CHANNEL_COMMANDS_TOPIC, 0): 1}


def test_redelivered_commands_are_not_decided_again(
        stack: Settings, conn: psycopg.Connection, codec: Codec, name: str,
        channel: str) -> None:
    batch = records(codec, [create(channel), post(channel, "once")])
    channels = decider(stack, conn, codec, name)
    assert channels.apply_batch(batch) == 2
    assert channels.apply_batch(batch) == 0
    assert decider(stack, conn, codec, name).apply_batch(batch[1:]) == 0
    assert len(load_states(conn, [channel])[channel].chat_recent[OWNER]) == 1


def test_a_retried_command_gets_the_first_answer_and_no_new_events(
        stack: Settings, conn: psycopg.Connection, codec: Codec, outcomes: Outcomes, name: str,
        channel: str) -> None:
    message = post(channel, "retried")
    channels = decider(stack, conn, codec, name)
    channels.apply_batch(records(codec, [create(channel), message]))
    [first] = outcomes.of([message])
    # Sent again later, and twice within one batch: each time the same answer.
    restarted = decider(stack, conn, codec, name)
    restarted.apply_batch(records(codec, [message, message], first_offset=2))
    same = until(lambda: [o for o in outcomes.read() if o.command_id == first.command_id],
                 lambda answers: len(answers) == 3, 30, "three answers to the same command")
    assert {tuple(o.positions) for o in same} == {tuple(first.positions)}
    assert len(load_states(conn, [channel])[channel].chat_recent[OWNER]) == 1


def test_a_new_decider_decides_from_the_stored_state(
        stack: Settings, conn: psycopg.Connection, codec: Codec, outcomes: Outcomes, name: str,
        channel: str) -> None:
    decider(stack, conn, codec, name).apply_batch(records(codec, [create(channel)]))
    again = create(channel)
    decider(stack, conn, codec, name).apply_batch(records(codec, [again], first_offset=1))
    [answer] = outcomes.of([again])
    assert not answer.accepted
    assert answer.error == "channel_exists"
