"""Why a message could not be decoded (each with a short machine reason), and schema faults.

An `UndecodableMessage` is about the bytes: the message is parked as a dead letter and the
consumer moves on. A `SchemaMismatch` is about the code: the dataclass and its schema disagree,
so nothing of that type can be written or read and the process must stop, not park everything.
"""

from __future__ import annotations


class UndecodableMessage(Exception):
    """The bytes are not a message this code can read; `reason` is a stable machine code."""

    reason = "undecodable"


class BadMagicByte(UndecodableMessage):
    reason = "bad_magic_byte"


class UnknownSchemaId(UndecodableMessage):
    reason = "unknown_schema_id"


class CorruptBody(UndecodableMessage):
    reason = "corrupt_body"


class TruncatedMessage(CorruptBody):
    """The message ends early: in the 5-byte header or in the Avro body."""

    reason = "truncated_message"


class UnknownRecordType(UndecodableMessage):
    reason = "unknown_record_type"


class IncompatibleSchema(UndecodableMessage):
    """The writer schema does not resolve to the code's reader schema of that record."""

    reason = "incompatible_schema"


class SchemaMismatch(Exception):
    """The code and the committed schemas disagree: a type without a schema, or a dataclass
    whose fields are not its schema's fields (a programming error, not a bad message)."""


class UnencodableMessage(ValueError):
    """A message holds a value its schema cannot carry faithfully (e.g. a naive datetime)."""


class UnprocessableMessage(UndecodableMessage):
    """Decoded, but it cannot be applied or decided for a reason that retrying cannot mend (a
    store refuses its data, a fault in the code): parked like an undecodable message, so that
    it cannot stop its feed."""

    reason = "unprocessable"
