import { useEffect, useState } from "react";
import type { RaidCall } from "../chat";
import { navigate } from "../router";
import { useSession } from "../session";
import { ErrorNote, onSubmit, useAction } from "./feedback";

// Once the raid goes, players show where they are going for this long, then follow.
const FOLLOW_AFTER_S = 3;
const RAIDS_FROM = [
  ["everyone", "Everyone"], ["followed", "Channels I follow"], ["nobody", "Nobody"],
] as const;

function useSecondsUntil(moment: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, []);
  return Math.max(0, Math.ceil((moment - now) / 1000));
}

// On the raiding channel's page: the countdown, then a few seconds' notice before the player
// is taken to the target.
export function RaidBanner({ raid }: { raid: RaidCall }) {
  const [wentAt] = useState(() => Date.now());
  const until = raid.went ? wentAt + FOLLOW_AFTER_S * 1000 : Date.parse(raid.goesAt);
  const seconds = useSecondsUntil(until);
  useEffect(() => {
    if (raid.went && seconds === 0) navigate(`/channels/${raid.target}`);
  }, [raid.went, raid.target, seconds]);
  return (
    <p className="raid-banner" role="status" data-testid="raid-banner">
      {raid.went
        ? `Raid! Taking you to ${raid.displayName} in ${seconds} s…`
        : `This channel is raiding ${raid.displayName}${seconds ? ` in ${seconds} s` : " any moment now"}.`}
    </p>
  );
}

interface Raiding {
  target: string;
  goes_at: string;
}

// On the dashboard: raid a live channel (then cancel it while it counts down), and choose
// whom the channel accepts raids from.
export function RaidPanel({ channel, raidsFrom }: { channel: string; raidsFrom: string }) {
  const { call } = useSession();
  const [target, setTarget] = useState("");
  const [raiding, setRaiding] = useState<Raiding | null>(null);
  const [accepts, setAccepts] = useState(raidsFrom);
  const seconds = useSecondsUntil(raiding ? Date.parse(raiding.goes_at) : 0);
  const start = useAction(async () => {
    const answer = await call<{ data: Raiding }>(`/api/v1/channels/${channel}/raids`, {
      method: "POST", body: { target: target.trim().toLowerCase() },
    });
    setRaiding(answer.data);
  });
  const cancel = useAction(async () => {
    await call(`/api/v1/channels/${channel}/raids`, { method: "DELETE" });
    setRaiding(null);
  });
  const choose = useAction(async (value: string) => {
    await call(`/api/v1/channels/${channel}`, { method: "PATCH", body: { raids_from: value } });
    setAccepts(value);
  });
  return (
    <section className="panel" aria-labelledby="raid-title">
      <h2 id="raid-title">Raid</h2>
      {raiding ? (
        <div className="stack">
          <p role="status" data-testid="raid-status">
            {seconds ? `Raiding ${raiding.target} in ${seconds} s.` : `Raiding ${raiding.target}.`}
          </p>
          <ErrorNote error={cancel.error} />
          <button type="button" onClick={() => void cancel.run()} disabled={cancel.busy}>Cancel raid</button>
        </div>
      ) : (
        <form onSubmit={onSubmit(start.run)} className="stack">
          <label>Channel to raid
            <input value={target} required maxLength={25} onChange={(e) => setTarget(e.target.value)} />
          </label>
          <ErrorNote error={start.error} />
          <button type="submit" disabled={start.busy || !target.trim()}>Start raid</button>
        </form>
      )}
      <label>Accept raids from
        <select value={accepts} onChange={(e) => void choose.run(e.target.value)} disabled={choose.busy}>
          {RAIDS_FROM.map(([value, label]) => <option key={value} value={value}>{label}</option>)}
        </select>
      </label>
      <ErrorNote error={choose.error} />
    </section>
  );
}
