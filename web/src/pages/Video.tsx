import { lazy, Suspense, useState } from "react";
import { request } from "../api";
import { ChatReplay } from "../components/ChatReplay";
import { ErrorNote, Loading, useLoad } from "../components/feedback";
import type { Video as VideoData } from "../components/Videos";
import { formatDuration } from "../components/Videos";
import { Link } from "../router";

const Player = lazy(() => import("../components/Player").then((m) => ({ default: m.Player })));

// A past broadcast: its player, and its chat replayed in step with it.
export function Video({ id }: { id: string }) {
  const video = useLoad(() => request<{ data: VideoData }>(`/api/v1/videos/${id}`), id);
  const [time, setTime] = useState(0);
  const data = video.data?.data;
  if (!data) return video.error ? <ErrorNote error={video.error} /> : <Loading what="the video" />;
  return (
    <div className="channel-page">
      <div className="channel-main">
        <Suspense fallback={<Loading what="the player" />}>
          <Player channel={data.channel} playlist={data.playlist_url} video={{ id, durationS: data.duration_s, onTime: setTime }} />
        </Suspense>
        <h1>{data.title || "Untitled broadcast"}</h1>
        <p className="muted">
          <Link href={`/channels/${data.channel}`}>{data.channel}</Link>
          {data.category && <> · {data.category}</>} · {formatDuration(data.duration_s)} · {new Date(data.started_at).toLocaleString()} ·{" "}
          {data.view_count} views
        </p>
      </div>
      <ChatReplay videoId={id} time={time} />
    </div>
  );
}
