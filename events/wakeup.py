"""Wake-ups for idle readers: a reader with nothing to read rests with its partitions paused
(no fetches) until a topic it reads may have something new, or its longest rest is over.

Producers in this process say what they produced (`WAKEUPS.produced`); a relay (events.relay)
tells other processes and hears from them, and watches the high watermarks of the partitions
readers rest on, for records from producers that say nothing (tools, other clients). Without
a relay a reader rests briefly, as a bounded poll; with resting off it never pauses, for a
broker that long-polls an empty fetch itself (Apache Kafka).
"""

from __future__ import annotations

import threading
import weakref
from collections import Counter
from collections.abc import Collection, Iterable

# The longest rest of a reader in a process without a relay: the most a first message after
# a quiet spell waits for it. With a relay, producers wake readers and a watch bounds the rest.
SHORT_REST_S = 0.1
LONG_REST_S = 30.0

Partition = tuple[str, int]


class Wakeups:
    """What this process has heard of records produced, per topic, and who rests on what."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._produced: Counter[str] = Counter()
        self._outgoing: set[str] = set()  # produced here, not yet told to other processes
        # By resting reader, where it stands; a reader dropped without a word drops out.
        self._resting: weakref.WeakKeyDictionary[object, dict[Partition, int]] = \
            weakref.WeakKeyDictionary()
        self.resting = True  # False: readers never pause (a broker that long-polls)
        self.longest_rest_s = SHORT_REST_S

    def produced(self, topics: Iterable[str]) -> None:
        """Records produced here have been acknowledged on these topics."""
        with self._changed:
            self._count(topics)
            self._outgoing.update(topics)

    def heard(self, topics: Iterable[str]) -> None:
        """Another process, or the watch, saw records on these topics."""
        with self._changed:
            self._count(topics)

    def _count(self, topics: Iterable[str]) -> None:
        self._produced.update(topics)
        self._changed.notify_all()

    def seen(self, topics: Collection[str]) -> int:
        """A mark to wait on: it changes once a record is produced on one of the topics."""
        with self._changed:
            return sum(self._produced[t] for t in topics)

    def wait(self, topics: Collection[str], seen: int, timeout_s: float) -> bool:
        """Until something is produced on the topics after `seen`, or `timeout_s`; whether
        something was."""
        with self._changed:
            return self._changed.wait_for(
                lambda: sum(self._produced[t] for t in topics) != seen, max(0.0, timeout_s))

    def take_outgoing(self, timeout_s: float) -> set[str]:
        """The topics produced on here since the last call, once there are any (or none after
        `timeout_s`)."""
        with self._changed:
            self._changed.wait_for(lambda: bool(self._outgoing), timeout_s)
            taken, self._outgoing = self._outgoing, set()
            return taken

    def rest_on(self, reader: object, positions: dict[Partition, int]) -> None:
        """The reader rests on these partitions, each next to read at its offset."""
        with self._changed:
            self._resting[reader] = dict(positions)

    def rest_over(self, reader: object) -> None:
        with self._changed:
            self._resting.pop(reader, None)

    def rested_on(self) -> dict[Partition, int]:
        """Each partition some reader here rests on, at the earliest offset one reads next."""
        with self._changed:
            earliest: dict[Partition, int] = {}
            for positions in list(self._resting.values()):
                for tp, offset in positions.items():
                    earliest[tp] = min(offset, earliest.get(tp, offset))
            return earliest

WAKEUPS = Wakeups()
