"""The subscription types Castline serves, each with the version, condition and scope Twitch
requires of it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubscriptionType:
    name: str
    version: str
    condition: tuple[str, ...]  # every field Twitch requires in the condition
    scope: frozenset[str] = frozenset()  # any one of these; empty: no authorization needed
    authorizer: str = "broadcaster_user_id"  # whose grant of `scope` is needed
    moderator_may: bool = False  # the authorizer may be a moderator of the channel
    anyone: bool = False  # the authorizer may be any user (a chat's reader)
    # Types whose condition names one of two channels (channel.raid: the raider's or the
    # target's): exactly one of these, the notices of that side filed under "side:channel".
    sides: tuple[str, ...] = ()

    def channel_key(self, condition: dict[str, str]) -> str:
        """The condition's field naming the channel."""
        return next((key for key in self.sides if key in condition), "broadcaster_user_id")

    def filed_under(self, login: str, condition: dict[str, str]) -> str:
        """What the subscription's notices are filed under: the channel, or its side."""
        if not self.sides:
            return login
        return f"{self.channel_key(condition).removesuffix('_broadcaster_user_id')}:{login}"

    @property
    def authorized(self) -> bool:
        return bool(self.scope)

    @property
    def cost(self) -> int:
        """Twitch's cost: a subscription a user authorized costs nothing."""
        return 0 if self.authorized else 1


BROADCASTER = ("broadcaster_user_id",)
CHAT = ("broadcaster_user_id", "user_id")
SUBS = frozenset({"channel:read:subscriptions"})
MODERATE = frozenset({"channel:moderate"})
READ_CHAT = frozenset({"user:read:chat"})

TYPES: dict[tuple[str, str], SubscriptionType] = {(t.name, t.version): t for t in (
    SubscriptionType("stream.online", "1", BROADCASTER),
    SubscriptionType("stream.offline", "1", BROADCASTER),
    SubscriptionType("channel.update", "2", BROADCASTER),
    SubscriptionType("channel.follow", "2", ("broadcaster_user_id", "moderator_user_id"),
                     frozenset({"moderator:read:followers"}), "moderator_user_id", True),
    SubscriptionType("channel.chat.message", "1", CHAT, READ_CHAT, "user_id", anyone=True),
    SubscriptionType("channel.chat.message_delete", "1", CHAT, READ_CHAT, "user_id",
                     anyone=True),
    SubscriptionType("channel.chat.clear", "1", CHAT, READ_CHAT, "user_id", anyone=True),
    SubscriptionType("channel.subscribe", "1", BROADCASTER, SUBS),
    SubscriptionType("channel.subscription.gift", "1", BROADCASTER, SUBS),
    SubscriptionType("channel.subscription.end", "1", BROADCASTER, SUBS),
    SubscriptionType("channel.cheer", "1", BROADCASTER, frozenset({"bits:read"})),
    SubscriptionType("channel.ban", "1", BROADCASTER, MODERATE),
    SubscriptionType("channel.unban", "1", BROADCASTER, MODERATE),
    SubscriptionType("channel.moderator.add", "1", BROADCASTER,
                     frozenset({"moderation:read", "channel:manage:moderators"})),
    SubscriptionType("channel.moderator.remove", "1", BROADCASTER,
                     frozenset({"moderation:read", "channel:manage:moderators"})),
    SubscriptionType("channel.ad_break.begin", "1", BROADCASTER,
                     frozenset({"channel:read:ads"})),
    SubscriptionType("channel.shoutout.create", "1", ("broadcaster_user_id", "moderator_user_id"),
                     frozenset({"moderator:read:shoutouts", "moderator:manage:shoutouts"}),
                     "moderator_user_id", True),
    SubscriptionType("channel.raid", "1", (),
                     sides=("from_broadcaster_user_id", "to_broadcaster_user_id")),
)}
NAMES = frozenset(name for name, _ in TYPES)


def find(name: str, version: str) -> SubscriptionType | None:
    return TYPES.get((name, version))
