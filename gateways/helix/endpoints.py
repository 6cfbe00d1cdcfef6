"""The Helix endpoints, declared as the gateway's others are (gateways.app)."""

from __future__ import annotations

from gateways.helix import channels as helix_channels
from gateways.helix import follows as helix_follows
from gateways.helix import games as helix_games
from gateways.helix import search as helix_search
from gateways.helix import streams as helix_streams
from gateways.helix import users as helix_users
from gateways.openapi import Endpoint

# Helix (Twitch's API, docs/twitch-compatibility.md): a Client-Id header and a bearer token of
# that app on every call (401), at most helix_points_per_minute calls a minute (429).
HELIX = (400, 401, 429)
HELIX_ENDPOINTS = [
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
]
