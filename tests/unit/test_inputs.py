"""The one rule for what input text and numbers may hold."""

from __future__ import annotations

from typing import Any

import pytest

from gateways.errors import ApiError
from gateways.inputs import check_json, check_params, load_json


def refusal(call: Any, *args: Any) -> ApiError:
    with pytest.raises(ApiError) as refused:
        call(*args)
    return refused.value


@pytest.mark.parametrize("text", ["\x00", "a\x1fb", "\x7f", "\x85", "\ud800", "tab\there"])
def test_control_characters_and_lone_surrogates_are_400(text: str) -> None:
    refused = refusal(check_json, {"title": text})
    assert (refused.status, refused.error, refused.field) == (400, "invalid_text", "title")


def test_line_breaks_only_in_the_fields_that_allow_them() -> None:
    check_json({"bio": "one\r\ntwo\n"}, {"bio"})
    assert refusal(check_json, {"title": "one\ntwo"}, {"bio"}).field == "title"
    assert refusal(check_json, {"bio": "one\x00"}, {"bio"}).field == "bio"


def test_printable_unicode_passes() -> None:
    check_json({"title": "Speedrun 🏃‍♀️ día ²", "tags": ["ok"], "n": 2**63 - 1, "m": -(2**63)})


@pytest.mark.parametrize(("value", "field"), [
    ({"amount": 2**63}, "amount"), ({"amount": -(2**63) - 1}, "amount"),
    ({"list": [1, 2**64]}, "list.1"), ({"x": float("inf")}, "x"),
])
def test_numbers_past_a_long_are_422(value: dict[str, Any], field: str) -> None:
    refused = refusal(check_json, value)
    assert (refused.status, refused.error, refused.field) == (422, "out_of_range", field)


def test_nested_field_names_and_keys_are_checked() -> None:
    assert refusal(check_json, {"a": {"b": ["ok", "no\x00"]}}).field == "a.b.1"
    assert refusal(check_json, {"a": {"k\x00": 1}}).field == "a (a key)"


def test_deep_nesting_is_400() -> None:
    deep: Any = "leaf"
    for _ in range(40):
        deep = [deep]
    assert refusal(check_json, {"a": deep}).error == "malformed_json"


@pytest.mark.parametrize("raw", [
    "[" * 100_000 + "]" * 100_000, "9" * 5000, "NaN", '{"a": -Infinity}', b"\xff", "{",
])
def test_every_parse_failure_is_400(raw: str | bytes) -> None:
    refused = refusal(load_json, raw)
    assert (refused.status, refused.error) == (400, "malformed_json")


def test_query_and_form_values_are_named_by_their_parameter() -> None:
    check_params([("first", "20"), ("query", "día")])
    assert refusal(check_params, [("first", "2"), ("query", "a\x00")]).field == "query"
