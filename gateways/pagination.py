"""Cursor pagination (`?first=N&after=CURSOR`): cursors are opaque to clients."""

from __future__ import annotations

import base64
import binascii
import json
import re
from datetime import datetime
from typing import Any

from starlette.requests import Request

from gateways.errors import ApiError
from gateways.inputs import check_json, load_json

FIRST = re.compile(r"[0-9]{1,3}")  # ASCII digits only: str.isdigit() takes "²" too
MAX_FIRST = 100


def first_param(request: Request, default: int = 20) -> int:
    raw = request.query_params.get("first", str(default))
    if not FIRST.fullmatch(raw) or not 1 <= int(raw) <= MAX_FIRST:
        raise ApiError(400, "invalid_parameter", f"first must be an integer from 1 to {MAX_FIRST}",
                       "first")
    return int(raw)


def encode_cursor(position: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(position).encode()).decode()


def decode_cursor(raw: str | None, shape: type) -> Any:
    """The position a cursor holds, checked to be of the shape this listing writes."""
    if raw is None:
        return None
    try:
        position = load_json(base64.b64decode(raw.encode(), altchars=b"-_", validate=True))
        check_json(position)  # a cursor is client input too: no text a store cannot hold
    except (binascii.Error, ValueError, ApiError) as error:
        raise _invalid() from error
    if not isinstance(position, shape):
        raise _invalid()
    return position


def decode_time_cursor(raw: str | None) -> tuple[datetime, str] | None:
    """A cursor holding a moment and a tie-breaking id, as `[iso time, id]`."""
    position = decode_cursor(raw, list)
    if position is None:
        return None
    try:
        return datetime.fromisoformat(position[0]), str(position[1])
    except (IndexError, TypeError, ValueError) as error:
        raise _invalid() from error


def _invalid() -> ApiError:
    return ApiError(400, "invalid_cursor", "after is not a cursor from this API", "after")
