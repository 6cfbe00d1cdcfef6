"""Wake-ups between processes: the topics produced on here go out on a Redis channel (coalesced:
one message for whatever was produced meanwhile, never one per record), the other processes'
come in; and a watch of the high watermarks of the partitions readers here rest on catches
records whose producers say nothing, one request for all of them per WATCH_S.
"""

from __future__ import annotations

import logging
import threading
from uuid import uuid4

import redis
from confluent_kafka import KafkaException, TopicPartition
from confluent_kafka.admin import AdminClient, OffsetSpec  # type: ignore[attr-defined]

from config.settings import Settings
from events.wakeup import LONG_REST_S, SHORT_REST_S, WAKEUPS, Partition, Wakeups

log = logging.getLogger(__name__)

CHANNEL = "castline:produced"
# At most one message out per this, after the first: a burst is one message, not thousands.
COALESCE_S = 0.005
# How often the resting partitions' high watermarks are looked at: the longest a record from
# a producer that does not say so waits for an idle reader.
WATCH_S = 1.0
TIMEOUT_S = 5.0
LATEST = OffsetSpec.latest()  # type: ignore[no-untyped-call]


class Relay:
    """Started once per process (worker, gateway); readers there then rest long."""

    def __init__(self, bootstrap: str, redis_url: str, longest_rest_s: float = LONG_REST_S,
                 wakeups: Wakeups = WAKEUPS) -> None:
        self.wakeups = wakeups
        self.longest_rest_s = longest_rest_s
        self.origin = uuid4().hex
        self.redis = redis.Redis.from_url(redis_url, socket_timeout=TIMEOUT_S)
        self.admin = AdminClient({"bootstrap.servers": bootstrap})
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=run, name=f"wakeup-{run.__name__[1:]}",
                                          daemon=True)
                         for run in (self._send, self._listen, self._watch)]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()
        self.wakeups.longest_rest_s = self.longest_rest_s

    def close(self) -> None:
        self.wakeups.longest_rest_s = SHORT_REST_S
        self._stop.set()
        for thread in self._threads:
            thread.join()
        self.redis.close()

    def _send(self) -> None:
        while not self._stop.is_set():
            topics = self.wakeups.take_outgoing(timeout_s=1.0)
            if not topics:
                continue
            try:
                self.redis.publish(CHANNEL, f"{self.origin}|{','.join(sorted(topics))}")
            except redis.RedisError as error:
                log.warning("wake-ups not sent (the watch still finds the records): %r", error)
            self._stop.wait(COALESCE_S)

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                with self.redis.pubsub(  # type: ignore[no-untyped-call]
                        ignore_subscribe_messages=True) as pubsub:
                    pubsub.subscribe(CHANNEL)
                    while not self._stop.is_set():
                        self._hear(pubsub.get_message(timeout=1.0))
            except redis.RedisError as error:
                log.warning("wake-ups not heard (the watch still finds the records): %r", error)
                self._stop.wait(1.0)

    def _hear(self, message: dict[str, object] | None) -> None:
        if message is None or not isinstance(message["data"], bytes):
            return
        # Anything else published on the channel wakes readers at worst; it never ends the
        # listener (bytes that are not UTF-8 would).
        origin, _, topics = message["data"].decode(errors="replace").partition("|")
        if origin != self.origin:
            self.wakeups.heard(topics.split(","))

    def _watch(self) -> None:
        while not self._stop.wait(WATCH_S):
            resting = self.wakeups.rested_on()
            if not resting:
                continue
            try:
                ends = self._ends(list(resting))
            except KafkaException as error:
                log.warning("high watermarks not read: %r", error)
                continue
            arrived = {tp[0] for tp, offset in resting.items() if ends.get(tp, -1) > offset}
            if arrived:
                self.wakeups.heard(arrived)

    def _ends(self, partitions: list[Partition]) -> dict[Partition, int]:
        asked = self.admin.list_offsets(
            {TopicPartition(t, p): LATEST for t, p in partitions},
            request_timeout=TIMEOUT_S)
        return {(tp.topic, tp.partition): future.result().offset
                for tp, future in asked.items()}


def start_relay(settings: Settings) -> Relay | None:
    """This process's wake-ups as settings say: a started relay, or resting off (None)."""
    if not settings.kafka_rest_while_idle:
        WAKEUPS.resting = False
        return None
    relay = Relay(settings.kafka, settings.redis, settings.kafka_longest_rest_s)
    relay.start()
    return relay
