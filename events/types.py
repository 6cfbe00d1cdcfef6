"""Every message type Castline writes, by Avro full name (its schema subject)."""

from __future__ import annotations

from events.accounts import ClaimEmail, EmailClaimDecided, RegisterUser, UserRegistered
from events.ads import (
    AdBreakStarted,
    AdImpressionRecorded,
    AdScheduleChanged,
    RecordAdImpression,
    SetAdSchedule,
    StartAdBreak,
    TickAdSchedule,
)
from events.base import Message
from events.channel_commands import (
    AddModerator,
    CreateChannel,
    RemoveModerator,
    UpdateChannelInfo,
)
from events.channels import (
    ChannelCreated,
    ChannelInfoUpdated,
    ModeratorAdded,
    ModeratorRemoved,
)
from events.chat import ChatMessagePosted, SendChatMessage
from events.chat_moderation import (
    BlockedTermsChanged,
    ChatModeChanged,
    ChatModerated,
    ModerateChat,
    SetBlockedTerms,
    SetChatModes,
)
from events.monetization import (
    BitsCheered,
    BitsPurchased,
    BitsRefunded,
    BuyBits,
    CheerBits,
    CheerPostDecided,
    DonationMade,
    DonationReviewed,
    MakeDonation,
    RefundBits,
    ReviewDonation,
)
from events.outcomes import CommandDecided
from events.social import ChannelFollowed, ChannelUnfollowed
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
    PublishRejected,
    StreamEnded,
    StreamHeartbeat,
    StreamKeyRotated,
    StreamStarted,
)
from events.subscriptions import (
    CancelSubscription,
    ChangeSubscriptionCard,
    GiftSubscriptions,
    RenewDueSubscriptions,
    Subscribe,
    SubscriptionCancelled,
    SubscriptionCardChanged,
    SubscriptionEnded,
    SubscriptionRenewed,
    SubscriptionsGifted,
    SubscriptionStarted,
)
from events.users import UserProfileUpdated, UserRoleGranted
from events.views import ViewHeartbeat

ALL_MESSAGES: tuple[type[Message], ...] = (
    ChannelCreated,
    ChannelInfoUpdated,
    CreateChannel,
    UpdateChannelInfo,
    CommandDecided,
    RegisterUser,
    ClaimEmail,
    EmailClaimDecided,
    UserRegistered,
    ModeratorAdded,
    ModeratorRemoved,
    AddModerator,
    RemoveModerator,
    UserProfileUpdated,
    UserRoleGranted,
    StreamKeyRotated,
    StreamStarted,
    StreamHeartbeat,
    StreamEnded,
    PublishRejected,
    RotateStreamKey,
    StartStream,
    BeatStream,
    EndStream,
    ChannelFollowed,
    ChannelUnfollowed,
    ViewHeartbeat,
    ChannelSuspended,
    ChannelReinstated,
    SuspendChannel,
    ReinstateChannel,
    ChatMessagePosted,
    SendChatMessage,
    ModerateChat,
    SetChatModes,
    ChatModerated,
    ChatModeChanged,
    SetBlockedTerms,
    BlockedTermsChanged,
    BuyBits,
    CheerBits,
    MakeDonation,
    ReviewDonation,
    CheerPostDecided,
    DonationReviewed,
    BitsPurchased,
    BitsCheered,
    DonationMade,
    RefundBits,
    BitsRefunded,
    Subscribe,
    GiftSubscriptions,
    CancelSubscription,
    ChangeSubscriptionCard,
    RenewDueSubscriptions,
    SubscriptionStarted,
    SubscriptionsGifted,
    SubscriptionRenewed,
    SubscriptionCancelled,
    SubscriptionCardChanged,
    SubscriptionEnded,
    StartAdBreak,
    TickAdSchedule,
    SetAdSchedule,
    RecordAdImpression,
    AdBreakStarted,
    AdScheduleChanged,
    AdImpressionRecorded,
)

BY_SCHEMA_NAME: dict[str, type[Message]] = {cls.schema_name: cls for cls in ALL_MESSAGES}


def message_type(schema_name: str) -> type[Message]:
    """The message class whose Avro full name this is."""
    cls = BY_SCHEMA_NAME.get(schema_name)
    if cls is None:
        raise KeyError(f"no message type is named {schema_name!r}")
    return cls
