import { thumbnail } from "../api";
import { Avatar } from "./Avatar";
import type { Channel } from "../api";
import { Link } from "../router";

export function ChannelList({ channels, empty }: { channels: Channel[]; empty: string }) {
  if (channels.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul className="cards">
      {channels.map((channel) => (
        <li key={channel.name} className="card">
          <Link href={`/channels/${channel.name}`}>
            <Thumbnail channel={channel} />
            <span className="card-title">
              <Avatar name={channel.display_name} image={channel.profile_image_url} size={28} />
              {channel.display_name}
            </span>
            {channel.live && <span className="live-badge">LIVE · {channel.viewers} watching</span>}
            <span className="card-line">{channel.title || "No title"}</span>
            <span className="muted">{channel.category || "No category"}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

export function Thumbnail({ channel }: { channel: { live?: boolean; thumbnail_url: string | null } }) {
  const src = thumbnail(channel, 320, 180);
  if (!src) return <span className="card-thumb offline-thumb" aria-hidden="true">Offline</span>;
  return <img className="card-thumb" src={src} alt="" width={320} height={180} loading="lazy" />;
}
