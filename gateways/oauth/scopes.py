"""Scopes, modelled on Twitch's."""

from __future__ import annotations

SCOPES: dict[str, str] = {
    "chat:read": "read chat in channels",
    "chat:edit": "send chat messages",
    "channel:manage:broadcast": "change a channel's title, category and tags",
    "channel:read:stream_key": "read a channel's stream key",
    "channel:edit:commercial": "start a channel's ad breaks and set its ad schedule",
    "channel:manage:videos": "delete a channel's videos",
    "channel:manage:moderators": "add and remove a channel's moderators",
    "moderator:manage:banned_users": "ban, time out and unban users in channels one moderates",
    "moderator:manage:chat_messages": "delete messages and clear chat where one moderates",
    "moderator:manage:chat_settings": "change chat modes where one moderates",
    "moderator:manage:announcements": "send announcements in chat where one moderates",
    "bits:read": "read bits leaderboards and cheers",
    "channel:read:subscriptions": "read a channel's subscribers",
    "user:read:subscriptions": "read one's own subscriptions",
    "analytics:read": "read a channel's analytics",
    "channel:read:revenue": "read a channel's earnings and payout balance",
    "user:manage:payments": "spend money: buy bits and donate with a card",
    "user:edit": "change one's own profile",
    "user:read:email": "read one's own email address",
    "user:read:follows": "read the channels one follows",
    "moderator:read:followers": "read the followers of channels one moderates",
    "user:write:chat": "send chat messages through the API",
    "moderator:read:chat_settings": "read the chat settings only moderators see",
    "moderator:read:chatters": "read who is in the chat of channels one moderates",
    "moderation:read": "read one's channel's moderators",
    "channel:read:ads": "read one's channel's ad schedule",
    "user:read:chat": "receive chat messages over EventSub as oneself",
    "channel:moderate": "be told of bans and unbans in one's channel (EventSub)",
    "channel:manage:raids": "start and cancel raids from one's channel",
    "clips:edit": "cut clips of live streams and videos",
    "moderator:manage:shoutouts": "send shoutouts in chat where one moderates",
    "moderator:read:shoutouts": "be told of shoutouts in channels one moderates (EventSub)",
}

# Not in SCOPES, which apps may ask for: only Castline's own apps get it, and only in tokens of
# platform admins. Admin powers need both the role and this scope, so a narrowed token of an
# admin acts as a plain user.
ADMIN_SCOPE = "admin"
