"""What was appended to the log between two moments, for tests that check a refusal changed
nothing: the records naming given resources (a username, a user id) in their key or value."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from uuid import uuid4

from confluent_kafka import OFFSET_END, Consumer, Message, TopicPartition

from events.catalog import TOPICS
from events.codec import Codec
from events.outcomes import OUTCOMES_TOPIC, CommandDecided

COMMAND_TOPICS = frozenset(
    spec.name for spec in TOPICS if spec.name.endswith(("-commands", "-claims")))
EVENT_TOPICS = frozenset(
    spec.name for spec in TOPICS if spec.name not in COMMAND_TOPICS) - {OUTCOMES_TOPIC}
TIMEOUT_S = 30.0

Mark = dict[tuple[str, int], int]


@dataclass(frozen=True)
class Appended:
    """Since a mark: the event records naming a watched resource, and the commands naming one
    that no decider refused (a refused command, and each step of its saga, changes nothing)."""

    events: list[Message]
    unrefused_commands: list[object]


class LogWatch:
    def __init__(self, bootstrap: str, codec: Codec) -> None:
        self.codec = codec
        self.consumer = Consumer({
            "bootstrap.servers": bootstrap, "group.id": f"castline-log-watch-{uuid4()}",
            "enable.auto.commit": False, "auto.offset.reset": "earliest"})
        topics = self.consumer.list_topics(timeout=TIMEOUT_S).topics
        self.partitions = [TopicPartition(spec.name, p) for spec in TOPICS
                           for p in sorted(topics[spec.name].partitions)]

    def close(self) -> None:
        self.consumer.close()

    def mark(self) -> Mark:
        """Every partition's end, in one request per broker."""
        asked = [TopicPartition(tp.topic, tp.partition, OFFSET_END) for tp in self.partitions]
        ends = self.consumer.offsets_for_times(asked, timeout=TIMEOUT_S)
        return {(tp.topic, tp.partition): tp.offset for tp in ends}

    def appended_since(self, start: Mark, names: frozenset[bytes]) -> Appended:
        grown = {tp: offset for tp, offset in self.mark().items() if offset > start[tp]}
        records = self._read(start, grown)
        named = [r for r in records if r.topic() != OUTCOMES_TOPIC and _names(r, names)]
        decided = (self._decoded(r) for r in records if r.topic() == OUTCOMES_TOPIC)
        refused = {d.command_id for d in decided
                   if isinstance(d, CommandDecided) and not d.accepted}
        commands = (self._decoded(r) for r in named if r.topic() in COMMAND_TOPICS)
        return Appended(
            events=[r for r in named if r.topic() in EVENT_TOPICS],
            unrefused_commands=[c for c in commands if not _of_refused(c, refused)])

    def _decoded(self, record: Message) -> object:
        return self.codec.decode(bytes(record.value() or b""))

    def _read(self, start: Mark, until: Mark) -> list[Message]:
        if not until:
            return []
        self.consumer.assign([TopicPartition(t, p, start[(t, p)]) for t, p in until])
        left, records = dict(until), []
        while left:
            record = self.consumer.poll(TIMEOUT_S)
            assert record is not None, f"no record within {TIMEOUT_S}s, still to read: {left}"
            assert record.error() is None, record.error()
            where = (str(record.topic()), int(record.partition() or 0))
            if where not in left or int(record.offset() or 0) >= left[where]:
                continue
            records.append(record)
            if int(record.offset() or 0) + 1 >= left[where]:
                del left[where]
        self.consumer.unassign()
        return records


def _of_refused(command: object, refused: set[str]) -> bool:
    """A refused command, or a step of a saga the decider refused (such as a donation's review,
    which names the donation's command id)."""
    assert dataclasses.is_dataclass(command)
    return any(str(getattr(command, f.name)) in refused for f in dataclasses.fields(command))


def _names(record: Message, names: frozenset[bytes]) -> bool:
    raw = bytes(record.key() or b"") + bytes(record.value() or b"")
    return any(name in raw for name in names)
