"""Reading request bodies (JSON into a validated model, or a form), refused past their size
while they stream in and held to gateways.inputs' rules before anything else sees them."""

from __future__ import annotations

from typing import TypeVar
from urllib.parse import parse_qsl

from pydantic import BaseModel, ConfigDict, ValidationError
from starlette.requests import Request

from gateways.errors import ApiError, from_validation
from gateways.inputs import check_json, check_params, load_json

MAX_BODY_BYTES = 64 * 1024
MAX_FORM_BYTES = 16 * 1024
FORM = "application/x-www-form-urlencoded"
# A field whose text may hold line breaks says so in its schema (and so in the API document).
MULTILINE = {"x-multiline": True}

Model = TypeVar("Model", bound=BaseModel)


class Body(BaseModel):
    """Base for request bodies: unknown fields are an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", strict=True, str_strip_whitespace=True)


def multiline_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(name for name, field in model.model_fields.items()
                     if field.json_schema_extra == MULTILINE)


def _content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip()


async def parse_body(request: Request, model: type[Model]) -> Model:
    if _content_type(request) != "application/json":
        raise ApiError(415, "unsupported_media_type", "send the body as application/json")
    data = load_json(await read_limited(request, MAX_BODY_BYTES))
    if not isinstance(data, dict):
        raise ApiError(400, "malformed_json", "body must be a JSON object")
    check_json(data, multiline_fields(model))
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise from_validation(error) from error


async def parse_form(request: Request) -> dict[str, str]:
    """An application/x-www-form-urlencoded body, or none (the last value of a repeated name)."""
    raw = await read_limited(request, MAX_FORM_BYTES)
    if raw and _content_type(request) != FORM:
        raise ApiError(415, "unsupported_media_type", f"send the parameters as {FORM}")
    try:
        pairs = parse_qsl(raw.decode("utf-8"), keep_blank_values=True,
                          encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiError(400, "malformed_form", f"body is not a UTF-8 form: {error}") from error
    check_params(pairs, "form")
    return dict(pairs)


async def read_limited(request: Request, limit: int) -> bytes:
    """The raw body, refusing (413) as soon as it passes `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > limit:
        raise ApiError(413, "payload_too_large", f"body is over {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "payload_too_large", f"body is over {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)
