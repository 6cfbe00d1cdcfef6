"""What chat sockets are told of a raid: the raiding channel's players see the countdown, its
cancellation, and when to go to the target; the target's chat gets the raid notice. And of a
shoutout: the shouting channel's chat gets it (as Twitch shows it, in the sender's chat)."""

from __future__ import annotations

from events.base import Message
from events.raids import RaidCanceled, RaidStarted, RaidWent
from events.shoutouts import ShoutoutSent

Frame = dict[str, object]
RAID_EVENTS = (RaidStarted, RaidCanceled, RaidWent, ShoutoutSent)


def raid_frames(event: Message) -> list[Frame]:
    if isinstance(event, RaidStarted):
        return [{"type": "raid_countdown", "channel": event.channel, "raid_id": event.raid_id,
                 "target": event.to_broadcaster_user_login,
                 "target_display_name": event.to_broadcaster_user_name,
                 "viewers": event.viewers, "goes_at": event.goes_at.isoformat()}]
    if isinstance(event, RaidCanceled):
        return [{"type": "raid_canceled", "channel": event.channel, "raid_id": event.raid_id,
                 "target": event.to_broadcaster_user_login}]
    if isinstance(event, RaidWent):
        return [_go(event), _notice(event)]
    if isinstance(event, ShoutoutSent):
        return [_shoutout(event)]
    return []


def _go(went: RaidWent) -> Frame:
    """The raiding channel's players follow this to the target."""
    return {"type": "raid_go", "channel": went.channel, "raid_id": went.raid_id,
            "target": went.to_broadcaster_user_login,
            "target_display_name": went.to_broadcaster_user_name, "viewers": went.viewers}


def _notice(went: RaidWent) -> Frame:
    """The target's chat: who raids it, with how many viewers."""
    return {"type": "raid", "id": went.raid_id, "channel": went.to_broadcaster_user_login,
            "user_id": went.from_broadcaster_user_id,
            "username": went.from_broadcaster_user_login,
            "display_name": went.from_broadcaster_user_name, "viewers": went.viewers,
            "sent_at": went.occurred_at.isoformat()}


def _shoutout(sent: ShoutoutSent) -> Frame:
    """The shouting channel's chat: whom to go and see."""
    return {"type": "shoutout", "id": str(sent.event_id), "channel": sent.channel,
            "user_id": sent.to_broadcaster_user_id,
            "username": sent.to_broadcaster_user_login,
            "display_name": sent.to_broadcaster_user_name,
            "moderator_user_id": sent.moderator_user_id,
            "sent_at": sent.occurred_at.isoformat()}
