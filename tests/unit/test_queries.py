"""Query parameters read through their endpoint's model: a bad value is a 400 naming the
parameter with the error and message the API has always answered (422 for a number past a
long); parameters a model does not name are ignored."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import urlencode

import pytest
from starlette.requests import Request

from events.positions import Position
from gateways.chat_history import ChatPage
from gateways.earnings import EarningsQuery
from gateways.errors import ApiError
from gateways.pagination import NamePage, encode_cursor
from gateways.queries import Query
from gateways.reads import ReadYourWrites
from gateways.search import SearchQuery
from gateways.viewing import DirectoryQuery

PAGE_SIZE = "first must be an integer from 1 to 100"


def request(params: dict[str, str] | list[tuple[str, str]]) -> Request:
    return Request({"type": "http", "query_string": urlencode(params).encode(), "headers": []})


def refusal(model: type[Query], params: dict[str, str]) -> ApiError:
    with pytest.raises(ApiError) as refused:
        model.of(request(params))
    return refused.value


def test_defaults_and_values_are_typed() -> None:
    page = NamePage.of(request({}))
    assert (page.first, page.after) == (20, None)
    page = NamePage.of(request({"first": "007", "after": encode_cursor("ninja")}))
    assert (page.first, page.after) == (7, "ninja")


def test_unknown_parameters_are_ignored_and_the_last_of_a_repeated_one_is_taken() -> None:
    page = NamePage.of(request([("first", "5"), ("first", "6"), ("utm_source", "x")]))
    assert page.first == 6


@pytest.mark.parametrize("first", ["0", "101", "ten", "²", " 5", "5.0", "1_0", "0001", ""])
def test_a_page_size_is_one_to_a_hundred_in_ascii_digits(first: str) -> None:
    refused = refusal(NamePage, {"first": first})
    assert (refused.status, refused.error, refused.field, refused.message) == (
        400, "invalid_parameter", "first", PAGE_SIZE)


@pytest.mark.parametrize(("model", "after"), [
    (NamePage, "%%%"), (NamePage, encode_cursor(["a"])), (NamePage, encode_cursor("a\x00b")),
    (DirectoryQuery, encode_cursor([2**31, "a"])), (DirectoryQuery, encode_cursor(["1", "a"])),
    (SearchQuery, encode_cursor([True, 2**40, 0.5, "ninja"])),
])
def test_a_cursor_of_another_shape_is_refused(model: type[Query], after: str) -> None:
    refused = refusal(model, {"query": "ninja", "after": after})
    assert (refused.status, refused.error, refused.field, refused.message) == (
        400, "invalid_cursor", "after", "after is not a cursor from this API")


def test_each_listing_reads_its_own_cursor() -> None:
    directory = DirectoryQuery.of(request({"after": encode_cursor([3, "a"])}))
    assert directory.after == (3, "a")
    found = SearchQuery.of(request({"query": " nin ", "after": encode_cursor(
        [True, 2, 0.5, "ninja"])}))
    assert (found.query, found.type, found.after) == ("nin", "channels", (True, 2, 0.5, "ninja"))


@pytest.mark.parametrize(("params", "field"), [
    ({}, "query"), ({"query": "   "}, "query"), ({"query": "?!-_"}, "query"),
    ({"query": "a" * 101}, "query"), ({"query": "ninja", "type": "games"}, "type"),
])
def test_search_refusals_name_their_parameter(params: dict[str, str], field: str) -> None:
    refused = refusal(SearchQuery, params)
    assert (refused.status, refused.error, refused.field) == (400, "invalid_parameter", field)


def test_a_position_is_read_and_checked() -> None:
    asked = ReadYourWrites.of(request({"min_position": "channels/1/2"}))
    assert asked.min_position == Position("channels", 1, 2)
    refused = refusal(ReadYourWrites, {"min_position": "{status}/x"})
    assert (refused.status, refused.error, refused.field) == (400, "invalid_position",
                                                              "min_position")
    assert refused.message == "not a log position (topic/partition/offset): '{status}/x'"
    assert refusal(ReadYourWrites, {"min_position": "channels/²/1"}).status == 400
    past = refusal(ReadYourWrites, {"min_position": f"channels/0/{2**63}"})
    assert (past.status, past.error, past.field) == (422, "out_of_range", "min_position")


def test_days_name_the_day_at_fault() -> None:
    asked = EarningsQuery.of(request({"since": "2024-02-29"}))
    assert (asked.since, asked.until) == (date(2024, 2, 29), None)
    refused = refusal(EarningsQuery, {"since": "2024-13-01"})
    assert (refused.error, refused.field, refused.message) == (
        "invalid_date", "since", "since is a date, YYYY-MM-DD")
    before = refusal(EarningsQuery, {"until": "0001-01-01"})
    assert before.message == "until is a day from 1970-01-01 to 9999-12-31"


def test_a_models_statuses_are_those_its_parameters_can_be_refused() -> None:
    assert NamePage.statuses() == {400}
    assert EarningsQuery.statuses() == {400, 422}


def test_a_time_cursor_holds_a_moment_and_an_id() -> None:
    moment = datetime(2024, 1, 2, 3, 4, 5)
    page = ChatPage.of(request({"after": encode_cursor([moment.isoformat(), "m1"])}))
    assert page.after == (moment, "m1")
    assert refusal(ChatPage, {"after": encode_cursor(["yesterday", "m1"])}).error == (
        "invalid_cursor")
