"""Which failures of a feed are transient (a store or the broker down or overloaded: wait and
read again from the checkpoints) and which are about the records (park them and go on)."""

from __future__ import annotations

import psycopg
import redis
from cassandra import Timeout, Unavailable
from cassandra.cluster import NoHostAvailable, OperationTimedOut
from cassandra.connection import ConnectionException
from clickhouse_driver.errors import ErrorCodes, NetworkError, ServerException, SocketTimeoutError
from confluent_kafka import KafkaException

from events.producer import DeliveryFailed

TRANSIENT: tuple[type[Exception], ...] = (
    psycopg.OperationalError, redis.ConnectionError, redis.TimeoutError,
    redis.exceptions.ReadOnlyError, OperationTimedOut, NoHostAvailable, Timeout, Unavailable,
    ConnectionException, NetworkError, SocketTimeoutError, DeliveryFailed, KafkaException,
)
# An OperationalError that is about the data (e.g. a value too large for an index), not the server.
PERMANENT: tuple[type[Exception], ...] = (psycopg.errors.ProgramLimitExceeded,)
CLICKHOUSE_BUSY = frozenset({
    ErrorCodes.TIMEOUT_EXCEEDED, ErrorCodes.MEMORY_LIMIT_EXCEEDED, ErrorCodes.TOO_MANY_PARTS,
    ErrorCodes.TOO_MANY_SIMULTANEOUS_QUERIES, ErrorCodes.SOCKET_TIMEOUT,
    ErrorCodes.NETWORK_ERROR, ErrorCodes.TABLE_IS_READ_ONLY, ErrorCodes.READONLY,
})


def is_transient(error: BaseException) -> bool:
    if isinstance(error, ServerException):
        return error.code in CLICKHOUSE_BUSY
    return isinstance(error, TRANSIENT) and not isinstance(error, PERMANENT)
