"""What any input may hold, wherever it comes from: JSON and form bodies, the query, the path,
WebSocket frames. Text holds no control characters (line breaks only in fields that allow
them) and no lone surrogates; integers fit a signed 64-bit long, which Avro and every store
hold. A field at fault is named: 400 for text, 422 for a number out of range."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Collection
from typing import Any

from gateways.errors import ApiError

MAX_DEPTH = 32
LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
# Cc (C0, DEL, C1) and surrogates; PostgreSQL refuses NUL and every UTF-8 encoder a surrogate.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
CONTROL_BUT_LINE_BREAKS = re.compile("[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def check_text(text: str, field: str, multiline: bool = False) -> None:
    pattern = CONTROL_BUT_LINE_BREAKS if multiline else CONTROL
    found = pattern.search(text)
    if found is not None:
        raise ApiError(400, "invalid_text", f"{field} holds the control character or lone "
                       f"surrogate U+{ord(found.group()):04X}", field)


def check_number(number: int | float, field: str) -> None:
    if isinstance(number, float) and not math.isfinite(number):
        raise ApiError(422, "out_of_range", f"{field} is not a finite number", field)
    if isinstance(number, int) and not LONG_MIN <= number <= LONG_MAX:
        raise ApiError(422, "out_of_range",
                       f"{field} is out of range ({LONG_MIN} to {LONG_MAX})", field)


def check_json(value: Any, multiline: Collection[str] = (), path: tuple[str, ...] = ()) -> None:
    """Every string and number in a parsed JSON document; `multiline` names the top-level
    fields whose text may hold line breaks."""
    field = ".".join(path) or "body"
    if len(path) > MAX_DEPTH:
        raise ApiError(400, "malformed_json", f"nested deeper than {MAX_DEPTH} levels", field)
    if isinstance(value, str):
        check_text(value, field, len(path) == 1 and path[0] in multiline)
    elif isinstance(value, int | float) and not isinstance(value, bool):
        check_number(value, field)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(key, f"{field} (a key)")
            check_json(item, multiline, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_json(item, multiline, (*path, str(index)))


def load_json(raw: str | bytes) -> Any:
    """Parsed JSON; any failure to parse (bad syntax or encoding, nesting past the parser's
    depth, a number too long to convert, NaN or Infinity) is a 400."""
    try:
        return json.loads(raw, parse_constant=_refuse_constant)
    except RecursionError as error:
        raise ApiError(400, "malformed_json", "the JSON is nested too deep") from error
    except (ValueError, UnicodeDecodeError) as error:
        raise ApiError(400, "malformed_json", f"not valid JSON: {error}") from error


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def check_params(params: Collection[tuple[str, str]], where: str = "query") -> None:
    """Query or form parameters: each value's text, named by its parameter."""
    for name, value in params:
        check_text(name, f"a {where} parameter name")
        check_text(value, name)
