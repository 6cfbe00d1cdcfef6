import { useState } from "react";
import { request } from "../api";
import type { Channel, Page } from "../api";
import { ChannelList, Thumbnail } from "../components/ChannelList";
import { ErrorNote, Loading, useLoad } from "../components/feedback";
import { Link } from "../router";
import { useSession } from "../session";

interface Recommendation {
  channel: string;
  display_name: string;
  title: string;
  category: string | null;
  viewers: number;
  explanation: string;
  thumbnail_url: string;
}

function Recommendations() {
  const { call, token } = useSession();
  const picks = useLoad(() => call<Page<Recommendation>>("/api/v1/recommendations?first=6"), token ?? "");
  if (picks.loading && !picks.data) return <Loading what="recommendations" />;
  if (picks.error) return <ErrorNote error={picks.error} />;
  const data = picks.data?.data ?? [];
  if (data.length === 0) return null;
  return (
    <section aria-labelledby="recommended">
      <h2 id="recommended">Recommended for you</h2>
      <ul className="cards">
        {data.map((pick) => (
          <li key={pick.channel} className="card">
            <Link href={`/channels/${pick.channel}`}>
              <Thumbnail channel={pick} />
              <span className="card-title">{pick.display_name}</span>
              <span className="live-badge">LIVE · {pick.viewers} watching</span>
              <span className="card-line">{pick.title || "No title"}</span>
              <span className="muted">{pick.explanation}</span>
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Home() {
  const [category, setCategory] = useState("");
  const categories = useLoad(() => request<Page<{ name: string }>>("/api/v1/categories?first=100"), "");
  const query = category ? `&category=${encodeURIComponent(category)}` : "";
  const streams = useLoad(() => request<Page<Channel>>(`/api/v1/streams?first=50${query}`), query, 15_000);
  return (
    <>
      <Recommendations />
      <section aria-labelledby="live-now">
        <div className="row">
          <h2 id="live-now">Live channels</h2>
          <label className="inline">
            Category{" "}
            <select value={category} onChange={(e) => setCategory(e.target.value)}>
              <option value="">All categories</option>
              {(categories.data?.data ?? []).map((c) => <option key={c.name}>{c.name}</option>)}
            </select>
          </label>
        </div>
        <ErrorNote error={categories.error} />
        <ErrorNote error={streams.error} />
        {streams.data ? (
          <ChannelList channels={streams.data.data} empty="Nobody is live here right now." />
        ) : streams.loading && <Loading what="live channels" />}
      </section>
    </>
  );
}
