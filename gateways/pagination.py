"""Cursor pagination (`?first=N&after=CURSOR`): cursors are opaque to clients."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainValidator

from gateways.errors import ApiError
from gateways.inputs import check_json, load_json
from gateways.queries import Query, Refusal

DIGITS = re.compile(r"[0-9]{1,3}")  # ASCII digits only: int() takes "²", " 5" and "1_0" too
MAX_FIRST = 100
AFTER = "the cursor of the page before (pagination.cursor)"
BAD_CURSOR = Refusal("invalid_cursor", "after is not a cursor from this API")


def _digits(raw: Any) -> Any:
    if isinstance(raw, str) and DIGITS.fullmatch(raw) is None:
        raise ValueError("not written in ASCII digits")
    return raw


First = Annotated[int, Field(ge=1, le=MAX_FIRST, description="how many items a page holds"),
                  BeforeValidator(_digits),
                  Refusal("invalid_parameter", f"first must be an integer from 1 to {MAX_FIRST}")]


def encode_cursor(position: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def decoded_cursor(raw: str) -> Any:
    """The JSON a cursor holds; ValueError when it is not one this API could have written."""
    try:
        position = load_json(base64.b64decode(raw.encode(), altchars=b"-_", validate=True))
        check_json(position)  # a cursor is client input too: no text a store cannot hold
    except (binascii.Error, ValueError, ApiError) as error:
        raise ValueError("not a cursor") from error
    return position


def cursor_of(position: Callable[[Any], object]) -> PlainValidator:
    """Validates an `after` into the position `position` takes from its JSON, refusing
    (ValueError) JSON not of the shape its listing writes."""
    return PlainValidator(lambda raw: position(decoded_cursor(raw)), json_schema_input_type=str)


def _name(position: Any) -> str:
    if not isinstance(position, str):
        raise ValueError("not a name")
    return position


def _moment(position: Any) -> tuple[datetime, str]:
    """A moment and a tie-breaking id, as `[iso time, id]`."""
    if not isinstance(position, list):
        raise ValueError("not a list")
    try:
        return datetime.fromisoformat(position[0]), str(position[1])
    except (IndexError, TypeError) as error:
        raise ValueError("not [iso time, id]") from error


NameCursor = Annotated[str | None, cursor_of(_name), Field(description=AFTER), BAD_CURSOR]
TimeCursor = Annotated[tuple[datetime, str] | None, cursor_of(_moment), Field(description=AFTER),
                       BAD_CURSOR]


class NamePage(Query):
    """A page of a listing in name order."""

    first: First = 20
    after: NameCursor = None
