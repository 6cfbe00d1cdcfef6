import { useEffect, useRef } from "react";
import { request } from "../api";
import type { Clip as ClipData } from "../components/Clips";
import { ErrorNote, Loading, useLoad } from "../components/feedback";
import { formatDuration } from "../components/Videos";
import { Link } from "../router";
import { useSession } from "../session";

// A clip's page: its MP4 once cut (the page asks again while it is being cut); a play counts
// one view.
export function Clip({ id }: { id: string }) {
  const clip = useLoad(() => request<{ data: ClipData }>(`/api/v1/clips/${id}`), id, 2000);
  const data = clip.data?.data;
  if (!data) return clip.error ? <ErrorNote error={clip.error} /> : <Loading what="the clip" />;
  return (
    <section className="channel-main">
      {data.status === "ready" && data.url ? <ClipPlayer id={id} url={data.url} /> : (
        <p className="muted" role="status">
          {data.status === "failed" ? `This clip could not be made: ${data.failure}.` : "The clip is being cut…"}
        </p>
      )}
      <h1>{data.title}</h1>
      <p className="muted">
        <Link href={`/channels/${data.channel}`}>{data.channel}</Link> · {formatDuration(data.duration_s)} ·
        clipped by {data.creator_name ?? "someone"} · {data.view_count} views
      </p>
    </section>
  );
}

function ClipPlayer({ id, url }: { id: string; url: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const { call } = useSession();
  useEffect(() => {
    const element = video.current;
    if (!element) return;
    let counted = false;
    const playing = () => {
      if (counted) return;
      counted = true;
      void (async () => {
        const session = await call<{ data: { player_token: string } }>(
          `/api/v1/clips/${id}/player-sessions`, { method: "POST" });
        await call(`/api/v1/clips/${id}/heartbeat`, { body: { player_token: session.data.player_token } });
      })().catch(() => undefined);
    };
    element.addEventListener("playing", playing);
    return () => element.removeEventListener("playing", playing);
  }, [id, call]);
  return (
    <div className="player">
      <video ref={video} src={url} controls muted playsInline autoPlay aria-label="Clip" />
    </div>
  );
}
