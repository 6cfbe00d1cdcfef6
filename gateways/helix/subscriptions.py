"""Get Broadcaster Subscriptions, Check User Subscription and Get Bits Leaderboard, from the
subscriptions and ledger read models. Castline's tiers are Twitch's (1000, 2000, 3000)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response

from gateways.auth import Principal
from gateways.errors import ApiError
from gateways.helix.api import HelixQuery, acting_user, helix, page, require_scope, user_of
from gateways.helix.params import rfc3339
from gateways.helix.staff import (
    BroadcasterId,
    BroadcasterUsersQuery,
    TargetId,
    channel_of,
    own_channel,
)
from gateways.pagination import encode_cursor
from gateways.queries import Refusal
from gateways.state import Services
from projections import helix_money_reads, helix_reads

BROADCASTER_SCOPE = "channel:read:subscriptions"
USER_SCOPE = "user:read:subscriptions"
BITS_SCOPE = "bits:read"
POINTS = {1000: 1, 2000: 2, 3000: 6}  # what each tier counts toward Twitch's sub points


def _gift(row: dict[str, Any]) -> dict[str, Any]:
    gifted = row["gifted_by"] is not None
    return {"is_gift": gifted, "gifter_id": str(row["gifted_by"]) if gifted else "",
            "gifter_login": row["gifter_login"] or "", "gifter_name": row["gifter_name"] or ""}


def _broadcaster_fields(channel: dict[str, Any]) -> dict[str, Any]:
    return {"broadcaster_id": str(channel["owner_id"]), "broadcaster_login": channel["channel"],
            "broadcaster_name": channel["display_name"]}


@helix
async def broadcaster_subscriptions(request: Request, caller: Principal) -> Response:
    """To the broadcaster (or a platform admin); `total` and `points` count every current
    subscriber, whatever the page."""
    require_scope(caller, BROADCASTER_SCOPE)
    query = BroadcasterUsersQuery.of(request)
    async with Services.of(request).reads.connection() as conn:
        channel = await own_channel(conn, caller, query.broadcaster_id)
        rows = await helix_money_reads.subscribers(
            conn, channel["channel"], [str(i) for i in query.user_id], query.first + 1,
            query.after)
        tiers = await helix_money_reads.subscriber_tiers(conn, channel["channel"])
    shown = rows[:query.first]
    cursor = encode_cursor(shown[-1]["username"]) if len(rows) > query.first else None
    return page([{**_broadcaster_fields(channel), **_gift(row), "tier": str(row["tier"]),
                  "plan_name": f"Channel Subscription ({channel['channel']})",
                  "user_id": str(row["user_id"]), "user_login": row["username"],
                  "user_name": row["display_name"]} for row in shown],
                cursor, total=len(tiers), points=sum(POINTS.get(t, 1) for t in tiers))


class UserSubscriptionQuery(HelixQuery):
    broadcaster_id: BroadcasterId
    user_id: TargetId


@helix
async def check_user_subscription(request: Request, caller: Principal) -> Response:
    """The token's user's own subscription; 404, as on Twitch, when they have none."""
    require_scope(caller, USER_SCOPE)
    query = UserSubscriptionQuery.of(request)
    user = acting_user(caller, query.user_id, "user_id")
    async with Services.of(request).reads.connection() as conn:
        channel = await channel_of(conn, query.broadcaster_id)
        rows = await helix_money_reads.subscribers(conn, channel["channel"], [user], 1, None)
    if not rows:
        raise ApiError(404, "not_found", f"{caller.username} has no subscription to "
                       f"{channel['channel']}")
    return page([{**_broadcaster_fields(channel), **_gift(rows[0]),
                  "tier": str(rows[0]["tier"])}])


Period = Literal["day", "week", "month", "year", "all"]


class LeaderboardQuery(HelixQuery):
    count: Annotated[int, Field(ge=1, le=100), Refusal(
        "invalid_parameter", "count must be an integer from 1 to 100")] = 10
    period: Annotated[Period, Refusal(
        "invalid_parameter", "period is day, week, month, year or all")] = "all"
    started_at: Annotated[datetime | None, Refusal(
        "invalid_parameter", "started_at must be an RFC 3339 time")] = None
    user_id: Annotated[TargetId | None, Field(description="only this cheerer's rank")] = None


def period_span(period: Period, at: datetime) -> tuple[datetime, datetime] | None:
    """The UTC day, week (from Monday), month or year holding `at`; None for all time."""
    day = at.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    if period == "all":
        return None
    if period == "day":
        return day, day + timedelta(days=1)
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=7)
    if period == "month":
        start = day.replace(day=1)
        return start, (start + timedelta(days=32)).replace(day=1)
    start = day.replace(month=1, day=1)
    return start, start.replace(year=start.year + 1)


@helix
async def bits_leaderboard(request: Request, caller: Principal) -> Response:
    """The token's user's channel: who cheered the most bits in it over the period."""
    require_scope(caller, BITS_SCOPE)
    user = user_of(caller)
    query = LeaderboardQuery.of(request)
    span = period_span(query.period, query.started_at or datetime.now(UTC))
    async with Services.of(request).reads.connection() as conn:
        channels = await helix_reads.channels_of(conn, [user])
        rows = [] if not channels else await helix_money_reads.cheerers(
            conn, channels[0]["channel"], span, str(query.user_id) if query.user_id else None,
            query.count)
    return page([{"user_id": str(row["user_id"]), "user_login": row["username"],
                  "user_name": row["display_name"], "rank": int(row["rank"]),
                  "score": int(row["score"])} for row in rows],
                date_range={"started_at": rfc3339(span[0]) if span else "",
                            "ended_at": rfc3339(span[1]) if span else ""},
                total=len(rows))
