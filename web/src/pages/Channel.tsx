import { lazy, Suspense, useEffect, useState } from "react";
import { request, thumbnail } from "../api";
import type { Channel as ChannelData, Page } from "../api";
import { useChat } from "../chat";
import { Chat } from "../components/Chat";
import type { Moderation } from "../components/Chat";
import { ErrorNote, Loading, useLoad } from "../components/feedback";
import { RaidBanner } from "../components/Raid";
import { SubscribePanel } from "../components/Subscriptions";
import { Videos } from "../components/Videos";
import { Clips } from "../components/Clips";
import { Avatar } from "../components/Avatar";
import { CheerPanel, DonatePanel, FollowButton } from "../components/Support";
import { Link } from "../router";
import { useSession } from "../session";

const TIMEOUT_S = 600;
// hls.js is most of the bundle: loaded only where a stream plays.
const Player = lazy(() => import("../components/Player").then((m) => ({ default: m.Player })));

// "1:02:03" since the stream went live, ticking.
function Uptime({ since }: { since: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.floor((now - Date.parse(since)) / 1000));
  const clock = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60]
    .map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, "0"))).join(":");
  return <span data-testid="uptime" aria-label={`live for ${clock}`}>up {clock}</span>;
}

// The broadcaster and moderators get delete and timeout buttons on chat lines.
function useModeration(channel: string): { moderation?: Moderation; error: unknown } {
  const { call, username } = useSession();
  const [error, setError] = useState<unknown>(null);
  const moderators = useLoad(
    () => request<Page<{ username: string }>>(`/api/v1/channels/${channel}/moderators`), channel);
  const allowed = username !== null && (username === channel
    || (moderators.data?.data ?? []).some((m) => m.username === username));
  if (!allowed) return { error: null };
  const act = (path: string, options: { method: string; body?: unknown }) => {
    setError(null);
    call(`/api/v1/channels/${channel}${path}`, options).catch(setError);
  };
  return {
    error,
    moderation: {
      timeOut: (target) => act("/chat/bans", { method: "POST", body: { username: target, duration_s: TIMEOUT_S } }),
      remove: (id) => act(`/chat/messages/${id}`, { method: "DELETE" }),
    },
  };
}

export function Channel({ name }: { name: string }) {
  const { token, username, renew } = useSession();
  const channel = useLoad(() => request<{ data: ChannelData }>(`/api/v1/channels/${name}`), name, 10_000);
  const chat = useChat(name, token, renew);
  const { moderation, error: moderationError } = useModeration(name);
  const data = channel.data?.data;
  if (!data) {
    return channel.error ? <ErrorNote error={channel.error} /> : <Loading what="the channel" />;
  }
  return (
    <div className="channel-page">
      <div className="channel-main">
        {data.live && data.playlist_url ? (
          <Suspense fallback={<Loading what="the player" />}>
            <Player channel={name} playlist={data.playlist_url} poster={thumbnail(data, 1280, 720) ?? undefined} />
          </Suspense>
        ) : (
          <div className="offline" role="status">{data.display_name} is offline.</div>
        )}
        <div className="row channel-head">
          <div className="grow">
            <div className="row identity">
              <Avatar name={data.display_name} image={data.profile_image_url} size={56} />
              <h1 className="grow">{data.display_name}</h1>
            </div>
            <p>{data.title || "No title"} · {data.category
              ? <Link href={`/categories/${encodeURIComponent(data.category)}`}>{data.category}</Link>
              : <span className="muted">No category</span>}</p>
            <p className="muted">
              {data.live ? (
                <>
                  <span className="live-badge">LIVE · <span data-testid="viewers">{data.viewers}</span> watching</span>
                  {data.live_since && <> · <Uptime since={data.live_since} /></>}
                </>
              ) : "Offline"}
              {" · "}<span data-testid="followers">{data.followers}</span> followers
            </p>
          </div>
          {username && username !== name && <FollowButton channel={name} />}
        </div>
        {chat.raid && <RaidBanner key={`${chat.raid.target}-${String(chat.raid.went)}`} raid={chat.raid} />}
        <ErrorNote error={channel.error} />
        <Videos channel={name} />
        <Clips channel={name} />
      </div>
      {username && username !== name && (
        <div className="panels channel-panels">
          <SubscribePanel channel={name} />
          <CheerPanel send={chat.send} />
          <DonatePanel channel={name} />
        </div>
      )}
      <Chat {...chat} self={username} moderation={moderation}
        moderationError={<ErrorNote error={moderationError} />} />
    </div>
  );
}
