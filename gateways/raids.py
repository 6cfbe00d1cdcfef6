"""Raids over HTTP: the broadcaster raids another channel, or calls the raid off while it
counts down. What the raiding channel's decider needs of the target (live, its raid setting,
whether it follows the raider, its names) is read here and carried by the command."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.outcomes import CommandDecided
from events.raids import CancelRaid, StartRaid
from gateways.auth import Principal, require_user
from gateways.bodies import Body, parse_body
from gateways.chat_moderation import Username
from gateways.errors import ApiError
from gateways.responses import written
from gateways.state import Services
from projections.raid_reads import follows, raid_party

RAIDS_SCOPE = "channel:manage:raids"


class RaidRequest(Body):
    target: Username  # the channel to raid


@dataclass(frozen=True)
class Raid:
    """A raid decided: its command and what the gateway answers of it."""

    command: StartRaid
    outcome: CommandDecided

    @property
    def data(self) -> dict[str, Any]:
        goes_at = self.command.issued_at + timedelta(seconds=self.command.countdown_s)
        return {"channel": self.command.channel,
                "target": self.command.to_broadcaster_user_login,
                "viewers": self.command.viewers, "goes_at": goes_at.isoformat(),
                "created_at": self.command.issued_at.isoformat()}


async def raid(services: Services, caller: Principal, raider: dict[str, Any],
               target: dict[str, Any]) -> Raid:
    """Raid `target` from `raider` (rows of projections.raid_reads) as the caller."""
    async with services.pool.connection() as conn:
        followed = await follows(conn, target["owner_id"], raider["channel"])
    command = StartRaid(
        channel=raider["channel"], from_broadcaster_user_id=raider["owner_id"] or "",
        from_broadcaster_user_login=raider["channel"],
        from_broadcaster_user_name=raider["display_name"],
        to_broadcaster_user_id=target["owner_id"] or "",
        to_broadcaster_user_login=target["channel"],
        to_broadcaster_user_name=target["display_name"],
        viewers=raider["viewer_count"] if raider["live"] else 0, target_live=target["live"],
        target_raids_from=target["raids_from"], target_follows=followed,
        countdown_s=services.settings.raid_countdown_s, actor_id=str(caller.user_id),
        actor_admin=caller.admin)
    return Raid(command, await services.commands.submit(command))


async def party(services: Services, name: str, field: str | None = None) -> dict[str, Any]:
    async with services.pool.connection() as conn:
        found = await raid_party(conn, channel=name.lower())
    if found is None:
        raise ApiError(404, "channel_not_found", f"no channel named {name.lower()!r}", field)
    return found


async def start_raid(request: Request) -> Response:
    caller = await require_user(request, RAIDS_SCOPE)
    body = await parse_body(request, RaidRequest)
    services = Services.of(request)
    raider = await party(services, request.path_params["name"])
    target = await party(services, body.target, "target")
    started = await raid(services, caller, raider, target)
    return JSONResponse(written(started.outcome, started.data), status_code=201)


async def cancel_raid(request: Request) -> Response:
    caller = await require_user(request, RAIDS_SCOPE)
    services, channel = Services.of(request), request.path_params["name"].lower()
    outcome = await services.commands.submit(CancelRaid(
        channel=channel, actor_id=str(caller.user_id), actor_admin=caller.admin))
    return JSONResponse(written(outcome, {"channel": channel}))
