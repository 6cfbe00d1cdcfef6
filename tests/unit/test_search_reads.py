"""The pure parts of search: the query's words as a prefix tsquery, and cursor positions."""

from __future__ import annotations

from typing import Any

import pytest

from projections.search_reads import as_position, prefix_tsquery


@pytest.mark.parametrize(("query", "tsquery"), [
    ("ninja", "'ninja':*"),
    ("Elden ri", "'elden':* & 'ri':*"),
    ("zq_abc", "'zq':* & 'abc':*"),
    ("Baldur's Gate 3", "'baldur':* & 's':* & 'gate':* & '3':*"),
    ("café!", "'café':*"),
    ("it's a 'quote' & (!x):*", "'it':* & 's':* & 'a':* & 'quote':* & 'x':*"),
    ("  ", ""),
    ("!?-_", ""),
])
def test_every_word_is_a_prefix_and_nothing_else_reaches_the_tsquery(
        query: str, tsquery: str) -> None:
    assert prefix_tsquery(query) == tsquery


@pytest.mark.parametrize(("value", "expected"), [
    ([True, 12, 0.75, "ninja"], (True, 12, 0.75, "ninja")),
    ([False, 0, 1, "ninja"], (False, 0, 1.0, "ninja")),
    ([1, 12, 0.75, "ninja"], None),
    ([True, True, 0.75, "ninja"], None),
    ([True, 12, False, "ninja"], None),
    ([True, 12, "0.75", "ninja"], None),
    ([True, 12, 0.75, 7], None),
    ([True, 12, 0.75], None),
    ([True, 2**31, 0.75, "ninja"], None),
    ([True, -1, 0.75, "ninja"], None),
    ([True, 12, float("nan"), "ninja"], None),
    ([True, 12, float("inf"), "ninja"], None),
    ([True, 12, 0.75, "nin\x00ja"], None),
    ("ninja", None),
])
def test_a_position_is_live_viewers_relevance_and_name(value: Any, expected: Any) -> None:
    assert as_position(value) == expected
