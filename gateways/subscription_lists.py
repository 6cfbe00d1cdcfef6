"""Who subscribes: one's own subscriptions, and a channel's subscribers (its broadcaster's)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.auth import require_user
from gateways.earnings import broadcaster_channel
from gateways.pagination import First, NameCursor, encode_cursor
from gateways.reads import ReadYourWrites, wait_for_requested_position
from gateways.state import Services
from projections.subscription_reads import subscribers_of, subscriptions_of

CHANNEL_SCOPE = "channel:read:subscriptions"
USER_SCOPE = "user:read:subscriptions"


class SubscriberPage(ReadYourWrites):
    first: First = 20
    after: NameCursor = None


def subscription(row: dict[str, Any]) -> dict[str, Any]:
    """A subscriber keeps the benefits until ends_at: the period's end once cancelled."""
    ended, cancelled = row["ended_at"], row["cancelled_at"]
    return {
        "channel": row["channel"], "tier": row["tier"], "gifted_by": row["gifted_by"],
        "started_at": row["started_at"].isoformat(), "months": row["period"] + 1,
        "period_end": row["period_end"].isoformat(),
        "status": "ended" if ended else "cancelled" if cancelled else "active",
        "renews": not (ended or cancelled or row["gifted_by"]),
        "ends_at": (ended or row["period_end"]).isoformat()
        if ended or cancelled or row["gifted_by"] else None,
        "end_reason": row["end_reason"],
    }


async def my_subscriptions(request: Request) -> Response:
    """min_position (a subscribe's, gift's or cancel's) waits until it is readable."""
    caller = await require_user(request, USER_SCOPE)
    services = Services.of(request)
    await wait_for_requested_position(request, services.pool,
                                      services.settings.read_wait_max_s)
    async with services.pool.connection() as conn:
        rows = await subscriptions_of(conn, str(caller.user_id))
    return JSONResponse({"data": [subscription(r) for r in rows]})


async def channel_subscribers(request: Request) -> Response:
    """Current subscribers (benefits not ended), by username, cursor-paginated."""
    channel, query = await broadcaster_channel(request, SubscriberPage, CHANNEL_SCOPE,
                                               "subscribers")
    async with Services.of(request).pool.connection() as conn:
        rows = await subscribers_of(conn, channel, query.first + 1, query.after)
    page = rows[:query.first]
    return JSONResponse({
        "data": [{"username": r["username"], **subscription(r)} for r in page],
        "pagination": {"cursor": encode_cursor(page[-1]["username"])
                       if len(rows) > query.first else None}})
