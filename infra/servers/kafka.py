"""The Kafka-protocol broker: noida-db's binary, run directly (its wrapper would orphan it)."""

from __future__ import annotations

import signal
from importlib.resources import files
from pathlib import Path

from confluent_kafka.admin import AdminClient

from castline.settings import Settings
from infra.errors import StackError
from infra.server import LocalServer


def broker_binary() -> Path:
    binary = Path(str(files("noida_db").joinpath("noida-db")))
    if not binary.is_file():
        raise StackError(f"noida-db binary missing at {binary}; reinstall noida-db")
    binary.chmod(0o755)
    return binary


class KafkaBroker(LocalServer):
    name = "kafka"
    # SIGINT is its Ctrl-C path: it saves its state file before exiting.
    stop_signal = signal.SIGINT

    def external_address(self, settings: Settings) -> str | None:
        return settings.kafka_bootstrap

    def address(self, settings: Settings) -> str:
        return settings.kafka

    def command(self, settings: Settings, data_dir: Path) -> list[str]:
        return [
            str(broker_binary()), "start", "--only", "kafka",
            "--kafka-port", str(settings.kafka_port), "--host", "127.0.0.1",
            "--data-dir", str(data_dir / "data"),
        ]

    def ping(self, settings: Settings) -> None:
        admin = AdminClient({"bootstrap.servers": settings.kafka, "socket.timeout.ms": 1000})
        admin.list_topics(timeout=1)
