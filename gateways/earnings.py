"""A channel's earnings from the revenue ledger: by source and day, and what it is owed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.auth import require_user
from gateways.errors import ApiError
from gateways.reads import wait_for_requested_position
from gateways.state import Services
from projections.channel_reads import get_channel
from projections.ledger_reads import daily_earnings, payout_balance

SCOPE = "channel:read:revenue"
DEFAULT_DAYS = 30
MAX_DAYS = 366
# Days the ledger can hold revenue for; outside them a range's arithmetic would overflow.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9999, 12, 31)


async def broadcaster_channel(request: Request, scope: str = SCOPE,
                              what: str = "earnings") -> str:
    """The channel, once the caller is known to be its broadcaster (or an admin), and the
    ledger has reached min_position when one is given."""
    caller = await require_user(request, scope)
    services = Services.of(request)
    name: str = request.path_params["name"].lower()
    async with services.pool.connection() as conn:
        channel = await get_channel(conn, name)
    if channel is None:
        raise ApiError(404, "channel_not_found", f"no channel named {name!r}")
    if str(channel["owner_id"]) != caller.user_id and not caller.admin:
        raise ApiError(403, "forbidden", f"only the channel's broadcaster may read its {what}")
    await wait_for_requested_position(request, services.pool,
                                      services.settings.read_wait_max_s)
    return name


def _day(request: Request, name: str, default: date) -> date:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        day = date.fromisoformat(raw)
    except ValueError as error:
        raise ApiError(400, "invalid_date", f"{name} is a date, YYYY-MM-DD", name) from error
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ApiError(400, "invalid_date", f"{name} is a day from {FIRST_DAY} to {LAST_DAY}",
                       name)
    return day


async def earnings(request: Request) -> Response:
    """Days since..until (UTC, both included; the last 30 days by default), newest first."""
    channel = await broadcaster_channel(request)
    until = _day(request, "until", datetime.now(UTC).date())
    since = _day(request, "since", until - timedelta(days=DEFAULT_DAYS - 1))
    if not timedelta(0) <= until - since < timedelta(days=MAX_DAYS):
        raise ApiError(400, "invalid_range", f"since..until spans 1 to {MAX_DAYS} days", "since")
    async with Services.of(request).pool.connection() as conn:
        rows = await daily_earnings(conn, channel, since, until)
    return JSONResponse({"data": [
        {"day": day.isoformat(), "source": source, "currency": currency, "amount": amount}
        for day, source, currency, amount in rows]})


async def payout(request: Request) -> Response:
    channel = await broadcaster_channel(request)
    async with Services.of(request).pool.connection() as conn:
        balances = await payout_balance(conn, channel)
    return JSONResponse({"data": [{"currency": currency, "amount": amount}
                                  for currency, amount in balances.items()]})
