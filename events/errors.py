"""Why a message could not be decoded; each carries a short machine reason."""

from __future__ import annotations


class UndecodableMessage(Exception):
    reason = "undecodable"


class BadMagicByte(UndecodableMessage):
    reason = "bad_magic_byte"


class UnknownSchemaId(UndecodableMessage):
    reason = "unknown_schema_id"


class CorruptBody(UndecodableMessage):
    reason = "corrupt_body"


class UnknownRecordType(UndecodableMessage):
    reason = "unknown_record_type"
