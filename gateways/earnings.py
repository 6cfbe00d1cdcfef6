"""A channel's earnings from the revenue ledger: by source and day, and what it is owed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, TypeVar

from pydantic import Field, PlainValidator, ValidationInfo
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gateways.auth import require_user
from gateways.errors import ApiError
from gateways.queries import refusal
from gateways.reads import ReadYourWrites, wait_for_query_position
from gateways.state import Services
from projections.channel_reads import get_channel
from projections.ledger_reads import daily_earnings, payout_balance

SCOPE = "channel:read:revenue"
DEFAULT_DAYS = 30
MAX_DAYS = 366
# Days the ledger can hold revenue for; outside them a range's arithmetic would overflow.
FIRST_DAY, LAST_DAY = date(1970, 1, 1), date(9999, 12, 31)
Owned = TypeVar("Owned", bound=ReadYourWrites)


async def broadcaster_channel(request: Request, query: type[Owned], scope: str = SCOPE,
                              what: str = "earnings") -> tuple[str, Owned]:
    """The channel and the query, once the caller is known to be its broadcaster (or an admin),
    and the ledger has reached min_position when one is given."""
    caller = await require_user(request, scope)
    services = Services.of(request)
    name: str = request.path_params["name"].lower()
    async with services.pool.connection() as conn:
        channel = await get_channel(conn, name)
    if channel is None:
        raise ApiError(404, "channel_not_found", f"no channel named {name!r}")
    if str(channel["owner_id"]) != caller.user_id and not caller.admin:
        raise ApiError(403, "forbidden", f"only the channel's broadcaster may read its {what}")
    asked = query.of(request)
    await wait_for_query_position(asked, services.pool, services.settings.read_wait_max_s)
    return name, asked


def _day(raw: str, info: ValidationInfo) -> date:
    try:
        day = date.fromisoformat(raw)
    except ValueError as error:
        raise refusal("invalid_date", f"{info.field_name} is a date, YYYY-MM-DD") from error
    if not FIRST_DAY <= day <= LAST_DAY:
        raise refusal("invalid_date",
                      f"{info.field_name} is a day from {FIRST_DAY} to {LAST_DAY}")
    return day


Day = Annotated[date | None, PlainValidator(_day, json_schema_input_type=date)]
DAYS = f"a day from {FIRST_DAY} to {LAST_DAY}"


class EarningsQuery(ReadYourWrites):
    until: Day = Field(None, description=f"the last UTC day (default: today); {DAYS}")
    since: Day = Field(None, description="the first UTC day (default: 29 days before until); "
                                         f"{DAYS}")


async def earnings(request: Request) -> Response:
    """Days since..until (UTC, both included; the last 30 days by default), newest first."""
    channel, query = await broadcaster_channel(request, EarningsQuery)
    until = query.until or datetime.now(UTC).date()
    since = query.since or until - timedelta(days=DEFAULT_DAYS - 1)
    if not timedelta(0) <= until - since < timedelta(days=MAX_DAYS):
        raise ApiError(400, "invalid_range", f"since..until spans 1 to {MAX_DAYS} days", "since")
    async with Services.of(request).pool.connection() as conn:
        rows = await daily_earnings(conn, channel, since, until)
    return JSONResponse({"data": [
        {"day": day.isoformat(), "source": source, "currency": currency, "amount": amount}
        for day, source, currency, amount in rows]})


async def payout(request: Request) -> Response:
    channel, _ = await broadcaster_channel(request, ReadYourWrites)
    async with Services.of(request).pool.connection() as conn:
        balances = await payout_balance(conn, channel)
    return JSONResponse({"data": [{"currency": currency, "amount": amount}
                                  for currency, amount in balances.items()]})
