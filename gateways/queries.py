"""Query parameters: an endpoint's are a pydantic model, read from the request in one place and
refused with a 400 naming the parameter (422 for a number past a long). The OpenAPI document
describes each parameter by its field's JSON schema."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError
from starlette.requests import Request

from gateways.errors import ApiError


@dataclass(frozen=True)
class Refusal:
    """Annotated on a query field: how a value it does not take is answered, unless its
    validator raised a refusal() of its own; `statuses` are every status its values can be."""

    error: str
    message: str
    statuses: tuple[int, ...] = (400,)


def refusal(error: str, message: str, status: int = 400) -> PydanticCustomError:
    """A validator's own answer to a value it does not take."""
    # The message goes in the context: text in it (a client's value) is never a placeholder.
    return PydanticCustomError(error, "{message}", {"status": status, "message": message})


class Query(BaseModel):
    """Base of query models. Parameters a model does not name are ignored; of a repeated one,
    the last value is taken."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    @classmethod
    def of(cls, request: Request) -> Self:
        try:
            return cls.model_validate(dict(request.query_params))
        except ValidationError as error:
            raise cls._refused(error.errors()[0]) from error

    @classmethod
    def _refused(cls, error: ErrorDetails) -> ApiError:
        name = str(error["loc"][0])
        context: dict[str, Any] = error.get("ctx") or {}
        if "status" in context:
            return ApiError(context["status"], error["type"], error["msg"], name)
        refused = cls.refusal_of(name)
        if refused is None:
            return ApiError(400, "invalid_parameter", f"{name}: {error['msg']}", name)
        return ApiError(400, refused.error, refused.message, name)

    @classmethod
    def refusal_of(cls, name: str) -> Refusal | None:
        field = cls.model_fields.get(name)
        found = [m for m in field.metadata if isinstance(m, Refusal)] if field else []
        return found[0] if found else None

    @classmethod
    def statuses(cls) -> set[int]:
        """Every status a bad value of one of its parameters can be answered."""
        found = {400}
        for name in cls.model_fields:
            refused = cls.refusal_of(name)
            found.update(refused.statuses if refused else ())
        return found
