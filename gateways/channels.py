"""Channel endpoints: update info, read one, list. Channels come with accounts."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from events.channel_commands import UpdateChannelInfo
from events.outcomes import CommandDecided
from events.raids import SetRaidSetting
from gateways.auth import Principal, require_user
from gateways.bodies import Body, parse_body
from gateways.channel_views import CategoryFilter, TagFilter, public_channel
from gateways.errors import ApiError
from gateways.pagination import First, NamePage, encode_cursor
from gateways.queries import Query
from gateways.reads import wait_for_requested_position
from gateways.responses import written
from gateways.state import Services
from projections.channel_reads import (
    find_category,
    get_channel,
    list_channels,
    search_categories,
)

Title = Annotated[str, Field(min_length=1, max_length=140)]
Category = Annotated[str, Field(min_length=1, max_length=100)]
Tag = Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,25}$")]
Language = Annotated[str, Field(pattern=r"^([a-z]{2}|other)$")]


class ChannelInfoPatch(Body):
    title: Title | None = None
    category: Category | None = None
    tags: Annotated[list[Tag], Field(max_length=10)] | None = None
    language: Language | None = None
    raids_from: Literal["everyone", "followed", "nobody"] | None = Field(
        None, description="whom the channel accepts raids from: everyone, the channels it "
                          "follows, or nobody")

    @model_validator(mode="after")
    def something_to_change(self) -> ChannelInfoPatch:
        if not self.model_dump(exclude_none=True):
            raise ValueError("give at least one of title, category, tags, language, "
                             "raids_from")
        return self

    def info_changed(self) -> bool:
        return (self.title, self.category, self.tags, self.language) != (None,) * 4


async def update_channel(request: Request) -> Response:
    """The broadcaster (or an admin) changes title, category, tags, language and/or the raid
    setting; the decider checks who. The info is changed before the raid setting: when both
    are given and the info is refused, neither changes."""
    caller = await require_user(request, "channel:manage:broadcast")
    body = await parse_body(request, ChannelInfoPatch)
    services = Services.of(request)
    category = await _catalogued(services, body.category)
    name = request.path_params["name"].lower()
    outcome = await _changed_info(services, caller, name, body, category)
    if body.raids_from is not None:
        outcome = await services.commands.submit(SetRaidSetting(
            channel=name, raids_from=body.raids_from, actor_id=str(caller.user_id),
            actor_admin=caller.admin))
    assert outcome is not None  # the body changes something
    data = {"name": name, **body.model_dump(exclude_none=True)}
    if category is not None:
        data["category"] = category
    return JSONResponse(written(outcome, data))


async def _changed_info(services: Services, caller: Principal, name: str,
                        body: ChannelInfoPatch, category: str | None) -> CommandDecided | None:
    if not body.info_changed():
        return None
    return await services.commands.submit(UpdateChannelInfo(
        channel=name, title=body.title, category=category, actor_id=caller.user_id,
        actor_admin=caller.admin, tags=body.tags, language=body.language,
    ))


async def _catalogued(services: Services, category: str | None) -> str | None:
    """The catalog's own spelling of the category; 422 when the catalog lacks it."""
    if category is None:
        return None
    async with services.pool.connection() as conn:
        found = await find_category(conn, category)
    if found is None:
        raise ApiError(422, "unknown_category",
                       f"{category!r} is not in the category catalog", "category")
    return found


async def read_channel(request: Request) -> Response:
    services = Services.of(request)
    await wait_for_requested_position(request, services.reads,
                                      services.settings.read_wait_max_s)
    name = request.path_params["name"].lower()
    async with services.reads.connection() as conn:
        row = await get_channel(conn, name)
    if row is None:
        raise ApiError(404, "channel_not_found", f"no channel named {name!r}")
    return JSONResponse({"data": public_channel(row, services.settings)})


class ChannelListing(NamePage):
    category: CategoryFilter = None
    tag: TagFilter = None


async def browse_channels(request: Request) -> Response:
    services = Services.of(request)
    query = ChannelListing.of(request)
    async with services.reads.connection() as conn:
        rows = await list_channels(conn, query.first + 1, query.after, query.category,
                                   query.tag)
    page = rows[:query.first]
    cursor = encode_cursor(page[-1]["channel"]) if len(rows) > query.first else None
    data = [public_channel(r, services.settings) for r in page]
    return JSONResponse({"data": data, "pagination": {"cursor": cursor}})


class CategoryQuery(Query):
    query: str = Field("", description="a category name prefix")
    first: First = 25


async def categories(request: Request) -> Response:
    """The category catalog, by name prefix."""
    services = Services.of(request)
    query = CategoryQuery.of(request)
    async with services.reads.connection() as conn:
        names = await search_categories(conn, query.query, query.first)
    return JSONResponse({"data": [{"name": n} for n in names]})
