"""`castline events tail` through the real path: events on a topic in, JSON lines out."""

from __future__ import annotations

import json
import subprocess

from confluent_kafka import Producer

from bench.topics import scratch_topic
from castline.processes import castline_command
from config.settings import Settings
from events.channels import ChannelCreated
from events.codec import Codec


def run_tail(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(castline_command("events", "tail", *args), capture_output=True,
                          text=True, timeout=60, check=False)


def test_tail_prints_decoded_events_filters_by_key_and_reports_bad_ones(
    stack: Settings,
) -> None:
    codec = Codec.from_settings(stack)
    with scratch_topic(stack.kafka, 3) as topic:
        producer = Producer({"bootstrap.servers": stack.kafka})
        for name in ("alpha", "beta", "alpha"):
            event = ChannelCreated(channel=name, display_name=name, title="t", category="c")
            producer.produce(topic, key=name.encode(), value=codec.encode(event))
        producer.produce(topic, key=b"alpha", value=b"not avro")
        producer.flush(10)
        everything = run_tail(topic, "--from-beginning")
        only_alpha = run_tail(topic, "--from-beginning", "--key", "alpha")
        from_now = run_tail(topic)
    assert everything.returncode == 0, everything.stderr
    lines = [json.loads(line) for line in everything.stdout.splitlines()]
    assert sorted(e["event"]["channel"] for e in lines) == ["alpha", "alpha", "beta"]
    assert {e["type"] for e in lines} == {"castline.channels.ChannelCreated"}
    assert all({"topic", "partition", "offset", "key"} <= set(e) for e in lines)
    assert "undecodable message at " + topic in everything.stderr
    assert [json.loads(x)["key"] for x in only_alpha.stdout.splitlines()] == ["alpha", "alpha"]
    assert (from_now.returncode, from_now.stdout) == (0, "")


def test_tail_of_an_unknown_topic_is_a_clear_error(stack: Settings) -> None:
    result = run_tail("no-such-topic-anywhere")
    assert result.returncode == 1
    assert "no topic named 'no-such-topic-anywhere'" in result.stderr
    assert "Traceback" not in result.stderr
