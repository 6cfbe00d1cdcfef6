"""The Helix endpoints, declared as the gateway's others are (gateways.app)."""

from __future__ import annotations

from gateways.clips import SCOPE as CLIPS_SCOPE
from gateways.helix import ads as helix_ads
from gateways.helix import announcements as helix_announcements
from gateways.helix import channels as helix_channels
from gateways.helix import chat as helix_chat
from gateways.helix import clips as helix_clips
from gateways.helix import follows as helix_follows
from gateways.helix import games as helix_games
from gateways.helix import moderation as helix_moderation
from gateways.helix import moderators as helix_moderators
from gateways.helix import raids as helix_raids
from gateways.helix import search as helix_search
from gateways.helix import shoutouts as helix_shoutouts
from gateways.helix import streams as helix_streams
from gateways.helix import subscriptions as helix_subscriptions
from gateways.helix import users as helix_users
from gateways.helix import videos as helix_videos
from gateways.helix.staff import BroadcasterUsersQuery, ModeratorQuery
from gateways.openapi import Endpoint
from gateways.raids import RAIDS_SCOPE
from gateways.videos import SCOPE as VIDEOS_SCOPE

# Helix (Twitch's API, docs/twitch-compatibility.md): a Client-Id header and a bearer token of
# that app on every call (401), at most helix_points_per_minute calls a minute (429).
HELIX = (400, 401, 429)
# Decided by the channel's decider: 403 when the caller may not, 503 when no decision came.
HELIX_DECIDED = (*HELIX, 403, 503)
HELIX_CHAT_ENDPOINTS = [
    Endpoint("POST", "/helix/chat/messages", helix_chat.send_message,
             "Helix Send Chat Message: as sender_id (the token's user) into broadcaster_id's "
             "chat, in the query string or a JSON body; is_sent false with Twitch's drop_reason "
             "code when the chat's rules refuse it", query=helix_chat.MessageFields,
             scope=helix_chat.SEND_SCOPE, errors=(*HELIX_DECIDED, 415)),
    Endpoint("POST", "/helix/chat/announcements", helix_announcements.send_announcement,
             "Helix Send Chat Announcement: moderator_id (the token's user, the broadcaster or "
             "a moderator) posts the message as an announcement of its colour", status=204,
             query=ModeratorQuery, body=helix_announcements.AnnouncementBody,
             scope=helix_announcements.ANNOUNCE_SCOPE, errors=(*HELIX_DECIDED, 415)),
    Endpoint("POST", "/helix/chat/shoutouts", helix_shoutouts.send_shoutout,
             "Helix Send a Shoutout: moderator_id (the token's user, the broadcaster or a "
             "moderator) shouts out to_broadcaster_id in from_broadcaster_id's live chat (400 "
             "offline or oneself; 429 within two minutes of the last or an hour of the last "
             "to the same broadcaster)", status=204, query=helix_shoutouts.ShoutoutQuery,
             scope=helix_shoutouts.SHOUTOUT_SCOPE, errors=HELIX_DECIDED),
    Endpoint("GET", "/helix/chat/settings", helix_chat.chat_settings,
             "Helix Get Chat Settings: the chat modes; with moderator_id (the token's user, on "
             "the channel's staff) the moderators' fields too", query=helix_chat.SettingsQuery,
             errors=(*HELIX, 403)),
    Endpoint("PATCH", "/helix/chat/settings", helix_chat.update_chat_settings,
             "Helix Update Chat Settings: the modes the body names; the others stay",
             query=ModeratorQuery, body=helix_chat.SettingsPatch,
             scope=helix_chat.MANAGE_SETTINGS, errors=HELIX_DECIDED),
    Endpoint("POST", "/helix/moderation/bans", helix_moderation.ban_user,
             "Helix Ban User: a ban, or a timeout of `duration` seconds",
             query=ModeratorQuery, body=helix_moderation.BanBody,
             scope=helix_moderation.BANS_SCOPE, errors=HELIX_DECIDED),
    Endpoint("DELETE", "/helix/moderation/bans", helix_moderation.unban_user,
             "Helix Unban User: lifts a ban or a timeout", status=204,
             query=helix_moderation.UnbanQuery, scope=helix_moderation.BANS_SCOPE,
             errors=HELIX_DECIDED),
    Endpoint("DELETE", "/helix/moderation/chat", helix_moderation.delete_messages,
             "Helix Delete Chat Messages: message_id's message (of the last 6 hours), or "
             "every message without it", status=204, query=helix_moderation.DeleteQuery,
             scope=helix_moderation.MESSAGES_SCOPE, errors=(*HELIX_DECIDED, 404)),
    Endpoint("GET", "/helix/chat/chatters", helix_moderators.get_chatters,
             "Helix Get Chatters: the signed-in users watching the channel, by login, to its "
             "staff", query=helix_moderators.ChattersQuery,
             scope=helix_moderators.CHATTERS_SCOPE, errors=(*HELIX, 403)),
    Endpoint("GET", "/helix/moderation/moderators", helix_moderators.get_moderators,
             "Helix Get Moderators: the channel's moderators by login, to its broadcaster",
             query=BroadcasterUsersQuery, scope=helix_moderators.READ_SCOPE,
             errors=HELIX),
    Endpoint("POST", "/helix/moderation/moderators", helix_moderators.add_moderator,
             "Helix Add Channel Moderator (the broadcaster or an admin)", status=204,
             query=helix_moderators.ModeratorChange, scope=helix_moderators.MANAGE_SCOPE,
             errors=HELIX_DECIDED),
    Endpoint("DELETE", "/helix/moderation/moderators", helix_moderators.remove_moderator,
             "Helix Remove Channel Moderator (the broadcaster or an admin)", status=204,
             query=helix_moderators.ModeratorChange, scope=helix_moderators.MANAGE_SCOPE,
             errors=HELIX_DECIDED),
]
HELIX_MONEY_ENDPOINTS = [
    Endpoint("POST", "/helix/channels/commercial", helix_ads.start_commercial,
             "Helix Start Commercial: an ad break of `length` seconds (30 to 180) on the "
             "broadcaster's live channel, in the query string or a JSON body",
             query=helix_ads.CommercialFields, scope=helix_ads.COMMERCIAL_SCOPE,
             errors=(*HELIX_DECIDED, 415)),
    Endpoint("GET", "/helix/channels/ads", helix_ads.get_ad_schedule,
             "Helix Get Ad Schedule: the next scheduled break, the last one, their length "
             "(epoch seconds, 0 for none)", query=helix_ads.ScheduleQuery,
             scope=helix_ads.SCHEDULE_SCOPE, errors=HELIX),
    Endpoint("GET", "/helix/subscriptions", helix_subscriptions.broadcaster_subscriptions,
             "Helix Get Broadcaster Subscriptions: current subscribers by login, with the "
             "total and sub points", query=BroadcasterUsersQuery,
             scope=helix_subscriptions.BROADCASTER_SCOPE, errors=HELIX),
    Endpoint("GET", "/helix/subscriptions/user", helix_subscriptions.check_user_subscription,
             "Helix Check User Subscription: the token's user's subscription to a channel "
             "(404 when none)", query=helix_subscriptions.UserSubscriptionQuery,
             scope=helix_subscriptions.USER_SCOPE, errors=(*HELIX, 404)),
    Endpoint("GET", "/helix/bits/leaderboard", helix_subscriptions.bits_leaderboard,
             "Helix Get Bits Leaderboard: who cheered the most bits in the token's user's "
             "channel over a UTC day, week, month, year or all time",
             query=helix_subscriptions.LeaderboardQuery,
             scope=helix_subscriptions.BITS_SCOPE, errors=HELIX),
    Endpoint("POST", "/helix/raids", helix_raids.start_raid,
             "Helix Start a Raid: from_broadcaster_id's live channel raids to_broadcaster_id's "
             "after the raid countdown (400 when either is offline, it raids itself or the "
             "target refuses its raids; 404 no such target; 409 a raid already counts down)",
             query=helix_raids.RaidQuery, scope=RAIDS_SCOPE,
             errors=(*HELIX_DECIDED, 404, 409)),
    Endpoint("DELETE", "/helix/raids", helix_raids.cancel_raid,
             "Helix Cancel a Raid: calls off broadcaster_id's raid still counting down (404 "
             "when none does)", status=204, query=helix_raids.CancelQuery,
             scope=RAIDS_SCOPE, errors=(*HELIX_DECIDED, 404)),
]
HELIX_ENDPOINTS = [
    Endpoint("POST", "/helix/clips", helix_clips.create_clip,
             "Helix Create Clip: the last `duration` s (5-60, default 30) of broadcaster_id's "
             "live stream, cut by the worker; answers 202 with the clip's id and edit_url "
             "(404 when the broadcaster is not live)", status=202,
             query=helix_clips.CreateQuery, scope=CLIPS_SCOPE, errors=(*HELIX, 404)),
    Endpoint("GET", "/helix/clips", helix_clips.get_clips,
             "Helix Get Clips: by id (repeatable, 100 at most) or broadcaster_id, newest "
             "first; only clips already cut", query=helix_clips.ClipsQuery, errors=HELIX),
    Endpoint("GET", "/helix/users", helix_users.get_users,
             "Helix Get Users: by id and login (repeatable, 100 in all), or else the token's "
             "own user", query=helix_users.UsersQuery, errors=HELIX),
    Endpoint("GET", "/helix/streams", helix_streams.get_streams,
             "Helix Get Streams: live channels, most viewers first, by user_id, user_login, "
             "game_id (repeatable) and language", query=helix_streams.StreamsQuery,
             errors=HELIX),
    Endpoint("GET", "/helix/channels", helix_channels.get_channels,
             "Helix Get Channel Information: channels by their broadcasters' ids (repeatable)",
             query=helix_channels.ChannelsQuery, errors=HELIX),
    Endpoint("PATCH", "/helix/channels", helix_channels.modify_channel,
             "Helix Modify Channel Information: title, game_id, broadcaster_language, tags of "
             "broadcaster_id's channel (the broadcaster or an admin)",
             status=204, query=helix_channels.BroadcasterQuery, body=helix_channels.ChannelPatch,
             scope="channel:manage:broadcast", errors=(*HELIX, 403, 503)),
    Endpoint("GET", "/helix/games", helix_games.get_games,
             "Helix Get Games: categories by id and name (repeatable)",
             query=helix_games.GamesQuery, errors=HELIX),
    Endpoint("GET", "/helix/games/top", helix_games.top_games,
             "Helix Get Top Games: categories by the viewers of their live channels",
             query=helix_games.TopGamesQuery, errors=HELIX),
    Endpoint("GET", "/helix/search/categories", helix_search.search_categories,
             "Helix Search Categories: by name prefix, words and typos",
             query=helix_search.SearchQuery, errors=HELIX),
    Endpoint("GET", "/helix/search/channels", helix_search.search_channels,
             "Helix Search Channels: live first; live_only for live ones only",
             query=helix_search.ChannelSearchQuery, errors=HELIX),
    Endpoint("GET", "/helix/channels/followers", helix_follows.channel_followers,
             "Helix Get Channel Followers: the total; the list to the broadcaster, its "
             "moderators and admins with moderator:read:followers, or one's own follow by "
             "user_id", query=helix_follows.FollowersQuery, errors=HELIX),
    Endpoint("GET", "/helix/channels/followed", helix_follows.followed_channels,
             "Helix Get Followed Channels: the channels the token's user (user_id) follows, "
             "the latest first", query=helix_follows.FollowedQuery, scope="user:read:follows",
             errors=HELIX),
    Endpoint("GET", "/helix/videos", helix_videos.get_videos,
             "Helix Get Videos: past broadcasts by id (repeatable), by their broadcaster's "
             "user_id or by game_id, newest first", query=helix_videos.VideosQuery,
             errors=HELIX),
    Endpoint("DELETE", "/helix/videos", helix_videos.delete_videos,
             "Helix Delete Videos: up to five of the token's user's past broadcasts (404 when "
             "one is not there)", query=helix_videos.DeleteVideosQuery, scope=VIDEOS_SCOPE,
             errors=(*HELIX, 404)),
    *HELIX_CHAT_ENDPOINTS,
    *HELIX_MONEY_ENDPOINTS,
]
