"""The Faust app: no web server, topics created up front by `castline topics ensure`."""

from __future__ import annotations

import faust

from castline.settings import Settings


def faust_broker_url(bootstrap: str) -> str:
    return ";".join(f"kafka://{host}" for host in bootstrap.split(","))


def create_app(settings: Settings) -> faust.App:
    return faust.App(
        "castline",
        broker=faust_broker_url(settings.kafka),
        web_enabled=False,
        store="memory://",
        topic_partitions=12,
        topic_allow_declare=False,
        broker_session_timeout=10,
        broker_heartbeat_interval=1,
        # A killed worker's membership holds every rebalance up to this long (the broker
        # waits for it to rejoin): the deciders' failover time. Faust's default is 60 s.
        broker_rebalance_timeout=20,
        producer_acks=-1,
        consumer_auto_offset_reset="earliest",
        table_cleanup_interval=60,
        # Standbys re-read every table write (a channel's whole state, per command); with
        # the tables' state recoverable from their changelogs, one copy is kept.
        table_standby_replicas=0,
        producer_linger=0.002,  # a few ms of batching: far fewer requests to the broker
    )
