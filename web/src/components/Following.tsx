import { useEffect, useRef, useState } from "react";
import type { Channel, Page } from "../api";
import { Link } from "../router";
import { useSession } from "../session";

const REFRESH_MS = 15_000;

// Live first, the most watched first; then the rest by name.
function ordered(channels: Channel[]): Channel[] {
  return [...channels].sort((a, b) => Number(b.live) - Number(a.live) || b.viewers - a.viewers
    || a.name.localeCompare(b.name));
}

function useFollowed(): { channels: Channel[]; wentLive: Channel[]; dismiss(name: string): void } {
  const { call, username } = useSession();
  const [channels, setChannels] = useState<Channel[]>([]);
  const [wentLive, setWentLive] = useState<Channel[]>([]);
  const seenOffline = useRef(new Set<string>());
  useEffect(() => {
    if (!username) return;
    let stopped = false;
    let timer: number | undefined;
    const load = async () => {
      try {
        const page = await call<Page<Channel>>("/api/v1/users/me/following?first=100");
        if (stopped) return;
        // Only a channel seen offline while the app is open, then live, is news.
        const fresh = page.data.filter((c) => c.live && seenOffline.current.has(c.name));
        for (const channel of page.data) {
          if (channel.live) seenOffline.current.delete(channel.name);
          else seenOffline.current.add(channel.name);
        }
        const named = new Set(fresh.map((c) => c.name));
        if (fresh.length) setWentLive((now) => [...now.filter((c) => !named.has(c.name)), ...fresh]);
        setChannels(ordered(page.data));
      } catch {
        // The sidebar is a convenience: it tries again at the next refresh.
      }
      if (!stopped) timer = window.setTimeout(() => void load(), REFRESH_MS);
    };
    void load();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [username, call]);
  const dismiss = (name: string) => setWentLive((now) => now.filter((c) => c.name !== name));
  return { channels, wentLive, dismiss };
}

// The signed-in viewer's followed channels (a drawer on phones), and a notice when one of them
// goes live while the app is open.
export function Following() {
  const { username } = useSession();
  const { channels, wentLive, dismiss } = useFollowed();
  const [open, setOpen] = useState(false);
  if (!username) return null;
  return (
    <>
      <div className="live-notices" role="status" aria-live="polite">
        {wentLive.map((channel) => (
          <p key={channel.name} className="live-notice">
            <Link href={`/channels/${channel.name}`}>{channel.display_name} went live</Link>
            {channel.title && <span className="muted"> · {channel.title}</span>}
            <button type="button" className="small" onClick={() => dismiss(channel.name)}
              aria-label={`Dismiss: ${channel.display_name} went live`}>✕</button>
          </p>
        ))}
      </div>
      <button type="button" className="small following-toggle" aria-expanded={open}
        aria-controls="following" onClick={() => setOpen(!open)}>Following</button>
      <aside id="following" className={open ? "following open" : "following"} aria-labelledby="following-title">
        <h2 id="following-title">Following</h2>
        {channels.length === 0 ? <p className="muted">Follow channels to see them here.</p> : (
          <ul>
            {channels.map((channel) => (
              <li key={channel.name} className={channel.live ? "followed live" : "followed"}>
                <Link href={`/channels/${channel.name}`} onClick={() => setOpen(false)}>
                  <span className="grow">{channel.display_name}</span>
                  {channel.live
                    ? <span className="live-badge" aria-label={`live, ${channel.viewers} watching`}>● {channel.viewers}</span>
                    : <span className="muted">Offline</span>}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </aside>
    </>
  );
}
