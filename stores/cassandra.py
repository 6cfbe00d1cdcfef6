"""The Cassandra session every reader and writer opens."""

from __future__ import annotations

from typing import Any

import tenacity
from cassandra import ConsistencyLevel
from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile, NoHostAvailable
from cassandra.policies import RoundRobinPolicy

from config.settings import Settings

# A ceiling, not a target: a small local node pausing for garbage collection under a replay's
# bursts answered later than the driver's default 10 s.
REQUEST_TIMEOUT_S = 30.0


@tenacity.retry(retry=tenacity.retry_if_exception_type(NoHostAvailable), reraise=True,
                stop=tenacity.stop_after_delay(60), wait=tenacity.wait_fixed(1))
def session(settings: Settings, keyspace: str | None = None) -> Any:
    """A cassandra-driver session with the configured protocol (1 for the local 1.2 server);
    a node that is slow to answer (a JVM starting under load) is tried again for a minute."""
    profile = ExecutionProfile(
        load_balancing_policy=RoundRobinPolicy(),
        consistency_level=ConsistencyLevel.name_to_value[settings.cassandra_consistency],
        request_timeout=REQUEST_TIMEOUT_S,
    )
    cluster = Cluster(settings.cassandra, port=settings.cassandra_port,
                      protocol_version=settings.cassandra_protocol_version,
                      execution_profiles={EXEC_PROFILE_DEFAULT: profile}, connect_timeout=10)
    return cluster.connect(keyspace)
