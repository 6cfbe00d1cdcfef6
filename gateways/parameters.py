"""The query parameters of the API, typed for its OpenAPI document as their handlers read them."""

from __future__ import annotations

from gateways.earnings import FIRST_DAY, LAST_DAY
from gateways.openapi import Param
from gateways.pagination import MAX_FIRST
from gateways.search import MAX_QUERY
from projections.search_reads import KINDS

AFTER = Param("after", {"type": "string"}, "the cursor of the page before (pagination.cursor)")
CATEGORY = Param("category", {"type": "string"}, "only channels in this category")
TAG = Param("tag", {"type": "string"}, "only channels with this tag")
# A projection behind the position is 503 projection_behind; a partition or offset past a
# signed long is 422.
MIN_POSITION = Param(
    "min_position", {"type": "string", "pattern": "^[^/]+/[0-9]+/[0-9]+$"},
    "wait (bounded) until the read model has applied this log position (topic/partition/offset)",
    errors=(400, 422, 503))
SEARCH_QUERY = Param("query", {"type": "string", "minLength": 1, "maxLength": MAX_QUERY},
                     "what to look for: a name prefix, words", required=True)
CATEGORY_PREFIX = Param("query", {"type": "string"}, "a category name prefix")
SEARCH_TYPE = Param("type", {"type": "string", "enum": list(KINDS), "default": KINDS[0]},
                    "what to search")


def first(default: int = 20) -> Param:
    return Param("first", {"type": "integer", "minimum": 1, "maximum": MAX_FIRST,
                           "default": default}, "how many items a page holds")


def day(name: str, meaning: str) -> Param:
    return Param(name, {"type": "string", "format": "date"},
                 f"{meaning}; a day from {FIRST_DAY} to {LAST_DAY}")


FIRST = first()
SINCE = day("since", "the first UTC day (default: 29 days before until)")
UNTIL = day("until", "the last UTC day (default: today)")
