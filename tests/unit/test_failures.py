"""Which failures a feed waits out, and which are about its records."""

from __future__ import annotations

import psycopg
import pytest
import redis
from cassandra import InvalidRequest
from clickhouse_driver.errors import ErrorCodes, ServerException

from events.producer import DeliveryFailed
from feeds.failures import is_transient


@pytest.mark.parametrize("error", [
    psycopg.OperationalError("server closed the connection"),
    psycopg.errors.SerializationFailure("could not serialize"),
    redis.ConnectionError("refused"),
    ServerException("busy", ErrorCodes.MEMORY_LIMIT_EXCEEDED),
    DeliveryFailed("not acknowledged"),
])
def test_a_store_or_broker_down_or_busy_is_transient(error: Exception) -> None:
    assert is_transient(error)


@pytest.mark.parametrize("error", [
    psycopg.DataError("NUL"),
    psycopg.errors.ProgramLimitExceeded("index row size exceeds the maximum"),
    redis.ResponseError("WRONGTYPE"),
    InvalidRequest("Key length is longer than maximum"),
    ServerException("cannot parse", ErrorCodes.CANNOT_PARSE_DATETIME),
    ValueError("a fault in a projection"),
])
def test_a_refused_record_or_a_fault_is_not(error: Exception) -> None:
    assert not is_transient(error)
