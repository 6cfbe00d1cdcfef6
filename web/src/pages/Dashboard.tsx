import { useState } from "react";
import { formatMoney, request } from "../api";
import type { Channel, Page } from "../api";
import { BarChart } from "../components/BarChart";
import { ErrorNote, Loading, onSubmit, useAction, useLoad } from "../components/feedback";
import { Moderation } from "../components/ModerationTools";
import { Profile } from "../components/Profile";
import { RaidPanel } from "../components/Raid";
import { Link } from "../router";
import { useSession } from "../session";

function StreamKey({ channel }: { channel: string }) {
  const { call } = useSession();
  const [key, setKey] = useState<{ server: string; stream_key: string } | null>(null);
  const [shown, setShown] = useState(false);
  const [copied, setCopied] = useState(false);
  const rotate = useAction(async () => {
    const answer = await call<{ data: { server: string; stream_key: string } }>(
      `/api/v1/channels/${channel}/stream-key`, { method: "POST" });
    setKey(answer.data);
    setShown(false);
    setCopied(false);
  });
  const copy = async () => {
    if (!key) return;
    await navigator.clipboard.writeText(key.stream_key).then(() => setCopied(true), () => setShown(true));
  };
  return (
    <section className="panel" aria-labelledby="key-title">
      <h2 id="key-title">Stream key and OBS</h2>
      <ol className="steps">
        <li>In OBS open Settings → Stream and choose Service “Custom…”.</li>
        <li>Server: <code data-testid="rtmp-server">{key?.server ?? "shown with your key"}</code></li>
        <li>Stream Key: the key below. It is shown only once; getting a new one stops the old one.</li>
        <li>For a quick start set Output → Keyframe Interval to 1 s, then Start Streaming.</li>
      </ol>
      {key && (
        <div className="row">
          <label className="grow">Stream key
            <input readOnly type={shown ? "text" : "password"} value={key.stream_key} data-testid="stream-key" />
          </label>
          <button type="button" onClick={() => setShown(!shown)} aria-pressed={shown}>{shown ? "Hide" : "Reveal"}</button>
          <button type="button" onClick={() => void copy()}>{copied ? "Copied" : "Copy"}</button>
        </div>
      )}
      <ErrorNote error={rotate.error} />
      <button type="button" onClick={() => void rotate.run()} disabled={rotate.busy}>
        {key ? "Rotate stream key" : "Get a stream key"}
      </button>
    </section>
  );
}

function StreamInfo({ channel }: { channel: Channel; }) {
  const { call } = useSession();
  const [title, setTitle] = useState(channel.title);
  const [category, setCategory] = useState(channel.category ?? "");
  const categories = useLoad(() => request<Page<{ name: string }>>("/api/v1/categories?first=100"), "");
  const [saved, setSaved] = useState(false);
  const save = useAction(async () => {
    setSaved(false);
    await call(`/api/v1/channels/${channel.name}`, {
      method: "PATCH", body: { title, ...(category ? { category } : {}) },
    });
    setSaved(true);
  });
  return (
    <section className="panel" aria-labelledby="info-title">
      <h2 id="info-title">Stream info</h2>
      <form onSubmit={onSubmit(save.run)} className="stack">
        <label>Title
          <input value={title} maxLength={140} onChange={(e) => setTitle(e.target.value)} />
        </label>
        <label>Category
          <input list="category-options" value={category} onChange={(e) => setCategory(e.target.value)} />
          <datalist id="category-options">
            {(categories.data?.data ?? []).map((c) => <option key={c.name} value={c.name} />)}
          </datalist>
        </label>
        <ErrorNote error={save.error ?? categories.error} />
        {saved && <p className="success" role="status">Saved.</p>}
        <button type="submit" disabled={save.busy}>Save</button>
      </form>
    </section>
  );
}

interface Earning {
  day: string;
  source: string;
  currency: string;
  amount: number;
}

function Earnings({ channel }: { channel: string }) {
  const { call } = useSession();
  const earnings = useLoad(() => call<Page<Earning>>(`/api/v1/channels/${channel}/earnings`), channel, 30_000);
  const totals = new Map<string, number>();
  for (const e of earnings.data?.data ?? []) {
    const key = `${e.source}\u0000${e.currency}`;
    totals.set(key, (totals.get(key) ?? 0) + e.amount);
  }
  return (
    <section className="panel" aria-labelledby="earnings-title">
      <h2 id="earnings-title">Earnings, last 30 days</h2>
      <ErrorNote error={earnings.error} />
      {earnings.data && (totals.size === 0 ? <p className="muted">No earnings yet.</p> : (
        <table>
          <thead><tr><th scope="col">Source</th><th scope="col">Amount</th></tr></thead>
          <tbody>
            {[...totals].map(([key, amount]) => {
              const [source, currency] = key.split("\u0000");
              return <tr key={key}><td>{source}</td><td>{formatMoney(amount, currency)}</td></tr>;
            })}
          </tbody>
        </table>
      ))}
    </section>
  );
}

interface StreamSummary {
  session_id: string;
  started_at: string;
  peak_viewers: number;
  average_viewers: number;
  watch_minutes: number;
  new_followers: number;
  chat: { messages: number; chatters: number };
}

function Analytics({ channel }: { channel: string }) {
  const { call } = useSession();
  const streams = useLoad(
    () => call<Page<StreamSummary>>(`/api/v1/channels/${channel}/analytics/streams?first=10`), channel, 60_000);
  const recent = [...(streams.data?.data ?? [])].reverse();
  const points = (value: (s: StreamSummary) => number) =>
    recent.map((s) => ({ label: new Date(s.started_at).toLocaleDateString(), value: value(s) }));
  return (
    <section className="panel wide" aria-labelledby="analytics-title">
      <h2 id="analytics-title">Recent streams</h2>
      <ErrorNote error={streams.error} />
      {streams.data && (recent.length === 0 ? <p className="muted">No streams yet.</p> : (
        <div className="charts">
          <BarChart title="Peak viewers" points={points((s) => s.peak_viewers)} />
          <BarChart title="Watch minutes" points={points((s) => s.watch_minutes)} />
          <BarChart title="Chat messages" points={points((s) => s.chat.messages)} />
          <BarChart title="New followers" points={points((s) => s.new_followers)} />
        </div>
      ))}
    </section>
  );
}

export function Dashboard({ channel }: { channel: string }) {
  const live = useLoad(() => request<{ data: Channel }>(`/api/v1/channels/${channel}`), channel, 5000);
  const data = live.data?.data;
  return (
    <>
      <div className="row">
        <h1 className="grow">Creator dashboard</h1>
        <Link href={`/channels/${channel}`}>Your channel page</Link>
      </div>
      <ErrorNote error={live.error} />
      {!data ? <Loading what="your channel" /> : (
        <>
          <p role="status" data-testid="live-status" className={data.live ? "live-badge big" : "muted"}>
            {data.live ? `You are live · ${data.viewers} watching` : "You are offline"}
          </p>
          <div className="panels">
            <Profile />
            <StreamKey channel={channel} />
            <StreamInfo key={data.name} channel={data} />
            <RaidPanel key={`raid-${data.name}`} channel={channel} raidsFrom={data.raids_from} />
            <Earnings channel={channel} />
            <Moderation channel={channel} />
            <Analytics channel={channel} />
          </div>
        </>
      )}
    </>
  );
}
