import type { Channel } from "../api";
import { Link } from "../router";

export function ChannelList({ channels, empty }: { channels: Channel[]; empty: string }) {
  if (channels.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="cards">
      {channels.map((channel) => (
        <li key={channel.name} className="card">
          <Link href={`/channels/${channel.name}`}>
            <span className="card-title">{channel.display_name}</span>
            {channel.live && <span className="live-badge">LIVE · {channel.viewers} watching</span>}
            <span className="card-line">{channel.title || "No title"}</span>
            <span className="muted">{channel.category || "No category"}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
