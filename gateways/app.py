"""The public HTTP gateway."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import BaseRoute, Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from config.settings import Settings, get_settings
from events.codec import Codec
from gateways import (
    ads,
    analytics,
    bits,
    channels,
    chat_history,
    chat_moderation,
    clips,
    donations,
    earnings,
    ingest,
    moderators,
    profiles,
    raids,
    recommendations,
    search,
    social,
    stream_keys,
    subscription_lists,
    subscriptions,
    suspensions,
    token_validation,
    users,
    video_chat,
    videos,
    viewing,
    web,
)
from gateways import oauth_routes as oauth
from gateways.chat_ws import chat_socket
from gateways.device_codes import DEVICE_ENDPOINTS
from gateways.errors import EXCEPTION_HANDLERS
from gateways.eventsub.hub import EventSubHub
from gateways.eventsub.routes import EVENTSUB_ENDPOINTS, eventsub_socket
from gateways.guards import ConcurrencyLimit, InputGuard
from gateways.health import health, ready
from gateways.helix.endpoints import HELIX_ENDPOINTS
from gateways.images import EXTENSIONS
from gateways.irc.listeners import IrcGateway, irc_socket
from gateways.mock_api_paths import mock_api_aliases
from gateways.oauth import forms
from gateways.openapi import Endpoint, openapi_route, path_routes
from gateways.pagination import NamePage
from gateways.reads import ReadYourWrites
from gateways.request_ids import RequestIdMiddleware
from gateways.security_headers import SecurityHeadersMiddleware
from gateways.state import Services

API_VERSION = "1.0.0"

ENDPOINTS = [
    Endpoint("GET", "/api/v1/channels", channels.browse_channels,
             "List channels by name, cursor-paginated",
             query=channels.ChannelListing, errors=(400,)),
    Endpoint("GET", "/api/v1/channels/{name}", channels.read_channel,
             "Read a channel; min_position waits for a write to be projected",
             query=ReadYourWrites, errors=(400, 404, 503)),
    Endpoint("POST", "/api/v1/users", users.register_user,
             "Register an account (username and email unique)", status=201,
             body=users.NewUser, errors=(400, 409, 415, 422, 503)),
    Endpoint("GET", "/api/v1/users/me", users.read_me,
             "The signed-in user's account (email with user:read:email)", scope="user",
             errors=(401, 403)),
    Endpoint("PATCH", "/api/v1/users/me", profiles.update_profile,
             "Change one's display name and/or bio", status=202, body=profiles.ProfilePatch,
             scope="user:edit", errors=(401, 403, 415, 422)),
    Endpoint("PUT", "/api/v1/users/me/image", profiles.upload_profile_image,
             "Upload a profile image (PNG, JPEG, GIF or WebP, at most 2 MiB)", status=202,
             scope="user:edit", uploads=tuple(EXTENSIONS)),
    Endpoint("POST", "/api/v1/users/{username}/roles", profiles.grant_role,
             "Grant a platform role", status=202, body=profiles.RoleGrant, scope="admin",
             errors=(401, 403, 404, 422)),
    Endpoint("GET", "/api/v1/users/{username}", users.read_user,
             "Read a public profile; min_position waits for a write", query=ReadYourWrites,
             errors=(400, 404, 503)),
    Endpoint("POST", "/oauth2/token", oauth.token,
             "OAuth2 token endpoint: password, refresh_token (rotating), authorization_code "
             "(PKCE), client_credentials, the device code (RFC 8628)", form=forms.TOKEN,
             errors=(401, 429)),
    Endpoint("GET", "/oauth2/validate", token_validation.validate,
             "What a token is (client_id, login, scopes, user_id, expires_in), as Twitch's "
             "validate answers; the token as 'Authorization: OAuth <token>' (or Bearer)",
             errors=(401,)),
    Endpoint("POST", "/oauth2/revoke", oauth.revoke, "Revoke a token (RFC 7009)",
             form=forms.REVOKE, errors=(401,)),
    Endpoint("POST", "/oauth2/introspect", oauth.introspect,
             "Introspect a token (RFC 7662); confidential clients", form=forms.INTROSPECT,
             errors=(401,)),
    Endpoint("POST", "/oauth2/authorize", oauth.authorize,
             "The signed-in user grants an app an authorization code (redirects)",
             status=302, scope="user", form=forms.AUTHORIZE),
    Endpoint("POST", "/api/v1/oauth2/clients", oauth.register_app,
             "Register an app; its secret is shown once", status=201, body=oauth.NewApp,
             scope="user", errors=(401, 403, 415, 422)),
    Endpoint("PATCH", "/api/v1/channels/{name}", channels.update_channel,
             "Change a channel's title, category, tags, language and/or whom it accepts raids "
             "from (broadcaster or admin)",
             body=channels.ChannelInfoPatch, scope="channel:manage:broadcast",
             errors=(400, 401, 403, 404, 415, 422, 503)),
    Endpoint("POST", "/api/v1/channels/{name}/stream-key", stream_keys.rotate_stream_key,
             "Make a new stream key (the old one stops working); shown only in this answer",
             status=201, scope="channel:read:stream_key", errors=(401, 403, 404)),
    Endpoint("POST", "/api/v1/channels/{name}/suspension", suspensions.suspend,
             "Suspend a channel from streaming (ends a live session)", body=suspensions.Suspension,
             scope="admin", errors=(401, 403, 404, 422)),
    Endpoint("DELETE", "/api/v1/channels/{name}/suspension", suspensions.reinstate,
             "Lift a channel's suspension", scope="admin", errors=(401, 403, 404)),
    Endpoint("GET", "/api/v1/channels/{name}/chat/messages", chat_history.chat_messages,
             "The last messages, newest first; deleted and purged ones hidden",
             query=chat_history.ChatPage, errors=(400,)),
    Endpoint("POST", "/api/v1/channels/{name}/chat/bans", chat_moderation.ban,
             "Ban a user from the chat, or time them out (duration_s 1 s to 14 days)",
             body=chat_moderation.BanRequest, scope="moderator:manage:banned_users",
             errors=(401, 403, 404, 422)),
    Endpoint("DELETE", "/api/v1/channels/{name}/chat/bans/{username}", chat_moderation.unban,
             "Lift a ban or timeout", scope="moderator:manage:banned_users",
             errors=(401, 403, 404)),
    Endpoint("DELETE", "/api/v1/channels/{name}/chat/messages/{message_id}",
             chat_moderation.delete_message, "Delete a chat message",
             scope="moderator:manage:chat_messages", errors=(401, 403, 404)),
    Endpoint("DELETE", "/api/v1/channels/{name}/chat/messages", chat_moderation.clear_chat,
             "Clear the chat", scope="moderator:manage:chat_messages", errors=(401, 403, 404)),
    Endpoint("GET", "/api/v1/channels/{name}/chat/settings", chat_history.chat_settings,
             "The chat modes in force (slow, followers-only, subscriber-only, emote-only)",
             errors=(404,)),
    Endpoint("PUT", "/api/v1/channels/{name}/chat/settings", chat_moderation.change_settings,
             "Set chat modes (slow, followers-only, subscriber-only, emote-only)",
             body=chat_moderation.ChatSettings, scope="moderator:manage:chat_settings",
             errors=(401, 403, 404, 422)),
    Endpoint("PUT", "/api/v1/channels/{name}/chat/blocked-terms",
             chat_moderation.set_blocked_terms, "Replace the chat's blocked terms",
             body=chat_moderation.BlockedTerms, scope="moderator:manage:chat_settings",
             errors=(401, 403, 404, 422)),
    Endpoint("POST", "/ingest/rtmp/publish", ingest.on_publish,
             "nginx-rtmp on_publish (loopback only): 302 renames to the channel, 4xx refuses",
             status=302, errors=(403, 404, 409)),
    Endpoint("POST", "/ingest/rtmp/publish_done", ingest.on_publish_done,
             "nginx-rtmp on_publish_done (loopback only)", errors=(403,)),
    Endpoint("POST", "/ingest/rtmp/update", ingest.on_update,
             "nginx-rtmp on_update heartbeat (loopback only); 4xx drops the publisher",
             errors=(403, 404)),
    Endpoint("GET", "/api/v1/categories", channels.categories,
             "The category catalog, by name prefix", query=channels.CategoryQuery),
    Endpoint("GET", "/api/v1/search", search.search,
             "Search channels, users or categories (type, default channels) by name prefix, "
             "words and typos: live first, then most viewers, then relevance",
             query=search.SearchQuery, errors=(400,)),
    Endpoint("GET", "/api/v1/streams", viewing.directory,
             "Live channels, most viewers first", query=viewing.DirectoryQuery,
             errors=(400,)),
    Endpoint("POST", "/api/v1/channels/{name}/player-sessions", viewing.player_session,
             "A player of a live channel gets its player token (bearer optional), signed for "
             "this channel and the caller's address; a few per address (or user) and hour, "
             "429 past them; 409 not_live when offline", status=201,
             errors=(401, 404, 409, 429)),
    Endpoint("POST", "/api/v1/channels/{name}/heartbeat", viewing.heartbeat,
             "A player is playing a live channel (every heartbeat_every_s; bearer optional), "
             "with its player token; 403 for a token of another channel or address, 409 "
             "not_live when offline, 429 past the anonymous players an address may have "
             "counted in the channel", status=202,
             body=viewing.Heartbeat, errors=(400, 401, 403, 404, 409, 415, 422, 429)),
    Endpoint("POST", "/api/v1/channels/{name}/follow", social.follow, "Follow a channel",
             status=202, scope="user:edit", errors=(401, 403, 404, 422)),
    Endpoint("DELETE", "/api/v1/channels/{name}/follow", social.unfollow,
             "Stop following a channel", status=202, scope="user:edit", errors=(401, 403, 404)),
    Endpoint("GET", "/api/v1/users/me/following", social.following,
             "Channels one follows, live ones marked", scope="user",
             query=NamePage, errors=(400, 401)),
    Endpoint("GET", "/api/v1/channels/{name}/moderators", moderators.moderators,
             "A channel's moderators"),
    Endpoint("POST", "/api/v1/channels/{name}/moderators", moderators.add_moderator,
             "Make a user a moderator (broadcaster or admin)", status=201,
             body=moderators.NewModerator, scope="channel:manage:moderators",
             errors=(401, 403, 404, 409, 422)),
    Endpoint("DELETE", "/api/v1/channels/{name}/moderators/{username}",
             moderators.remove_moderator, "Take a user's moderator role away",
             scope="channel:manage:moderators", errors=(401, 403, 404)),
    Endpoint("GET", "/api/v1/bits/packs", bits.packs, "The bits packs on sale and their prices"),
    Endpoint("POST", "/api/v1/bits/purchases", bits.buy_bits,
             "Buy a bits pack by card; needs an Idempotency-Key (a retry never charges twice)",
             status=201, body=bits.BitsPurchase, scope="user:manage:payments",
             errors=(400, 401, 402, 403, 409, 415, 422, 503)),
    Endpoint("POST", "/api/v1/bits/purchases/{purchase_id}/refund", bits.refund_purchase,
             "Refund a bits purchase (its event_id) to its card while its bits are unspent "
             "(platform admin); needs an Idempotency-Key", status=201, scope="admin",
             errors=(400, 401, 403, 404, 409, 503)),
    Endpoint("GET", "/api/v1/users/me/bits", bits.my_bits,
             "One's bits balance; min_position waits for a purchase or cheer",
             query=ReadYourWrites, scope="bits:read", errors=(400, 401, 403, 503)),
    Endpoint("POST", "/api/v1/channels/{name}/donations", donations.donate,
             "Donate by card with a message the chat's rules must allow; needs an "
             "Idempotency-Key", status=201, body=donations.Donation,
             scope="user:manage:payments",
             errors=(400, 401, 402, 403, 404, 409, 415, 422, 429, 503)),
    Endpoint("GET", "/api/v1/channels/{name}/earnings", earnings.earnings,
             "The channel's earnings by UTC day and source (broadcaster or admin)",
             query=earnings.EarningsQuery, scope="channel:read:revenue",
             errors=(400, 401, 403, 404, 503)),
    Endpoint("GET", "/api/v1/channels/{name}/payout-balance", earnings.payout,
             "What the platform owes the channel, per currency (broadcaster or admin)",
             query=ReadYourWrites, scope="channel:read:revenue",
             errors=(400, 401, 403, 404, 503)),
    Endpoint("POST", "/api/v1/channels/{name}/subscriptions", subscriptions.subscribe,
             "Subscribe at a tier (1000, 2000, 3000) by card, renewed monthly with the card on "
             "file; needs an Idempotency-Key", status=201, body=subscriptions.NewSubscription,
             scope="user:manage:payments",
             errors=(400, 401, 402, 403, 404, 409, 415, 422, 503)),
    Endpoint("POST", "/api/v1/channels/{name}/subscriptions/gifts", subscriptions.gift,
             "Gift a month to a named user, or to N viewers seen in the channel lately who are "
             "not subscribed (fewer if fewer are; charged for those given); needs an "
             "Idempotency-Key", status=201, body=subscriptions.Gift,
             scope="user:manage:payments",
             errors=(400, 401, 402, 403, 404, 409, 415, 422, 503)),
    Endpoint("DELETE", "/api/v1/channels/{name}/subscriptions", subscriptions.cancel,
             "Cancel one's subscription: no more renewals, benefits until the period ends",
             scope="user:manage:payments", errors=(401, 403, 404, 503)),
    Endpoint("PUT", "/api/v1/channels/{name}/subscriptions/card", subscriptions.change_card,
             "Put another card on file for one's subscription's renewals",
             body=subscriptions.CardOnFile, scope="user:manage:payments",
             errors=(401, 403, 404, 415, 422, 503)),
    Endpoint("GET", "/api/v1/users/me/subscriptions", subscription_lists.my_subscriptions,
             "One's subscriptions; min_position waits for a write", query=ReadYourWrites,
             scope="user:read:subscriptions", errors=(400, 401, 403, 503)),
    Endpoint("GET", "/api/v1/channels/{name}/subscribers",
             subscription_lists.channel_subscribers,
             "The channel's current subscribers by username (broadcaster or admin)",
             query=subscription_lists.SubscriberPage, scope="channel:read:subscriptions",
             errors=(400, 401, 403, 404, 503)),
    Endpoint("POST", "/api/v1/channels/{name}/ads", ads.start_break,
             "Start an ad break of 30-180 s now (broadcaster or admin; the channel live, no "
             "break running nor in its cooldown: 429 with Retry-After)", status=201,
             body=ads.AdBreakRequest, scope="channel:edit:commercial",
             errors=(401, 403, 404, 409, 415, 422, 429, 503)),
    Endpoint("POST", "/api/v1/channels/{name}/raids", raids.start_raid,
             "Raid another live channel (broadcaster or admin; this channel live): the raid "
             "counts down, then sends its viewers to the target. 409 when this channel or the "
             "target is offline, the target refuses raids from it, or a raid already counts "
             "down; 422 raiding oneself", status=201, body=raids.RaidRequest,
             scope=raids.RAIDS_SCOPE, errors=(401, 403, 404, 409, 415, 422, 503)),
    Endpoint("DELETE", "/api/v1/channels/{name}/raids", raids.cancel_raid,
             "Call off the raid counting down (broadcaster or admin); 404 when none does",
             scope=raids.RAIDS_SCOPE, errors=(401, 403, 404, 503)),
    Endpoint("PUT", "/api/v1/channels/{name}/ads/schedule", ads.set_schedule,
             "One break of duration_s every every_min minutes live; every_min 0 turns it off",
             body=ads.AdSchedule, scope="channel:edit:commercial",
             errors=(401, 403, 404, 415, 422, 503)),
    Endpoint("POST", "/api/v1/channels/{name}/ads/{break_id}/impressions", ads.impression,
             "A player showed a break's ad (bearer optional), with its player token; counted "
             "once per viewer, and only if its heartbeat came during the break (409 "
             "not_watching); 403 for subscribers of an ad-free tier or another channel's token",
             body=ads.Impression, errors=(401, 403, 404, 409, 415, 422, 503)),
    Endpoint("GET", "/api/v1/recommendations", recommendations.recommendations,
             "Live channels to watch now, each with why (signed in: followed, co-watched; "
             "anonymous: popular across top categories)", query=recommendations.Recommended,
             errors=(400, 401)),
    Endpoint("GET", "/api/v1/channels/{name}/analytics/streams", analytics.stream_summaries,
             "The channel's recent streams summarized (broadcaster or admin)",
             query=analytics.SummaryPage, scope="analytics:read", errors=(400, 401, 403, 404)),
    Endpoint("GET", "/api/v1/channels/{name}/videos", videos.list_videos,
             "The channel's VODs (recorded live sessions), newest first",
             query=videos.VideoPage, errors=(400, 404)),
    Endpoint("GET", "/api/v1/videos/{video_id}", videos.read_video,
             "One VOD: its master playlist, renditions, duration, title and category as "
             "streamed, views; min_position waits for a write", query=ReadYourWrites,
             errors=(400, 404, 503)),
    Endpoint("GET", "/api/v1/videos/{video_id}/chat", video_chat.video_chat,
             "A VOD's chat replay: the channel's messages over the broadcast, oldest first from "
             "offset_s, each with its offset into the video; what moderators hid stays hidden",
             query=video_chat.ReplayPage, errors=(400, 404)),
    Endpoint("POST", "/api/v1/videos/{video_id}/player-sessions", videos.video_player_session,
             "A player of a VOD gets its player token (bearer optional), as a live channel's; "
             "429 past the tokens an address (or user) gets an hour", status=201,
             errors=(400, 401, 404, 429)),
    Endpoint("POST", "/api/v1/videos/{video_id}/heartbeat", videos.video_heartbeat,
             "A player is playing a VOD (every heartbeat_every_s; bearer optional), with its "
             "player token; each player session counts one view; 403 for a token of another "
             "video or address", status=202, body=viewing.Heartbeat,
             errors=(400, 401, 403, 404, 415, 422)),
    Endpoint("DELETE", "/api/v1/videos/{video_id}", videos.delete_video,
             "Delete a VOD and its files (the channel's broadcaster or an admin)", status=202,
             scope=videos.SCOPE, errors=(400, 401, 403, 404)),
    Endpoint("POST", "/api/v1/channels/{name}/clips", clips.clip_live,
             "Clip the live stream (any signed-in viewer): duration_s (5-60, default 30) ending "
             "offset_s before now, all within the last 90 s of the stream; cut on keyframes "
             "by the worker, then GET /api/v1/clips/{id} says ready. 422 when the channel is "
             "offline (not_live), the clip too short or long, or out_of_window",
             status=202, body=clips.LiveClip, scope=clips.SCOPE,
             errors=(401, 403, 404, 415, 422)),
    Endpoint("POST", "/api/v1/videos/{video_id}/clips", clips.clip_video,
             "Clip a VOD (any signed-in viewer): duration_s (5-60) from start_s into it; 422 "
             "when the clip would not lie inside the video", status=202, body=clips.VodClip,
             scope=clips.SCOPE, errors=(400, 401, 403, 404, 415, 422)),
    Endpoint("GET", "/api/v1/channels/{name}/clips", clips.list_clips,
             "The channel's clips (those cut), newest first", query=clips.ClipPage,
             errors=(400, 404)),
    Endpoint("GET", "/api/v1/clips/{clip_id}", clips.read_clip,
             "One clip: its status (pending, ready, failed), its MP4's url once ready, "
             "duration, views; min_position waits for a write", query=ReadYourWrites,
             errors=(400, 404, 503)),
    Endpoint("DELETE", "/api/v1/clips/{clip_id}", clips.delete_clip,
             "Delete a clip and its file (the channel's broadcaster, the clip's creator or an "
             "admin); it is then 404 everywhere", status=202, scope=clips.SCOPE,
             errors=(400, 401, 403, 404)),
    Endpoint("POST", "/api/v1/clips/{clip_id}/player-sessions", clips.clip_player_session,
             "A player of a clip gets its player token (bearer optional); 429 past the tokens "
             "an address (or user) gets an hour", status=201, errors=(400, 401, 404, 429)),
    Endpoint("POST", "/api/v1/clips/{clip_id}/heartbeat", clips.clip_heartbeat,
             "A player is playing a clip (bearer optional), with its player token; each player "
             "session counts one view; 403 for a token of another clip or address",
             status=202, body=viewing.Heartbeat, errors=(400, 401, 403, 404, 415, 422)),
    *DEVICE_ENDPOINTS,
    *HELIX_ENDPOINTS,
    *EVENTSUB_ENDPOINTS,
]


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        app.state.eventsub = EventSubHub(settings)
        app.state.services = await Services.open(settings, Codec.from_settings(settings),
                                                 app.state.eventsub.readers())
        app.state.irc = IrcGateway(app.state.services)
        try:
            app.state.eventsub.start(app.state.services.pool, app.state.services.redis)
            await app.state.irc.start()
            yield
        finally:
            await app.state.eventsub.close()
            await app.state.irc.stop()
            await app.state.services.close()

    routes: list[BaseRoute] = [*path_routes(ENDPOINTS), *path_routes(mock_api_aliases(ENDPOINTS))]
    routes += [
        openapi_route(ENDPOINTS, API_VERSION),
        Route("/health", health, methods=["GET"]),
        Route("/ready", ready, methods=["GET"]),
        WebSocketRoute("/ws/channels/{channel}", chat_socket),
        WebSocketRoute("/eventsub/ws", eventsub_socket),
        WebSocketRoute("/ws", eventsub_socket),  # where the Twitch CLI mock API has it
        # IRC over WebSocket: "/" is where Twitch's clients (tmi.js) dial.
        WebSocketRoute("/irc", irc_socket),
        WebSocketRoute("/", irc_socket),
    ]
    if settings.media_base_url.startswith("/"):
        # Locally the gateway serves uploads; in production the base URL names a CDN.
        media = StaticFiles(directory=settings.objects, check_dir=False)
        routes.append(Mount(settings.media_base_url, media, name="media"))
    routes += web.routes()
    return Starlette(
        routes=routes,
        middleware=[Middleware(RequestIdMiddleware),
                    Middleware(SecurityHeadersMiddleware, settings=settings),
                    Middleware(ConcurrencyLimit, limit=settings.gateway_max_requests),
                    Middleware(InputGuard)],
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
