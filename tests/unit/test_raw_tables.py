"""Event dataclasses become ClickHouse tables: column types, private fields, row values."""

from __future__ import annotations

from typing import Literal

import pytest

from analytics.raw_tables import UnsupportedField, column_type, families_tables, raw_table
from events.accounts import UserRegistered
from events.chat_moderation import ChatModeChanged


def test_an_event_type_becomes_a_table_without_private_fields() -> None:
    table = raw_table(UserRegistered)
    assert table.name == "raw_user_registered"
    assert dict(table.columns) == {
        "event_id": "UUID", "occurred_at": "DateTime('UTC')", "user_id": "String",
        "username": "String", "display_name": "String", "topic": "String",
        "log_partition": "UInt32", "log_offset": "UInt64"}


@pytest.mark.parametrize(("hint", "kind"), [
    (str, "String"), (int, "Int64"), (bool, "UInt8"), (float | None, "Nullable(Float64)"),
    (list[str], "Array(String)"), (list[str] | None, "Array(String)"),
    (Literal["a", "b"], "String"),
])
def test_field_types_map_to_column_types(hint: object, kind: str) -> None:
    assert column_type(hint, "f") == kind


def test_an_unmappable_field_is_refused_by_name() -> None:
    with pytest.raises(UnsupportedField, match="f: no ClickHouse column type"):
        column_type(dict[str, int], "f")


def test_rows_carry_the_log_position_and_storable_values() -> None:
    table = raw_table(ChatModeChanged)
    event = ChatModeChanged(channel="c", by_user_id="u", slow_mode_s=0,
                            followers_only_s=None, subscriber_only=True, emote_only=False)
    row = dict(zip([name for name, _ in table.columns], table.row(event, "chat", 3, 42),
                   strict=True))
    assert (row["subscriber_only"], row["emote_only"]) == (1, 0)
    assert (row["topic"], row["log_partition"], row["log_offset"]) == ("chat", 3, 42)


def test_every_family_event_has_a_table() -> None:
    names = {t.name for t in families_tables().values()}
    assert {"raw_view_heartbeat", "raw_chat_message_posted", "raw_channel_followed"} <= names
