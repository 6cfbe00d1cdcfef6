// Clips: the Clip button on a player, and a channel's clips, newest first.
import { useState } from "react";
import { request } from "../api";
import type { Page } from "../api";
import { Link } from "../router";
import { useSession } from "../session";
import { ErrorNote, Loading, useAction, useLoad } from "./feedback";
import { formatDuration } from "./Videos";

export interface Clip {
  id: string;
  channel: string;
  title: string;
  creator_name: string | null;
  status: "pending" | "ready" | "failed";
  created_at: string;
  duration_s: number;
  view_count: number;
  failure: string | null;
  url: string | null;
}

const CLIP_S = 20;

// Cuts the last CLIP_S seconds: of the live stream, or of a VOD up to where it plays.
export function ClipButton({ channel, videoId, time }: {
  channel: string;
  videoId?: string;
  time(): { at: number; length: number };
}) {
  const { username, call } = useSession();
  const [made, setMade] = useState<string | null>(null);
  const clip = useAction(async () => {
    const { at, length } = time();
    const start = Math.max(0, Math.min(at, length) - CLIP_S);
    const answer = videoId
      ? await call<{ data: { id: string } }>(`/api/v1/videos/${videoId}/clips`,
        { body: { start_s: start, duration_s: Math.min(CLIP_S, length - start) } })
      : await call<{ data: { id: string } }>(`/api/v1/channels/${channel}/clips`,
        { body: { duration_s: CLIP_S } });
    setMade(answer.data.id);
  });
  if (!username) return null;
  return (
    <span className="clip">
      <button type="button" onClick={() => void clip.run()} disabled={clip.busy}
        title={`Clip the last ${CLIP_S} seconds`}>Clip</button>
      {made && <> <Link href={`/clips/${made}`}>Your clip</Link></>}
      {clip.error !== null && <ErrorNote error={clip.error} />}
    </span>
  );
}

export function Clips({ channel }: { channel: string }) {
  const clips = useLoad(() => request<Page<Clip>>(`/api/v1/channels/${channel}/clips`), channel);
  if (!clips.data) return clips.error ? <ErrorNote error={clips.error} /> : <Loading what="the clips" />;
  const list = clips.data.data;
  return (
    <section className="videos" aria-labelledby="clips-title">
      <h2 id="clips-title">Clips</h2>
      {list.length === 0 ? <p className="muted">No clips yet.</p> : (
        <ul className="video-list">
          {list.map((clip) => (
            <li key={clip.id}>
              <Link href={`/clips/${clip.id}`}>{clip.title}</Link>{" "}
              <span className="muted">
                {formatDuration(clip.duration_s)} · by {clip.creator_name ?? "someone"} · {clip.view_count} views
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
