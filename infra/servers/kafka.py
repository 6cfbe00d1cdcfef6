"""The Kafka-protocol broker: noida-db's binary, run directly (its wrapper would orphan it)."""

from __future__ import annotations

import importlib.util
import signal
from pathlib import Path

from confluent_kafka import KafkaException
from confluent_kafka.admin import AdminClient

from config.settings import Settings
from infra.errors import InstallError
from infra.server import LocalServer


def broker_binary() -> Path:
    spec = importlib.util.find_spec("noida_db")
    if spec is None or not spec.submodule_search_locations:
        raise InstallError("noida-db is not installed: run `python -m infra.install`")
    return Path(spec.submodule_search_locations[0]) / "noida-db"


class KafkaBroker(LocalServer):
    name = "kafka"
    wheels = (("noida_db", "noida-db==0.2.3"),)
    # Its Ctrl-C path: it saves its state file, then exits.
    stop_signal = signal.SIGINT
    ping_errors = (KafkaException,)

    def external_address(self, settings: Settings) -> str | None:
        return settings.kafka_bootstrap

    def address(self, settings: Settings) -> str:
        return settings.kafka

    def ports(self, settings: Settings) -> tuple[int, ...]:
        return (settings.kafka_port,)

    def executable(self, settings: Settings) -> Path:
        return broker_binary()

    def prepare(self, settings: Settings, data_dir: Path) -> None:
        binary = broker_binary()
        if not binary.is_file():
            raise InstallError(f"noida-db's binary is missing at {binary}; reinstall noida-db")
        binary.chmod(0o755)  # pip does not always keep the mode of package data

    def arguments(self, settings: Settings, data_dir: Path) -> list[str]:
        return [
            "start", "--only", "kafka", "--kafka-port", str(settings.kafka_port),
            "--host", "127.0.0.1", "--data-dir", str(data_dir / "data"),
        ]

    def ping(self, settings: Settings) -> None:
        # log_level 0: librdkafka would print every refused connection while the broker starts.
        admin = AdminClient({"bootstrap.servers": settings.kafka, "socket.timeout.ms": 1000,
                             "log_level": 0})
        admin.list_topics(timeout=1)
