// A channel's past broadcasts, newest first, each a link to its page.
import { request } from "../api";
import type { Page } from "../api";
import { Link } from "../router";
import { ErrorNote, Loading, useLoad } from "./feedback";

export interface Video {
  id: string;
  channel: string;
  title: string;
  category: string;
  started_at: string;
  duration_s: number;
  view_count: number;
  playlist_url: string;
}

export function formatDuration(seconds: number): string {
  const whole = Math.floor(seconds);
  const parts = [Math.floor(whole / 3600), Math.floor(whole / 60) % 60, whole % 60];
  return parts.map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, "0"))).join(":");
}

export function Videos({ channel }: { channel: string }) {
  const videos = useLoad(() => request<Page<Video>>(`/api/v1/channels/${channel}/videos`), channel);
  if (!videos.data) return videos.error ? <ErrorNote error={videos.error} /> : <Loading what="the videos" />;
  const list = videos.data.data;
  return (
    <section className="videos" aria-labelledby="videos-title">
      <h2 id="videos-title">Past broadcasts</h2>
      {list.length === 0 ? <p className="muted">No past broadcasts yet.</p> : (
        <ul className="video-list">
          {list.map((video) => (
            <li key={video.id}>
              <Link href={`/videos/${video.id}`}>{video.title || "Untitled broadcast"}</Link>{" "}
              <span className="muted">
                {formatDuration(video.duration_s)} · {new Date(video.started_at).toLocaleString()} · {video.view_count} views
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
