"""The channel decider: pure decide/evolve for one channel's commands.

Who may do what is decided here, against the channel's current owner and moderators, so a
permission change and a command racing it are ordered by the channel's partition.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TypeVar

from events.ads import RecordAdImpression, SetAdSchedule, StartAdBreak, TickAdSchedule
from events.base import Event
from events.channel_commands import AddModerator, CreateChannel, RemoveModerator, UpdateChannelInfo
from events.channels import ChannelCreated, ChannelInfoUpdated, ModeratorAdded, ModeratorRemoved
from events.chat import ChatMessagePosted, SendChatMessage
from events.chat_moderation import (
    BlockedTermsChanged,
    ChatModeChanged,
    ChatModerated,
    ModerateChat,
    SetBlockedTerms,
    SetChatModes,
)
from events.monetization import ReviewDonation
from events.raids import CancelRaid, GoRaid, SetRaidSetting, StartRaid
from events.shoutouts import SendShoutout, ShoutoutSent
from events.stream_commands import (
    BeatStream,
    EndStream,
    ReinstateChannel,
    RotateStreamKey,
    StartStream,
    SuspendChannel,
)
from events.streams import (
    ChannelReinstated,
    ChannelSuspended,
    StreamEnded,
    StreamKeyRotated,
    StreamStarted,
)
from processors.deciders import ads, chat, paid_chat, raids, shoutouts, streams
from processors.deciders import chat_moderation as moderation
from processors.deciders.ads import AdState
from processors.deciders.chat import DEFAULT_LIMITS, RateLimits, Recent
from processors.deciders.chat_moderation import Bans, ChatModes, Staff
from processors.deciders.decisions import Rejected, RememberedOutcome, recent_window
from processors.deciders.derived import stamped
from processors.deciders.raids import PendingRaid
from processors.deciders.shoutouts import Shoutouts
from processors.deciders.streams import LiveSession, StreamCommand

ChannelCommand = (
    CreateChannel | UpdateChannelInfo | AddModerator | RemoveModerator | StreamCommand
    | SendChatMessage | ModerateChat | SetChatModes | SetBlockedTerms | ReviewDonation
    | StartAdBreak | TickAdSchedule | SetAdSchedule | RecordAdImpression
    | StartRaid | CancelRaid | GoRaid | SetRaidSetting | SendShoutout
)
INGEST_COMMANDS = (StartStream, BeatStream, EndStream)
T = TypeVar("T")
Decision = list[Event] | Rejected


@dataclass(frozen=True)
class ChannelState:
    exists: bool = False
    title: str = ""
    category: str = ""
    recent: tuple[RememberedOutcome, ...] = ()
    owner_id: str | None = None
    moderators: tuple[str, ...] = ()
    key_hash: str | None = None
    live: LiveSession | None = None
    tags: tuple[str, ...] = ()
    language: str = ""
    suspended: bool = False
    chat_recent: Recent = field(default_factory=dict)
    chat_bans: Bans = field(default_factory=dict)
    chat_modes: ChatModes = field(default_factory=ChatModes)
    ads: AdState = field(default_factory=AdState)
    raid: PendingRaid | None = None
    shoutouts: Shoutouts = field(default_factory=Shoutouts)

    @property
    def staff(self) -> Staff:
        return Staff(self.owner_id, self.moderators)

    def outcome_of(self, command_id: str) -> RememberedOutcome | None:
        return next((o for o in self.recent if o.command_id == command_id), None)

    def managed_by(self, actor_id: str | None, admin: bool) -> bool:
        return admin or (actor_id is not None and actor_id == self.owner_id)


def decide(state: ChannelState, command: ChannelCommand,
           limits: RateLimits = DEFAULT_LIMITS) -> Decision:
    """Commands from a wallet (cheers, donation reviews) get their answer to it added. The
    events' ids and times are the command's, so deciding it again sends the same events."""
    return stamped(command, paid_chat.replied(command, _decide(state, command, limits)))


def _decide(state: ChannelState, command: ChannelCommand, limits: RateLimits) -> Decision:
    if isinstance(command, CreateChannel):
        return _create(state, command)
    if not state.exists:
        return Rejected("channel_not_found", f"no channel named {command.channel!r}")
    if isinstance(command, INGEST_COMMANDS):
        return _ingest(state, command)
    room = chat.Poster(state.owner_id, state.moderators, state.chat_bans, state.chat_modes, limits)
    if isinstance(command, SendChatMessage):
        posted = chat.post(state.chat_recent, room, command)
        return posted if isinstance(posted, Rejected) else [posted]
    if isinstance(command, ReviewDonation):
        return paid_chat.review_donation(room, command, command.issued_at.timestamp())
    if isinstance(command, ModerateChat):
        return moderation.moderate(state.staff, command)
    if isinstance(command, SetChatModes):
        return moderation.set_modes(state.staff, command)
    if isinstance(command, SendShoutout):
        return shoutouts.send(state.shoutouts, state.staff, state.live, command)
    if isinstance(command, SetBlockedTerms):
        return moderation.set_blocked_terms(state.staff, command)
    if isinstance(command, TickAdSchedule):
        return ads.tick(state.ads, state.live, command)
    if isinstance(command, RecordAdImpression):
        return ads.impression(state.ads, command)
    if isinstance(command, GoRaid):
        return raids.go(state.raid, state.live, command)
    if isinstance(command, SuspendChannel):
        return streams.suspend(state.live, state.suspended, command)
    if isinstance(command, ReinstateChannel):
        return streams.reinstate(state.suspended, command)
    if not state.managed_by(command.actor_id, command.actor_admin):
        return Rejected("forbidden", "only the broadcaster or an admin may do this")
    if isinstance(command, UpdateChannelInfo):
        return _update(state, command)
    if isinstance(command, AddModerator):
        return _add_moderator(state, command)
    if isinstance(command, RotateStreamKey):
        return streams.rotate_key(command)
    if isinstance(command, StartAdBreak):
        return ads.start(state.ads, state.live, command)
    if isinstance(command, SetAdSchedule):
        return ads.set_schedule(command)
    if isinstance(command, StartRaid | CancelRaid | SetRaidSetting):
        return _raid(state, command)
    return _remove_moderator(state, command)


def _ingest(state: ChannelState, command: StartStream | BeatStream | EndStream) -> Decision:
    """From nginx-rtmp through the ingest gateway: the key is the credential, not a user."""
    if isinstance(command, StartStream):
        return streams.start(state.key_hash, state.live, command, state.suspended)
    if isinstance(command, BeatStream):
        return streams.beat(state.live, command)
    return streams.end(state.live, command)


def _raid(state: ChannelState, command: StartRaid | CancelRaid | SetRaidSetting) -> Decision:
    if isinstance(command, StartRaid):
        return raids.start(state.raid, state.live, command)
    if isinstance(command, CancelRaid):
        return raids.cancel(state.raid, command)
    return raids.set_setting(command)


def _create(state: ChannelState, command: CreateChannel) -> Decision:
    if state.exists:
        return Rejected("channel_exists", f"channel {command.channel!r} already exists", "name")
    return [ChannelCreated(
        channel=command.channel, display_name=command.display_name, title=command.title,
        category=command.category, command_id=str(command.command_id), owner_id=command.owner_id,
    )]


def _update(state: ChannelState, command: UpdateChannelInfo) -> Decision:
    """Only what changes is recorded; an update that changes nothing records nothing."""
    title = _changed(command.title, state.title)
    category = _changed(command.category, state.category)
    tags = _changed(tuple(command.tags) if command.tags is not None else None, state.tags)
    language = _changed(command.language, state.language)
    if (title, category, tags, language) == (None, None, None, None):
        return []
    return [ChannelInfoUpdated(
        channel=command.channel, title=title, category=category, command_id=str(command.command_id),
        tags=list(tags) if tags is not None else None, language=language,
    )]


def _changed(wanted: T | None, current: T) -> T | None:
    return wanted if wanted is not None and wanted != current else None


def _add_moderator(state: ChannelState, command: AddModerator) -> Decision:
    if command.user_id == state.owner_id:
        return Rejected("invalid_moderator", "the broadcaster already has every power",
                        "username")
    if command.user_id in state.moderators:
        return Rejected("moderator_exists", f"{command.username} is already a moderator",
                        "username")
    return [ModeratorAdded(channel=command.channel, user_id=command.user_id,
                           username=command.username, by_user_id=command.actor_id)]


def _remove_moderator(state: ChannelState, command: RemoveModerator) -> Decision:
    if command.user_id not in state.moderators:
        return Rejected("moderator_not_found", f"{command.username} is not a moderator")
    return [ModeratorRemoved(channel=command.channel, user_id=command.user_id,
                             username=command.username, by_user_id=command.actor_id)]


def evolve(state: ChannelState, event: Event) -> ChannelState:
    if isinstance(event, ads.AD_EVENTS):
        state = replace(state, ads=ads.evolve(state.ads, event))
    if isinstance(event, raids.RAID_EVENTS):
        return replace(state, raid=raids.evolve(state.raid, event))
    if isinstance(event, ShoutoutSent):
        return replace(state, shoutouts=shoutouts.evolve(state.shoutouts, event))
    if isinstance(event, ChannelCreated):
        return replace(state, exists=True, title=event.title, category=event.category,
                       owner_id=event.owner_id)
    if isinstance(event, ChannelInfoUpdated):
        return replace(
            state,
            title=event.title if event.title is not None else state.title,
            category=event.category if event.category is not None else state.category,
            tags=tuple(event.tags) if event.tags is not None else state.tags,
            language=event.language if event.language is not None else state.language,
        )
    if isinstance(event, StreamKeyRotated):
        return replace(state, key_hash=event.key_hash)
    if isinstance(event, StreamStarted):
        return replace(state, live=LiveSession(event.session_id, event.client_id))
    if isinstance(event, StreamEnded):
        return replace(state, live=None)
    if isinstance(event, ChatMessagePosted):
        return replace(state, chat_recent=chat.record(state.chat_recent, event))
    if isinstance(event, ChatModerated):
        return replace(state, chat_bans=moderation.record_moderation(state.chat_bans, event))
    if isinstance(event, ChatModeChanged):
        return replace(state, chat_modes=moderation.modes_of(event, state.chat_modes))
    if isinstance(event, BlockedTermsChanged):
        return replace(state, chat_modes=replace(state.chat_modes,
                                                 blocked_terms=tuple(event.terms)))
    if isinstance(event, ChannelSuspended | ChannelReinstated):
        return replace(state, suspended=isinstance(event, ChannelSuspended))
    if isinstance(event, ModeratorAdded):
        return replace(state, moderators=(*state.moderators, event.user_id))
    if isinstance(event, ModeratorRemoved):
        return replace(state, moderators=tuple(m for m in state.moderators
                                               if m != event.user_id))
    return state


def remember(state: ChannelState, outcome: RememberedOutcome) -> ChannelState:
    return replace(state, recent=recent_window(state.recent, outcome))
