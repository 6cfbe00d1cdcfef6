"""Chat history in Cassandra: partitioned by (channel, UTC day), newest first.

No transactions: every write is keyed by the event's own ids, so a redelivered record writes the
same row again, and the checkpoint is written after the batch.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from events.base import Message
from events.chat import CHAT_TOPIC, ChatMessagePosted
from events.chat_moderation import ChatModeChanged, ChatModerated
from feeds.checkpoints import Partition
from feeds.locations import Follower
from feeds.parking import DeadLetterSink, decode_or_park
from feeds.records import LogRecord
from projections.cassandra_batches import PartitionWriter, write

log = logging.getLogger(__name__)

NAME = "chat_history"
TABLES = ("chat_messages", "chat_deleted", "chat_purges", "chat_modes")
ALL_USERS = "*"  # a clear hides everyone's earlier messages
INSERTS = {  # each with how many of its leading columns make the partition key
    "message": ("INSERT INTO {keyspace}.chat_messages (channel, day, sent_at, message_id, "
                "user_id, username, display_name, text, badge_list, emote_list, color) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", 2),
    "deleted": ("INSERT INTO {keyspace}.chat_deleted (channel, message_id) VALUES (?, ?)", 1),
    "purge": ("INSERT INTO {keyspace}.chat_purges (channel, user_id, purged_at) "
              "VALUES (?, ?, ?)", 1),
    "modes": ("INSERT INTO {keyspace}.chat_modes (channel, slow_mode_s, followers_only_s, "
              "subscriber_only, emote_only, changed_at) VALUES (?, ?, ?, ?, ?, ?)", 1),
    "checkpoint": ("INSERT INTO {keyspace}.projection_checkpoints (projection, topic, "
                   "partition, offset) VALUES (?, ?, ?, ?)", 1),
}


def day_of(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def rows_for(messages: Sequence[Message]) -> dict[str, list[tuple[Any, ...]]]:
    rows: dict[str, list[tuple[Any, ...]]] = {"message": [], "deleted": [], "purge": []}
    # A batch writes at one timestamp, so only each channel's last modes of the batch are sent.
    modes: dict[str, tuple[Any, ...]] = {}
    for m in messages:
        if isinstance(m, ChatMessagePosted):
            rows["message"].append((m.channel, day_of(m.occurred_at), m.occurred_at,
                                    m.message_id, m.user_id, m.username, m.display_name, m.text,
                                    json.dumps(m.badges), json.dumps(m.emotes), m.color))
        elif isinstance(m, ChatModerated) and m.action == "delete" and m.message_id:
            rows["deleted"].append((m.channel, m.message_id))
        elif isinstance(m, ChatModerated) and (m.action == "clear" or (m.hide_history and m.action
                                                in ("ban", "timeout"))):
            user = m.target_user_id if m.action != "clear" else ALL_USERS
            rows["purge"].append((m.channel, user, m.occurred_at))
        elif isinstance(m, ChatModeChanged):
            followers_only_s = -1 if m.followers_only_s is None else m.followers_only_s
            modes[m.channel] = (m.channel, m.slow_mode_s, followers_only_s,
                                m.subscriber_only, m.emote_only, m.occurred_at)
    rows["modes"] = list(modes.values())
    return rows


def read_checkpoints(session: Any, projection: str) -> dict[Partition, int]:
    rows = session.execute("SELECT topic, partition, offset FROM projection_checkpoints "
                           "WHERE projection = %s", (projection,))
    return {(row[0], row[1]): row[2] for row in rows}


class ChatHistory:
    topics: tuple[str, ...] = (CHAT_TOPIC,)

    def __init__(self, session: Any,
                 decode: Callable[[bytes], Message], dead_letters: DeadLetterSink,
                 name: str = NAME, follower: Follower | None = None) -> None:
        self.decode = decode
        self.dead_letters = dead_letters
        self.name = name
        self.follower = follower  # the keyspace reads use, when a replay may switch it
        self._use(session)

    def _use(self, session: Any) -> None:
        self.session = session
        # Named with their keyspace: Cassandra 1.2 identifies a prepared statement by its text
        # alone, so the same text prepared by a replay in its keyspace would redirect this
        # session's writes there (seen: the live checkpoints written into the replay's).
        self.writers = {kind: PartitionWriter(session, cql.format(keyspace=session.keyspace), keys)
                        for kind, (cql, keys) in INSERTS.items()}
        self.reached: dict[Partition, int] | None = None

    def flush(self) -> None:
        """Each batch is written before apply_batch returns."""

    def tick(self) -> bool:
        """Follow a replay's switch to another keyspace; the consumer then reads on from the
        checkpoints there."""
        keyspace = self.follower.moved() if self.follower is not None else None
        if keyspace is None:
            return False
        log.info("projection %s moves from keyspace %s to %s", self.name,
                 self.session.keyspace, keyspace)
        previous = self.session
        self._use(previous.cluster.connect(keyspace))
        previous.shutdown()
        return True

    def checkpoints(self) -> dict[Partition, int]:
        self.reached = read_checkpoints(self.session, self.name)
        return dict(self.reached)

    def save_checkpoints(self, projection: str, positions: dict[Partition, int]) -> None:
        write(self.session, self.writers["checkpoint"].statements(
            [(projection, t, p, o) for (t, p), o in positions.items()]))

    def apply_batch(self, records: Sequence[LogRecord]) -> int:
        reached = self.reached if self.reached is not None else self.checkpoints()
        fresh = [r for r in records if r.offset > reached.get((r.topic, r.partition), -1)]
        envelopes, _ = decode_or_park(fresh, self.decode, self.dead_letters, self.name)
        rows = rows_for([e.message for e in envelopes])
        write(self.session, [statement for kind, values in rows.items()
                             for statement in self.writers[kind].statements(values)])
        positions = {(r.topic, r.partition): r.offset for r in fresh}
        self.save_checkpoints(self.name, positions)
        reached.update(positions)
        return len(rows["message"])

