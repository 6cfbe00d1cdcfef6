"""User endpoints: register, read a public profile."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any
from uuid import uuid4

from pydantic import EmailStr, Field, ValidationInfo, field_validator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.accounts import RegisterUser
from gateways import login_limits
from gateways.auth import require_user
from gateways.bodies import Body, parse_body
from gateways.chat_colors import chat_color
from gateways.errors import ApiError
from gateways.idempotency import decided, keyed_command_id
from gateways.passwords import MAX_LENGTH, hash_password, policy_violation
from gateways.player_tokens import client_address
from gateways.reads import wait_for_requested_position
from gateways.state import Services
from projections.user_reads import get_account, get_user

USERNAME_PATTERN = r"^[A-Za-z0-9_]{4,25}$"


class NewUser(Body):
    username: Annotated[str, Field(pattern=USERNAME_PATTERN)]
    email: Annotated[EmailStr, Field(max_length=254)]
    password: Annotated[str, Field(min_length=1, max_length=MAX_LENGTH)]
    display_name: Annotated[str, Field(min_length=1, max_length=25)] | None = None

    @field_validator("password")
    @classmethod
    def password_policy(cls, password: str, info: ValidationInfo) -> str:
        problem = policy_violation(password, info.data.get("username", ""))
        if problem is not None:
            raise ValueError(f"password {problem}")
        return password


async def register_user(request: Request) -> Response:
    body = await parse_body(request, NewUser)
    services = Services.of(request)
    command_id = await keyed_command_id(services.pool, request, "register_user", body)
    username = body.username.lower()
    # Only a retry of a registration already decided is answered without counting against
    # the address: an undecided retry costs a hash like a new request.
    if command_id is None or not await decided(services.pool, command_id):
        await login_limits.registration(
            services.redis, services.settings.registrations_per_address,
            services.settings.registration_window_s, client_address(request))
        await _not_taken(services, username, body.email.lower())
    # Hashed last: argon2 is slow by design, spent only on a request that may succeed.
    command = RegisterUser(
        user_id=str(uuid4()), username=username, display_name=body.display_name or body.username,
        email=body.email.lower(), password_hash=await hash_password(body.password),
    )
    if command_id is not None:
        command = replace(command, command_id=command_id)
    outcome = await services.commands.submit(command)
    position = outcome.positions[-1] if outcome.positions else None
    data = {"username": username, "display_name": command.display_name}
    return JSONResponse(
        {"data": data, "event_id": outcome.event_ids[0] if outcome.event_ids else None,
         "position": position},
        status_code=201,
        headers={"Location": f"/api/v1/users/{username}?min_position={position}"},
    )


async def _not_taken(services: Services, username: str, email: str) -> None:
    """What the read model already knows is taken; the account decider has the last word."""
    async with services.pool.connection() as conn:
        cur = await conn.execute(
            "SELECT username = %s FROM users WHERE username = %s OR email = %s LIMIT 1",
            (username, username, email))
        row = await cur.fetchone()
    if row is not None:
        field = "username" if row[0] else "email"
        raise ApiError(409, f"{field}_taken", f"that {field} is already registered", field)


async def read_user(request: Request) -> Response:
    services = Services.of(request)
    await wait_for_requested_position(request, services.reads,
                                      services.settings.read_wait_max_s)
    username = request.path_params["username"].lower()
    async with services.reads.connection() as conn:
        row = await get_user(conn, username)
    if row is None:
        raise ApiError(404, "user_not_found", f"no user named {username!r}")
    return JSONResponse({"data": _profile(row)})


async def read_me(request: Request) -> Response:
    """The signed-in user's own account; the email only with the user:read:email scope."""
    caller = await require_user(request)
    async with Services.of(request).pool.connection() as conn:
        row = await get_account(conn, str(caller.user_id))
    if row is None:
        raise ApiError(404, "user_not_found", "the account behind this token is gone")
    data = _profile(row)
    if "user:read:email" in caller.scopes:
        data["email"] = row["email"]
    return JSONResponse({"data": data})


def _profile(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(row["user_id"]), "username": row["username"],
        "display_name": row["display_name"], "bio": row["bio"],
        "profile_image_url": row["profile_image_url"],
        "chat_color": chat_color(row["chat_color"], str(row["user_id"])),
        "created_at": row["created_at"].isoformat(),
        "type": "streamer" if row["has_streamed"] else "viewer",
    }


async def existing_user(request: Request, username: str,
                        field: str | None = "username") -> tuple[str, str]:
    """(user id, username) of the named user; 404 naming `field` when there is none."""
    name = username.lower()
    async with Services.of(request).pool.connection() as conn:
        row = await get_user(conn, name)
    if row is None:
        raise ApiError(404, "user_not_found", f"no user named {name!r}", field)
    return str(row["user_id"]), row["username"]
