"""Reading what has arrived, without spinning on a broker that answers empty fetches at once.

A Kafka broker holds an empty fetch until data arrives or fetch.wait.max.ms passes (a long
poll); some Kafka-protocol brokers (the local one among them) answer at once, and librdkafka's
fetcher then asks again in a tight loop: thousands of requests a second per idle consumer,
half a core each. So an idle consumer rests with its partitions paused, briefly.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from confluent_kafka import Consumer, Message, TopicPartition

WAIT_S = 0.005  # how long to wait for a first message before resting
REST_S = 0.02  # how long an idle consumer does not fetch: the most it adds to latency


def end_offsets(consumer: Consumer, topic: str, partitions: Sequence[int]) -> list[TopicPartition]:
    """Each partition at its current end (high watermark): where the next event will land."""
    return [TopicPartition(topic, p, int(consumer.get_watermark_offsets(
        TopicPartition(topic, p), timeout=10)[1])) for p in partitions]


class RestingReader:
    """Batches from a consumer; tell it where each partition starts (`assigned`)."""

    def __init__(self, consumer: Consumer) -> None:
        self.consumer = consumer
        self.next_offsets: dict[tuple[str, int], int] = {}

    def assigned(self, partitions: Sequence[TopicPartition]) -> None:
        """Explicit start offsets; logical ones (beginning, end) are left to the consumer."""
        for tp in partitions:
            self.next_offsets.pop((tp.topic, tp.partition), None)
            if tp.offset >= 0:
                self.next_offsets[(tp.topic, tp.partition)] = tp.offset

    def available(self, limit: int, timeout_s: float) -> list[Message]:
        """Up to `limit` messages as soon as one has arrived, or none after about `timeout_s`."""
        deadline = time.monotonic() + timeout_s
        while True:
            first = self.consumer.poll(WAIT_S)
            if first is not None:
                return self._read([first, *self.consumer.consume(limit - 1, timeout=0)])
            if time.monotonic() >= deadline:
                return []
            self._rest()

    def _read(self, messages: list[Message]) -> list[Message]:
        for m in messages:
            topic, partition, offset = m.topic(), m.partition(), m.offset()
            if m.error() is None and topic is not None and partition is not None \
                    and offset is not None:
                self.next_offsets[(topic, partition)] = offset + 1
        return messages

    def _rest(self) -> None:
        """Pause, wait, resume; then seek back to where reading stands, since a resumed
        partition that has delivered nothing yet would otherwise be reset by policy."""
        resting = self.consumer.assignment()
        self.consumer.pause(resting)
        time.sleep(REST_S)
        self.consumer.resume(resting)
        for tp in resting:
            offset = self.next_offsets.get((tp.topic, tp.partition))
            if offset is not None:
                self.consumer.seek(TopicPartition(tp.topic, tp.partition, offset))
