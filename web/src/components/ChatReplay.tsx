// A VOD's chat beside it, in step with playback: pages of the replay are read ahead of the
// playback time (from where it was sought to), and the lines up to that time are shown.
import { useEffect, useRef, useState } from "react";
import { request } from "../api";
import type { Page } from "../api";

interface Replayed {
  id: string;
  display_name: string;
  text: string;
  offset_s: number;
}

const PAGE = 100;
const AHEAD_S = 30;
const SHOWN = 150;

interface Loaded {
  from: number; // the offset the lines start at
  lines: Replayed[];
  cursor: string | null;
  done: boolean;
}

function useReplay(videoId: string, time: number): Replayed[] {
  const [loaded, setLoaded] = useState<Loaded>({ from: 0, lines: [], cursor: null, done: false });
  const loading = useRef(false);
  useEffect(() => {
    const sought = time < loaded.from || (loaded.lines.length > 0 && time > lastOffset(loaded) + AHEAD_S && !loaded.done);
    const ahead = !loaded.done && (loaded.lines.length === 0 || lastOffset(loaded) < time + AHEAD_S);
    if (loading.current || (!sought && !ahead)) return;
    loading.current = true;
    const from = sought ? time : loaded.from;
    const params = sought || !loaded.cursor ? `offset_s=${from}` : `after=${loaded.cursor}`;
    request<Page<Replayed>>(`/api/v1/videos/${videoId}/chat?first=${PAGE}&${params}`)
      .then((page) => setLoaded((before) => ({
        from,
        lines: sought ? page.data : [...before.lines, ...page.data],
        cursor: page.pagination?.cursor ?? null,
        done: page.pagination?.cursor == null,
      })))
      .catch(() => undefined)
      .finally(() => { loading.current = false; });
  }, [videoId, time, loaded]);
  return loaded.lines.filter((line) => line.offset_s <= time).slice(-SHOWN);
}

function lastOffset(loaded: Loaded): number {
  return loaded.lines.length ? loaded.lines[loaded.lines.length - 1].offset_s : loaded.from;
}

export function ChatReplay({ videoId, time }: { videoId: string; time: number }) {
  const lines = useReplay(videoId, time);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.scrollTo({ top: list.current.scrollHeight });
  }, [lines.length]);
  return (
    <section className="chat" aria-labelledby="replay-title">
      <h2 id="replay-title">Chat replay</h2>
      <ol ref={list} className="chat-lines" aria-label="Chat replay messages">
        {lines.map((line) => (
          <li key={line.id} className="message">
            <strong className="author">{line.display_name}</strong>: <span className="text">{line.text}</span>
          </li>
        ))}
      </ol>
    </section>
  );
}
